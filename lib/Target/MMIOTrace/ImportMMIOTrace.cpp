//===- ImportMMIOTrace.cpp - Linux mmiotrace log to initseq ---------------===//
//
// Reads an mmiotrace text log (shared/specs/mmiotrace.md) with StringRef views,
// without allocating per line, and builds one initseq.sequence per PCI device
// the log accesses, with BAR-relative registers and trace timestamps.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/MMIOTrace.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>
#include <functional>
#include <optional>
#include <thread>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::initseq;

namespace {

/// The only format version the spec describes.
constexpr StringLiteral kTraceVersion = "20070824";
/// PCIDEV lists resources 0..5 (the BARs) and 6 (the expansion ROM).
constexpr unsigned kNumResources = 7;
constexpr unsigned kRomResource = 6;
/// Map ids are printed with %d by the kernel.
constexpr uint64_t kMaxMapId = INT32_MAX;
/// UNKNOWN records reported one by one before the rest are only counted.
constexpr unsigned kMaxUnknownWarnings = 10;

enum class NumStatus { Ok, Bad, TooBig };

/// Parses `[0-9a-fA-F]+` that fits 64 bits.
NumStatus parseHexDigits(StringRef s, uint64_t &value) {
  if (s.empty())
    return NumStatus::Bad;
  uint64_t v = 0;
  bool tooBig = false;
  for (char c : s) {
    unsigned d = llvm::hexDigitValue(c);
    if (d == ~0U)
      return NumStatus::Bad;
    if (v >> 60)
      tooBig = true;
    v = v << 4 | d;
  }
  if (tooBig)
    return NumStatus::TooBig;
  value = v;
  return NumStatus::Ok;
}

/// Parses `[0-9]+` that fits 64 bits.
NumStatus parseDecDigits(StringRef s, uint64_t &value) {
  if (s.empty())
    return NumStatus::Bad;
  uint64_t v = 0;
  bool tooBig = false;
  for (char c : s) {
    if (c < '0' || c > '9')
      return NumStatus::Bad;
    unsigned d = c - '0';
    if (v > (UINT64_MAX - d) / 10)
      tooBig = true;
    v = v * 10 + d;
  }
  if (tooBig)
    return NumStatus::TooBig;
  value = v;
  return NumStatus::Ok;
}

/// Parses `seconds.microseconds` (six digits after the point) into ns.
NumStatus parseTimestamp(StringRef tok, int64_t &ns) {
  auto [secText, usecText] = tok.split('.');
  uint64_t sec = 0, usec = 0;
  NumStatus secStatus = parseDecDigits(secText, sec);
  if (usecText.size() != 6 || parseDecDigits(usecText, usec) != NumStatus::Ok ||
      secStatus == NumStatus::Bad)
    return NumStatus::Bad;
  constexpr uint64_t maxSec = (uint64_t(INT64_MAX) - 999999000) / 1000000000;
  if (secStatus == NumStatus::TooBig || sec > maxSec)
    return NumStatus::TooBig;
  ns = int64_t(sec * 1000000000 + usec * 1000);
  return NumStatus::Ok;
}

/// The single-space separated fields of one line, consumed left to right.
class Fields {
public:
  explicit Fields(StringRef line) : rest(line), lineEnd(line.end()) {}

  /// Takes the next field (possibly empty, between two spaces); false when
  /// the line has no more fields.
  bool take(StringRef &field) {
    if (exhausted)
      return false;
    size_t space = rest.find(' ');
    if (space == StringRef::npos) {
      field = rest;
      rest = {};
      exhausted = true;
    } else {
      field = rest.take_front(space);
      rest = rest.drop_front(space + 1);
    }
    return true;
  }
  /// Takes everything left on the line (MARK text, PCIDEV driver name).
  StringRef takeRest() {
    StringRef r = exhausted ? StringRef(lineEnd, 0) : rest;
    rest = {};
    exhausted = true;
    return r;
  }
  /// Where a missing field would have started.
  const char *end() const { return lineEnd; }

private:
  StringRef rest;
  const char *lineEnd;
  bool exhausted = false;
};

/// Calls `fn(line, lineStart, lastWithoutNewline)` for each line of
/// `buffer`, without its terminator and trailing blanks, until it returns
/// false.
template <typename Fn> void scanLines(StringRef buffer, Fn &&fn) {
  const char *p = buffer.begin(), *end = buffer.end();
  while (p < end) {
    const char *nl =
        static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
    const char *lineEnd = nl ? nl : end;
    StringRef line(p, size_t(lineEnd - p));
    if (!fn(line.rtrim(" \t\r"), p, /*lastWithoutNewline=*/!nl))
      return;
    p = nl ? nl + 1 : end;
  }
}

/// One memory resource of a PCIDEV line: BAR 0..5 or the ROM (6).
struct Resource {
  uint64_t base = 0, size = 0;
  unsigned device = 0, index = 0;
};

/// A PCIDEV line.
struct Device {
  unsigned bus = 0, devfn = 0, vendor = 0, id = 0, line = 0;
  StringRef fields, driver;
  bool selected = true;
  std::string name;
  /// Created at the first access.
  SequenceOp seq;
};

/// A MAP record (kept after its UNMAP for better diagnostics).
struct Mapping {
  uint64_t phys = 0, len = 0;
  unsigned line = 0, unmapLine = 0;
  bool active = false;
  /// Last address segment an access through this mapping fell in.
  size_t segment = 0;
};

/// A maximal address range owned by no resource (-1), by exactly one
/// (its index) or by several (-2); it ends where the next segment starts.
struct Segment {
  uint64_t start;
  int64_t owner;
};

/// A MARK, replayed into sequences created after it.
struct Note {
  StringRef text;
  int64_t ts;
  unsigned line;
};

/// The importer of one log: two passes over the lines (PCIDEV lines may
/// follow the first events), then one builder appending ops in log order.
class Importer {
public:
  Importer(llvm::SourceMgr &sourceMgr, MLIRContext *context,
           const MMIOTraceImportOptions &options)
      : ctx(context), options(options), builder(context),
        fileLoc(UnknownLoc::get(context)) {
    const llvm::MemoryBuffer *mb =
        sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
    buffer = mb->getBuffer();
    fileName = StringAttr::get(ctx, mb->getBufferIdentifier());
    fileLoc = FileLineColLoc::get(fileName, 0, 0);
  }

