//===- Device.cpp - the backend-independent half of the device interface --===//
//
// Backend selection, module format detection, and the checks every dispatch,
// upload and download goes through before a backend sees it.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/Device.h"

#include "DeviceBackends.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <iterator>

using namespace gpuinit::runtime;
using namespace gpuinit::runtime::detail;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

absl::string_view gpuinit::runtime::deviceKindName(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Vulkan:
    return "vulkan";
  case DeviceKind::Cuda:
    return "cuda";
  case DeviceKind::Cpu:
    return "cpu";
  }
  return "?";
}

absl::StatusOr<DeviceKind>
gpuinit::runtime::parseDeviceKind(absl::string_view name) {
  for (DeviceKind k : {DeviceKind::Vulkan, DeviceKind::Cuda, DeviceKind::Cpu})
    if (name == deviceKindName(k))
      return k;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown device '", name, "' (expected vulkan, cuda or cpu)"));
}

absl::string_view gpuinit::runtime::moduleFormatName(ModuleFormat format) {
  switch (format) {
  case ModuleFormat::Spirv:
    return "spirv";
  case ModuleFormat::Ptx:
    return "ptx";
  case ModuleFormat::Cubin:
    return "cubin";
  case ModuleFormat::SharedObject:
    return "shared-object";
  }
  return "?";
}

absl::string_view gpuinit::runtime::timingSourceName(TimingSource source) {
  switch (source) {
  case TimingSource::DeviceTimestamps:
    return "device timestamps";
  case TimingSource::DeviceEvents:
    return "device events";
  case TimingSource::HostClock:
    return "host clock";
  }
  return "?";
}

absl::StatusOr<ModuleFormat>
gpuinit::runtime::detectModuleFormat(absl::Span<const uint8_t> image,
                                     absl::string_view fileName) {
  auto le32 = [&](size_t at) {
    return uint32_t(image[at]) | uint32_t(image[at + 1]) << 8 |
           uint32_t(image[at + 2]) << 16 | uint32_t(image[at + 3]) << 24;
  };
  if (image.size() >= 4) {
    uint32_t magic = le32(0);
    if (magic == 0x07230203)
      return ModuleFormat::Spirv;
    // A fatbin container; the driver takes it like a cubin.
    if (magic == 0xba55ed50)
      return ModuleFormat::Cubin;
  }
  // ELF: EM_CUDA (190) is a cubin; a host ET_DYN is a shared object.
  if (image.size() >= 20 && image[0] == 0x7f && image[1] == 'E' &&
      image[2] == 'L' && image[3] == 'F') {
    uint16_t type = uint16_t(image[16] | image[17] << 8);
    uint16_t machine = uint16_t(image[18] | image[19] << 8);
    if (machine == 190)
      return ModuleFormat::Cubin;
    if (type == 3 /*ET_DYN*/)
      return ModuleFormat::SharedObject;
  }
  absl::string_view text(reinterpret_cast<const char *>(image.data()),
                         std::min<size_t>(image.size(), 4096));
  if (absl::StrContains(text, ".version") && absl::StrContains(text, ".target"))
    return ModuleFormat::Ptx;
  if (absl::EndsWith(fileName, ".spv"))
    return ModuleFormat::Spirv;
  if (absl::EndsWith(fileName, ".ptx"))
    return ModuleFormat::Ptx;
  if (absl::EndsWith(fileName, ".cubin") || absl::EndsWith(fileName, ".fatbin"))
    return ModuleFormat::Cubin;
  if (absl::EndsWith(fileName, ".so"))
    return ModuleFormat::SharedObject;
  return absl::InvalidArgumentError(absl::StrCat(
      fileName, ": unknown module format (expected SPIR-V, PTX, cubin/fatbin "
                "or a shared object; extensions .spv, .ptx, .cubin, .fatbin, "
                ".so)"));
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

KernelArg KernelArg::of(Buffer &b) {
  KernelArg a;
  a.kind = Kind::Buffer;
  a.buffer = &b;
  return a;
}
KernelArg KernelArg::u32(uint32_t v) {
  KernelArg a;
  a.kind = Kind::Scalar32;
  a.bits = v;
  return a;
}
KernelArg KernelArg::i32(int32_t v) { return u32(uint32_t(v)); }
KernelArg KernelArg::f32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  return u32(bits);
}
KernelArg KernelArg::u64(uint64_t v) {
  KernelArg a;
  a.kind = Kind::Scalar64;
  a.bits = v;
  return a;
}
KernelArg KernelArg::i64(int64_t v) { return u64(uint64_t(v)); }
KernelArg KernelArg::f64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  return u64(bits);
}
uint32_t KernelArg::valueSize() const { return kind == Kind::Scalar32 ? 4 : 8; }

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

