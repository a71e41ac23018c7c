//===- CudaDevice.cpp - the CUDA driver API, loaded at run time -----------===//
//
// The CUDA device: libcuda.so.1 is opened with dlopen and the few driver
// entry points used here are declared locally (the driver ABI is stable), so
// neither the build nor the binary needs the CUDA toolkit. Modules are PTX
// (JIT-compiled by the driver, with its error log in the message) or
// cubin/fatbin; kernels run on the primary context's default stream, timed
// with events.
//
//===----------------------------------------------------------------------===//
#include "DeviceBackends.h"

#include "absl/strings/str_cat.h"

#include <array>
#include <cstring>
#include <mutex>

using namespace gpuinit::runtime;
using namespace gpuinit::runtime::detail;

namespace {

// The driver API types and constants used here, as cuda.h defines them.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUevent = struct CUevent_st *;
using CUstream = struct CUstream_st *;
constexpr CUresult kCudaSuccess = 0;
constexpr int kAttrMultiprocessorCount = 16;
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;
constexpr int kAttrMaxSharedPerBlockOptin = 97;
constexpr int kFuncAttrMaxDynamicSharedBytes = 8;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
/// Dynamic shared memory a kernel gets without opting in.
constexpr uint32_t kDefaultSharedLimit = 48 * 1024;

/// The driver entry points, resolved once per process.
struct CudaApi {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDriverGetVersion)(int *);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDeviceTotalMem)(size_t *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int);
  /// CUDA 12.4+; null on older drivers (then parameters are not checked).
  CUresult (*cuFuncGetParamInfo)(CUfunction, size_t, size_t *, size_t *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);

  /// "CUDA_ERROR_X (description)".
  std::string describe(CUresult r) const {
    const char *name = nullptr, *text = nullptr;
    if (cuGetErrorName)
      cuGetErrorName(r, &name);
    if (cuGetErrorString)
      cuGetErrorString(r, &text);
    std::string out = name ? name : absl::StrCat("CUresult ", r);
    if (text)
      absl::StrAppend(&out, " (", text, ")");
    return out;
  }
};

/// Loads libcuda.so.1 and calls cuInit once; later calls return the same
/// result.
absl::StatusOr<const CudaApi *> loadCuda() {
  static std::once_flag once;
  static CudaApi api;
  static absl::Status status;
  std::call_once(once, [] {
    // Kept open for the life of the process: drivers do not like dlclose.
    static absl::StatusOr<DynamicLibrary> lib =
        DynamicLibrary::open("libcuda.so.1");
    if (!lib.ok()) {
      status = absl::UnavailableError(
          "cuda: libcuda.so.1 not found (no NVIDIA driver on this machine)");
      return;
    }
    std::string missing;
    auto get = [&](auto &fn, std::initializer_list<const char *> names,
                   bool required = true) {
      for (const char *n : names)
        if (void *p = lib->symbol(n)) {
          fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(p);
          return;
        }
      fn = nullptr;
      if (required)
        absl::StrAppend(&missing, missing.empty() ? "" : ", ", *names.begin());
    };
    get(api.cuInit, {"cuInit"});
    get(api.cuDriverGetVersion, {"cuDriverGetVersion"});
    get(api.cuDeviceGetCount, {"cuDeviceGetCount"});
    get(api.cuDeviceGet, {"cuDeviceGet"});
    get(api.cuDeviceGetName, {"cuDeviceGetName"});
    get(api.cuDeviceGetAttribute, {"cuDeviceGetAttribute"});
    get(api.cuDeviceTotalMem, {"cuDeviceTotalMem_v2"});
    get(api.cuDevicePrimaryCtxRetain, {"cuDevicePrimaryCtxRetain"});
    get(api.cuDevicePrimaryCtxRelease,
        {"cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"});
    get(api.cuCtxSetCurrent, {"cuCtxSetCurrent"});
    get(api.cuCtxSynchronize, {"cuCtxSynchronize"});
    get(api.cuMemAlloc, {"cuMemAlloc_v2"});
    get(api.cuMemFree, {"cuMemFree_v2"});
    get(api.cuMemcpyHtoD, {"cuMemcpyHtoD_v2"});
    get(api.cuMemcpyDtoH, {"cuMemcpyDtoH_v2"});
    get(api.cuModuleLoadDataEx, {"cuModuleLoadDataEx"});
    get(api.cuModuleUnload, {"cuModuleUnload"});
    get(api.cuModuleGetFunction, {"cuModuleGetFunction"});
    get(api.cuFuncSetAttribute, {"cuFuncSetAttribute"});
    get(api.cuFuncGetParamInfo, {"cuFuncGetParamInfo"}, /*required=*/false);
    get(api.cuLaunchKernel, {"cuLaunchKernel"});
    get(api.cuEventCreate, {"cuEventCreate"});
    get(api.cuEventRecord, {"cuEventRecord"});
    get(api.cuEventElapsedTime,
        {"cuEventElapsedTime_v2", "cuEventElapsedTime"});
    get(api.cuEventDestroy, {"cuEventDestroy_v2", "cuEventDestroy"});
    get(api.cuGetErrorName, {"cuGetErrorName"});
    get(api.cuGetErrorString, {"cuGetErrorString"});
    if (!missing.empty()) {
      status = absl::UnavailableError(absl::StrCat(
          "cuda: libcuda.so.1 lacks driver entry points (driver too old?): ",
          missing));
      return;
    }
    if (CUresult r = api.cuInit(0); r != kCudaSuccess)
      status = absl::UnavailableError(
          absl::StrCat("cuda: cuInit failed: ", api.describe(r)));
  });
  if (!status.ok())
    return status;
  return &api;
}

