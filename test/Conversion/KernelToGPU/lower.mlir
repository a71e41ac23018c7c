// RUN: gpuinit-opt --convert-kernel-to-gpu --split-input-file --verify-diagnostics %s | FileCheck %s

// Metadata to gpu.func/nvvm attributes, ids, barrier, shared memory as a
// workgroup attribution, atomics, shuffles and votes for CUDA; host ops to
// gpu ops with device buffers cast to the kernel's parameter types.
// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK: gpu.module @m
// CHECK: gpu.func @k(%[[A:.*]]: memref<?xf32>, %[[N:.*]]: index) workgroup(%[[S:.*]] : memref<64xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<64xi32, #gpu.address_space<workgroup>>) kernel attributes {nvvm.maxnreg = 32 : i32, nvvm.minctasm = 2 : i32, nvvm.reqntid = array<i32: 64, 1, 1>}
// CHECK: %[[T:.*]] = gpu.thread_id x
// CHECK: gpu.block_id y
// CHECK: gpu.barrier
// CHECK: nvvm.memory.barrier <gpu>
// CHECK: memref.atomic_rmw addf %{{.*}}, %[[A]][%[[T]]] : (f32, memref<?xf32>) -> f32
// CHECK: %[[NEG:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK: memref.atomic_rmw addi %[[NEG]]
// CHECK: memref.generic_atomic_rmw
// CHECK: gpu.shuffle  xor
// CHECK: %[[ACTIVE:.*]] = llvm.call_intrinsic "llvm.nvvm.activemask"() : () -> i32
// CHECK: nvvm.vote.sync  ballot %[[ACTIVE]]
// CHECK: gpu.return
// CHECK: func.func @host
// CHECK: %[[D:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32, #gpu.address_space<global>>
// CHECK: gpu.memcpy %[[D]], %{{.*}} : memref<?xf32, #gpu.address_space<global>>, memref<?xf32>
// CHECK: %[[C:.*]] = memref.memory_space_cast %[[D]] : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
// CHECK: gpu.launch_func @m::@k blocks in ({{.*}}) threads in ({{.*}}) args(%[[C]] : memref<?xf32>, %{{.*}} : index)
// CHECK: gpu.wait
kernel.module @m {
  kernel.func @k(%a: memref<?xf32>, %n: index) kind custom target cuda sm_90 ptx 80
      workgroup(64, 1, 1) launch_bounds(128, 2) max_registers 32 {
    %t = kernel.thread_id x
    %b = kernel.block_id y
    %s = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    %v = memref.load %a[%t] : memref<?xf32>
    memref.store %v, %s[%t] : memref<64xf32, #gpu.address_space<workgroup>>
    kernel.barrier
    kernel.fence device
    %old = kernel.atomic add device %a[%t], %v : memref<?xf32>
    %ci = arith.fptosi %v : f32 to i32
    %ib = kernel.shared_alloc : memref<64xi32, #gpu.address_space<workgroup>>
    %old2 = kernel.atomic sub block %ib[%t], %ci : memref<64xi32, #gpu.address_space<workgroup>>
    %old3 = kernel.atomic_cas device %ib[%t], %ci, %old2 : memref<64xi32, #gpu.address_space<workgroup>>
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle xor %v, %c1 width 32 : f32
    %p = arith.cmpf olt, %r, %v : f32
    %ballot = kernel.vote ballot %p
    kernel.return
  }
}
func.func @host(%h: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %h, %c0 : memref<?xf32>
  %d = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.copy %h to %d : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  kernel.launch @m::@k grid(%c1, %c1, %c1) block(%c64, %c1, %c1) args(%d, %n : memref<?xf32, #gpu.address_space<global>>, index)
  kernel.wait
  return
}

// -----

// Vulkan: fences become SPIR-V, the workgroup size the entry point ABI;
// primitives without a SPIR-V lowering are refused, naming op and target.
// CHECK-LABEL: gpu.module @v
// CHECK: gpu.func @k(%{{.*}}: memref<?xi32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>, spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [32, 1, 1]>}
// CHECK: spirv.MemoryBarrier <Workgroup>
kernel.module @v {
  kernel.func @k(%a: memref<?xi32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<?xi32>
    kernel.fence block
    memref.store %v, %a[%t] : memref<?xi32>
    kernel.return
  }
}

// -----

// Votes on Vulkan: GroupNonUniform ops on the subgroup.
// CHECK-LABEL: gpu.module @ballot
// CHECK: %[[BALLOT:.*]] = spirv.GroupNonUniformBallot <Subgroup> %{{.*}} : vector<4xi32>
// CHECK: vector.extract %[[BALLOT]][0] : i32 from vector<4xi32>
// CHECK: spirv.GroupNonUniformAll <Subgroup>
kernel.module @ballot {
  kernel.func @k(%a: memref<?xi32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<?xi32>
    %c0 = arith.constant 0 : i32
    %p = arith.cmpi sgt, %v, %c0 : i32
    %b = kernel.vote ballot %p
    %all = kernel.vote all %p
    %ai = arith.extui %all : i1 to i32
    %s = arith.addi %b, %ai : i32
    memref.store %s, %a[%t] : memref<?xi32>
    kernel.return
  }
}

// -----

kernel.module @vote {
  kernel.func @k(%a: memref<?xf16>, %v: f16) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    // expected-error @+1 {{'kernel.atomic' op is not supported for target vulkan 1.1: floating-point atomics on Vulkan are f32 only (compare-exchange on 32-bit words, or SPV_EXT_shader_atomic_float_add)}}
    %x = kernel.atomic add device %a[%t], %v : memref<?xf16>
    kernel.return
  }
}

