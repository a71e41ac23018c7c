// vecadd: c[i] = a[i] + b[i] for i < n, one thread per element.
//
// Sample program of the kernel dialect (see test/Dialect/Kernel/samples.test);
// lowering and runtime tests reuse it. @vecadd takes host buffers of one
// length, runs the kernel on the device and writes the sum into %hc.

kernel.module @vecadd_kernels {
  kernel.func @vecadd(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>, %n: index)
      kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1)
      launch_bounds(256) hints(coalesced) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %x = memref.load %a[%i] : memref<?xf32>
      %y = memref.load %b[%i] : memref<?xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %c[%i] : memref<?xf32>
    }
    kernel.return
  }
}

func.func @vecadd(%ha: memref<?xf32>, %hb: memref<?xf32>, %hc: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c255 = arith.constant 255 : index
  %c256 = arith.constant 256 : index
  %n = memref.dim %ha, %c0 : memref<?xf32>
  %a = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %b = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  %c = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.copy %ha to %a : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  kernel.copy %hb to %b : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  %rounded = arith.addi %n, %c255 : index
  %blocks = arith.divui %rounded, %c256 : index
  kernel.launch @vecadd_kernels::@vecadd grid(%blocks, %c1, %c1) block(%c256, %c1, %c1)
      args(%a, %b, %c, %n : memref<?xf32, #gpu.address_space<global>>,
           memref<?xf32, #gpu.address_space<global>>,
           memref<?xf32, #gpu.address_space<global>>, index)
  // Ordered after the launch; returns when the data is on the host.
  kernel.copy %c to %hc : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
  kernel.free %a : memref<?xf32, #gpu.address_space<global>>
  kernel.free %b : memref<?xf32, #gpu.address_space<global>>
  kernel.free %c : memref<?xf32, #gpu.address_space<global>>
  return
}
