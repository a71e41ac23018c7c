// reduce-blocks: the reduction sample for targets without float atomics
// (Vulkan): each 256-thread workgroup sums a grid-stride slice of `in`
// through a shared-memory tree and writes its partial sum to out[block];
// the host (here the checker) adds the partial sums.
kernel.module @reduce_kernels {
  kernel.func @reduce_blocks(%in: memref<?xf32>, %out: memref<?xf32>, %n: index)
      kind reduce target vulkan 1.1 workgroup(256, 1, 1)
      launch_bounds(256) shared 1024 hints(coalesced) {
    %c0 = arith.constant 0 : index
    %c32 = arith.constant 32 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %zero = arith.constant 0.0 : f32
    %partials = kernel.shared_alloc align 16 : memref<256xf32, #gpu.address_space<workgroup>>

    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %gdim = kernel.grid_dim x
    %base = arith.muli %bid, %bdim : index
    %start = arith.addi %base, %tid : index
    %stride = arith.muli %gdim, %bdim : index
    %mine = scf.for %i = %start to %n step %stride iter_args(%acc = %zero) -> (f32) {
      %x = memref.load %in[%i] : memref<?xf32>
      %next = arith.addf %acc, %x : f32
      scf.yield %next : f32
    }
    memref.store %mine, %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
    kernel.barrier

    // 256 -> 128 -> ... -> 1 partial sums, a barrier per level (no warp
    // shuffles: lavapipe's subgroups are not 32 lanes wide).
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    scf.for %level = %c0 to %c8 step %c1 {
      %s = arith.shrui %c128, %level : index
      %active = arith.cmpi ult, %tid, %s : index
      scf.if %active {
        %j = arith.addi %tid, %s : index
        %p = memref.load %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
        %q = memref.load %partials[%j] : memref<256xf32, #gpu.address_space<workgroup>>
        %sum = arith.addf %p, %q : f32
        memref.store %sum, %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      }
      kernel.barrier
    }
    %first = arith.cmpi eq, %tid, %c0 : index
    scf.if %first {
      %total = memref.load %partials[%c0] : memref<256xf32, #gpu.address_space<workgroup>>
      memref.store %total, %out[%bid] : memref<?xf32>
    }
    kernel.return
  }
}

