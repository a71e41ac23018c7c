//===- TranslateRegistration.cpp - --rom-info -----------------------------===//
//
// Registers the ROM inspector with gpuinit-translate: walks a PCI option ROM
// file and prints its images as text or JSON, with the walker's limits as
// command-line options; on NVIDIA ROMs also the BIT (BIOS Information Table).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace gpuinit::rom;

namespace {
/// The inspector's command-line options.
struct RomCLOptions {
  llvm::cl::OptionCategory category{"ROM options"};
  llvm::cl::opt<RomInfoFormat> format{
      "rom-info-format", llvm::cl::desc("Output format of --rom-info"),
      llvm::cl::init(RomInfoFormat::Text),
      llvm::cl::values(
          clEnumValN(RomInfoFormat::Text, "text", "Readable text (default)"),
          clEnumValN(RomInfoFormat::JSON, "json", "JSON (docs/ROM.md)")),
      llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxFileSize{
      "rom-max-file-size",
      llvm::cl::desc("Largest ROM file accepted, in bytes"),
      llvm::cl::init(RomLimits().maxFileSize), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxImages{
      "rom-max-images",
      llvm::cl::desc("Most images accepted in one ROM (chain and images "
                     "after the last-image bit)"),
      llvm::cl::init(RomLimits().maxImages), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxDeviceListEntries{
      "rom-max-device-list",
      llvm::cl::desc("Most entries read from a PCI 3.0 device list"),
      llvm::cl::init(RomLimits().maxDeviceListEntries),
      llvm::cl::cat(category)};

  llvm::cl::opt<unsigned> maxScripts{
      "rom-max-scripts",
      llvm::cl::desc("Most entries read from the NVIDIA BIT 'I' init script "
                     "table"),
      llvm::cl::init(BitLimits().maxScripts), llvm::cl::cat(category)};

  RomLimits limits() const {
    RomLimits limits;
    limits.maxFileSize = maxFileSize;
    limits.maxImages = maxImages;
    limits.maxDeviceListEntries = maxDeviceListEntries;
    return limits;
  }
};

/// The options, created (and so registered with llvm::cl) on first use.
RomCLOptions &commandLineOptions() {
  static RomCLOptions options;
  return options;
}

/// The location of a byte of the ROM file: line 0, column = byte offset (a
/// binary file has no lines). Messages repeat the offset in hex.
Location byteLocation(MLIRContext *context, llvm::StringRef name,
                      uint64_t offset) {
  return FileLineColLoc::get(context, name, 0, offset);
}

LogicalResult romInfo(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                      llvm::raw_ostream &output, MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
  llvm::StringRef name = buffer->getBufferIdentifier();
  llvm::ArrayRef<uint8_t> data(
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
      buffer->getBufferSize());
  RomCLOptions &options = commandLineOptions();
  llvm::SmallVector<RomDiagnostic> warnings;
  auto report = [&](const RomDiagnostic &diagnostic) {
    Location loc = byteLocation(context, name, diagnostic.offset);
    if (diagnostic.severity == Severity::Error) {
      emitError(loc) << llvm::formatv("at {0:x}: ", diagnostic.offset)
                     << diagnostic.message;
      return;
    }
    emitWarning(loc) << llvm::formatv("at {0:x}: ", diagnostic.offset)
                     << diagnostic.message;
    warnings.push_back(diagnostic);
  };
  FailureOr<RomLayout> layout =
      walkRom(data, llvm::sys::path::filename(name), report, options.limits());
  if (failed(layout))
    return failure();
  BitLimits bitLimits;
  bitLimits.maxScripts = options.maxScripts;
  std::optional<BitTable> bit = findBit(data, *layout, report, bitLimits);
  printRomInfo(*layout, options.format, output, warnings,
               bit ? &*bit : nullptr);
  return success();
}
} // namespace

void gpuinit::registerROMTranslations() {
  commandLineOptions();
  static TranslateRegistration registration(
      "rom-info", "Describe the images of a PCI option ROM file (text or JSON)",
      romInfo);
}
