// Two kernels of one kernel.module, and a second kernel.module: t = 2 * x
// (@double), then y = t + x (@add_into) and y = y + 1 (@plus_one, the other
// module). An intermediate device buffer never leaves the device; one device
// buffer is copied to another (kernel.copy device to device). With x = iota:
// y[i] = 3i + 1, z = t = 2i.

kernel.module @ew_kernels {
  kernel.func @double(%x: memref<?xf32>, %t: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %v = memref.load %x[%i] : memref<?xf32>
      %d = arith.addf %v, %v : f32
      memref.store %d, %t[%i] : memref<?xf32>
    }
    kernel.return
  }
  kernel.func @add_into(%t: memref<?xf32>, %x: memref<?xf32>, %y: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %a = memref.load %t[%i] : memref<?xf32>
      %b = memref.load %x[%i] : memref<?xf32>
      %s = arith.addf %a, %b : f32
      memref.store %s, %y[%i] : memref<?xf32>
    }
    kernel.return
  }
}

kernel.module @inc_kernels {
  kernel.func @plus_one(%y: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %one = arith.constant 1.0 : f32
      %a = memref.load %y[%i] : memref<?xf32>
      %s = arith.addf %a, %one : f32
      memref.store %s, %y[%i] : memref<?xf32>
    }
    kernel.return
  }
}

func.func @two_kernels(%hx: memref<?xf32>, %hy: memref<?xf32>, %hz: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %hx, %c0 : memref<?xf32>
  %blocks = arith.ceildivui %n, %c64 : index
  %x = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %t = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %z = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.copy %hx to %x : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  kernel.launch @ew_kernels::@double grid(%blocks, %c1, %c1) block(%c64, %c1, %c1)
      args(%x, %t, %n : memref<?xf32, #gpu.address_space<global>>,
           memref<?xf32, #gpu.address_space<global>>, index)
  kernel.launch @ew_kernels::@add_into grid(%blocks, %c1, %c1) block(%c64, %c1, %c1)
      args(%t, %x, %y, %n : memref<?xf32, #gpu.address_space<global>>,
           memref<?xf32, #gpu.address_space<global>>,
           memref<?xf32, #gpu.address_space<global>>, index)
  kernel.copy %t to %z : memref<?xf32, #gpu.address_space<global>> to memref<?xf32, #gpu.address_space<global>>
  kernel.launch @inc_kernels::@plus_one grid(%blocks, %c1, %c1) block(%c64, %c1, %c1)
      args(%y, %n : memref<?xf32, #gpu.address_space<global>>, index)
  kernel.copy %y to %hy : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
  kernel.copy %z to %hz : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
  kernel.free %x : memref<?xf32, #gpu.address_space<global>>
  kernel.free %t : memref<?xf32, #gpu.address_space<global>>
  kernel.free %y : memref<?xf32, #gpu.address_space<global>>
  kernel.free %z : memref<?xf32, #gpu.address_space<global>>
  return
}
