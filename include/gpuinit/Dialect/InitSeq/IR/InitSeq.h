//===- InitSeq.h - the initseq dialect ------------------------------------===//
//
// Declares the initseq dialect, its attributes and its ops (generated from
// dialects/initseq/*.td), plus helpers shared by its passes and translations.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_DIALECT_INITSEQ_IR_INITSEQ_H
#define GPUINIT_DIALECT_INITSEQ_IR_INITSEQ_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "initseq/InitSeqDialect.h.inc"
#include "initseq/InitSeqEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "initseq/InitSeqAttrs.h.inc"

#define GET_OP_CLASSES
#include "initseq/InitSeqOps.h.inc"

namespace gpuinit::initseq {

/// Bytes the given location's address space allows for an access width in
/// bits, or 0 if the width is not allowed there.
bool isWidthAllowed(AddressSpace space, unsigned bits);

/// The largest byte offset + 1 of an address space (4096 for cfg, 2^16 for
/// ports, 2^40 for an MMIO BAR).
uint64_t addressSpaceLimit(AddressSpace space);

/// All-ones value of a width in bits (1..64).
inline uint64_t widthMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t(0) : ((uint64_t(1) << bits) - 1);
}

/// A uniform view of the register an access op touches.
struct AccessInfo {
  RegAttr location;
  unsigned bits = 0;
  /// Bytes spanned from location.getOffset() (a block write spans all its
  /// registers).
  uint64_t span = 0;
};

/// The register(s) `op` touches, or std::nullopt for ops that touch none
/// (delay, note, end) or are not single accesses (condition, opaque).
std::optional<AccessInfo> getAccessInfo(mlir::Operation *op);

/// True when two accesses can touch a common byte of one register.
bool mayOverlap(const AccessInfo &a, const AccessInfo &b);

/// The sequence an exporter works on: `op` itself if it is a sequence, else
/// the one sequence directly inside it (or the one named `name`, with or
/// without '@'). Emits an error naming `optionName` (the flag that chooses a
/// sequence) when there is none or more than one.
mlir::FailureOr<SequenceOp> selectSequence(mlir::Operation *op,
                                           llvm::StringRef name,
                                           llvm::StringRef optionName);

/// The trace timestamp (ns) of any initseq op that carries provenance.
std::optional<int64_t> getTimestamp(mlir::Operation *op);

/// Prints a duration in ns in the largest unit that divides it ("1 ms").
std::string formatDuration(int64_t ns);

} // namespace gpuinit::initseq

#endif // GPUINIT_DIALECT_INITSEQ_IR_INITSEQ_H
