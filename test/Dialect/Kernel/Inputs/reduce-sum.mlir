// reduce-sum: out[0] = sum of in[0..n), with shared memory and warp shuffles.
//
// Sample program of the kernel dialect (see test/Dialect/Kernel/samples.test);
// lowering and runtime tests reuse it. Each thread sums a grid-stride slice,
// the workgroup halves its 256 partial sums in shared memory down to 64, the
// first warp adds those 64 (each lane 64 / warp size of them) and finishes
// with xor shuffles, and lane 0 adds the workgroup's sum to the result
// atomically.
//
// The warp size is kernel.warp_size: 32 on CUDA and the CPU backend (the
// loops and steps that depend on it fold when compiled), the subgroup size on
// Vulkan (8 on lavapipe). The shuffles have no `width`, so they cover the
// whole warp whatever its size (up to 128 lanes here). As GPU reductions
// commonly do, the warp step assumes that threads 0 .. warp_size-1 of the
// 1-D workgroup form one warp, which CUDA defines and Vulkan drivers
// (lavapipe included) do although the Vulkan specification does not
// promise it.

kernel.module @reduce_kernels {
  kernel.func @reduce_sum(%in: memref<?xf32>, %out: memref<1xf32>, %n: index)
      kind reduce target cuda sm_90 ptx 80 workgroup(256, 1, 1)
      launch_bounds(256) shared 1024 hints(coalesced) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c8 = arith.constant 8 : index
    %c16 = arith.constant 16 : index
    %c32 = arith.constant 32 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %zero = arith.constant 0.0 : f32
    %partials = kernel.shared_alloc align 16 : memref<256xf32, #gpu.address_space<workgroup>>

    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %gdim = kernel.grid_dim x
    %ws = kernel.warp_size
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

    // 256 -> 128 -> 64 partial sums.
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

    // The first warp: lane t adds partials t, t + warp size, ... below 64,
    // then xor shuffles with offsets warp size / 2 .. 1 (the offsets not
    // below the warp size are skipped).
    %inwarp = arith.cmpi ult, %tid, %ws : index
    scf.if %inwarp {
      %v0 = scf.for %j = %c0 to %c64 step %ws iter_args(%acc = %zero) -> (f32) {
        // tid + j < tid + 64 < 256: in bounds; only values below 64 count
        // (a warp of more than 64 lanes has lanes past them).
        %k = arith.addi %tid, %j : index
        %p = memref.load %partials[%k] : memref<256xf32, #gpu.address_space<workgroup>>
        %below = arith.cmpi ult, %k, %c64 : index
        %q = arith.select %below, %p, %zero : f32
        %s = arith.addf %acc, %q : f32
        scf.yield %s : f32
      }
      %o64 = arith.constant 64 : i32
      %do64 = arith.cmpi ult, %c64, %ws : index
      %v1 = scf.if %do64 -> (f32) {
        %r, %ok = kernel.shuffle xor %v0, %o64 : f32
        %s = arith.addf %v0, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v0 : f32
      }
      %o32 = arith.constant 32 : i32
      %do32 = arith.cmpi ult, %c32, %ws : index
      %v2 = scf.if %do32 -> (f32) {
        %r, %ok = kernel.shuffle xor %v1, %o32 : f32
        %s = arith.addf %v1, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v1 : f32
      }
      %o16 = arith.constant 16 : i32
      %do16 = arith.cmpi ult, %c16, %ws : index
      %v3 = scf.if %do16 -> (f32) {
        %r, %ok = kernel.shuffle xor %v2, %o16 : f32
        %s = arith.addf %v2, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v2 : f32
      }
      %o8 = arith.constant 8 : i32
      %do8 = arith.cmpi ult, %c8, %ws : index
      %v4 = scf.if %do8 -> (f32) {
        %r, %ok = kernel.shuffle xor %v3, %o8 : f32
        %s = arith.addf %v3, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v3 : f32
      }
      %o4 = arith.constant 4 : i32
      %do4 = arith.cmpi ult, %c4, %ws : index
      %v5 = scf.if %do4 -> (f32) {
        %r, %ok = kernel.shuffle xor %v4, %o4 : f32
        %s = arith.addf %v4, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v4 : f32
      }
      %o2 = arith.constant 2 : i32
      %do2 = arith.cmpi ult, %c2, %ws : index
      %v6 = scf.if %do2 -> (f32) {
        %r, %ok = kernel.shuffle xor %v5, %o2 : f32
        %s = arith.addf %v5, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v5 : f32
      }
      %o1 = arith.constant 1 : i32
      %do1 = arith.cmpi ult, %c1, %ws : index
      %v7 = scf.if %do1 -> (f32) {
        %r, %ok = kernel.shuffle xor %v6, %o1 : f32
        %s = arith.addf %v6, %r : f32
        scf.yield %s : f32
      } else {
        scf.yield %v6 : f32
      }

      %first = arith.cmpi eq, %tid, %c0 : index
      scf.if %first {
        %old = kernel.atomic add device %out[%c0], %v7 : memref<1xf32>
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
