// reduce-sum: out[0] = sum of in[0..n), with shared memory and warp shuffles.
//
// Sample program of the kernel dialect (see test/Dialect/Kernel/samples.test);
// lowering and runtime tests reuse it. Each thread sums a grid-stride slice,
// the workgroup halves its 256 partial sums in shared memory down to 32, the
// first warp finishes with xor shuffles (32 lanes wide), and lane 0 adds the
// workgroup's sum to the result atomically.

kernel.module @reduce_kernels {
  kernel.func @reduce_sum(%in: memref<?xf32>, %out: memref<1xf32>, %n: index)
      kind reduce target cuda sm_90 ptx 80 workgroup(256, 1, 1)
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

    // 256 -> 128 -> 64 -> 32 partial sums.
    %lt128 = arith.cmpi ult, %tid, %c128 : index
    scf.if %lt128 {
      %j = arith.addi %tid, %c128 : index
      %p = memref.load %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      %q = memref.load %partials[%j] : memref<256xf32, #gpu.address_space<workgroup>>
      %s = arith.addf %p, %q : f32
      memref.store %s, %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
    }
    kernel.barrier
    %lt64 = arith.cmpi ult, %tid, %c64 : index
    scf.if %lt64 {
      %j = arith.addi %tid, %c64 : index
      %p = memref.load %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      %q = memref.load %partials[%j] : memref<256xf32, #gpu.address_space<workgroup>>
      %s = arith.addf %p, %q : f32
      memref.store %s, %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
    }
    kernel.barrier
    %lt32 = arith.cmpi ult, %tid, %c32 : index
    scf.if %lt32 {
      %j = arith.addi %tid, %c32 : index
      %p = memref.load %partials[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      %q = memref.load %partials[%j] : memref<256xf32, #gpu.address_space<workgroup>>
      %v0 = arith.addf %p, %q : f32

      // The first warp: 32 -> 1 with xor shuffles.
      %o16 = arith.constant 16 : i32
      %o8 = arith.constant 8 : i32
      %o4 = arith.constant 4 : i32
      %o2 = arith.constant 2 : i32
      %o1 = arith.constant 1 : i32
      %r1, %ok1 = kernel.shuffle xor %v0, %o16 width 32 : f32
      %v1 = arith.addf %v0, %r1 : f32
      %r2, %ok2 = kernel.shuffle xor %v1, %o8 width 32 : f32
      %v2 = arith.addf %v1, %r2 : f32
      %r3, %ok3 = kernel.shuffle xor %v2, %o4 width 32 : f32
      %v3 = arith.addf %v2, %r3 : f32
      %r4, %ok4 = kernel.shuffle xor %v3, %o2 width 32 : f32
      %v4 = arith.addf %v3, %r4 : f32
      %r5, %ok5 = kernel.shuffle xor %v4, %o1 width 32 : f32
      %total = arith.addf %v4, %r5 : f32

      %first = arith.cmpi eq, %tid, %c0 : index
      scf.if %first {
        %old = kernel.atomic add device %out[%c0], %total : memref<1xf32>
      }
    }
    kernel.return
  }
}

func.func @reduce_sum(%hin: memref<?xf32>, %hout: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c255 = arith.constant 255 : index
  %c256 = arith.constant 256 : index
  %c1024 = arith.constant 1024 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %hin, %c0 : memref<?xf32>
  %in = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %out = kernel.alloc : memref<1xf32, #gpu.address_space<global>>
  kernel.copy %hin to %in : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  // The atomics add into the result: start it at 0.
  %init = memref.alloc() : memref<1xf32>
  memref.store %zero, %init[%c0] : memref<1xf32>
  kernel.copy %init to %out : memref<1xf32> to memref<1xf32, #gpu.address_space<global>>
  memref.dealloc %init : memref<1xf32>
  // At most 1024 workgroups; the grid-stride loop covers the rest.
  %rounded = arith.addi %n, %c255 : index
  %needed = arith.divui %rounded, %c256 : index
  %blocks0 = arith.minui %needed, %c1024 : index
  %blocks = arith.maxui %blocks0, %c1 : index
  kernel.launch @reduce_kernels::@reduce_sum grid(%blocks, %c1, %c1) block(%c256, %c1, %c1)
      args(%in, %out, %n : memref<?xf32, #gpu.address_space<global>>,
           memref<1xf32, #gpu.address_space<global>>, index)
  kernel.wait
  kernel.copy %out to %hout : memref<1xf32, #gpu.address_space<global>> to memref<1xf32>
  kernel.free %in : memref<?xf32, #gpu.address_space<global>>
  kernel.free %out : memref<1xf32, #gpu.address_space<global>>
  return
}
