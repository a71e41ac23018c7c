//===- RomImport.cpp - --import-rom: dispatch of ROM images ---------------===//
//
// Walks a PCI option ROM and hands each image to the decoder of its kind
// (ROMImport.h). The sequences of all images land in one module.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROMImport.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SHA1.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::rom;
using llvm::formatv;

Location ImageImportContext::loc(uint64_t offset) const {
  return FileLineColLoc::get(ModuleOp(module).getContext(), fileName, 0,
                             offset);
}

initseq::SequenceOp
ImageImportContext::createSequence(StringRef name, StringRef kind,
                                   ArrayRef<NamedAttribute> extra) const {
  ModuleOp mod = module;
  MLIRContext *context = mod.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(mod.getBody());
  // Symbols are unique in the module: a second image with the same decoder
  // gets its image index appended.
  std::string symbol = name.str();
  if (mod.lookupSymbol(symbol))
    symbol = formatv("{0}_image{1}", name, image.index).str();
  for (unsigned n = 2; mod.lookupSymbol(symbol); ++n)
    symbol = formatv("{0}_image{1}_{2}", name, image.index, n).str();

  auto seq = initseq::SequenceOp::create(b, loc(image.offset), symbol);
  seq.setOriginAttr(initseq::OriginAttr::get(context, initseq::Origin::rom));
  seq.setVendorAttr(b.getI32IntegerAttr(image.vendorId));
  seq.setDeviceAttr(b.getI32IntegerAttr(image.deviceId));
  seq.setSha1Attr(b.getStringAttr(sha1));
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("image", b.getI64IntegerAttr(image.index)),
      b.getNamedAttr("offset", b.getI64IntegerAttr(int64_t(image.offset))),
      b.getNamedAttr("code_type", b.getStringAttr(codeTypeName(image.codeType))),
      b.getNamedAttr("decoder", b.getStringAttr(kind))};
  entries.append(extra.begin(), extra.end());
  seq->setAttr("initseq.rom", b.getDictionaryAttr(entries));
  return seq;
}

LogicalResult gpuinit::rom::importRom(ArrayRef<uint8_t> rom, StringRef fileName,
                                      ModuleOp module,
                                      RomDiagnosticHandler report,
                                      const RomLimits &limits,
                                      const BitLimits &bitLimits,
                                      const RomImportOptions &options) {
  bool failedAny = false;
  auto tracking = [&](const RomDiagnostic &diagnostic) {
    if (diagnostic.severity == Severity::Error)
      failedAny = true;
    report(diagnostic);
  };
  FailureOr<RomLayout> layout = walkRom(rom, fileName, tracking, limits);
  if (failed(layout))
    return failure();

  std::string sha1 = llvm::toHex(llvm::SHA1::hash(rom), /*LowerCase=*/true);
  std::optional<BitTable> bit = findBit(rom, *layout, tracking, bitLimits);

  size_t sequencesBefore = module.getBody()->getOperations().size();
  SmallVector<std::string> skipped;
  for (const RomImage &image : layout->images) {
    ImageImportContext ctx{rom,      *layout, image, module, fileName,
                           sha1,     tracking, options};
    std::string what = formatv("image {0} at {1:x} ({2})", image.index,
                               image.offset, codeTypeName(image.codeType))
                           .str();
    LogicalResult result = success();
    switch (image.codeType) {
    case CodeTypeX86:
      if (bit && bit->init && layout->firstX86Offset &&
          *layout->firstX86Offset == image.offset) {
        result = importNvidiaDevinit(ctx, *bit);
      } else if (hasAtomBios(rom, image)) {
        result = importAtomBios(ctx);
      } else if (options.x86Emulate) {
        result = importX86Emulated(ctx);
      } else {
        report({Severity::Remark, image.offset,
                what + ": x86 code without NVIDIA devinit scripts or AtomBIOS "
                       "tables; static extraction is not possible for x86 "
                       "code (--x86-emulate runs its init entry in an "
                       "emulator)"});
        skipped.push_back(what);
      }
      break;
    case CodeTypeOpenFirmware:
      result = importFCode(ctx);
      break;
    default:
      report({Severity::Remark, image.offset,
              what + ": nothing to import from this code type"});
      skipped.push_back(what);
      break;
    }
    if (failed(result))
      failedAny = true;
  }
  if (module.getBody()->getOperations().size() == sequencesBefore) {
    report({Severity::Error, layout->chainStart,
            formatv("no initialization sequence in {0}: {1} image(s), none "
                    "holds NVIDIA devinit scripts, AtomBIOS tables or FCode",
                    fileName, layout->images.size())
                .str()});
    return failure();
  }
  return failure(failedAny);
}
