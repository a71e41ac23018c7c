// The lowered module is plain LLVM dialect: gpuinit-translate turns it into
// LLVM IR with no other pass, and the statistics count what was lowered.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm | gpuinit-translate --mlir-to-llvmir | FileCheck %s
// RUN: gpuinit-opt %s --convert-initseq-to-llvm --mlir-pass-statistics -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// CHECK-DAG: declare void @gpuinit_cfg_write(ptr, i32, i32, i64)
// CHECK-DAG: declare i64 @gpuinit_io_read(ptr, i32, i32)
// CHECK-DAG: declare void @gpuinit_delay_ns(ptr, i64)
// CHECK-DAG: declare i64 @gpuinit_time_ns(ptr)
// CHECK-DAG: declare i32 @gpuinit_condition(ptr, i32, i64)
// CHECK-DAG: @__initseq_replay_block0 = private constant [17 x i8] c"\00\01\02\03\04\05\06\07\08\09\0A\0B\0C\0D\0E\0F\10"

// CHECK-LABEL: define i32 @replay(ptr %0, ptr %1) {
// CHECK:         %[[S:.*]] = getelementptr ptr, ptr %0, i32 2
// CHECK-NEXT:    %[[BAR:.*]] = load ptr, ptr %[[S]], align 8
// CHECK-NEXT:    %[[A:.*]] = getelementptr i8, ptr %[[BAR]], i32 512
// CHECK-NEXT:    store volatile i32 -1, ptr %[[A]], align 4
// CHECK-NEXT:    %[[A:.*]] = getelementptr i8, ptr %[[BAR]], i32 3
// CHECK-NEXT:    store volatile i16 -16657, ptr %[[A]], align 1
// CHECK-NEXT:    %[[A:.*]] = getelementptr i8, ptr %[[BAR]], i32 0
// CHECK-NEXT:    %{{.*}} = load volatile i64, ptr %[[A]], align 8
// CHECK-NEXT:    call void @gpuinit_cfg_write(ptr %1, i32 4, i32 16, i64 7)
// CHECK-NEXT:    call i64 @gpuinit_io_read(ptr %1, i32 986, i32 8)
// CHECK:         call void @gpuinit_delay_ns(ptr %1, i64 1000)
// CHECK:         load i8, ptr
// CHECK:         store volatile i8
// CHECK:         call i64 @gpuinit_time_ns(ptr %1)
// CHECK:         load volatile i32, ptr %{{.*}}, align 4
// CHECK:         ret i32 1
// CHECK:         call i32 @gpuinit_condition(ptr %1, i32 0, i64 3)
// CHECK:         ret i32 0
initseq.sequence @replay {
  initseq.write mmio[bar2 + 0x000200] : i32 = 0xffffffff
  initseq.write mmio[bar2 + 0x000003] : i16 = 0xbeef
  initseq.read mmio[bar2 + 0x000000] : i64
  initseq.write cfg[0x004] : i16 = 0x7
  initseq.read io[0x3da] : i8
  initseq.delay 1 us
  initseq.block_write mmio[bar2 + 0x001000] : i8 stride 0x1 = [0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10]
  initseq.poll mmio[bar2 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 1 ms
  initseq.condition strap 0x3 {
    initseq.note "no effect"
  }
}

// 3 writes, 2 reads, a block write and a poll; hooks: cfg write, io read,
// delay, 2 clock reads and a condition.
// STATS:     ConvertInitSeqToLLVM
// STATS-DAG: (S) 1 functions - Sequences lowered
// STATS-DAG: (S) 7 accesses - Access ops lowered (write, rmw, read, block_write, poll)
// STATS-DAG: (S) 1 polls - Poll loops emitted
// STATS-DAG: (S) 1 conditions - Conditions lowered to branches
// STATS-DAG: (S) 6 hook-calls - Hook call sites emitted
