//===- NvidiaDevinit.cpp - NVIDIA devinit script importer (stub) ----------===//
#include "gpuinit/Target/ROMImport.h"

using namespace gpuinit::rom;

mlir::LogicalResult
gpuinit::rom::importNvidiaDevinit(const ImageImportContext &ctx,
                                  const BitTable &) {
  ctx.error(ctx.image.offset, "NVIDIA devinit import is not implemented yet");
  return mlir::failure();
}