/// The primary context of one device; buffers and modules keep it alive.
struct CudaContext {
  const CudaApi *api = nullptr;
  CUdevice device = 0;
  CUcontext context = nullptr;
  /// Launches not yet waited for (buffers and modules synchronize before
  /// they free what a pending kernel may use).
  size_t pending = 0;

  void makeCurrent() const { api->cuCtxSetCurrent(context); }
  void drain() {
    if (pending) {
      makeCurrent();
      api->cuCtxSynchronize();
      pending = 0;
    }
  }
  ~CudaContext() {
    if (context) {
      makeCurrent();
      api->cuCtxSynchronize();
      api->cuDevicePrimaryCtxRelease(device);
    }
  }
};

class CudaBuffer : public Buffer {
public:
  CudaBuffer(const void *owner, uint64_t size, std::shared_ptr<CudaContext> ctx,
             CUdeviceptr ptr)
      : Buffer(owner, size), ctx(std::move(ctx)), ptr(ptr) {}
  ~CudaBuffer() override {
    ctx->drain();
    ctx->makeCurrent();
    ctx->api->cuMemFree(ptr);
  }
  std::shared_ptr<CudaContext> ctx;
  CUdeviceptr ptr;
};

class CudaModule : public Module {
public:
  CudaModule(const void *owner, ModuleFormat format, std::string origin,
             std::shared_ptr<CudaContext> ctx, CUmodule module)
      : Module(owner, format, std::move(origin)), ctx(std::move(ctx)),
        module(module) {}
  ~CudaModule() override {
    ctx->drain();
    ctx->makeCurrent();
    ctx->api->cuModuleUnload(module);
  }
  std::shared_ptr<CudaContext> ctx;
  CUmodule module;
};

/// A launch in flight: the events around it.
struct Launch {
  CUevent start = nullptr, stop = nullptr;
};

std::string deviceName(const CudaApi &api, CUdevice dev) {
  char name[256] = {0};
  if (api.cuDeviceGetName(name, sizeof(name) - 1, dev) != kCudaSuccess)
    return absl::StrCat("CUDA device ", dev);
  return name;
}

class CudaDevice : public Device {
public:
  CudaDevice(std::string name, std::shared_ptr<CudaContext> ctx)
      : Device(DeviceKind::Cuda, std::move(name)), ctx_(std::move(ctx)) {}

  ~CudaDevice() override {
    std::vector<KernelTime> ignored;
    (void)waitImpl(ignored);
  }

