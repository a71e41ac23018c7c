// The host half of a program around the tiled matmul of
// test/Target/Kernel/Inputs/matmul-static.mlir (64x64 matrices, static
// shapes, as the SPIR-V lowering needs): matmul.test appends it to that file.
// C = A * B with one 16x16 workgroup per 16x16 tile of C.

func.func @matmul(%hA: memref<64x64xf32>, %hB: memref<64x64xf32>, %hC: memref<64x64xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %A = kernel.alloc : memref<64x64xf32, #gpu.address_space<global>>
  %B = kernel.alloc : memref<64x64xf32, #gpu.address_space<global>>
  %C = kernel.alloc : memref<64x64xf32, #gpu.address_space<global>>
  kernel.copy %hA to %A : memref<64x64xf32> to memref<64x64xf32, #gpu.address_space<global>>
  kernel.copy %hB to %B : memref<64x64xf32> to memref<64x64xf32, #gpu.address_space<global>>
  kernel.launch @matmul_kernels::@matmul_tiled grid(%c4, %c4, %c1) block(%c16, %c16, %c1)
      args(%A, %B, %C, %c64, %c64, %c64 : memref<64x64xf32, #gpu.address_space<global>>,
           memref<64x64xf32, #gpu.address_space<global>>,
           memref<64x64xf32, #gpu.address_space<global>>, index, index, index)
  kernel.copy %C to %hC : memref<64x64xf32, #gpu.address_space<global>> to memref<64x64xf32>
  kernel.free %A : memref<64x64xf32, #gpu.address_space<global>>
  kernel.free %B : memref<64x64xf32, #gpu.address_space<global>>
  kernel.free %C : memref<64x64xf32, #gpu.address_space<global>>
  return
}
