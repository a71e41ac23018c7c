// saxpy: y[i] = alpha * x[i] + y[i] for i < n, one thread per element.
//
// The kernel-dialect saxpy of bench/kernels/run.py (the samples have saxpy
// only as a structured kernel.elementwise): the explicit kernel a frontend
// writes, shaped like test/Dialect/Kernel/Inputs/vecadd.mlir. 256 threads per
// workgroup, grid ceil(n / 256). Counterparts: ../cuda/saxpy.cu,
// ../glsl/saxpy.comp.

kernel.module @saxpy_kernels {
  kernel.func @saxpy(%x: memref<?xf32>, %y: memref<?xf32>, %alpha: f32, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1)
      launch_bounds(256) hints(coalesced) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %xi = memref.load %x[%i] : memref<?xf32>
      %yi = memref.load %y[%i] : memref<?xf32>
      %ax = arith.mulf %alpha, %xi : f32
      %r = arith.addf %ax, %yi : f32
      memref.store %r, %y[%i] : memref<?xf32>
    }
    kernel.return
  }
}