// -----

// Vulkan warps are subgroups: warp_size is the subgroup size, a shuffle
// reads the lane computed from gpu.lane_id and its width (the subgroup size
// without one), and the module records the subgroup sizes it needs (at
// least the widest width, at most 32 with a vote) on each kernel.
// CHECK-LABEL: gpu.module @warps
// CHECK: gpu.func @k({{.*}}) kernel attributes {gpuinit.subgroup_size = array<i32: 16, 32>, known_block_size
// CHECK: gpu.subgroup_size : index
// CHECK: %[[LANE:.*]] = gpu.lane_id
// CHECK: %[[L32:.*]] = arith.index_cast{{.*}} %[[LANE]] : index to i32
// CHECK: %[[M:.*]] = arith.constant 15 : i32
// CHECK: %[[IN:.*]] = arith.andi %[[L32]], %[[M]] : i32
// CHECK: %[[BASE:.*]] = arith.subi %[[L32]], %[[IN]] : i32
// CHECK: %[[SRC:.*]] = arith.addi %[[IN]], %{{.*}} : i32
// CHECK: %[[OK:.*]] = arith.cmpi ult, %[[SRC]], %{{.*}} : i32
// CHECK: %[[ABS:.*]] = arith.addi %[[BASE]], %[[SRC]] : i32
// CHECK: %[[FROM:.*]] = arith.select %[[OK]], %[[ABS]], %[[L32]] : i32
// CHECK: spirv.GroupNonUniformShuffle <Subgroup> %{{.*}}, %[[FROM]] : f32, i32
// CHECK: gpu.subgroup_size : index
// CHECK: arith.xori
// CHECK: spirv.GroupNonUniformShuffle <Subgroup>
// CHECK: spirv.GroupNonUniformAny <Subgroup>
kernel.module @warps {
  kernel.func @k(%a: memref<?xf32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %ws = kernel.warp_size
    %v = memref.load %a[%t] : memref<?xf32>
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle down %v, %c1 width 16 : f32
    %q, %ok2 = kernel.shuffle xor %r, %c1 : f32
    %p = kernel.vote any %ok2
    %i = arith.addi %t, %ws : index
    memref.store %q, %a[%i] : memref<?xf32>
    kernel.return
  }
}

// -----

// CUDA: a warp is 32 lanes.
// CHECK-LABEL: gpu.module @cudawarps
// CHECK-NOT: gpuinit.subgroup_size
// CHECK: arith.constant 32 : index
// CHECK: gpu.lane_id
// CHECK: %[[W:.*]] = arith.constant 32 : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %{{.*}}, %[[W]] : f32
kernel.module @cudawarps {
  kernel.func @k(%a: memref<?xf32>) kind custom target cuda sm_90 ptx 80 workgroup(32, 1, 1) {
    %ws = kernel.warp_size
    %lane = kernel.lane_id
    %v = memref.load %a[%lane] : memref<?xf32>
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle xor %v, %c1 : f32
    memref.store %r, %a[%ws] : memref<?xf32>
    kernel.return
  }
}

// -----

kernel.module @bad {
  kernel.func @k(%a: memref<?xi32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<?xi32>
    // expected-error @+1 {{'kernel.match_any' op is not supported for target vulkan 1.1: warp match is an NVVM-only primitive}}
    %m = kernel.match_any %v : i32
    kernel.return
  }
}

// -----

