//===- LowerStructured.cpp - kernel-lower-structured ----------------------===//
//
// Expands kernel.elementwise, kernel.reduce and kernel.matmul into explicit
// kernels (in kernel.module @structured_kernels) and their launches.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/Transforms/Passes.h"

#include "gpuinit/Support/PassStatistics.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace gpuinit::kernel {
#define GEN_PASS_DEF_KERNELLOWERSTRUCTURED
#include "kernel/KernelPasses.h.inc"
} // namespace gpuinit::kernel

using namespace mlir;
using namespace gpuinit::kernel;

namespace {

/// Threads of an elementwise or reduce workgroup.
constexpr int64_t kThreads = 256;
/// Tile edge of the matmul kernel (16x16 threads, 16x16 tiles).
constexpr int64_t kTile = 16;
/// The module the generated kernels go to.
constexpr llvm::StringLiteral kModuleName = "structured_kernels";

/// A memref type as a kernel parameter: the same without a memory space.
MemRefType toKernelParam(MemRefType type) {
  return MemRefType::get(type.getShape(), type.getElementType(),
                         type.getLayout());
}

Type toKernelParamType(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return toKernelParam(memref);
  return type;
}

/// The workgroup memory space attribute.
Attribute workgroupSpace(MLIRContext *ctx) {
  return gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
}

/// Host-side sizes and constants of one host function, created right before
/// the structured op that first needs them and reused by later ones where
/// they dominate (so that the launches of one shape share their SSA values,
/// which kernel-fuse requires).
class HostValues {
public:
  HostValues(Operation *scope) : dom(scope) {}

  /// An index constant usable at `at`.
  Value constant(OpBuilder &b, Operation *at, int64_t value) {
    Value &cached = constants[value];
    if (cached && dom.properlyDominates(cached, at))
      return cached;
    cached = arith::ConstantIndexOp::create(b, at->getLoc(), value);
    return cached;
  }

  /// Dimension `dim` of `buffers`, which all have that size at run time:
  /// a constant when any of their types has it static, else a size
  /// computed before for one of them, the operand of the kernel.alloc of
  /// one of them, or a memref.dim of the first.
  Value dimension(OpBuilder &b, Operation *at,
                  ArrayRef<std::pair<Value, unsigned>> buffers) {
    for (auto [buffer, dim] : buffers) {
      auto type = cast<MemRefType>(buffer.getType());
      if (!type.isDynamicDim(dim))
        return constant(b, at, type.getDimSize(dim));
    }
    for (auto key : buffers) {
      auto it = dims.find(key);
      if (it != dims.end() && dom.properlyDominates(it->second, at))
        return it->second;
    }
    Value size;
    for (auto [buffer, dim] : buffers) {
      auto alloc = buffer.getDefiningOp<AllocOp>();
      if (!alloc || !dom.properlyDominates(buffer, at))
        continue;
      auto type = cast<MemRefType>(buffer.getType());
      size = alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)];
      break;
    }
    if (!size) {
      auto [buffer, dim] = buffers.front();
      size =
          memref::DimOp::create(b, at->getLoc(), buffer, constant(b, at, dim));
    }
    for (auto key : buffers)
      dims[key] = size;
    return size;
  }

  /// ceil(size / divisor), as `(size + divisor - 1) / divisor` (what
  /// kernel-fuse recognizes as covering `size`).
  Value ceilDiv(OpBuilder &b, Operation *at, Value size, int64_t divisor) {
    APInt value;
    if (matchPattern(size, m_ConstantInt(&value)))
      return constant(b, at, llvm::divideCeil(value.getZExtValue(), divisor));
    Value &cached = ceilDivs[{size, divisor}];
    if (cached && dom.properlyDominates(cached, at))
      return cached;
    Location loc = at->getLoc();
    Value rounded =
        arith::AddIOp::create(b, loc, size, constant(b, at, divisor - 1));
    cached = arith::DivUIOp::create(b, loc, rounded, constant(b, at, divisor));
    return cached;
  }

private:
  DominanceInfo dom;
  DenseMap<int64_t, Value> constants;
  DenseMap<std::pair<Value, unsigned>, Value> dims;
  DenseMap<std::pair<Value, int64_t>, Value> ceilDivs;
};

