//===- CpuDevice.cpp - run kernels compiled for the host ------------------===//
//
// The CPU device: buffers are host memory, a module is a shared object
// (dlopen), and a dispatch calls the kernel's workgroup entry once per
// workgroup on a pool of host threads (CpuKernelABI.h).
//
//===----------------------------------------------------------------------===//
#include "DeviceBackends.h"

#include "gpuinit/Runtime/CpuKernelABI.h"

#include "absl/strings/str_cat.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

using namespace gpuinit::runtime;
using namespace gpuinit::runtime::detail;

namespace {

constexpr size_t kAlign = 64;

size_t roundUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

struct AlignedFree {
  void operator()(void *p) const { std::free(p); }
};
using HostMemory = std::unique_ptr<void, AlignedFree>;

/// 64-byte aligned memory of at least `size` bytes (never null unless the
/// allocation fails).
HostMemory allocate(uint64_t size) {
  return HostMemory(
      std::aligned_alloc(kAlign, roundUp(std::max<uint64_t>(size, 1))));
}

class CpuBuffer : public Buffer {
public:
  CpuBuffer(const void *owner, uint64_t size, HostMemory memory)
      : Buffer(owner, size), memory(std::move(memory)) {}
  HostMemory memory;
};

class CpuModule : public Module {
public:
  CpuModule(const void *owner, std::string origin, DynamicLibrary lib)
      : Module(owner, ModuleFormat::SharedObject, std::move(origin)),
        lib(std::move(lib)) {}
  DynamicLibrary lib;
  std::unordered_map<std::string, gpuinit_cpu_kernel_fn> kernels;
};

std::string hostName() {
  struct utsname u;
  if (uname(&u) == 0)
    return absl::StrCat("host ", u.machine);
  return "host";
}

unsigned defaultThreads(unsigned requested) {
  if (requested)
    return requested;
  if (const char *env = std::getenv("GPUINIT_CPU_THREADS"); env && *env) {
    int n = std::atoi(env);
    if (n > 0)
      return unsigned(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

class CpuDevice : public Device {
public:
  explicit CpuDevice(unsigned threads)
      : Device(DeviceKind::Cpu, hostName()), threads_(threads) {}

  absl::StatusOr<std::unique_ptr<Buffer>> createBuffer(uint64_t size) override {
    HostMemory memory = allocate(size);
    if (!memory)
      return error(absl::StatusCode::kResourceExhausted,
                   absl::StrCat("aligned_alloc of ", size, " bytes failed"));
    std::memset(memory.get(), 0, roundUp(std::max<uint64_t>(size, 1)));
    return std::unique_ptr<Buffer>(
        new CpuBuffer(this, size, std::move(memory)));
  }

protected:
  bool accepts(ModuleFormat format) const override {
    return format == ModuleFormat::SharedObject;
  }

  absl::Status uploadImpl(Buffer &buffer, absl::Span<const uint8_t> data,
                          uint64_t offset) override {
    auto &b = static_cast<CpuBuffer &>(buffer);
    std::memcpy(static_cast<uint8_t *>(b.memory.get()) + offset, data.data(),
                data.size());
    return absl::OkStatus();
  }

  absl::Status downloadImpl(Buffer &buffer, absl::Span<uint8_t> out,
                            uint64_t offset) override {
    auto &b = static_cast<CpuBuffer &>(buffer);
    std::memcpy(out.data(), static_cast<uint8_t *>(b.memory.get()) + offset,
                out.size());
    return absl::OkStatus();
  }

  /// Loads an image given as bytes through an anonymous file.
  absl::StatusOr<std::unique_ptr<Module>>
  loadModuleImpl(ModuleFormat, absl::Span<const uint8_t> image,
                 const std::string &origin) override {
    int fd = memfd_create("gpuinit-cpu-kernel", MFD_CLOEXEC);
    if (fd < 0)
      return error(absl::StatusCode::kInternal,
                   absl::StrCat("memfd_create for ", origin,
                                " failed: ", std::strerror(errno)));
    size_t done = 0;
    while (done < image.size()) {
      ssize_t n = ::write(fd, image.data() + done, image.size() - done);
      if (n <= 0) {
        ::close(fd);
        return error(absl::StatusCode::kInternal,
                     absl::StrCat("writing ", origin, " to a memfd failed: ",
                                  std::strerror(errno)));
      }
      done += size_t(n);
    }
    absl::StatusOr<std::unique_ptr<Module>> m =
        openLibrary(absl::StrCat("/proc/self/fd/", fd), origin);
    ::close(fd);
    return m;
  }

  absl::StatusOr<std::unique_ptr<Module>>
  loadModuleFileImpl(ModuleFormat, const std::string &path,
                     absl::Span<const uint8_t>) override {
    // dlopen searches the library path for a name without a slash.
    std::string name =
        path.find('/') == std::string::npos ? absl::StrCat("./", path) : path;
    return openLibrary(name, path);
  }

  absl::Status dispatchImpl(Module &module, const Dispatch &d) override {
    auto &m = static_cast<CpuModule &>(module);
    gpuinit_cpu_kernel_fn fn = nullptr;
    if (auto it = m.kernels.find(d.kernel); it != m.kernels.end()) {
      fn = it->second;
    } else {
      dlerror();
      fn = reinterpret_cast<gpuinit_cpu_kernel_fn>(
          m.lib.symbol(d.kernel.c_str()));
      if (!fn) {
        const char *err = dlerror();
        return error(absl::StatusCode::kNotFound,
                     absl::StrCat("kernel '", d.kernel, "' not found in ",
                                  m.origin(),
                                  " (dlsym: ", err ? err : "null symbol", ")"));
      }
      m.kernels[d.kernel] = fn;
    }

    // args[i] points at argument i's value (CpuKernelABI.h).
    std::vector<std::array<uint8_t, 8>> values(d.args.size());
    std::vector<void *> args(d.args.size());
    for (size_t i = 0; i < d.args.size(); ++i) {
      const KernelArg &a = d.args[i];
      if (a.kind == KernelArg::Kind::Buffer) {
        void *p = static_cast<CpuBuffer *>(a.buffer)->memory.get();
        std::memcpy(values[i].data(), &p, sizeof(p));
      } else if (a.kind == KernelArg::Kind::Scalar32) {
        uint32_t v = uint32_t(a.bits);
        std::memcpy(values[i].data(), &v, 4);
      } else {
        std::memcpy(values[i].data(), &a.bits, 8);
      }
      args[i] = values[i].data();
    }

    uint64_t groups = d.grid.count();
    unsigned workers = unsigned(std::min<uint64_t>(threads_, groups));
    std::atomic<uint64_t> next{0};
    auto work = [&]() {
      HostMemory shared;
      if (d.sharedBytes)
        shared = allocate(d.sharedBytes);
      gpuinit_cpu_workgroup wg;
      wg.grid[0] = d.grid.x, wg.grid[1] = d.grid.y, wg.grid[2] = d.grid.z;
      wg.block[0] = d.block.x, wg.block[1] = d.block.y, wg.block[2] = d.block.z;
      wg.shared_bytes = d.sharedBytes;
      wg.shared = shared.get();
      for (uint64_t g; (g = next.fetch_add(1)) < groups;) {
        wg.block_id[0] = uint32_t(g % d.grid.x);
        wg.block_id[1] = uint32_t(g / d.grid.x % d.grid.y);
        wg.block_id[2] = uint32_t(g / (uint64_t(d.grid.x) * d.grid.y));
        fn(args.data(), &wg);
      }
    };

    auto start = std::chrono::steady_clock::now();
    if (workers <= 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      pool.reserve(workers - 1);
      for (unsigned t = 1; t < workers; ++t)
        pool.emplace_back(work);
      work();
      for (std::thread &t : pool)
        t.join();
    }
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    completed_.push_back({ms, TimingSource::HostClock});
    return absl::OkStatus();
  }

  absl::Status waitImpl(std::vector<KernelTime> &times) override {
    times.insert(times.end(), completed_.begin(), completed_.end());
    completed_.clear();
    return absl::OkStatus();
  }

private:
  absl::StatusOr<std::unique_ptr<Module>>
  openLibrary(const std::string &name, const std::string &origin) {
    absl::StatusOr<DynamicLibrary> lib = DynamicLibrary::open(name);
    if (!lib.ok())
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat("dlopen of ", origin,
                                " failed: ", lib.status().message()));
    if (auto *version = static_cast<const uint32_t *>(
            lib->symbol("gpuinit_cpu_abi_version"));
        version && *version != GPUINIT_CPU_ABI_VERSION)
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat(origin,
                                " was built for CPU kernel ABI version ",
                                *version, ", this runtime implements version ",
                                GPUINIT_CPU_ABI_VERSION));
    return std::unique_ptr<Module>(
        new CpuModule(this, origin, std::move(*lib)));
  }

  unsigned threads_;
  std::vector<KernelTime> completed_;
};

} // namespace

absl::StatusOr<std::vector<DeviceInfo>> detail::enumerateCpuDevices() {
  DeviceInfo info;
  info.index = 0;
  info.name = hostName();
  info.details = absl::StrCat("shared-object kernels (CPU kernel ABI v",
                              GPUINIT_CPU_ABI_VERSION, "), ", defaultThreads(0),
                              " worker threads");
  return std::vector<DeviceInfo>{info};
}

absl::StatusOr<std::unique_ptr<Device>>
detail::openCpuDevice(const DeviceOptions &options) {
  absl::StatusOr<int> index =
      selectDevice("cpu", options.select, nullptr, {hostName()});
  if (!index.ok())
    return index.status();
  return std::unique_ptr<Device>(
      new CpuDevice(defaultThreads(options.cpuThreads)));
}