  OwningOpRef<ModuleOp> run();

private:
  // Line iteration and diagnostics.
  template <typename Fn> LogicalResult forEachLine(Fn &&fn);
  Location locAt(const char *pos) const {
    return FileLineColLoc::get(fileName, lineNo, unsigned(pos - lineStart) + 1);
  }
  Location lineLoc() const { return FileLineColLoc::get(fileName, lineNo, 1); }
  /// The location of an op built from the current record.
  Location opLoc() const { return options.lineLocations ? lineLoc() : fileLoc; }
  InFlightDiagnostic error(const char *pos) {
    return mlir::emitError(locAt(pos)) << "malformed " << record << " record: ";
  }

  // Fields.
  LogicalResult take(Fields &f, StringRef &tok, const char *what);
  LogicalResult hexField(Fields &f, const char *what, uint64_t &value,
                         StringRef *tok = nullptr);
  LogicalResult decField(Fields &f, const char *what, uint64_t max,
                         uint64_t &value, StringRef *tok = nullptr);
  LogicalResult timestampField(Fields &f, int64_t &ns);
  LogicalResult endOfRecord(Fields &f);

  // Pass 1.
  LogicalResult scanHeaderLine(StringRef line, bool lastWithoutNewline);
  LogicalResult parsePciDev(Fields &f);
  void buildSegments();
  LogicalResult selectDevices();

  // Pass 2.
  LogicalResult importLine(StringRef line);
  LogicalResult parseAccess(Fields &f, bool isWrite);
  LogicalResult parseUnknown(Fields &f);
  LogicalResult parseMap(Fields &f);
  LogicalResult parseUnmap(Fields &f);
  LogicalResult parseMark(Fields &f);
  LogicalResult resolve(uint64_t mapId, StringRef mapTok, uint64_t phys,
                        StringRef physTok, unsigned bytes, int64_t &resource,
                        uint64_t &offset);
  LogicalResult countRecord();

  // Building.
  LogicalResult insertInto(Device &d);
  LogicalResult countNotes(size_t count);
  void addNote(const Note &note);
  IntegerAttr valueAttr(uint64_t value);
  RegAttr regAttr(unsigned bar, uint64_t offset);

  MLIRContext *ctx;
  const MMIOTraceImportOptions &options;
  OpBuilder builder;
  StringRef buffer;
  StringAttr fileName;
  /// `file:0:0`, the location of every op without --mmiotrace-line-locations.
  Location fileLoc;
  OwningOpRef<ModuleOp> module;

  unsigned lineNo = 0;
  const char *lineStart = nullptr;
  /// The record kind being parsed, for messages.
  StringRef record;

  SmallVector<Device> devices;
  DenseMap<unsigned, unsigned> deviceByAddress;
  std::vector<Resource> resources;
  std::vector<Segment> segments;
  DenseMap<uint64_t, Mapping> mappings;
  SmallVector<Note> notes;
  /// Devices with a sequence, in the order of their first access.
  SmallVector<Device *> imported;
  /// Note ops built: every MARK goes into every sequence.
  uint64_t noteOps = 0;
  /// The device ops are currently appended to.
  Device *current = nullptr;
  TypeAttr widthTypes[9];
  /// Local caches in front of the context's uniquer, which is slow once it
  /// holds millions of attributes.
  DenseMap<uint64_t, IntegerAttr> values;
  DenseMap<uint64_t, RegAttr> regs;

  uint64_t records = 0;
  bool sawVersion = false, lostEvents = false;
  unsigned unrecognised = 0, firstUnrecognised = 0;
  unsigned unmatchedUnmaps = 0, firstUnmatchedUnmap = 0;
  unsigned skippedNonPCI = 0, firstSkippedNonPCI = 0;
  unsigned unknownRecords = 0, firstUnknown = 0;
};

} // namespace

//===----------------------------------------------------------------------===//
// Lines and fields
//===----------------------------------------------------------------------===//

template <typename Fn> LogicalResult Importer::forEachLine(Fn &&fn) {
  lineNo = 0;
  LogicalResult result = success();
  scanLines(buffer, [&](StringRef line, const char *start, bool last) {
    ++lineNo;
    lineStart = start;
    result = fn(line, last);
    return succeeded(result);
  });
  return result;
}

LogicalResult Importer::take(Fields &f, StringRef &tok, const char *what) {
  if (!f.take(tok))
    return error(f.end()) << "missing " << what;
  if (tok.empty())
    return error(tok.data())
           << "empty " << what << " (fields are separated by one space)";
  return success();
}

