// RUN: gpuinit-opt --convert-kernel-to-cpu --split-input-file %s | FileCheck %s
// RUN: gpuinit-opt --convert-kernel-to-cpu=any-target %S/../../Target/Kernel/Inputs/matmul-static.mlir | FileCheck %s --check-prefix=ANY

// CHECK-LABEL: module @simple
// CHECK: func.func @scale(%[[ARGS:.*]]: !llvm.ptr, %[[WG:.*]]: !llvm.ptr) {
// Parameter 0, a memref: args[0] points at the base pointer; its dynamic size
// is the hidden args[4].
// CHECK: %[[S0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[P0:.*]] = llvm.load %[[S0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[BASE:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.getelementptr %[[ARGS]][4]
// CHECK: %[[SIZE:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: llvm.insertvalue %[[BASE]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[BASE]], %{{.*}}[1]
// CHECK: %[[A:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xf32>
// Scalars: index as 8 bytes, f32 as 4, i16 in the low bytes of 4.
// CHECK: llvm.getelementptr %[[ARGS]][1]
// CHECK: %[[N64:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i64
// CHECK: %[[N:.*]] = arith.index_cast %[[N64]] : i64 to index
// CHECK: llvm.getelementptr %[[ARGS]][2]
// CHECK: %[[S:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: llvm.getelementptr %[[ARGS]][3]
// CHECK: %[[K:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i32
// CHECK: arith.trunci %[[K]] : i32 to i16
// block_id x and block_dim x from wg (offsets 24 and 12).
// CHECK: llvm.getelementptr %[[WG]][24] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[BID:.*]] = arith.index_castui
// CHECK: llvm.getelementptr %[[WG]][12] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[BX:.*]] = arith.index_castui
// CHECK-DAG: llvm.getelementptr %[[WG]][20]
// CHECK-DAG: llvm.getelementptr %[[WG]][16]
// The uniform product is computed once, before the loops over the threads.
// CHECK: %[[BASEI:.*]] = arith.muli %[[BID]], %[[BX]] : index
// CHECK: scf.for %[[TZ:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: scf.for %[[TY:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT: scf.for %[[TX:.*]] = %{{.*}} to %[[BX]] step
// CHECK-NEXT: %[[I:.*]] = arith.addi %[[BASEI]], %[[TX]] : index
// CHECK-NEXT: %[[IN:.*]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT: scf.if %[[IN]] {
// CHECK-NEXT: %[[X:.*]] = memref.load %[[A]][%[[I]]] : memref<?xf32>
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT: memref.store %[[Y]], %[[A]][%[[I]]] : memref<?xf32>
// CHECK: } {kernel.cpu_phase = 0 : i64}
// CHECK-NEXT: return
// CHECK-NOT: kernel.cpu_phase = 1

// ANY-LABEL: module @matmul_kernels
// ANY: func.func @matmul_tiled(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// ANY-COUNT-3: kernel.cpu_phase
// ANY-NOT: {{^ *(%.* = )?}}kernel.

// A kernel without barriers: arguments from args[i] (a memref's dynamic size
// from the hidden args[2]), one phase over the threads, uniform values
// computed once before it.
kernel.module @simple {
  kernel.func @scale(%a: memref<?xf32, #gpu.address_space<global>>, %n: index, %s: f32, %k: i16)
      kind elementwise target cpu workgroup(64, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %a[%i] : memref<?xf32, #gpu.address_space<global>>
      %y = arith.mulf %x, %s : f32
      memref.store %y, %a[%i] : memref<?xf32, #gpu.address_space<global>>
    }
    kernel.return
  }
}

// -----

// CHECK-LABEL: module @two_phases
// CHECK: func.func @rotate
// Static shared memory: one alloca per call (workgroup).
// CHECK: %[[TILE:.*]] = memref.alloca() {alignment = 16 : i64} : memref<64xf32>
// CHECK: %[[V_ARRAY:.*]] = memref.alloca(%{{.*}}) : memref<?xf32>
// Phase 0: the loaded value is stored per thread (at the linear thread id).
// CHECK: scf.for %[[Z0:.*]] =
// CHECK: scf.for %[[Y0:.*]] =
// CHECK: scf.for %[[X0:.*]] =
// CHECK: %[[LIN0:.*]] = arith.addi %{{.*}}, %[[X0]] : index
// CHECK: %[[V:.*]] = memref.load %{{.*}}[%[[X0]]] : memref<64xf32>
// CHECK-NEXT: memref.store %[[V]], %[[V_ARRAY]][%[[LIN0]]] : memref<?xf32>
// CHECK-NEXT: memref.store %[[V]], %[[TILE]][%[[X0]]] : memref<64xf32>
// CHECK: } {kernel.cpu_phase = 0 : i64}
// Phase 1: (t + 1) & 63 is recomputed from the thread id, %v reloaded.
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[X1:.*]] =
// CHECK: %[[LIN1:.*]] = arith.addi %{{.*}}, %[[X1]] : index
// CHECK: %[[NEXT:.*]] = arith.addi %[[X1]], %{{.*}} : index
// CHECK-NEXT: %[[J:.*]] = arith.andi %[[NEXT]], %{{.*}} : index
// CHECK-NEXT: %[[W:.*]] = memref.load %[[TILE]][%[[J]]] : memref<64xf32>
// CHECK-NEXT: %[[V1:.*]] = memref.load %[[V_ARRAY]][%[[LIN1]]] : memref<?xf32>
// CHECK-NEXT: arith.addf %[[V1]], %[[W]] : f32
// CHECK: } {kernel.cpu_phase = 1 : i64}
// CHECK-NEXT: return

