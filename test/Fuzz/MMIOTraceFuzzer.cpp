//===- MMIOTraceFuzzer.cpp - libFuzzer target of --import-mmiotrace -------===//
//
// Feeds arbitrary bytes to the mmiotrace importer. It must never crash or
// hang, and whatever it builds must verify, print and parse back unchanged.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/MMIOTrace.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

static std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.getOrLoadDialect<gpuinit::initseq::InitSeqDialect>();
  mlir::ScopedDiagnosticHandler discard(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mmiotrace", /*RequiresNullTerminator=*/false),
      llvm::SMLoc());

  // Small limits keep every run short; the input's size picks the options so
  // that every path is reachable.
  gpuinit::MMIOTraceImportOptions options;
  options.maxRecords = 20000;
  options.maxLineLength = 512;
  options.skipNonPCI = size & 1;
  options.lineLocations = size & 2;
  if (size % 3 == 0)
    options.device = (size & 4) ? "01:00.0" : "10de:0fc6";

  mlir::OwningOpRef<mlir::ModuleOp> module =
      gpuinit::importMMIOTrace(sourceMgr, &context, options);
  if (!module)
    return 0;
  if (mlir::failed(mlir::verify(*module)))
    std::abort();
  std::string text = print(*module);
  mlir::OwningOpRef<mlir::ModuleOp> reparsed =
      mlir::parseSourceString<mlir::ModuleOp>(text,
                                              mlir::ParserConfig(&context));
  if (!reparsed || print(*reparsed) != text)
    std::abort();
  return 0;
}
