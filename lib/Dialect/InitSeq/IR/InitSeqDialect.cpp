//===- InitSeqDialect.cpp - initseq dialect, attributes, custom syntax ----===//
//
// Registers the initseq dialect and implements the domain syntax shared by
// its ops: register locations, hex values, durations and provenance.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/Bytecode/BytecodeImplementation.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace gpuinit::initseq;

#include "initseq/InitSeqDialect.cpp.inc"
#include "initseq/InitSeqEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "initseq/InitSeqAttrs.cpp.inc"

namespace {
/// Compact bytecode for the dialect's attributes (register locations appear
/// once per access; without this they would be stored as text and reparsed).
struct InitSeqBytecodeInterface : public BytecodeDialectInterface {
  /// Tags of the encoded attributes. Never renumber: bytecode files keep them.
  enum Tag : uint64_t { kReg = 0, kCompare = 1, kOrigin = 2, kCondition = 3 };

  InitSeqBytecodeInterface(Dialect *dialect)
      : BytecodeDialectInterface(dialect) {}

  Attribute readAttribute(DialectBytecodeReader &reader) const override {
    uint64_t tag;
    if (failed(reader.readVarInt(tag)))
      return {};
    MLIRContext *ctx = getContext();
    switch (tag) {
    case kReg: {
      uint64_t space, bar, offset, dataPort, index;
      if (failed(reader.readVarInt(space)) || failed(reader.readVarInt(bar)) ||
          failed(reader.readVarInt(offset)) ||
          failed(reader.readVarInt(dataPort)) ||
          failed(reader.readVarInt(index)))
        return {};
      std::optional<AddressSpace> s = symbolizeAddressSpace(space);
      if (!s || bar > 5 || dataPort > 0xffff || index > 0xff) {
        reader.emitError() << "invalid initseq register location";
        return {};
      }
      return RegAttr::getChecked([&] { return reader.emitError(); }, ctx, *s,
                                 uint32_t(bar), offset, uint32_t(dataPort),
                                 uint32_t(index));
    }
    case kCompare:
    case kOrigin:
    case kCondition: {
      uint64_t value;
      if (failed(reader.readVarInt(value)))
        return {};
      if (tag == kCompare)
        if (auto v = symbolizeCompare(value))
          return CompareAttr::get(ctx, *v);
      if (tag == kOrigin)
        if (auto v = symbolizeOrigin(value))
          return OriginAttr::get(ctx, *v);
      if (tag == kCondition)
        if (auto v = symbolizeConditionKind(value))
          return ConditionKindAttr::get(ctx, *v);
      reader.emitError() << "invalid initseq enum value " << value;
      return {};
    }
    }
    reader.emitError() << "unknown initseq attribute tag " << tag;
    return {};
  }

  LogicalResult writeAttribute(Attribute attr,
                               DialectBytecodeWriter &writer) const override {
    if (auto reg = dyn_cast<RegAttr>(attr)) {
      writer.writeVarInt(kReg);
      writer.writeVarInt(uint64_t(reg.getSpace()));
      writer.writeVarInt(reg.getBar());
      writer.writeVarInt(reg.getOffset());
      writer.writeVarInt(reg.getDataPort());
      writer.writeVarInt(reg.getIndex());
      return success();
    }
    if (auto cmp = dyn_cast<CompareAttr>(attr)) {
      writer.writeVarInt(kCompare);
      writer.writeVarInt(uint64_t(cmp.getValue()));
      return success();
    }
    if (auto origin = dyn_cast<OriginAttr>(attr)) {
      writer.writeVarInt(kOrigin);
      writer.writeVarInt(uint64_t(origin.getValue()));
      return success();
    }
    if (auto kind = dyn_cast<ConditionKindAttr>(attr)) {
      writer.writeVarInt(kCondition);
      writer.writeVarInt(uint64_t(kind.getValue()));
      return success();
    }
    return failure();
  }
};
} // namespace

