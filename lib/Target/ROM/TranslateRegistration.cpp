//===- TranslateRegistration.cpp - --rom-info -----------------------------===//
//
// Registers the ROM inspector with gpuinit-translate: walks a PCI option ROM
// file and prints its images as text or JSON, with the walker's limits as
// command-line options; on NVIDIA ROMs also the BIT (BIOS Information Table).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/ROM.h"
#include "gpuinit/Target/ROMImport.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"

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

  // --import-rom.
  llvm::cl::opt<unsigned> maxDepth{
      "rom-max-depth",
      llvm::cl::desc("Deepest nesting of calls a ROM decoder follows (devinit "
                     "SUB/SUB_DIRECT, FCode definitions, AtomBIOS "
                     "CALL_TABLE)"),
      llvm::cl::init(RomImportOptions().maxDepth), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxSteps{
      "rom-max-steps",
      llvm::cl::desc("Most opcodes or tokens a ROM decoder executes for one "
                     "sequence (loops and inlined calls included)"),
      llvm::cl::init(RomImportOptions().maxSteps), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> maxOps{
      "rom-max-ops",
      llvm::cl::desc("Most ops a ROM decoder emits into one sequence"),
      llvm::cl::init(RomImportOptions().maxOps), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> strap{
      "strap",
      llvm::cl::desc("NVIDIA: the board's strap register value "
                     "(R[0x101000]); resolves strap conditions statically"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> ramcfg{
      "ramcfg",
      llvm::cl::desc("NVIDIA: the RAM-configuration index; resolves "
                     "RAM_RESTRICT/XMEMSEL selections statically"),
      llvm::cl::cat(category)};
  llvm::cl::opt<bool> devinitPost{
      "devinit-post",
      llvm::cl::desc("NVIDIA: import the devinit scripts as one sequence "
                     "@post in POST order (script table, then the private "
                     "boot script)"),
      llvm::cl::init(false), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> atomTable{
      "atom-table",
      llvm::cl::desc("AtomBIOS: the command table to import, by name or "
                     "index"),
      llvm::cl::init(RomImportOptions().atomTable), llvm::cl::cat(category)};
  llvm::cl::opt<bool> x86Emulate{
      "x86-emulate",
      llvm::cl::desc("Legacy x86 images: run the init entry in an emulator "
                     "and record its port and MMIO accesses"),
      llvm::cl::init(false), llvm::cl::cat(category)};
  llvm::cl::opt<uint64_t> x86MaxInstructions{
      "x86-max-instructions",
      llvm::cl::desc("--x86-emulate: most instructions executed"),
      llvm::cl::init(RomImportOptions().x86MaxInstructions),
      llvm::cl::cat(category)};

  /// The import options; fails with a message on a malformed value.
  FailureOr<RomImportOptions> importOptions(MLIRContext *context) const {
    RomImportOptions options;
    options.maxDepth = maxDepth;
    options.maxSteps = maxSteps;
    options.maxOps = maxOps;
    options.atomTable = atomTable;
    options.devinitPost = devinitPost;
    options.x86Emulate = x86Emulate;
    options.x86MaxInstructions = x86MaxInstructions;
    if (!strap.empty()) {
      uint64_t value;
      if (llvm::StringRef(strap).getAsInteger(0, value) || value > 0xffffffff)
        return emitError(UnknownLoc::get(context))
               << "--strap: expected a 32-bit integer, got '" << strap << "'";
      options.strap = uint32_t(value);
    }
    if (!ramcfg.empty()) {
      unsigned value;
      if (llvm::StringRef(ramcfg).getAsInteger(0, value) || value > 15)
        return emitError(UnknownLoc::get(context))
               << "--ramcfg: expected a RAM-configuration index 0..15, got '"
               << ramcfg << "'";
      options.ramcfg = value;
    }
    return options;
  }

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

/// Reports a ROM diagnostic as an MLIR diagnostic at its byte.
void emitRomDiagnostic(MLIRContext *context, llvm::StringRef name,
                       const RomDiagnostic &diagnostic) {
  Location loc = byteLocation(context, name, diagnostic.offset);
  auto message = llvm::formatv("at {0:x}: ", diagnostic.offset);
  switch (diagnostic.severity) {
  case Severity::Error:
    emitError(loc) << message << diagnostic.message;
    return;
  case Severity::Warning:
    emitWarning(loc) << message << diagnostic.message;
    return;
  case Severity::Remark:
    emitRemark(loc) << message << diagnostic.message;
    return;
  }
}

/// --import-rom: every importable image of the ROM as initseq sequences.
/// When a decoder reports an error the module is still printed (the
/// affected sequences carry `incomplete`) and the translation fails.
LogicalResult importRomTranslation(
    const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
    llvm::raw_ostream &output, MLIRContext *context) {
  context->loadDialect<gpuinit::initseq::InitSeqDialect>();
  const llvm::MemoryBuffer *buffer =
      sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
  llvm::StringRef name = llvm::sys::path::filename(buffer->getBufferIdentifier());
  llvm::ArrayRef<uint8_t> data(
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart()),
      buffer->getBufferSize());
  RomCLOptions &options = commandLineOptions();
  FailureOr<RomImportOptions> importOptions = options.importOptions(context);
  if (failed(importOptions))
    return failure();
  BitLimits bitLimits;
  bitLimits.maxScripts = options.maxScripts;
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(context, name, 0, 0));
  LogicalResult result = importRom(
      data, name, *module,
      [&](const RomDiagnostic &diagnostic) {
        emitRomDiagnostic(context, name, diagnostic);
      },
      options.limits(), bitLimits, *importOptions);
  if (module->getBody()->empty())
    return failure();
  if (failed(verify(*module)))
    return failure();
  module->print(output);
  return result;
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
  std::optional<AtomInfo> atom = findAtomBios(data, *layout, report);
  printRomInfo(*layout, options.format, output, warnings,
               bit ? &*bit : nullptr, atom ? &*atom : nullptr);
  return success();
}
} // namespace

void gpuinit::registerROMTranslations() {
  commandLineOptions();
  static TranslateRegistration registration(
      "rom-info", "Describe the images of a PCI option ROM file (text or JSON)",
      romInfo);
  static TranslateRegistration importRegistration(
      "import-rom",
      "Import a PCI option ROM (NVIDIA devinit, FCode, AtomBIOS) as initseq",
      importRomTranslation);
}
