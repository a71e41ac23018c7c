//===- gpuinit-opt.cpp - the gpuinit pass driver --------------------------===//
//
// mlir-opt with gpuinit's dialects, passes and pipelines registered next to
// the upstream ones.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"
#include "gpuinit/Support/PassStatistics.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/StringRef.h"

int main(int argc, char **argv) {
  // Debian's release MLIR has no-op statistics: print gpuinit's own (see
  // gpuinit/Support/PassStatistics.h) when they are asked for.
  bool printStats = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "-mlir-pass-statistics" || arg == "--mlir-pass-statistics")
      printStats = true;
  }
  mlir::registerAllPasses();
  gpuinit::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  gpuinit::registerAllDialects(registry);
  mlir::LogicalResult result =
      mlir::MlirOptMain(argc, argv, "gpuinit optimizer driver\n", registry);
  if (printStats)
    gpuinit::printStatistics(llvm::errs());
  return mlir::asMainReturnCode(result);
}
