//===- InitSeqToLLVM.cpp - convert-initseq-to-llvm ------------------------===//
//
// Lowers every initseq.sequence to an LLVM function that replays it: volatile
// MMIO loads and stores on BAR base pointers, and calls to host hooks for
// configuration space, I/O ports, delays, time and run-time conditions.
// docs/InitSeqToLLVM.md is the reference of the function ABI and the hooks.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Conversion/Passes.h"
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Support/PassStatistics.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <array>

namespace gpuinit {
#define GEN_PASS_DEF_CONVERTINITSEQTOLLVM
#include "conversion/ConversionPasses.h.inc"
} // namespace gpuinit

using namespace mlir;
using namespace gpuinit::initseq;

namespace {

//===----------------------------------------------------------------------===//
// Hooks
//===----------------------------------------------------------------------===//

/// The host functions a replay function calls (docs/InitSeqToLLVM.md).
enum class Hook {
  CfgRead,
  CfgWrite,
  IoRead,
  IoWrite,
  DelayNs,
  TimeNs,
  Condition
};
constexpr Hook kAllHooks[] = {Hook::CfgRead, Hook::CfgWrite, Hook::IoRead,
                              Hook::IoWrite, Hook::DelayNs,  Hook::TimeNs,
                              Hook::Condition};

StringRef hookName(Hook hook) {
  switch (hook) {
  case Hook::CfgRead:
    return "gpuinit_cfg_read";
  case Hook::CfgWrite:
    return "gpuinit_cfg_write";
  case Hook::IoRead:
    return "gpuinit_io_read";
  case Hook::IoWrite:
    return "gpuinit_io_write";
  case Hook::DelayNs:
    return "gpuinit_delay_ns";
  case Hook::TimeNs:
    return "gpuinit_time_ns";
  case Hook::Condition:
    return "gpuinit_condition";
  }
  llvm_unreachable("unknown hook");
}

/// The LLVM type of a hook: the C prototypes of docs/InitSeqToLLVM.md.
LLVM::LLVMFunctionType hookType(MLIRContext *ctx, Hook hook) {
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  Type i32 = IntegerType::get(ctx, 32), i64 = IntegerType::get(ctx, 64);
  Type voidTy = LLVM::LLVMVoidType::get(ctx);
  switch (hook) {
  case Hook::CfgRead:
  case Hook::IoRead:
    return LLVM::LLVMFunctionType::get(i64, {ptr, i32, i32});
  case Hook::CfgWrite:
  case Hook::IoWrite:
    return LLVM::LLVMFunctionType::get(voidTy, {ptr, i32, i32, i64});
  case Hook::DelayNs:
    return LLVM::LLVMFunctionType::get(voidTy, {ptr, i64});
  case Hook::TimeNs:
    return LLVM::LLVMFunctionType::get(i64, {ptr});
  case Hook::Condition:
    return LLVM::LLVMFunctionType::get(i32, {ptr, i32, i64});
  }
  llvm_unreachable("unknown hook");
}

/// Declares hooks at the top of the module on first use, in first-use order,
/// and reuses a declaration the module already has.
class HookTable {
public:
  explicit HookTable(ModuleOp module) : module(module) {}

  /// Fails (with a diagnostic) when a symbol of the module has a hook's name
  /// but is not a function of that hook's type: nothing could call it.
  LogicalResult verifyNoClash() {
    bool ok = true;
    for (Hook hook : kAllHooks) {
      Operation *sym = module.lookupSymbol(hookName(hook));
      if (!sym)
        continue;
      auto fn = dyn_cast<LLVM::LLVMFuncOp>(sym);
      if (fn && fn.getFunctionType() == hookType(module.getContext(), hook))
        continue;
      sym->emitError("symbol @")
          << hookName(hook)
          << " clashes with the replay hook of that name (expected "
          << hookType(module.getContext(), hook) << ")";
      ok = false;
    }
    return success(ok);
  }