/// Clones the ops of a structured op's body (one block ending in
/// kernel.yield) at the builder's insertion point with its arguments bound
/// to `args`, and returns the yielded value.
Value inlineBody(OpBuilder &b, Region &region, ValueRange args) {
  Block &block = region.front();
  IRMapping map;
  map.map(block.getArguments(), args);
  for (Operation &op : block.without_terminator())
    b.clone(op, map);
  auto yield = cast<YieldOp>(block.getTerminator());
  return map.lookupOrDefault(yield.getValues().front());
}

/// Builds `kind` metadata for the pass's target.
MetadataAttr makeMetadata(TargetAttr target, KernelKind kind,
                          ArrayRef<int32_t> workgroup,
                          std::optional<uint64_t> shared) {
  int64_t threads = int64_t(workgroup[0]) * workgroup[1] * workgroup[2];
  return MetadataAttr::get(target.getContext(), kind, target, workgroup,
                           uint32_t(threads), std::nullopt, shared,
                           std::nullopt, false, HintsAttr());
}

struct LowerStructuredPass
    : gpuinit::kernel::impl::KernelLowerStructuredBase<LowerStructuredPass> {
  using KernelLowerStructuredBase::KernelLowerStructuredBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    ctx->getOrLoadDialect<KernelDialect>();
    Attribute attr = parseAttribute("#kernel.target<" + target + ">", ctx);
    targetAttr = dyn_cast_or_null<TargetAttr>(attr);
    if (!targetAttr)
      return emitError(UnknownLoc::get(ctx))
             << "kernel-lower-structured: invalid target option '" << target
             << "' (expected e.g. \"cuda sm_90 ptx 80\", \"vulkan 1.1\" or "
                "\"cpu\")";
    return success();
  }

  /// The kernel.module the kernels go to (created on first use).
  FailureOr<KernelModuleOp> getKernelModule() {
    if (kernelModule)
      return kernelModule;
    if (moduleFailed)
      return failure();
    ModuleOp module = getOperation();
    if (auto existing =
            SymbolTable(module).lookup<KernelModuleOp>(kModuleName)) {
      TargetAttr existingTarget = existing.getTarget();
      moduleFailed = existingTarget && existingTarget != targetAttr;
      if (moduleFailed)
        return existing.emitOpError("targets ")
               << existingTarget << " but kernel-lower-structured generates "
               << "kernels for " << targetAttr
               << " (a kernel.module is compiled for one target)";
      kernelModule = existing;
      return kernelModule;
    }
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    kernelModule = KernelModuleOp::create(b, module.getLoc(), kModuleName);
    return kernelModule;
  }

  /// A new kernel `<function>_<kind>` (uniqued) in the kernel module, or
  /// in a module of its own.
  FailureOr<KernelFuncOp> createKernel(Operation *op, KernelKind kind,
                                       TypeRange params,
                                       MetadataAttr metadata) {
    std::string base = "structured";
    if (auto func = op->getParentOfType<FunctionOpInterface>())
      base = func.getName().str();
    base += "_" + stringifyKernelKind(kind).str();
    FailureOr<KernelModuleOp> module = failure();
    std::string name = base;
    if (modulePerKernel) {
      // Unique among the top-level symbols: it names the module too.
      ModuleOp top = getOperation();
      SymbolTable symbols(top);
      for (unsigned i = 1; symbols.lookup(name); ++i)
        name = base + "_" + std::to_string(i);
      OpBuilder b(top.getContext());
      if (lastModule)
        b.setInsertionPointAfter(lastModule);
      else
        b.setInsertionPointToStart(top.getBody());
      module = lastModule = KernelModuleOp::create(b, top.getLoc(), name);
    } else {
      module = getKernelModule();
      if (failed(module))
        return failure();
      SymbolTable symbols(*module);
      for (unsigned i = 1; symbols.lookup(name); ++i)
        name = base + "_" + std::to_string(i);
    }
    OpBuilder b = OpBuilder::atBlockEnd(module->getBody());
    auto func = KernelFuncOp::create(b, op->getLoc(), name,
                                     b.getFunctionType(params, {}), metadata);
    return func;
  }

  /// Replaces `op` by a launch of `func`.
  void launch(OpBuilder &b, Operation *op, KernelFuncOp func,
              ArrayRef<Value> grid, ArrayRef<Value> block, ValueRange args) {
    auto module = cast<KernelModuleOp>(func->getParentOp());
    auto ref =
        SymbolRefAttr::get(module.getSymNameAttr(),
                           {FlatSymbolRefAttr::get(func.getSymNameAttr())});
    LaunchOp::create(b, op->getLoc(), ref, grid[0], grid[1], grid[2], block[0],
                     block[1], block[2], Value(), args);
    op->erase();
  }

  LogicalResult lowerElementwise(ElementwiseOp op, HostValues &host);
  LogicalResult lowerReduce(ReduceOp op, HostValues &host);
  LogicalResult lowerMatmul(MatmulOp op, HostValues &host);

  void runOnOperation() override {
    kernelModule = lastModule = nullptr;
    moduleFailed = false;
    uint64_t elementwise = 0, reduce = 0, matmul = 0;
    bool ok = true;
    // Sizes are shared within one host function (or the module's top level).
    DenseMap<Operation *, std::unique_ptr<HostValues>> hostValues;
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<ElementwiseOp, ReduceOp, MatmulOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      Operation *scope = op->getParentOfType<FunctionOpInterface>();
      if (!scope)
        scope = getOperation();
      std::unique_ptr<HostValues> &host = hostValues[scope];
      if (!host)
        host = std::make_unique<HostValues>(scope);
      LogicalResult result = failure();
      if (auto e = dyn_cast<ElementwiseOp>(op)) {
        result = lowerElementwise(e, *host);
        elementwise += succeeded(result);
      } else if (auto r = dyn_cast<ReduceOp>(op)) {
        result = lowerReduce(r, *host);
        reduce += succeeded(result);
      } else {
        result = lowerMatmul(cast<MatmulOp>(op), *host);
        matmul += succeeded(result);
      }
      ok &= succeeded(result);
    }
    numElementwise += elementwise;
    numReduce += reduce;
    numMatmul += matmul;
    gpuinit::recordStatistic(getName(), "elementwise-lowered",
                             "kernel.elementwise ops lowered", elementwise);
    gpuinit::recordStatistic(getName(), "reduce-lowered",
                             "kernel.reduce ops lowered", reduce);
    gpuinit::recordStatistic(getName(), "matmul-lowered",
                             "kernel.matmul ops lowered", matmul);
    if (!ok)
      signalPassFailure();
  }

  TargetAttr targetAttr;
  /// @structured_kernels, once created or found.
  KernelModuleOp kernelModule;
  /// The last module created with module-per-kernel.
  KernelModuleOp lastModule;
  /// Set once @structured_kernels was found with another target (reported
  /// once).
  bool moduleFailed = false;
};

