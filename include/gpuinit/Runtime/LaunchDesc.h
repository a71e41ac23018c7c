//===- LaunchDesc.h - a kernel launch described in JSON -------------------===//
//
// The launch description `gpuinit-run launch` reads next to a compiled module:
// the kernel, grid, block, dynamic shared memory and arguments (buffers with
// their initial contents and element type, scalars with their value), which
// buffers to print and what they must hold afterwards. docs/Runtime.md
// defines the schema.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_RUNTIME_LAUNCHDESC_H
#define GPUINIT_RUNTIME_LAUNCHDESC_H

#include "gpuinit/Runtime/Device.h"

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuinit::runtime {

/// Element types of buffers and scalars.
enum class ElementType { I8, U8, I16, U16, I32, U32, I64, U64, F16, F32, F64 };

/// "f32", "u8", ...
absl::string_view elementTypeName(ElementType type);
/// The inverse of elementTypeName.
std::optional<ElementType> parseElementType(absl::string_view name);
/// Size of one element in bytes.
uint32_t elementSize(ElementType type);
/// Whether the type is f16, f32 or f64.
bool isFloat(ElementType type);

/// Converts a value to the element's bytes (little-endian; floats rounded to
/// nearest even). Fails when an integer type cannot hold the value exactly.
absl::Status encodeElement(ElementType type, double value, uint8_t *out);
/// Integer types: the exact 64-bit value (doubles lose precision past 2^53).
absl::Status encodeInteger(ElementType type, int64_t value, bool isUnsigned,
                           uint8_t *out);
/// One element as text: integers in decimal, floats in the shortest form
/// that reads back to the same value ("nan", "inf", "-inf" for the others).
std::string formatElement(ElementType type, const uint8_t *bytes);
/// One element as a double (exact for every type but 64-bit integers past
/// 2^53).
double decodeElement(ElementType type, const uint8_t *bytes);

/// IEEE half <-> single conversions (round to nearest even).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);

/// What a buffer must hold after the run.
struct Expectation {
  std::vector<uint8_t> bytes;
  /// Accept |got - want| <= atol + rtol * |want| (floats only; 0 = exact).
  double atol = 0, rtol = 0;
};

/// One argument of the launch.
struct LaunchArg {
  enum class Kind { Buffer, Scalar };
  Kind kind = Kind::Buffer;
  /// "name" in the JSON, or "arg<i>".
  std::string name;
  ElementType type = ElementType::F32;
  /// Buffer: the initial contents (count * element size bytes). Scalar: the
  /// value's 4 or 8 bytes.
  std::vector<uint8_t> bytes;
  /// Buffer: print it after the run.
  bool print = false;
  /// Buffer: check it after the run.
  std::optional<Expectation> expect;

  /// Number of elements.
  uint64_t count() const { return bytes.size() / elementSize(type); }
};

/// A whole launch.
struct LaunchDesc {
  std::string kernel;
  Dim3 grid;
  Dim3 block;
  uint32_t sharedBytes = 0;
  std::vector<LaunchArg> args;
};

/// Parses a launch description. `fileName` names it in errors; relative
/// "file" paths are resolved against `baseDir`. Errors name the JSON path of
/// the offending value (e.g. "desc.json: args[2].fill: ...").
absl::StatusOr<LaunchDesc> parseLaunchDesc(absl::string_view json,
                                           absl::string_view fileName,
                                           const std::string &baseDir = ".");
/// Reads and parses a file (baseDir is the file's directory).
absl::StatusOr<LaunchDesc> loadLaunchDesc(const std::string &path);

/// A mismatch between a buffer and its expectation.
struct Mismatch {
  uint64_t index;
  std::string got, want;
};
/// Compares `got` (the buffer's bytes) with the expectation; returns every
/// mismatching element up to `limit` and the total count in `total`.
std::vector<Mismatch> compareBuffer(const LaunchArg &arg,
                                    absl::Span<const uint8_t> got,
                                    uint64_t &total, size_t limit = 10);

} // namespace gpuinit::runtime

#endif // GPUINIT_RUNTIME_LAUNCHDESC_H
