// mma_matmul: C += A * B for 512x512 row-major matrices, A and B f16, C f32,
// with tensor cores (WMMA m16n16k16, f32 accumulator).
//
// CUDA C counterpart of bench/kernels/ours/mma_matmul.mlir for
// bench/kernels/run.py: a block of 4 warps (32x4 threads) covers a 64x16 strip
// of C, warp y computing the 16x16 tile at rows (4 * blockIdx.y + y) * 16,
// columns blockIdx.x * 16: it loads that tile of C as the accumulator,
// multiply-accumulates the 32 A/B tile pairs along K, and stores it back.
// The sizes (the fragments' strides) are compile-time constants, as in the
// kernel-dialect version. Launch: block 32x4, grid 32x8; C starts at 0 for a
// plain product. Needs sm_70 or newer.
#include <cuda_fp16.h>
#include <mma.h>

using namespace nvcuda;

extern "C" __global__ void __launch_bounds__(128)
mma_matmul(const half *A, const half *B, float *C) {
  constexpr size_t N = 512, K = 512;
  size_t tileRow = ((size_t)blockIdx.y * 4 + threadIdx.y) * 16;
  size_t tileCol = (size_t)blockIdx.x * 16;

  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
  wmma::load_matrix_sync(acc, C + tileRow * N + tileCol, N, wmma::mem_row_major);
  for (size_t k = 0; k < K; k += 16) {
    wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> a;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::row_major> b;
    wmma::load_matrix_sync(a, A + tileRow * K + k, K);
    wmma::load_matrix_sync(b, B + k * N + tileCol, N);
    wmma::mma_sync(acc, a, b, acc);
  }
  wmma::store_matrix_sync(C + tileRow * N + tileCol, acc, N, wmma::mem_row_major);
}
