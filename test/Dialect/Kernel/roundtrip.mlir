// RUN: gpuinit-opt %s | FileCheck %s
// RUN: gpuinit-opt %s | gpuinit-opt | FileCheck %s
// RUN: gpuinit-opt %s -mlir-print-op-generic | gpuinit-opt | FileCheck %s
// RUN: gpuinit-opt %s -emit-bytecode | gpuinit-opt | FileCheck %s

// Every op of the kernel dialect in its custom syntax; the second and third
// runs check that the printed and the generic forms parse back to the same.

//===----------------------------------------------------------------------===//
// Metadata
//===----------------------------------------------------------------------===//

// CHECK-LABEL: kernel.module @metadata {
kernel.module @metadata {
  // CHECK: kernel.func @full(%{{.*}}: memref<?xf32>, %{{.*}}: index) kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1) launch_bounds(256, 2) shared 2048 max_registers 64 hints(tensor_cores, vector_width = 4, unroll = 8, coalesced, async_copy) {
  kernel.func @full(%a: memref<?xf32>, %n: index)
      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1)
      launch_bounds(256, 2) shared 2048 max_registers 64
      hints(tensor_cores, vector_width = 4, unroll = 8, coalesced, async_copy) {
    kernel.return
  }
  // Fields may come in any order and the target may be an attribute; they
  // print in one order.
  // CHECK: kernel.func @any_order() kind custom target cuda sm_90 ptx 80 launch_bounds(128) {
  kernel.func @any_order() launch_bounds(128) target #kernel.target<cuda sm_90 ptx 80> kind custom {
    kernel.return
  }
  // CHECK: kernel.func @kinds_elementwise() kind elementwise target cuda sm_90 ptx 80 {
  kernel.func @kinds_elementwise() kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
  // CHECK: kernel.func @kinds_reduce() kind reduce
  kernel.func @kinds_reduce() kind reduce target cuda sm_90 ptx 80 {
    kernel.return
  }
  // CHECK: kernel.func @kinds_conv2d() kind conv2d
  kernel.func @kinds_conv2d() kind conv2d target cuda sm_90 ptx 80 {
    kernel.return
  }
  // CHECK: kernel.func @kinds_attention() kind attention
  kernel.func @kinds_attention() kind attention target cuda sm_90 ptx 80 {
    kernel.return
  }
  // CHECK: kernel.func @kinds_scan() kind scan
  kernel.func @kinds_scan() kind scan target cuda sm_90 ptx 80 {
    kernel.return
  }
  // CHECK: kernel.func @kinds_sort() kind sort
  kernel.func @kinds_sort() kind sort target cuda sm_90 ptx 80 {
    kernel.return
  }
  // Empty hints are no hints.
  // CHECK: kernel.func @no_hints() kind custom target cuda sm_90 ptx 80 {
  kernel.func @no_hints() kind custom target cuda sm_90 ptx 80 hints() {
    kernel.return
  }
  // Argument attributes and other attributes survive.
  // CHECK: kernel.func @attrs(%{{.*}}: memref<?xf32> {llvm.noalias}) kind custom target cuda sm_90 ptx 80 attributes {frontend = "dsl"} {
  kernel.func @attrs(%a: memref<?xf32> {llvm.noalias}) kind custom
      target cuda sm_90 ptx 80 attributes {frontend = "dsl"} {
    kernel.return
  }
  // CHECK: kernel.func @helper(%{{.*}}: f32, %{{.*}}: memref<64xf32, #gpu.address_space<workgroup>>) -> f32 device kind custom target cuda sm_90 ptx 80 {
  kernel.func @helper(%x: f32, %tile: memref<64xf32, #gpu.address_space<workgroup>>) -> f32
      device kind custom target cuda sm_90 ptx 80 {
    kernel.return %x : f32
  }
}

