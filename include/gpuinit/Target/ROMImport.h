//===- ROMImport.h - PCI option ROM to initseq importers ------------------===//
//
// `gpuinit-translate --import-rom` walks a ROM (ROM.h) and hands every image
// it can decode to the decoder of its kind, which appends `initseq.sequence`
// ops to one module:
//
// * NVIDIA devinit scripts (an x86 image holding a BIT), NvidiaDevinit.cpp;
// * Open Firmware FCode (code type 1), FCode.cpp;
// * AMD AtomBIOS command tables (an x86 image holding an ATOM ROM header),
//   AtomBIOS.cpp;
// * plain x86 code: not statically extractable; `--x86-emulate` (X86Emulate.
//   cpp) runs its init entry in libx86emu when built with it.
//
// Every decoder reads only inside the ROM, reports problems as RomDiagnostics
// located at byte offsets of the file, and stops at the limits below.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_ROMIMPORT_H
#define GPUINIT_TARGET_ROMIMPORT_H

#include "gpuinit/Target/ROM.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace gpuinit::initseq {
class SequenceOp;
} // namespace gpuinit::initseq

namespace gpuinit::rom {

/// Options and limits shared by every ROM decoder. Each limit is a
/// command-line option of gpuinit-translate (docs/ROM.md).
struct RomImportOptions {
  /// Deepest nesting of calls a decoder follows (devinit SUB/SUB_DIRECT,
  /// FCode colon definitions, AtomBIOS CALL_TABLE).
  unsigned maxDepth = 16;
  /// Most opcodes/tokens a decoder executes for one sequence (counting every
  /// repetition of a loop and every inlined call).
  uint64_t maxSteps = 1u << 20;
  /// Most ops a decoder emits into one sequence.
  uint64_t maxOps = 1u << 20;
  /// NVIDIA: the board's strap value (NV_PEXTDEV_BOOT_0, R[0x101000]);
  /// resolves strap conditions statically.
  std::optional<uint32_t> strap;
  /// NVIDIA: the RAM-configuration index; resolves RAM_RESTRICT/XMEMSEL
  /// selections statically.
  std::optional<unsigned> ramcfg;
  /// NVIDIA: one sequence `@post` running the scripts in POST order (the
  /// script table, then the private boot script) instead of one sequence
  /// per script.
  bool devinitPost = false;
  /// AtomBIOS: the command table to import, a name ("ASIC_Init") or an index.
  std::string atomTable = "ASIC_Init";
  /// x86: run the init entry under libx86emu.
  bool x86Emulate = false;
  /// x86 emulation: most instructions executed.
  uint64_t x86MaxInstructions = 10'000'000;
};

/// What a decoder gets for one image.
struct ImageImportContext {
  /// The whole ROM file.
  llvm::ArrayRef<uint8_t> rom;
  const RomLayout &layout;
  const RomImage &image;
  /// Sequences are appended to this module's body.
  mlir::ModuleOp module;
  /// The file name for locations.
  llvm::StringRef fileName;
  /// The lowercase hex SHA-1 of the whole file.
  llvm::StringRef sha1;
  /// Every warning and error; an error also makes the decoder fail.
  RomDiagnosticHandler report;
  const RomImportOptions &options;

  /// The location of a byte of the file (line 0, column = offset).
  mlir::Location loc(uint64_t offset) const;
  /// Creates `initseq.sequence @name origin rom` at the end of the module,
  /// with the image's PCI ids, the file's sha1 and an `initseq.rom`
  /// dictionary (image index, file offset, code type, decoder `kind`, plus
  /// `extra` entries), and returns it with an empty body.
  initseq::SequenceOp createSequence(llvm::StringRef name,
                                     llvm::StringRef kind,
                                     llvm::ArrayRef<mlir::NamedAttribute>
                                         extra = {}) const;
  void error(uint64_t offset, const llvm::Twine &message) const {
    report({Severity::Error, offset, message.str()});
  }
  void warning(uint64_t offset, const llvm::Twine &message) const {
    report({Severity::Warning, offset, message.str()});
  }
};

/// NVIDIA devinit (shared/specs/nvidia-devinit.md): one sequence per script
/// of the BIT 'I' script table and one for the private boot script.
mlir::LogicalResult importNvidiaDevinit(const ImageImportContext &ctx,
                                        const BitTable &bit);

/// Open Firmware FCode (shared/specs/fcode.md): one sequence for the image.
mlir::LogicalResult importFCode(const ImageImportContext &ctx);

/// Whether the x86 image `image` carries an AtomBIOS ROM header.
bool hasAtomBios(llvm::ArrayRef<uint8_t> rom, const RomImage &image);

/// AMD AtomBIOS: one sequence for the command table selected by
/// `options.atomTable`.
mlir::LogicalResult importAtomBios(const ImageImportContext &ctx);

/// Legacy x86 code run under libx86emu (`--x86-emulate`); fails with a
/// clear message when gpuinit was built without libx86emu.
mlir::LogicalResult importX86Emulated(const ImageImportContext &ctx);

/// Imports every decodable image of `rom` into `module`. Images that hold
/// nothing importable (UEFI, NVIDIA firmware) are reported as warnings; it
/// is an error when no image gave a sequence.
mlir::LogicalResult importRom(llvm::ArrayRef<uint8_t> rom,
                              llvm::StringRef fileName, mlir::ModuleOp module,
                              RomDiagnosticHandler report,
                              const RomLimits &limits,
                              const BitLimits &bitLimits,
                              const RomImportOptions &options);

} // namespace gpuinit::rom

#endif // GPUINIT_TARGET_ROMIMPORT_H