void InitSeqDialect::initialize() {
  addInterfaces<InitSeqBytecodeInterface>();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "initseq/InitSeqAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "initseq/InitSeqOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

bool gpuinit::initseq::isWidthAllowed(AddressSpace space, unsigned bits) {
  switch (space) {
  case AddressSpace::cfg:
  case AddressSpace::io:
    return bits == 8 || bits == 16 || bits == 32;
  case AddressSpace::mmio:
    return bits == 8 || bits == 16 || bits == 32 || bits == 64;
  case AddressSpace::idxio:
    return bits == 8;
  }
  return false;
}

uint64_t gpuinit::initseq::addressSpaceLimit(AddressSpace space) {
  switch (space) {
  case AddressSpace::cfg:
    return 4096;
  case AddressSpace::io:
  case AddressSpace::idxio:
    return 0x10000;
  case AddressSpace::mmio:
    return uint64_t(1) << 40;
  }
  return 0;
}

std::optional<AccessInfo> gpuinit::initseq::getAccessInfo(Operation *op) {
  auto make = [](RegAttr loc, Type width,
                 uint64_t count = 1, uint64_t stride = 0) {
    AccessInfo info;
    info.location = loc;
    info.bits = width.getIntOrFloatBitWidth();
    uint64_t bytes = info.bits / 8;
    info.span = count == 0 ? 0 : (count - 1) * stride + bytes;
    return info;
  };
  return llvm::TypeSwitch<Operation *, std::optional<AccessInfo>>(op)
      .Case<WriteOp, RmwOp, ReadOp, PollOp>(
          [&](auto acc) { return make(acc.getLocation(), acc.getWidth()); })
      .Case<BlockWriteOp>([&](BlockWriteOp bw) {
        return make(bw.getLocation(), bw.getWidth(), bw.getValues().size(),
                    uint64_t(bw.getStride()));
      })
      .Default([](Operation *) { return std::nullopt; });
}

bool gpuinit::initseq::mayOverlap(const AccessInfo &a, const AccessInfo &b) {
  RegAttr la = a.location, lb = b.location;
  if (la.getSpace() != lb.getSpace())
    return false;
  switch (la.getSpace()) {
  case AddressSpace::idxio:
    // The index register itself is shared by every index on that port pair.
    return la.getOffset() == lb.getOffset() &&
           la.getDataPort() == lb.getDataPort() &&
           la.getIndex() == lb.getIndex();
  case AddressSpace::mmio:
    if (la.getBar() != lb.getBar())
      return false;
    [[fallthrough]];
  case AddressSpace::cfg:
  case AddressSpace::io:
    return la.getOffset() < lb.getOffset() + b.span &&
           lb.getOffset() < la.getOffset() + a.span;
  }
  return true;
}

std::optional<int64_t> gpuinit::initseq::getTimestamp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<int64_t>>(op)
      .Case<WriteOp, RmwOp, ReadOp, BlockWriteOp, PollOp, DelayOp, OpaqueOp,
            NoteOp, ConditionOp>([](auto typed) { return typed.getTs(); })
      .Default([](Operation *) { return std::nullopt; });
}

std::string gpuinit::initseq::formatDuration(int64_t ns) {
  static const std::pair<int64_t, const char *> units[] = {
      {1000000000, "s"}, {1000000, "ms"}, {1000, "us"}};
  if (ns != 0)
    for (auto [scale, name] : units)
      if (ns % scale == 0)
        return std::to_string(ns / scale) + " " + name;
  return std::to_string(ns) + " ns";
}

/// Streams `v` as 0x-prefixed lowercase hex, zero-padded to `digits`
/// (printing is on the hot path of large traces: no temporaries).
struct Hex {
  uint64_t value;
  unsigned digits;
};
static llvm::raw_ostream &operator<<(llvm::raw_ostream &os, Hex h) {
  return os << "0x"
            << llvm::format_hex_no_prefix(h.value, h.digits, /*Upper=*/false);
}

static std::string hex(uint64_t v, unsigned digits = 0) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "0x" << llvm::format_hex_no_prefix(v, digits, /*Upper=*/false);
  return s;
}

/// Parses a non-negative integer literal (decimal or 0x-hex) into `value`.
static ParseResult parseUnsigned(AsmParser &p, uint64_t &value,
                                 StringRef what) {
  llvm::SMLoc loc = p.getCurrentLocation();
  APInt v;
  OptionalParseResult r = p.parseOptionalInteger(v);
  if (!r.has_value())
    return p.emitError(loc, "expected ") << what;
  if (failed(*r))
    return failure();
  if (v.isNegative() && v.getBitWidth() > 64)
    return p.emitError(loc, what) << " does not fit in 64 bits";
  if (v.getActiveBits() > 64)
    return p.emitError(loc, what) << " does not fit in 64 bits";
  if (v.isNegative() && v.getSignificantBits() <= 64 && v.getBitWidth() <= 64 &&
      v.getSExtValue() < 0)
    return p.emitError(loc, what) << " must not be negative";
  value = v.getZExtValue();
  return success();
}

