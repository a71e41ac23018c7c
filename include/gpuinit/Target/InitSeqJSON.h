//===- InitSeqJSON.h - init-sequence JSON v1.0/v1.1 import and export -----===//
//
// Reads and writes the init-sequence JSON interchange format (version 1.0
// exactly as shared/specs/initseq-json.md defines it, and gpuinit's 1.1,
// documented in docs/InitSeqJSON.md) to and from initseq.sequence ops.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_INITSEQJSON_H
#define GPUINIT_TARGET_INITSEQJSON_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace gpuinit {

/// Which schema_version an export writes.
enum class InitSeqJSONVersion {
  /// Version 1.0; fails when the sequence does not fit it.
  V1_0,
  /// Version 1.1, always.
  V1_1,
  /// 1.0 when the sequence fits it, otherwise 1.1.
  Auto,
};

/// Options of the JSON exporter (the --initseq-json-* flags).
struct InitSeqJSONExportOptions {
  /// The version to write (default: 1.0, failing when it does not fit).
  InitSeqJSONVersion version = InitSeqJSONVersion::V1_0;
  /// Add the PCI command-register enable (kPrologueCommand*) as operation #0
  /// when the sequence has no configuration-space write.
  bool prologue = false;
  /// The sequence to export when the module holds several ("@name" or
  /// "name"); empty requires exactly one.
  std::string sequence;
  /// Card-SKU; empty uses the sequence's initseq.card_sku attribute, else
  /// the sequence name with every character outside [A-Za-z0-9_] made '_'.
  std::string cardSku;
  /// Generated (RFC 3339 date-time); empty uses the current UTC time.
  std::string generated;
  /// Source-ROM-SHA1 when the sequence has no sha1 attribute (an error if
  /// it has a different one).
  std::string romSha1;
  /// SPDX-FileCopyrightText; empty uses the sequence's
  /// initseq.spdx_copyright attribute, else "<year of Generated> The gpuinit
  /// authors".
  std::string copyright;
  /// Source-ROM-URL; empty uses the sequence's initseq.source_rom_url
  /// attribute, else the key is omitted.
  std::string romUrl;
  /// Pipeline-Version ("<major>.<minor>"); empty uses
  /// kInitSeqJSONPipelineVersion.
  std::string pipelineVersion;
};

/// The Pipeline-Version gpuinit writes by default.
inline constexpr const char *kInitSeqJSONPipelineVersion = "0.1";

/// PCI command register: the configuration offset the prologue writes and the
/// values it writes there (as a 32-bit write, whose upper half zeroes the
/// status register's write-1-to-clear bits, which changes nothing).
inline constexpr uint64_t kPrologueCommandOffset = 0x04;
/// Memory Space Enable (bit 1) | Bus Master Enable (bit 2).
inline constexpr uint64_t kPrologueCommandMemory = 0x6;
/// I/O Space Enable (bit 0) | Memory Space Enable | Bus Master Enable, for
/// sequences that access I/O ports.
inline constexpr uint64_t kPrologueCommandMemoryIO = 0x7;

/// Explicit limits of the importer.
inline constexpr uint64_t kInitSeqJSONMaxFileBytes = uint64_t(512) << 20;
inline constexpr unsigned kInitSeqJSONMaxNesting = 128;
inline constexpr unsigned kInitSeqJSONMaxConditionDepth = 32;
inline constexpr uint64_t kInitSeqJSONMaxOps = uint64_t(1) << 24;

/// Imports an init-sequence JSON document (1.0 or 1.1) held in `buffer`
/// into a new module holding one initseq.sequence. Diagnostics are located
/// at `filename`:line:col of the offending byte or operation. Returns null
/// after emitting diagnostics when the document is malformed or invalid.
mlir::OwningOpRef<mlir::ModuleOp> importInitSeqJSON(llvm::StringRef buffer,
                                                    llvm::StringRef filename,
                                                    mlir::MLIRContext *context);

/// Exports one initseq.sequence (`op` is the sequence, or a module holding
/// it; see InitSeqJSONExportOptions::sequence) as JSON to `os`. Emits
/// diagnostics and writes nothing on failure.
mlir::LogicalResult exportInitSeqJSON(mlir::Operation *op,
                                      llvm::raw_ostream &os,
                                      const InitSeqJSONExportOptions &options);

} // namespace gpuinit

#endif // GPUINIT_TARGET_INITSEQJSON_H