//===----------------------------------------------------------------------===//
// kernel.elementwise
//===----------------------------------------------------------------------===//

LogicalResult LowerStructuredPass::lowerElementwise(ElementwiseOp op,
                                                    HostValues &host) {
  MemRefType outType = op.getOutput().getType();
  int64_t rank = outType.getRank();
  if (rank > 3)
    return op.emitOpError("has rank ")
           << rank << ": kernel-lower-structured lowers ranks 0 to 3";
  MLIRContext *ctx = op.getContext();

  // Kernel parameters: the inputs, the output, the last dimension's size.
  SmallVector<Type> params;
  for (Value input : op.getInputs())
    params.push_back(toKernelParamType(input.getType()));
  params.push_back(toKernelParam(outType));
  if (rank > 0)
    params.push_back(IndexType::get(ctx));
  FailureOr<KernelFuncOp> func =
      createKernel(op, KernelKind::elementwise, params,
                   makeMetadata(targetAttr, KernelKind::elementwise,
                                {int32_t(kThreads), 1, 1}, std::nullopt));
  if (failed(func))
    return failure();

  // Device code: element (bz, by, bx * 256 + tx) of the innermost rank
  // dimensions, bounds-checked in x.
  {
    Block &entry = func->getEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Location loc = op.getLoc();
    ValueRange args = entry.getArguments();
    unsigned numInputs = op.getInputs().size();
    Value out = args[numInputs];
    Type index = b.getIndexType();
    Value threads = arith::ConstantIndexOp::create(b, loc, kThreads);
    Value tx = ThreadIdOp::create(b, loc, index, Dim::x);
    Value bx = BlockIdOp::create(b, loc, index, Dim::x);
    Value base = arith::MulIOp::create(b, loc, bx, threads);
    Value linear = arith::AddIOp::create(b, loc, base, tx);
    SmallVector<Value> indices;
    if (rank >= 3)
      indices.push_back(BlockIdOp::create(b, loc, index, Dim::z));
    if (rank >= 2)
      indices.push_back(BlockIdOp::create(b, loc, index, Dim::y));
    Value bound;
    if (rank == 0) {
      bound = arith::ConstantIndexOp::create(b, loc, 1);
    } else {
      indices.push_back(linear);
      bound = args[numInputs + 1];
    }
    Value inside =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, linear, bound);
    auto guard = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    ReturnOp::create(b, loc);

    b.setInsertionPoint(guard.thenBlock()->getTerminator());
    SmallVector<Value> values;
    for (Value arg : args.take_front(numInputs)) {
      if (isa<MemRefType>(arg.getType()))
        values.push_back(memref::LoadOp::create(b, loc, arg, indices));
      else
        values.push_back(arg);
    }
    Value result = inlineBody(b, op.getBody(), values);
    memref::StoreOp::create(b, loc, result, out, indices);
  }

  // Host code: sizes, grid, launch.
  OpBuilder b(op);
  SmallVector<Value> memrefs;
  for (Value input : op.getInputs())
    if (isa<MemRefType>(input.getType()))
      memrefs.push_back(input);
  memrefs.push_back(op.getOutput());
  SmallVector<Value> dims;
  for (int64_t d = 0; d < rank; ++d) {
    SmallVector<std::pair<Value, unsigned>> sources;
    // The output first: its sizes are the ones a fused epilogue is
    // compared against.
    sources.push_back({op.getOutput(), unsigned(d)});
    for (Value m : memrefs)
      if (m != op.getOutput())
        sources.push_back({m, unsigned(d)});
    dims.push_back(host.dimension(b, op, sources));
  }
  Value one = host.constant(b, op, 1);
  SmallVector<Value> grid = {one, one, one};
  if (rank > 0)
    grid[0] = host.ceilDiv(b, op, dims.back(), kThreads);
  if (rank >= 2)
    grid[1] = dims[rank - 2];
  if (rank >= 3)
    grid[2] = dims[rank - 3];
  SmallVector<Value> block = {host.constant(b, op, kThreads), one, one};
  SmallVector<Value> launchArgs(op.getInputs());
  launchArgs.push_back(op.getOutput());
  if (rank > 0)
    launchArgs.push_back(dims.back());
  launch(b, op, *func, grid, block, launchArgs);
  return success();
}