  /// The declaration of `hook`, created if needed.
  LLVM::LLVMFuncOp get(Hook hook) {
    LLVM::LLVMFuncOp &decl = declared[unsigned(hook)];
    if (decl)
      return decl;
    decl = module.lookupSymbol<LLVM::LLVMFuncOp>(hookName(hook));
    if (decl)
      return decl;
    OpBuilder b(module.getContext());
    if (lastDecl)
      b.setInsertionPointAfter(lastDecl);
    else
      b.setInsertionPointToStart(module.getBody());
    decl = LLVM::LLVMFuncOp::create(b, module.getLoc(), hookName(hook),
                                    hookType(module.getContext(), hook));
    lastDecl = decl;
    return decl;
  }

private:
  ModuleOp module;
  DenseMap<unsigned, LLVM::LLVMFuncOp> declared;
  /// The last declaration created: the next one goes after it.
  Operation *lastDecl = nullptr;
};

//===----------------------------------------------------------------------===//
// One sequence
//===----------------------------------------------------------------------===//

/// What the lowering of one module counted, for the pass statistics.
struct Counts {
  uint64_t accesses = 0, polls = 0, conditions = 0, hookCalls = 0;
};

/// Where one access goes: `reg`, moved by `delta` bytes when `delta` (an i64)
/// is set, as in a block-write loop. `align` is what an MMIO access there may
/// assume.
struct Target {
  RegAttr reg;
  Value delta;
  unsigned align = 1;
};

/// The alignment of an MMIO access of `bytes` at `offset` (and at every
/// `offset + k * stride`): the access's natural alignment when all are
/// multiples of it, else 1. BAR bases are 8-byte aligned (ABI).
unsigned mmioAlign(uint64_t offset, uint64_t stride, unsigned bytes) {
  return offset % bytes == 0 && stride % bytes == 0 ? bytes : 1;
}

/// BARs a PCI function has (RegAttr verifies BAR indices against it).
constexpr unsigned kNumBars = 6;

/// Emits the body of the replay function of one sequence.
class SequenceLowering {
public:
  SequenceLowering(ModuleOp module, HookTable &hooks, Counts &counts,
                   unsigned blockUnrollLimit)
      : module(module), hooks(hooks), counts(counts),
        blockUnrollLimit(blockUnrollLimit), b(module.getContext()) {}

  /// Replaces `seq` by its replay function.
  void run(SequenceOp seq);

private:
  void lowerOps(Block &body);
  void lowerOp(Operation *op);
  void lowerWrite(WriteOp op);
  void lowerRmw(RmwOp op);
  void lowerRead(ReadOp op);
  void lowerBlockWrite(BlockWriteOp op);
  void lowerPoll(PollOp op);
  void lowerDelay(DelayOp op);
  void lowerCondition(ConditionOp op);

  /// Reads `t`; the value has the access type `ty`.
  Value emitRead(Location loc, const Target &t, IntegerType ty);
  /// Writes `value` (of type `ty`) to `t`.
  void emitWrite(Location loc, const Target &t, IntegerType ty, Value value);
  /// The address of an MMIO target.
  Value mmioAddress(Location loc, const Target &t);
  /// The i32 offset or port of a cfg/io target.
  Value portOrOffset(Location loc, const Target &t);
  /// Calls a hook with `ctx` prepended to `args`; the result, if any.
  Value callHook(Location loc, Hook hook, ValueRange args);
  /// An integer constant of `ty` holding the low bits of `value`.
  Value constant(Location loc, Type ty, uint64_t value);
  /// A new block at the end of the function (not yet attached when
  /// `attach` is false: it is pushed later, to keep program order).
  Block *newBlock(bool attach = true);
  /// A target for the static location `reg`.
  Target at(RegAttr reg, unsigned bits) {
    return Target{reg, Value(), mmioAlign(reg.getOffset(), 0, bits / 8)};
  }

