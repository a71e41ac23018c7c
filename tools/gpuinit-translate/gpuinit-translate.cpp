//===- gpuinit-translate.cpp - the gpuinit import/export driver -----------===//
//
// mlir-translate with gpuinit's importers and exporters registered next to
// the upstream translations.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
#ifdef GPUINIT_HAVE_MMIOTrace
  gpuinit::registerMMIOTraceTranslations();
#endif
#ifdef GPUINIT_HAVE_InitSeqJSON
  gpuinit::registerInitSeqJSONTranslations();
#endif
#ifdef GPUINIT_HAVE_InitSeqC
  gpuinit::registerInitSeqCTranslations();
#endif
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "gpuinit translation driver\n"));
}