//===----------------------------------------------------------------------===//
// kernel.reduce
//===----------------------------------------------------------------------===//

LogicalResult LowerStructuredPass::lowerReduce(ReduceOp op, HostValues &host) {
  MemRefType inType = op.getInput().getType();
  MemRefType outType = op.getOutput().getType();
  int64_t outRank = outType.getRank();
  if (outRank > 3)
    return op.emitOpError("has an output of rank ")
           << outRank << ": kernel-lower-structured lowers ranks 0 to 3";
  Type elementType = op.getInit().getType();
  std::optional<uint64_t> elementBytes = getElementByteSize(elementType);
  if (!elementBytes)
    return op.emitOpError("reduces ")
           << elementType
           << ", which has no fixed size to keep in shared memory";
  MLIRContext *ctx = op.getContext();
  // A 1-D input reduced into memref<1xT> has no kept dimension to index the
  // row with: its one row is the input itself.
  bool rowsFromOutput = inType.getRank() - 1 == outRank;

  SmallVector<Type> params = {toKernelParam(inType), toKernelParam(outType),
                              elementType, IndexType::get(ctx)};
  uint64_t shared = uint64_t(kThreads) * *elementBytes;
  FailureOr<KernelFuncOp> func =
      createKernel(op, KernelKind::reduce, params,
                   makeMetadata(targetAttr, KernelKind::reduce,
                                {int32_t(kThreads), 1, 1}, shared));
  if (failed(func))
    return failure();

  {
    Block &entry = func->getEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Location loc = op.getLoc();
    Value in = entry.getArgument(0), out = entry.getArgument(1),
          init = entry.getArgument(2), length = entry.getArgument(3);
    Type index = b.getIndexType();
    auto combine = [&](Value acc, Value x) {
      return inlineBody(b, op.getCombiner(), {acc, x});
    };
    auto sharedType =
        MemRefType::get({kThreads}, elementType, MemRefLayoutAttrInterface(),
                        workgroupSpace(ctx));
    Value partials = SharedAllocOp::create(b, loc, sharedType, IntegerAttr());
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value threads = arith::ConstantIndexOp::create(b, loc, kThreads);
    Value tx = ThreadIdOp::create(b, loc, index, Dim::x);
    // The output element of this workgroup: (bz, by, bx), innermost in x.
    SmallVector<Value> row;
    static const Dim kDims[] = {Dim::z, Dim::y, Dim::x};
    for (int64_t d = 0; d < outRank; ++d)
      row.push_back(BlockIdOp::create(b, loc, index, kDims[3 - outRank + d]));
    SmallVector<Value> inIndex = rowsFromOutput ? row : SmallVector<Value>();

    // Thread t folds elements t, t + 256, ... of the row, left to right.
    Value has =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, tx, length);
    auto fold = scf::IfOp::create(b, loc, has, /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPoint(fold.thenBlock()->getTerminator());
      SmallVector<Value> first = inIndex;
      first.push_back(tx);
      Value firstValue = memref::LoadOp::create(b, loc, in, first);
      Value start = arith::AddIOp::create(b, loc, tx, threads);
      auto loop = scf::ForOp::create(b, loc, start, length, threads,
                                     ValueRange{firstValue});
      {
        OpBuilder::InsertionGuard g2(b);
        b.setInsertionPointToStart(loop.getBody());
        SmallVector<Value> at = inIndex;
        at.push_back(loop.getInductionVar());
        Value x = memref::LoadOp::create(b, loc, in, at);
        Value next = combine(loop.getRegionIterArgs().front(), x);
        scf::YieldOp::create(b, loc, next);
      }
      memref::StoreOp::create(b, loc, loop.getResult(0), partials,
                              ValueRange{tx});
    }
    BarrierOp::create(b, loc);

    // Tree over the min(length, 256) partial values: p[t] = p[t] ⊕ p[t + s]
    // for s = 128, 64, ..., 1.
    Value active = arith::MinUIOp::create(b, loc, length, threads);
    for (int64_t stride = kThreads / 2; stride >= 1; stride /= 2) {
      Value s = arith::ConstantIndexOp::create(b, loc, stride);
      Value other = arith::AddIOp::create(b, loc, tx, s);
      Value low =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, tx, s);
      Value valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          other, active);
      Value both = arith::AndIOp::create(b, loc, low, valid);
      auto step = scf::IfOp::create(b, loc, both, /*withElseRegion=*/false);
      {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPoint(step.thenBlock()->getTerminator());
        Value mine = memref::LoadOp::create(b, loc, partials, ValueRange{tx});
        Value theirs =
            memref::LoadOp::create(b, loc, partials, ValueRange{other});
        memref::StoreOp::create(b, loc, combine(mine, theirs), partials,
                                ValueRange{tx});
      }
      // Thread 0 reads its own last write: no barrier after the last step.
      if (stride > 1)
        BarrierOp::create(b, loc);
    }

    // Thread 0 stores init ⊕ total (init for an empty row).
    Value first =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tx, c0);
    auto write = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPoint(write.thenBlock()->getTerminator());
      Value nonEmpty =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, length, c0);
      auto total = scf::IfOp::create(b, loc, TypeRange{elementType}, nonEmpty,
                                     /*withElseRegion=*/true);
      b.setInsertionPointToStart(total.thenBlock());
      Value sum = memref::LoadOp::create(b, loc, partials, ValueRange{c0});
      scf::YieldOp::create(b, loc, combine(init, sum));
      b.setInsertionPointToStart(total.elseBlock());
      scf::YieldOp::create(b, loc, init);
      b.setInsertionPointAfter(total);
      memref::StoreOp::create(b, loc, total.getResult(0), out, row);
    }
    ReturnOp::create(b, loc);
  }

  OpBuilder b(op);
  Value one = host.constant(b, op, 1);
  SmallVector<Value> grid = {one, one, one};
  for (int64_t d = 0; d < outRank; ++d) {
    SmallVector<std::pair<Value, unsigned>> sources = {
        {op.getOutput(), unsigned(d)}};
    if (rowsFromOutput)
      sources.push_back({op.getInput(), unsigned(d)});
    grid[outRank - 1 - d] = host.dimension(b, op, sources);
  }
  Value length =
      host.dimension(b, op, {{op.getInput(), unsigned(inType.getRank() - 1)}});
  SmallVector<Value> block = {host.constant(b, op, kThreads), one, one};
  launch(b, op, *func, grid, block,
         {op.getInput(), op.getOutput(), op.getInit(), length});
  return success();
}

