// vecadd: c[i] = a[i] + b[i] for i < n, one thread per element.
//
// CUDA C counterpart of test/Dialect/Kernel/Inputs/vecadd.mlir for
// bench/kernels/run.py: 256 threads per block, grid ceil(n / 256). `index`
// is 64-bit in the NVVM lowering, so n and i are size_t here too.

extern "C" __global__ void __launch_bounds__(256)
vecadd(const float *a, const float *b, float *c, size_t n) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    c[i] = a[i] + b[i];
}