//===----------------------------------------------------------------------===//
// RegAttr
//===----------------------------------------------------------------------===//

static ParseResult parseLocationBody(AsmParser &p, AddressSpace &space,
                                     uint32_t &bar, uint64_t &offset,
                                     uint32_t &dataPort, uint32_t &index) {
  llvm::SMLoc loc = p.getCurrentLocation();
  StringRef kw;
  if (p.parseKeyword(&kw))
    return failure();
  std::optional<AddressSpace> s = symbolizeAddressSpace(kw);
  if (!s)
    return p.emitError(loc, "unknown address space '")
           << kw << "' (expected cfg, mmio, io or idxio)";
  space = *s;
  bar = 0;
  dataPort = 0;
  index = 0;
  if (p.parseLSquare())
    return failure();
  if (space == AddressSpace::mmio) {
    llvm::SMLoc barLoc = p.getCurrentLocation();
    StringRef barKw;
    if (p.parseKeyword(&barKw))
      return failure();
    unsigned n;
    if (!barKw.consume_front("bar") || barKw.getAsInteger(10, n) || n > 5)
      return p.emitError(barLoc, "expected bar0..bar5");
    bar = n;
    if (p.parsePlus())
      return failure();
  }
  if (parseUnsigned(p, offset, "register offset"))
    return failure();
  if (space == AddressSpace::idxio) {
    uint64_t dp, idx;
    if (p.parseColon() || parseUnsigned(p, dp, "data port") ||
        p.parseRSquare() || p.parseLSquare() ||
        parseUnsigned(p, idx, "register index"))
      return failure();
    if (dp > 0xffff || idx > 0xff)
      return p.emitError(loc, "indexed I/O data port must fit 16 bits and "
                              "index 8 bits");
    dataPort = dp;
    index = idx;
  }
  return p.parseRSquare();
}

static void printLocationBody(AsmPrinter &p, RegAttr loc) {
  llvm::raw_ostream &os = p.getStream();
  switch (loc.getSpace()) {
  case AddressSpace::cfg:
    os << "cfg[" << Hex{loc.getOffset(), 3} << "]";
    return;
  case AddressSpace::mmio:
    os << "mmio[bar" << loc.getBar() << " + " << Hex{loc.getOffset(), 6}
       << "]";
    return;
  case AddressSpace::io:
    os << "io[" << Hex{loc.getOffset(), 0} << "]";
    return;
  case AddressSpace::idxio:
    os << "idxio[" << Hex{loc.getOffset(), 0} << ":" << Hex{loc.getDataPort(), 0}
       << "][" << Hex{loc.getIndex(), 2} << "]";
    return;
  }
}

Attribute RegAttr::parse(AsmParser &p, Type) {
  AddressSpace space;
  uint32_t bar, dataPort, index;
  uint64_t offset;
  llvm::SMLoc loc = p.getCurrentLocation();
  if (p.parseLess() ||
      parseLocationBody(p, space, bar, offset, dataPort, index) ||
      p.parseGreater())
    return {};
  return RegAttr::getChecked(
      [&] { return p.emitError(loc); }, p.getContext(), space, bar, offset,
      dataPort, index);
}

void RegAttr::print(AsmPrinter &p) const {
  p << "<";
  printLocationBody(p, *this);
  p << ">";
}

LogicalResult
RegAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     AddressSpace space, uint32_t bar, uint64_t offset,
                     uint32_t dataPort, uint32_t index) {
  if (space != AddressSpace::mmio && bar != 0)
    return emitError() << "only mmio locations have a BAR";
  if (bar > 5)
    return emitError() << "BAR index " << bar << " out of range 0..5";
  if (offset >= addressSpaceLimit(space))
    return emitError() << "offset " << hex(offset) << " out of range for "
                       << stringifyAddressSpace(space) << " space (limit "
                       << hex(addressSpaceLimit(space)) << ")";
  if (space != AddressSpace::idxio && (dataPort != 0 || index != 0))
    return emitError() << "only idxio locations have a data port and index";
  if (dataPort > 0xffff || index > 0xff)
    return emitError() << "indexed I/O data port must fit 16 bits and index "
                          "8 bits";
  return success();
}