//===----------------------------------------------------------------------===//
// kernel.matmul
//===----------------------------------------------------------------------===//

LogicalResult LowerStructuredPass::lowerMatmul(MatmulOp op, HostValues &host) {
  MemRefType aType = op.getA().getType(), bType = op.getB().getType(),
             cType = op.getC().getType();
  Type inElement = aType.getElementType(), outElement = cType.getElementType();
  std::optional<uint64_t> inBytes = getElementByteSize(inElement);
  if (!inBytes)
    return op.emitOpError("multiplies ")
           << inElement << ", which has no fixed size to keep in shared memory";
  MLIRContext *ctx = op.getContext();
  Type index = IndexType::get(ctx);
  SmallVector<Type> params = {toKernelParam(aType),
                              toKernelParam(bType),
                              toKernelParam(cType),
                              index,
                              index,
                              index};
  uint64_t shared = 2 * uint64_t(kTile * kTile) * *inBytes;
  FailureOr<KernelFuncOp> func =
      createKernel(op, KernelKind::matmul, params,
                   makeMetadata(targetAttr, KernelKind::matmul,
                                {int32_t(kTile), int32_t(kTile), 1}, shared));
  if (failed(func))
    return failure();

  {
    Block &entry = func->getEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Location loc = op.getLoc();
    Value A = entry.getArgument(0), B = entry.getArgument(1),
          C = entry.getArgument(2), M = entry.getArgument(3),
          N = entry.getArgument(4), K = entry.getArgument(5);
    bool isFloat = isa<FloatType>(outElement);
    auto zeroOf = [&](Type type) -> Value {
      return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
    };
    auto extend = [&](Value v) -> Value {
      if (v.getType() == outElement)
        return v;
      if (isFloat)
        return arith::ExtFOp::create(b, loc, outElement, v);
      return arith::ExtSIOp::create(b, loc, outElement, v);
    };
    auto ult = [&](Value x, Value y) -> Value {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
    };
    auto loadOr = [&](Value cond, Value memref, ValueRange indices,
                      Value otherwise) -> Value {
      auto ifOp = scf::IfOp::create(b, loc, TypeRange{otherwise.getType()},
                                    cond, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      scf::YieldOp::create(
          b, loc, ValueRange{memref::LoadOp::create(b, loc, memref, indices)});
      b.setInsertionPointToStart(ifOp.elseBlock());
      scf::YieldOp::create(b, loc, otherwise);
      return ifOp.getResult(0);
    };

    auto tileType =
        MemRefType::get({kTile, kTile}, inElement, MemRefLayoutAttrInterface(),
                        workgroupSpace(ctx));
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    Value c15 = arith::ConstantIndexOp::create(b, loc, kTile - 1);
    Value c16 = arith::ConstantIndexOp::create(b, loc, kTile);
    Value inZero = zeroOf(inElement);
    Value outZero = zeroOf(outElement);
    Value As = SharedAllocOp::create(b, loc, tileType, IntegerAttr());
    Value Bs = SharedAllocOp::create(b, loc, tileType, IntegerAttr());
    Value tx = ThreadIdOp::create(b, loc, index, Dim::x);
    Value ty = ThreadIdOp::create(b, loc, index, Dim::y);
    Value bx = BlockIdOp::create(b, loc, index, Dim::x);
    Value by = BlockIdOp::create(b, loc, index, Dim::y);
    Value row = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, by, c16), ty);
    Value col = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, bx, c16), tx);
    Value rowIn = ult(row, M), colIn = ult(col, N);
    Value inside = arith::AndIOp::create(b, loc, rowIn, colIn);
    Value start = outZero;
    if (op.getAccumulate())
      start = loadOr(inside, C, {row, col}, outZero);

    Value tiles = arith::DivUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, K, c15), c16);
    auto tileLoop =
        scf::ForOp::create(b, loc, c0, tiles, c1, ValueRange{start});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(tileLoop.getBody());
      Value kBase =
          arith::MulIOp::create(b, loc, tileLoop.getInductionVar(), c16);
      // A[row, kBase + tx] -> As[ty, tx]; B[kBase + ty, col] -> Bs[ty, tx];
      // zero outside the matrices.
      Value aCol = arith::AddIOp::create(b, loc, kBase, tx);
      Value aIn = arith::AndIOp::create(b, loc, rowIn, ult(aCol, K));
      Value a = loadOr(aIn, A, {row, aCol}, inZero);
      memref::StoreOp::create(b, loc, a, As, ValueRange{ty, tx});
      Value bRow = arith::AddIOp::create(b, loc, kBase, ty);
      Value bIn = arith::AndIOp::create(b, loc, ult(bRow, K), colIn);
      Value bv = loadOr(bIn, B, {bRow, col}, inZero);
      memref::StoreOp::create(b, loc, bv, Bs, ValueRange{ty, tx});
      BarrierOp::create(b, loc);
      // Only the k < K of this tile: the sum is that of a sequential loop
      // over k, without padding terms.
      Value kLeft = arith::SubIOp::create(b, loc, K, kBase);
      Value kEnd = arith::MinUIOp::create(b, loc, kLeft, c16);
      auto kLoop = scf::ForOp::create(b, loc, c0, kEnd, c1,
                                      ValueRange{tileLoop.getRegionIterArgs()});
      {
        OpBuilder::InsertionGuard g2(b);
        b.setInsertionPointToStart(kLoop.getBody());
        Value k = kLoop.getInductionVar();
        Value x = extend(memref::LoadOp::create(b, loc, As, ValueRange{ty, k}));
        Value y = extend(memref::LoadOp::create(b, loc, Bs, ValueRange{k, tx}));
        Value acc = kLoop.getRegionIterArgs().front();
        Value next;
        if (isFloat)
          next = math::FmaOp::create(b, loc, x, y, acc);
        else
          next = arith::AddIOp::create(b, loc, acc,
                                       arith::MulIOp::create(b, loc, x, y));
        scf::YieldOp::create(b, loc, next);
      }
      // Nobody overwrites a tile another thread still reads.
      BarrierOp::create(b, loc);
      scf::YieldOp::create(b, loc, kLoop.getResult(0));
    }
    auto store = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPoint(store.thenBlock()->getTerminator());
      memref::StoreOp::create(b, loc, tileLoop.getResult(0), C,
                              ValueRange{row, col});
    }
    ReturnOp::create(b, loc);
  }

  OpBuilder b(op);
  Value M = host.dimension(b, op, {{op.getC(), 0}, {op.getA(), 0}});
  Value N = host.dimension(b, op, {{op.getC(), 1}, {op.getB(), 1}});
  Value K = host.dimension(b, op, {{op.getA(), 1}, {op.getB(), 0}});
  Value one = host.constant(b, op, 1);
  Value tile = host.constant(b, op, kTile);
  SmallVector<Value> grid = {host.ceilDiv(b, op, N, kTile),
                             host.ceilDiv(b, op, M, kTile), one};
  launch(b, op, *func, grid, {tile, tile, one},
         {op.getA(), op.getB(), op.getC(), M, N, K});
  return success();
}

} // namespace
