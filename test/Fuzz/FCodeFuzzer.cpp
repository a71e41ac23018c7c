//===- FCodeFuzzer.cpp - libFuzzer target of the FCode importer -----------===//
//
// Runs the FCode importer on every Open Firmware image of a ROM. An input
// that starts with 55 AA is the ROM; any other input is an FCode program
// that the target wraps in a one-image ROM as toke lays it out (its first
// byte picks the start token, a wrong checksum and small limits). Nothing
// may crash or hang; a failed import reports an error, a successful one
// none; every diagnostic lies inside the ROM; the module verifies, and a
// sequence left by a failed evaluation is marked incomplete.
//
// The target defines ImageImportContext::loc and createSequence itself
// (RomImport.cpp would pull in every ROM decoder).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/ROMImport.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::rom;

Location ImageImportContext::loc(uint64_t offset) const {
  ModuleOp mod = module;
  return FileLineColLoc::get(mod.getContext(), fileName, 0, offset);
}

initseq::SequenceOp
ImageImportContext::createSequence(StringRef name, StringRef kind,
                                   ArrayRef<NamedAttribute> extra) const {
  ModuleOp mod = module;
  OpBuilder b = OpBuilder::atBlockEnd(mod.getBody());
  auto seq = initseq::SequenceOp::create(
      b, loc(image.offset), (name + "_image" + Twine(image.index)).str());
  seq.setOriginAttr(
      initseq::OriginAttr::get(mod.getContext(), initseq::Origin::rom));
  seq.setVendorAttr(b.getI32IntegerAttr(image.vendorId));
  seq.setDeviceAttr(b.getI32IntegerAttr(image.deviceId));
  seq.setSha1Attr(b.getStringAttr(sha1));
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("image", b.getI64IntegerAttr(image.index)),
      b.getNamedAttr("decoder", b.getStringAttr(kind))};
  entries.append(extra.begin(), extra.end());
  seq->setAttr("initseq.rom", b.getDictionaryAttr(entries));
  return seq;
}

namespace {
/// A context reused across inputs, renewed now and then so that uniqued
/// attributes from earlier inputs do not accumulate.
std::unique_ptr<MLIRContext> context;
unsigned contextUses = 0;

MLIRContext *getContext() {
  if (!context || ++contextUses > 5000) {
    context = std::make_unique<MLIRContext>(MLIRContext::Threading::DISABLED);
    context->loadDialect<initseq::InitSeqDialect>();
    contextUses = 0;
  }
  return context.get();
}

void putLe16(std::vector<uint8_t> &rom, size_t at, uint16_t v) {
  rom[at] = uint8_t(v);
  rom[at + 1] = uint8_t(v >> 8);
}

/// A one-image ROM around `program` as toke lays it out: ROM header with the
/// start word 0x34, PCIR (revision 0, code type 1, last image) at 0x1c, the
/// FCode header at 0x34, zero padding to a block.
std::vector<uint8_t> wrap(uint8_t control, const uint8_t *program,
                          size_t size) {
  static const uint8_t kStarts[] = {0xf1, 0xf1, 0xf1, 0xfd,
                                    0xf0, 0xf2, 0xf3, 0xf1};
  size_t length = 8 + size;
  size_t blocks = (0x34 + length + 511) / 512;
  std::vector<uint8_t> rom(blocks * 512, 0);
  rom[0] = 0x55;
  rom[1] = 0xaa;
  putLe16(rom, 2, 0x34);
  putLe16(rom, 0x18, 0x1c);
  const char pcir[] = "PCIR";
  std::copy(pcir, pcir + 4, rom.begin() + 0x1c);
  putLe16(rom, 0x20, 0x10de);
  putLe16(rom, 0x22, 0x1234);
  putLe16(rom, 0x26, 0x18);
  rom[0x2b] = 0x03;
  putLe16(rom, 0x2c, uint16_t(blocks));
  rom[0x30] = 0x01;
  rom[0x31] = 0x80;
  rom[0x34] = kStarts[control & 7];
  rom[0x35] = 0x08;
  uint16_t sum = 0;
  for (size_t i = 0; i < size; ++i)
    sum = uint16_t(sum + program[i]);
  if (control & 0x08)
    sum = uint16_t(sum + 1);
  rom[0x36] = uint8_t(sum >> 8);
  rom[0x37] = uint8_t(sum);
  rom[0x38] = uint8_t(length >> 24);
  rom[0x39] = uint8_t(length >> 16);
  rom[0x3a] = uint8_t(length >> 8);
  rom[0x3b] = uint8_t(length);
  std::copy(program, program + size, rom.begin() + 0x3c);
  return rom;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > 65536)
    return 0;
  std::vector<uint8_t> rom;
  uint8_t control = data[0];
  if (size >= 2 && data[0] == 0x55 && data[1] == 0xaa) {
    rom.assign(data, data + size);
    control = uint8_t(size);
  } else {
    rom = wrap(control, data + 1, size - 1);
  }

  MLIRContext *ctx = getContext();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
    diagnostics += diag.str() + "\n";
    return success();
  });

  FailureOr<RomLayout> layout = walkRom(
      rom, "fuzz.rom", [](const RomDiagnostic &) {}, RomLimits());
  if (failed(layout))
    return 0;

  // Small limits for some inputs so that the limit paths are reached.
  RomImportOptions options;
  options.maxDepth = (control & 0x10) ? 3 : 16;
  options.maxSteps = (control & 0x20) ? 200 : 100000;
  options.maxOps = (control & 0x40) ? 4 : 100000;

  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(ctx, "fuzz.rom", 0, 0));
  for (const RomImage &image : layout->images) {
    if (image.codeType != CodeTypeOpenFirmware)
      continue;
    unsigned errors = 0;
    auto report = [&](const RomDiagnostic &diagnostic) {
      if (diagnostic.offset > rom.size()) {
        llvm::errs() << "diagnostic outside the ROM: " << diagnostic.message
                     << "\n";
        std::abort();
      }
      if (diagnostic.severity == Severity::Error)
        ++errors;
    };
    size_t before = module->getBody()->getOperations().size();
    ImageImportContext importContext{
        rom,     *layout,    image,
        *module, "fuzz.rom", "0000000000000000000000000000000000000000",
        report,  options};
    LogicalResult result = importFCode(importContext);
    size_t after = module->getBody()->getOperations().size();
    if (failed(result) != (errors != 0)) {
      llvm::errs() << "importFCode " << (failed(result) ? "failed" : "passed")
                   << " with " << errors << " error(s)\n";
      std::abort();
    }
    if (succeeded(result) && after != before + 1) {
      llvm::errs() << "a successful import made " << (after - before)
                   << " sequences\n";
      std::abort();
    }
    if (after > before + 1) {
      llvm::errs() << "one image made " << (after - before) << " sequences\n";
      std::abort();
    }
    if (failed(result) && after == before + 1) {
      auto seq = cast<initseq::SequenceOp>(module->getBody()->back());
      if (!seq.getIncomplete()) {
        llvm::errs() << "the sequence of a failed import is not incomplete\n";
        std::abort();
      }
    }
  }
  if (failed(verify(*module))) {
    llvm::errs() << "the imported module does not verify:\n" << diagnostics;
    module->print(llvm::errs());
    std::abort();
  }
  return 0;
}
