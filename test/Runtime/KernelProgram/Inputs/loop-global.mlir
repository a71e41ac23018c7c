// A host program that carries its own input and launches in a loop: x comes
// from a dense memref.global, the host loops k = 1..5 and launches
// y += k * x for every k but 3 (scf.for + scf.if over launches, a scalar
// argument that changes between launches), then reads y back and sums it on
// the host (memref.load in an scf.for with iter_args, memref.store of the
// sum). With y = iota(8) on entry: y[i] = i + 12 * (i + 1), sum = 460.

kernel.module @axpy_kernels {
  kernel.func @axpy(%x: memref<?xf32>, %y: memref<?xf32>, %k: i32, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(4, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %kf = arith.sitofp %k : i32 to f32
      %xi = memref.load %x[%i] : memref<?xf32>
      %yi = memref.load %y[%i] : memref<?xf32>
      %p = arith.mulf %kf, %xi : f32
      %s = arith.addf %yi, %p : f32
      memref.store %s, %y[%i] : memref<?xf32>
    }
    kernel.return
  }
}

memref.global "private" constant @x_init : memref<8xf32> =
    dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>

func.func @main(%hy: memref<?xf32>, %hsum: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %k3 = arith.constant 3 : i32
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %hy, %c0 : memref<?xf32>
  %hx8 = memref.get_global @x_init : memref<8xf32>
  %hx = memref.cast %hx8 : memref<8xf32> to memref<?xf32>
  %x = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.copy %hx to %x : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  kernel.copy %hy to %y : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  %blocks = arith.ceildivui %n, %c4 : index
  scf.for %k = %c1 to %c6 step %c1 {
    %ki = arith.index_cast %k : index to i32
    %skip = arith.cmpi eq, %ki, %k3 : i32
    scf.if %skip {
    } else {
      kernel.launch @axpy_kernels::@axpy grid(%blocks, %c1, %c1) block(%c4, %c1, %c1)
          args(%x, %y, %ki, %n : memref<?xf32, #gpu.address_space<global>>,
               memref<?xf32, #gpu.address_space<global>>, i32, index)
    }
  }
  kernel.wait
  kernel.copy %y to %hy : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
  kernel.free %x : memref<?xf32, #gpu.address_space<global>>
  kernel.free %y : memref<?xf32, #gpu.address_space<global>>
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %hy[%i] : memref<?xf32>
    %next = arith.addf %acc, %v : f32
    scf.yield %next : f32
  }
  memref.store %sum, %hsum[%c0] : memref<1xf32>
  return
}
