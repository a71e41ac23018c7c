// Hand-written kernels following the CPU kernel ABI (CpuKernelABI.h): the
// computations of the GLSL kernels beside them, one call per workgroup, each
// looping over the threads of its workgroup.
#include "gpuinit/Runtime/CpuKernelABI.h"

#include <stdatomic.h>

const uint32_t gpuinit_cpu_abi_version = GPUINIT_CPU_ABI_VERSION;

/// c[i] = a[i] + b[i] for i < n.
void vecadd(void **args, const gpuinit_cpu_workgroup *wg) {
  const float *a = *(const float **)args[0];
  const float *b = *(const float **)args[1];
  float *c = *(float **)args[2];
  uint32_t n = *(const uint32_t *)args[3];
  for (uint32_t t = 0; t < wg->block[0]; ++t) {
    uint32_t i = wg->block_id[0] * wg->block[0] + t;
    if (i < n)
      c[i] = a[i] + b[i];
  }
}

/// y[i] = alpha * x[i] + y[i] for i < n.
void saxpy(void **args, const gpuinit_cpu_workgroup *wg) {
  const float *x = *(const float **)args[0];
  float *y = *(float **)args[1];
  float alpha = *(const float *)args[2];
  uint32_t n = *(const uint32_t *)args[3];
  for (uint32_t t = 0; t < wg->block[0]; ++t) {
    uint32_t i = wg->block_id[0] * wg->block[0] + t;
    if (i < n)
      y[i] = alpha * x[i] + y[i];
  }
}

/// y[i] = a * i + b with 64-bit scalars (a: f64, b: i64).
void axpb64(void **args, const gpuinit_cpu_workgroup *wg) {
  double *y = *(double **)args[0];
  double a = *(const double *)args[1];
  int64_t b = *(const int64_t *)args[2];
  for (uint32_t t = 0; t < wg->block[0]; ++t) {
    uint32_t i = wg->block_id[0] * wg->block[0] + t;
    y[i] = a * i + (double)b;
  }
}

/// out[(z * H + y) * W + x] = x + 100 * y + 10000 * z over the whole grid.
void ids3d(void **args, const gpuinit_cpu_workgroup *wg) {
  uint32_t *out = *(uint32_t **)args[0];
  uint32_t w = wg->grid[0] * wg->block[0], h = wg->grid[1] * wg->block[1];
  for (uint32_t tz = 0; tz < wg->block[2]; ++tz)
    for (uint32_t ty = 0; ty < wg->block[1]; ++ty)
      for (uint32_t tx = 0; tx < wg->block[0]; ++tx) {
        uint32_t x = wg->block_id[0] * wg->block[0] + tx;
        uint32_t y = wg->block_id[1] * wg->block[1] + ty;
        uint32_t z = wg->block_id[2] * wg->block[2] + tz;
        out[(z * h + y) * w + x] = x + 100 * y + 10000 * z;
      }
}

/// Sum of x[0..n): a tree reduction in dynamic shared memory (block[0]
/// floats, block[0] a power of two). Each barrier of the GPU kernel ends a
/// loop over the threads; partial[group] gets the workgroup's sum and
/// total[0] the sum of all, with an atomic (workgroups run concurrently).
void reduce(void **args, const gpuinit_cpu_workgroup *wg) {
  const float *x = *(const float **)args[0];
  float *partial = *(float **)args[1];
  _Atomic uint32_t *total = *(_Atomic uint32_t **)args[2];
  uint32_t n = *(const uint32_t *)args[3];
  float *sums = (float *)wg->shared;
  uint32_t threads = wg->block[0];
  for (uint32_t t = 0; t < threads; ++t) {
    uint32_t i = wg->block_id[0] * threads + t;
    sums[t] = i < n ? x[i] : 0.0f;
  }
  // The GPU kernel's first barrier falls here; the next loop is a new phase.
  for (uint32_t stride = threads / 2; stride > 0; stride /= 2) {
    for (uint32_t t = 0; t < stride; ++t)
      sums[t] += sums[t + stride];
    // ...and one barrier after each step of the tree.
  }
  partial[wg->block_id[0]] = sums[0];
  atomic_fetch_add(total, (uint32_t)sums[0]);
}
