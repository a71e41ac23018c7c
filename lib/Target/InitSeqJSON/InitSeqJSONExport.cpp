//===- InitSeqJSONExport.cpp - initseq.sequence to init-sequence JSON -----===//
//
// Writes one initseq.sequence as init-sequence JSON 1.0 (when it fits, never
// by rounding or dropping an access) or 1.1. The document is streamed
// straight to the output, one operation per line; everything that could
// make the export fail is checked before the first byte is written.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqJSON.h"

#include "InitSeqJSONFormat.h"
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"

#include <ctime>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::initseq;
using namespace gpuinit::initseq_json;

namespace {

/// The metadata of the document, resolved from options and attributes.
struct Metadata {
  std::string copyright, sha1, url, generated, pipelineVersion, cardSku;
};

/// Writes JSON text: strings escaped, integers in decimal.
class Writer {
public:
  Writer(raw_ostream &os, bool v11) : os(os), v11(v11) {}

  void string(StringRef s) {
    os << '"';
    size_t start = 0;
    for (size_t i = 0, e = s.size(); i < e; ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      os << s.slice(start, i);
      start = i + 1;
      switch (c) {
      case '"':
        os << "\\\"";
        break;
      case '\\':
        os << "\\\\";
        break;
      case '\n':
        os << "\\n";
        break;
      case '\r':
        os << "\\r";
        break;
      case '\t':
        os << "\\t";
        break;
      case '\b':
        os << "\\b";
        break;
      case '\f':
        os << "\\f";
        break;
      default:
        os << "\\u00"
           << "0123456789abcdef"[c >> 4] << "0123456789abcdef"[c & 15];
      }
    }
    os << s.drop_front(start) << '"';
  }
  void key(StringRef k) { os << ", \"" << k << "\": "; }
  void field(StringRef k, uint64_t v) {
    key(k);
    os << v;
  }
  void field(StringRef k, StringRef v) {
    key(k);
    string(v);
  }

  /// Location fields. `withSpace` adds "space" when it is not mmio (RMW,
  /// READ, POLL, BLOCK); writes name the space by their op instead.
  void location(RegAttr loc, unsigned bits, StringRef addrKey, bool withSpace) {
    AddressSpace space = loc.getSpace();
    if (withSpace && space != AddressSpace::mmio)
      field("space", stringifyAddressSpace(space));
    if (space == AddressSpace::mmio && loc.getBar() != 0)
      field("bar", loc.getBar());
    field(addrKey, loc.getOffset());
    if (space == AddressSpace::idxio) {
      field("data_port", loc.getDataPort());
      field("index", loc.getIndex());
    }
    unsigned defaultBits = space == AddressSpace::idxio ? 8 : 32;
    if (bits != defaultBits)
      field("width", bits);
  }

  template <typename OpTy> void provenance(OpTy op) {
    if (!v11)
      return;
    if (auto v = op.getSrcOffset())
      field("src_offset", *v);
    if (auto v = op.getScript())
      field("script", *v);
    if (auto v = op.getTs())
      field("ts_ns", *v);
  }

  void indent(unsigned n) { os.indent(n); }