  ModuleOp module;
  HookTable &hooks;
  Counts &counts;
  unsigned blockUnrollLimit;
  OpBuilder b;
  LLVM::LLVMFuncOp func;
  Value bars, ctx;
  /// The base pointer of each BAR the sequence uses, loaded on entry.
  std::array<Value, kNumBars> barBase;
  /// Polls emitted so far in this function: the next timeout code - 1.
  unsigned numPolls = 0;
  /// Constant arrays created for this sequence's long block writes.
  unsigned numBlockArrays = 0;
  std::string seqName;
};

void SequenceLowering::run(SequenceOp seq) {
  MLIRContext *mctx = module.getContext();
  Type ptr = LLVM::LLVMPointerType::get(mctx);
  Type i32 = IntegerType::get(mctx, 32);
  seqName = seq.getSymName().str();

  b.setInsertionPoint(seq);
  func = LLVM::LLVMFuncOp::create(b, seq.getLoc(), seqName,
                                  LLVM::LLVMFunctionType::get(i32, {ptr, ptr}));
  Block *entry = func.addEntryBlock(b);
  bars = entry->getArgument(0);
  ctx = entry->getArgument(1);
  b.setInsertionPointToStart(entry);

  // Load the bases of the BARs the sequence uses once, in BAR order: the
  // array is plain memory, and entry-block values dominate every access.
  std::array<bool, kNumBars> used{};
  seq.walk([&](Operation *op) {
    if (std::optional<AccessInfo> info = getAccessInfo(op))
      if (info->location.getSpace() == AddressSpace::mmio)
        used[info->location.getBar()] = true;
  });
  for (unsigned bar = 0; bar < kNumBars; ++bar) {
    if (!used[bar])
      continue;
    Value slot = LLVM::GEPOp::create(b, seq.getLoc(), ptr, ptr, bars,
                                     ArrayRef<LLVM::GEPArg>{int32_t(bar)});
    barBase[bar] = LLVM::LoadOp::create(b, seq.getLoc(), ptr, slot);
  }

  lowerOps(seq.getBodyBlock());
  LLVM::ReturnOp::create(b, seq.getLoc(), constant(seq.getLoc(), i32, 0));
  seq.erase();
}

void SequenceLowering::lowerOps(Block &body) {
  for (Operation &op : body)
    lowerOp(&op);
}

void SequenceLowering::lowerOp(Operation *op) {
  llvm::TypeSwitch<Operation *>(op)
      .Case<WriteOp>([&](auto o) { lowerWrite(o); })
      .Case<RmwOp>([&](auto o) { lowerRmw(o); })
      .Case<ReadOp>([&](auto o) { lowerRead(o); })
      .Case<BlockWriteOp>([&](auto o) { lowerBlockWrite(o); })
      .Case<PollOp>([&](auto o) { lowerPoll(o); })
      .Case<DelayOp>([&](auto o) { lowerDelay(o); })
      .Case<ConditionOp>([&](auto o) { lowerCondition(o); })
      // Notes have no device effect; the terminator has no counterpart.
      .Case<NoteOp, EndOp>([](auto) {})
      .Default([](Operation *) {
        llvm_unreachable("rejected by checkReplayable before any rewriting");
      });
}

Value SequenceLowering::constant(Location loc, Type ty, uint64_t value) {
  unsigned bits = ty.getIntOrFloatBitWidth();
  return LLVM::ConstantOp::create(b, loc, ty,
                                  APInt(bits, value & widthMask(bits)));
}

Value SequenceLowering::callHook(Location loc, Hook hook, ValueRange args) {
  SmallVector<Value> operands{ctx};
  llvm::append_range(operands, args);
  ++counts.hookCalls;
  auto call = LLVM::CallOp::create(b, loc, hooks.get(hook), operands);
  return call.getNumResults() ? call.getResult() : Value();
}

Block *SequenceLowering::newBlock(bool attach) {
  auto *block = new Block();
  if (attach)
    func.getBody().push_back(block);
  return block;
}

Value SequenceLowering::mmioAddress(Location loc, const Target &t) {
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  Type i8 = b.getI8Type(), i64 = b.getI64Type();
  Value base = barBase[t.reg.getBar()];
  assert(base && "BAR base not loaded on entry");
  uint64_t offset = t.reg.getOffset();
  if (t.delta) {
    Value off = t.delta;
    if (offset != 0)
      off = LLVM::AddOp::create(b, loc, constant(loc, i64, offset), t.delta);
    return LLVM::GEPOp::create(b, loc, ptr, i8, base,
                               ArrayRef<LLVM::GEPArg>{off});
  }
  // GEP constant indices hold 29 signed bits; BAR offsets go to 2^40.
  if (offset < (uint64_t(1) << (LLVM::kGEPConstantBitWidth - 1)))
    return LLVM::GEPOp::create(b, loc, ptr, i8, base,
                               ArrayRef<LLVM::GEPArg>{int32_t(offset)});
  return LLVM::GEPOp::create(
      b, loc, ptr, i8, base,
      ArrayRef<LLVM::GEPArg>{constant(loc, i64, offset)});
}

Value SequenceLowering::portOrOffset(Location loc, const Target &t) {
  Type i32 = b.getI32Type();
  Value port = constant(loc, i32, t.reg.getOffset());
  if (!t.delta)
    return port;
  Value delta = LLVM::TruncOp::create(b, loc, i32, t.delta);
  return LLVM::AddOp::create(b, loc, port, delta);
}

Value SequenceLowering::emitRead(Location loc, const Target &t,
                                 IntegerType ty) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  unsigned bits = ty.getWidth();
  RegAttr reg = t.reg;
  Value raw;
  switch (reg.getSpace()) {
  case AddressSpace::mmio:
    return LLVM::LoadOp::create(b, loc, ty, mmioAddress(loc, t), t.align,
                                /*isVolatile=*/true);
  case AddressSpace::cfg:
    raw = callHook(loc, Hook::CfgRead,
                   {portOrOffset(loc, t), constant(loc, i32, bits)});
    break;
  case AddressSpace::io:
    raw = callHook(loc, Hook::IoRead,
                   {portOrOffset(loc, t), constant(loc, i32, bits)});
    break;
  case AddressSpace::idxio:
    // Select the register, then read the data port: what the device sees.
    callHook(loc, Hook::IoWrite,
             {constant(loc, i32, reg.getOffset()), constant(loc, i32, 8),
              constant(loc, i64, reg.getIndex())});
    raw = callHook(loc, Hook::IoRead,
                   {constant(loc, i32, reg.getDataPort()),
                    constant(loc, i32, bits)});
    break;
  }
  if (bits == 64)
    return raw;
  return LLVM::TruncOp::create(b, loc, ty, raw);
}