Buffer::~Buffer() = default;
Module::~Module() = default;
Device::~Device() = default;

std::string Device::label() const {
  return absl::StrCat(deviceKindName(kind_), " (", name_, ")");
}

absl::Status Device::error(absl::StatusCode code,
                           absl::string_view message) const {
  return absl::Status(code, absl::StrCat(label(), ": ", message));
}

absl::StatusOr<std::vector<DeviceInfo>> Device::enumerate(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Vulkan:
    return enumerateVulkanDevices();
  case DeviceKind::Cuda:
    return enumerateCudaDevices();
  case DeviceKind::Cpu:
    return enumerateCpuDevices();
  }
  return absl::InvalidArgumentError("unknown device kind");
}

absl::StatusOr<std::unique_ptr<Device>>
Device::open(DeviceKind kind, const DeviceOptions &options) {
  switch (kind) {
  case DeviceKind::Vulkan:
    return openVulkanDevice(options);
  case DeviceKind::Cuda:
    return openCudaDevice(options);
  case DeviceKind::Cpu:
    return openCpuDevice(options);
  }
  return absl::InvalidArgumentError("unknown device kind");
}

absl::Status Device::upload(Buffer &buffer, absl::Span<const uint8_t> data,
                            uint64_t offset) {
  if (buffer.owner() != this)
    return error(absl::StatusCode::kInvalidArgument,
                 "upload: the buffer belongs to another device");
  if (offset > buffer.size() || data.size() > buffer.size() - offset)
    return error(absl::StatusCode::kOutOfRange,
                 absl::StrCat("upload: ", data.size(), " bytes at offset ",
                              offset, " do not fit the ", buffer.size(),
                              "-byte buffer"));
  if (absl::Status s = waitImpl(pendingTimes_); !s.ok())
    return s;
  if (data.empty())
    return absl::OkStatus();
  return uploadImpl(buffer, data, offset);
}

absl::Status Device::download(Buffer &buffer, absl::Span<uint8_t> out,
                              uint64_t offset) {
  if (buffer.owner() != this)
    return error(absl::StatusCode::kInvalidArgument,
                 "download: the buffer belongs to another device");
  if (offset > buffer.size() || out.size() > buffer.size() - offset)
    return error(absl::StatusCode::kOutOfRange,
                 absl::StrCat("download: ", out.size(), " bytes at offset ",
                              offset, " exceed the ", buffer.size(),
                              "-byte buffer"));
  if (absl::Status s = waitImpl(pendingTimes_); !s.ok())
    return s;
  if (out.empty())
    return absl::OkStatus();
  return downloadImpl(buffer, out, offset);
}

absl::StatusOr<std::unique_ptr<Module>>
Device::loadModule(ModuleFormat format, absl::Span<const uint8_t> image,
                   absl::string_view origin) {
  if (!accepts(format))
    return error(absl::StatusCode::kInvalidArgument,
                 absl::StrCat("cannot load ", origin, ": it is a ",
                              moduleFormatName(format), " module; the ",
                              deviceKindName(kind_), " device loads ",
                              kind_ == DeviceKind::Vulkan ? "SPIR-V"
                              : kind_ == DeviceKind::Cuda
                                  ? "PTX, cubin or fatbin"
                                  : "shared objects (CPU kernel ABI)"));
  return loadModuleImpl(format, image, std::string(origin));
}

absl::StatusOr<std::unique_ptr<Module>>
Device::loadModuleFile(const std::string &path) {
  absl::StatusOr<std::vector<uint8_t>> bytes = readFileBytes(path);
  if (!bytes.ok())
    return error(bytes.status().code(), bytes.status().message());
  absl::StatusOr<ModuleFormat> format = detectModuleFormat(*bytes, path);
  if (!format.ok())
    return error(format.status().code(), format.status().message());
  if (!accepts(*format))
    return loadModule(*format, *bytes, path);
  return loadModuleFileImpl(*format, path, *bytes);
}

absl::StatusOr<std::unique_ptr<Module>>
Device::loadModuleFileImpl(ModuleFormat format, const std::string &path,
                           absl::Span<const uint8_t> image) {
  return loadModuleImpl(format, image, path);
}

