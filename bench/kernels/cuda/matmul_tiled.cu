// matmul_tiled: C = A * B (MxK times KxN, f32, row-major), 16x16 tiles
// through shared memory.
//
// CUDA C counterpart of test/Dialect/Kernel/Inputs/matmul-tiled.mlir for
// bench/kernels/run.py: a 16x16 block computes one 16x16 tile of C; for
// every 16-wide step along K it stages a tile of A and a tile of B in shared
// memory (zero outside the matrices), synchronizes, accumulates with fma
// (the inner loop unrolled 4 times, the sample's `hints(unroll = 4)`) and
// synchronizes again. Launch: block 16x16, grid ceil(N/16) x ceil(M/16).

extern "C" __global__ void __launch_bounds__(256)
matmul_tiled(const float *A, const float *B, float *C, size_t M, size_t N,
             size_t K) {
  __shared__ float As[16][16];
  __shared__ float Bs[16][16];
  size_t tx = threadIdx.x, ty = threadIdx.y;
  size_t row = (size_t)blockIdx.y * 16 + ty;
  size_t col = (size_t)blockIdx.x * 16 + tx;
  bool rowIn = row < M, colIn = col < N;

  size_t tiles = (K + 15) / 16;
  float acc = 0.0f;
  for (size_t t = 0; t < tiles; ++t) {
    size_t kBase = t * 16;
    size_t aCol = kBase + tx;
    As[ty][tx] = rowIn && aCol < K ? A[row * K + aCol] : 0.0f;
    size_t bRow = kBase + ty;
    Bs[ty][tx] = bRow < K && colIn ? B[bRow * N + col] : 0.0f;
    __syncthreads();
#pragma unroll 4
    for (int k = 0; k < 16; ++k)
      acc = fmaf(As[ty][k], Bs[k][tx], acc);
    // Nobody overwrites a tile another thread still reads.
    __syncthreads();
  }
  if (rowIn && colIn)
    C[row * N + col] = acc;
}
