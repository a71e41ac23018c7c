//===- InitSeqCTranslation.cpp - --export-initseq-c -----------------------===//
//
// Registers the C99 replay-header exporter with gpuinit-translate, with its
// --initseq-c-* options.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqC.h"
#include "gpuinit/Target/Translations.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

namespace {
/// The exporter's command-line options.
struct COptions {
  llvm::cl::opt<std::string> prefix{
      "initseq-c-prefix",
      llvm::cl::desc("Prefix of the identifiers of the exported C header "
                     "(default: the sequence name)")};
  llvm::cl::opt<std::string> sequence{
      "initseq-c-sequence",
      llvm::cl::desc("The initseq.sequence to export (@name) when the module "
                     "holds several")};
};
} // namespace

void gpuinit::registerInitSeqCTranslations() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  static COptions options;

  TranslateFromMLIRRegistration exportC(
      "export-initseq-c",
      "Export an initseq.sequence as a C99 header with a replay routine",
      [](Operation *op, llvm::raw_ostream &os) {
        InitSeqCExportOptions o;
        o.prefix = options.prefix;
        o.sequence = options.sequence;
        return exportInitSeqC(op, os, o);
      },
      [](DialectRegistry &registry) {
        registry.insert<initseq::InitSeqDialect>();
      });
}