void SequenceLowering::emitWrite(Location loc, const Target &t, IntegerType ty,
                                 Value value) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  unsigned bits = ty.getWidth();
  RegAttr reg = t.reg;
  if (reg.getSpace() == AddressSpace::mmio) {
    LLVM::StoreOp::create(b, loc, value, mmioAddress(loc, t), t.align,
                          /*isVolatile=*/true);
    return;
  }
  Value wide =
      bits == 64 ? value : LLVM::ZExtOp::create(b, loc, i64, value).getResult();
  switch (reg.getSpace()) {
  case AddressSpace::mmio:
    llvm_unreachable("handled above");
  case AddressSpace::cfg:
    callHook(loc, Hook::CfgWrite,
             {portOrOffset(loc, t), constant(loc, i32, bits), wide});
    return;
  case AddressSpace::io:
    callHook(loc, Hook::IoWrite,
             {portOrOffset(loc, t), constant(loc, i32, bits), wide});
    return;
  case AddressSpace::idxio:
    callHook(loc, Hook::IoWrite,
             {constant(loc, i32, reg.getOffset()), constant(loc, i32, 8),
              constant(loc, i64, reg.getIndex())});
    callHook(loc, Hook::IoWrite,
             {constant(loc, i32, reg.getDataPort()), constant(loc, i32, bits),
              wide});
    return;
  }
}

void SequenceLowering::lowerWrite(WriteOp op) {
  ++counts.accesses;
  auto ty = cast<IntegerType>(op.getWidth());
  emitWrite(op.getLoc(), at(op.getLocation(), ty.getWidth()), ty,
            constant(op.getLoc(), ty, uint64_t(op.getValue())));
}

void SequenceLowering::lowerRmw(RmwOp op) {
  ++counts.accesses;
  Location loc = op.getLoc();
  auto ty = cast<IntegerType>(op.getWidth());
  Target t = at(op.getLocation(), ty.getWidth());
  Value old = emitRead(loc, t, ty);
  Value kept = LLVM::AndOp::create(
      b, loc, old, constant(loc, ty, uint64_t(op.getAndMask())));
  Value updated = LLVM::OrOp::create(
      b, loc, kept, constant(loc, ty, uint64_t(op.getOrMask())));
  emitWrite(loc, t, ty, updated);
}

void SequenceLowering::lowerRead(ReadOp op) {
  ++counts.accesses;
  auto ty = cast<IntegerType>(op.getWidth());
  // The value is not used; the read stays because it is volatile (MMIO) or a
  // call (hooks).
  emitRead(op.getLoc(), at(op.getLocation(), ty.getWidth()), ty);
}