// A barrier: two phases; a loaded value used after it goes through a
// per-thread array, a value computed from the thread id is recomputed.
kernel.module @two_phases {
  kernel.func @rotate(%a: memref<64xf32>) kind custom target cpu workgroup(64, 1, 1) {
    %c1 = arith.constant 1 : index
    %c63 = arith.constant 63 : index
    %tile = kernel.shared_alloc align 16 : memref<64xf32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<64xf32>
    memref.store %v, %tile[%t] : memref<64xf32, #gpu.address_space<workgroup>>
    %next = arith.addi %t, %c1 : index
    %wrapped = arith.andi %next, %c63 : index
    kernel.barrier
    %w = memref.load %tile[%wrapped] : memref<64xf32, #gpu.address_space<workgroup>>
    %s = arith.addf %v, %w : f32
    memref.store %s, %a[%t] : memref<64xf32>
    kernel.return
  }
}

// -----

// CHECK-LABEL: module @loop
// CHECK: func.func @steps
// CHECK: %[[TILE:.*]] = memref.alloca() {alignment = 4 : i64} : memref<256xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// The loop bound, loaded in a phase, is kept per thread.
// CHECK: %[[BOUNDS:.*]] = memref.alloca(%[[N:.*]]) : memref<?xindex>
// The iter_arg: a 4-byte private variable per thread.
// CHECK: %[[BYTES:.*]] = arith.muli %[[N]], %{{.*}} : index
// CHECK: %[[VARS:.*]] = memref.alloca(%[[BYTES]]) {alignment = 4 : i64} : memref<?xi8>
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[BOUNDS]][%{{.*}}] : memref<?xindex>
// CHECK: %[[VAR0:.*]] = memref.view %[[VARS]][%{{.*}}][] : memref<?xi8> to memref<1xf32>
// CHECK: memref.store %{{.*}}, %[[VAR0]][%[[C0]]] : memref<1xf32>
// CHECK: } {kernel.cpu_phase = 0 : i64}
// Thread 0's copy of the bound drives the loop around the next phases.
// CHECK: %[[BOUND:.*]] = memref.load %[[BOUNDS]][%[[C0]]] : memref<?xindex>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[BOUND]] step %{{.*}} {
// CHECK: memref.store %{{.*}}, %[[TILE]]
// CHECK: } {kernel.cpu_phase = 1 : i64}
// CHECK: memref.load %[[TILE]][%[[I]]] : memref<256xf32>
// CHECK: %[[VAR:.*]] = memref.view %[[VARS]]
// CHECK: memref.load %[[VAR]][%[[C0]]] : memref<1xf32>
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[C0]]] : memref<1xf32>
// CHECK: } {kernel.cpu_phase = 2 : i64}
// CHECK-NEXT: }
// After the loop: the variable's last value.
// CHECK: memref.view %[[VARS]]
// CHECK: memref.load
// CHECK: } {kernel.cpu_phase = 3 : i64}

// Barriers in a loop with uniform bounds: the loop runs once around its
// phases, its iter_arg is a per-thread variable; a loop bound loaded in a
// phase is thread 0's copy.
kernel.module @loop {
  kernel.func @steps(%a: memref<256xf32>, %count: memref<1xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %zero = arith.constant 0.0 : f32
    %tile = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    %n32 = memref.load %count[%c0] : memref<1xi32>
    %n = arith.index_cast %n32 : i32 to index
    %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
      %x = memref.load %a[%t] : memref<256xf32>
      memref.store %x, %tile[%t] : memref<256xf32, #gpu.address_space<workgroup>>
      kernel.barrier
      %y = memref.load %tile[%i] : memref<256xf32, #gpu.address_space<workgroup>>
      %acc2 = arith.addf %acc, %y : f32
      kernel.barrier
      scf.yield %acc2 : f32
    }
    memref.store %sum, %a[%t] : memref<256xf32>
    kernel.return
  }
}

// -----