  /// One operation (with its nested ones), without the trailing comma.
  void op(Operation *op, unsigned indentation) {
    os << "{\"op\": ";
    llvm::TypeSwitch<Operation *>(op)
        .Case<WriteOp>([&](WriteOp w) {
          RegAttr loc = w.getLocation();
          static const char *names[] = {"\"CFG\"", "\"MMIO\"", "\"IO\"",
                                        "\"IDXIO\""};
          os << names[unsigned(loc.getSpace())];
          location(loc, w.getWidth().getWidth(), "addr", false);
          field("data", w.getValue());
          provenance(w);
        })
        .Case<RmwOp>([&](RmwOp w) {
          os << "\"RMW\"";
          location(w.getLocation(), w.getWidth().getWidth(), "addr", true);
          field("and_mask", w.getAndMask());
          field("or_mask", w.getOrMask());
          provenance(w);
        })
        .Case<ReadOp>([&](ReadOp r) {
          os << "\"READ\"";
          location(r.getLocation(), r.getWidth().getWidth(), "addr", true);
          if (auto v = r.getObserved())
            field("observed", *v);
          provenance(r);
        })
        .Case<PollOp>([&](PollOp p) {
          os << "\"POLL\"";
          location(p.getLocation(), p.getWidth().getWidth(), "addr", true);
          field("mask", p.getMask());
          field("value", p.getExpected());
          if (p.getCompare() != Compare::eq)
            field("compare", stringifyCompare(p.getCompare()));
          uint64_t ns = p.getTimeoutNs();
          // 1.0 counts whole microseconds: rounding up only ever waits
          // longer, so a poll that succeeds still succeeds.
          if (!v11)
            field("timeout_us", ns / 1000 + (ns % 1000 != 0));
          else if (ns % 1000 == 0)
            field("timeout_us", ns / 1000);
          else
            field("timeout_ns", ns);
          if (v11)
            if (auto took = p.getTookNs())
              field("took_ns", *took);
          provenance(p);
        })
        .Case<BlockWriteOp>([&](BlockWriteOp bw) {
          os << "\"BLOCK\"";
          location(bw.getLocation(), bw.getWidth().getWidth(), "base", true);
          field("stride", bw.getStride());
          key("values");
          os << '[';
          bool first = true;
          for (int64_t v : bw.getValues()) {
            if (!first)
              os << ", ";
            first = false;
            os << uint64_t(v);
          }
          os << ']';
          provenance(bw);
        })
        .Case<DelayOp>([&](DelayOp d) {
          os << "\"DELAY\"";
          field("ns", d.getNs());
          provenance(d);
        })
        .Case<OpaqueOp>([&](OpaqueOp o) {
          os << "\"OPAQUE\"";
          field("kind", o.getKind());
          key("operands");
          os << '[';
          bool first = true;
          for (int64_t v : o.getOperands()) {
            if (!first)
              os << ", ";
            first = false;
            os << uint64_t(v);
          }
          os << ']';
          if (auto bytes = o.getBytes())
            field("bytes", *bytes);
          provenance(o);
        })
        .Case<NoteOp>([&](NoteOp n) {
          os << "\"NOTE\"";
          field("text", n.getText());
          provenance(n);
        })
        .Case<ConditionOp>([&](ConditionOp c) {
          os << "\"COND\"";
          field("kind", stringifyConditionKind(c.getKind()));
          field("index", c.getIndex());
          if (c.getNegated())
            os << ", \"negated\": true";
          if (auto label = c.getLabel())
            field("label", *label);
          provenance(c);
          auto nested = [&](Block &block) {
            os << '[';
            body(block, indentation + 2, /*withEnd=*/false);
            if (!block.without_terminator().empty())
              indent(indentation);
            os << ']';
          };
          key("ops");
          nested(c.getThenBlock());
          // An else body is written even when empty: IR -> JSON -> IR keeps
          // it exactly.
          if (Block *elseBlock = c.getElseBlock()) {
            key("else");
            nested(*elseBlock);
          }
        })
        .Case<EndOp>([&](EndOp) { os << "\"END\""; });
    os << '}';
  }

  /// The operations of a block, one per line at `indentation`.
  void body(Block &block, unsigned indentation, bool withEnd,
            std::optional<uint64_t> prologue = std::nullopt) {
    bool first = true;
    auto next = [&] {
      os << (first ? "\n" : ",\n");
      first = false;
      indent(indentation);
    };
    if (prologue) {
      next();
      os << "{\"op\": \"CFG\", \"addr\": " << kPrologueCommandOffset
         << ", \"data\": " << *prologue << '}';
    }
    for (Operation &o : block.without_terminator()) {
      // 1.0 has no notes; they are annotations the device never sees.
      if (!v11 && isa<NoteOp>(o))
        continue;
      // 1.0 has no block write: it is exactly its writes, in order.
      if (auto bw = dyn_cast<BlockWriteOp>(o); bw && !v11) {
        uint64_t addr = bw.getLocation().getOffset();
        for (int64_t v : bw.getValues()) {
          next();
          os << "{\"op\": \"MMIO\", \"addr\": " << addr
             << ", \"data\": " << uint64_t(v) << '}';
          addr += bw.getStride();
        }
        continue;
      }
      next();
      op(&o, indentation);
    }
    if (withEnd) {
      next();
      os << "{\"op\": \"END\"}";
    }
    if (!first)
      os << '\n';
  }

  raw_ostream &os;
  bool v11;
};

class Exporter {
public:
  Exporter(SequenceOp seq, const InitSeqJSONExportOptions &options)
      : seq(seq), options(options) {}