// CHECK-LABEL: kernel.module @vulkan {
kernel.module @vulkan {
  // CHECK: kernel.func @k() kind elementwise target vulkan 1.1 workgroup(64, 1, 1) {
  kernel.func @k() kind elementwise target vulkan 1.1 workgroup(64, 1, 1) {
    kernel.return
  }
  // CHECK: kernel.func @k13() kind elementwise target vulkan 1.1 {
  kernel.func @k13() kind elementwise target #kernel.target<vulkan 1.1> {
    kernel.return
  }
}

// CHECK-LABEL: kernel.module @cpu {
kernel.module @cpu {
  // CHECK: kernel.func @k() kind custom target cpu shared 65536 {
  kernel.func @k() kind custom target cpu shared 65536 {
    kernel.return
  }
}

// CHECK-LABEL: kernel.module @empty {
// CHECK-NEXT: }
kernel.module @empty {
}

// The attributes on their own.
// CHECK-LABEL: func.func @standalone_attributes()
// CHECK-SAME: cpu = #kernel.target<cpu>
// CHECK-SAME: cuda = #kernel.target<cuda sm_120 ptx 87>
// CHECK-SAME: frag = !kernel.fragment<b, m32n8k16, bf16, col>
// CHECK-SAME: hints = #kernel.hints<coalesced>
// CHECK-SAME: md = #kernel.metadata<device kind custom target vulkan 1.2>
// CHECK-SAME: md2 = #kernel.metadata<kind reduce target cuda sm_80 ptx 70 workgroup(128, 1, 1) hints(unroll = 2)>
// CHECK-SAME: no_hints = #kernel.hints<>
func.func @standalone_attributes() attributes {
    md = #kernel.metadata<device kind custom target vulkan 1.2>,
    md2 = #kernel.metadata<kind reduce target cuda sm_80 ptx 70 workgroup(128, 1, 1) hints(unroll = 2)>,
    hints = #kernel.hints<coalesced>, no_hints = #kernel.hints<>,
    cpu = #kernel.target<cpu>, cuda = #kernel.target<cuda sm_120 ptx 87>,
    frag = !kernel.fragment<b, m32n8k16, bf16, col>} {
  return
}

