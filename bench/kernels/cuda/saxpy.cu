// saxpy: y[i] = alpha * x[i] + y[i] for i < n, one thread per element.
//
// CUDA C counterpart of bench/kernels/ours/saxpy.mlir for
// bench/kernels/run.py: 256 threads per block, grid ceil(n / 256); n and
// i are size_t like the kernel's `index`.

extern "C" __global__ void __launch_bounds__(256)
saxpy(const float *x, float *y, float alpha, size_t n) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = alpha * x[i] + y[i];
}
