//===- InitSeqIRTest.cpp - initseq ops built from C++ ---------------------===//
//
// Importers build ops with RegAttr::get, which skips the attribute's own
// checks; the op verifiers must still reject a location the parser would.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace gpuinit::initseq;

namespace {
/// Verifies a module holding one 8-bit write to `reg`; returns the first
/// diagnostic ("" when it verifies).
std::string verifyWriteTo(MLIRContext &context, RegAttr reg) {
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    if (message.empty())
      message = d.str();
    return success();
  });
  OpBuilder b(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
  b.setInsertionPointToEnd(module->getBody());
  auto seq = SequenceOp::create(b, b.getUnknownLoc(), "s");
  b.setInsertionPoint(seq.getBodyBlock().getTerminator());
  WriteOp::create(b, b.getUnknownLoc(), reg, TypeAttr::get(b.getI8Type()),
                  b.getI64IntegerAttr(1));
  (void)verify(*module);
  return message;
}
} // namespace

TEST(InitSeqIR, VerifierRechecksLocationsBuiltWithoutChecks) {
  MLIRContext context;
  context.loadDialect<InitSeqDialect>();
  EXPECT_EQ(verifyWriteTo(context, RegAttr::get(&context, AddressSpace::idxio,
                                                0, 0x3d4, 0x3d5, 0x11)),
            "");
  // Data port 0x10000 (index port 0xffff + 1) does not exist.
  EXPECT_NE(verifyWriteTo(context, RegAttr::get(&context, AddressSpace::idxio,
                                                0, 0xffff, 0x10000, 0x11))
                .find("indexed I/O data port must fit 16 bits"),
            std::string::npos);
  // Only mmio locations have a BAR.
  EXPECT_NE(verifyWriteTo(context,
                          RegAttr::get(&context, AddressSpace::io, 2, 0x80,
                                       0, 0))
                .find("only mmio locations have a BAR"),
            std::string::npos);
}
