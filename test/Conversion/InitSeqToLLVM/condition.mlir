// A condition asks gpuinit_condition(ctx, kind, index) and branches around
// its body; `not` inverts the test; conditions nest.
// RUN: gpuinit-opt %s --convert-initseq-to-llvm -split-input-file | FileCheck %s

// CHECK-LABEL: module {
// CHECK-NEXT:    llvm.func @gpuinit_condition(!llvm.ptr, i32, i64) -> i32
// CHECK-LABEL:   llvm.func @simple(
// CHECK-SAME:        %[[CTX:[^:]*]]: !llvm.ptr) -> i32 {
// CHECK:           %[[B0:.*]] = llvm.load
// CHECK-NEXT:      %[[KIND:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:      %[[IDX:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:      %[[H:.*]] = llvm.call @gpuinit_condition(%[[CTX]], %[[KIND]], %[[IDX]]) : (!llvm.ptr, i32, i64) -> i32
// CHECK-NEXT:      %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:      %[[TAKEN:.*]] = llvm.icmp "ne" %[[H]], %[[Z]] : i32
// CHECK-NEXT:      llvm.cond_br %[[TAKEN]], ^[[BODY:bb[0-9]+]], ^[[JOIN:bb[0-9]+]]
// CHECK-NEXT:    ^[[BODY]]:
// CHECK-NEXT:      llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:      llvm.getelementptr %[[B0]][1049088]
// CHECK-NEXT:      llvm.store volatile
// CHECK-NEXT:      llvm.br ^[[JOIN]]
// CHECK-NEXT:    ^[[JOIN]]:
// CHECK-NEXT:      llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:      llvm.getelementptr %[[B0]][1049092]
// CHECK-NEXT:      llvm.store volatile
initseq.sequence @simple {
  initseq.condition strap 0x3 "strap bits 3:2 == 1" {
    initseq.write mmio[bar0 + 0x100200] : i32 = 0x1
  }
  initseq.write mmio[bar0 + 0x100204] : i32 = 0x2
}

// -----

// Kinds are numbered strap 0, ramcfg 1, condition 2, io_condition 3,
// io_flag_condition 4; `not` compares with eq; an empty body still tests
// the condition (testing it reads the device).
// CHECK-LABEL: llvm.func @kinds(
// CHECK:         %[[K:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[I:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-NEXT:    %[[H:.*]] = llvm.call @gpuinit_condition(%{{.*}}, %[[K]], %[[I]])
// CHECK-NEXT:    %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.icmp "eq" %[[H]], %[[Z]] : i32
// CHECK:         llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(7 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_condition
// CHECK-NEXT:    llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.icmp "ne"
// CHECK:         llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_condition
// CHECK:         llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    llvm.call @gpuinit_condition
// CHECK-NEXT:    llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.icmp "eq"
// CHECK-NEXT:    llvm.cond_br %{{.*}}, ^[[EMPTY:bb[0-9]+]], ^[[J:bb[0-9]+]]
// CHECK-NEXT:  ^[[EMPTY]]:
// CHECK-NEXT:    llvm.br ^[[J]]
// CHECK-NEXT:  ^[[J]]:
initseq.sequence @kinds {
  initseq.condition not ramcfg 0x2 {
    initseq.delay 10 us
  }
  initseq.condition condition 0x7 {
    initseq.delay 10 us
  }
  initseq.condition io_condition 0x0 {
    initseq.delay 10 us
  }
  initseq.condition not io_flag_condition 0x1 {
  }
}

// -----

// Nested conditions: the inner one is tested only when the outer holds, and
// both bodies join before the access after the outer condition.
// CHECK-LABEL: llvm.func @nested(
// CHECK:         llvm.call @gpuinit_condition
// CHECK:         llvm.cond_br %{{.*}}, ^[[OUTER:bb[0-9]+]], ^[[OUTJOIN:bb[0-9]+]]
// CHECK-NEXT:  ^[[OUTER]]:
// CHECK:         llvm.store volatile
// CHECK:         llvm.call @gpuinit_condition
// CHECK:         llvm.cond_br %{{.*}}, ^[[INNER:bb[0-9]+]], ^[[INJOIN:bb[0-9]+]]
// CHECK-NEXT:  ^[[INNER]]:
// CHECK:         llvm.getelementptr %{{.*}}[8]
// CHECK-NEXT:    llvm.store volatile
// CHECK-NEXT:    llvm.br ^[[INJOIN]]
// CHECK-NEXT:  ^[[INJOIN]]:
// CHECK:         llvm.getelementptr %{{.*}}[12]
// CHECK-NEXT:    llvm.store volatile
// CHECK-NEXT:    llvm.br ^[[OUTJOIN]]
// CHECK-NEXT:  ^[[OUTJOIN]]:
// CHECK:         llvm.getelementptr %{{.*}}[16]
// CHECK-NEXT:    llvm.store volatile
// CHECK:         llvm.return
initseq.sequence @nested {
  initseq.condition strap 0x1 {
    initseq.write mmio[bar0 + 0x000004] : i32 = 0x1
    initseq.condition not strap 0x2 {
      initseq.write mmio[bar0 + 0x000008] : i32 = 0x2
    }
    initseq.write mmio[bar0 + 0x00000c] : i32 = 0x3
  }
  initseq.write mmio[bar0 + 0x000010] : i32 = 0x4
}