LogicalResult Importer::hexField(Fields &f, const char *what, uint64_t &value,
                                 StringRef *tokOut) {
  StringRef tok;
  if (failed(take(f, tok, what)))
    return failure();
  if (tokOut)
    *tokOut = tok;
  StringRef digits = tok;
  if (!digits.consume_front("0x"))
    return error(tok.data())
           << "bad " << what << " '" << tok << "' (expected 0x and hex digits)";
  switch (parseHexDigits(digits, value)) {
  case NumStatus::Ok:
    return success();
  case NumStatus::Bad:
    return error(tok.data())
           << "bad " << what << " '" << tok << "' (expected 0x and hex digits)";
  case NumStatus::TooBig:
    return error(tok.data())
           << what << " '" << tok << "' does not fit in 64 bits";
  }
  return failure();
}

LogicalResult Importer::decField(Fields &f, const char *what, uint64_t max,
                                 uint64_t &value, StringRef *tokOut) {
  StringRef tok;
  if (failed(take(f, tok, what)))
    return failure();
  if (tokOut)
    *tokOut = tok;
  switch (parseDecDigits(tok, value)) {
  case NumStatus::Ok:
    if (value <= max)
      return success();
    [[fallthrough]];
  case NumStatus::TooBig:
    return error(tok.data())
           << what << " '" << tok << "' is larger than " << max;
  case NumStatus::Bad:
    return error(tok.data())
           << "bad " << what << " '" << tok << "' (expected a decimal number)";
  }
  return failure();
}

LogicalResult Importer::timestampField(Fields &f, int64_t &ns) {
  StringRef tok;
  if (failed(take(f, tok, "timestamp")))
    return failure();
  switch (parseTimestamp(tok, ns)) {
  case NumStatus::Ok:
    return success();
  case NumStatus::Bad:
    return error(tok.data())
           << "bad timestamp '" << tok
           << "' (expected seconds.microseconds with six digits after the "
              "point)";
  case NumStatus::TooBig:
    return error(tok.data())
           << "timestamp '" << tok << "' does not fit in 64-bit nanoseconds";
  }
  return failure();
}

LogicalResult Importer::endOfRecord(Fields &f) {
  StringRef tok;
  if (f.take(tok))
    return error(tok.data()) << "unexpected field '" << tok << "'";
  return success();
}

LogicalResult Importer::countRecord() {
  if (++records <= options.maxRecords)
    return success();
  return mlir::emitError(lineLoc())
         << "the trace has more than " << options.maxRecords
         << " records (--mmiotrace-max-records)";
}

/// `bb:dd.f` of a device, as lspci prints it.
static std::string busAddress(const Device &d) {
  std::string s;
  llvm::raw_string_ostream(s)
      << llvm::format("%02x:%02x.%x", d.bus, d.devfn >> 3, d.devfn & 7);
  return s;
}

/// `vvvv:dddd` of a device.
static std::string pciId(const Device &d) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%04x:%04x", d.vendor, d.id);
  return s;
}

//===----------------------------------------------------------------------===//
// Pass 1: VERSION, PCIDEV, limits, truncation
//===----------------------------------------------------------------------===//

/// Records the importer understands; other lines are unrecognised.
static bool isRecordKeyword(StringRef kw) {
  return kw == "R" || kw == "W" || kw == "MAP" || kw == "UNMAP" ||
         kw == "MARK" || kw == "UNKNOWN" || kw == "PCIDEV" || kw == "VERSION" ||
         kw == "LSPCI";
}

LogicalResult Importer::scanHeaderLine(StringRef line,
                                       bool lastWithoutNewline) {
  if (line.size() > options.maxLineLength)
    return mlir::emitError(lineLoc())
           << "line is " << line.size() << " bytes long, more than "
           << options.maxLineLength << " (--mmiotrace-max-line-length)";
  Fields f(line);
  StringRef kw;
  f.take(kw);
  if (lastWithoutNewline && isRecordKeyword(kw))
    return mlir::emitError(
               FileLineColLoc::get(fileName, lineNo, unsigned(line.size()) + 1))
           << "truncated trace: the last " << kw
           << " record has no line terminator";
  if (kw == "VERSION") {
    sawVersion = true;
    StringRef version = f.takeRest();
    if (version != kTraceVersion)
      mlir::emitWarning(locAt(version.data()))
          << "mmiotrace version '" << version << "' is not " << kTraceVersion
          << "; importing anyway";
    return success();
  }
  if (kw == "PCIDEV") {
    record = kw;
    return parsePciDev(f);
  }
  return success();
}

