// A stand-in libcuda.so.1 for testing the CUDA device where there is no
// NVIDIA driver: the driver entry points the runtime uses, over host memory,
// with one kernel ("vecadd": c[i] = a[i] + b[i] for i < n, parameters a, b,
// c, n) run on the host. A module whose image starts with "FAIL" fails to
// load with a JIT log, as bad PTX would; a block over 1024 threads fails to
// launch.
//
// Built with -DFAKE_CUDA_DESCRIPTORS, "vecadd" takes its parameters as the
// NVVM lowering of test/Dialect/Kernel/Inputs/vecadd.mlir passes them (for
// `gpuinit-run run --device=cuda`): each memref expanded into its descriptor
// (allocated pointer, aligned pointer, offset, size, stride), then n as a
// 64-bit index -- 16 parameters of 8 bytes. A launch whose descriptors are
// not (p, p, 0, size >= n, 1) fails with CUDA_ERROR_INVALID_VALUE.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum {
  kSuccess = 0,
  kInvalidValue = 1,
  kInvalidPtx = 218,
  kNotFound = 500,
};

static int vecaddHandle;

CUresult cuInit(unsigned flags) { return kSuccess; }
CUresult cuDriverGetVersion(int *v) {
  *v = 13000;
  return kSuccess;
}
CUresult cuDeviceGetCount(int *n) {
  *n = 1;
  return kSuccess;
}
CUresult cuDeviceGet(int *dev, int ordinal) {
  if (ordinal != 0)
    return kInvalidValue;
  *dev = 0;
  return kSuccess;
}
CUresult cuDeviceGetName(char *name, int len, int dev) {
  strncpy(name, "Fake CUDA Device", (size_t)len);
  return kSuccess;
}
CUresult cuDeviceGetAttribute(int *v, int attr, int dev) {
  switch (attr) {
  case 16: // multiprocessors
    *v = 4;
    return kSuccess;
  case 75: // compute capability
    *v = 9;
    return kSuccess;
  case 76:
    *v = 0;
    return kSuccess;
  case 97: // opt-in shared memory per block
    *v = 227 * 1024;
    return kSuccess;
  default:
    return kInvalidValue;
  }
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, int dev) {
  *bytes = (size_t)1 << 30;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int dev) {
  *ctx = &vecaddHandle;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRelease_v2(int dev) { return kSuccess; }
CUresult cuCtxSetCurrent(void *ctx) { return kSuccess; }
CUresult cuCtxSynchronize(void) { return kSuccess; }

CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  *p = (CUdeviceptr)(uintptr_t)calloc(1, bytes);
  return *p ? kSuccess : kInvalidValue;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  free((void *)(uintptr_t)p);
  return kSuccess;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes) {
  memcpy((void *)(uintptr_t)dst, src, bytes);
  return kSuccess;
}
CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes) {
  memcpy(dst, (const void *)(uintptr_t)src, bytes);
  return kSuccess;
}

CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n,
                            int *options, void **values) {
  if (memcmp(image, "FAIL", 4) == 0) {
    for (unsigned i = 0; i < n; ++i)
      if (options[i] == 5) // CU_JIT_ERROR_LOG_BUFFER
        strcpy((char *)values[i], "ptxas fatal   : fake syntax error");
    return kInvalidPtx;
  }
  *module = &vecaddHandle;
  return kSuccess;
}
CUresult cuModuleUnload(void *module) { return kSuccess; }
CUresult cuModuleGetFunction(void **fn, void *module, const char *name) {
  if (strcmp(name, "vecadd") != 0)
    return kNotFound;
  *fn = &vecaddHandle;
  return kSuccess;
}
CUresult cuFuncSetAttribute(void *fn, int attr, int value) { return kSuccess; }
CUresult cuFuncGetParamInfo(void *fn, size_t index, size_t *offset,
                            size_t *size) {
#ifdef FAKE_CUDA_DESCRIPTORS
  if (index >= 16)
    return kInvalidValue;
  *offset = index * 8;
  *size = 8;
#else
  static const size_t sizes[] = {8, 8, 8, 4};
  if (index >= 4)
    return kInvalidValue;
  *offset = index * 8;
  *size = sizes[index];
#endif
  return kSuccess;
}

#ifdef FAKE_CUDA_DESCRIPTORS
/// Reads the descriptor of a 1-D memref at params[first..first+4]; fails
/// unless it is (p, p, 0, size >= n, 1).
static float *descriptor(void **params, int first, unsigned long long n) {
  CUdeviceptr allocated = *(CUdeviceptr *)params[first];
  CUdeviceptr aligned = *(CUdeviceptr *)params[first + 1];
  unsigned long long offset = *(unsigned long long *)params[first + 2];
  unsigned long long size = *(unsigned long long *)params[first + 3];
  unsigned long long stride = *(unsigned long long *)params[first + 4];
  if (allocated != aligned || offset != 0 || size < n || stride != 1)
    return 0;
  return (float *)(uintptr_t)aligned;
}
#endif

CUresult cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  if ((unsigned long long)bx * by * bz > 1024)
    return kInvalidValue;
#ifdef FAKE_CUDA_DESCRIPTORS
  unsigned long long n = *(unsigned long long *)params[15];
  const float *a = descriptor(params, 0, n);
  const float *b = descriptor(params, 5, n);
  float *c = descriptor(params, 10, n);
  if (!a || !b || !c)
    return kInvalidValue;
#else
  const float *a = (const float *)(uintptr_t) * (CUdeviceptr *)params[0];
  const float *b = (const float *)(uintptr_t) * (CUdeviceptr *)params[1];
  float *c = (float *)(uintptr_t) * (CUdeviceptr *)params[2];
  unsigned long long n = *(unsigned *)params[3];
#endif
  for (unsigned long long i = 0; i < (unsigned long long)gx * bx && i < n; ++i)
    c[i] = a[i] + b[i];
  return kSuccess;
}

CUresult cuEventCreate(void **event, unsigned flags) {
  *event = malloc(1);
  return kSuccess;
}
CUresult cuEventRecord(void *event, void *stream) { return kSuccess; }
CUresult cuEventElapsedTime(float *ms, void *start, void *stop) {
  *ms = 0.5f;
  return kSuccess;
}
CUresult cuEventDestroy_v2(void *event) {
  free(event);
  return kSuccess;
}

CUresult cuGetErrorName(CUresult r, const char **name) {
  switch (r) {
  case kSuccess:
    *name = "CUDA_SUCCESS";
    return kSuccess;
  case kInvalidValue:
    *name = "CUDA_ERROR_INVALID_VALUE";
    return kSuccess;
  case kInvalidPtx:
    *name = "CUDA_ERROR_INVALID_PTX";
    return kSuccess;
  case kNotFound:
    *name = "CUDA_ERROR_NOT_FOUND";
    return kSuccess;
  default:
    *name = 0;
    return kInvalidValue;
  }
}
CUresult cuGetErrorString(CUresult r, const char **text) {
  switch (r) {
  case kInvalidValue:
    *text = "invalid argument";
    return kSuccess;
  case kInvalidPtx:
    *text = "a PTX JIT compilation failed";
    return kSuccess;
  case kNotFound:
    *text = "named symbol not found";
    return kSuccess;
  default:
    *text = 0;
    return kInvalidValue;
  }
}