// CHECK-LABEL: module @warp
// CHECK: func.func @lane_sum
// CHECK: %[[LANES:.*]] = memref.alloca(%[[N:.*]]) : memref<?xi32>
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// Phase 0, under the condition: the value goes to its lane's slot.
// CHECK: scf.for %{{.*}} =
// CHECK: scf.for %{{.*}} =
// CHECK: scf.for %[[X0:.*]] =
// CHECK: %[[C0:.*]] = arith.cmpi ult, %[[X0]], %[[C32]] : index
// CHECK-NEXT: scf.if %[[C0]] {
// CHECK: %[[V:.*]] = memref.load
// CHECK: memref.store %[[V]], %[[LANES]][%{{.*}}] : memref<?xi32>
// CHECK: } {kernel.cpu_phase = 0 : i64}
// Phase 1: lane + 1 within the 32-lane group when it exists, else its own.
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %[[X1:.*]] =
// CHECK: %[[C1:.*]] = arith.cmpi ult, %[[X1]], %[[C32]] : index
// CHECK-NEXT: scf.if %[[C1]] {
// CHECK: %[[LANE:.*]] = arith.remui %[[SELF:.*]], %{{.*}} : index
// CHECK: %[[SRC:.*]] = arith.addi %[[LANE]], %{{.*}} : index
// CHECK: arith.cmpi ult, %[[SRC]], %{{.*}} : index
// CHECK: %[[OK:.*]] = arith.andi
// CHECK: %[[AT:.*]] = arith.select %[[OK]], %{{.*}}, %[[SELF]] : index
// CHECK: %[[R:.*]] = memref.load %[[LANES]][%[[AT]]] : memref<?xi32>
// CHECK: %[[V1:.*]] = memref.load %[[LANES]][%{{.*}}] : memref<?xi32>
// CHECK: arith.addi %[[V1]], %[[R]] : i32
// CHECK: } {kernel.cpu_phase = 1 : i64}

// Shuffles: each ends a phase; inside a thread-dependent scf.if the parts
// run under the condition.
kernel.module @warp {
  kernel.func @lane_sum(%a: memref<?xi32>) kind reduce target cpu workgroup(64, 1, 1) {
    %c32 = arith.constant 32 : index
    %o1 = arith.constant 1 : i32
    %t = kernel.thread_id x
    %first = arith.cmpi ult, %t, %c32 : index
    scf.if %first {
      %v = memref.load %a[%t] : memref<?xi32>
      %r, %ok = kernel.shuffle down %v, %o1 width 32 : i32
      %s = arith.addi %v, %r : i32
      memref.store %s, %a[%t] : memref<?xi32>
    }
    kernel.return
  }
}

// -----

// CHECK-LABEL: module @prims
// Device functions are internal and take wg and the thread ids.
// CHECK: func.func private @twice(%{{.*}}: f32, %[[DWG:.*]]: !llvm.ptr, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index) -> f32 attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK: llvm.getelementptr %[[DWG]][32]
// CHECK: func.func @prims(%{{.*}}: !llvm.ptr, %[[WG:.*]]: !llvm.ptr)
// Dynamic shared memory: wg->shared (offset 40), wg->shared_bytes long.
// CHECK: llvm.getelementptr %[[WG]][36]
// CHECK: llvm.getelementptr %[[WG]][40]
// CHECK: to memref<?xi8>
// CHECK: %[[TILE:.*]] = memref.alloca() {alignment = 4 : i64} : memref<16xf32>
// CHECK: scf.for %[[Z:.*]] =
// CHECK: scf.for %[[Y:.*]] =
// CHECK: scf.for %[[X:.*]] =
// The async copy is done at once.
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[TILE]]
// CHECK: func.call @twice(%{{.*}}, %[[WG]], %[[X]], %[[Y]], %[[Z]])
// CHECK: memref.atomic_rmw addf
// CHECK: memref.generic_atomic_rmw
// CHECK: arith.cmpi uge
// CHECK: memref.generic_atomic_rmw
// CHECK: arith.cmpi eq
// CHECK: llvm.fence syncscope("singlethread") acq_rel
// CHECK-NEXT: llvm.fence acq_rel
// CHECK-NOT: {{^ *(%.* = )?}}kernel.

// Atomics, fences, dynamic shared memory, async copies and device calls.
kernel.module @prims {
  kernel.func @twice(%x: f32) -> f32 device kind custom target cpu {
    %t = kernel.thread_id y
    %b = kernel.block_id z
    %y = arith.addf %x, %x : f32
    kernel.return %y : f32
  }
  kernel.func @prims(%a: memref<16xf32>, %h: memref<16xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1_i32 = arith.constant 1 : i32
    %smem = kernel.dynamic_shared : memref<?xi8, #gpu.address_space<workgroup>>
    %tile = kernel.shared_alloc : memref<16xf32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    kernel.async_copy %a[%t] -> %tile[%t], 1 : memref<16xf32> -> memref<16xf32, #gpu.address_space<workgroup>>
    kernel.async_commit
    kernel.async_wait 0
    %v = memref.load %tile[%t] : memref<16xf32, #gpu.address_space<workgroup>>
    %w = kernel.call @twice(%v) : (f32) -> f32
    %old = kernel.atomic add device %a[%c0], %w : memref<16xf32>
    %o2 = kernel.atomic inc device %h[%t], %c1_i32 : memref<16xi32>
    %o3 = kernel.atomic_cas block %h[%c0], %o2, %c1_i32 : memref<16xi32>
    kernel.fence block
    kernel.fence system
    kernel.return
  }
}

// -----

// CHECK-LABEL: kernel.module @cuda
// CHECK: kernel.func @k

// Without any-target, kernels for other targets are left alone.
kernel.module @cuda {
  kernel.func @k(%a: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}