LogicalResult Importer::parsePciDev(Fields &f) {
  StringRef tok;
  Device d;
  d.line = lineNo;
  uint64_t v;
  if (failed(take(f, tok, "bus/devfn")))
    return failure();
  d.fields = StringRef(tok.data(), size_t(f.end() - tok.data()));
  if (tok.size() != 4 || parseHexDigits(tok, v) != NumStatus::Ok)
    return error(tok.data())
           << "bad bus/devfn '" << tok << "' (expected 4 hex digits)";
  d.bus = unsigned(v >> 8);
  d.devfn = unsigned(v & 0xff);
  if (failed(take(f, tok, "vendor/device id")))
    return failure();
  if (tok.size() != 8 || parseHexDigits(tok, v) != NumStatus::Ok)
    return error(tok.data())
           << "bad vendor/device id '" << tok << "' (expected 8 hex digits)";
  d.vendor = unsigned(v >> 16);
  d.id = unsigned(v & 0xffff);
  if (failed(take(f, tok, "IRQ")))
    return failure();
  if (parseHexDigits(tok, v) != NumStatus::Ok)
    return error(tok.data()) << "bad IRQ '" << tok << "' (expected hex)";

  uint64_t start[kNumResources], size[kNumResources];
  const char *startPos[kNumResources];
  for (unsigned pass = 0; pass < 2; ++pass) {
    for (unsigned i = 0; i < kNumResources; ++i) {
      const char *what = pass == 0 ? "resource start" : "resource size";
      if (failed(take(f, tok, what)))
        return failure();
      uint64_t &out = pass == 0 ? start[i] : size[i];
      NumStatus st = parseHexDigits(tok, out);
      if (st == NumStatus::Bad)
        return error(tok.data()) << "bad " << what << " " << i << " '" << tok
                                 << "' (expected hex without 0x)";
      if (st == NumStatus::TooBig)
        return error(tok.data()) << what << " " << i << " '" << tok
                                 << "' does not fit in 64 bits";
      if (pass == 0)
        startPos[i] = tok.data();
    }
  }
  d.driver = f.takeRest();

  auto [it, inserted] =
      deviceByAddress.try_emplace((d.bus << 8) | d.devfn, devices.size());
  if (!inserted) {
    const Device &prev = devices[it->second];
    if (prev.fields == d.fields)
      return success();
    return mlir::emitError(lineLoc())
           << "PCIDEV " << busAddress(d)
           << " was described differently at line " << prev.line;
  }
  unsigned devIndex = devices.size();
  for (unsigned i = 0; i < kNumResources; ++i) {
    // Resources 0..5 with flag bit 0 are I/O ports, which mmiotrace never
    // logs; an MMIO address must not be matched against port numbers.
    if (size[i] == 0 || (i != kRomResource && (start[i] & 1)))
      continue;
    uint64_t base = start[i] & ~uint64_t(0xf);
    if (size[i] - 1 > UINT64_MAX - base)
      return error(startPos[i])
             << "resource " << i << " at 0x" << llvm::utohexstr(base, true)
             << " of size 0x" << llvm::utohexstr(size[i], true)
             << " runs past the end of the 64-bit address space";
    resources.push_back({base, size[i], devIndex, i});
  }
  devices.push_back(std::move(d));
  return success();
}

/// Splits the address space into segments owned by none, one or several
/// resources, so that an access finds its BAR with one binary search.
void Importer::buildSegments() {
  struct Edge {
    uint64_t addr;
    bool open;
    uint64_t resource;
  };
  std::vector<Edge> edges;
  edges.reserve(resources.size() * 2);
  for (auto [i, r] : llvm::enumerate(resources)) {
    edges.push_back({r.base, true, i});
    uint64_t last = r.base + (r.size - 1);
    if (last != UINT64_MAX)
      edges.push_back({last + 1, false, i});
  }
  llvm::sort(edges,
             [](const Edge &a, const Edge &b) { return a.addr < b.addr; });
  segments.push_back({0, -1});
  // While exactly one resource is open, the sum of open indices is its index.
  uint64_t open = 0, sum = 0;
  for (size_t i = 0; i < edges.size();) {
    uint64_t addr = edges[i].addr;
    for (; i < edges.size() && edges[i].addr == addr; ++i) {
      if (edges[i].open) {
        ++open;
        sum += edges[i].resource;
      } else {
        --open;
        sum -= edges[i].resource;
      }
    }
    int64_t owner = open == 0 ? -1 : open == 1 ? int64_t(sum) : -2;
    if (segments.back().start == addr) {
      segments.back().owner = owner;
      if (segments.size() > 1 && segments[segments.size() - 2].owner == owner)
        segments.pop_back();
    } else if (segments.back().owner != owner) {
      segments.push_back({addr, owner});
    }
  }
}

