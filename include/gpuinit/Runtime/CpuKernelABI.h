/*===- CpuKernelABI.h - how the CPU device calls a compiled kernel --------===*\
|*                                                                            *|
|* The contract between the compiler (kernels lowered for the host and built  *|
|* into a shared object) and the runtime's CPU device, which dlopens the      *|
|* object and calls one entry per workgroup. Plain C so hand-written kernels  *|
|* and generated code can both include it. docs/Runtime.md has the long form. *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#ifndef GPUINIT_RUNTIME_CPUKERNELABI_H
#define GPUINIT_RUNTIME_CPUKERNELABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. A shared object may export
 *  `const uint32_t gpuinit_cpu_abi_version = GPUINIT_CPU_ABI_VERSION;`; when
 *  it does, the runtime refuses any other value. */
#define GPUINIT_CPU_ABI_VERSION 1u

/** What one call of a kernel entry sees: the dispatch shape and the
 *  workgroup it must run. 48 bytes, no padding. */
typedef struct gpuinit_cpu_workgroup {
  /** Workgroups in the dispatch (gridDim / gl_NumWorkGroups). */
  uint32_t grid[3];
  /** Threads per workgroup (blockDim / gl_WorkGroupSize). */
  uint32_t block[3];
  /** This workgroup's index (blockIdx / gl_WorkGroupID). */
  uint32_t block_id[3];
  /** Bytes of dynamic shared memory at `shared`. */
  uint32_t shared_bytes;
  /** This workgroup's dynamic shared memory: 64-byte aligned, private to
   *  this call, contents undefined on entry; NULL when shared_bytes is 0. */
  void *shared;
} gpuinit_cpu_workgroup;

/** A kernel entry: `void <kernel>(void **args, const gpuinit_cpu_workgroup
 * *wg)`.
 *
 *  - `args[i]` points at the value of argument i, as cuLaunchKernel's
 *    kernelParams do: for a buffer, a `void *` holding the buffer's host
 *    address (so `float *a = *(float **)args[0];`); for a 32-bit scalar, 4
 *    bytes; for a 64-bit scalar, 8 bytes. The pointers are valid only during
 *    the call.
 *  - One call runs one whole workgroup: the entry loops over the
 *    block[0] * block[1] * block[2] threads itself. A barrier splits the
 *    kernel into phases, each a loop over all threads of the workgroup;
 *    values that live across a barrier are kept per thread (arrays indexed by
 *    the local thread id). Warp/subgroup operations see a subgroup size of 1
 *    unless the compiler vectorizes threads into lanes itself.
 *  - Static shared memory is the entry's own: local storage of the call
 *    (e.g. an alloca), never a global, because the runtime calls the entry
 *    for different workgroups concurrently from several host threads.
 *    Dynamic shared memory is `wg->shared`.
 *  - Atomics on buffers must be real host atomics (workgroups run in
 *    parallel); anything else in a buffer written by one workgroup and read
 *    by another is a race, as on a GPU.
 */
typedef void (*gpuinit_cpu_kernel_fn)(void **args,
                                      const gpuinit_cpu_workgroup *wg);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GPUINIT_RUNTIME_CPUKERNELABI_H */
