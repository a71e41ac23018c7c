//===- Device.h - one interface over Vulkan, CUDA-driver and CPU devices --===//
//
// The kernel runtime: open a device by backend name, create buffers, load a
// compiled module (SPIR-V, PTX, cubin or a host shared object), dispatch a
// kernel, wait, read results back and time the kernel. MLIR-free (abseil and
// std only); the drivers are loaded at run time, so a machine without them
// gets a clear status instead of a link error. docs/Runtime.md is the long
// form, with the CPU kernel ABI and the Vulkan binding convention.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_RUNTIME_DEVICE_H
#define GPUINIT_RUNTIME_DEVICE_H

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gpuinit::runtime {

/// The backends.
enum class DeviceKind { Vulkan, Cuda, Cpu };

/// "vulkan", "cuda" or "cpu".
absl::string_view deviceKindName(DeviceKind kind);
/// The inverse of deviceKindName; an error lists the valid names.
absl::StatusOr<DeviceKind> parseDeviceKind(absl::string_view name);

/// What a module image is.
enum class ModuleFormat {
  /// SPIR-V binary (little-endian words); Vulkan.
  Spirv,
  /// PTX assembly text; CUDA (the driver JIT-compiles it).
  Ptx,
  /// A cubin or fatbin ELF; CUDA.
  Cubin,
  /// A host shared object following the CPU kernel ABI (CpuKernelABI.h).
  SharedObject,
};

/// "spirv", "ptx", "cubin" or "shared-object".
absl::string_view moduleFormatName(ModuleFormat format);

/// Decides the format of a module image from its first bytes (SPIR-V magic,
/// ELF machine and type, fatbin magic, PTX directives) and, when they say
/// nothing, from the extension of `fileName` (.spv, .ptx, .cubin, .fatbin,
/// .so).
absl::StatusOr<ModuleFormat> detectModuleFormat(absl::Span<const uint8_t> image,
                                                absl::string_view fileName);

/// A grid or workgroup shape.
struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
  /// x * y * z.
  uint64_t count() const { return uint64_t(x) * y * z; }
};

class Device;

/// Device memory. Destroying the object frees the memory (after the
/// device's pending work, so a buffer may be dropped right after dispatch).
/// Contents are undefined until uploaded (the CPU device zeroes them).
class Buffer {
public:
  virtual ~Buffer();
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;

  /// Size in bytes, as requested.
  uint64_t size() const { return size_; }
  /// The device that created the buffer (identity only; may be gone).
  const void *owner() const { return owner_; }

protected:
  Buffer(const void *owner, uint64_t size) : owner_(owner), size_(size) {}

private:
  const void *owner_;
  uint64_t size_;
};

/// A loaded module: kernels are looked up by name at dispatch.
class Module {
public:
  virtual ~Module();
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  ModuleFormat format() const { return format_; }
  /// Where the image came from (a path or a name given at load), for
  /// messages.
  const std::string &origin() const { return origin_; }
  const void *owner() const { return owner_; }

protected:
  Module(const void *owner, ModuleFormat format, std::string origin)
      : owner_(owner), format_(format), origin_(std::move(origin)) {}

private:
  const void *owner_;
  ModuleFormat format_;
  std::string origin_;
};

/// One kernel argument: a buffer, or a 32- or 64-bit scalar given by its
/// bits (integers and floats alike).
struct KernelArg {
  enum class Kind { Buffer, Scalar32, Scalar64 };
  Kind kind = Kind::Scalar32;
  /// For Kind::Buffer; not owned.
  Buffer *buffer = nullptr;
  /// For scalars: the value's bits (the low 32 for Scalar32).
  uint64_t bits = 0;

  static KernelArg of(Buffer &b);
  static KernelArg u32(uint32_t v);
  static KernelArg i32(int32_t v);
  static KernelArg f32(float v);
  static KernelArg u64(uint64_t v);
  static KernelArg i64(int64_t v);
  static KernelArg f64(double v);
  /// Size of the value the kernel receives: 8 for a buffer (a device
  /// address), 4 or 8 for scalars.
  uint32_t valueSize() const;
};

/// One kernel launch.
struct Dispatch {
  /// Entry point (Vulkan), function (CUDA) or symbol (CPU) name.
  std::string kernel;
  /// Number of workgroups (blocks) in each dimension.
  Dim3 grid;
  /// Threads per workgroup. Vulkan takes the workgroup size from the
  /// module's LocalSize; when the module states one, a block other than
  /// 1x1x1 must equal it.
  Dim3 block;
  /// Dynamic shared memory per workgroup (CUDA, CPU; Vulkan has none and
  /// rejects a non-zero value).
  uint32_t sharedBytes = 0;
  /// Arguments in kernel-signature order.
  std::vector<KernelArg> args;
};

/// Where a kernel time comes from.
enum class TimingSource {
  /// Vulkan timestamp queries around the dispatch.
  DeviceTimestamps,
  /// CUDA events around the launch.
  DeviceEvents,
  /// Host wall clock around submission and completion (includes overhead).
  HostClock,
};
/// "device timestamps", "device events", "host clock".
absl::string_view timingSourceName(TimingSource source);