LogicalResult Importer::selectDevices() {
  // Name sequences after the PCI id, adding the bus address when two
  // PCIDEV lines share the id; depends on the PCIDEV lines only.
  DenseMap<uint64_t, unsigned> idCount;
  for (const Device &d : devices)
    ++idCount[(uint64_t(d.vendor) << 16) | d.id];
  for (Device &d : devices) {
    llvm::raw_string_ostream os(d.name);
    os << llvm::format("trace_%04x_%04x", d.vendor, d.id);
    if (idCount[(uint64_t(d.vendor) << 16) | d.id] > 1)
      os << llvm::format("_%02x_%02x_%x", d.bus, d.devfn >> 3, d.devfn & 7);
  }
  if (options.device.empty())
    return success();

  StringRef sel = StringRef(options.device).trim();
  // The option, not a line of the trace, is at fault.
  Location optionLoc = UnknownLoc::get(ctx);
  auto listDevices = [&](InFlightDiagnostic &diag) {
    if (devices.empty()) {
      diag << "; the trace has no PCIDEV lines";
      return;
    }
    diag << "; devices in the trace:";
    for (auto [i, d] : llvm::enumerate(devices)) {
      diag << (i ? ", " : " ") << busAddress(d) << " " << pciId(d);
      if (!d.driver.empty())
        diag << " (" << d.driver << ")";
    }
  };
  auto hexIn = [](StringRef s, unsigned maxDigits, uint64_t max, uint64_t &v) {
    return !s.empty() && s.size() <= maxDigits &&
           parseHexDigits(s, v) == NumStatus::Ok && v <= max;
  };
  std::function<bool(const Device &)> match;
  if (sel.contains('.')) {
    // [dddd:]bb:dd.f
    StringRef rest = sel, domain, bus, slot, fn;
    if (rest.count(':') == 2)
      std::tie(domain, rest) = rest.split(':');
    std::tie(bus, rest) = rest.split(':');
    std::tie(slot, fn) = rest.split('.');
    uint64_t dom = 0, b, s, f;
    if ((!domain.empty() && !hexIn(domain, 4, 0, dom)) ||
        !hexIn(bus, 2, 0xff, b) || !hexIn(slot, 2, 0x1f, s) ||
        !hexIn(fn, 1, 7, f))
      return mlir::emitError(optionLoc)
             << "bad --mmiotrace-device '" << sel
             << "' (expected a bus address bb:dd.f or a PCI id vvvv:dddd, "
                "in hex)";
    unsigned bb = unsigned(b), devfn = unsigned(s << 3 | f);
    match = [=](const Device &d) { return d.bus == bb && d.devfn == devfn; };
  } else {
    auto [vendor, id] = sel.split(':');
    uint64_t v, i;
    if (vendor.size() != 4 || id.size() != 4 || !hexIn(vendor, 4, 0xffff, v) ||
        !hexIn(id, 4, 0xffff, i))
      return mlir::emitError(optionLoc)
             << "bad --mmiotrace-device '" << sel
             << "' (expected a bus address bb:dd.f or a PCI id vvvv:dddd, "
                "in hex)";
    match = [=](const Device &d) { return d.vendor == v && d.id == i; };
  }
  unsigned matches = 0;
  for (Device &d : devices) {
    d.selected = match(d);
    matches += d.selected;
  }
  if (matches == 1)
    return success();
  InFlightDiagnostic diag = mlir::emitError(optionLoc);
  if (matches == 0)
    diag << "no PCI device matches --mmiotrace-device=" << sel;
  else
    diag << "--mmiotrace-device=" << sel << " matches " << matches
         << " devices: select one by bus address";
  listDevices(diag);
  return diag;
}

//===----------------------------------------------------------------------===//
// Pass 2: records
//===----------------------------------------------------------------------===//

LogicalResult Importer::importLine(StringRef line) {
  Fields f(line);
  StringRef kw;
  f.take(kw);
  record = kw;
  if (kw == "R" || kw == "W")
    return parseAccess(f, kw[0] == 'W');
  if (kw == "MARK")
    return parseMark(f);
  if (kw == "MAP")
    return parseMap(f);
  if (kw == "UNMAP")
    return parseUnmap(f);
  if (kw == "UNKNOWN")
    return parseUnknown(f);
  // Done in pass 1, or information for human readers.
  if (kw == "PCIDEV" || kw == "VERSION" || kw == "LSPCI")
    return success();
  if (unrecognised++ == 0)
    firstUnrecognised = lineNo;
  return success();
}

/// Finds the mapping and the resource of an access of `bytes` bytes at
/// `phys`; `resource` is -1 for an access skipped as outside every PCIDEV
/// resource (--mmiotrace-skip-non-pci).
LogicalResult Importer::resolve(uint64_t mapId, StringRef mapTok, uint64_t phys,
                                StringRef physTok, unsigned bytes,
                                int64_t &resource, uint64_t &offset) {
  auto it = mappings.find(mapId);
  if (it == mappings.end() || !it->second.active) {
    InFlightDiagnostic diag = mlir::emitError(locAt(mapTok.data()))
                              << record << " through map id " << mapId;
    if (it == mappings.end())
      return diag << ", which no MAP record created";
    return diag << ", which was unmapped at line " << it->second.unmapLine
                << " (MAP at line " << it->second.line << ")";
  }
  Mapping &m = it->second;
  if (phys < m.phys || phys - m.phys > m.len || m.len - (phys - m.phys) < bytes)
    return mlir::emitError(locAt(physTok.data()))
           << record << " of " << bytes << " bytes at 0x"
           << llvm::utohexstr(phys, true) << " is outside map " << mapId
           << " [0x" << llvm::utohexstr(m.phys, true) << ", 0x"
           << llvm::utohexstr(m.phys + m.len, true) << ") created at line "
           << m.line;

  size_t seg = m.segment;
  if (!(segments[seg].start <= phys &&
        (seg + 1 == segments.size() || phys < segments[seg + 1].start))) {
    auto next =
        llvm::upper_bound(segments, phys, [](uint64_t addr, const Segment &s) {
          return addr < s.start;
        });
    seg = size_t(next - segments.begin()) - 1;
    m.segment = seg;
  }
  int64_t owner = segments[seg].owner;
  if (owner == -1) {
    if (options.skipNonPCI) {
      if (skippedNonPCI++ == 0)
        firstSkippedNonPCI = lineNo;
      resource = -1;
      return success();
    }
    return mlir::emitError(locAt(physTok.data()))
           << record << " at 0x" << llvm::utohexstr(phys, true)
           << " is not inside any PCIDEV resource (use "
              "--mmiotrace-skip-non-pci to leave such accesses out)";
  }
  if (owner == -2)
    return mlir::emitError(locAt(physTok.data()))
           << record << " at 0x" << llvm::utohexstr(phys, true)
           << " is inside resources of more than one PCIDEV line";
  const Resource &r = resources[size_t(owner)];
  offset = phys - r.base;
  if (r.size - offset < bytes)
    return mlir::emitError(locAt(physTok.data()))
           << record << " of " << bytes << " bytes at 0x"
           << llvm::utohexstr(phys, true) << " runs past the end of "
           << (r.index == kRomResource ? std::string("the ROM BAR")
                                       : "BAR" + std::to_string(r.index))
           << " of " << busAddress(devices[r.device]);
  if (r.index != kRomResource &&
      offset + bytes > addressSpaceLimit(AddressSpace::mmio))
    return mlir::emitError(locAt(physTok.data()))
           << record << " at BAR" << r.index << " offset 0x"
           << llvm::utohexstr(offset, true)
           << " is beyond the 2^40-byte MMIO space initseq represents";
  resource = owner;
  return success();
}

