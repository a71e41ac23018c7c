//===- X86Emulate.cpp - legacy x86 images under libx86emu (stub) ----------===//
#include "gpuinit/Target/ROMImport.h"

using namespace gpuinit::rom;

mlir::LogicalResult
gpuinit::rom::importX86Emulated(const ImageImportContext &ctx) {
  ctx.error(ctx.image.offset,
            "--x86-emulate: this gpuinit was built without x86 emulation");
  return mlir::failure();
}
