// A host function whose arguments are a float scalar and a device buffer
// (as kernel-lower-structured and kernel-fuse produce them): gpuinit-run
// uploads the buffer before the run and reads it back to print it.
// x[i] = a * x[i] + 1, twice.

kernel.module @scale_kernels {
  kernel.func @scale(%x: memref<?xf32>, %a: f32, %n: index)
      kind elementwise target cpu workgroup(32, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %one = arith.constant 1.0 : f32
      %v = memref.load %x[%i] : memref<?xf32>
      %p = arith.mulf %a, %v : f32
      %s = arith.addf %p, %one : f32
      memref.store %s, %x[%i] : memref<?xf32>
    }
    kernel.return
  }
}

func.func @scale_twice(%a: f32, %x: memref<?xf32, #gpu.address_space<global>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %n = memref.dim %x, %c0 : memref<?xf32, #gpu.address_space<global>>
  %blocks = arith.ceildivui %n, %c32 : index
  scf.for %r = %c0 to %c2 step %c1 {
    kernel.launch @scale_kernels::@scale grid(%blocks, %c1, %c1) block(%c32, %c1, %c1)
        args(%x, %a, %n : memref<?xf32, #gpu.address_space<global>>, f32, index)
  }
  return
}
