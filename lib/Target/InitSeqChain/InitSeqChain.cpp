//===- InitSeqChain.cpp - trace -> pipeline -> JSON in one process --------===//
//
// `--mmiotrace-to-initseq-json` imports an mmiotrace log, runs a pass
// pipeline (by default initseq-optimize-pipeline) and exports JSON, all in
// one process: for large traces, printing and reparsing a million ops as text
// between tools costs more than all the work itself. It takes the same
// --mmiotrace-* and --initseq-json-* options as the separate translations,
// and the pass manager options (--mlir-timing, --mlir-print-ir-after-all).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/InitSeqJSON.h"
#include "gpuinit/Target/MMIOTrace.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

void gpuinit::registerInitSeqChainTranslations() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  static llvm::cl::opt<std::string> pipeline(
      "initseq-chain-pipeline",
      llvm::cl::desc("Pass pipeline --mmiotrace-to-initseq-json runs between "
                     "import and export"),
      llvm::cl::init("builtin.module(initseq-optimize-pipeline)"));

  static TranslateRegistration chain(
      "mmiotrace-to-initseq-json",
      "Import an mmiotrace log, run --initseq-chain-pipeline and export "
      "init-sequence JSON, in one process",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *context) -> LogicalResult {
        context->loadDialect<initseq::InitSeqDialect>();
        OwningOpRef<ModuleOp> module = importMMIOTrace(
            *sourceMgr, context, mmiotraceImportOptionsFromCommandLine());
        if (!module)
          return failure();
        // The pipeline is anchored like --pass-pipeline: "builtin.module(...)".
        std::string errors;
        llvm::raw_string_ostream errorStream(errors);
        FailureOr<OpPassManager> parsed =
            parsePassPipeline(pipeline, errorStream);
        if (failed(parsed))
          return emitError(UnknownLoc::get(context))
                 << "--initseq-chain-pipeline: " << errors;
        if (parsed->getOpAnchorName() != ModuleOp::getOperationName())
          return emitError(UnknownLoc::get(context))
                 << "--initseq-chain-pipeline must be anchored on "
                    "builtin.module, e.g. 'builtin.module(initseq-optimize-"
                    "pipeline)', got '"
                 << parsed->getOpAnchorName() << "'";
        PassManager pm(context, ModuleOp::getOperationName());
        static_cast<OpPassManager &>(pm) = std::move(*parsed);
        // --mlir-timing, --mlir-print-ir-after-all, ... apply here too.
        if (failed(applyPassManagerCLOptions(pm)))
          return failure();
        applyDefaultTimingPassManagerCLOptions(pm);
        // Verify once after the pipeline instead of after every pass: on a
        // million-access trace each verification costs as much as a pass.
        pm.enableVerifier(false);
        if (failed(pm.run(*module)) || failed(verify(*module)))
          return failure();
        return exportInitSeqJSON(*module, os,
                                 initSeqJSONExportOptionsFromCommandLine());
      });
}