  absl::StatusOr<std::unique_ptr<Buffer>> createBuffer(uint64_t size) override {
    ctx_->makeCurrent();
    CUdeviceptr ptr = 0;
    // cuMemAlloc rejects 0 bytes; an empty buffer still needs an address.
    if (CUresult r = api().cuMemAlloc(&ptr, std::max<uint64_t>(size, 1));
        r != kCudaSuccess)
      return fail("cuMemAlloc", r, absl::StrCat(" (", size, " bytes)"));
    return std::unique_ptr<Buffer>(new CudaBuffer(this, size, ctx_, ptr));
  }

protected:
  bool accepts(ModuleFormat format) const override {
    return format == ModuleFormat::Ptx || format == ModuleFormat::Cubin;
  }

  absl::Status uploadImpl(Buffer &buffer, absl::Span<const uint8_t> data,
                          uint64_t offset) override {
    ctx_->makeCurrent();
    auto &b = static_cast<CudaBuffer &>(buffer);
    if (CUresult r =
            api().cuMemcpyHtoD(b.ptr + offset, data.data(), data.size());
        r != kCudaSuccess)
      return fail("cuMemcpyHtoD", r);
    return absl::OkStatus();
  }

  absl::Status downloadImpl(Buffer &buffer, absl::Span<uint8_t> out,
                            uint64_t offset) override {
    ctx_->makeCurrent();
    auto &b = static_cast<CudaBuffer &>(buffer);
    if (CUresult r = api().cuMemcpyDtoH(out.data(), b.ptr + offset, out.size());
        r != kCudaSuccess)
      return fail("cuMemcpyDtoH", r);
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Module>>
  loadModuleImpl(ModuleFormat format, absl::Span<const uint8_t> image,
                 const std::string &origin) override {
    ctx_->makeCurrent();
    // PTX must be NUL-terminated text.
    std::vector<uint8_t> copy(image.begin(), image.end());
    if (format == ModuleFormat::Ptx)
      copy.push_back(0);
    std::array<char, 8192> log{};
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
    void *values[] = {log.data(),
                      reinterpret_cast<void *>(uintptr_t(log.size() - 1))};
    CUmodule module = nullptr;
    if (CUresult r =
            api().cuModuleLoadDataEx(&module, copy.data(), 2, options, values);
        r != kCudaSuccess) {
      std::string detail = absl::StrCat(" for ", origin);
      if (log[0])
        absl::StrAppend(&detail, "\n", log.data());
      return fail("cuModuleLoadDataEx", r, detail);
    }
    return std::unique_ptr<Module>(
        new CudaModule(this, format, origin, ctx_, module));
  }

  absl::Status dispatchImpl(Module &module, const Dispatch &d) override {
    ctx_->makeCurrent();
    auto &m = static_cast<CudaModule &>(module);
    CUfunction fn = nullptr;
    if (CUresult r = api().cuModuleGetFunction(&fn, m.module, d.kernel.c_str());
        r != kCudaSuccess)
      return fail(
          "cuModuleGetFunction", r,
          absl::StrCat(" (kernel '", d.kernel, "' in ", m.origin(), ")"));
    if (absl::Status s = checkParams(fn, d); !s.ok())
      return s;
    if (d.sharedBytes > kDefaultSharedLimit)
      if (CUresult r = api().cuFuncSetAttribute(
              fn, kFuncAttrMaxDynamicSharedBytes, int(d.sharedBytes));
          r != kCudaSuccess)
        return fail("cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)", r,
                    absl::StrCat(" (", d.sharedBytes, " bytes)"));

    // kernelParams[i] points at argument i's value.
    std::vector<std::array<uint8_t, 8>> values(d.args.size());
    std::vector<void *> params(d.args.size());
    for (size_t i = 0; i < d.args.size(); ++i) {
      const KernelArg &a = d.args[i];
      if (a.kind == KernelArg::Kind::Buffer) {
        CUdeviceptr p = static_cast<CudaBuffer *>(a.buffer)->ptr;
        std::memcpy(values[i].data(), &p, 8);
      } else if (a.kind == KernelArg::Kind::Scalar32) {
        uint32_t v = uint32_t(a.bits);
        std::memcpy(values[i].data(), &v, 4);
      } else {
        std::memcpy(values[i].data(), &a.bits, 8);
      }
      params[i] = values[i].data();
    }

    Launch launch;
    if (CUresult r = api().cuEventCreate(&launch.start, 0); r != kCudaSuccess)
      return fail("cuEventCreate", r);
    if (CUresult r = api().cuEventCreate(&launch.stop, 0); r != kCudaSuccess) {
      api().cuEventDestroy(launch.start);
      return fail("cuEventCreate", r);
    }
    auto drop = [&](absl::Status s) {
      api().cuEventDestroy(launch.start);
      api().cuEventDestroy(launch.stop);
      return s;
    };
    if (CUresult r = api().cuEventRecord(launch.start, nullptr);
        r != kCudaSuccess)
      return drop(fail("cuEventRecord", r));
    if (CUresult r = api().cuLaunchKernel(
            fn, d.grid.x, d.grid.y, d.grid.z, d.block.x, d.block.y, d.block.z,
            d.sharedBytes, nullptr, params.data(), nullptr);
        r != kCudaSuccess)
      return drop(
          fail("cuLaunchKernel", r,
               absl::StrCat(" (kernel '", d.kernel, "', grid ", d.grid.x, "x",
                            d.grid.y, "x", d.grid.z, ", block ", d.block.x, "x",
                            d.block.y, "x", d.block.z, ", ", d.sharedBytes,
                            " bytes of dynamic shared memory)")));
    ++ctx_->pending;
    if (CUresult r = api().cuEventRecord(launch.stop, nullptr);
        r != kCudaSuccess) {
      ctx_->drain();
      return drop(fail("cuEventRecord", r));
    }
    launches_.push_back(launch);
    return absl::OkStatus();
  }

  absl::Status waitImpl(std::vector<KernelTime> &times) override {
    if (launches_.empty())
      return absl::OkStatus();
    ctx_->makeCurrent();
    CUresult sync = api().cuCtxSynchronize();
    ctx_->pending = 0;
    absl::Status status = sync == kCudaSuccess ? absl::OkStatus()
                                               : fail("cuCtxSynchronize", sync);
    for (Launch &l : launches_) {
      float ms = 0;
      if (status.ok()) {
        if (CUresult r = api().cuEventElapsedTime(&ms, l.start, l.stop);
            r != kCudaSuccess)
          status = fail("cuEventElapsedTime", r);
        else
          times.push_back({double(ms), TimingSource::DeviceEvents});
      }
      api().cuEventDestroy(l.start);
      api().cuEventDestroy(l.stop);
    }
    launches_.clear();
    return status;
  }

private:
  const CudaApi &api() const { return *ctx_->api; }

  absl::Status fail(absl::string_view call, CUresult r,
                    absl::string_view detail = "") const {
    return error(absl::StatusCode::kInternal,
                 absl::StrCat(call, " failed: ", api().describe(r), detail));
  }

  /// With cuFuncGetParamInfo (CUDA 12.4+): the kernel's parameter count and
  /// sizes must match the arguments.
  absl::Status checkParams(CUfunction fn, const Dispatch &d) const {
    if (!api().cuFuncGetParamInfo)
      return absl::OkStatus();
    std::vector<size_t> sizes;
    for (size_t i = 0;; ++i) {
      size_t offset = 0, size = 0;
      if (api().cuFuncGetParamInfo(fn, i, &offset, &size) != kCudaSuccess)
        break;
      sizes.push_back(size);
    }
    if (sizes.size() != d.args.size())
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat("dispatch of '", d.kernel,
                                "': the kernel takes ", sizes.size(),
                                " parameters, the dispatch passes ",
                                d.args.size(), " arguments"));
    for (size_t i = 0; i < sizes.size(); ++i)
      if (sizes[i] != d.args[i].valueSize())
        return error(absl::StatusCode::kInvalidArgument,
                     absl::StrCat("dispatch of '", d.kernel, "': parameter ", i,
                                  " is ", sizes[i], " bytes, argument ", i,
                                  " is ", d.args[i].valueSize(), " bytes"));
    return absl::OkStatus();
  }