// -----

// With an else body the condition is tested once: the branch goes to the
// body or to the else body, and both branch to the join block. Blocks follow
// program order (body, else body, join).
// CHECK-LABEL: llvm.func @with_else(
// CHECK:         %[[H:.*]] = llvm.call @gpuinit_condition
// CHECK-NOT:     llvm.call @gpuinit_condition
// CHECK:         %[[TAKEN:.*]] = llvm.icmp "eq" %[[H]], %{{.*}} : i32
// CHECK-NEXT:    llvm.cond_br %[[TAKEN]], ^[[THEN:bb[0-9]+]], ^[[ELSE:bb[0-9]+]]
// CHECK-NEXT:  ^[[THEN]]:
// CHECK-NEXT:    llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.getelementptr %{{.*}}[32]
// CHECK-NEXT:    llvm.store volatile
// CHECK-NEXT:    llvm.br ^[[JOIN:bb[0-9]+]]
// CHECK-NEXT:  ^[[ELSE]]:
// CHECK-NEXT:    llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    llvm.getelementptr %{{.*}}[32]
// CHECK-NEXT:    llvm.store volatile
// CHECK-NEXT:    llvm.br ^[[JOIN]]
// CHECK-NEXT:  ^[[JOIN]]:
// CHECK-NEXT:    llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    llvm.getelementptr %{{.*}}[36]
// CHECK-NEXT:    llvm.store volatile
// CHECK:         llvm.return
initseq.sequence @with_else {
  initseq.condition not strap 0x1 {
    initseq.write mmio[bar0 + 0x000020] : i32 = 0x1
  } else {
    initseq.write mmio[bar0 + 0x000020] : i32 = 0x2
  }
  initseq.write mmio[bar0 + 0x000024] : i32 = 0x3
}

// -----

// An else body that polls: the poll's failure return sits in the else
// branch, whose remaining accesses continue in a block of their own before
// the join; an empty else body still gets its block.
// CHECK-LABEL: llvm.func @else_poll(
// CHECK:         llvm.cond_br %{{.*}}, ^[[THEN:bb[0-9]+]], ^[[ELSE:bb[0-9]+]]
// CHECK-NEXT:  ^[[THEN]]:
// CHECK-NEXT:    llvm.br ^[[JOIN:bb[0-9]+]]
// CHECK-NEXT:  ^[[ELSE]]:
// CHECK-NEXT:    llvm.call @gpuinit_time_ns
// CHECK:         llvm.mlir.constant(1000 : i64) : i64
// CHECK:       ^{{bb[0-9]+}}:
// CHECK-NEXT:    %[[CODE:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return %[[CODE]] : i32
// CHECK-NEXT:  ^{{bb[0-9]+}}:
// CHECK-NEXT:    llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    llvm.getelementptr %{{.*}}[44]
// CHECK-NEXT:    llvm.store volatile
// CHECK-NEXT:    llvm.br ^[[JOIN]]
// CHECK-NEXT:  ^[[JOIN]]:
// CHECK:         llvm.call @gpuinit_condition
// CHECK:         llvm.cond_br %{{.*}}, ^[[T2:bb[0-9]+]], ^[[E2:bb[0-9]+]]
// CHECK-NEXT:  ^[[T2]]:
// CHECK-NEXT:    llvm.br ^[[J2:bb[0-9]+]]
// CHECK-NEXT:  ^[[E2]]:
// CHECK-NEXT:    llvm.br ^[[J2]]
// CHECK-NEXT:  ^[[J2]]:
// CHECK-NEXT:    llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.return
initseq.sequence @else_poll {
  initseq.condition ramcfg 0x2 {
  } else {
    initseq.poll mmio[bar0 + 0x000028] : i32 mask 0x1 eq 0x1 timeout 1 us
    initseq.write mmio[bar0 + 0x00002c] : i32 = 0x4
  }
  initseq.condition strap 0x0 {
  } else {
  }
}