//===----------------------------------------------------------------------===//
// Custom directives used by the ops' assembly formats
//===----------------------------------------------------------------------===//

static ParseResult parseLocation(OpAsmParser &p, RegAttr &attr) {
  AddressSpace space;
  uint32_t bar, dataPort, index;
  uint64_t offset;
  llvm::SMLoc loc = p.getCurrentLocation();
  if (parseLocationBody(p, space, bar, offset, dataPort, index))
    return failure();
  attr = RegAttr::getChecked([&] { return p.emitError(loc); },
                                  p.getContext(), space, bar, offset, dataPort,
                                  index);
  return success(static_cast<bool>(attr));
}

static ParseResult parseHex(OpAsmParser &p, IntegerAttr &attr) {
  uint64_t v;
  if (parseUnsigned(p, v, "integer"))
    return failure();
  attr = p.getBuilder().getI64IntegerAttr(int64_t(v));
  return success();
}

static void printHex(OpAsmPrinter &p, Operation *, IntegerAttr attr) {
  p.getStream() << Hex{attr.getValue().getZExtValue(), 0};
}

static ParseResult parseHexArray(OpAsmParser &p, DenseI64ArrayAttr &attr) {
  SmallVector<int64_t> values;
  if (p.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, [&] {
        uint64_t v;
        if (parseUnsigned(p, v, "value"))
          return failure();
        values.push_back(int64_t(v));
        return success();
      }))
    return failure();
  attr = p.getBuilder().getDenseI64ArrayAttr(values);
  return success();
}

static void printHexArray(OpAsmPrinter &p, Operation *,
                          DenseI64ArrayAttr attr) {
  p << "[";
  llvm::interleaveComma(attr.asArrayRef(), p,
                        [&](int64_t v) { p.getStream() << Hex{uint64_t(v), 0}; });
  p << "]";
}

static ParseResult parseHexList(OpAsmParser &p, DenseI64ArrayAttr &attr) {
  SmallVector<int64_t> values;
  APInt first;
  OptionalParseResult r = p.parseOptionalInteger(first);
  if (r.has_value()) {
    if (failed(*r))
      return failure();
    if (first.isNegative() || first.getActiveBits() > 64)
      return p.emitError(p.getCurrentLocation(),
                         "operand must be a non-negative 64-bit integer");
    values.push_back(int64_t(first.getZExtValue()));
    while (succeeded(p.parseOptionalComma())) {
      uint64_t v;
      if (parseUnsigned(p, v, "operand"))
        return failure();
      values.push_back(int64_t(v));
    }
  }
  attr = p.getBuilder().getDenseI64ArrayAttr(values);
  return success();
}

static void printHexList(OpAsmPrinter &p, Operation *, DenseI64ArrayAttr attr) {
  llvm::interleaveComma(attr.asArrayRef(), p,
                        [&](int64_t v) { p.getStream() << Hex{uint64_t(v), 0}; });
}

static ParseResult parseDurationValue(OpAsmParser &p, int64_t &ns) {
  uint64_t v;
  llvm::SMLoc loc = p.getCurrentLocation();
  StringRef unit;
  if (parseUnsigned(p, v, "duration") || p.parseKeyword(&unit))
    return failure();
  uint64_t scale = llvm::StringSwitch<uint64_t>(unit)
                       .Case("ns", 1)
                       .Case("us", 1000)
                       .Case("ms", 1000000)
                       .Case("s", 1000000000)
                       .Default(0);
  if (!scale)
    return p.emitError(loc, "unknown time unit '")
           << unit << "' (expected ns, us, ms or s)";
  if (v > uint64_t(INT64_MAX) / scale)
    return p.emitError(loc, "duration does not fit in 64-bit nanoseconds");
  ns = int64_t(v * scale);
  return success();
}

