//===- InitSeqJSONFuzzer.cpp - libFuzzer target of the JSON importer ------===//
//
// Feeds arbitrary bytes to the init-sequence JSON importer. Besides "never
// crash", an accepted document must export as 1.1 and re-import to the same
// export, and a 1.0 document must export as 1.0 again.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/InitSeqJSON.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>

using namespace mlir;

namespace {
/// A context reused across inputs, renewed now and then so that uniqued
/// attributes from earlier inputs do not accumulate.
std::unique_ptr<MLIRContext> context;
unsigned contextUses = 0;

MLIRContext *getContext() {
  if (!context || ++contextUses > 5000) {
    context = std::make_unique<MLIRContext>(MLIRContext::Threading::DISABLED);
    context->loadDialect<gpuinit::initseq::InitSeqDialect>();
    contextUses = 0;
  }
  return context.get();
}

/// Exports `module` or aborts, printing why.
std::string exportOrDie(ModuleOp module, gpuinit::InitSeqJSONVersion version,
                        const std::string &diagnostics) {
  gpuinit::InitSeqJSONExportOptions options;
  options.version = version;
  options.generated = "2000-01-01T00:00:00Z";
  std::string text;
  llvm::raw_string_ostream os(text);
  if (failed(gpuinit::exportInitSeqJSON(module, os, options))) {
    llvm::errs() << "export of an imported document failed:\n" << diagnostics;
    std::abort();
  }
  return text;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext *ctx = getContext();
  std::string diagnostics;
  bool verifierError = false;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
    std::string text = diag.str();
    // Op verifiers start their messages with the op name in quotes; the
    // importer's own messages never do.
    verifierError |= llvm::StringRef(text).starts_with("'initseq.");
    diagnostics += text + "\n";
    return success();
  });
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      gpuinit::importInitSeqJSON(input, "fuzz.json", ctx);
  if (!module) {
    // The importer checks everything the op verifiers check, with its own
    // messages: a verifier error means it let something through.
    if (verifierError) {
      llvm::errs() << "the importer built IR that does not verify:\n"
                   << diagnostics;
      std::abort();
    }
    return 0;
  }

  std::string first =
      exportOrDie(*module, gpuinit::InitSeqJSONVersion::V1_1, diagnostics);
  OwningOpRef<ModuleOp> again =
      gpuinit::importInitSeqJSON(first, "fuzz-export.json", ctx);
  if (!again) {
    llvm::errs() << "re-import of an export failed:\n" << diagnostics << first;
    std::abort();
  }
  std::string second =
      exportOrDie(*again, gpuinit::InitSeqJSONVersion::V1_1, diagnostics);
  if (first != second) {
    llvm::errs() << "1.1 round trip differs:\n" << first << "\n" << second;
    std::abort();
  }
  // Whatever a valid 1.0 document says, 1.0 can say again.
  nlohmann::json doc = nlohmann::json::parse(
      input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.value("schema_version", "") == "1.0")
    (void)exportOrDie(*module, gpuinit::InitSeqJSONVersion::V1_0, diagnostics);
  return 0;
}
