//===- InitSeqDialect.td - the initseq dialect ---------------*- tablegen -*-===//
//
// The dialect of GPU initialization sequences: register writes, read-modify-
// writes, delays and polls, with where each access came from.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_INITSEQ_DIALECT_TD
#define GPUINIT_INITSEQ_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def InitSeq_Dialect : Dialect {
  let name = "initseq";
  let cppNamespace = "::gpuinit::initseq";
  let summary = "GPU initialization sequences: register accesses, delays and polls";
  let description = [{
    The `initseq` dialect holds what a GPU's ROM or driver does to the
    hardware to bring it up, as an ordered list of accesses inside an
    `initseq.sequence`. Every access names its address space (PCI
    configuration space, an MMIO BAR, an I/O port or an indexed I/O
    register), its width and its value, and may carry provenance: the byte
    offset and script it was decoded from, or the trace timestamp at which it
    was observed.

    Registers are assumed to have side effects: a pass may only remove or
    merge accesses where a register map declares the register plain storage.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class InitSeq_Op<string mnemonic, list<Trait> traits = []>
    : Op<InitSeq_Dialect, mnemonic, traits>;

#endif // GPUINIT_INITSEQ_DIALECT_TD
