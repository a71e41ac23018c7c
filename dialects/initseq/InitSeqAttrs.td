//===- InitSeqAttrs.td - initseq attributes and enums --------*- tablegen -*-===//
//
// Address spaces, register locations, compare modes, origins and condition
// kinds of the initseq dialect.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_INITSEQ_ATTRS_TD
#define GPUINIT_INITSEQ_ATTRS_TD

include "InitSeqDialect.td"

def InitSeq_AddressSpace : I32EnumAttr<"AddressSpace", "register address space", [
    I32EnumAttrCase<"cfg", 0>, I32EnumAttrCase<"mmio", 1>,
    I32EnumAttrCase<"io", 2>, I32EnumAttrCase<"idxio", 3>]> {
  let cppNamespace = "::gpuinit::initseq";
  let genSpecializedAttr = 0;
}

def InitSeq_Compare : I32EnumAttr<"Compare", "poll comparison", [
    I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>]> {
  let cppNamespace = "::gpuinit::initseq";
  let genSpecializedAttr = 0;
}
def InitSeq_CompareAttr : EnumAttr<InitSeq_Dialect, InitSeq_Compare, "compare"> {
  let assemblyFormat = "$value";
}

def InitSeq_Origin : I32EnumAttr<"Origin", "where a sequence came from", [
    I32EnumAttrCase<"rom", 0>, I32EnumAttrCase<"trace", 1>,
    I32EnumAttrCase<"json", 2>, I32EnumAttrCase<"dsl", 3>]> {
  let cppNamespace = "::gpuinit::initseq";
  let genSpecializedAttr = 0;
}
def InitSeq_OriginAttr : EnumAttr<InitSeq_Dialect, InitSeq_Origin, "origin"> {
  let assemblyFormat = "$value";
}

def InitSeq_ConditionKind : I32EnumAttr<"ConditionKind",
    "a run-time condition a ROM tests", [
    I32EnumAttrCase<"strap", 0>, I32EnumAttrCase<"ramcfg", 1>,
    I32EnumAttrCase<"condition", 2>, I32EnumAttrCase<"io_condition", 3>,
    I32EnumAttrCase<"io_flag_condition", 4>, I32EnumAttrCase<"reg", 5>,
    I32EnumAttrCase<"external", 6>]> {
  let cppNamespace = "::gpuinit::initseq";
  let genSpecializedAttr = 0;
}
def InitSeq_ConditionKindAttr
    : EnumAttr<InitSeq_Dialect, InitSeq_ConditionKind, "condition_kind"> {
  let assemblyFormat = "$value";
}

def InitSeq_RegAttr : AttrDef<InitSeq_Dialect, "Reg"> {
  let mnemonic = "reg";
  let summary = "A register location in one address space";
  let description = [{
    Where an access goes. The four address spaces print as:

    ```mlir
    cfg[0x004]                  // PCI configuration space, offset 0..4095
    mmio[bar0 + 0x001540]       // MMIO BAR 0..5, byte offset in the BAR
    io[0x3da]                   // x86 I/O port 0..0xffff
    idxio[0x3d4:0x3d5][0x11]    // indexed I/O: index port:data port, then index
    ```

    For indexed I/O, `offset` is the index port.
  }];
  let parameters = (ins "AddressSpace":$space, "uint32_t":$bar,
                        "uint64_t":$offset, "uint32_t":$dataPort,
                        "uint32_t":$index);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static RegAttr getCfg(::mlir::MLIRContext *ctx, uint64_t offset) {
      return get(ctx, AddressSpace::cfg, 0, offset, 0, 0);
    }
    static RegAttr getMmio(::mlir::MLIRContext *ctx, uint32_t bar,
                                uint64_t offset) {
      return get(ctx, AddressSpace::mmio, bar, offset, 0, 0);
    }
    static RegAttr getIo(::mlir::MLIRContext *ctx, uint64_t port) {
      return get(ctx, AddressSpace::io, 0, port, 0, 0);
    }
    static RegAttr getIdxIo(::mlir::MLIRContext *ctx, uint64_t indexPort,
                                 uint32_t dataPort, uint32_t index) {
      return get(ctx, AddressSpace::idxio, 0, indexPort, dataPort, index);
    }
    /// The same location moved by `delta` bytes (cfg, mmio and io only).
    RegAttr withOffset(uint64_t newOffset) const {
      return get(getContext(), getSpace(), getBar(), newOffset, getDataPort(),
                 getIndex());
    }
  }];
}

#endif // GPUINIT_INITSEQ_ATTRS_TD
