// structured: saxpy, row sums and a matmul as structured ops (one launch each).
//
// Sample program of the kernel dialect (see test/Dialect/Kernel/samples.test);
// the pass that expands structured ops into explicit kernels and kernel-fuse
// reuse it. All operands are device buffers.

// y = alpha * x + y
func.func @saxpy(%alpha: f32, %x: memref<?xf32, #gpu.address_space<global>>,
                 %y: memref<?xf32, #gpu.address_space<global>>) {
  kernel.elementwise ins(%alpha, %x, %y : f32, memref<?xf32, #gpu.address_space<global>>,
                                         memref<?xf32, #gpu.address_space<global>>)
                     outs(%y : memref<?xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32, %xi: f32, %yi: f32):
    %ax = arith.mulf %a, %xi : f32
    %r = arith.addf %ax, %yi : f32
    kernel.yield %r : f32
  }
  return
}

// sums[i] = sum_j m[i, j]
func.func @row_sums(%m: memref<?x?xf32, #gpu.address_space<global>>,
                    %sums: memref<?xf32, #gpu.address_space<global>>) {
  %zero = arith.constant 0.0 : f32
  kernel.reduce ins(%m : memref<?x?xf32, #gpu.address_space<global>>)
                outs(%sums : memref<?xf32, #gpu.address_space<global>>) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  return
}

// c = relu(a * b): a matmul and an elementwise epilogue kernel-fuse can merge.
func.func @matmul_relu(%a: memref<128x64xf32, #gpu.address_space<global>>,
                       %b: memref<64x256xf32, #gpu.address_space<global>>,
                       %c: memref<128x256xf32, #gpu.address_space<global>>) {
  %t = kernel.alloc : memref<128x256xf32, #gpu.address_space<global>>
  kernel.matmul ins(%a, %b : memref<128x64xf32, #gpu.address_space<global>>,
                             memref<64x256xf32, #gpu.address_space<global>>)
                outs(%t : memref<128x256xf32, #gpu.address_space<global>>)
  kernel.elementwise ins(%t : memref<128x256xf32, #gpu.address_space<global>>)
                     outs(%c : memref<128x256xf32, #gpu.address_space<global>>) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : memref<128x256xf32, #gpu.address_space<global>>
  return
}
