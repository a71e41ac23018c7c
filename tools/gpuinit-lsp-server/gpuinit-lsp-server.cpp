//===- gpuinit-lsp-server.cpp - language server for gpuinit IR ------------===//
//
// mlir-lsp-server with gpuinit's dialects: diagnostics, hover and navigation
// for .mlir files that use initseq (and the upstream dialects).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  gpuinit::registerAllDialects(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry));
}