static ParseResult parseDuration(OpAsmParser &p, IntegerAttr &attr) {
  int64_t ns;
  if (parseDurationValue(p, ns))
    return failure();
  attr = p.getBuilder().getI64IntegerAttr(ns);
  return success();
}

static void printDuration(OpAsmPrinter &p, Operation *, IntegerAttr attr) {
  p << formatDuration(attr.getInt());
}

static ParseResult parseTook(OpAsmParser &p, IntegerAttr &attr) {
  if (failed(p.parseOptionalKeyword("took")))
    return success();
  return parseDuration(p, attr);
}

static void printTook(OpAsmPrinter &p, Operation *op, IntegerAttr attr) {
  if (attr) {
    p << " took ";
    printDuration(p, op, attr);
  }
}

static ParseResult parseObserved(OpAsmParser &p, IntegerAttr &attr) {
  if (failed(p.parseOptionalArrow()))
    return success();
  return parseHex(p, attr);
}

static void printObserved(OpAsmPrinter &p, Operation *op, IntegerAttr attr) {
  if (attr) {
    p << " -> ";
    printHex(p, op, attr);
  }
}

/// Parses `[at <hex>] [script <n>] [ts <n>]`.
static ParseResult parseProvenance(OpAsmParser &p,
                                   std::optional<int64_t> &offset,
                                   std::optional<int64_t> &script,
                                   std::optional<int64_t> &ts) {
  auto one = [&](StringRef keyword, std::optional<int64_t> &out,
                 StringRef what) -> ParseResult {
    if (failed(p.parseOptionalKeyword(keyword)))
      return success();
    uint64_t v;
    llvm::SMLoc loc = p.getCurrentLocation();
    if (parseUnsigned(p, v, what))
      return failure();
    if (v > uint64_t(INT64_MAX))
      return p.emitError(loc, what) << " does not fit in 63 bits";
    out = int64_t(v);
    return success();
  };
  return failure(failed(one("at", offset, "source offset")) ||
                 failed(one("script", script, "script id")) ||
                 failed(one("ts", ts, "timestamp")));
}

static void printProvenance(OpAsmPrinter &p, std::optional<int64_t> offset,
                            std::optional<int64_t> script,
                            std::optional<int64_t> ts) {
  if (offset)
    p.getStream() << " at " << Hex{uint64_t(*offset), 0};
  if (script)
    p << " script " << *script;
  if (ts)
    p << " ts " << *ts;
}

static ParseResult parseCondKind(OpAsmParser &p, UnitAttr &negated,
                                 ConditionKindAttr &kind) {
  if (succeeded(p.parseOptionalKeyword("not")))
    negated = p.getBuilder().getUnitAttr();
  llvm::SMLoc loc = p.getCurrentLocation();
  StringRef kw;
  if (p.parseKeyword(&kw))
    return failure();
  std::optional<ConditionKind> k = symbolizeConditionKind(kw);
  if (!k)
    return p.emitError(loc, "unknown condition kind '")
           << kw << "' (expected strap, ramcfg, condition, io_condition or "
                    "io_flag_condition)";
  kind = ConditionKindAttr::get(p.getContext(), *k);
  return success();
}

static void printCondKind(OpAsmPrinter &p, Operation *, UnitAttr negated,
                          ConditionKindAttr kind) {
  if (negated)
    p << "not ";
  p << stringifyConditionKind(kind.getValue());
}

static ParseResult parseCmp(OpAsmParser &p, CompareAttr &cmp) {
  llvm::SMLoc loc = p.getCurrentLocation();
  StringRef kw;
  if (p.parseKeyword(&kw))
    return failure();
  std::optional<Compare> c = symbolizeCompare(kw);
  if (!c)
    return p.emitError(loc, "expected 'eq' or 'ne'");
  cmp = CompareAttr::get(p.getContext(), *c);
  return success();
}

static void printCmp(OpAsmPrinter &p, Operation *, CompareAttr cmp) {
  p << stringifyCompare(cmp.getValue());
}

#define GET_OP_CLASSES
#include "initseq/InitSeqOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Hand-written syntax of the access ops
//===----------------------------------------------------------------------===//

