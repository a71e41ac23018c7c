// softmax_row: y[r, :] = softmax(x[r, :]) for a row-major matrix with n
// columns, one 256-thread block per row.
//
// CUDA C counterpart of bench/kernels/ours/softmax_row.mlir for
// bench/kernels/run.py: each thread takes a block-stride slice of the row;
// the row maximum and then the sum of exp(x - max) are each combined by a
// shared-memory tree (128, 64, ..., 1 with a barrier per level); a final pass
// writes exp(x - max) / sum. Launch: block 256, grid = rows.

extern "C" __global__ void __launch_bounds__(256)
softmax_row(const float *x, float *y, size_t n) {
  __shared__ float red[256];
  size_t tid = threadIdx.x;
  size_t step = blockDim.x;
  size_t base = (size_t)blockIdx.x * n;

  float m = -__int_as_float(0x7f800000); // -inf
  for (size_t j = tid; j < n; j += step)
    m = fmaxf(m, x[base + j]);
  red[tid] = m;
  __syncthreads();
  for (size_t s = 128; s > 0; s >>= 1) {
    if (tid < s)
      red[tid] = fmaxf(red[tid], red[tid + s]);
    __syncthreads();
  }
  m = red[0];
  // Everybody has read the maximum before red is reused.
  __syncthreads();

  float sum = 0.0f;
  for (size_t j = tid; j < n; j += step)
    sum += expf(x[base + j] - m);
  red[tid] = sum;
  __syncthreads();
  for (size_t s = 128; s > 0; s >>= 1) {
    if (tid < s)
      red[tid] = red[tid] + red[tid + s];
    __syncthreads();
  }
  sum = red[0];

  for (size_t j = tid; j < n; j += step)
    y[base + j] = expf(x[base + j] - m) / sum;
}
