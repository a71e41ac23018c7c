//===- InitSeqSim.cpp - initseq sequences as simulator programs -----------===//
//
// The adapter between the initseq dialect and the MLIR-free simulator: walks
// a sequence in order and appends one simulator op per initseq op, with its
// number and source location.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqSim.h"

#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace gpuinit::initseq;
namespace rt = gpuinit::runtime;

namespace {

class Converter {
public:
  explicit Converter(rt::SimProgram &prog) : prog(prog) {}

  LogicalResult convertBlock(Block &block);
  rt::SimSourceLoc convertLoc(Location loc);

private:
  rt::SimProgram &prog;
  /// The last file name interned (locations of one file repeat it).
  StringAttr lastFile;
  uint32_t lastFileIndex = rt::kSimNone;
};

rt::SimReg toSimReg(RegAttr reg) {
  rt::SimReg r;
  r.space = static_cast<rt::Space>(reg.getSpace());
  r.bar = uint8_t(reg.getBar());
  r.offset = reg.getOffset();
  r.dataPort = uint16_t(reg.getDataPort());
  r.index = uint8_t(reg.getIndex());
  return r;
}

unsigned bitsOf(Type width) { return width.getIntOrFloatBitWidth(); }

/// The values of an i64 array attribute as the unsigned values they encode.
absl::Span<const uint64_t> asUnsigned(ArrayRef<int64_t> values) {
  return {reinterpret_cast<const uint64_t *>(values.data()), values.size()};
}

rt::SimSourceLoc Converter::convertLoc(Location loc) {
  auto range = dyn_cast<FileLineColRange>(loc);
  if (!range)
    range = loc->findInstanceOf<FileLineColRange>();
  if (range) {
    StringAttr file = range.getFilename();
    if (file != lastFile) {
      lastFile = file;
      lastFileIndex = prog.intern(file.getValue().str());
    }
    return {lastFileIndex, range.getStartLine(), range.getStartColumn()};
  }
  if (isa<UnknownLoc>(loc))
    return {};
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return {prog.intern(text), 0, 0};
}

LogicalResult Converter::convertBlock(Block &block) {
  for (Operation &op : block) {
    if (isa<EndOp>(op))
      continue;
    rt::SimSourceLoc loc = convertLoc(op.getLoc());
    if (auto w = dyn_cast<WriteOp>(op)) {
      prog.write(toSimReg(w.getLocation()), bitsOf(w.getWidth()),
                 uint64_t(w.getValue()))
          .loc = loc;
    } else if (auto rmw = dyn_cast<RmwOp>(op)) {
      prog.rmw(toSimReg(rmw.getLocation()), bitsOf(rmw.getWidth()),
               uint64_t(rmw.getAndMask()), uint64_t(rmw.getOrMask()))
          .loc = loc;
    } else if (auto r = dyn_cast<ReadOp>(op)) {
      std::optional<uint64_t> observed;
      if (auto v = r.getObserved())
        observed = uint64_t(*v);
      prog.read(toSimReg(r.getLocation()), bitsOf(r.getWidth()), observed).loc =
          loc;
    } else if (auto bw = dyn_cast<BlockWriteOp>(op)) {
      prog.blockWrite(toSimReg(bw.getLocation()), bitsOf(bw.getWidth()),
                      uint64_t(bw.getStride()), asUnsigned(bw.getValues()))
          .loc = loc;
    } else if (auto p = dyn_cast<PollOp>(op)) {
      prog.poll(toSimReg(p.getLocation()), bitsOf(p.getWidth()),
                uint64_t(p.getMask()), p.getCompare() == Compare::ne,
                uint64_t(p.getExpected()), uint64_t(p.getTimeoutNs()))
          .loc = loc;
    } else if (auto d = dyn_cast<DelayOp>(op)) {
      prog.delay(uint64_t(d.getNs())).loc = loc;
    } else if (auto c = dyn_cast<ConditionOp>(op)) {
      prog.beginCondition(static_cast<rt::SimCondKind>(c.getKind()),
                          uint64_t(c.getIndex()), c.getNegated())
          .loc = loc;
      if (failed(convertBlock(c.getThenBlock())))
        return failure();
      if (Block *elseBlock = c.getElseBlock()) {
        prog.elseCondition();
        if (failed(convertBlock(*elseBlock)))
          return failure();
      }
      prog.endCondition();
    } else if (auto o = dyn_cast<OpaqueOp>(op)) {
      prog.opaque(o.getKind().str(),
                  asUnsigned(o.getOperandsAttr().asArrayRef()))
          .loc = loc;
    } else if (isa<NoteOp>(op)) {
      prog.skipOpNumber();
    } else {
      return op.emitOpError("cannot be simulated: the initseq simulator "
                            "knows only initseq ops");
    }
  }
  return success();
}

} // namespace

FailureOr<rt::SimProgram> gpuinit::initseq::toSimProgram(SequenceOp sequence) {
  rt::SimProgram prog;
  prog.name = sequence.getSymName().str();
  prog.ops.reserve(sequence.getBodyBlock().getOperations().size() + 1);
  Converter converter(prog);
  prog.loc = converter.convertLoc(sequence.getLoc());
  if (failed(converter.convertBlock(sequence.getBodyBlock())))
    return failure();
  if (absl::Status s = prog.verify(); !s.ok())
    return sequence.emitOpError("cannot be simulated: ")
           << std::string(s.message());
  return prog;
}