/// The time of one dispatch.
struct KernelTime {
  double milliseconds = 0;
  TimingSource source = TimingSource::HostClock;
};

/// How a device is chosen and run.
struct DeviceOptions {
  /// Which device of the backend: empty for the default (Vulkan: discrete,
  /// then integrated, then others; CUDA: ordinal 0); a number for the index
  /// in `Device::enumerate` order; otherwise a case-insensitive substring of
  /// the device name. When empty, $GPUINIT_VULKAN_DEVICE /
  /// $GPUINIT_CUDA_DEVICE are read the same way.
  std::string select;
  /// Vulkan: keep buffers in device-local memory and copy through staging
  /// buffers even when host-visible memory exists (the path a discrete GPU
  /// takes; lets lavapipe test it).
  bool vulkanStaging = false;
  /// CPU: worker threads running workgroups; 0 means $GPUINIT_CPU_THREADS
  /// or the number of hardware threads.
  unsigned cpuThreads = 0;
};

/// One device a backend can open.
struct DeviceInfo {
  /// Index to pass as DeviceOptions::select.
  uint32_t index = 0;
  /// Driver-reported name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
  std::string name;
  /// Type, API version, limits worth knowing, one line.
  std::string details;
};

/// A device of one backend. Not thread-safe: use one device per thread.
/// Every error is a status whose message starts with the device label
/// ("vulkan (llvmpipe ...): ") and names the API call that failed.
class Device {
public:
  /// Lists the devices of a backend, or says why there are none (driver
  /// library missing, initialization failed).
  static absl::StatusOr<std::vector<DeviceInfo>> enumerate(DeviceKind kind);
  /// Opens a device of a backend.
  static absl::StatusOr<std::unique_ptr<Device>>
  open(DeviceKind kind, const DeviceOptions &options = {});

  virtual ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  DeviceKind kind() const { return kind_; }
  /// The device's name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
  const std::string &name() const { return name_; }
  /// "<backend> (<name>)": the prefix of every message.
  std::string label() const;

  /// Allocates `size` bytes of device memory (0 is allowed).
  virtual absl::StatusOr<std::unique_ptr<Buffer>>
  createBuffer(uint64_t size) = 0;
  /// Copies `data` into the buffer at `offset`, after pending dispatches.
  absl::Status upload(Buffer &buffer, absl::Span<const uint8_t> data,
                      uint64_t offset = 0);
  /// Copies buffer bytes at `offset` into `out`, after pending dispatches.
  absl::Status download(Buffer &buffer, absl::Span<uint8_t> out,
                        uint64_t offset = 0);

  /// Loads a module image; `origin` names it in messages (and, for a shared
  /// object, nothing else: the bytes are what is loaded).
  absl::StatusOr<std::unique_ptr<Module>>
  loadModule(ModuleFormat format, absl::Span<const uint8_t> image,
             absl::string_view origin);
  /// Reads a file and loads it, with the format from detectModuleFormat.
  absl::StatusOr<std::unique_ptr<Module>>
  loadModuleFile(const std::string &path);

  /// Launches a kernel of `module`; may return before it completes. Checks
  /// the dispatch (shape, argument kinds, ownership, and whatever the module
  /// declares about its interface) before anything reaches the driver.
  absl::Status dispatch(Module &module, const Dispatch &dispatch);
  /// Blocks until every dispatch so far has completed; returns their times in
  /// dispatch order (including dispatches an upload or download waited for
  /// since the previous wait).
  absl::StatusOr<std::vector<KernelTime>> wait();

protected:
  Device(DeviceKind kind, std::string name)
      : kind_(kind), name_(std::move(name)) {}

  /// An error status prefixed with the device label.
  absl::Status error(absl::StatusCode code, absl::string_view message) const;

  // Backends implement these; arguments are already checked for ownership
  // and ranges.
  virtual absl::Status uploadImpl(Buffer &buffer,
                                  absl::Span<const uint8_t> data,
                                  uint64_t offset) = 0;
  virtual absl::Status downloadImpl(Buffer &buffer, absl::Span<uint8_t> out,
                                    uint64_t offset) = 0;
  virtual absl::StatusOr<std::unique_ptr<Module>>
  loadModuleImpl(ModuleFormat format, absl::Span<const uint8_t> image,
                 const std::string &origin) = 0;
  /// Loads a module read from `path` (its bytes are `image`); the default
  /// calls loadModuleImpl.
  virtual absl::StatusOr<std::unique_ptr<Module>>
  loadModuleFileImpl(ModuleFormat format, const std::string &path,
                     absl::Span<const uint8_t> image);
  virtual absl::Status dispatchImpl(Module &module,
                                    const Dispatch &dispatch) = 0;
  /// Waits for all pending work and appends the times of completed
  /// dispatches to `times`.
  virtual absl::Status waitImpl(std::vector<KernelTime> &times) = 0;
  /// The formats this backend loads.
  virtual bool accepts(ModuleFormat format) const = 0;

  /// Times collected by waits that upload/download did on their own.
  std::vector<KernelTime> pendingTimes_;

private:
  DeviceKind kind_;
  std::string name_;
};

} // namespace gpuinit::runtime

#endif // GPUINIT_RUNTIME_DEVICE_H