void SequenceLowering::lowerBlockWrite(BlockWriteOp op) {
  ++counts.accesses;
  Location loc = op.getLoc();
  auto ty = cast<IntegerType>(op.getWidth());
  unsigned bits = ty.getWidth();
  RegAttr reg = op.getLocation();
  uint64_t stride = uint64_t(op.getStride());
  ArrayRef<int64_t> values = op.getValues();

  if (values.size() <= blockUnrollLimit) {
    for (auto [i, v] : llvm::enumerate(values)) {
      RegAttr at_i = reg.withOffset(reg.getOffset() + i * stride);
      emitWrite(loc, at(at_i, bits), ty, constant(loc, ty, uint64_t(v)));
    }
    return;
  }

  // A loop over a private constant array: for (i = 0; i < n; ++i)
  //   write(location + i * stride, values[i]).
  MLIRContext *mctx = b.getContext();
  Type ptr = LLVM::LLVMPointerType::get(mctx);
  Type i64 = b.getI64Type();
  auto arrayTy = LLVM::LLVMArrayType::get(ty, values.size());
  SmallVector<APInt> elems;
  for (int64_t v : values)
    elems.push_back(APInt(bits, uint64_t(v) & widthMask(bits)));
  auto data = DenseElementsAttr::get(
      RankedTensorType::get({int64_t(values.size())}, ty), elems);
  std::string name;
  do {
    name = "__initseq_" + seqName + "_block" + std::to_string(numBlockArrays++);
  } while (module.lookupSymbol(name));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(func);
    LLVM::GlobalOp::create(b, loc, arrayTy, /*isConstant=*/true,
                           LLVM::Linkage::Private, name, data);
  }

  Value array = LLVM::AddressOfOp::create(b, loc, ptr, name);
  Value strideValue = constant(loc, i64, stride);
  Block *loop = newBlock();
  LLVM::BrOp::create(b, loc, ValueRange{constant(loc, i64, 0)}, loop);
  Value i = loop->addArgument(i64, loc);
  b.setInsertionPointToEnd(loop);
  Value slot = LLVM::GEPOp::create(b, loc, ptr, arrayTy, array,
                                   ArrayRef<LLVM::GEPArg>{0, i});
  Value value = LLVM::LoadOp::create(b, loc, ty, slot);
  Value delta = LLVM::MulOp::create(b, loc, i, strideValue);
  Target t{reg, delta, mmioAlign(reg.getOffset(), stride, bits / 8)};
  emitWrite(loc, t, ty, value);
  Value next = LLVM::AddOp::create(b, loc, i, constant(loc, i64, 1));
  Value more = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ult, next,
                                    constant(loc, i64, values.size()));
  Block *cont = newBlock();
  LLVM::CondBrOp::create(b, loc, more, loop, ValueRange{next}, cont,
                         ValueRange{});
  b.setInsertionPointToEnd(cont);
}

void SequenceLowering::lowerPoll(PollOp op) {
  ++counts.accesses;
  ++counts.polls;
  unsigned code = ++numPolls;
  Location loc = op.getLoc();
  auto ty = cast<IntegerType>(op.getWidth());
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  Target t = at(op.getLocation(), ty.getWidth());

  Value start = callHook(loc, Hook::TimeNs, {});
  Block *loop = newBlock();
  LLVM::BrOp::create(b, loc, loop);

  // loop: read; done when (value & mask) compares to expected.
  b.setInsertionPointToEnd(loop);
  Value value = emitRead(loc, t, ty);
  Value masked = LLVM::AndOp::create(
      b, loc, value, constant(loc, ty, uint64_t(op.getMask())));
  auto pred = op.getCompare() == Compare::eq ? LLVM::ICmpPredicate::eq
                                             : LLVM::ICmpPredicate::ne;
  Value done = LLVM::ICmpOp::create(
      b, loc, pred, masked, constant(loc, ty, uint64_t(op.getExpected())));
  Block *check = newBlock();
  Block *timeout = newBlock();
  Block *cont = newBlock();
  LLVM::CondBrOp::create(b, loc, done, cont, check);

  // check: give up once the timeout has elapsed since the first read.
  b.setInsertionPointToEnd(check);
  Value now = callHook(loc, Hook::TimeNs, {});
  Value elapsed = LLVM::SubOp::create(b, loc, now, start);
  Value late =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::uge, elapsed,
                           constant(loc, i64, uint64_t(op.getTimeoutNs())));
  LLVM::CondBrOp::create(b, loc, late, timeout, loop);

  b.setInsertionPointToEnd(timeout);
  LLVM::ReturnOp::create(b, loc, constant(loc, i32, code));

  b.setInsertionPointToEnd(cont);
}

