//===- InitSeqJSONTranslation.cpp - --import/--export-initseq-json --------===//
//
// Registers the init-sequence JSON importer and exporter with
// gpuinit-translate, with the --initseq-json-* options of the exporter.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqJSON.h"
#include "gpuinit/Target/Translations.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace {
/// The exporter's command-line options.
struct JSONOptions {
  llvm::cl::opt<gpuinit::InitSeqJSONVersion> version{
      "initseq-json-version",
      llvm::cl::desc("init-sequence JSON version to export (default 1.0: "
                     "fail when the sequence does not fit it)"),
      llvm::cl::init(gpuinit::InitSeqJSONVersion::V1_0),
      llvm::cl::values(
          clEnumValN(gpuinit::InitSeqJSONVersion::V1_0, "1.0",
                     "version 1.0; fail, naming the first operation it "
                     "cannot express, when the sequence does not fit"),
          clEnumValN(gpuinit::InitSeqJSONVersion::V1_1, "1.1",
                     "gpuinit's version 1.1"),
          clEnumValN(gpuinit::InitSeqJSONVersion::Auto, "auto",
                     "1.0 when the sequence fits it, else 1.1"))};
  llvm::cl::opt<bool> prologue{
      "initseq-json-prologue",
      llvm::cl::desc("Start a sequence that has no configuration write with "
                     "the PCI command-register enable (CFG 0x4 = 0x6, or 0x7 "
                     "when it uses I/O ports)"),
      llvm::cl::init(false)};
  llvm::cl::opt<std::string> sequence{
      "initseq-json-sequence",
      llvm::cl::desc("The initseq.sequence to export (@name) when the module "
                     "holds several")};
  llvm::cl::opt<std::string> cardSku{
      "initseq-json-card-sku",
      llvm::cl::desc("Card-SKU of the exported document (default: derived "
                     "from the sequence name)")};
  llvm::cl::opt<std::string> generated{
      "initseq-json-generated",
      llvm::cl::desc("Generated date-time (RFC 3339) of the exported "
                     "document (default: now)")};
  llvm::cl::opt<std::string> romSha1{
      "initseq-json-rom-sha1",
      llvm::cl::desc("Source-ROM-SHA1 for a sequence without a sha1 "
                     "attribute")};
  llvm::cl::opt<std::string> copyright{
      "initseq-json-copyright",
      llvm::cl::desc("SPDX-FileCopyrightText of the exported document "
                     "(default: \"<year> The gpuinit authors\")")};
  llvm::cl::opt<std::string> romUrl{
      "initseq-json-rom-url",
      llvm::cl::desc("Source-ROM-URL of the exported document")};
  llvm::cl::opt<std::string> pipelineVersion{
      "initseq-json-pipeline-version",
      llvm::cl::desc("Pipeline-Version of the exported document "
                     "(\"<major>.<minor>\")")};

  gpuinit::InitSeqJSONExportOptions get() const {
    gpuinit::InitSeqJSONExportOptions o;
    o.version = version;
    o.prologue = prologue;
    o.sequence = sequence;
    o.cardSku = cardSku;
    o.generated = generated;
    o.romSha1 = romSha1;
    o.copyright = copyright;
    o.romUrl = romUrl;
    o.pipelineVersion = pipelineVersion;
    return o;
  }
};
} // namespace

/// The options, created (and so registered with llvm::cl) on first use.
static JSONOptions &commandLineOptions() {
  static JSONOptions options;
  return options;
}

gpuinit::InitSeqJSONExportOptions
gpuinit::initSeqJSONExportOptionsFromCommandLine() {
  return commandLineOptions().get();
}

void gpuinit::registerInitSeqJSONTranslations() {
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  JSONOptions &options = commandLineOptions();

  TranslateToMLIRRegistration importJSON(
      "import-initseq-json",
      "Import an init-sequence JSON document (1.0 or 1.1) as initseq",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module = importInitSeqJSON(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        if (!module)
          return nullptr;
        return OwningOpRef<Operation *>(module.release().getOperation());
      },
      [](DialectRegistry &registry) {
        registry.insert<initseq::InitSeqDialect>();
      });

  TranslateFromMLIRRegistration exportJSON(
      "export-initseq-json",
      "Export an initseq.sequence as init-sequence JSON (1.0 or 1.1)",
      [&options](Operation *op, llvm::raw_ostream &os) {
        return exportInitSeqJSON(op, os, options.get());
      },
      [](DialectRegistry &registry) {
        registry.insert<initseq::InitSeqDialect>();
      });
}
