//===- gpuinit-translate.cpp - the gpuinit import/export driver -----------===//
//
// mlir-translate with gpuinit's importers and exporters registered next to
// the upstream translations. Passes are registered too, for translations
// that run a pipeline in-process (--mmiotrace-to-initseq-json).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Target/Kernel.h"
#include "gpuinit/Target/Translations.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::registerTransformsPasses();
  gpuinit::registerAllPasses();
  mlir::registerPassManagerCLOptions();
  gpuinit::registerAllTranslations();
  gpuinit::kernel::registerKernelTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "gpuinit translation driver\n"));
}