/// Makes `d`'s sequence, created on first use, the insertion point.
LogicalResult Importer::insertInto(Device &d) {
  if (current == &d)
    return success();
  current = &d;
  if (d.seq) {
    builder.setInsertionPoint(d.seq.getBodyBlock().getTerminator());
    return success();
  }
  if (failed(countNotes(notes.size())))
    return failure();
  imported.push_back(&d);
  builder.setInsertionPointToEnd(module->getBody());
  d.seq = SequenceOp::create(builder, FileLineColLoc::get(fileName, d.line, 1),
                             d.name);
  d.seq.setOriginAttr(OriginAttr::get(ctx, Origin::trace));
  d.seq.setVendorAttr(builder.getI32IntegerAttr(int32_t(d.vendor)));
  d.seq.setDeviceAttr(builder.getI32IntegerAttr(int32_t(d.id)));
  builder.setInsertionPoint(d.seq.getBodyBlock().getTerminator());
  // Marks are not tied to a device: every sequence gets all of them.
  for (const Note &n : notes)
    addNote(n);
  return success();
}

/// Bounds the note ops (MARKs times sequences) like the records.
LogicalResult Importer::countNotes(size_t count) {
  noteOps += count;
  if (noteOps <= options.maxRecords)
    return success();
  return mlir::emitError(lineLoc())
         << "copying the MARK records into every sequence makes more than "
         << options.maxRecords << " notes (--mmiotrace-max-records)";
}

IntegerAttr Importer::valueAttr(uint64_t value) {
  // ~0 and ~0 - 1 are the DenseMap's empty and tombstone keys.
  if (value >= UINT64_MAX - 1)
    return builder.getI64IntegerAttr(int64_t(value));
  IntegerAttr &attr = values[value];
  if (!attr)
    attr = builder.getI64IntegerAttr(int64_t(value));
  return attr;
}

RegAttr Importer::regAttr(unsigned bar, uint64_t offset) {
  // Offsets are below 2^40 (checked in resolve()).
  RegAttr &attr = regs[uint64_t(bar) << 40 | offset];
  if (!attr)
    attr = RegAttr::getMmio(ctx, bar, offset);
  return attr;
}

/// Appends a note at the builder's insertion point.
void Importer::addNote(const Note &n) {
  NoteOp::create(builder,
                 options.lineLocations
                     ? Location(FileLineColLoc::get(fileName, n.line, 1))
                     : fileLoc,
                 builder.getStringAttr(n.text), std::nullopt, std::nullopt,
                 n.ts);
}

LogicalResult Importer::parseAccess(Fields &f, bool isWrite) {
  if (failed(countRecord()))
    return failure();
  StringRef widthTok, mapTok, physTok;
  if (failed(take(f, widthTok, "access width")))
    return failure();
  unsigned bytes = 0;
  if (widthTok.size() == 1)
    bytes = llvm::StringSwitch<unsigned>(widthTok)
                .Case("1", 1)
                .Case("2", 2)
                .Case("4", 4)
                .Case("8", 8)
                .Default(0);
  if (!bytes)
    return error(widthTok.data()) << "bad access width '" << widthTok
                                  << "' (expected 1, 2, 4 or 8 bytes)";
  int64_t tsNs;
  uint64_t mapId, phys, value, pc, pid;
  StringRef valueTok;
  if (failed(timestampField(f, tsNs)) ||
      failed(decField(f, "map id", kMaxMapId, mapId, &mapTok)) ||
      failed(hexField(f, "address", phys, &physTok)) ||
      failed(hexField(f, "value", value, &valueTok)) ||
      failed(hexField(f, "PC", pc)) ||
      failed(decField(f, "PID", UINT32_MAX, pid)) || failed(endOfRecord(f)))
    return failure();
  if (value & ~widthMask(bytes * 8))
    return error(valueTok.data())
           << "value " << valueTok << " does not fit the " << bytes
           << "-byte access";

  int64_t res;
  uint64_t offset;
  if (failed(resolve(mapId, mapTok, phys, physTok, bytes, res, offset)))
    return failure();
  if (res < 0)
    return success();
  const Resource &r = resources[size_t(res)];
  Device &d = devices[r.device];
  if (!d.selected)
    return success();
  if (failed(insertInto(d)))
    return failure();
  int64_t ts = tsNs;
  Location loc = opLoc();
  if (r.index == kRomResource) {
    // initseq has no ROM address space: keep the access, opaque.
    int64_t operands[] = {int64_t(offset), int64_t(bytes), int64_t(value)};
    OpaqueOp::create(builder, loc,
                     isWrite ? "mmiotrace.rom_write" : "mmiotrace.rom_read",
                     operands, nullptr, std::nullopt, std::nullopt, ts);
  } else if (isWrite) {
    WriteOp::create(builder, loc, regAttr(r.index, offset), widthTypes[bytes],
                    valueAttr(value), std::nullopt, std::nullopt, ts);
  } else {
    ReadOp::create(builder, loc, regAttr(r.index, offset), widthTypes[bytes],
                   valueAttr(value), std::nullopt, std::nullopt, ts);
  }
  return success();
}

