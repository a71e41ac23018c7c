//===- AtomBIOS.cpp - AMD AtomBIOS importer (stub) ------------------------===//
#include "gpuinit/Target/ROMImport.h"

using namespace gpuinit::rom;

bool gpuinit::rom::hasAtomBios(llvm::ArrayRef<uint8_t>, const RomImage &) {
  return false;
}

mlir::LogicalResult gpuinit::rom::importAtomBios(const ImageImportContext &ctx) {
  ctx.error(ctx.image.offset, "AtomBIOS import is not implemented yet");
  return mlir::failure();
}
