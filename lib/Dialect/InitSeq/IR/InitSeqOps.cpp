//===- InitSeqOps.cpp - initseq op verifiers, syntax and folders ----------===//
//
// Verifiers for every invariant of the initseq ops, the custom syntax of
// initseq.sequence, and folders/canonicalizations that never change what the
// device sees.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace gpuinit::initseq;

static std::string hexStr(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 0);
  return s;
}

/// Checks provenance attributes shared by every op.
static LogicalResult verifyProvenance(Operation *op,
                                      std::optional<int64_t> offset,
                                      std::optional<int64_t> script,
                                      std::optional<int64_t> ts) {
  if (offset && *offset < 0)
    return op->emitOpError("source offset must not be negative");
  if (script && *script < 0)
    return op->emitOpError("script id must not be negative");
  if (ts && *ts < 0)
    return op->emitOpError("timestamp must not be negative");
  return success();
}

/// Checks that the location accepts the width and that every byte of an
/// access spanning `span` bytes stays inside the address space.
static LogicalResult verifyLocationWidth(Operation *op, RegAttr loc,
                                         Type width, uint64_t span) {
  // A location built in C++ with RegAttr::get skipped the attribute's own
  // checks; the op verifier repeats them.
  if (failed(RegAttr::verify([&] { return op->emitOpError(); },
                             loc.getSpace(), loc.getBar(), loc.getOffset(),
                             loc.getDataPort(), loc.getIndex())))
    return failure();
  unsigned bits = width.getIntOrFloatBitWidth();
  if (!isWidthAllowed(loc.getSpace(), bits))
    return op->emitOpError("a ")
           << bits << "-bit access is not allowed in "
           << stringifyAddressSpace(loc.getSpace()) << " space";
  uint64_t limit = addressSpaceLimit(loc.getSpace());
  if (loc.getSpace() != AddressSpace::idxio &&
      (span > limit || loc.getOffset() > limit - span))
    return op->emitOpError("access of ")
           << span << " bytes at " << hexStr(loc.getOffset())
           << " runs past the end of " << stringifyAddressSpace(loc.getSpace())
           << " space (" << hexStr(limit) << ")";
  return success();
}

/// Checks that `value` fits in `bits` bits.
static LogicalResult verifyFits(Operation *op, StringRef what, int64_t value,
                                unsigned bits) {
  if (uint64_t(value) & ~widthMask(bits))
    return op->emitOpError()
           << what << " " << hexStr(uint64_t(value)) << " does not fit the "
           << bits << "-bit access";
  return success();
}

//===----------------------------------------------------------------------===//
// SequenceOp
//===----------------------------------------------------------------------===//

void SequenceOp::build(OpBuilder &builder, OperationState &state,
                       StringRef name) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  Region *body = state.addRegion();
  SequenceOp::ensureTerminator(*body, builder, state.location);
}

ParseResult SequenceOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name),
                             result.attributes))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("origin"))) {
    llvm::SMLoc loc = parser.getCurrentLocation();
    StringRef kw;
    if (parser.parseKeyword(&kw))
      return failure();
    std::optional<Origin> origin = symbolizeOrigin(kw);
    if (!origin)
      return parser.emitError(loc, "unknown origin '")
             << kw << "' (expected rom, trace, json or dsl)";
    result.addAttribute(getOriginAttrName(result.name),
                        OriginAttr::get(b.getContext(), *origin));
  }
  if (succeeded(parser.parseOptionalKeyword("pci"))) {
    llvm::SMLoc loc = parser.getCurrentLocation();
    uint64_t vendor, device;
    if (parser.parseInteger(vendor) || parser.parseColon() ||
        parser.parseInteger(device))
      return failure();
    if (vendor > 0xffff || device > 0xffff)
      return parser.emitError(loc, "PCI vendor and device ids are 16-bit");
    result.addAttribute(getVendorAttrName(result.name),
                        b.getI32IntegerAttr(int32_t(vendor)));
    result.addAttribute(getDeviceAttrName(result.name),
                        b.getI32IntegerAttr(int32_t(device)));
  }
  if (succeeded(parser.parseOptionalKeyword("sha1"))) {
    std::string sha;
    if (parser.parseString(&sha))
      return failure();
    result.addAttribute(getSha1AttrName(result.name), b.getStringAttr(sha));
  }
  if (succeeded(parser.parseOptionalKeyword("incomplete")))
    result.addAttribute(getIncompleteAttrName(result.name), b.getUnitAttr());
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, /*arguments=*/{}))
    return failure();
  SequenceOp::ensureTerminator(*body, b, result.location);
  return success();
}

void SequenceOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printSymbolName(getSymName());
  if (auto origin = getOriginAttr())
    p << " origin " << stringifyOrigin(origin.getValue());
  if (getVendor() && getDevice())
    p << " pci " << llvm::format_hex(*getVendor(), 6) << ":"
      << llvm::format_hex(*getDevice(), 6);
  if (auto sha = getSha1Attr())
    p << " sha1 \"" << sha.getValue() << "\"";
  if (getIncomplete())
    p << " incomplete";
  p.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(),
      {getSymNameAttrName(), getOriginAttrName(), getVendorAttrName(),
       getDeviceAttrName(), getSha1AttrName(), getIncompleteAttrName()});
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/false);
}