  LogicalResult run(raw_ostream &os);

private:
  LogicalResult resolveMetadata();
  /// Why 1.0 cannot express `op` (empty when it can); fills `entry`.
  std::string whyNotV10(Operation *op, V10Entry &entry);
  /// Checks that 1.0 can hold the sequence; with `emit`, reports the first
  /// operation it cannot express, or every violated rule.
  bool fitsV10(bool emit);
  /// Checks what 1.1 needs (nesting, UTF-8, ranges) of `block`.
  LogicalResult checkV11(Block &block, unsigned depth);
  void write(raw_ostream &os, bool v11);

  SequenceOp seq;
  const InitSeqJSONExportOptions &options;
  Metadata md;
  std::optional<uint64_t> prologue;
  uint64_t numOps = 0;
};

} // namespace

/// The current UTC time as RFC 3339.
static std::string nowRFC3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

static StringRef strAttr(Operation *op, StringRef name) {
  if (auto s = op->getAttrOfType<StringAttr>(name))
    return s.getValue();
  return {};
}

LogicalResult Exporter::resolveMetadata() {
  auto bad = [&](StringRef what, StringRef value, StringRef expect) {
    return emitError(seq.getLoc()) << what << " \"" << value << "\" " << expect;
  };

  // Source-ROM-SHA1: the sequence's sha1, or the option when it has none.
  std::optional<StringRef> own = seq.getSha1();
  if (!options.romSha1.empty() && !isSha1(options.romSha1))
    return bad("--initseq-json-rom-sha1", options.romSha1,
               "is not 40 lowercase hex digits");
  if (own && !options.romSha1.empty() && *own != options.romSha1)
    return emitError(seq.getLoc())
           << "sequence @" << seq.getSymName() << " has sha1 \"" << *own
           << "\" but --initseq-json-rom-sha1 gives \"" << options.romSha1
           << "\"";
  if (own)
    md.sha1 = own->str();
  else if (!options.romSha1.empty())
    md.sha1 = options.romSha1;
  else
    return emitError(seq.getLoc())
           << "sequence @" << seq.getSymName()
           << " has no sha1 attribute: Source-ROM-SHA1 is required; give it "
              "with --initseq-json-rom-sha1=<40 lowercase hex digits>";

  // Card-SKU: option, else the attribute an import kept, else the name.
  md.cardSku = options.cardSku;
  if (md.cardSku.empty())
    md.cardSku = strAttr(seq, "initseq.card_sku").str();
  if (md.cardSku.empty())
    md.cardSku = cardSkuFromName(seq.getSymName());
  if (!isCardSku(md.cardSku))
    return bad("Card-SKU", md.cardSku, "does not match [A-Za-z0-9_]+");

  md.generated = options.generated.empty() ? nowRFC3339() : options.generated;
  if (!isRFC3339DateTime(md.generated))
    return bad("--initseq-json-generated", md.generated,
               "is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)");

  md.copyright = options.copyright;
  if (md.copyright.empty())
    md.copyright = strAttr(seq, "initseq.spdx_copyright").str();
  if (md.copyright.empty())
    md.copyright = md.generated.substr(0, 4) + " The gpuinit authors";
  if (!isCopyrightText(md.copyright) || !llvm::json::isUTF8(md.copyright))
    return bad("SPDX-FileCopyrightText", md.copyright,
               "must be UTF-8 starting with a 4-digit year and a space");

  md.url = options.romUrl;
  if (md.url.empty())
    md.url = strAttr(seq, "initseq.source_rom_url").str();
  if (!md.url.empty() && (!isURI(md.url) || !llvm::json::isUTF8(md.url)))
    return bad("Source-ROM-URL", md.url, "is not an absolute URI");

  md.pipelineVersion = options.pipelineVersion.empty()
                           ? std::string(kInitSeqJSONPipelineVersion)
                           : options.pipelineVersion;
  if (!isPipelineVersion(md.pipelineVersion))
    return bad("Pipeline-Version", md.pipelineVersion,
               "is not \"<major>.<minor>\"");
  return success();
}

static std::string hexStr(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 0);
  return s;
}