/// Parses `: iN` into a width attribute.
static ParseResult parseWidth(OpAsmParser &p, TypeAttr &width) {
  llvm::SMLoc loc = p.getCurrentLocation();
  Type type;
  if (p.parseColon() || p.parseType(type))
    return failure();
  if (!type.isSignlessInteger())
    return p.emitError(loc, "expected a signless integer width (i8, i16, "
                            "i32 or i64), got ")
           << type;
  width = TypeAttr::get(type);
  return success();
}

/// True for the names of the provenance properties every op has.
static bool isProvenanceName(StringAttr name) {
  return name == "src_offset" || name == "script" || name == "ts";
}

/// Parses the provenance and the discardable attribute dictionary that end
/// every access op, storing the provenance in `props`.
template <typename OpTy, typename Props>
static ParseResult parseTail(OpAsmParser &p, OperationState &result,
                             Props &props) {
  if (parseProvenance(p, props.src_offset, props.script, props.ts))
    return failure();
  llvm::SMLoc loc = p.getCurrentLocation();
  if (p.parseOptionalAttrDict(result.attributes))
    return failure();
  // Inherent attributes have their own syntax; a second spelling in the
  // dictionary would be ambiguous.
  for (NamedAttribute attr : result.attributes)
    if (llvm::is_contained(OpTy::getAttributeNames(), attr.getName()) ||
        isProvenanceName(attr.getName()))
      return p.emitError(loc, "'")
             << attr.getName().getValue()
             << "' is part of the op's syntax, not of its attribute "
                "dictionary";
  return success();
}

/// Prints provenance and discardable attributes. Inherent attributes live in
/// properties, so the op's raw dictionary holds exactly the discardable ones.
template <typename OpTy>
static void printTail(OpAsmPrinter &p, OpTy op) {
  printProvenance(p, op.getSrcOffset(), op.getScript(), op.getTs());
  p.printOptionalAttrDict(op->getRawDictionaryAttrs().getValue());
}

/// Prints ` <location> : iN`.
template <typename OpTy>
static void printHead(OpAsmPrinter &p, OpTy op) {
  p << ' ';
  printLocationBody(p, op.getLocation());
  p << " : " << op.getWidth();
}

ParseResult WriteOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseLocation(p, props.location) || parseWidth(p, props.width) ||
      p.parseEqual() || parseHex(p, props.value))
    return failure();
  return parseTail<WriteOp>(p, result, props);
}

void WriteOp::print(OpAsmPrinter &p) {
  printHead(p, *this);
  p << " = ";
  printHex(p, *this, getValueAttr());
  printTail(p, *this);
}

ParseResult RmwOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseLocation(p, props.location) || parseWidth(p, props.width) ||
      p.parseKeyword("and") || parseHex(p, props.and_mask) ||
      p.parseKeyword("or") || parseHex(p, props.or_mask))
    return failure();
  return parseTail<RmwOp>(p, result, props);
}

void RmwOp::print(OpAsmPrinter &p) {
  printHead(p, *this);
  p << " and ";
  printHex(p, *this, getAndMaskAttr());
  p << " or ";
  printHex(p, *this, getOrMaskAttr());
  printTail(p, *this);
}

ParseResult ReadOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseLocation(p, props.location) || parseWidth(p, props.width) ||
      parseObserved(p, props.observed))
    return failure();
  return parseTail<ReadOp>(p, result, props);
}

void ReadOp::print(OpAsmPrinter &p) {
  printHead(p, *this);
  printObserved(p, *this, getObservedAttr());
  printTail(p, *this);
}

ParseResult BlockWriteOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseLocation(p, props.location) || parseWidth(p, props.width) ||
      p.parseKeyword("stride") || parseHex(p, props.stride) ||
      p.parseEqual() || parseHexArray(p, props.values))
    return failure();
  return parseTail<BlockWriteOp>(p, result, props);
}

void BlockWriteOp::print(OpAsmPrinter &p) {
  printHead(p, *this);
  p << " stride ";
  printHex(p, *this, getStrideAttr());
  p << " = ";
  printHexArray(p, *this, getValuesAttr());
  printTail(p, *this);
}

ParseResult PollOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseLocation(p, props.location) || parseWidth(p, props.width) ||
      p.parseKeyword("mask") || parseHex(p, props.mask) ||
      parseCmp(p, props.compare) || parseHex(p, props.expected) ||
      p.parseKeyword("timeout") || parseDuration(p, props.timeout_ns) ||
      parseTook(p, props.took_ns))
    return failure();
  return parseTail<PollOp>(p, result, props);
}