  std::shared_ptr<CudaContext> ctx_;
  std::vector<Launch> launches_;
};

} // namespace

absl::StatusOr<std::vector<DeviceInfo>> detail::enumerateCudaDevices() {
  absl::StatusOr<const CudaApi *> api = loadCuda();
  if (!api.ok())
    return api.status();
  const CudaApi &a = **api;
  int count = 0;
  if (CUresult r = a.cuDeviceGetCount(&count); r != kCudaSuccess)
    return absl::UnavailableError(
        absl::StrCat("cuda: cuDeviceGetCount failed: ", a.describe(r)));
  int driver = 0;
  a.cuDriverGetVersion(&driver);
  std::vector<DeviceInfo> out;
  for (int i = 0; i < count; ++i) {
    CUdevice dev;
    if (CUresult r = a.cuDeviceGet(&dev, i); r != kCudaSuccess)
      return absl::UnavailableError(
          absl::StrCat("cuda: cuDeviceGet(", i, ") failed: ", a.describe(r)));
    int major = 0, minor = 0, sms = 0, optin = 0;
    size_t mem = 0;
    a.cuDeviceGetAttribute(&major, kAttrComputeCapabilityMajor, dev);
    a.cuDeviceGetAttribute(&minor, kAttrComputeCapabilityMinor, dev);
    a.cuDeviceGetAttribute(&sms, kAttrMultiprocessorCount, dev);
    a.cuDeviceGetAttribute(&optin, kAttrMaxSharedPerBlockOptin, dev);
    a.cuDeviceTotalMem(&mem, dev);
    DeviceInfo info;
    info.index = uint32_t(i);
    info.name = deviceName(a, dev);
    info.details = absl::StrCat("sm_", major, minor, ", ", sms, " SMs, ",
                                mem >> 20, " MiB, ", optin / 1024,
                                " KiB shared per block (opt-in), driver ",
                                driver / 1000, ".", driver % 1000 / 10);
    out.push_back(std::move(info));
  }
  if (out.empty())
    return absl::UnavailableError("cuda: the driver reports no device");
  return out;
}

