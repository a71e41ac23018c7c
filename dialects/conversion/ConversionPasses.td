//===- ConversionPasses.td - gpuinit lowerings ---------------*- tablegen -*-===//
//
// Passes that lower gpuinit dialects to upstream dialects.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_PASSES_TD
#define GPUINIT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertInitSeqToLLVM : Pass<"convert-initseq-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower each sequence to an LLVM function that replays it";
  let description = [{
    Each `initseq.sequence @name` becomes `i32 @name(ptr %bars)` where
    `%bars` points to six BAR base pointers. MMIO accesses are volatile
    loads and stores; configuration space, I/O ports, delays, time and
    run-time conditions go through hooks (`gpuinit_cfg_read`, ...). A poll is
    a loop bounded by its timeout that returns the 1-based index of the poll
    on timeout; 0 means success. An opaque op cannot be replayed and is an
    error.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let statistics = [
    Statistic<"numFunctions", "functions", "Sequences lowered">,
    Statistic<"numAccesses", "accesses", "Accesses lowered">];
}

#endif // GPUINIT_CONVERSION_PASSES_TD