void PollOp::print(OpAsmPrinter &p) {
  printHead(p, *this);
  p << " mask ";
  printHex(p, *this, getMaskAttr());
  p << ' ';
  printCmp(p, *this, getCompareAttr());
  p << ' ';
  printHex(p, *this, getExpectedAttr());
  p << " timeout ";
  printDuration(p, *this, getTimeoutNsAttr());
  printTook(p, *this, getTookNsAttr());
  printTail(p, *this);
}

ParseResult DelayOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseDuration(p, props.ns))
    return failure();
  return parseTail<DelayOp>(p, result, props);
}

void DelayOp::print(OpAsmPrinter &p) {
  p << ' ';
  printDuration(p, *this, getNsAttr());
  printTail(p, *this);
}

ParseResult OpaqueOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  std::string kind;
  if (p.parseString(&kind) || p.parseLParen() ||
      parseHexList(p, props.operands) || p.parseRParen())
    return failure();
  props.kind = p.getBuilder().getStringAttr(kind);
  if (succeeded(p.parseOptionalKeyword("bytes"))) {
    std::string bytes;
    if (p.parseString(&bytes))
      return failure();
    props.bytes = p.getBuilder().getStringAttr(bytes);
  }
  return parseTail<OpaqueOp>(p, result, props);
}

void OpaqueOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printString(getKind());
  p << '(';
  printHexList(p, *this, getOperandsAttr());
  p << ')';
  if (auto bytes = getBytesAttr()) {
    p << " bytes ";
    p.printString(bytes.getValue());
  }
  printTail(p, *this);
}

ParseResult NoteOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  std::string text;
  if (p.parseString(&text))
    return failure();
  props.text = p.getBuilder().getStringAttr(text);
  return parseTail<NoteOp>(p, result, props);
}

void NoteOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printString(getText());
  printTail(p, *this);
}

ParseResult ConditionOp::parse(OpAsmParser &p, OperationState &result) {
  auto &props = result.getOrAddProperties<Properties>();
  if (parseCondKind(p, props.negated, props.kind) || parseHex(p, props.index))
    return failure();
  std::string label;
  if (succeeded(p.parseOptionalString(&label)))
    props.label = p.getBuilder().getStringAttr(label);
  if (parseProvenance(p, props.src_offset, props.script, props.ts) ||
      p.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  for (NamedAttribute attr : result.attributes)
    if (llvm::is_contained(getAttributeNames(), attr.getName()) ||
        isProvenanceName(attr.getName()))
      return p.emitError(p.getCurrentLocation(), "'")
             << attr.getName().getValue()
             << "' is part of the op's syntax, not of its attribute "
                "dictionary";
  Region *body = result.addRegion();
  if (p.parseRegion(*body, /*arguments=*/{}))
    return failure();
  ConditionOp::ensureTerminator(*body, p.getBuilder(), result.location);
  // The else region stays empty without `else`; `else {}` is an else body
  // holding only its terminator.
  Region *elseBody = result.addRegion();
  if (succeeded(p.parseOptionalKeyword("else"))) {
    if (p.parseRegion(*elseBody, /*arguments=*/{}))
      return failure();
    ConditionOp::ensureTerminator(*elseBody, p.getBuilder(), result.location);
    SMLoc again = p.getCurrentLocation();
    if (succeeded(p.parseOptionalKeyword("else")))
      return p.emitError(again, "initseq.condition has at most one 'else'; "
                                "nest a condition in the else body instead");
  }
  return success();
}

void ConditionOp::print(OpAsmPrinter &p) {
  p << ' ';
  printCondKind(p, *this, getNegatedAttr(), getKindAttr());
  p << ' ';
  printHex(p, *this, getIndexAttr());
  if (auto label = getLabelAttr()) {
    p << ' ';
    p.printString(label.getValue());
  }
  printProvenance(p, getSrcOffset(), getScript(), getTs());
  p.printOptionalAttrDictWithKeyword(
      (*this)->getRawDictionaryAttrs().getValue());
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/false);
  if (hasElse()) {
    p << " else ";
    p.printRegion(getElseBody(), /*printEntryBlockArgs=*/false,
                  /*printBlockTerminators=*/false);
  }
}