std::string Exporter::whyNotV10(Operation *op, V10Entry &entry) {
  auto checkMmio32 = [&](RegAttr loc, unsigned bits,
                         StringRef what) -> std::string {
    if (loc.getSpace() != AddressSpace::mmio)
      return (what + " in " + stringifyAddressSpace(loc.getSpace()) +
              " space (1.0 only has BAR0 MMIO)")
          .str();
    if (loc.getBar() != 0)
      return (what + " on BAR" + Twine(loc.getBar()) + " (1.0 only has BAR0)")
          .str();
    if (bits != 32)
      return (Twine("a ") + Twine(bits) + "-bit " + what +
              " (1.0 accesses are 32-bit)")
          .str();
    if (loc.getOffset() > kV10MaxMmioAddr)
      return (what + " at offset " + hexStr(loc.getOffset()) +
              " (1.0 MMIO offsets are below 0x1000000)")
          .str();
    entry.addr = loc.getOffset();
    return "";
  };
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case<WriteOp>([&](WriteOp w) -> std::string {
        RegAttr loc = w.getLocation();
        unsigned bits = w.getWidth().getWidth();
        if (loc.getSpace() == AddressSpace::cfg) {
          entry.kind = V10Kind::Cfg;
          if (bits != 32)
            return "a " + std::to_string(bits) +
                   "-bit configuration write (1.0 CFG writes are 32-bit)";
          if (loc.getOffset() > kV10MaxCfgAddr)
            return "a configuration write at offset " +
                   hexStr(loc.getOffset()) + " (1.0 CFG offsets are 0..255)";
          entry.addr = loc.getOffset();
          return "";
        }
        entry.kind = V10Kind::Mmio;
        return checkMmio32(loc, bits, "write");
      })
      .Case<PollOp>([&](PollOp p) -> std::string {
        entry.kind = V10Kind::Poll;
        std::string why =
            checkMmio32(p.getLocation(), p.getWidth().getWidth(), "poll");
        if (!why.empty())
          return why;
        if (p.getCompare() != Compare::eq)
          return "a poll with a not-equal compare (1.0 polls wait for "
                 "equality)";
        uint64_t ns = p.getTimeoutNs();
        entry.timeoutUs = ns / 1000 + (ns % 1000 != 0);
        if (entry.timeoutUs > kV10MaxTimeoutUs)
          return "a poll timeout of " + formatDuration(int64_t(ns)) +
                 " (1.0 POLL timeouts are 1 us..10 s)";
        return "";
      })
      .Case<DelayOp>([&](DelayOp d) -> std::string {
        entry.kind = V10Kind::Delay;
        entry.ns = d.getNs();
        if (entry.ns < kV10MinDelayNs || entry.ns > kV10MaxDelayNs)
          return "a delay of " + formatDuration(int64_t(entry.ns)) +
                 " (1.0 DELAY is 1 us..1 s and is never rounded)";
        return "";
      })
      .Case<RmwOp>([](RmwOp) { return "a read-modify-write"; })
      .Case<ReadOp>([](ReadOp) { return "a read"; })
      .Case<BlockWriteOp>([&](BlockWriteOp bw) -> std::string {
        // Exported as one MMIO operation per value (see fitsV10).
        entry.kind = V10Kind::Mmio;
        RegAttr loc = bw.getLocation();
        uint64_t last =
            loc.getOffset() + (bw.getValues().size() - 1) * bw.getStride();
        std::string why = checkMmio32(loc.withOffset(last),
                                      bw.getWidth().getWidth(), "block write");
        if (!why.empty())
          return why;
        entry.addr = loc.getOffset();
        return "";
      })
      .Case<ConditionOp>([](ConditionOp) { return "a run-time condition"; })
      .Case<OpaqueOp>([](OpaqueOp o) {
        return ("an unresolved source operation (opaque \"" + o.getKind() +
                "\")")
            .str();
      })
      .Default([](Operation *) {
        return "not an operation init-sequence JSON can hold";
      });
}