absl::StatusOr<std::unique_ptr<Device>>
detail::openCudaDevice(const DeviceOptions &options) {
  absl::StatusOr<std::vector<DeviceInfo>> devices = enumerateCudaDevices();
  if (!devices.ok())
    return devices.status();
  std::vector<std::string> names;
  for (const DeviceInfo &d : *devices)
    names.push_back(d.name);
  absl::StatusOr<int> index =
      selectDevice("cuda", options.select, "GPUINIT_CUDA_DEVICE", names);
  if (!index.ok())
    return index.status();
  int ordinal = *index < 0 ? 0 : *index;
  const CudaApi &api = **loadCuda();
  auto ctx = std::make_shared<CudaContext>();
  ctx->api = &api;
  std::string label = absl::StrCat("cuda (", names[ordinal], ")");
  if (CUresult r = api.cuDeviceGet(&ctx->device, ordinal); r != kCudaSuccess)
    return absl::InternalError(
        absl::StrCat(label, ": cuDeviceGet failed: ", api.describe(r)));
  if (CUresult r = api.cuDevicePrimaryCtxRetain(&ctx->context, ctx->device);
      r != kCudaSuccess) {
    ctx->context = nullptr;
    return absl::InternalError(absl::StrCat(
        label, ": cuDevicePrimaryCtxRetain failed: ", api.describe(r)));
  }
  if (CUresult r = api.cuCtxSetCurrent(ctx->context); r != kCudaSuccess)
    return absl::InternalError(
        absl::StrCat(label, ": cuCtxSetCurrent failed: ", api.describe(r)));
  return std::unique_ptr<Device>(
      new CudaDevice(names[ordinal], std::move(ctx)));
}
