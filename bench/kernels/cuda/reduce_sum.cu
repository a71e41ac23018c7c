// reduce_sum: out[0] += sum of in[0..n), shared memory and warp shuffles.
//
// CUDA C counterpart of test/Dialect/Kernel/Inputs/reduce-sum.mlir for
// bench/kernels/run.py, step for step: each of the 256 threads sums a
// grid-stride slice, the block halves its partial sums in shared memory
// 256 -> 128 -> 64 -> 32, the first warp finishes with five xor shuffles,
// and thread 0 adds the block's sum to out[0] atomically. Launch: 256
// threads, grid min(ceil(n / 256), 1024); out[0] starts at 0.

extern "C" __global__ void __launch_bounds__(256)
reduce_sum(const float *in, float *out, size_t n) {
  __shared__ __align__(16) float partials[256];
  size_t tid = threadIdx.x;
  size_t start = (size_t)blockIdx.x * blockDim.x + tid;
  size_t stride = (size_t)gridDim.x * blockDim.x;
  float mine = 0.0f;
  for (size_t i = start; i < n; i += stride)
    mine += in[i];
  partials[tid] = mine;
  __syncthreads();

  if (tid < 128)
    partials[tid] = partials[tid] + partials[tid + 128];
  __syncthreads();
  if (tid < 64)
    partials[tid] = partials[tid] + partials[tid + 64];
  __syncthreads();
  if (tid < 32) {
    float v = partials[tid] + partials[tid + 32];
    v += __shfl_xor_sync(0xffffffffu, v, 16, 32);
    v += __shfl_xor_sync(0xffffffffu, v, 8, 32);
    v += __shfl_xor_sync(0xffffffffu, v, 4, 32);
    v += __shfl_xor_sync(0xffffffffu, v, 2, 32);
    v += __shfl_xor_sync(0xffffffffu, v, 1, 32);
    if (tid == 0)
      atomicAdd(&out[0], v);
  }
}
