// Input of spirv.test: the tiled matmul sample with static 64x64 matrices
// (the SPIR-V lowering needs static strides for 2-D memrefs).
kernel.module @matmul_kernels {
  kernel.func @matmul_tiled(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %C: memref<64x64xf32>,
                            %M: index, %N: index, %K: index)
      kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1)
      launch_bounds(256) shared 2048 hints(unroll = 4) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c15 = arith.constant 15 : index
    %c16 = arith.constant 16 : index
    %zero = arith.constant 0.0 : f32
    %As = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>
    %Bs = kernel.shared_alloc : memref<16x16xf32, #gpu.address_space<workgroup>>

    %tx = kernel.thread_id x
    %ty = kernel.thread_id y
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %rowBase = arith.muli %by, %c16 : index
    %row = arith.addi %rowBase, %ty : index
    %colBase = arith.muli %bx, %c16 : index
    %col = arith.addi %colBase, %tx : index
    %rowIn = arith.cmpi ult, %row, %M : index
    %colIn = arith.cmpi ult, %col, %N : index

    %kRounded = arith.addi %K, %c15 : index
    %tiles = arith.divui %kRounded, %c16 : index
    %acc = scf.for %t = %c0 to %tiles step %c1 iter_args(%sum = %zero) -> (f32) {
      %kBase = arith.muli %t, %c16 : index
      // A[row, kBase + tx] -> As[ty, tx]
      %aCol = arith.addi %kBase, %tx : index
      %aColIn = arith.cmpi ult, %aCol, %K : index
      %aIn = arith.andi %rowIn, %aColIn : i1
      %a = scf.if %aIn -> (f32) {
        %v = memref.load %A[%row, %aCol] : memref<64x64xf32>
        scf.yield %v : f32
      } else {
        scf.yield %zero : f32
      }
      memref.store %a, %As[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      // B[kBase + ty, col] -> Bs[ty, tx]
      %bRow = arith.addi %kBase, %ty : index
      %bRowIn = arith.cmpi ult, %bRow, %K : index
      %bIn = arith.andi %bRowIn, %colIn : i1
      %b = scf.if %bIn -> (f32) {
        %v = memref.load %B[%bRow, %col] : memref<64x64xf32>
        scf.yield %v : f32
      } else {
        scf.yield %zero : f32
      }
      memref.store %b, %Bs[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      kernel.barrier
      %next = scf.for %k = %c0 to %c16 step %c1 iter_args(%s = %sum) -> (f32) {
        %x = memref.load %As[%ty, %k] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %y = memref.load %Bs[%k, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %s2 = math.fma %x, %y, %s : f32
        scf.yield %s2 : f32
      }
      // Nobody overwrites a tile another thread still reads.
      kernel.barrier
      scf.yield %next : f32
    }
    %inside = arith.andi %rowIn, %colIn : i1
    scf.if %inside {
      memref.store %acc, %C[%row, %col] : memref<64x64xf32>
    }
    kernel.return
  }
}

