//===- TranslateRegistration.cpp - --import-mmiotrace ---------------------===//
//
// Registers the mmiotrace importer with gpuinit-translate and the
// command-line options that select a device and bound the input.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/MMIOTrace.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

namespace {
/// The importer's command-line options.
struct MMIOTraceCLOptions {
  llvm::cl::OptionCategory category{"mmiotrace import options"};
  llvm::cl::opt<std::string> device{
      "mmiotrace-device",
      llvm::cl::desc("Import only this PCI device: a bus address bb:dd.f or a "
                     "PCI id vvvv:dddd (hex); default: every device with "
                     "accesses"),
      llvm::cl::value_desc("bb:dd.f|vvvv:dddd"), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxLineLength{
      "mmiotrace-max-line-length",
      llvm::cl::desc("Longest mmiotrace line accepted, in bytes"),
      llvm::cl::init(gpuinit::MMIOTraceImportOptions().maxLineLength),
      llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxRecords{
      "mmiotrace-max-records",
      llvm::cl::desc("Most timed mmiotrace records (MAP, UNMAP, R, W, "
                     "UNKNOWN, MARK) accepted"),
      llvm::cl::init(gpuinit::MMIOTraceImportOptions().maxRecords),
      llvm::cl::cat(category)};
  llvm::cl::opt<bool> skipNonPCI{
      "mmiotrace-skip-non-pci",
      llvm::cl::desc("Leave out (and count in a warning) accesses outside "
                     "every PCIDEV resource instead of failing"),
      llvm::cl::init(false), llvm::cl::cat(category)};
  llvm::cl::opt<bool> lineLocations{
      "mmiotrace-line-locations",
      llvm::cl::desc("Give every imported op the file:line location of its "
                     "record (slower on large traces)"),
      llvm::cl::init(false), llvm::cl::cat(category)};

  gpuinit::MMIOTraceImportOptions get() const {
    gpuinit::MMIOTraceImportOptions options;
    options.device = device;
    options.maxLineLength = maxLineLength;
    options.maxRecords = maxRecords;
    options.skipNonPCI = skipNonPCI;
    options.lineLocations = lineLocations;
    return options;
  }
};

/// The options, created (and so registered with llvm::cl) on first use.
MMIOTraceCLOptions &commandLineOptions() {
  static MMIOTraceCLOptions options;
  return options;
}
} // namespace

gpuinit::MMIOTraceImportOptions gpuinit::mmiotraceImportOptionsFromCommandLine() {
  return commandLineOptions().get();
}

void gpuinit::registerMMIOTraceTranslations() {
  commandLineOptions();
  TranslateRawSourceMgrToMLIRFunction import =
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
    return importMMIOTrace(sourceMgr, context,
                           mmiotraceImportOptionsFromCommandLine());
  };
  static TranslateToMLIRRegistration registration(
      "import-mmiotrace", "Import a Linux mmiotrace text log as initseq",
      import, [](DialectRegistry &registry) {
        registry.insert<initseq::InitSeqDialect>();
      });
}
