//===- FCode.cpp - Open Firmware FCode importer (stub) --------------------===//
#include "gpuinit/Target/ROMImport.h"

using namespace gpuinit::rom;

mlir::LogicalResult gpuinit::rom::importFCode(const ImageImportContext &ctx) {
  ctx.error(ctx.image.offset, "FCode import is not implemented yet");
  return mlir::failure();
}