absl::Status Device::dispatch(Module &module, const Dispatch &d) {
  std::string what = absl::StrCat("dispatch of '", d.kernel, "'");
  if (module.owner() != this)
    return error(absl::StatusCode::kInvalidArgument,
                 absl::StrCat(what, ": the module belongs to another device"));
  if (d.kernel.empty())
    return error(absl::StatusCode::kInvalidArgument,
                 "dispatch: no kernel name");
  if (d.grid.count() == 0)
    return error(absl::StatusCode::kInvalidArgument,
                 absl::StrCat(what, ": grid ", d.grid.x, "x", d.grid.y, "x",
                              d.grid.z, " has a zero dimension"));
  if (d.block.count() == 0)
    return error(absl::StatusCode::kInvalidArgument,
                 absl::StrCat(what, ": block ", d.block.x, "x", d.block.y, "x",
                              d.block.z, " has a zero dimension"));
  for (size_t i = 0; i < d.args.size(); ++i) {
    const KernelArg &a = d.args[i];
    if (a.kind != KernelArg::Kind::Buffer)
      continue;
    if (!a.buffer)
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat(what, ": argument ", i, " is a null buffer"));
    if (a.buffer->owner() != this)
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat(what, ": argument ", i,
                                " is a buffer of another device"));
  }
  return dispatchImpl(module, d);
}

absl::StatusOr<std::vector<KernelTime>> Device::wait() {
  std::vector<KernelTime> times = std::move(pendingTimes_);
  pendingTimes_.clear();
  if (absl::Status s = waitImpl(times); !s.ok())
    return s;
  return times;
}

//===----------------------------------------------------------------------===//
// Helpers shared by the backends
//===----------------------------------------------------------------------===//

DynamicLibrary::~DynamicLibrary() {
  if (handle_)
    dlclose(handle_);
}

DynamicLibrary &DynamicLibrary::operator=(DynamicLibrary &&other) noexcept {
  if (this != &other) {
    if (handle_)
      dlclose(handle_);
    handle_ = other.handle_;
    other.handle_ = nullptr;
  }
  return *this;
}

absl::StatusOr<DynamicLibrary> DynamicLibrary::open(const std::string &name) {
  DynamicLibrary lib;
  lib.handle_ = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle_) {
    const char *err = dlerror();
    return absl::NotFoundError(err ? err : "dlopen failed");
  }
  return lib;
}

void *DynamicLibrary::symbol(const char *name) const {
  return handle_ ? dlsym(handle_, name) : nullptr;
}

absl::StatusOr<int>
detail::selectDevice(absl::string_view backend, const std::string &select,
                     const char *envVar,
                     const std::vector<std::string> &names) {
  std::string want = select;
  std::string from = "device selection";
  if (want.empty() && envVar) {
    if (const char *env = std::getenv(envVar); env && *env) {
      want = env;
      from = absl::StrCat("$", envVar);
    }
  }
  if (want.empty())
    return -1;
  std::string choices;
  for (size_t i = 0; i < names.size(); ++i)
    absl::StrAppend(&choices, i ? ", " : "", "[", i, "] ", names[i]);
  if (choices.empty())
    choices = "none";
  uint32_t index;
  if (absl::SimpleAtoi(want, &index)) {
    if (index < names.size())
      return int(index);
    return absl::NotFoundError(
        absl::StrCat(backend, ": ", from, " '", want,
                     "': no device with that index (devices: ", choices, ")"));
  }
  std::string lower = absl::AsciiStrToLower(want);
  for (size_t i = 0; i < names.size(); ++i)
    if (absl::StrContains(absl::AsciiStrToLower(names[i]), lower))
      return int(i);
  return absl::NotFoundError(
      absl::StrCat(backend, ": ", from, " '", want,
                   "' matches no device (devices: ", choices, ")"));
}

absl::StatusOr<std::vector<uint8_t>>
detail::readFileBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(
        absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  return bytes;
}

#ifndef GPUINIT_HAVE_VULKAN
absl::StatusOr<std::vector<DeviceInfo>> detail::enumerateVulkanDevices() {
  return absl::UnavailableError(
      "vulkan: not built (Vulkan headers were missing at configure time; "
      "install libvulkan-dev and reconfigure)");
}
absl::StatusOr<std::unique_ptr<Device>>
detail::openVulkanDevice(const DeviceOptions &) {
  return enumerateVulkanDevices().status();
}
#endif