//===----------------------------------------------------------------------===//
// Device ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: kernel.module @device {
kernel.module @device {
  // CHECK: kernel.func @ids
  kernel.func @ids(%out: memref<12xindex>) kind custom target cuda sm_90 ptx 80 {
    // CHECK: kernel.thread_id x
    // CHECK: kernel.thread_id y
    // CHECK: kernel.thread_id z
    // CHECK: kernel.block_id x
    // CHECK: kernel.block_id y
    // CHECK: kernel.block_id z
    // CHECK: kernel.block_dim x
    // CHECK: kernel.block_dim y
    // CHECK: kernel.block_dim z
    // CHECK: kernel.grid_dim x
    // CHECK: kernel.grid_dim y
    // CHECK: kernel.grid_dim z
    %0 = kernel.thread_id x
    %1 = kernel.thread_id y
    %2 = kernel.thread_id z
    %3 = kernel.block_id x
    %4 = kernel.block_id y
    %5 = kernel.block_id z
    %6 = kernel.block_dim x
    %7 = kernel.block_dim y
    %8 = kernel.block_dim z
    %9 = kernel.grid_dim x
    %10 = kernel.grid_dim y
    %11 = kernel.grid_dim z
    %c0 = arith.constant 0 : index
    memref.store %0, %out[%c0] : memref<12xindex>
    kernel.return
  }

  // CHECK: kernel.func @sync() kind custom
  kernel.func @sync() kind custom target cuda sm_90 ptx 80 {
    // CHECK-NEXT: kernel.barrier
    // CHECK-NEXT: kernel.fence thread
    // CHECK-NEXT: kernel.fence block
    // CHECK-NEXT: kernel.fence device
    // CHECK-NEXT: kernel.fence system
    kernel.barrier
    kernel.fence thread
    kernel.fence block
    kernel.fence device
    kernel.fence system
    kernel.return
  }

  // CHECK: kernel.func @shared() kind custom target cuda sm_90 ptx 80 shared 1280 {
  kernel.func @shared() kind custom target cuda sm_90 ptx 80 shared 1280 {
    // CHECK-NEXT: kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    // CHECK-NEXT: kernel.shared_alloc align 128 : memref<16x16xi32, #gpu.address_space<workgroup>>
    // CHECK-NEXT: kernel.dynamic_shared : memref<?xi8, #gpu.address_space<workgroup>>
    %a = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    %b = kernel.shared_alloc align 128 : memref<16x16xi32, #gpu.address_space<workgroup>>
    %d = kernel.dynamic_shared : memref<?xi8, #gpu.address_space<workgroup>>
    kernel.return
  }

  // CHECK: kernel.func @atomics
  kernel.func @atomics(%f: memref<?xf32>, %i: memref<8x8xi32, #gpu.address_space<global>>,
                       %h: memref<?xf16>, %l: memref<?xi64>, %x: f32, %y: i32, %z: f16, %w: i64)
      kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %s = kernel.shared_alloc : memref<256xi32, #gpu.address_space<workgroup>>
    // CHECK: kernel.atomic add device %{{.*}}[%{{.*}}], %{{.*}} : memref<?xf32>
    // CHECK: kernel.atomic add system %{{.*}}[%{{.*}}], %{{.*}} : memref<?xf16>
    // CHECK: kernel.atomic sub block %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}} : memref<8x8xi32, #gpu.address_space<global>>
    // CHECK: kernel.atomic min device %{{.*}}[%{{.*}}], %{{.*}} : memref<?xf32>
    // CHECK: kernel.atomic max device %{{.*}}[%{{.*}}], %{{.*}} : memref<?xi64>
    // CHECK: kernel.atomic umin block %{{.*}}[%{{.*}}], %{{.*}} : memref<256xi32, #gpu.address_space<workgroup>>
    // CHECK: kernel.atomic umax block
    // CHECK: kernel.atomic and block
    // CHECK: kernel.atomic or block
    // CHECK: kernel.atomic xor block
    // CHECK: kernel.atomic exchange device %{{.*}}[%{{.*}}], %{{.*}} : memref<?xf32>
    // CHECK: kernel.atomic inc device
    // CHECK: kernel.atomic dec device
    // CHECK: kernel.atomic_cas device %{{.*}}[%{{.*}}], %{{.*}}, %{{.*}} : memref<?xi64>
    // CHECK: kernel.atomic_cas block %{{.*}}[%{{.*}}], %{{.*}}, %{{.*}} : memref<256xi32, #gpu.address_space<workgroup>>
    %0 = kernel.atomic add device %f[%c0], %x : memref<?xf32>
    %1 = kernel.atomic add system %h[%c0], %z : memref<?xf16>
    %2 = kernel.atomic sub block %i[%c0, %c0], %y : memref<8x8xi32, #gpu.address_space<global>>
    %3 = kernel.atomic min device %f[%c0], %x : memref<?xf32>
    %4 = kernel.atomic max device %l[%c0], %w : memref<?xi64>
    %5 = kernel.atomic umin block %s[%c0], %y : memref<256xi32, #gpu.address_space<workgroup>>
    %6 = kernel.atomic umax block %s[%c0], %y : memref<256xi32, #gpu.address_space<workgroup>>
    %7 = kernel.atomic and block %s[%c0], %y : memref<256xi32, #gpu.address_space<workgroup>>
    %8 = kernel.atomic or block %s[%c0], %y : memref<256xi32, #gpu.address_space<workgroup>>
    %9 = kernel.atomic xor block %s[%c0], %y : memref<256xi32, #gpu.address_space<workgroup>>
    %10 = kernel.atomic exchange device %f[%c0], %x : memref<?xf32>
    %11 = kernel.atomic inc device %i[%c0, %c0], %y : memref<8x8xi32, #gpu.address_space<global>>
    %12 = kernel.atomic dec device %i[%c0, %c0], %y : memref<8x8xi32, #gpu.address_space<global>>
    %13 = kernel.atomic_cas device %l[%c0], %w, %w : memref<?xi64>
    %14 = kernel.atomic_cas block %s[%c0], %y, %y : memref<256xi32, #gpu.address_space<workgroup>>
    kernel.return
  }

  // CHECK: kernel.func @warp
  kernel.func @warp(%v: f32, %k: i64, %p: i1, %lane: i32) kind custom target cuda sm_90 ptx 80 {
    %c1 = arith.constant 1 : i32
    // CHECK: kernel.shuffle idx %{{.*}}, %{{.*}} width 32 : f32
    // CHECK: kernel.shuffle up %{{.*}}, %{{.*}} width 16 : f32
    // CHECK: kernel.shuffle down %{{.*}}, %{{.*}} width 8 : i64
    // CHECK: kernel.shuffle xor %{{.*}}, %{{.*}} width 1 : f32
    %r0, %ok0 = kernel.shuffle idx %v, %lane width 32 : f32
    %r1, %ok1 = kernel.shuffle up %v, %c1 width 16 : f32
    %r2, %ok2 = kernel.shuffle down %k, %c1 width 8 : i64
    %c0 = arith.constant 0 : i32
    %r3, %ok3 = kernel.shuffle xor %v, %c0 width 1 : f32
    // The whole warp (no width), its size and the lane.
    // CHECK: kernel.shuffle down %{{.*}}, %{{.*}} : f32
    // CHECK-NOT: width
    // CHECK: kernel.warp_size
    // CHECK: kernel.lane_id
    %r4, %ok4 = kernel.shuffle down %v, %c1 : f32
    %ws = kernel.warp_size
    %ln = kernel.lane_id
    %wl = arith.addi %ws, %ln : index
    // CHECK: kernel.vote ballot %{{.*}}
    // CHECK: kernel.vote any %{{.*}}
    // CHECK: kernel.vote all %{{.*}}
    %b = kernel.vote ballot %p
    %any = kernel.vote any %p
    %all = kernel.vote all %p
    %sum = arith.addi %b, %lane : i32
    %both = arith.andi %any, %all : i1
    // CHECK: kernel.match_any %{{.*}} : i64
    // CHECK: kernel.match_any %{{.*}} : f32
    %m0 = kernel.match_any %k : i64
    %m1 = kernel.match_any %v : f32
    kernel.return
  }

  // CHECK: kernel.func @mma
  kernel.func @mma(%A: memref<64x64xf16>, %B: memref<64x64xbf16>, %C: memref<64x64xf32>)
      kind matmul target cuda sm_90 ptx 80 workgroup(32, 1, 1) hints(tensor_cores) {
    %c0 = arith.constant 0 : index
    %tile = kernel.shared_alloc : memref<16x16xf16, #gpu.address_space<workgroup>>
    // CHECK: kernel.mma_load %{{.*}}[%{{.*}}, %{{.*}}] stride 64 : memref<64x64xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    // CHECK: kernel.mma_load %{{.*}}[%{{.*}}, %{{.*}}] stride 16 : memref<16x16xf16, #gpu.address_space<workgroup>> -> !kernel.fragment<b, m16n16k16, f16, col>
    // CHECK: kernel.mma_load %{{.*}}[%{{.*}}, %{{.*}}] stride 64 : memref<64x64xf32> -> !kernel.fragment<c, m16n16k16, f32, row>
    // CHECK: kernel.mma_compute %{{.*}}, %{{.*}}, %{{.*}} : !kernel.fragment<a, m16n16k16, f16, row>, !kernel.fragment<b, m16n16k16, f16, col> -> !kernel.fragment<c, m16n16k16, f32, row>
    // CHECK: kernel.mma_store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] stride 64 : !kernel.fragment<c, m16n16k16, f32, row>, memref<64x64xf32>
    %a = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    %b = kernel.mma_load %tile[%c0, %c0] stride 16 : memref<16x16xf16, #gpu.address_space<workgroup>> -> !kernel.fragment<b, m16n16k16, f16, col>
    %c = kernel.mma_load %C[%c0, %c0] stride 64 : memref<64x64xf32> -> !kernel.fragment<c, m16n16k16, f32, row>
    %d = kernel.mma_compute %a, %b, %c : !kernel.fragment<a, m16n16k16, f16, row>, !kernel.fragment<b, m16n16k16, f16, col> -> !kernel.fragment<c, m16n16k16, f32, row>
    kernel.mma_store %d, %C[%c0, %c0] stride 64 : !kernel.fragment<c, m16n16k16, f32, row>, memref<64x64xf32>
    // Other shapes, bf16 inputs, an f16 accumulator.
    // CHECK: !kernel.fragment<a, m32n8k16, bf16, row>
    // CHECK: !kernel.fragment<b, m8n32k16, f16, row>
    %e = kernel.mma_load %B[%c0, %c0] stride 64 : memref<64x64xbf16> -> !kernel.fragment<a, m32n8k16, bf16, row>
    %f = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xf16> -> !kernel.fragment<b, m8n32k16, f16, row>
    %h = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xf16> -> !kernel.fragment<c, m16n16k16, f16, col>
    kernel.return
  }

  // CHECK: kernel.func @async
  kernel.func @async(%src: memref<?xf32>, %src16: memref<?xf16, #gpu.address_space<global>>)
      kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %tile = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>
    %tile16 = kernel.shared_alloc : memref<256xf16, #gpu.address_space<workgroup>>
    // CHECK: kernel.async_copy %{{.*}}[%{{.*}}] -> %{{.*}}[%{{.*}}], 4 : memref<?xf32> -> memref<256xf32, #gpu.address_space<workgroup>>
    // CHECK: kernel.async_copy %{{.*}}[%{{.*}}] -> %{{.*}}[%{{.*}}], 1 : memref<?xf32> -> memref<256xf32, #gpu.address_space<workgroup>>
    // CHECK: kernel.async_copy %{{.*}}[%{{.*}}] -> %{{.*}}[%{{.*}}], 4 : memref<?xf16, #gpu.address_space<global>> -> memref<256xf16, #gpu.address_space<workgroup>>
    // CHECK: kernel.async_commit
    // CHECK: kernel.async_wait 1
    // CHECK: kernel.async_wait 0
    kernel.async_copy %src[%c0] -> %tile[%c0], 4 : memref<?xf32> -> memref<256xf32, #gpu.address_space<workgroup>>
    kernel.async_copy %src[%c0] -> %tile[%c0], 1 : memref<?xf32> -> memref<256xf32, #gpu.address_space<workgroup>>
    kernel.async_copy %src16[%c0] -> %tile16[%c0], 4 : memref<?xf16, #gpu.address_space<global>> -> memref<256xf16, #gpu.address_space<workgroup>>
    kernel.async_commit
    kernel.async_wait 1
    kernel.async_wait 0
    kernel.return
  }

  // CHECK: kernel.func @square(%{{.*}}: f32) -> f32 device kind custom
  kernel.func @square(%x: f32) -> f32 device kind custom target cuda sm_90 ptx 80 {
    %t = kernel.thread_id x
    %y = arith.mulf %x, %x : f32
    kernel.return %y : f32
  }
  // CHECK: kernel.func @pair(%{{.*}}: f32) -> (f32, i1) device
  kernel.func @pair(%x: f32) -> (f32, i1) device kind custom target cuda sm_90 ptx 80 {
    %y = kernel.call @square(%x) : (f32) -> f32
    %p = arith.constant true
    kernel.return %y, %p : f32, i1
  }
  // CHECK: kernel.func @calls
  kernel.func @calls(%x: f32) kind custom target cuda sm_90 ptx 80 {
    // CHECK: kernel.call @square(%{{.*}}) : (f32) -> f32
    // CHECK: kernel.call @pair(%{{.*}}) : (f32) -> (f32, i1)
    %y = kernel.call @square(%x) : (f32) -> f32
    %z:2 = kernel.call @pair(%y) : (f32) -> (f32, i1)
    kernel.return
  }
}

