//===- VulkanDevice.cpp - compute on Vulkan, loader opened at run time ----===//
//
// The Vulkan device: libvulkan.so.1 is opened with dlopen and every entry
// point comes through vkGetInstanceProcAddr / vkGetDeviceProcAddr, so the
// binary runs (and reports clearly) on machines without a loader or driver.
// A dispatch binds buffer arguments as storage buffers in set 0 and scalars
// as push constants or, for modules without a push-constant block, as
// one-value storage buffers (the interface-variable ABI of MLIR's
// convert-gpu-to-spirv); docs/Runtime.md states the convention.
//
//===----------------------------------------------------------------------===//
#include "DeviceBackends.h"

#include "gpuinit/Runtime/SpirvInfo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>

using namespace gpuinit::runtime;
using namespace gpuinit::runtime::detail;

namespace {

//===----------------------------------------------------------------------===//
// Loading the API
//===----------------------------------------------------------------------===//

// Entry points resolved through vkGetInstanceProcAddr(instance, ...).
#define GPUINIT_VK_INSTANCE_FUNCTIONS(X)                                       \
  X(vkDestroyInstance)                                                         \
  X(vkEnumeratePhysicalDevices)                                                \
  X(vkGetPhysicalDeviceProperties)                                             \
  X(vkGetPhysicalDeviceProperties2)                                            \
  X(vkGetPhysicalDeviceQueueFamilyProperties)                                  \
  X(vkGetPhysicalDeviceMemoryProperties)                                       \
  X(vkGetPhysicalDeviceFeatures2)                                              \
  X(vkEnumerateDeviceExtensionProperties)                                      \
  X(vkCreateDevice)                                                            \
  X(vkGetDeviceProcAddr)

// Entry points resolved through vkGetDeviceProcAddr(device, ...).
#define GPUINIT_VK_DEVICE_FUNCTIONS(X)                                         \
  X(vkDestroyDevice)                                                           \
  X(vkGetDeviceQueue)                                                          \
  X(vkDeviceWaitIdle)                                                          \
  X(vkCreateBuffer)                                                            \
  X(vkDestroyBuffer)                                                           \
  X(vkGetBufferMemoryRequirements)                                             \
  X(vkAllocateMemory)                                                          \
  X(vkFreeMemory)                                                              \
  X(vkBindBufferMemory)                                                        \
  X(vkMapMemory)                                                               \
  X(vkFlushMappedMemoryRanges)                                                 \
  X(vkInvalidateMappedMemoryRanges)                                            \
  X(vkCreateShaderModule)                                                      \
  X(vkDestroyShaderModule)                                                     \
  X(vkCreateDescriptorSetLayout)                                               \
  X(vkDestroyDescriptorSetLayout)                                              \
  X(vkCreatePipelineLayout)                                                    \
  X(vkDestroyPipelineLayout)                                                   \
  X(vkCreateComputePipelines)                                                  \
  X(vkDestroyPipeline)                                                         \
  X(vkCreateDescriptorPool)                                                    \
  X(vkDestroyDescriptorPool)                                                   \
  X(vkAllocateDescriptorSets)                                                  \
  X(vkUpdateDescriptorSets)                                                    \
  X(vkCreateCommandPool)                                                       \
  X(vkDestroyCommandPool)                                                      \
  X(vkAllocateCommandBuffers)                                                  \
  X(vkFreeCommandBuffers)                                                      \
  X(vkBeginCommandBuffer)                                                      \
  X(vkEndCommandBuffer)                                                        \
  X(vkCmdBindPipeline)                                                         \
  X(vkCmdBindDescriptorSets)                                                   \
  X(vkCmdPushConstants)                                                        \
  X(vkCmdDispatch)                                                             \
  X(vkCmdPipelineBarrier)                                                      \
  X(vkCmdCopyBuffer)                                                           \
  X(vkCmdResetQueryPool)                                                       \
  X(vkCmdWriteTimestamp)                                                       \
  X(vkCreateQueryPool)                                                         \
  X(vkDestroyQueryPool)                                                        \
  X(vkGetQueryPoolResults)                                                     \
  X(vkCreateFence)                                                             \
  X(vkDestroyFence)                                                            \
  X(vkWaitForFences)                                                           \
  X(vkQueueSubmit)

/// A zeroed Vulkan structure with its sType set.
template <typename T> T make(VkStructureType type) {
  T value{};
  value.sType = type;
  return value;
}

#define GPUINIT_VK_DECLARE(name) PFN_##name name = nullptr;

/// The loader: the global entry points.
struct VulkanLoader {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
  /// Null on a Vulkan 1.0 loader.
  PFN_vkEnumerateInstanceVersion vkEnumerateInstanceVersion = nullptr;
};

struct InstanceFns {
  GPUINIT_VK_INSTANCE_FUNCTIONS(GPUINIT_VK_DECLARE)
};
struct DeviceFns {
  GPUINIT_VK_DEVICE_FUNCTIONS(GPUINIT_VK_DECLARE)
};

const char *resultName(VkResult r) {
  switch (r) {
#define CASE(x)                                                                \
  case x:                                                                      \
    return #x;
    CASE(VK_SUCCESS)
    CASE(VK_NOT_READY)
    CASE(VK_TIMEOUT)
    CASE(VK_INCOMPLETE)
    CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
    CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    CASE(VK_ERROR_INITIALIZATION_FAILED)
    CASE(VK_ERROR_DEVICE_LOST)
    CASE(VK_ERROR_MEMORY_MAP_FAILED)
    CASE(VK_ERROR_LAYER_NOT_PRESENT)
    CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
    CASE(VK_ERROR_FEATURE_NOT_PRESENT)
    CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
    CASE(VK_ERROR_TOO_MANY_OBJECTS)
    CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
    CASE(VK_ERROR_FRAGMENTED_POOL)
    CASE(VK_ERROR_UNKNOWN)
    CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
    CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    CASE(VK_ERROR_FRAGMENTATION)
    CASE(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
    CASE(VK_PIPELINE_COMPILE_REQUIRED)
    CASE(VK_ERROR_INVALID_SHADER_NV)
#undef CASE
  default:
    return nullptr;
  }
}

std::string describe(VkResult r) {
  if (const char *name = resultName(r))
    return name;
  return absl::StrCat("VkResult ", int(r));
}

/// Opens libvulkan.so.1 once per process (never closed: drivers register
/// atexit handlers).
absl::StatusOr<const VulkanLoader *> loadVulkan() {
  static std::once_flag once;
  static VulkanLoader loader;
  static absl::Status status;
  std::call_once(once, [] {
    static absl::StatusOr<DynamicLibrary> lib =
        DynamicLibrary::open("libvulkan.so.1");
    if (!lib.ok()) {
      status = absl::UnavailableError(
          "vulkan: libvulkan.so.1 not found (no Vulkan loader on this "
          "machine; Debian: libvulkan1 and a driver such as "
          "mesa-vulkan-drivers)");
      return;
    }
    loader.vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(
        lib->symbol("vkGetInstanceProcAddr"));
    if (!loader.vkGetInstanceProcAddr) {
      status = absl::UnavailableError(
          "vulkan: libvulkan.so.1 has no vkGetInstanceProcAddr");
      return;
    }
    loader.vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(
        loader.vkGetInstanceProcAddr(nullptr, "vkCreateInstance"));
    loader.vkEnumerateInstanceVersion =
        reinterpret_cast<PFN_vkEnumerateInstanceVersion>(
            loader.vkGetInstanceProcAddr(nullptr,
                                         "vkEnumerateInstanceVersion"));
    if (!loader.vkCreateInstance)
      status = absl::UnavailableError(
          "vulkan: vkGetInstanceProcAddr(vkCreateInstance) returned null");
  });
  if (!status.ok())
    return status;
  return &loader;
}

std::string versionString(uint32_t v) {
  return absl::StrCat(VK_API_VERSION_MAJOR(v), ".", VK_API_VERSION_MINOR(v),
                      ".", VK_API_VERSION_PATCH(v));
}

/// An instance with its entry points; destroyed with the object.
struct Instance {
  const VulkanLoader *loader = nullptr;
  VkInstance instance = VK_NULL_HANDLE;
  uint32_t apiVersion = VK_API_VERSION_1_0;
  InstanceFns fn;

  Instance() = default;
  Instance(const Instance &) = delete;
  ~Instance() {
    if (instance && fn.vkDestroyInstance)
      fn.vkDestroyInstance(instance, nullptr);
  }

  static absl::StatusOr<std::unique_ptr<Instance>> create() {
    absl::StatusOr<const VulkanLoader *> loader = loadVulkan();
    if (!loader.ok())
      return loader.status();
    auto inst = std::make_unique<Instance>();
    inst->loader = *loader;
    uint32_t loaderVersion = VK_API_VERSION_1_0;
    if ((*loader)->vkEnumerateInstanceVersion)
      (*loader)->vkEnumerateInstanceVersion(&loaderVersion);
    inst->apiVersion = std::min<uint32_t>(loaderVersion, VK_API_VERSION_1_3);
    if (inst->apiVersion < VK_API_VERSION_1_1)
      return absl::UnavailableError(absl::StrCat(
          "vulkan: the loader supports Vulkan ", versionString(loaderVersion),
          "; gpuinit needs 1.1 (subgroups, 16-bit storage)"));
    auto app = make<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
    app.pApplicationName = "gpuinit";
    app.pEngineName = "gpuinit-runtime";
    app.apiVersion = inst->apiVersion;
    auto info =
        make<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
    info.pApplicationInfo = &app;
    if (VkResult r =
            (*loader)->vkCreateInstance(&info, nullptr, &inst->instance);
        r != VK_SUCCESS) {
      inst->instance = VK_NULL_HANDLE;
      if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
        return absl::UnavailableError(
            "vulkan: vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER (no "
            "Vulkan driver (ICD) is installed)");
      return absl::UnavailableError(
          absl::StrCat("vulkan: vkCreateInstance failed: ", describe(r)));
    }
    std::string missing;
#define GPUINIT_VK_LOAD_INSTANCE(name)                                         \
  inst->fn.name = reinterpret_cast<PFN_##name>(                                \
      (*loader)->vkGetInstanceProcAddr(inst->instance, #name));                \
  if (!inst->fn.name)                                                          \
    absl::StrAppend(&missing, missing.empty() ? "" : ", ", #name);
    GPUINIT_VK_INSTANCE_FUNCTIONS(GPUINIT_VK_LOAD_INSTANCE)
#undef GPUINIT_VK_LOAD_INSTANCE
    if (!missing.empty())
      return absl::UnavailableError(
          absl::StrCat("vulkan: the loader lacks ", missing));
    return inst;
  }

  /// Physical devices with a compute queue, and why others were left out.
  struct Candidate {
    VkPhysicalDevice device;
    VkPhysicalDeviceProperties props;
    uint32_t queueFamily;
    uint32_t timestampBits;
    uint32_t subgroupSize;
    /// Sizes a pipeline can require (VK_EXT_subgroup_size_control / 1.3),
    /// 0 when the device cannot require one for compute shaders.
    uint32_t minSubgroupSize = 0, maxSubgroupSize = 0;
  };
  absl::StatusOr<std::vector<Candidate>> candidates() const {
    uint32_t count = 0;
    if (VkResult r = fn.vkEnumeratePhysicalDevices(instance, &count, nullptr);
        r != VK_SUCCESS)
      return absl::UnavailableError(absl::StrCat(
          "vulkan: vkEnumeratePhysicalDevices failed: ", describe(r)));
    std::vector<VkPhysicalDevice> devices(count);
    if (VkResult r =
            fn.vkEnumeratePhysicalDevices(instance, &count, devices.data());
        r != VK_SUCCESS && r != VK_INCOMPLETE)
      return absl::UnavailableError(absl::StrCat(
          "vulkan: vkEnumeratePhysicalDevices failed: ", describe(r)));
    devices.resize(count);
    std::vector<Candidate> out;
    for (VkPhysicalDevice d : devices) {
      Candidate c{d, {}, 0, 0, 0, 0, 0};
      fn.vkGetPhysicalDeviceProperties(d, &c.props);
      if (c.props.apiVersion < VK_API_VERSION_1_1)
        continue;
      uint32_t families = 0;
      fn.vkGetPhysicalDeviceQueueFamilyProperties(d, &families, nullptr);
      std::vector<VkQueueFamilyProperties> qf(families);
      fn.vkGetPhysicalDeviceQueueFamilyProperties(d, &families, qf.data());
      bool found = false;
      for (uint32_t i = 0; i < families && !found; ++i)
        if (qf[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
          c.queueFamily = i;
          c.timestampBits = qf[i].timestampValidBits;
          found = true;
        }
      if (!found)
        continue;
      auto subgroup = make<VkPhysicalDeviceSubgroupProperties>(
          VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES);
      auto props2 = make<VkPhysicalDeviceProperties2>(
          VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
      props2.pNext = &subgroup;
      auto sizeControl = make<VkPhysicalDeviceSubgroupSizeControlProperties>(
          VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES);
      if (c.props.apiVersion >= VK_API_VERSION_1_3 &&
          apiVersion >= VK_API_VERSION_1_3)
        subgroup.pNext = &sizeControl;
      fn.vkGetPhysicalDeviceProperties2(d, &props2);
      c.subgroupSize = subgroup.subgroupSize;
      if (sizeControl.requiredSubgroupSizeStages & VK_SHADER_STAGE_COMPUTE_BIT) {
        c.minSubgroupSize = sizeControl.minSubgroupSize;
        c.maxSubgroupSize = sizeControl.maxSubgroupSize;
      }
      out.push_back(c);
    }
    if (out.empty())
      return absl::UnavailableError(
          absl::StrCat("vulkan: no Vulkan 1.1 device with a compute queue (",
                       devices.size(), " physical device(s) found)"));
    return out;
  }
};

const char *typeName(VkPhysicalDeviceType t) {
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
    return "integrated GPU";
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
    return "discrete GPU";
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
    return "virtual GPU";
  case VK_PHYSICAL_DEVICE_TYPE_CPU:
    return "cpu";
  default:
    return "other";
  }
}

/// Lower is preferred: discrete, integrated, virtual, cpu, other.
int typeRank(VkPhysicalDeviceType t) {
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
    return 0;
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
    return 1;
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
    return 2;
  case VK_PHYSICAL_DEVICE_TYPE_CPU:
    return 3;
  default:
    return 4;
  }
}

//===----------------------------------------------------------------------===//
// The device state shared by buffers, modules and dispatches
//===----------------------------------------------------------------------===//

/// A VkBuffer with its memory.
struct Allocation {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  /// Mapped pointer when the memory is host-visible and mapped.
  void *mapped = nullptr;
  bool coherent = true;
  VkDeviceSize size = 0;
};

/// A dispatch submitted and not yet waited for, with what it owns.
struct Pending {
  VkFence fence = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkDescriptorPool descriptors = VK_NULL_HANDLE;
  VkQueryPool queries = VK_NULL_HANDLE;
  /// One-value buffers holding scalar arguments.
  std::vector<Allocation> scalars;
  std::chrono::steady_clock::time_point submitted;
};

struct VulkanContext {
  std::unique_ptr<Instance> instance;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties props{};
  VkPhysicalDeviceMemoryProperties memory{};
  uint32_t queueFamily = 0;
  uint32_t timestampBits = 0;
  /// The default subgroup size, and the range a pipeline may require
  /// (0..0 when it cannot: no subgroupSizeControl).
  uint32_t subgroupSize = 0;
  uint32_t minSubgroupSize = 0, maxSubgroupSize = 0;
  /// VK_EXT_shader_atomic_float's f32 atomic add, when enabled.
  bool bufferFloat32AtomicAdd = false, sharedFloat32AtomicAdd = false;
  VkDevice device = VK_NULL_HANDLE;
  DeviceFns fn;
  VkQueue queue = VK_NULL_HANDLE;
  VkCommandPool pool = VK_NULL_HANDLE;
  bool staging = false;
  std::string label;
  std::vector<Pending> pending;
  /// Times of dispatches completed by drains nobody collected yet.
  std::vector<KernelTime> completed;

  ~VulkanContext() {
    if (!device)
      return;
    fn.vkDeviceWaitIdle(device);
    for (Pending &p : pending)
      release(p);
    if (pool)
      fn.vkDestroyCommandPool(device, pool, nullptr);
    fn.vkDestroyDevice(device, nullptr);
  }

  absl::Status fail(absl::string_view call, VkResult r,
                    absl::string_view detail = "") const {
    return absl::InternalError(
        absl::StrCat(label, ": ", call, " failed: ", describe(r), detail));
  }

  bool timestamps() const {
    return timestampBits > 0 && props.limits.timestampPeriod > 0;
  }

  /// A memory type allowed by `bits` with all of `required`; among those,
  /// the first with all of `preferred`. -1 if none.
  int memoryType(uint32_t bits, VkMemoryPropertyFlags required,
                 VkMemoryPropertyFlags preferred) const {
    int fallback = -1;
    for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
      if (!(bits & (1u << i)))
        continue;
      VkMemoryPropertyFlags f = memory.memoryTypes[i].propertyFlags;
      if ((f & required) != required)
        continue;
      if ((f & preferred) == preferred)
        return int(i);
      if (fallback < 0)
        fallback = int(i);
    }
    return fallback;
  }

  /// Creates a buffer and its memory. `host` asks for host-visible mapped
  /// memory (staging and scalar buffers); otherwise device buffers are
  /// host-visible unless staging is forced or no such memory exists.
  absl::StatusOr<Allocation> allocate(VkDeviceSize size, bool host) {
    Allocation a;
    // Vulkan has no empty buffers; descriptors need a multiple of 4.
    a.size = std::max<VkDeviceSize>(4, (size + 3) & ~VkDeviceSize(3));
    auto info = make<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    info.size = a.size;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                 VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT |
                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    if (VkResult r = fn.vkCreateBuffer(device, &info, nullptr, &a.buffer);
        r != VK_SUCCESS)
      return fail("vkCreateBuffer", r, absl::StrCat(" (", size, " bytes)"));
    VkMemoryRequirements req;
    fn.vkGetBufferMemoryRequirements(device, a.buffer, &req);
    const VkMemoryPropertyFlags visible = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
    const VkMemoryPropertyFlags coherent = VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    const VkMemoryPropertyFlags local = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    int type = -1;
    bool map = false;
    if (host || !staging) {
      type = memoryType(req.memoryTypeBits, visible,
                        host ? coherent : (coherent | local));
      map = type >= 0;
    }
    if (type < 0 && !host)
      type = memoryType(req.memoryTypeBits, 0, local);
    if (type < 0) {
      fn.vkDestroyBuffer(device, a.buffer, nullptr);
      return absl::ResourceExhaustedError(absl::StrCat(
          label, ": no memory type for a ", host ? "host-visible " : "",
          "buffer (vkGetBufferMemoryRequirements allows types 0x",
          absl::Hex(req.memoryTypeBits), ")"));
    }
    a.coherent = memory.memoryTypes[type].propertyFlags & coherent;
    auto alloc =
        make<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    alloc.allocationSize = req.size;
    alloc.memoryTypeIndex = uint32_t(type);
    if (VkResult r = fn.vkAllocateMemory(device, &alloc, nullptr, &a.memory);
        r != VK_SUCCESS) {
      fn.vkDestroyBuffer(device, a.buffer, nullptr);
      return fail("vkAllocateMemory", r,
                  absl::StrCat(" (", req.size, " bytes)"));
    }
    if (VkResult r = fn.vkBindBufferMemory(device, a.buffer, a.memory, 0);
        r != VK_SUCCESS) {
      free(a);
      return fail("vkBindBufferMemory", r);
    }
    if (map)
      if (VkResult r =
              fn.vkMapMemory(device, a.memory, 0, VK_WHOLE_SIZE, 0, &a.mapped);
          r != VK_SUCCESS) {
        free(a);
        return fail("vkMapMemory", r);
      }
    return a;
  }

  void free(Allocation &a) {
    // Freeing mapped memory unmaps it.
    if (a.buffer)
      fn.vkDestroyBuffer(device, a.buffer, nullptr);
    if (a.memory)
      fn.vkFreeMemory(device, a.memory, nullptr);
    a = Allocation();
  }

  absl::Status flush(const Allocation &a) {
    if (a.coherent)
      return absl::OkStatus();
    auto range =
        make<VkMappedMemoryRange>(VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE);
    range.memory = a.memory;
    range.size = VK_WHOLE_SIZE;
    if (VkResult r = fn.vkFlushMappedMemoryRanges(device, 1, &range);
        r != VK_SUCCESS)
      return fail("vkFlushMappedMemoryRanges", r);
    return absl::OkStatus();
  }

  absl::Status invalidate(const Allocation &a) {
    if (a.coherent)
      return absl::OkStatus();
    auto range =
        make<VkMappedMemoryRange>(VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE);
    range.memory = a.memory;
    range.size = VK_WHOLE_SIZE;
    if (VkResult r = fn.vkInvalidateMappedMemoryRanges(device, 1, &range);
        r != VK_SUCCESS)
      return fail("vkInvalidateMappedMemoryRanges", r);
    return absl::OkStatus();
  }

  absl::StatusOr<VkCommandBuffer> beginCommands() {
    auto info = make<VkCommandBufferAllocateInfo>(
        VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
    info.commandPool = pool;
    info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    info.commandBufferCount = 1;
    VkCommandBuffer cb;
    if (VkResult r = fn.vkAllocateCommandBuffers(device, &info, &cb);
        r != VK_SUCCESS)
      return fail("vkAllocateCommandBuffers", r);
    auto begin = make<VkCommandBufferBeginInfo>(
        VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    if (VkResult r = fn.vkBeginCommandBuffer(cb, &begin); r != VK_SUCCESS) {
      fn.vkFreeCommandBuffers(device, pool, 1, &cb);
      return fail("vkBeginCommandBuffer", r);
    }
    return cb;
  }

  /// Ends and submits `cb` with a new fence (returned).
  absl::StatusOr<VkFence> submit(VkCommandBuffer cb) {
    if (VkResult r = fn.vkEndCommandBuffer(cb); r != VK_SUCCESS)
      return fail("vkEndCommandBuffer", r);
    auto fenceInfo =
        make<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
    VkFence fence;
    if (VkResult r = fn.vkCreateFence(device, &fenceInfo, nullptr, &fence);
        r != VK_SUCCESS)
      return fail("vkCreateFence", r);
    auto info = make<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    info.commandBufferCount = 1;
    info.pCommandBuffers = &cb;
    if (VkResult r = fn.vkQueueSubmit(queue, 1, &info, fence);
        r != VK_SUCCESS) {
      fn.vkDestroyFence(device, fence, nullptr);
      return fail("vkQueueSubmit", r);
    }
    return fence;
  }

  absl::Status waitFence(VkFence fence) {
    if (VkResult r = fn.vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX);
        r != VK_SUCCESS)
      return fail("vkWaitForFences", r);
    return absl::OkStatus();
  }

  /// Records a copy between buffers, submits it and waits.
  absl::Status copy(VkBuffer from, VkDeviceSize fromOffset, VkBuffer to,
                    VkDeviceSize toOffset, VkDeviceSize size) {
    if (absl::Status s = drain(); !s.ok())
      return s;
    absl::StatusOr<VkCommandBuffer> cb = beginCommands();
    if (!cb.ok())
      return cb.status();
    VkBufferCopy region{fromOffset, toOffset, size};
    fn.vkCmdCopyBuffer(*cb, from, to, 1, &region);
    absl::StatusOr<VkFence> fence = submit(*cb);
    absl::Status s = fence.ok() ? waitFence(*fence) : fence.status();
    if (fence.ok())
      fn.vkDestroyFence(device, *fence, nullptr);
    fn.vkFreeCommandBuffers(device, pool, 1, &*cb);
    return s;
  }

  void release(Pending &p) {
    if (p.fence)
      fn.vkDestroyFence(device, p.fence, nullptr);
    if (p.commands)
      fn.vkFreeCommandBuffers(device, pool, 1, &p.commands);
    if (p.descriptors)
      fn.vkDestroyDescriptorPool(device, p.descriptors, nullptr);
    if (p.queries)
      fn.vkDestroyQueryPool(device, p.queries, nullptr);
    for (Allocation &a : p.scalars)
      free(a);
    p = Pending();
  }

  /// Waits for every pending dispatch, in order; their times go to
  /// `completed`.
  absl::Status drain() {
    absl::Status status;
    for (Pending &p : pending) {
      absl::Status s = status.ok() ? waitFence(p.fence) : status;
      auto done = std::chrono::steady_clock::now();
      if (s.ok()) {
        KernelTime t;
        t.milliseconds =
            std::chrono::duration<double, std::milli>(done - p.submitted)
                .count();
        if (p.queries) {
          uint64_t ticks[2] = {0, 0};
          VkResult r = fn.vkGetQueryPoolResults(
              device, p.queries, 0, 2, sizeof(ticks), ticks, sizeof(uint64_t),
              VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
          if (r != VK_SUCCESS) {
            s = fail("vkGetQueryPoolResults", r);
          } else {
            uint64_t mask = timestampBits >= 64
                                ? ~uint64_t(0)
                                : (uint64_t(1) << timestampBits) - 1;
            uint64_t delta = ((ticks[1] & mask) - (ticks[0] & mask)) & mask;
            t.milliseconds = double(delta) * props.limits.timestampPeriod / 1e6;
            t.source = TimingSource::DeviceTimestamps;
          }
        }
        if (s.ok())
          completed.push_back(t);
      }
      if (!s.ok() && status.ok())
        status = s;
      release(p);
    }
    pending.clear();
    return status;
  }
};

//===----------------------------------------------------------------------===//
// Buffers and modules
//===----------------------------------------------------------------------===//

class VulkanBuffer : public Buffer {
public:
  VulkanBuffer(const void *owner, uint64_t size,
               std::shared_ptr<VulkanContext> ctx, Allocation alloc)
      : Buffer(owner, size), ctx(std::move(ctx)), alloc(alloc) {}
  ~VulkanBuffer() override {
    (void)ctx->drain();
    ctx->free(alloc);
  }
  std::shared_ptr<VulkanContext> ctx;
  Allocation alloc;
};

/// The objects a kernel needs, built on its first dispatch with a given
/// binding layout.
struct Pipeline {
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
};

class VulkanModule : public Module {
public:
  VulkanModule(const void *owner, std::string origin,
               std::shared_ptr<VulkanContext> ctx, VkShaderModule shader,
               SpirvInfo info)
      : Module(owner, ModuleFormat::Spirv, std::move(origin)),
        ctx(std::move(ctx)), shader(shader), info(std::move(info)) {}
  ~VulkanModule() override {
    (void)ctx->drain();
    for (auto &[key, p] : pipelines) {
      ctx->fn.vkDestroyPipeline(ctx->device, p.pipeline, nullptr);
      ctx->fn.vkDestroyPipelineLayout(ctx->device, p.layout, nullptr);
      ctx->fn.vkDestroyDescriptorSetLayout(ctx->device, p.setLayout, nullptr);
    }
    ctx->fn.vkDestroyShaderModule(ctx->device, shader, nullptr);
  }
  std::shared_ptr<VulkanContext> ctx;
  VkShaderModule shader;
  SpirvInfo info;
  std::map<std::string, Pipeline> pipelines;
};

std::string dims(const Dim3 &d) {
  return absl::StrCat(d.x, "x", d.y, "x", d.z);
}

/// One descriptor of a dispatch: binding number, type and buffer.
struct Bound {
  uint32_t binding;
  VkDescriptorType type;
  VkBuffer buffer;
};

//===----------------------------------------------------------------------===//
// The device
//===----------------------------------------------------------------------===//

class VulkanDevice : public Device {
public:
  VulkanDevice(std::string name, std::shared_ptr<VulkanContext> ctx)
      : Device(DeviceKind::Vulkan, std::move(name)), ctx_(std::move(ctx)) {}

  ~VulkanDevice() override { (void)ctx_->drain(); }

  absl::StatusOr<std::unique_ptr<Buffer>> createBuffer(uint64_t size) override {
    absl::StatusOr<Allocation> a = ctx_->allocate(size, /*host=*/false);
    if (!a.ok())
      return a.status();
    return std::unique_ptr<Buffer>(new VulkanBuffer(this, size, ctx_, *a));
  }

protected:
  bool accepts(ModuleFormat format) const override {
    return format == ModuleFormat::Spirv;
  }

  absl::Status uploadImpl(Buffer &buffer, absl::Span<const uint8_t> data,
                          uint64_t offset) override {
    auto &b = static_cast<VulkanBuffer &>(buffer);
    if (b.alloc.mapped) {
      std::memcpy(static_cast<uint8_t *>(b.alloc.mapped) + offset, data.data(),
                  data.size());
      return ctx_->flush(b.alloc);
    }
    absl::StatusOr<Allocation> staging = ctx_->allocate(data.size(), true);
    if (!staging.ok())
      return staging.status();
    std::memcpy(staging->mapped, data.data(), data.size());
    absl::Status s = ctx_->flush(*staging);
    if (s.ok())
      s = ctx_->copy(staging->buffer, 0, b.alloc.buffer, offset, data.size());
    ctx_->free(*staging);
    return s;
  }

  absl::Status downloadImpl(Buffer &buffer, absl::Span<uint8_t> out,
                            uint64_t offset) override {
    auto &b = static_cast<VulkanBuffer &>(buffer);
    if (b.alloc.mapped) {
      if (absl::Status s = ctx_->invalidate(b.alloc); !s.ok())
        return s;
      std::memcpy(out.data(), static_cast<uint8_t *>(b.alloc.mapped) + offset,
                  out.size());
      return absl::OkStatus();
    }
    absl::StatusOr<Allocation> staging = ctx_->allocate(out.size(), true);
    if (!staging.ok())
      return staging.status();
    absl::Status s =
        ctx_->copy(b.alloc.buffer, offset, staging->buffer, 0, out.size());
    if (s.ok())
      s = ctx_->invalidate(*staging);
    if (s.ok())
      std::memcpy(out.data(), staging->mapped, out.size());
    ctx_->free(*staging);
    return s;
  }

  absl::StatusOr<std::unique_ptr<Module>>
  loadModuleImpl(ModuleFormat, absl::Span<const uint8_t> image,
                 const std::string &origin) override {
    // The driver's behaviour on a malformed module is undefined: check the
    // structure first.
    absl::StatusOr<SpirvInfo> info = readSpirvInfo(image);
    if (!info.ok())
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat(origin, ": ", info.status().message()));
    // Capabilities that need a device feature the runtime may not have
    // enabled (the driver's behaviour would be undefined).
    constexpr uint32_t kAtomicFloat32AddEXT = 6033;
    if (std::find(info->capabilities.begin(), info->capabilities.end(),
                  kAtomicFloat32AddEXT) != info->capabilities.end() &&
        !ctx_->bufferFloat32AtomicAdd && !ctx_->sharedFloat32AtomicAdd)
      return error(absl::StatusCode::kFailedPrecondition,
                   absl::StrCat(origin,
                                ": the module uses the AtomicFloat32AddEXT "
                                "capability (f32 atomic add), which needs "
                                "VK_EXT_shader_atomic_float with "
                                "shaderBufferFloat32AtomicAdd; the device "
                                "does not have it"));
    std::vector<uint32_t> words(image.size() / 4);
    std::memcpy(words.data(), image.data(), image.size());
    auto create = make<VkShaderModuleCreateInfo>(
        VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    create.codeSize = image.size();
    create.pCode = words.data();
    VkShaderModule shader;
    if (VkResult r = ctx_->fn.vkCreateShaderModule(ctx_->device, &create,
                                                   nullptr, &shader);
        r != VK_SUCCESS)
      return ctx_->fail("vkCreateShaderModule", r,
                        absl::StrCat(" for ", origin));
    return std::unique_ptr<Module>(
        new VulkanModule(this, origin, ctx_, shader, std::move(*info)));
  }

  absl::Status dispatchImpl(Module &module, const Dispatch &d) override {
    auto &m = static_cast<VulkanModule &>(module);
    std::string what = absl::StrCat("dispatch of '", d.kernel, "'");
    auto invalid = [&](absl::string_view msg) {
      return error(absl::StatusCode::kInvalidArgument,
                   absl::StrCat(what, ": ", msg));
    };
    const SpirvEntryPoint *entry = m.info.findCompute(d.kernel);
    if (!entry)
      return error(absl::StatusCode::kNotFound,
                   absl::StrCat("no compute entry point '", d.kernel, "' in ",
                                m.origin(), " (entry points: ",
                                m.info.entryPointList(), ")"));
    if (d.sharedBytes)
      return invalid(absl::StrCat(
          d.sharedBytes, " bytes of dynamic shared memory requested; Vulkan "
                         "compute has none (size workgroup arrays in the "
                         "module)"));
    if (entry->localSize && d.block.count() != 1) {
      const auto &ls = *entry->localSize;
      if (ls[0] != d.block.x || ls[1] != d.block.y || ls[2] != d.block.z)
        return invalid(absl::StrCat(
            "block ", dims(d.block), " differs from the module's LocalSize ",
            ls[0], "x", ls[1], "x", ls[2],
            " (Vulkan takes the workgroup size from the module)"));
    }
    const VkPhysicalDeviceLimits &limits = ctx_->props.limits;
    uint32_t grid[3] = {d.grid.x, d.grid.y, d.grid.z};
    for (int i = 0; i < 3; ++i)
      if (grid[i] > limits.maxComputeWorkGroupCount[i])
        return invalid(absl::StrCat("grid ", dims(d.grid),
                                    " exceeds the limit ",
                                    limits.maxComputeWorkGroupCount[0], "x",
                                    limits.maxComputeWorkGroupCount[1], "x",
                                    limits.maxComputeWorkGroupCount[2]));

    // Which argument each binding gets (docs/Runtime.md): with a
    // push-constant block, buffers take bindings 0..n-1 in order and scalars
    // go to push constants; without one, argument i is binding i and a
    // scalar is a one-value storage buffer.
    bool anyScalar = false;
    size_t buffers = 0;
    for (const KernelArg &a : d.args) {
      anyScalar |= a.kind != KernelArg::Kind::Buffer;
      buffers += a.kind == KernelArg::Kind::Buffer;
    }
    bool pushMode = entry->hasPushConstants;
    std::vector<int> argOfBinding; // binding -> argument index
    for (size_t i = 0; i < d.args.size(); ++i)
      if (!pushMode || d.args[i].kind == KernelArg::Kind::Buffer)
        argOfBinding.push_back(int(i));
    uint32_t declared = 0;
    std::vector<std::string> declaredList;
    for (const SpirvBinding &b : entry->bindings) {
      if (b.set != 0)
        return invalid(absl::StrCat("the kernel uses descriptor set ", b.set,
                                    "; arguments are bound in set 0 only"));
      if (b.kind == SpirvBindingKind::Other)
        return invalid(absl::StrCat("binding ", b.binding,
                                    " is not a buffer (images and samplers "
                                    "are not supported)"));
      declared = std::max(declared, b.binding + 1);
      declaredList.push_back(absl::StrCat(b.binding));
    }
    if (argOfBinding.size() != declared) {
      std::string has =
          entry->bindings.empty()
              ? "no buffer bindings"
              : absl::StrCat(declared, " buffer binding",
                             declared == 1 ? "" : "s", " (",
                             absl::StrJoin(declaredList, ", "), ")");
      std::string passes =
          pushMode ? absl::StrCat(buffers, " buffer argument",
                                  buffers == 1 ? "" : "s")
                   : absl::StrCat(d.args.size(), " argument",
                                  d.args.size() == 1 ? "" : "s",
                                  anyScalar ? " (no push-constant block: "
                                              "argument i is binding i, "
                                              "scalars included)"
                                            : "");
      return invalid(absl::StrCat("wrong argument count: the kernel declares ",
                                  has, ", the dispatch passes ", passes));
    }

    // Push constants: scalars in order, each at the next offset aligned to
    // its size.
    std::vector<uint8_t> push;
    if (pushMode) {
      for (const KernelArg &a : d.args) {
        if (a.kind == KernelArg::Kind::Buffer)
          continue;
        uint32_t size = a.valueSize();
        push.resize((push.size() + size - 1) / size * size);
        size_t at = push.size();
        push.resize(at + size);
        if (size == 4) {
          uint32_t v = uint32_t(a.bits);
          std::memcpy(&push[at], &v, 4);
        } else {
          std::memcpy(&push[at], &a.bits, 8);
        }
      }
      if (entry->pushConstantBytes && *entry->pushConstantBytes != push.size())
        return invalid(absl::StrCat(
            "wrong argument count: the kernel's push-constant block is ",
            *entry->pushConstantBytes,
            " bytes, the dispatch's scalar arguments make ", push.size(),
            " (each at the next offset aligned to its size)"));
      if (push.size() > limits.maxPushConstantsSize)
        return invalid(absl::StrCat(push.size(),
                                    " bytes of push constants exceed the "
                                    "device limit of ",
                                    limits.maxPushConstantsSize));
    }

    // Descriptors, with one-value buffers for scalars in interface mode.
    Pending p;
    auto cleanup = [&](absl::Status s) {
      ctx_->release(p);
      return s;
    };
    std::vector<Bound> bound;
    for (const SpirvBinding &b : entry->bindings) {
      const KernelArg &a = d.args[argOfBinding[b.binding]];
      VkBuffer buffer;
      if (a.kind == KernelArg::Kind::Buffer) {
        buffer = static_cast<VulkanBuffer *>(a.buffer)->alloc.buffer;
      } else {
        absl::StatusOr<Allocation> s = ctx_->allocate(a.valueSize(), true);
        if (!s.ok())
          return cleanup(s.status());
        p.scalars.push_back(*s);
        if (a.valueSize() == 4) {
          uint32_t v = uint32_t(a.bits);
          std::memcpy(s->mapped, &v, 4);
        } else {
          std::memcpy(s->mapped, &a.bits, 8);
        }
        if (absl::Status f = ctx_->flush(*s); !f.ok())
          return cleanup(f);
        buffer = s->buffer;
      }
      bound.push_back({b.binding,
                       b.kind == SpirvBindingKind::UniformBuffer
                           ? VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER
                           : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                       buffer});
    }

    absl::StatusOr<Pipeline *> pipeline =
        getPipeline(m, d.kernel, bound, uint32_t(push.size()));
    if (!pipeline.ok())
      return cleanup(pipeline.status());

    VkDescriptorSet set = VK_NULL_HANDLE;
    if (!bound.empty()) {
      uint32_t storage = 0, uniform = 0;
      for (const Bound &b : bound)
        (b.type == VK_DESCRIPTOR_TYPE_STORAGE_BUFFER ? storage : uniform)++;
      std::vector<VkDescriptorPoolSize> sizes;
      if (storage)
        sizes.push_back({VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, storage});
      if (uniform)
        sizes.push_back({VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, uniform});
      auto poolInfo = make<VkDescriptorPoolCreateInfo>(
          VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
      poolInfo.maxSets = 1;
      poolInfo.poolSizeCount = uint32_t(sizes.size());
      poolInfo.pPoolSizes = sizes.data();
      if (VkResult r = ctx_->fn.vkCreateDescriptorPool(ctx_->device, &poolInfo,
                                                       nullptr, &p.descriptors);
          r != VK_SUCCESS)
        return cleanup(ctx_->fail("vkCreateDescriptorPool", r));
      auto setInfo = make<VkDescriptorSetAllocateInfo>(
          VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
      setInfo.descriptorPool = p.descriptors;
      setInfo.descriptorSetCount = 1;
      setInfo.pSetLayouts = &(*pipeline)->setLayout;
      if (VkResult r =
              ctx_->fn.vkAllocateDescriptorSets(ctx_->device, &setInfo, &set);
          r != VK_SUCCESS)
        return cleanup(ctx_->fail("vkAllocateDescriptorSets", r));
      std::vector<VkDescriptorBufferInfo> infos(bound.size());
      std::vector<VkWriteDescriptorSet> writes(bound.size());
      for (size_t i = 0; i < bound.size(); ++i) {
        infos[i] = {bound[i].buffer, 0, VK_WHOLE_SIZE};
        writes[i] =
            make<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET);
        writes[i].dstSet = set;
        writes[i].dstBinding = bound[i].binding;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = bound[i].type;
        writes[i].pBufferInfo = &infos[i];
      }
      ctx_->fn.vkUpdateDescriptorSets(ctx_->device, uint32_t(writes.size()),
                                      writes.data(), 0, nullptr);
    }

    if (ctx_->timestamps()) {
      auto q =
          make<VkQueryPoolCreateInfo>(VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO);
      q.queryType = VK_QUERY_TYPE_TIMESTAMP;
      q.queryCount = 2;
      if (VkResult r =
              ctx_->fn.vkCreateQueryPool(ctx_->device, &q, nullptr, &p.queries);
          r != VK_SUCCESS)
        return cleanup(ctx_->fail("vkCreateQueryPool", r));
    }

    absl::StatusOr<VkCommandBuffer> cb = ctx_->beginCommands();
    if (!cb.ok())
      return cleanup(cb.status());
    p.commands = *cb;
    const DeviceFns &fn = ctx_->fn;
    // Earlier host writes, copies and dispatches (submission order on the
    // one queue) before this dispatch reads or writes...
    auto before = make<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    before.srcAccessMask = VK_ACCESS_HOST_WRITE_BIT |
                           VK_ACCESS_TRANSFER_WRITE_BIT |
                           VK_ACCESS_SHADER_WRITE_BIT;
    before.dstAccessMask =
        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
    fn.vkCmdPipelineBarrier(p.commands,
                            VK_PIPELINE_STAGE_HOST_BIT |
                                VK_PIPELINE_STAGE_TRANSFER_BIT |
                                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &before,
                            0, nullptr, 0, nullptr);
    fn.vkCmdBindPipeline(p.commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                         (*pipeline)->pipeline);
    if (set)
      fn.vkCmdBindDescriptorSets(p.commands, VK_PIPELINE_BIND_POINT_COMPUTE,
                                 (*pipeline)->layout, 0, 1, &set, 0, nullptr);
    if (!push.empty())
      fn.vkCmdPushConstants(
          p.commands, (*pipeline)->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
          uint32_t((push.size() + 3) & ~size_t(3)), padded(push).data());
    if (p.queries) {
      fn.vkCmdResetQueryPool(p.commands, p.queries, 0, 2);
      fn.vkCmdWriteTimestamp(p.commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT,
                             p.queries, 0);
    }
    fn.vkCmdDispatch(p.commands, d.grid.x, d.grid.y, d.grid.z);
    if (p.queries)
      fn.vkCmdWriteTimestamp(p.commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT,
                             p.queries, 1);
    // ...and its writes before later copies and host reads.
    auto after = make<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    after.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    after.dstAccessMask =
        VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT |
        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
    fn.vkCmdPipelineBarrier(p.commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_HOST_BIT |
                                VK_PIPELINE_STAGE_TRANSFER_BIT |
                                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            0, 1, &after, 0, nullptr, 0, nullptr);
    p.submitted = std::chrono::steady_clock::now();
    absl::StatusOr<VkFence> fence = ctx_->submit(p.commands);
    if (!fence.ok())
      return cleanup(fence.status());
    p.fence = *fence;
    ctx_->pending.push_back(std::move(p));
    return absl::OkStatus();
  }

  absl::Status waitImpl(std::vector<KernelTime> &times) override {
    absl::Status s = ctx_->drain();
    times.insert(times.end(), ctx_->completed.begin(), ctx_->completed.end());
    ctx_->completed.clear();
    return s;
  }

private:
  static std::vector<uint8_t> padded(std::vector<uint8_t> bytes) {
    bytes.resize((bytes.size() + 3) & ~size_t(3));
    return bytes;
  }

  /// The subgroup size `kernel` must be created with, 0 for the default
  /// one, or an error when the device cannot provide a size its warp
  /// operations are right for.
  absl::StatusOr<uint32_t> subgroupSizeFor(const VulkanModule &m,
                                           const std::string &kernel) const {
    const SpirvEntryPoint *entry = m.info.findCompute(kernel);
    if (!entry)
      return 0u; // (the dispatch reports the missing entry point)
    uint32_t lo = entry->minSubgroupSize, hi = entry->maxSubgroupSize;
    auto fits = [&](uint32_t n) { return n >= lo && (hi == 0 || n <= hi); };
    if (fits(ctx_->subgroupSize))
      return 0u;
    if (ctx_->minSubgroupSize)
      for (uint32_t n = ctx_->minSubgroupSize; n <= ctx_->maxSubgroupSize;
           n *= 2)
        if (fits(n))
          return n;
    std::string need = hi == 0   ? absl::StrCat("at least ", lo)
                       : lo == hi ? absl::StrCat("exactly ", lo)
                       : lo <= 1  ? absl::StrCat("at most ", hi)
                                  : absl::StrCat(lo, " to ", hi);
    std::string has =
        ctx_->minSubgroupSize
            ? absl::StrCat("subgroups of ", ctx_->subgroupSize,
                           " lanes and can require ", ctx_->minSubgroupSize,
                           " to ", ctx_->maxSubgroupSize)
            : absl::StrCat("subgroups of ", ctx_->subgroupSize,
                           " lanes and cannot require another size");
    return absl::FailedPreconditionError(absl::StrCat(
        ctx_->label, ": kernel '", kernel, "' of ", m.origin(),
        " needs subgroups of ", need,
        " lanes (its warp operations: a shuffle width, or a vote's 32-bit "
        "ballot); the device has ",
        has));
  }

  /// The pipeline of `kernel` for these descriptor types and push size.
  absl::StatusOr<Pipeline *> getPipeline(VulkanModule &m,
                                         const std::string &kernel,
                                         const std::vector<Bound> &bound,
                                         uint32_t pushBytes) {
    std::string key = absl::StrCat(kernel, "|", pushBytes);
    for (const Bound &b : bound)
      absl::StrAppend(&key, "|", b.binding, ":", int(b.type));
    if (auto it = m.pipelines.find(key); it != m.pipelines.end())
      return &it->second;

    Pipeline p;
    const DeviceFns &fn = ctx_->fn;
    auto destroy = [&](absl::Status s) {
      if (p.layout)
        fn.vkDestroyPipelineLayout(ctx_->device, p.layout, nullptr);
      if (p.setLayout)
        fn.vkDestroyDescriptorSetLayout(ctx_->device, p.setLayout, nullptr);
      return s;
    };
    std::vector<VkDescriptorSetLayoutBinding> bindings;
    for (const Bound &b : bound) {
      VkDescriptorSetLayoutBinding lb{};
      lb.binding = b.binding;
      lb.descriptorType = b.type;
      lb.descriptorCount = 1;
      lb.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
      bindings.push_back(lb);
    }
    auto setInfo = make<VkDescriptorSetLayoutCreateInfo>(
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
    setInfo.bindingCount = uint32_t(bindings.size());
    setInfo.pBindings = bindings.data();
    if (VkResult r = fn.vkCreateDescriptorSetLayout(ctx_->device, &setInfo,
                                                    nullptr, &p.setLayout);
        r != VK_SUCCESS)
      return destroy(ctx_->fail("vkCreateDescriptorSetLayout", r));
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0,
                              (pushBytes + 3) & ~3u};
    auto layoutInfo = make<VkPipelineLayoutCreateInfo>(
        VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &p.setLayout;
    layoutInfo.pushConstantRangeCount = pushBytes ? 1 : 0;
    layoutInfo.pPushConstantRanges = &range;
    if (VkResult r = fn.vkCreatePipelineLayout(ctx_->device, &layoutInfo,
                                               nullptr, &p.layout);
        r != VK_SUCCESS)
      return destroy(ctx_->fail("vkCreatePipelineLayout", r));
    auto info = make<VkComputePipelineCreateInfo>(
        VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    info.stage = make<VkPipelineShaderStageCreateInfo>(
        VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO);
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = m.shader;
    info.stage.pName = kernel.c_str();
    info.layout = p.layout;
    // Warp operations compiled for a range of subgroup sizes (gpuinit's
    // OpSourceExtension): the default size if it fits, else a required one.
    auto required =
        make<VkPipelineShaderStageRequiredSubgroupSizeCreateInfo>(
            VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO);
    absl::StatusOr<uint32_t> size = subgroupSizeFor(m, kernel);
    if (!size.ok())
      return destroy(size.status());
    if (*size) {
      required.requiredSubgroupSize = *size;
      info.stage.pNext = &required;
    }
    if (VkResult r = fn.vkCreateComputePipelines(
            ctx_->device, VK_NULL_HANDLE, 1, &info, nullptr, &p.pipeline);
        r != VK_SUCCESS)
      return destroy(ctx_->fail(
          "vkCreateComputePipelines", r,
          absl::StrCat(" (kernel '", kernel, "' of ", m.origin(), ")")));
    return &(m.pipelines[key] = p);
  }

  std::shared_ptr<VulkanContext> ctx_;
};

/// Features kernels may use, enabled when the device has them.
struct Features {
  VkPhysicalDeviceFeatures2 core = make<VkPhysicalDeviceFeatures2>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
  VkPhysicalDeviceVulkan11Features v11 = make<VkPhysicalDeviceVulkan11Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES);
  VkPhysicalDeviceVulkan12Features v12 = make<VkPhysicalDeviceVulkan12Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
  VkPhysicalDeviceVulkan13Features v13 = make<VkPhysicalDeviceVulkan13Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);

  /// Chains the structures the device's API version has.
  void chain(uint32_t apiVersion) {
    core.pNext = &v11;
    v11.pNext = nullptr;
    v12.pNext = nullptr;
    if (apiVersion >= VK_API_VERSION_1_2) {
      v11.pNext = &v12;
      if (apiVersion >= VK_API_VERSION_1_3)
        v12.pNext = &v13;
    }
  }

  /// The subset to enable, from what the device supports.
  static void select(const Features &has, Features &want) {
#define KEEP(s, f) want.s.f = has.s.f;
    KEEP(core.features, shaderInt64)
    KEEP(core.features, shaderInt16)
    KEEP(core.features, shaderFloat64)
    KEEP(v11, storageBuffer16BitAccess)
    KEEP(v11, uniformAndStorageBuffer16BitAccess)
    KEEP(v11, storagePushConstant16)
    KEEP(v11, variablePointersStorageBuffer)
    KEEP(v11, variablePointers)
    KEEP(v12, storageBuffer8BitAccess)
    KEEP(v12, uniformAndStorageBuffer8BitAccess)
    KEEP(v12, storagePushConstant8)
    KEEP(v12, shaderBufferInt64Atomics)
    KEEP(v12, shaderSharedInt64Atomics)
    KEEP(v12, shaderFloat16)
    KEEP(v12, shaderInt8)
    KEEP(v12, scalarBlockLayout)
    KEEP(v12, shaderSubgroupExtendedTypes)
    KEEP(v12, vulkanMemoryModel)
    KEEP(v12, vulkanMemoryModelDeviceScope)
    KEEP(v13, subgroupSizeControl)
    KEEP(v13, computeFullSubgroups)
    KEEP(v13, maintenance4)
#undef KEEP
  }
};

} // namespace

absl::StatusOr<std::vector<DeviceInfo>> detail::enumerateVulkanDevices() {
  absl::StatusOr<std::unique_ptr<Instance>> inst = Instance::create();
  if (!inst.ok())
    return inst.status();
  absl::StatusOr<std::vector<Instance::Candidate>> cands =
      (*inst)->candidates();
  if (!cands.ok())
    return cands.status();
  std::vector<DeviceInfo> out;
  for (size_t i = 0; i < cands->size(); ++i) {
    const Instance::Candidate &c = (*cands)[i];
    DeviceInfo info;
    info.index = uint32_t(i);
    info.name = c.props.deviceName;
    info.details = absl::StrCat(
        typeName(c.props.deviceType), ", Vulkan ",
        versionString(c.props.apiVersion), ", subgroup size ", c.subgroupSize,
        c.minSubgroupSize ? absl::StrCat(" (", c.minSubgroupSize, " to ",
                                         c.maxSubgroupSize, " requirable)")
                          : std::string(" (fixed)"),
        ", max workgroup ", c.props.limits.maxComputeWorkGroupInvocations,
        " threads, ", c.props.limits.maxComputeSharedMemorySize,
        " bytes shared, ", c.props.limits.maxPushConstantsSize,
        " bytes push constants, ",
        c.timestampBits && c.props.limits.timestampPeriod > 0
            ? "timestamps"
            : "no timestamps (host clock)");
    out.push_back(std::move(info));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Device>>
detail::openVulkanDevice(const DeviceOptions &options) {
  absl::StatusOr<std::unique_ptr<Instance>> inst = Instance::create();
  if (!inst.ok())
    return inst.status();
  absl::StatusOr<std::vector<Instance::Candidate>> cands =
      (*inst)->candidates();
  if (!cands.ok())
    return cands.status();
  std::vector<std::string> names;
  for (const Instance::Candidate &c : *cands)
    names.push_back(c.props.deviceName);
  absl::StatusOr<int> selected =
      selectDevice("vulkan", options.select, "GPUINIT_VULKAN_DEVICE", names);
  if (!selected.ok())
    return selected.status();
  int index = *selected;
  if (index < 0) {
    index = 0;
    for (size_t i = 1; i < cands->size(); ++i)
      if (typeRank((*cands)[i].props.deviceType) <
          typeRank((*cands)[index].props.deviceType))
        index = int(i);
  }
  const Instance::Candidate &c = (*cands)[index];
  const InstanceFns &ifn = (*inst)->fn;

  auto ctx = std::make_shared<VulkanContext>();
  ctx->physical = c.device;
  ctx->props = c.props;
  ctx->queueFamily = c.queueFamily;
  ctx->timestampBits = c.timestampBits;
  ctx->subgroupSize = c.subgroupSize;
  ctx->staging = options.vulkanStaging;
  ctx->label = absl::StrCat("vulkan (", c.props.deviceName, ")");
  ifn.vkGetPhysicalDeviceMemoryProperties(c.device, &ctx->memory);

  uint32_t api = std::min(c.props.apiVersion, (*inst)->apiVersion);
  Features has, want;
  has.chain(api);
  want.chain(api);
  ifn.vkGetPhysicalDeviceFeatures2(c.device, &has.core);
  Features::select(has, want);
  // VK_EXT_shader_atomic_float when the device has it: f32 atomic adds
  // (SPIR-V AtomicFloat32AddEXT) for modules compiled with that capability.
  std::vector<const char *> extensions;
  auto atomicFloatHas = make<VkPhysicalDeviceShaderAtomicFloatFeaturesEXT>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT);
  auto atomicFloatWant = make<VkPhysicalDeviceShaderAtomicFloatFeaturesEXT>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT);
  {
    uint32_t count = 0;
    std::vector<VkExtensionProperties> props;
    if (ifn.vkEnumerateDeviceExtensionProperties(c.device, nullptr, &count,
                                                 nullptr) == VK_SUCCESS) {
      props.resize(count);
      if (ifn.vkEnumerateDeviceExtensionProperties(c.device, nullptr, &count,
                                                   props.data()) != VK_SUCCESS)
        props.clear();
      props.resize(std::min<size_t>(props.size(), count));
    }
    for (const VkExtensionProperties &e : props)
      if (std::strcmp(e.extensionName,
                      VK_EXT_SHADER_ATOMIC_FLOAT_EXTENSION_NAME) == 0) {
        auto query = make<VkPhysicalDeviceFeatures2>(
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
        query.pNext = &atomicFloatHas;
        ifn.vkGetPhysicalDeviceFeatures2(c.device, &query);
        atomicFloatWant.shaderBufferFloat32AtomicAdd =
            atomicFloatHas.shaderBufferFloat32AtomicAdd;
        atomicFloatWant.shaderSharedFloat32AtomicAdd =
            atomicFloatHas.shaderSharedFloat32AtomicAdd;
        if (atomicFloatWant.shaderBufferFloat32AtomicAdd ||
            atomicFloatWant.shaderSharedFloat32AtomicAdd) {
          extensions.push_back(VK_EXT_SHADER_ATOMIC_FLOAT_EXTENSION_NAME);
          // Last in the feature chain.
          VkBaseOutStructure *tail =
              reinterpret_cast<VkBaseOutStructure *>(&want.core);
          while (tail->pNext)
            tail = tail->pNext;
          tail->pNext = reinterpret_cast<VkBaseOutStructure *>(&atomicFloatWant);
          ctx->bufferFloat32AtomicAdd =
              atomicFloatWant.shaderBufferFloat32AtomicAdd;
          ctx->sharedFloat32AtomicAdd =
              atomicFloatWant.shaderSharedFloat32AtomicAdd;
        }
      }
  }
  if (want.v13.subgroupSizeControl) {
    ctx->minSubgroupSize = c.minSubgroupSize;
    ctx->maxSubgroupSize = c.maxSubgroupSize;
  }

  float priority = 1.0f;
  auto queue =
      make<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue.queueFamilyIndex = c.queueFamily;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  auto info = make<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
  info.pNext = &want.core;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.enabledExtensionCount = uint32_t(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (VkResult r = ifn.vkCreateDevice(c.device, &info, nullptr, &ctx->device);
      r != VK_SUCCESS) {
    ctx->device = VK_NULL_HANDLE;
    return ctx->fail("vkCreateDevice", r);
  }
  std::string missing;
#define GPUINIT_VK_LOAD_DEVICE(name)                                           \
  ctx->fn.name = reinterpret_cast<PFN_##name>(                                 \
      ifn.vkGetDeviceProcAddr(ctx->device, #name));                            \
  if (!ctx->fn.name)                                                           \
    absl::StrAppend(&missing, missing.empty() ? "" : ", ", #name);
  GPUINIT_VK_DEVICE_FUNCTIONS(GPUINIT_VK_LOAD_DEVICE)
#undef GPUINIT_VK_LOAD_DEVICE
  if (!missing.empty()) {
    // Without vkDestroyDevice the context cannot clean up; leak rather than
    // call through null.
    if (!ctx->fn.vkDestroyDevice || !ctx->fn.vkDeviceWaitIdle)
      ctx->device = VK_NULL_HANDLE;
    return absl::UnavailableError(
        absl::StrCat(ctx->label, ": vkGetDeviceProcAddr found no ", missing));
  }
  ctx->fn.vkGetDeviceQueue(ctx->device, c.queueFamily, 0, &ctx->queue);
  auto pool =
      make<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = c.queueFamily;
  if (VkResult r =
          ctx->fn.vkCreateCommandPool(ctx->device, &pool, nullptr, &ctx->pool);
      r != VK_SUCCESS) {
    ctx->pool = VK_NULL_HANDLE;
    return ctx->fail("vkCreateCommandPool", r);
  }
  // The instance lives as long as the context (destroyed after the device:
  // members are destroyed after the destructor body).
  ctx->instance = std::move(*inst);
  return std::unique_ptr<Device>(
      new VulkanDevice(c.props.deviceName, std::move(ctx)));
}