void SequenceLowering::lowerDelay(DelayOp op) {
  if (op.getNs() == 0)
    return;
  callHook(op.getLoc(), Hook::DelayNs,
           {constant(op.getLoc(), b.getI64Type(), uint64_t(op.getNs()))});
}

void SequenceLowering::lowerCondition(ConditionOp op) {
  ++counts.conditions;
  Location loc = op.getLoc();
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  Value holds = callHook(
      loc, Hook::Condition,
      {constant(loc, i32, uint64_t(op.getKind())),
       constant(loc, i64, uint64_t(op.getIndex()))});
  auto pred =
      op.getNegated() ? LLVM::ICmpPredicate::eq : LLVM::ICmpPredicate::ne;
  Value taken =
      LLVM::ICmpOp::create(b, loc, pred, holds, constant(loc, i32, 0));
  Block *body = newBlock();
  // The else and join blocks are attached after the blocks of the body
  // before them: program order.
  Block *elseBody = op.hasElse() ? newBlock(/*attach=*/false) : nullptr;
  Block *cont = newBlock(/*attach=*/false);
  LLVM::CondBrOp::create(b, loc, taken, body, elseBody ? elseBody : cont);
  b.setInsertionPointToEnd(body);
  lowerOps(op.getThenBlock());
  LLVM::BrOp::create(b, loc, cont);
  if (elseBody) {
    func.getBody().push_back(elseBody);
    b.setInsertionPointToEnd(elseBody);
    lowerOps(*op.getElseBlock());
    LLVM::BrOp::create(b, loc, cont);
  }
  func.getBody().push_back(cont);
  b.setInsertionPointToEnd(cont);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Reports every op of `seq` that has no replay: opaque ops (whose effect an
/// importer could not resolve) and any op this lowering does not know.
LogicalResult checkReplayable(SequenceOp seq) {
  bool ok = true;
  seq.getBody().walk([&](Operation *op) {
    if (auto opaque = dyn_cast<OpaqueOp>(op)) {
      opaque.emitError("cannot replay initseq.opaque \"")
          << opaque.getKind()
          << "\": an importer could not resolve its effect on the device";
      ok = false;
    } else if (!isa<WriteOp, RmwOp, ReadOp, BlockWriteOp, PollOp, DelayOp,
                    ConditionOp, NoteOp, EndOp>(op)) {
      op->emitError("convert-initseq-to-llvm cannot replay '")
          << op->getName() << "'";
      ok = false;
    }
  });
  return success(ok);
}

struct ConvertInitSeqToLLVMPass
    : gpuinit::impl::ConvertInitSeqToLLVMBase<ConvertInitSeqToLLVMPass> {
  using ConvertInitSeqToLLVMBase::ConvertInitSeqToLLVMBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<SequenceOp> sequences(module.getOps<SequenceOp>());
    if (sequences.empty())
      return;

    // Check everything before rewriting anything: a failed run leaves the
    // module as it was.
    bool ok = true;
    for (SequenceOp seq : sequences)
      ok &= succeeded(checkReplayable(seq));
    HookTable hooks(module);
    if (failed(hooks.verifyNoClash()) || !ok)
      return signalPassFailure();

    Counts counts;
    for (SequenceOp seq : sequences)
      SequenceLowering(module, hooks, counts, blockUnrollLimit).run(seq);
    record(numFunctions, "functions", "Sequences lowered", sequences.size());
    record(numAccesses, "accesses",
           "Access ops lowered (write, rmw, read, block_write, poll)",
           counts.accesses);
    record(numPolls, "polls", "Poll loops emitted", counts.polls);
    record(numConditions, "conditions", "Conditions lowered to branches",
           counts.conditions);
    record(numHookCalls, "hook-calls", "Hook call sites emitted",
           counts.hookCalls);
  }

  /// Adds to a statistic both in MLIR (a no-op in release builds of MLIR) and
  /// in gpuinit's own report (gpuinit/Support/PassStatistics.h); `name` and
  /// `desc` repeat the declaration in ConversionPasses.td.
  void record(Statistic &stat, StringRef name, StringRef desc,
              uint64_t value) {
    stat += value;
    gpuinit::recordStatistic(getName(), name, desc, value);
  }
};

} // namespace
