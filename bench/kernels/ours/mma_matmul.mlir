// mma_matmul: C += A * B for 512x512 row-major matrices, A and B f16, C f32,
// with tensor-core fragments (m16n16k16, f32 accumulator). CUDA only.
//
// The kernel-dialect MMA matmul of bench/kernels/run.py (the samples have
// none). A workgroup of 4 warps (32x4 threads) covers a 64x16 strip of C:
// warp y computes the 16x16 tile at rows (4 * block_id.y + y) * 16, columns
// block_id.x * 16; it loads that tile of C as the accumulator (the dialect
// has no fragment fill, so C is the initial value: zero it for a plain
// product), multiply-accumulates the 32 A/B tile pairs along K and stores the
// result. Fragment strides are static, hence the static sizes. Grid 32x8.
// Counterpart: ../cuda/mma_matmul.cu (no GLSL version: no MMA on Vulkan).

kernel.module @mma_kernels {
  kernel.func @mma_matmul(%A: memref<512x512xf16>, %B: memref<512x512xf16>,
                          %C: memref<512x512xf32>)
      kind matmul target cuda sm_90 ptx 80 workgroup(32, 4, 1)
      launch_bounds(128) hints(tensor_cores) {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %c512 = arith.constant 512 : index
    %ty = kernel.thread_id y
    %bx = kernel.block_id x
    %by = kernel.block_id y
    %strip = arith.muli %by, %c4 : index
    %tileIdx = arith.addi %strip, %ty : index
    %row = arith.muli %tileIdx, %c16 : index
    %col = arith.muli %bx, %c16 : index

    %init = kernel.mma_load %C[%row, %col] stride 512
        : memref<512x512xf32> -> !kernel.fragment<c, m16n16k16, f32, row>
    %acc = scf.for %k = %c0 to %c512 step %c16 iter_args(%c = %init)
        -> (!kernel.fragment<c, m16n16k16, f32, row>) {
      %a = kernel.mma_load %A[%row, %k] stride 512
          : memref<512x512xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
      %b = kernel.mma_load %B[%k, %col] stride 512
          : memref<512x512xf16> -> !kernel.fragment<b, m16n16k16, f16, row>
      %d = kernel.mma_compute %a, %b, %c
          : !kernel.fragment<a, m16n16k16, f16, row>,
            !kernel.fragment<b, m16n16k16, f16, row>
            -> !kernel.fragment<c, m16n16k16, f32, row>
      scf.yield %d : !kernel.fragment<c, m16n16k16, f32, row>
    }
    kernel.mma_store %acc, %C[%row, %col] stride 512
        : !kernel.fragment<c, m16n16k16, f32, row>, memref<512x512xf32>
    kernel.return
  }
}