kernel.module @nowg {
  // expected-error @+1 {{'kernel.func' op needs a workgroup size for target vulkan 1.1 (SPIR-V fixes the LocalSize in the module)}}
  kernel.func @k(%a: memref<?xi32>) kind custom target vulkan 1.1 {
    kernel.return
  }
}

// -----

// hints(unroll = 4) on CUDA: LLVM's unroll count on the innermost loops
// only (here the inner one; the outer loop keeps no annotation).
// CHECK: #[[COUNT:.*]] = #llvm.loop_unroll<count = 4 : i32>
// CHECK: #[[UNROLL:.*]] = #llvm.loop_annotation<unroll = #[[COUNT]]>
// CHECK: gpu.module @unroll
// CHECK: scf.for
// CHECK: scf.for
// CHECK: } {loop_annotation = #[[UNROLL]]}
// CHECK-NEXT: }{{$}}
// CHECK: gpu.return
kernel.module @unroll {
  kernel.func @k(%a: memref<?xf32>, %n: index) kind custom target cuda sm_90 ptx 80
      workgroup(32, 1, 1) hints(unroll = 4) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %n step %c1 {
      scf.for %j = %c0 to %n step %c1 {
        %v = memref.load %a[%j] : memref<?xf32>
        memref.store %v, %a[%i] : memref<?xf32>
      }
    }
    kernel.return
  }
}

// -----

// Vulkan: a dynamically shaped 2-D parameter becomes a 1-D buffer plus one
// hidden index parameter per dynamic size, after the declared ones; accesses
// index it row-major and memref.dim reads the sizes. The launch passes the
// collapsed buffer and the sizes.
// CHECK-LABEL: gpu.module @flat
// CHECK: gpu.func @k(%[[A:.*]]: memref<?xf32>, %[[N:.*]]: index, %[[S0:.*]]: index, %[[S1:.*]]: index)
// CHECK: %[[ROW:.*]] = arith.muli %{{.*}}, %[[S1]] : index
// CHECK: %[[AT:.*]] = arith.addi %[[ROW]], %{{.*}} : index
// CHECK: memref.load %[[A]][%[[AT]]] : memref<?xf32>
// CHECK: memref.store %{{.*}}, %[[A]][%{{.*}}] : memref<?xf32>
// CHECK: arith.addi %[[S0]], %[[N]] : index
// CHECK: func.func @host
// CHECK: %[[D0:.*]] = memref.dim %{{.*}}, %c0
// CHECK: %[[D1:.*]] = memref.dim %{{.*}}, %c1
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<?x?xf32> into memref<?xf32>
// CHECK: gpu.launch_func @flat::@k {{.*}} args(%[[FLAT]] : memref<?xf32>, %{{.*}} : index, %[[D0]] : index, %[[D1]] : index)
kernel.module @flat {
  kernel.func @k(%a: memref<?x?xf32>, %n: index) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %c0 = arith.constant 0 : index
    %t = kernel.thread_id x
    %v = memref.load %a[%t, %t] : memref<?x?xf32>
    memref.store %v, %a[%c0, %t] : memref<?x?xf32>
    %rows = memref.dim %a, %c0 : memref<?x?xf32>
    %r = arith.addi %rows, %n : index
    %rf = arith.index_cast %r : index to i32
    %f = arith.sitofp %rf : i32 to f32
    memref.store %f, %a[%c0, %c0] : memref<?x?xf32>
    kernel.return
  }
}
func.func @host(%a: memref<?x?xf32, #gpu.address_space<global>>, %n: index) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  kernel.launch @flat::@k grid(%c1, %c1, %c1) block(%c32, %c1, %c1) args(%a, %n : memref<?x?xf32, #gpu.address_space<global>>, index)
  return
}

// -----

kernel.module @flatbad {
  kernel.func @k(%a: memref<?x?xf32>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{'memref.subview' op uses the dynamically shaped parameter #0 of type 'memref<?x?xf32>', which the Vulkan lowering flattens to a 1-D buffer with hidden sizes; only loads, stores, atomics and memref.dim can follow it}}
    %s = memref.subview %a[%c0, %c0][%c1, %c1][%c1, %c1] : memref<?x?xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    kernel.return
  }
}

// -----

kernel.module @flatstrided {
  // expected-error @below {{'gpu.func' op has the dynamically shaped parameter #0 of type 'memref<?x?xf32, strided<[?, 1]>>' with a non-identity layout; the Vulkan lowering flattens such parameters row-major and needs the identity layout}}
  kernel.func @k(%a: memref<?x?xf32, strided<[?, 1]>>) kind custom target vulkan 1.1 workgroup(32, 1, 1) {
    kernel.return
  }
}