LogicalResult SequenceOp::verify() {
  if (getVendor().has_value() != getDevice().has_value())
    return emitOpError("PCI vendor and device ids go together");
  if (getVendor() && (*getVendor() > 0xffff || *getDevice() > 0xffff))
    return emitOpError("PCI vendor and device ids are 16-bit");
  if (auto sha = getSha1()) {
    if (sha->size() != 40 ||
        !llvm::all_of(*sha, [](char c) { return llvm::isDigit(c) ||
                                                 (c >= 'a' && c <= 'f'); }))
      return emitOpError("sha1 must be 40 lowercase hex digits, got '")
             << *sha << "'";
  }
  return success();
}

FailureOr<SequenceOp> gpuinit::initseq::selectSequence(Operation *op,
                                                      StringRef name,
                                                      StringRef optionName) {
  name.consume_front("@");
  if (auto seq = dyn_cast<SequenceOp>(op)) {
    if (!name.empty() && seq.getSymName() != name)
      return seq.emitError() << "no initseq.sequence named @" << name;
    return seq;
  }
  SmallVector<SequenceOp> found;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (auto s : block.getOps<SequenceOp>())
        if (name.empty() || s.getSymName() == name)
          found.push_back(s);
  if (found.empty())
    return op->emitError()
           << (name.empty() ? Twine("no initseq.sequence to export")
                            : "no initseq.sequence named @" + name);
  if (found.size() > 1) {
    InFlightDiagnostic diag = op->emitError()
                              << "several initseq.sequence ops ("
                              << found.size() << "); choose one with "
                              << optionName << "=@name:";
    for (SequenceOp s : found)
      diag << " @" << s.getSymName();
    return diag;
  }
  return found.front();
}

//===----------------------------------------------------------------------===//
// ConditionOp
//===----------------------------------------------------------------------===//

LogicalResult ConditionOp::verify() {
  if (int64_t(getIndex()) < 0)
    return emitOpError("condition index must not be negative");
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

Block &ConditionOp::getOrCreateElseBlock() {
  OpBuilder b(getContext());
  ensureTerminator(getElseBody(), b, getLoc());
  return getElseBody().front();
}

namespace {
/// An else body holding nothing is no else. The op itself stays, even with
/// an empty body: testing the condition reads the device.
struct DropEmptyElse : OpRewritePattern<ConditionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConditionOp op,
                                PatternRewriter &rewriter) const override {
    Block *elseBlock = op.getElseBlock();
    if (!elseBlock || !llvm::hasSingleElement(*elseBlock))
      return failure();
    rewriter.modifyOpInPlace(op, [&] { rewriter.eraseBlock(elseBlock); });
    return success();
  }
};
} // namespace

void ConditionOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *ctx) {
  results.add<DropEmptyElse>(ctx);
}

//===----------------------------------------------------------------------===//
// Accesses
//===----------------------------------------------------------------------===//

LogicalResult WriteOp::verify() {
  unsigned bits = getWidth().getIntOrFloatBitWidth();
  if (failed(verifyLocationWidth(*this, getLocation(), getWidth(), bits / 8)) ||
      failed(verifyFits(*this, "value", getValue(), bits)))
    return failure();
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

LogicalResult RmwOp::verify() {
  unsigned bits = getWidth().getIntOrFloatBitWidth();
  if (failed(verifyLocationWidth(*this, getLocation(), getWidth(), bits / 8)) ||
      failed(verifyFits(*this, "and mask", getAndMask(), bits)) ||
      failed(verifyFits(*this, "or mask", getOrMask(), bits)))
    return failure();
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

/// Bits set in `or_mask` are set whatever `and_mask` keeps, so the canonical
/// and-mask includes them. The read and the write both stay. Returns true if
/// the op changed.
static bool normalizeRmwMasks(RmwOp op) {
  unsigned bits = op.getWidth().getIntOrFloatBitWidth();
  uint64_t andMask = uint64_t(op.getAndMask()), orMask = uint64_t(op.getOrMask());
  uint64_t canonical = (andMask | orMask) & widthMask(bits);
  if (canonical == andMask)
    return false;
  op.setAndMask(int64_t(canonical));
  return true;
}

LogicalResult RmwOp::fold(FoldAdaptor, SmallVectorImpl<OpFoldResult> &) {
  return success(normalizeRmwMasks(*this));
}

namespace {
/// The folder of RmwOp as a pattern, for pattern-only drivers.
struct CanonicalizeRmwMasks : OpRewritePattern<RmwOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RmwOp op,
                                PatternRewriter &rewriter) const override {
    unsigned bits = op.getWidth().getIntOrFloatBitWidth();
    uint64_t andMask = uint64_t(op.getAndMask());
    if (((andMask | uint64_t(op.getOrMask())) & widthMask(bits)) == andMask)
      return failure();
    rewriter.modifyOpInPlace(op, [&] { normalizeRmwMasks(op); });
    return success();
  }
};
} // namespace

void RmwOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<CanonicalizeRmwMasks>(context);
}

LogicalResult ReadOp::verify() {
  unsigned bits = getWidth().getIntOrFloatBitWidth();
  if (failed(verifyLocationWidth(*this, getLocation(), getWidth(), bits / 8)))
    return failure();
  if (auto observed = getObserved())
    if (failed(verifyFits(*this, "observed value", *observed, bits)))
      return failure();
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

LogicalResult BlockWriteOp::verify() {
  unsigned bits = getWidth().getIntOrFloatBitWidth();
  ArrayRef<int64_t> values = getValues();
  if (values.empty())
    return emitOpError("has no values");
  if (getLocation().getSpace() == AddressSpace::idxio)
    return emitOpError("block writes are not defined for indexed I/O");
  if (int64_t(getStride()) < 0)
    return emitOpError("stride must not be negative");
  uint64_t limit = addressSpaceLimit(getLocation().getSpace());
  if (uint64_t(getStride()) >= limit)
    return emitOpError("stride ") << hexStr(getStride()) << " out of range";
  uint64_t span = (values.size() - 1) * uint64_t(getStride()) + bits / 8;
  if (failed(verifyLocationWidth(*this, getLocation(), getWidth(), span)))
    return failure();
  for (auto [i, v] : llvm::enumerate(values))
    if (uint64_t(v) & ~widthMask(bits))
      return emitOpError("value #")
             << i << " " << hexStr(uint64_t(v)) << " does not fit the " << bits
             << "-bit access";
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

namespace {
/// A block write of one value is a write.
struct SingleBlockWriteToWrite : OpRewritePattern<BlockWriteOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BlockWriteOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getValues().size() != 1)
      return failure();
    rewriter.replaceOpWithNewOp<WriteOp>(
        op, op.getLocation(), op.getWidth(), op.getValues()[0],
        op.getSrcOffset(), op.getScript(), op.getTs());
    return success();
  }
};
} // namespace

void BlockWriteOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<SingleBlockWriteToWrite>(context);
}

LogicalResult PollOp::verify() {
  unsigned bits = getWidth().getIntOrFloatBitWidth();
  if (failed(verifyLocationWidth(*this, getLocation(), getWidth(), bits / 8)) ||
      failed(verifyFits(*this, "mask", getMask(), bits)) ||
      failed(verifyFits(*this, "expected value", getExpected(), bits)))
    return failure();
  if (getMask() == 0)
    return emitOpError("mask is zero: the poll would compare nothing");
  if (uint64_t(getExpected()) & ~uint64_t(getMask()))
    return emitOpError("expected value ")
           << hexStr(uint64_t(getExpected())) << " has bits outside mask "
           << hexStr(uint64_t(getMask()));
  if (int64_t(getTimeoutNs()) <= 0)
    return emitOpError("timeout must be positive");
  if (getTookNs() && int64_t(*getTookNs()) < 0)
    return emitOpError("observed duration must not be negative");
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

//===----------------------------------------------------------------------===//
// DelayOp
//===----------------------------------------------------------------------===//

LogicalResult DelayOp::verify() {
  if (int64_t(getNs()) < 0)
    return emitOpError("delay must not be negative");
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

namespace {
/// A zero delay waits for nothing.
struct EraseZeroDelay : OpRewritePattern<DelayOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DelayOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNs() != 0)
      return failure();
    rewriter.eraseOp(op);
    return success();
  }
};

/// Two delays in a row are one delay of their sum (when it fits). The later
/// delay folds into the earlier one, so the rewrite only erases the op it
/// matched (which keeps it valid under walk-based drivers too).
struct MergeAdjacentDelays : OpRewritePattern<DelayOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DelayOp op,
                                PatternRewriter &rewriter) const override {
    auto prev = dyn_cast_or_null<DelayOp>(op->getPrevNode());
    if (!prev)
      return failure();
    int64_t a = int64_t(prev.getNs()), b = int64_t(op.getNs());
    if (a > INT64_MAX - b)
      return failure();
    rewriter.modifyOpInPlace(prev, [&] { prev.setNs(a + b); });
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void DelayOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<EraseZeroDelay, MergeAdjacentDelays>(context);
}

//===----------------------------------------------------------------------===//
// OpaqueOp
//===----------------------------------------------------------------------===//

LogicalResult OpaqueOp::verify() {
  if (getKind().empty())
    return emitOpError("kind must not be empty");
  if (auto bytes = getBytes()) {
    if (bytes->size() % 2 != 0 || !llvm::all_of(*bytes, llvm::isHexDigit))
      return emitOpError("bytes must be an even number of hex digits");
  }
  return verifyProvenance(*this, getSrcOffset(), getScript(),
                          getTs());
}

//===----------------------------------------------------------------------===//
// NoteOp
//===----------------------------------------------------------------------===//

LogicalResult NoteOp::verify() {
  return verifyProvenance(*this, getSrcOffset(), getScript(), getTs());
}
