//===- gpuinit-opt.cpp - the gpuinit pass driver --------------------------===//
//
// mlir-opt with gpuinit's dialects, passes and pipelines registered next to
// the upstream ones.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  gpuinit::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  gpuinit::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "gpuinit optimizer driver\n", registry));
}
