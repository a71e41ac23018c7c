//===- AtomBIOSFuzzer.cpp - libFuzzer target of the AtomBIOS decoder ------===//
//
// Feeds arbitrary bytes to the ROM walker, the AtomBIOS header decoder and
// the AtomBIOS command-table importer. Nothing may crash or hang; every
// diagnostic lies inside the input, the header decoder only warns and its
// offsets lie inside the input, an import fails exactly when it reported an
// error, and what it builds is valid initseq.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/ROM.h"
#include "gpuinit/Target/ROMImport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using namespace mlir;
using namespace gpuinit::rom;

namespace {
/// A context reused across inputs, renewed now and then so that uniqued
/// attributes from earlier inputs do not accumulate.
std::unique_ptr<MLIRContext> context;
unsigned contextUses = 0;

MLIRContext *getContext() {
  if (!context || ++contextUses > 2000) {
    context = std::make_unique<MLIRContext>(MLIRContext::Threading::DISABLED);
    context->loadDialect<gpuinit::initseq::InitSeqDialect>();
    contextUses = 0;
  }
  return context.get();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::ArrayRef<uint8_t> rom(data, size);
  RomLimits limits;
  limits.maxImages = 8;
  mlir::FailureOr<RomLayout> layout =
      walkRom(rom, "fuzz.rom", [](const RomDiagnostic &) {}, limits);
  if (failed(layout))
    return 0;

  std::optional<AtomInfo> atom =
      findAtomBios(rom, *layout, [&](const RomDiagnostic &diagnostic) {
        if (diagnostic.offset > size ||
            diagnostic.severity != Severity::Warning)
          std::abort();
      });
  if (atom) {
    if (atom->headerOffset >= size)
      std::abort();
    for (const AtomCommandTable &table : atom->commandTables)
      if (table.offset && *table.offset + 6 > size)
        std::abort();
    std::string text;
    llvm::raw_string_ostream os(text);
    printRomInfo(*layout, RomInfoFormat::Text, os, {}, nullptr, &*atom);
    printRomInfo(*layout, RomInfoFormat::JSON, os, {}, nullptr, &*atom);
  }

  MLIRContext *ctx = getContext();
  ScopedDiagnosticHandler silence(ctx, [](Diagnostic &) { return success(); });
  // Small limits keep every run short; the input picks the table and the
  // limits so that their paths are reachable.
  RomImportOptions options;
  options.maxSteps = 5000;
  options.maxOps = size % 5 == 0 ? 16 : 4096;
  options.maxDepth = size % 3 == 0 ? 2 : 8;
  options.atomTable = std::to_string(size > 1 ? data[size - 1] % 84 : 0);
  for (const RomImage &image : layout->images) {
    if (!hasAtomBios(rom, image))
      continue;
    OwningOpRef<ModuleOp> module =
        ModuleOp::create(FileLineColLoc::get(ctx, "fuzz.rom", 0, 0));
    unsigned errors = 0;
    auto report = [&](const RomDiagnostic &diagnostic) {
      if (diagnostic.offset > size)
        std::abort();
      if (diagnostic.severity == Severity::Error)
        ++errors;
    };
    ImageImportContext importContext{
        rom,      *layout, image, *module, "fuzz.rom",
        "0000000000000000000000000000000000000000", report, options};
    LogicalResult result = importAtomBios(importContext);
    if (failed(result) != (errors != 0))
      std::abort();
    if (failed(verify(*module))) {
      module->print(llvm::errs());
      std::abort();
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
  }
  return 0;
}
