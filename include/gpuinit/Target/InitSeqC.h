//===- InitSeqC.h - initseq.sequence to a C99 replay header ---------------===//
//
// Writes one initseq.sequence as a self-contained C99 header: a const table
// of its operations and a static inline replay routine that performs them
// through caller-supplied hooks (docs/InitSeqJSON.md, "C header").
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_INITSEQC_H
#define GPUINIT_TARGET_INITSEQC_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace gpuinit {

/// Options of the C header exporter (the --initseq-c-* flags).
struct InitSeqCExportOptions {
  /// Prefix of every identifier of the header (`<prefix>_replay`, ...);
  /// empty derives it from the sequence name.
  std::string prefix;
  /// The sequence to export when the module holds several ("@name" or
  /// "name"); empty requires exactly one.
  std::string sequence;
};

/// Exports one initseq.sequence (`op` is the sequence, or a module holding
/// it) as a C99 header to `os`. Fails, naming the operation, when the
/// sequence holds something that cannot be replayed (initseq.opaque). Emits
/// diagnostics and writes nothing on failure.
mlir::LogicalResult exportInitSeqC(mlir::Operation *op, llvm::raw_ostream &os,
                                   const InitSeqCExportOptions &options);

} // namespace gpuinit

#endif // GPUINIT_TARGET_INITSEQC_H