LogicalResult Importer::parseUnknown(Fields &f) {
  if (failed(countRecord()))
    return failure();
  int64_t ts;
  uint64_t mapId, phys, pc, pid;
  StringRef mapTok, physTok, opTok;
  if (failed(timestampField(f, ts)) ||
      failed(decField(f, "map id", kMaxMapId, mapId, &mapTok)) ||
      failed(hexField(f, "address", phys, &physTok)) ||
      failed(take(f, opTok, "opcode bytes")))
    return failure();
  int64_t opcode[3];
  {
    StringRef rest = opTok;
    for (unsigned i = 0; i < 3; ++i) {
      StringRef byte;
      std::tie(byte, rest) = rest.split(',');
      uint64_t v;
      if (byte.size() != 2 || parseHexDigits(byte, v) != NumStatus::Ok ||
          (i == 2) != rest.empty() || (i == 2 && opTok.back() == ','))
        return error(opTok.data()) << "bad opcode bytes '" << opTok
                                   << "' (expected three hex bytes hh,hh,hh)";
      opcode[i] = int64_t(v);
    }
  }
  if (failed(hexField(f, "PC", pc)) ||
      failed(decField(f, "PID", UINT32_MAX, pid)) || failed(endOfRecord(f)))
    return failure();

  int64_t res;
  uint64_t offset;
  if (failed(resolve(mapId, mapTok, phys, physTok, 1, res, offset)))
    return failure();
  if (res < 0)
    return success();
  const Resource &r = resources[size_t(res)];
  Device &d = devices[r.device];
  if (!d.selected)
    return success();
  if (unknownRecords++ == 0)
    firstUnknown = lineNo;
  if (unknownRecords <= kMaxUnknownWarnings)
    mlir::emitWarning(lineLoc())
        << "UNKNOWN record: the tracer could not decode instruction " << opTok
        << " at 0x" << llvm::utohexstr(phys, true)
        << "; kept as initseq.opaque \"mmiotrace.unknown\"";
  if (failed(insertInto(d)))
    return failure();
  auto op = OpaqueOp::create(builder, opLoc(), "mmiotrace.unknown", opcode,
                             nullptr, std::nullopt, std::nullopt, ts);
  if (r.index == kRomResource)
    op->setAttr("mmiotrace.rom_offset",
                builder.getI64IntegerAttr(int64_t(offset)));
  else
    op->setAttr("mmiotrace.reg", regAttr(r.index, offset));
  return success();
}

LogicalResult Importer::parseMap(Fields &f) {
  if (failed(countRecord()))
    return failure();
  int64_t ts;
  uint64_t mapId, phys, virt, len, pc, pid;
  StringRef mapTok, lenTok;
  if (failed(timestampField(f, ts)) ||
      failed(decField(f, "map id", kMaxMapId, mapId, &mapTok)) ||
      failed(hexField(f, "address", phys)) ||
      failed(hexField(f, "virtual address", virt)) ||
      failed(hexField(f, "length", len, &lenTok)) ||
      failed(hexField(f, "PC", pc)) ||
      failed(decField(f, "PID", UINT32_MAX, pid)) || failed(endOfRecord(f)))
    return failure();
  if (len == 0)
    return error(lenTok.data()) << "mapping of length 0";
  if (len - 1 > UINT64_MAX - phys)
    return error(lenTok.data())
           << "mapping runs past the end of the 64-bit address space";
  Mapping &m = mappings[mapId];
  if (m.active)
    return mlir::emitError(locAt(mapTok.data()))
           << "MAP reuses map id " << mapId << ", still active since line "
           << m.line;
  m = Mapping();
  m.phys = phys;
  m.len = len;
  m.line = lineNo;
  m.active = true;
  return success();
}

LogicalResult Importer::parseUnmap(Fields &f) {
  if (failed(countRecord()))
    return failure();
  int64_t ts;
  uint64_t mapId = 0, pc, pid;
  StringRef mapTok;
  if (failed(timestampField(f, ts)) || failed(take(f, mapTok, "map id")))
    return failure();
  // The kernel prints map id -1 when the unmapped address was not traced.
  bool untraced = mapTok == "-1";
  if (!untraced) {
    NumStatus st = parseDecDigits(mapTok, mapId);
    if (st == NumStatus::Bad)
      return error(mapTok.data())
             << "bad map id '" << mapTok << "' (expected a decimal number)";
    if (st == NumStatus::TooBig || mapId > kMaxMapId)
      return error(mapTok.data())
             << "map id '" << mapTok << "' is larger than " << kMaxMapId;
  }
  if (failed(hexField(f, "PC", pc)) ||
      failed(decField(f, "PID", UINT32_MAX, pid)) || failed(endOfRecord(f)))
    return failure();
  auto it = untraced ? mappings.end() : mappings.find(mapId);
  if (it == mappings.end() || !it->second.active) {
    if (unmatchedUnmaps++ == 0)
      firstUnmatchedUnmap = lineNo;
    return success();
  }
  it->second.active = false;
  it->second.unmapLine = lineNo;
  return success();
}