bool Exporter::fitsV10(bool emit) {
  std::vector<V10Entry> entries;
  std::vector<Operation *> ops;
  if (prologue) {
    V10Entry e;
    e.kind = V10Kind::Cfg;
    e.name = "CFG";
    e.addr = kPrologueCommandOffset;
    entries.push_back(e);
    ops.push_back(nullptr);
  }
  for (Operation &op : seq.getBodyBlock().without_terminator()) {
    if (isa<NoteOp>(op))
      continue;
    V10Entry e;
    std::string why = whyNotV10(&op, e);
    if (!why.empty()) {
      if (emit)
        emitError(op.getLoc())
            << "operation #" << entries.size() << " ('"
            << op.getName().getStringRef()
            << "') cannot be expressed in init-sequence JSON 1.0: " << why
            << "; export it as 1.1 (--initseq-json-version=1.1 or auto)";
      return false;
    }
    e.name = v10KindName(e.kind);
    if (auto bw = dyn_cast<BlockWriteOp>(op)) {
      for (size_t i = 0, n = bw.getValues().size(); i < n; ++i) {
        entries.push_back(e);
        ops.push_back(&op);
        e.addr += bw.getStride();
      }
      continue;
    }
    entries.push_back(e);
    ops.push_back(&op);
  }
  if (seq.getIncomplete()) {
    if (emit)
      emitError(seq.getLoc())
          << "sequence @" << seq.getSymName()
          << " is incomplete (its source lost events), which 1.0 cannot "
             "say; export it as 1.1 (--initseq-json-version=1.1 or auto)";
    return false;
  }
  V10Entry end;
  end.kind = V10Kind::End;
  end.name = "END";
  entries.push_back(end);
  ops.push_back(seq.getBodyBlock().getTerminator());

  unsigned reported = 0;
  return checkV10Rules(
      entries, [&](uint64_t index, StringRef field, const std::string &msg) {
        if (!emit)
          return false;
        Operation *op = index < ops.size() ? ops[index] : nullptr;
        InFlightDiagnostic diag =
            emitError(op ? op->getLoc() : seq.getLoc())
            << "init-sequence JSON 1.0 rule violated at operation #" << index;
        if (index < entries.size())
          diag << " (" << entries[index].name << ")";
        if (!field.empty())
          diag << ", field '" << field << "'";
        diag << ": " << msg;
        if (index == 0 && !prologue && field == "op")
          diag << " (--initseq-json-prologue adds the PCI command-register "
                  "enable when the sequence has no configuration write)";
        return ++reported < 20;
      });
}

LogicalResult Exporter::checkV11(Block &block, unsigned depth) {
  auto utf8 = [&](Operation *op, StringRef what, StringRef s) -> LogicalResult {
    if (llvm::json::isUTF8(s))
      return success();
    return op->emitError() << what
                           << " is not valid UTF-8, which JSON "
                              "strings must be";
  };
  auto i64 = [&](Operation *op, StringRef what,
                 std::optional<uint64_t> v) -> LogicalResult {
    if (!v || *v <= kV11MaxI64)
      return success();
    return op->emitError() << what << " " << *v
                           << " does not fit init-sequence JSON 1.1's "
                              "signed 64-bit range";
  };
  for (Operation &op : block.without_terminator()) {
    if (++numOps > kInitSeqJSONMaxOps)
      return op.emitError() << "more than " << kInitSeqJSONMaxOps
                            << " operations: the JSON importer's limit";
    // Provenance fits by the ops' verifiers; the rest is checked here.
    LogicalResult r = success();
    llvm::TypeSwitch<Operation *>(&op)
        .Case<WriteOp, RmwOp, ReadOp, BlockWriteOp>([](auto) {})
        .Case<DelayOp>([&](DelayOp d) { r = i64(d, "delay", d.getNs()); })
        .Case<PollOp>([&](PollOp p) {
          r = i64(p, "timeout", p.getTimeoutNs());
          if (succeeded(r))
            r = i64(p, "observed duration", p.getTookNs());
        })
        .Case<OpaqueOp>([&](OpaqueOp o) {
          r = utf8(o, "opaque kind", o.getKind());
          if (succeeded(r) && o.getBytes())
            r = utf8(o, "opaque bytes", *o.getBytes());
        })
        .Case<NoteOp>([&](NoteOp n) { r = utf8(n, "note text", n.getText()); })
        .Case<ConditionOp>([&](ConditionOp c) {
          r = i64(c, "condition index", c.getIndex());
          if (succeeded(r) && c.getLabel())
            r = utf8(c, "condition label", *c.getLabel());
          if (succeeded(r) && depth + 1 > kInitSeqJSONMaxConditionDepth)
            r = c.emitError() << "conditions nest deeper than "
                              << kInitSeqJSONMaxConditionDepth
                              << " levels, the JSON importer's limit";
          if (succeeded(r))
            r = checkV11(c.getThenBlock(), depth + 1);
          if (succeeded(r) && c.hasElse())
            r = checkV11(*c.getElseBlock(), depth + 1);
        })
        .Default([&](Operation *other) {
          r = other->emitError()
              << "cannot be exported as init-sequence JSON: not an access, "
                 "delay, condition, opaque or note of the initseq dialect";
        });
    if (failed(r))
      return failure();
  }
  return success();
}

