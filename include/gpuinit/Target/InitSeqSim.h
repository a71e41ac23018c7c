//===- InitSeqSim.h - initseq sequences as simulator programs -------------===//
//
// Turns an `initseq.sequence` into the MLIR-free program the simulator in
// lib/Runtime replays (gpuinit::runtime::SimProgram).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_INITSEQSIM_H
#define GPUINIT_TARGET_INITSEQSIM_H

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Runtime/InitSeqSim.h"

#include "mlir/Support/LogicalResult.h"

namespace gpuinit::initseq {

/// Converts `sequence` into a simulator program: one op per access, delay and
/// opaque op, a begin/end pair around each condition body, notes left out.
/// Ops are numbered in pre-order from 0 (notes included, terminators not)
/// and carry their source location ("a.mlir:12:3"). Emits an error on an op
/// the simulator does not know.
mlir::FailureOr<runtime::SimProgram> toSimProgram(SequenceOp sequence);

} // namespace gpuinit::initseq

#endif // GPUINIT_TARGET_INITSEQSIM_H