LogicalResult Importer::parseMark(Fields &f) {
  if (failed(countRecord()))
    return failure();
  int64_t ts;
  if (failed(timestampField(f, ts)))
    return failure();
  Note n{f.takeRest(), ts, lineNo};
  // "Lost N events." is inserted by the kernel when its buffer overflowed.
  StringRef text = n.text;
  uint64_t count;
  if (text.consume_front("Lost ")) {
    size_t digits = text.find_first_not_of("0123456789");
    if (digits != 0 && digits != StringRef::npos &&
        parseDecDigits(text.take_front(digits), count) != NumStatus::Bad &&
        text.drop_front(digits).starts_with(" events"))
      lostEvents = true;
  }
  notes.push_back(n);
  if (failed(countNotes(imported.size())))
    return failure();
  for (Device *d : imported) {
    (void)insertInto(*d);
    addNote(n);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run() {
  ctx->getOrLoadDialect<InitSeqDialect>();
  for (unsigned bytes : {1u, 2u, 4u, 8u})
    widthTypes[bytes] = TypeAttr::get(builder.getIntegerType(bytes * 8));

  if (failed(forEachLine([&](StringRef line, bool lastWithoutNewline) {
        return scanHeaderLine(line, lastWithoutNewline);
      })))
    return nullptr;
  if (!sawVersion)
    mlir::emitWarning(FileLineColLoc::get(fileName, 1, 1))
        << "no 'VERSION " << kTraceVersion
        << "' line: not an mmiotrace log, or a truncated one; importing "
           "anyway";
  buildSegments();
  if (failed(selectDevices()))
    return nullptr;

  // Hash the text on another thread while the ops are built (no MLIR
  // there); small inputs are not worth a thread.
  std::string sha1;
  auto hashText = [&] {
    sha1 = llvm::toHex(llvm::SHA1::hash(llvm::arrayRefFromStringRef(buffer)),
                       /*LowerCase=*/true);
  };
  std::optional<std::thread> hasher;
  if (buffer.size() >= (1u << 20))
    hasher.emplace(hashText);
  else
    hashText();

  // The import is sequential: the uniquer's lock-free mode creates the
  // millions of attributes of a large trace about a third faster.
  bool threaded = ctx->isMultithreadingEnabled();
  if (threaded)
    ctx->disableMultithreading();
  llvm::scope_exit restore([&] {
    if (hasher)
      hasher->join();
    if (threaded)
      ctx->enableMultithreading();
  });

  module = ModuleOp::create(FileLineColLoc::get(fileName, 1, 1));
  if (failed(
          forEachLine([&](StringRef line, bool) { return importLine(line); })))
    return nullptr;
  if (hasher) {
    hasher->join();
    hasher.reset();
  }

  if (unknownRecords > kMaxUnknownWarnings)
    mlir::emitWarning(FileLineColLoc::get(fileName, firstUnknown, 1))
        << unknownRecords << " UNKNOWN records in all (only the first "
        << kMaxUnknownWarnings << " were reported), each kept as "
        << "initseq.opaque \"mmiotrace.unknown\"";
  if (unrecognised)
    mlir::emitWarning(FileLineColLoc::get(fileName, firstUnrecognised, 1))
        << unrecognised << " unrecognised line" << (unrecognised > 1 ? "s" : "")
        << " skipped (first at line " << firstUnrecognised << ")";
  if (unmatchedUnmaps)
    mlir::emitWarning(FileLineColLoc::get(fileName, firstUnmatchedUnmap, 1))
        << unmatchedUnmaps << " UNMAP record"
        << (unmatchedUnmaps > 1 ? "s name" : " names")
        << " no active mapping (first at line " << firstUnmatchedUnmap << ")";
  if (skippedNonPCI)
    mlir::emitWarning(FileLineColLoc::get(fileName, firstSkippedNonPCI, 1))
        << skippedNonPCI << " access" << (skippedNonPCI > 1 ? "es" : "")
        << " outside every PCIDEV resource left out (first at line "
        << firstSkippedNonPCI << ")";

  StringAttr sha1Attr = builder.getStringAttr(sha1);
  for (Device *d : imported) {
    d->seq.setSha1Attr(sha1Attr);
    if (lostEvents)
      d->seq.setIncomplete(true);
  }
  if (imported.empty()) {
    InFlightDiagnostic diag =
        mlir::emitWarning(FileLineColLoc::get(fileName, 1, 1));
    if (options.device.empty())
      diag << "the trace holds no device accesses: the module is empty";
    else
      diag << "the trace holds no accesses to --mmiotrace-device="
           << options.device << ": the module is empty";
    if (!notes.empty())
      diag << " (" << notes.size() << " MARK record"
           << (notes.size() > 1 ? "s" : "") << " not imported)";
  }
  return std::move(module);
}

OwningOpRef<ModuleOp>
gpuinit::importMMIOTrace(llvm::SourceMgr &sourceMgr, MLIRContext *context,
                         const MMIOTraceImportOptions &options) {
  return Importer(sourceMgr, context, options).run();
}
