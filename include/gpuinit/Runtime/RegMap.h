//===- RegMap.h - register maps: what each register does ------------------===//
//
// A register map says which registers are plain storage and which have side
// effects (FIFO, write-1-to-clear, self-clearing, read-clears). It is shared
// by the initseq passes and the simulator, so it has no MLIR dependency.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_RUNTIME_REGMAP_H
#define GPUINIT_RUNTIME_REGMAP_H

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gpuinit::runtime {

/// Register address spaces (same order as the initseq dialect's enum).
enum class Space : uint8_t { Cfg = 0, Mmio = 1, Io = 2, IdxIo = 3 };

/// Properties of a register range, as bits.
enum RegProp : uint32_t {
  /// Plain storage: a read returns the last value written and neither reads
  /// nor writes do anything else.
  kPlain = 1u << 0,
  /// Reads have no side effect (but the value may change by itself).
  kReadPure = 1u << 1,
  /// A FIFO/doorbell: every write is consumed.
  kFifo = 1u << 2,
  /// Writing 1 to a bit clears it.
  kWrite1Clear = 1u << 3,
  /// Bits clear themselves after a write (e.g. a "go" bit).
  kSelfClearing = 1u << 4,
  /// A read clears the register.
  kReadClears = 1u << 5,
};

/// One range of the map: [start, end) in one space (and BAR, for MMIO; for
/// indexed I/O, `start`/`end` are indices on `port`).
struct RegRange {
  Space space = Space::Mmio;
  uint32_t bar = 0;
  uint32_t port = 0;
  uint64_t start = 0;
  uint64_t end = 0;
  uint32_t props = 0;
};

/// A register map. Registers not covered have side effects.
class RegMap {
public:
  /// Parses the JSON form (see docs/InitSeqReduction.md). Errors name the
  /// file and the entry index.
  static absl::StatusOr<RegMap> parse(absl::string_view json,
                                      absl::string_view filename);
  /// Reads and parses a file; an empty path gives the empty map.
  static absl::StatusOr<RegMap> load(const std::string &path);

  /// Properties of an access of `bytes` bytes at `offset`: those of the one
  /// range that contains all of it, or 0 (side-effecting) otherwise. For
  /// indexed I/O, `offset` is the index port and `index` the register index.
  uint32_t lookup(Space space, uint32_t bar, uint64_t offset, uint64_t bytes,
                  uint32_t index = 0) const;

  /// True when the access touches plain storage only.
  bool isPlain(Space space, uint32_t bar, uint64_t offset, uint64_t bytes,
               uint32_t index = 0) const {
    return lookup(space, bar, offset, bytes, index) & kPlain;
  }

  const std::vector<RegRange> &ranges() const { return ranges_; }

private:
  std::vector<RegRange> ranges_;
};

} // namespace gpuinit::runtime

#endif // GPUINIT_RUNTIME_REGMAP_H
