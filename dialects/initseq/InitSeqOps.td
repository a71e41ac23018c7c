//===- InitSeqOps.td - initseq operations ---------------------*- tablegen -*-===//
//
// Every op of the initseq dialect: the sequence container, register accesses,
// delays, polls, run-time conditions and what importers could not resolve.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_INITSEQ_OPS_TD
#define GPUINIT_INITSEQ_OPS_TD

include "InitSeqAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Optional provenance shared by every access: source byte offset and script
// id for ROMs, timestamp in ns for traces. They are plain integers in the
// op's properties, not uniqued attributes: a trace has a distinct timestamp
// per access, and uniquing millions of them dominated import time.
defvar ProvenanceArgs = (ins OptionalProp<I64Prop>:$src_offset,
                             OptionalProp<I64Prop>:$script,
                             OptionalProp<I64Prop>:$ts);

//===----------------------------------------------------------------------===//
// Containers
//===----------------------------------------------------------------------===//

def InitSeq_SequenceOp : InitSeq_Op<"sequence", [
    Symbol, IsolatedFromAbove, NoRegionArguments,
    SingleBlockImplicitTerminator<"EndOp">]> {
  let summary = "An ordered initialization sequence";
  let description = [{
    The accesses in the body happen in order. Metadata says where the
    sequence came from and for which device:

    ```mlir
    initseq.sequence @gk107 origin trace pci 0x10de:0x0fc6 sha1 "0123..." {
      initseq.write mmio[bar0 + 0x000200] : i32 = 0xffffffff
    }
    ```

    `incomplete` marks a sequence whose source lost events (an mmiotrace
    `Lost N events` mark): a reduction of it is not a reduction of what the
    device saw.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       OptionalAttr<InitSeq_OriginAttr>:$origin,
                       OptionalAttr<I32Attr>:$vendor,
                       OptionalAttr<I32Attr>:$device,
                       OptionalAttr<StrAttr>:$sha1,
                       UnitAttr:$incomplete);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
  let extraClassDeclaration = [{
    /// The block holding the accesses.
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def InitSeq_EndOp : InitSeq_Op<"end", [
    Terminator, Pure, ParentOneOf<["SequenceOp", "ConditionOp"]>]> {
  let summary = "Ends a sequence or condition body";
  let assemblyFormat = "attr-dict";
}

def InitSeq_ConditionOp : InitSeq_Op<"condition", [
    ParentOneOf<["SequenceOp", "ConditionOp"]>, NoRegionArguments,
    SingleBlockImplicitTerminator<"EndOp">]> {
  let summary = "Accesses guarded by a condition the ROM tests at run time";
  let description = [{
    Tests the named run-time condition once, when the op is reached: a strap
    test, a RAM-configuration index, a condition-table entry or an I/O
    condition. The body runs when the condition holds (or, with `not`, does
    not hold); otherwise the `else` body, if there is one, runs. Exactly one
    of the two bodies runs, decided by that single test: a body that changes
    the tested register does not change which one. Testing the condition
    reads the device, so the op is never removed, even with empty bodies.

    ```mlir
    initseq.condition strap 0x3 "strap bits 3:2 == 1" {
      initseq.write mmio[bar0 + 0x100200] : i32 = 0x1
    }
    initseq.condition not ramcfg 0x2 {
      initseq.delay 10 us
    }
    initseq.condition condition 0x5 {
      initseq.write mmio[bar0 + 0x100204] : i32 = 0x1
    } else {
      initseq.write mmio[bar0 + 0x100204] : i32 = 0x2
    }
    ```

    The else region is empty when there is no `else`; an `else` whose body
    is empty is kept as written and dropped by canonicalization.
  }];
  let arguments = !con((ins InitSeq_ConditionKindAttr:$kind, I64Attr:$index,
                            UnitAttr:$negated, OptionalAttr<StrAttr>:$label),
                       ProvenanceArgs);
  let regions = (region SizedRegion<1>:$body, MaxSizedRegion<1>:$elseBody);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;  // an else body holding nothing is no else
  let extraClassDeclaration = [{
    /// The block run when the condition holds (or, negated, fails).
    ::mlir::Block &getThenBlock() { return getBody().front(); }
    /// Whether the op has an else body.
    bool hasElse() { return !getElseBody().empty(); }
    /// The block run otherwise; null when the op has no else.
    ::mlir::Block *getElseBlock() {
      return hasElse() ? &getElseBody().front() : nullptr;
    }
    /// The else block, created (holding only its terminator) when the op has
    /// none.
    ::mlir::Block &getOrCreateElseBlock();
  }];
}

//===----------------------------------------------------------------------===//
// Accesses
//===----------------------------------------------------------------------===//


// The access ops have hand-written parsers and printers (InitSeqSyntax.cpp):
// they are the bulk of million-access traces, and the generated printer's
// `attr-dict` would materialize a dictionary of every property per op.
class InitSeq_AccessOp<string mnemonic, list<Trait> traits = []>
    : InitSeq_Op<mnemonic, !listconcat(traits,
                 [ParentOneOf<["SequenceOp", "ConditionOp"]>])> {
  let hasVerifier = 1;
}

def InitSeq_WriteOp : InitSeq_AccessOp<"write"> {
  let summary = "Write a value to a register";
  let description = [{
    ```mlir
    initseq.write mmio[bar0 + 0x001540] : i32 = 0x1
    initseq.write cfg[0x004] : i16 = 0x7 at 0x1c2 script 3
    initseq.write mmio[bar0 + 0x000200] : i32 = 0xffffffff ts 12000541000
    ```
  }];
  let arguments = !con((ins InitSeq_RegAttr:$location,
                            TypeAttrOf<AnySignlessInteger>:$width,
                            I64Attr:$value), ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
}

def InitSeq_RmwOp : InitSeq_AccessOp<"rmw"> {
  let summary = "Masked read-modify-write: new = (old & and_mask) | or_mask";
  let description = [{
    Reads the register, then writes `(old & and_mask) | or_mask`. The read is
    an access of its own: only a register map that says reads of the
    register have no side effect lets a pass turn this into a plain write.

    ```mlir
    initseq.rmw mmio[bar0 + 0x00c040] : i32 and 0xffffff00 or 0x11
    ```
  }];
  let arguments = !con((ins InitSeq_RegAttr:$location,
                            TypeAttrOf<AnySignlessInteger>:$width,
                            I64Attr:$and_mask, I64Attr:$or_mask),
                       ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def InitSeq_ReadOp : InitSeq_AccessOp<"read"> {
  let summary = "Read a register (with the value a trace observed)";
  let description = [{
    A read is an access: reading a status or FIFO register can change the
    device. `-> value` is what the read returned when it came from a trace.

    ```mlir
    initseq.read mmio[bar0 + 0x000000] : i32 -> 0xe63a0a1 ts 12000530000
    ```
  }];
  let arguments = !con((ins InitSeq_RegAttr:$location,
                            TypeAttrOf<AnySignlessInteger>:$width,
                            OptionalAttr<I64Attr>:$observed),
                       ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
}

def InitSeq_BlockWriteOp : InitSeq_AccessOp<"block_write"> {
  let summary = "Writes to a run of registers at a fixed stride";
  let description = [{
    Equivalent to writing `values[i]` to `location + i * stride`, in order.

    ```mlir
    initseq.block_write mmio[bar0 + 0x001000] : i32 stride 0x4 = [0x1, 0x2, 0x3]
    ```
  }];
  let arguments = !con((ins InitSeq_RegAttr:$location,
                            TypeAttrOf<AnySignlessInteger>:$width,
                            I64Attr:$stride, DenseI64ArrayAttr:$values),
                       ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
  let hasCanonicalizer = 1;
}

def InitSeq_PollOp : InitSeq_AccessOp<"poll"> {
  let summary = "Wait until (read(location) & mask) compares to `expected`";
  let description = [{
    Reads `location` until the masked value compares equal (or not equal) to
    `expected`, or `timeout` elapses; a timeout is an initialization failure.
    `took` records how long the poll took where a trace showed it.

    ```mlir
    initseq.poll mmio[bar0 + 0x00e100] : i32 mask 0x2 eq 0x2 timeout 100 ms
    ```
  }];
  let arguments = !con((ins InitSeq_RegAttr:$location,
                            TypeAttrOf<AnySignlessInteger>:$width,
                            I64Attr:$mask, InitSeq_CompareAttr:$compare,
                            I64Attr:$expected, I64Attr:$timeout_ns,
                            OptionalAttr<I64Attr>:$took_ns),
                       ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
}

def InitSeq_DelayOp : InitSeq_Op<"delay", [
    ParentOneOf<["SequenceOp", "ConditionOp"]>]> {
  let summary = "Wait for a duration";
  let description = [{
    The duration is kept in nanoseconds and printed in the largest unit that
    divides it exactly; `ns`, `us`, `ms` and `s` are accepted.

    ```mlir
    initseq.delay 1 ms
    ```
  }];
  let arguments = !con((ins I64Attr:$ns), ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def InitSeq_OpaqueOp : InitSeq_Op<"opaque", [
    ParentOneOf<["SequenceOp", "ConditionOp"]>]> {
  let summary = "Something an importer could not resolve statically";
  let description = [{
    Records an operation of the source (a devinit opcode that needs hardware
    state, an FCode word with a computed operand, ...) with its decoded
    operands and raw bytes, so that nothing is dropped silently. Passes treat
    it as touching every register.

    ```mlir
    initseq.opaque "INIT_PLL" (0x4010, 0x61a8) bytes "79104000a8610000" at 0x2f1 script 1
    ```
  }];
  let arguments = !con((ins StrAttr:$kind, DenseI64ArrayAttr:$operands,
                            OptionalAttr<StrAttr>:$bytes), ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def InitSeq_NoteOp : InitSeq_Op<"note", [
    ParentOneOf<["SequenceOp", "ConditionOp"]>]> {
  let summary = "An annotation (e.g. an mmiotrace MARK); no device effect";
  let description = [{
    ```mlir
    initseq.note "loading driver" ts 12000100000
    ```
  }];
  let arguments = !con((ins StrAttr:$text), ProvenanceArgs);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

#endif // GPUINIT_INITSEQ_OPS_TD
