//===- SpirvInfo.h - what a SPIR-V module declares about its interface ----===//
//
// A small reader of SPIR-V binaries: it checks the module's structure (magic,
// header, instruction lengths) and collects the compute entry points, their
// LocalSize, and the descriptor bindings and push-constant block they use.
// The Vulkan device checks a dispatch against it before the driver sees the
// module, so a wrong entry name or argument count is a clear error rather
// than undefined behaviour in the driver.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_RUNTIME_SPIRVINFO_H
#define GPUINIT_RUNTIME_SPIRVINFO_H

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuinit::runtime {

/// How a binding is accessed.
enum class SpirvBindingKind {
  /// A storage buffer (StorageBuffer class, or Uniform class with a
  /// BufferBlock struct).
  StorageBuffer,
  /// A uniform buffer (Uniform class, Block struct).
  UniformBuffer,
  /// Anything else with a descriptor (images, samplers): not supported.
  Other,
};

/// A resource variable with a DescriptorSet/Binding decoration.
struct SpirvBinding {
  uint32_t set = 0;
  uint32_t binding = 0;
  SpirvBindingKind kind = SpirvBindingKind::StorageBuffer;
  /// The variable's result id.
  uint32_t variable = 0;
};

/// One entry point.
struct SpirvEntryPoint {
  std::string name;
  /// SPIR-V execution model (5 = GLCompute).
  uint32_t executionModel = 0;
  /// LocalSize execution mode, when the module states it with literals.
  std::optional<std::array<uint32_t, 3>> localSize;
  /// Bindings the entry point can use (its interface list for SPIR-V 1.4+,
  /// every binding of the module before that), sorted by (set, binding).
  std::vector<SpirvBinding> bindings;
  /// Size in bytes of the push-constant block it can use (max over members
  /// of offset + size); 0 without one; nullopt when a member's size cannot
  /// be computed.
  std::optional<uint32_t> pushConstantBytes = 0;
  /// Whether it can use a push-constant block at all.
  bool hasPushConstants = false;
  /// The subgroup sizes its warp operations are right for, from gpuinit's
  /// `OpSourceExtension "gpuinit.subgroup-size min N max M entry NAME"`
  /// (docs/Runtime.md); 1 and 0 (no bound) without one.
  uint32_t minSubgroupSize = 1;
  uint32_t maxSubgroupSize = 0;
};

/// The interface of a SPIR-V module.
struct SpirvInfo {
  /// Version as 0x00MMmm00 (e.g. 0x00010300 for SPIR-V 1.3).
  uint32_t version = 0;
  std::vector<SpirvEntryPoint> entryPoints;
  /// The OpCapability operands, in module order.
  std::vector<uint32_t> capabilities;

  /// The entry point of that name and the GLCompute model, or null.
  const SpirvEntryPoint *findCompute(absl::string_view name) const;
  /// "main, other" (every entry point name), for messages.
  std::string entryPointList() const;
};

/// Reads a SPIR-V binary given as bytes (the size must be a multiple of 4;
/// the words are in the host's byte order, as the Vulkan API takes them).
/// Errors say what is wrong and at which word.
absl::StatusOr<SpirvInfo> readSpirvInfo(absl::Span<const uint8_t> bytes);

} // namespace gpuinit::runtime

#endif // GPUINIT_RUNTIME_SPIRVINFO_H
