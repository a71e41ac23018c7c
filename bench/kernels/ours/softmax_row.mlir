// softmax_row: y[r, :] = softmax(x[r, :]) for a row-major matrix with n
// columns, one 256-thread workgroup per row.
//
// The kernel-dialect row softmax of bench/kernels/run.py (the samples have
// none). Each thread takes a workgroup-stride slice of the row; the row
// maximum and then the sum of exp(x - max) are each combined by a
// shared-memory tree (128, 64, ..., 1 with a barrier per level); a final pass
// writes exp(x - max) / sum. Grid = rows. Counterparts:
// ../cuda/softmax_row.cu, ../glsl/softmax_row.comp.

kernel.module @softmax_kernels {
  kernel.func @softmax_row(%x: memref<?xf32>, %y: memref<?xf32>, %n: index)
      kind custom target cuda sm_90 ptx 80 workgroup(256, 1, 1)
      launch_bounds(256) shared 1024 hints(coalesced) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c128 = arith.constant 128 : index
    %zero = arith.constant 0.0 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %red = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>

    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %step = kernel.block_dim x
    %base = arith.muli %bid, %n : index

    // The row maximum.
    %mine = scf.for %jj = %tid to %n step %step iter_args(%m = %ninf) -> (f32) {
      %j = arith.addi %base, %jj : index
      %v = memref.load %x[%j] : memref<?xf32>
      %m2 = arith.maxnumf %m, %v : f32
      scf.yield %m2 : f32
    }
    memref.store %mine, %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
    kernel.barrier
    scf.for %level = %c0 to %c8 step %c1 {
      %s = arith.shrui %c128, %level : index
      %active = arith.cmpi ult, %tid, %s : index
      scf.if %active {
        %k = arith.addi %tid, %s : index
        %p = memref.load %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
        %q = memref.load %red[%k] : memref<256xf32, #gpu.address_space<workgroup>>
        %r = arith.maxnumf %p, %q : f32
        memref.store %r, %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      }
      kernel.barrier
    }
    %max = memref.load %red[%c0] : memref<256xf32, #gpu.address_space<workgroup>>
    // Everybody has read the maximum before red is reused.
    kernel.barrier

    // The sum of exp(x - max).
    %part = scf.for %jj = %tid to %n step %step iter_args(%acc = %zero) -> (f32) {
      %j = arith.addi %base, %jj : index
      %v = memref.load %x[%j] : memref<?xf32>
      %d = arith.subf %v, %max : f32
      %e = math.exp %d : f32
      %acc2 = arith.addf %acc, %e : f32
      scf.yield %acc2 : f32
    }
    memref.store %part, %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
    kernel.barrier
    scf.for %level = %c0 to %c8 step %c1 {
      %s = arith.shrui %c128, %level : index
      %active = arith.cmpi ult, %tid, %s : index
      scf.if %active {
        %k = arith.addi %tid, %s : index
        %p = memref.load %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
        %q = memref.load %red[%k] : memref<256xf32, #gpu.address_space<workgroup>>
        %r = arith.addf %p, %q : f32
        memref.store %r, %red[%tid] : memref<256xf32, #gpu.address_space<workgroup>>
      }
      kernel.barrier
    }
    %sum = memref.load %red[%c0] : memref<256xf32, #gpu.address_space<workgroup>>

    scf.for %jj = %tid to %n step %step {
      %j = arith.addi %base, %jj : index
      %v = memref.load %x[%j] : memref<?xf32>
      %d = arith.subf %v, %max : f32
      %e = math.exp %d : f32
      %r = arith.divf %e, %sum : f32
      memref.store %r, %y[%j] : memref<?xf32>
    }
    kernel.return
  }
}