void Exporter::write(raw_ostream &os, bool v11) {
  Writer w(os, v11);
  os << "{\n  \"schema_version\": \"" << (v11 ? "1.1" : "1.0")
     << "\",\n  \"_metadata\": {\n    \"SPDX-FileCopyrightText\": ";
  w.string(md.copyright);
  os << ",\n    \"SPDX-License-Identifier\": \"CC0-1.0\",\n"
     << "    \"Source-ROM-SHA1\": \"" << md.sha1 << "\",\n";
  if (!md.url.empty()) {
    os << "    \"Source-ROM-URL\": ";
    w.string(md.url);
    os << ",\n";
  }
  os << "    \"Generated\": \"" << md.generated << "\",\n"
     << "    \"Pipeline-Version\": \"" << md.pipelineVersion << "\",\n"
     << "    \"Card-SKU\": \"" << md.cardSku << "\"\n  },\n";
  if (v11) {
    if (seq.getSymName() != md.cardSku) {
      os << "  \"name\": ";
      w.string(seq.getSymName());
      os << ",\n";
    }
    if (seq.getVendor() && seq.getDevice())
      os << "  \"pci\": {\"vendor\": " << *seq.getVendor()
         << ", \"device\": " << *seq.getDevice() << "},\n";
    if (auto origin = seq.getOrigin())
      os << "  \"origin\": \"" << stringifyOrigin(*origin) << "\",\n";
    if (seq.getIncomplete())
      os << "  \"incomplete\": true,\n";
  }
  os << "  \"init_sequence\": [";
  w.body(seq.getBodyBlock(), 4, /*withEnd=*/true, prologue);
  os << "  ]\n}\n";
}

/// True when `op` or an op nested in it satisfies `pred`.
static bool anyNested(Operation *root, function_ref<bool(Operation *)> pred) {
  return root
      ->walk([&](Operation *op) {
        return pred(op) ? WalkResult::interrupt() : WalkResult::advance();
      })
      .wasInterrupted();
}

LogicalResult Exporter::run(raw_ostream &os) {
  if (failed(resolveMetadata()))
    return failure();

  if (options.prologue) {
    bool hasCfgWrite = anyNested(seq, [](Operation *op) {
      if (!isa<WriteOp, RmwOp, BlockWriteOp>(op))
        return false;
      std::optional<AccessInfo> info = getAccessInfo(op);
      return info && info->location.getSpace() == AddressSpace::cfg;
    });
    bool usesIO = anyNested(seq, [](Operation *op) {
      if (auto cond = dyn_cast<ConditionOp>(op))
        return cond.getKind() == ConditionKind::io_condition ||
               cond.getKind() == ConditionKind::io_flag_condition;
      std::optional<AccessInfo> info = getAccessInfo(op);
      return info && (info->location.getSpace() == AddressSpace::io ||
                      info->location.getSpace() == AddressSpace::idxio);
    });
    if (!hasCfgWrite)
      prologue = usesIO ? kPrologueCommandMemoryIO : kPrologueCommandMemory;
  }

  bool v11 = false;
  switch (options.version) {
  case InitSeqJSONVersion::V1_0:
    if (!fitsV10(/*emit=*/true))
      return failure();
    break;
  case InitSeqJSONVersion::Auto:
    v11 = !fitsV10(/*emit=*/false);
    break;
  case InitSeqJSONVersion::V1_1:
    v11 = true;
    break;
  }
  if (v11) {
    if (!llvm::json::isUTF8(seq.getSymName()))
      return seq.emitError("sequence name is not valid UTF-8");
    if (failed(checkV11(seq.getBodyBlock(), 0)))
      return failure();
  }
  write(os, v11);
  return success();
}

LogicalResult
gpuinit::exportInitSeqJSON(Operation *op, raw_ostream &os,
                           const InitSeqJSONExportOptions &options) {
  FailureOr<SequenceOp> seq =
      selectSequence(op, options.sequence, "--initseq-json-sequence");
  if (failed(seq))
    return failure();
  return Exporter(*seq, options).run(os);
}