//===----------------------------------------------------------------------===//
// Host ops
//===----------------------------------------------------------------------===//

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>, %s: f32, %n: index)
      kind elementwise target vulkan 1.1 workgroup(64, 1, 1) {
    kernel.return
  }
  kernel.func @any_block(%buf: memref<1024xf32, #gpu.address_space<global>>)
      kind reduce target vulkan 1.1 launch_bounds(512) {
    %s = kernel.shared_alloc : memref<512xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// CHECK-LABEL: func.func @host
func.func @host(%n: index, %host: memref<1024xf32>, %grid: index) {
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %bytes = arith.constant 4096 : i32
  %s = arith.constant 2.0 : f32
  // CHECK: kernel.alloc(%{{.*}}) : memref<?xf32, #gpu.address_space<global>>
  // CHECK: kernel.alloc : memref<1024xf32, #gpu.address_space<global>>
  %dyn = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %dev = kernel.alloc : memref<1024xf32, #gpu.address_space<global>>
  // CHECK: kernel.copy %{{.*}} to %{{.*}} : memref<1024xf32> to memref<1024xf32, #gpu.address_space<global>>
  // CHECK: kernel.copy %{{.*}} to %{{.*}} : memref<1024xf32, #gpu.address_space<global>> to memref<?xf32, #gpu.address_space<global>>
  kernel.copy %host to %dev : memref<1024xf32> to memref<1024xf32, #gpu.address_space<global>>
  kernel.copy %dev to %dyn : memref<1024xf32, #gpu.address_space<global>> to memref<?xf32, #gpu.address_space<global>>
  // CHECK: kernel.launch @k::@scale grid(%{{.*}}, %{{.*}}, %{{.*}}) block(%{{.*}}, %{{.*}}, %{{.*}}) args(%{{.*}}, %{{.*}}, %{{.*}} : memref<?xf32, #gpu.address_space<global>>, f32, index)
  kernel.launch @k::@scale grid(%grid, %c1, %c1) block(%c64, %c1, %c1) args(%dyn, %s, %n : memref<?xf32, #gpu.address_space<global>>, f32, index)
  // A block size that is not constant is checked at run time.
  // CHECK: kernel.launch @k::@any_block grid(%{{.*}}, %{{.*}}, %{{.*}}) block(%{{.*}}, %{{.*}}, %{{.*}}) shared(%{{.*}}) args(%{{.*}} : memref<1024xf32, #gpu.address_space<global>>)
  kernel.launch @k::@any_block grid(%c1, %c1, %c1) block(%n, %c1, %c1) shared(%bytes) args(%dev : memref<1024xf32, #gpu.address_space<global>>)
  kernel.launch @k::@any_block grid(%c1, %c1, %c1) block(%c512, %c1, %c1) args(%dev : memref<1024xf32, #gpu.address_space<global>>)
  // CHECK: kernel.wait
  kernel.wait
  // CHECK: kernel.copy %{{.*}} to %{{.*}} : memref<1024xf32, #gpu.address_space<global>> to memref<1024xf32>
  kernel.copy %dev to %host : memref<1024xf32, #gpu.address_space<global>> to memref<1024xf32>
  // CHECK: kernel.free %{{.*}} : memref<?xf32, #gpu.address_space<global>>
  kernel.free %dyn : memref<?xf32, #gpu.address_space<global>>
  kernel.free %dev : memref<1024xf32, #gpu.address_space<global>>
  return
}

kernel.module @nolaunch {
  kernel.func @nullary() kind custom target cpu {
    kernel.return
  }
}

// CHECK-LABEL: func.func @launch_no_args
func.func @launch_no_args() {
  %c1 = arith.constant 1 : index
  // CHECK: kernel.launch @nolaunch::@nullary grid(%{{.*}}, %{{.*}}, %{{.*}}) block(%{{.*}}, %{{.*}}, %{{.*}}){{$}}
  kernel.launch @nolaunch::@nullary grid(%c1, %c1, %c1) block(%c1, %c1, %c1)
  return
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @structured
func.func @structured(%x: memref<1024xf32, #gpu.address_space<global>>,
                      %y: memref<?xf32, #gpu.address_space<global>>,
                      %m: memref<64x1024xf32, #gpu.address_space<global>>,
                      %rows: memref<64xf32, #gpu.address_space<global>>,
                      %total: memref<f32, #gpu.address_space<global>>,
                      %one: memref<1xf32, #gpu.address_space<global>>,
                      %a: memref<128x64xf16, #gpu.address_space<global>>,
                      %b: memref<64x256xf16, #gpu.address_space<global>>,
                      %c: memref<128x256xf32, #gpu.address_space<global>>,
                      %alpha: f32) {
  // CHECK: kernel.elementwise ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1024xf32, #gpu.address_space<global>>, memref<?xf32, #gpu.address_space<global>>, f32) outs(%{{.*}} : memref<1024xf32, #gpu.address_space<global>>) {
  // CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f32):
  // CHECK: kernel.yield %{{.*}} : f32
  kernel.elementwise ins(%x, %y, %alpha : memref<1024xf32, #gpu.address_space<global>>, memref<?xf32, #gpu.address_space<global>>, f32)
                     outs(%x : memref<1024xf32, #gpu.address_space<global>>) {
  ^bb0(%p: f32, %q: f32, %s: f32):
    %t = arith.mulf %s, %p : f32
    %r = arith.addf %t, %q : f32
    kernel.yield %r : f32
  }
  // CHECK: kernel.elementwise ins() outs(%{{.*}} : memref<?xf32, #gpu.address_space<global>>) {
  kernel.elementwise ins() outs(%y : memref<?xf32, #gpu.address_space<global>>) {
    %zero = arith.constant 0.0 : f32
    kernel.yield %zero : f32
  }
  %zero = arith.constant 0.0 : f32
  // CHECK: kernel.reduce ins(%{{.*}} : memref<64x1024xf32, #gpu.address_space<global>>) outs(%{{.*}} : memref<64xf32, #gpu.address_space<global>>) init(%{{.*}} : f32) {
  // CHECK-NEXT: ^bb0(%{{.*}}: f32, %{{.*}}: f32):
  kernel.reduce ins(%m : memref<64x1024xf32, #gpu.address_space<global>>)
                outs(%rows : memref<64xf32, #gpu.address_space<global>>) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  // CHECK: kernel.reduce ins(%{{.*}} : memref<1024xf32, #gpu.address_space<global>>) outs(%{{.*}} : memref<f32, #gpu.address_space<global>>)
  kernel.reduce ins(%x : memref<1024xf32, #gpu.address_space<global>>)
                outs(%total : memref<f32, #gpu.address_space<global>>) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.maximumf %acc, %v : f32
    kernel.yield %s : f32
  }
  // CHECK: kernel.reduce ins(%{{.*}} : memref<?xf32, #gpu.address_space<global>>) outs(%{{.*}} : memref<1xf32, #gpu.address_space<global>>)
  kernel.reduce ins(%y : memref<?xf32, #gpu.address_space<global>>)
                outs(%one : memref<1xf32, #gpu.address_space<global>>) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  // CHECK: kernel.matmul ins(%{{.*}}, %{{.*}} : memref<128x64xf16, #gpu.address_space<global>>, memref<64x256xf16, #gpu.address_space<global>>) outs(%{{.*}} : memref<128x256xf32, #gpu.address_space<global>>){{$}}
  // CHECK: kernel.matmul ins({{.*}}) outs({{.*}}) accumulate
  kernel.matmul ins(%a, %b : memref<128x64xf16, #gpu.address_space<global>>, memref<64x256xf16, #gpu.address_space<global>>)
                outs(%c : memref<128x256xf32, #gpu.address_space<global>>)
  kernel.matmul ins(%a, %b : memref<128x64xf16, #gpu.address_space<global>>, memref<64x256xf16, #gpu.address_space<global>>)
                outs(%c : memref<128x256xf32, #gpu.address_space<global>>) accumulate
  return
}
