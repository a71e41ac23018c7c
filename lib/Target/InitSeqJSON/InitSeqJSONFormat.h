//===- InitSeqJSONFormat.h - rules of the JSON importer and exporter ------===//
//
// The init-sequence 1.0 validation rules and the metadata checks, in one
// place so that the importer and the exporter enforce exactly the same ones.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_LIB_TARGET_INITSEQJSON_INITSEQJSONFORMAT_H
#define GPUINIT_LIB_TARGET_INITSEQJSON_INITSEQJSONFORMAT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace gpuinit::initseq_json {

/// Ranges of version 1.0 (shared/specs/initseq-json.md).
inline constexpr uint64_t kV10MaxOps = 1024;
inline constexpr uint64_t kV10MaxCfgAddr = 255;
inline constexpr uint64_t kV10MaxMmioAddr = (uint64_t(1) << 24) - 1;
inline constexpr uint64_t kV10MaxData = 0xffffffffu;
inline constexpr uint64_t kV10MinDelayNs = 1000;
inline constexpr uint64_t kV10MaxDelayNs = 1000000000;
inline constexpr uint64_t kV10MinTimeoutUs = 1;
inline constexpr uint64_t kV10MaxTimeoutUs = 10000000;
inline constexpr uint64_t kV10MaxTotalNs = uint64_t(30) * 1000000000;

/// Largest duration, provenance value or condition index of version 1.1
/// (the IR keeps them as signed 64-bit).
inline constexpr uint64_t kV11MaxI64 = uint64_t(INT64_MAX);

/// The five operations of version 1.0.
enum class V10Kind : uint8_t { Cfg, Mmio, Delay, Poll, End, Other };

/// What the 1.0 rules need to know about one operation of a sequence.
struct V10Entry {
  V10Kind kind = V10Kind::Other;
  /// The operation's JSON name, for messages ("CFG", "READ", ...).
  llvm::StringRef name;
  /// CFG/MMIO/POLL address.
  uint64_t addr = 0;
  /// DELAY duration.
  uint64_t ns = 0;
  /// POLL timeout.
  uint64_t timeoutUs = 0;
  /// False when the fields above could not be read (already reported): the
  /// range and time rules skip the operation.
  bool fieldsValid = true;
};

/// The JSON name of a 1.0 operation kind ("CFG", ...).
llvm::StringRef v10KindName(V10Kind kind);

/// Checks every validation rule of version 1.0 on a whole init_sequence and
/// reports each violation with the index of the operation it concerns and
/// the field involved (empty when none). Returns false when a rule is
/// violated. `report` returns false to stop checking.
bool checkV10Rules(
    llvm::ArrayRef<V10Entry> ops,
    llvm::function_ref<bool(uint64_t index, llvm::StringRef field,
                            const std::string &message)>
        report);

/// Ends-with-exactly-one-END, the structural rule 1.1 keeps: reports each
/// END that is not last, or a last operation that is not END.
bool checkEndRule(llvm::ArrayRef<V10Entry> ops,
                  llvm::function_ref<bool(uint64_t index, llvm::StringRef field,
                                          const std::string &message)>
                      report);

/// RFC 3339 date-time (full-date "T" full-time), with calendar checks.
bool isRFC3339DateTime(llvm::StringRef s);
/// 40 lowercase hex digits.
bool isSha1(llvm::StringRef s);
/// [A-Za-z0-9_]+
bool isCardSku(llvm::StringRef s);
/// "<major>.<minor>", both decimal.
bool isPipelineVersion(llvm::StringRef s);
/// A 4-digit year and a space, then anything.
bool isCopyrightText(llvm::StringRef s);
/// An absolute URI: scheme ":" then printable non-space characters.
bool isURI(llvm::StringRef s);

/// Card-SKU derived from a sequence name: characters outside [A-Za-z0-9_]
/// become '_'; an empty name gives "unnamed".
std::string cardSkuFromName(llvm::StringRef name);

} // namespace gpuinit::initseq_json

#endif // GPUINIT_LIB_TARGET_INITSEQJSON_INITSEQJSONFORMAT_H
