// Kernels for DeviceTest's CPU-device cases, following the CPU kernel ABI
// (include/gpuinit/Runtime/CpuKernelABI.h).
#include "gpuinit/Runtime/CpuKernelABI.h"

#include <stdatomic.h>
#include <string.h>

const uint32_t gpuinit_cpu_abi_version = GPUINIT_CPU_ABI_VERSION;

/// buf[i] += 1 for i < n (u32 elements).
void add_one(void **args, const gpuinit_cpu_workgroup *wg) {
  uint32_t *buf = *(uint32_t **)args[0];
  uint32_t n = *(const uint32_t *)args[1];
  for (uint32_t t = 0; t < wg->block[0]; ++t) {
    uint32_t i = wg->block_id[0] * wg->block[0] + t;
    if (i < n)
      buf[i] += 1;
  }
}

/// For each workgroup, out[linear id] = the id and the dispatch shape packed
/// as bx | by << 8 | bz << 16, and counter[0] counts the calls.
void record_groups(void **args, const gpuinit_cpu_workgroup *wg) {
  uint32_t *out = *(uint32_t **)args[0];
  _Atomic uint32_t *counter = *(_Atomic uint32_t **)args[1];
  uint32_t linear =
      (wg->block_id[2] * wg->grid[1] + wg->block_id[1]) * wg->grid[0] +
      wg->block_id[0];
  out[linear] = wg->block_id[0] | wg->block_id[1] << 8 | wg->block_id[2] << 16;
  atomic_fetch_add(counter, 1);
}

/// out[0] = shared_bytes, out[1] = 1 when `shared` is 64-byte aligned (or
/// null with no bytes), out[2] = block[0] * block[1] * block[2]; the shared
/// memory is written in full.
void shared_probe(void **args, const gpuinit_cpu_workgroup *wg) {
  uint32_t *out = *(uint32_t **)args[0];
  out[0] = wg->shared_bytes;
  out[1] =
      wg->shared_bytes ? ((uintptr_t)wg->shared % 64 == 0) : wg->shared == 0;
  out[2] = wg->block[0] * wg->block[1] * wg->block[2];
  if (wg->shared_bytes)
    memset(wg->shared, 0xab, wg->shared_bytes);
}

/// Copies the scalar arguments (u32, i32, f32, u64, i64, f64) into out as
/// 8-byte slots.
void scalars(void **args, const gpuinit_cpu_workgroup *wg) {
  unsigned char *out = *(unsigned char **)args[0];
  memset(out, 0, 48);
  memcpy(out + 0, args[1], 4);
  memcpy(out + 8, args[2], 4);
  memcpy(out + 16, args[3], 4);
  memcpy(out + 24, args[4], 8);
  memcpy(out + 32, args[5], 8);
  memcpy(out + 40, args[6], 8);
}
