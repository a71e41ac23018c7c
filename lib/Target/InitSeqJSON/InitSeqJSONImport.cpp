//===- InitSeqJSONImport.cpp - init-sequence JSON to initseq.sequence -----===//
//
// Reads an init-sequence JSON document (schema_version 1.0 or 1.1), checks
// every rule of its version, and builds one initseq.sequence. Every error is
// located at the offending byte (malformed JSON) or operation object.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqJSON.h"

#include "InitSeqJSONFormat.h"
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::initseq;
using namespace gpuinit::initseq_json;
using json = nlohmann::json;

namespace {

/// Errors reported before the importer gives up.
constexpr unsigned kMaxErrors = 20;

//===----------------------------------------------------------------------===//
// Parsing with positions
//===----------------------------------------------------------------------===//

/// Where an operation object starts, and where the operations nested in its
/// `ops` and `else` arrays (COND) start.
struct OpPos {
  size_t offset = 0;
  std::vector<OpPos> children;
  std::vector<OpPos> elseChildren;
};

/// A character iterator that publishes how far the JSON lexer has read, so
/// that SAX events know the byte offset of the token they report.
class TrackingIterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  TrackingIterator(const char *p, const char **read) : p(p), read(read) {}
  reference operator*() const { return *p; }
  TrackingIterator &operator++() {
    *read = ++p;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackingIterator &o) const { return p == o.p; }
  bool operator!=(const TrackingIterator &o) const { return p != o.p; }

private:
  const char *p;
  const char **read;
};

/// Builds the DOM from SAX events. Unlike nlohmann's own builder it rejects
/// duplicate keys (a second "data" must not silently win), bounds nesting,
/// and records the offset of every operation object.
class DomBuilder {
public:
  DomBuilder(const char *begin, const char **read) : begin(begin), read(read) {}

  json root;
  /// Operation objects of the top-level init_sequence array.
  std::vector<OpPos> ops;
  /// Offset of the _metadata object, if any.
  size_t metadataOffset = std::string::npos;
  /// Set when parsing stopped on an error.
  size_t errorOffset = 0;
  std::string errorMessage;
  /// Whether the error is a JSON syntax error (else a limit or a duplicate).
  bool syntaxError = false;

  bool null() { return add(json(nullptr)); }
  bool boolean(bool v) { return add(json(v)); }
  bool number_integer(json::number_integer_t v) { return add(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return add(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t &) {
    return add(json(v));
  }
  bool string(json::string_t &v) { return add(json(std::move(v))); }
  bool binary(json::binary_t &) {
    return fail(lastOffset(), "binary values are not JSON");
  }
  bool start_object(std::size_t) { return open(json::object()); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_array() { return close(); }
  bool key(json::string_t &k) {
    Frame &top = stack.back();
    if (top.value->contains(k))
      return fail(lastOffset(), "duplicate key \"" + k + "\"");
    top.key = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string &,
                   const json::exception &ex) {
    // `position` counts the characters the lexer read, the offending one
    // last (an end of input counts as one past the end).
    errorOffset = position == 0 ? 0 : position - 1;
    syntaxError = true;
    std::string what = ex.what();
    // Drop nlohmann's "[json.exception...] parse error at line L, column C: "
    // prefix; the caller locates the error itself.
    size_t col = what.find("column ");
    size_t colon = col == std::string::npos ? col : what.find(": ", col);
    errorMessage = colon == std::string::npos ? what : what.substr(colon + 2);
    return false;
  }

private:
  struct Frame {
    json *value = nullptr;
    /// Set on an array whose elements are operations.
    std::vector<OpPos> *opList = nullptr;
    /// Set on an operation object.
    OpPos *op = nullptr;
    /// The key whose value comes next (objects).
    std::string key;
  };

  size_t lastOffset() const {
    size_t n = size_t(*read - begin);
    return n == 0 ? 0 : n - 1;
  }
  bool fail(size_t offset, std::string message) {
    errorOffset = offset;
    errorMessage = std::move(message);
    return false;
  }
  json *insert(json &&v) {
    if (stack.empty()) {
      root = std::move(v);
      return &root;
    }
    Frame &top = stack.back();
    // Every element of an operation list has a position, objects or not, so
    // that positions and elements stay aligned.
    if (top.opList)
      top.opList->push_back(OpPos{lastOffset(), {}, {}});
    if (top.value->is_array()) {
      auto &arr = top.value->get_ref<json::array_t &>();
      arr.push_back(std::move(v));
      return &arr.back();
    }
    auto &obj = top.value->get_ref<json::object_t &>();
    return &obj.emplace(top.key, std::move(v)).first->second;
  }
  bool add(json &&v) {
    insert(std::move(v));
    return true;
  }
  bool open(json &&container) {
    // The lexer has read exactly the opening bracket.
    size_t offset = lastOffset();
    if (stack.size() >= kInitSeqJSONMaxNesting)
      return fail(offset, "JSON nesting deeper than " +
                              std::to_string(kInitSeqJSONMaxNesting) +
                              " levels");
    bool isObject = container.is_object();
    Frame frame;
    frame.value = insert(std::move(container));
    if (!stack.empty()) {
      Frame &parent = stack.back();
      if (isObject && parent.opList) {
        frame.op = &parent.opList->back();
      } else if (!isObject && stack.size() == 1 &&
                 parent.key == "init_sequence") {
        frame.opList = &ops;
      } else if (!isObject && parent.op && parent.key == "ops") {
        frame.opList = &parent.op->children;
      } else if (!isObject && parent.op && parent.key == "else") {
        frame.opList = &parent.op->elseChildren;
      } else if (isObject && stack.size() == 1 && parent.key == "_metadata") {
        metadataOffset = offset;
      }
    }
    stack.push_back(std::move(frame));
    return true;
  }
  bool close() {
    stack.pop_back();
    return true;
  }

  const char *begin;
  const char **read;
  std::vector<Frame> stack;
};

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

/// Names an operation by its path: "#3" at top level, "#3.0" for the first
/// operation in the `ops` of the COND at #3, "#3.else.0" for the first in its
/// `else`.
struct OpPath {
  const OpPath *parent;
  uint64_t index;
  /// In the `else` of the parent COND (else in its `ops`).
  bool inElse = false;
  std::string str() const {
    std::string s =
        parent ? parent->str() + (inElse ? ".else." : ".") : std::string("#");
    return s + std::to_string(index);
  }
};

class Importer;

/// Reads the fields of one operation object, reporting each bad field with
/// the operation's index, and every field it does not know at the end.
class OpReader {
public:
  OpReader(Importer &imp, const json &obj, const OpPath &path, Location loc,
           StringRef name)
      : loc(loc), imp(imp), obj(obj), path(path), name(name) {}

  /// An unsigned integer field in [min, max].
  std::optional<uint64_t> u64(StringRef key, uint64_t min, uint64_t max,
                              bool required = true);
  std::optional<std::string> str(StringRef key, bool required = true);
  std::optional<bool> boolean(StringRef key);
  const json *array(StringRef key, bool required = true);
  /// Whether the object has `key` (and marks it known).
  bool has(StringRef key) {
    known.push_back(key);
    return obj.contains(std::string_view(key.data(), key.size()));
  }
  /// Reports an error about field `key`.
  void fieldError(StringRef key, const Twine &message);
  /// Reports unknown fields. Returns whether the operation was read without
  /// error.
  bool finish(bool v11);

  bool ok = true;
  Location loc;

private:
  const json *lookup(StringRef key, bool required);

  Importer &imp;
  const json &obj;
  const OpPath &path;
  StringRef name;
  SmallVector<StringRef, 12> known;
};

class Importer {
public:
  Importer(StringRef buffer, StringRef filename, MLIRContext *ctx)
      : buffer(buffer), filename(filename.str()), ctx(ctx), b(ctx) {}

  OwningOpRef<ModuleOp> run();

  /// Reports an error; false once the error limit is reached.
  bool error(Location loc, const Twine &message) {
    if (stopped)
      return false;
    emitError(loc) << message;
    if (++errors >= kMaxErrors) {
      emitError(loc) << "too many errors, stopping";
      stopped = true;
    }
    return !stopped;
  }

  bool v11 = false;

private:
  Location locAt(size_t offset);
  bool readMetadata(const json &md, Location loc, SequenceOp seq);
  bool readTopLevel11(const json &root, Location loc, SequenceOp seq);
  /// Imports the operations of `arr` (init_sequence, or a COND's `ops` or,
  /// with `inElse`, its `else`) before the terminator of `block`.
  void importOps(const json &arr, std::vector<OpPos> &pos, Block &block,
                 const OpPath *parent, unsigned depth,
                 std::vector<V10Entry> *entries, bool inElse = false);
  /// Imports one operation; fills `entry` for the rule checks.
  void importOp(const json &obj, OpPos &pos, const OpPath &path, unsigned depth,
                V10Entry &entry);
  /// The location fields of a 1.1 access.
  struct Access {
    RegAttr location;
    unsigned bits = 32;
  };
  std::optional<Access> readAccess(OpReader &r,
                                   std::optional<AddressSpace> fixed,
                                   StringRef addrKey, uint64_t count = 1,
                                   uint64_t stride = 0);
  void readProvenance(OpReader &r, std::optional<int64_t> &src,
                      std::optional<int64_t> &script,
                      std::optional<int64_t> &ts);
  IntegerAttr i64(uint64_t v) { return b.getI64IntegerAttr(int64_t(v)); }

  StringRef buffer;
  std::string filename;
  MLIRContext *ctx;
  OpBuilder b;
  std::vector<size_t> lineStarts;
  unsigned errors = 0;
  bool stopped = false;
  uint64_t totalOps = 0;
  std::string cardSku;

  friend class OpReader;
};

} // namespace

//===----------------------------------------------------------------------===//
// OpReader
//===----------------------------------------------------------------------===//

static const char *typeName(const json &v) {
  if (v.is_number_unsigned())
    return "an unsigned integer";
  if (v.is_number_integer())
    return "a negative integer";
  if (v.is_number_float())
    return "a number with a fraction or exponent (or too large for 64 bits)";
  if (v.is_string())
    return "a string";
  if (v.is_boolean())
    return "a boolean";
  if (v.is_null())
    return "null";
  if (v.is_array())
    return "an array";
  return "an object";
}

/// Fields that 1.1 adds to 1.0 operations, for a helpful message when a 1.0
/// document uses one.
static bool isV11Field(StringRef key) {
  return llvm::is_contained(
      std::initializer_list<StringRef>{"width", "bar", "space", "compare",
                                       "timeout_ns", "took_ns", "src_offset",
                                       "script", "ts_ns"},
      key);
}

void OpReader::fieldError(StringRef key, const Twine &message) {
  ok = false;
  imp.error(loc, "operation " + path.str() + " (" + name + "): field '" + key +
                     "' " + message);
}

const json *OpReader::lookup(StringRef key, bool required) {
  known.push_back(key);
  auto it = obj.find(std::string_view(key.data(), key.size()));
  if (it == obj.end()) {
    if (required) {
      ok = false;
      imp.error(loc, "operation " + path.str() + " (" + name +
                         "): missing field '" + key + "'");
    }
    return nullptr;
  }
  return &*it;
}

std::optional<uint64_t> OpReader::u64(StringRef key, uint64_t min, uint64_t max,
                                      bool required) {
  const json *v = lookup(key, required);
  if (!v)
    return std::nullopt;
  if (!v->is_number_unsigned()) {
    fieldError(key, Twine("must be an unsigned integer, not ") + typeName(*v));
    return std::nullopt;
  }
  uint64_t x = v->get<uint64_t>();
  if (x < min || x > max) {
    fieldError(key, "= " + Twine(x) + " is out of range " + Twine(min) + ".." +
                        Twine(max));
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> OpReader::str(StringRef key, bool required) {
  const json *v = lookup(key, required);
  if (!v)
    return std::nullopt;
  if (!v->is_string()) {
    fieldError(key, Twine("must be a string, not ") + typeName(*v));
    return std::nullopt;
  }
  return v->get_ref<const std::string &>();
}

std::optional<bool> OpReader::boolean(StringRef key) {
  const json *v = lookup(key, /*required=*/false);
  if (!v)
    return std::nullopt;
  if (!v->is_boolean()) {
    fieldError(key, Twine("must be a boolean, not ") + typeName(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

const json *OpReader::array(StringRef key, bool required) {
  const json *v = lookup(key, required);
  if (v && !v->is_array()) {
    fieldError(key, Twine("must be an array, not ") + typeName(*v));
    return nullptr;
  }
  return v;
}

bool OpReader::finish(bool v11) {
  for (const auto &item : obj.items()) {
    const std::string &key = item.key();
    if (llvm::is_contained(known, StringRef(key)))
      continue;
    ok = false;
    std::string hint;
    if (!v11 && isV11Field(key))
      hint = " (a 1.1 field; this document is schema_version 1.0)";
    if (!imp.error(loc, "operation " + path.str() + " (" + name +
                            "): unknown field '" + key + "'" + hint))
      break;
  }
  return ok;
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Location Importer::locAt(size_t offset) {
  if (lineStarts.empty()) {
    lineStarts.push_back(0);
    for (size_t i = 0, e = buffer.size(); i < e; ++i)
      if (buffer[i] == '\n')
        lineStarts.push_back(i + 1);
  }
  auto it = std::upper_bound(lineStarts.begin(), lineStarts.end(), offset);
  size_t line = size_t(it - lineStarts.begin());
  size_t col = offset - *(it - 1) + 1;
  return FileLineColLoc::get(ctx, filename, unsigned(line), unsigned(col));
}

/// Metadata keys: canonical spelling, legacy spelling readers also accept.
struct MetadataKey {
  const char *name;
  const char *legacy;
  bool required;
};
static const MetadataKey kMetadataKeys[] = {
    {"SPDX-FileCopyrightText", nullptr, true},
    {"SPDX-License-Identifier", nullptr, true},
    {"Source-ROM-SHA1", "source_rom_sha1", true},
    {"Source-ROM-URL", nullptr, false},
    {"Generated", "generated", true},
    {"Pipeline-Version", "pipeline_version", true},
    {"Card-SKU", nullptr, true},
};

/// Quotes a string for a message, shortened when long.
static std::string quote(StringRef s) {
  std::string out = "\"";
  out += s.size() > 64 ? (s.take_front(61) + "...").str() : s.str();
  return out + "\"";
}

bool Importer::readMetadata(const json &md, Location loc, SequenceOp seq) {
  bool ok = true;
  auto fail = [&](const Twine &msg) {
    ok = false;
    return error(loc, "_metadata: " + msg);
  };
  if (!md.is_object())
    return fail(Twine("must be an object, not ") + typeName(md)), false;
  for (const auto &item : md.items()) {
    const std::string &key = item.key();
    bool isKnown = llvm::any_of(kMetadataKeys, [&](const MetadataKey &k) {
      return key == k.name || (k.legacy && key == k.legacy);
    });
    if (!isKnown && !fail("unknown key '" + key + "'"))
      return false;
  }
  for (const MetadataKey &k : kMetadataKeys) {
    auto it = md.find(k.name);
    if (k.legacy) {
      auto legacy = md.find(k.legacy);
      if (it != md.end() && legacy != md.end()) {
        if (!fail(Twine("'") + k.name + "' is given twice (also as '" +
                  k.legacy + "')"))
          return false;
        continue;
      }
      if (it == md.end())
        it = legacy;
    }
    if (it == md.end()) {
      if (k.required && !fail(Twine("missing required key '") + k.name + "'"))
        return false;
      continue;
    }
    if (!it->is_string()) {
      if (!fail(Twine("'") + k.name + "' must be a string, not " +
                typeName(*it)))
        return false;
      continue;
    }
    StringRef v = it->get_ref<const std::string &>();
    StringRef name = k.name;
    std::string bad;
    if (name == "SPDX-FileCopyrightText") {
      if (!isCopyrightText(v))
        bad = "must start with a 4-digit year and a space";
      else
        seq->setAttr("initseq.spdx_copyright", b.getStringAttr(v));
    } else if (name == "SPDX-License-Identifier") {
      if (v != "CC0-1.0")
        bad = "must be \"CC0-1.0\"";
    } else if (name == "Source-ROM-SHA1") {
      if (!isSha1(v))
        bad = "must be 40 lowercase hex digits";
      else
        seq.setSha1(v);
    } else if (name == "Source-ROM-URL") {
      if (!isURI(v))
        bad = "must be an absolute URI";
      else
        seq->setAttr("initseq.source_rom_url", b.getStringAttr(v));
    } else if (name == "Generated") {
      if (!isRFC3339DateTime(v))
        bad = "must be an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)";
    } else if (name == "Pipeline-Version") {
      if (!isPipelineVersion(v))
        bad = "must be \"<major>.<minor>\"";
    } else if (name == "Card-SKU") {
      if (!isCardSku(v))
        bad = "must match [A-Za-z0-9_]+";
      else
        cardSku = v.str();
    }
    if (!bad.empty() &&
        !fail(Twine("'") + it.key() + "' " + bad + ", got " + quote(v)))
      return false;
  }
  return ok;
}

bool Importer::readTopLevel11(const json &root, Location loc, SequenceOp seq) {
  bool ok = true;
  auto fail = [&](const Twine &msg) {
    ok = false;
    return error(loc, msg);
  };
  if (auto it = root.find("name"); it != root.end()) {
    if (!it->is_string() || it->get_ref<const std::string &>().empty())
      fail("'name' must be a non-empty string");
    else
      seq.setSymName(it->get_ref<const std::string &>());
  }
  if (auto it = root.find("origin"); it != root.end()) {
    std::optional<Origin> origin;
    if (it->is_string())
      origin = symbolizeOrigin(it->get_ref<const std::string &>());
    if (!origin)
      fail("'origin' must be one of \"rom\", \"trace\", \"json\", \"dsl\"");
    else
      seq.setOrigin(*origin);
  }
  if (auto it = root.find("pci"); it != root.end()) {
    auto field = [&](const char *key) -> std::optional<uint32_t> {
      auto f = it->find(key);
      if (f == it->end() || !f->is_number_unsigned() ||
          f->get<uint64_t>() > 0xffff) {
        fail(Twine("'pci': '") + key + "' must be an integer 0..65535");
        return std::nullopt;
      }
      return uint32_t(f->get<uint64_t>());
    };
    if (!it->is_object()) {
      fail("'pci' must be an object {\"vendor\": ..., \"device\": ...}");
    } else {
      for (const auto &item : it->items()) {
        const std::string &key = item.key();
        if (key != "vendor" && key != "device")
          fail("'pci': unknown key '" + key + "'");
      }
      std::optional<uint32_t> vendor = field("vendor"),
                              device = field("device");
      if (vendor && device) {
        seq.setVendor(*vendor);
        seq.setDevice(*device);
      }
    }
  }
  if (auto it = root.find("incomplete"); it != root.end()) {
    if (!it->is_boolean())
      fail("'incomplete' must be a boolean");
    else
      seq.setIncomplete(it->get<bool>());
  }
  return ok;
}

std::optional<Importer::Access>
Importer::readAccess(OpReader &r, std::optional<AddressSpace> fixed,
                     StringRef addrKey, uint64_t count, uint64_t stride) {
  AddressSpace space = AddressSpace::mmio;
  if (fixed) {
    space = *fixed;
  } else if (std::optional<std::string> s = r.str("space", false)) {
    std::optional<AddressSpace> parsed = symbolizeAddressSpace(*s);
    if (!parsed) {
      r.fieldError("space", "= " + quote(*s) +
                                " must be one of \"cfg\", \"mmio\", \"io\", "
                                "\"idxio\"");
      // The location fields are known, just not checkable.
      for (StringRef key : {StringRef("bar"), addrKey, StringRef("data_port"),
                            StringRef("index"), StringRef("width")})
        r.has(key);
      return std::nullopt;
    }
    space = *parsed;
  }
  StringRef spaceName = stringifyAddressSpace(space);
  uint32_t bar = 0, dataPort = 0, index = 0;
  if (space == AddressSpace::mmio) {
    if (std::optional<uint64_t> v = r.u64("bar", 0, 5, false))
      bar = uint32_t(*v);
  } else if (r.has("bar")) {
    r.fieldError("bar", "is only allowed on mmio accesses");
  }
  uint64_t limit = addressSpaceLimit(space);
  std::optional<uint64_t> addr = r.u64(addrKey, 0, limit - 1);
  if (space == AddressSpace::idxio) {
    std::optional<uint64_t> dp = r.u64("data_port", 0, 0xffff);
    std::optional<uint64_t> idx = r.u64("index", 0, 0xff);
    dataPort = dp.value_or(0);
    index = uint32_t(idx.value_or(0));
  } else {
    for (StringRef key : {"data_port", "index"})
      if (r.has(key))
        r.fieldError(key, "is only allowed on idxio accesses");
  }
  unsigned defaultBits = space == AddressSpace::idxio ? 8 : 32;
  unsigned bits = defaultBits;
  if (std::optional<uint64_t> w = r.u64("width", 0, 64, false)) {
    if (!isWidthAllowed(space, unsigned(*w)))
      r.fieldError("width",
                   "= " + Twine(*w) + " is not allowed in " + spaceName +
                       " space (" +
                       (space == AddressSpace::mmio    ? "8, 16, 32 or 64"
                        : space == AddressSpace::idxio ? "8 only"
                                                       : "8, 16 or 32") +
                       ")");
    else
      bits = unsigned(*w);
  }
  if (!addr || !r.ok)
    return std::nullopt;
  if (space != AddressSpace::idxio) {
    // Every byte of the access stays inside the address space.
    uint64_t bytes = bits / 8;
    bool overflow = count > 1 && stride > (limit - bytes) / (count - 1);
    uint64_t span = overflow ? limit + 1 : (count - 1) * stride + bytes;
    if (span > limit || *addr > limit - span) {
      r.fieldError(addrKey, "= " + Twine(*addr) + ": the " + Twine(bits) +
                                "-bit " +
                                (count > 1 ? "accesses run" : "access runs") +
                                " past the end of " + spaceName + " space (" +
                                Twine(limit) + " bytes)");
      return std::nullopt;
    }
  }
  return Access{RegAttr::get(ctx, space, bar, *addr, dataPort, index), bits};
}

void Importer::readProvenance(OpReader &r, std::optional<int64_t> &src,
                              std::optional<int64_t> &script,
                              std::optional<int64_t> &ts) {
  if (!v11)
    return;
  if (auto v = r.u64("src_offset", 0, kV11MaxI64, false))
    src = int64_t(*v);
  if (auto v = r.u64("script", 0, kV11MaxI64, false))
    script = int64_t(*v);
  if (auto v = r.u64("ts_ns", 0, kV11MaxI64, false))
    ts = int64_t(*v);
}

static bool isV11Op(StringRef op) {
  return llvm::is_contained(
      std::initializer_list<StringRef>{"IO", "IDXIO", "RMW", "READ", "BLOCK",
                                       "COND", "OPAQUE", "NOTE"},
      op);
}

void Importer::importOp(const json &obj, OpPos &pos, const OpPath &path,
                        unsigned depth, V10Entry &entry) {
  Location loc = locAt(pos.offset);
  entry.name = "(invalid)";
  entry.fieldsValid = false;
  if (!obj.is_object()) {
    error(loc, "operation " + path.str() + " must be an object, not " +
                   typeName(obj));
    return;
  }
  auto opIt = obj.find("op");
  if (opIt == obj.end() || !opIt->is_string()) {
    error(loc, "operation " + path.str() + ": missing string field 'op'");
    return;
  }
  const std::string &name = opIt->get_ref<const std::string &>();
  OpReader r(*this, obj, path, loc, name);
  r.has("op");
  entry.name = StringRef(name);
  entry.fieldsValid = true;

  std::optional<int64_t> src, script, ts;
  auto typeAttr = [&](unsigned bits) {
    return TypeAttr::get(b.getIntegerType(bits));
  };

  if (name == "END") {
    entry.kind = V10Kind::End;
    if (path.parent)
      r.fieldError("op", "= \"END\": END ends the whole sequence and is not "
                         "allowed inside a COND");
    else
      b.getBlock()->getTerminator()->setLoc(loc);
    r.finish(v11);
    return;
  }

  if (!v11) {
    // Version 1.0: four operations with fixed 32-bit MMIO/config semantics.
    if (name == "CFG" || name == "MMIO") {
      bool cfg = name == "CFG";
      entry.kind = cfg ? V10Kind::Cfg : V10Kind::Mmio;
      std::optional<uint64_t> addr =
          r.u64("addr", 0, cfg ? kV10MaxCfgAddr : kV10MaxMmioAddr);
      std::optional<uint64_t> data = r.u64("data", 0, kV10MaxData);
      entry.fieldsValid = addr.has_value();
      entry.addr = addr.value_or(0);
      if (!r.finish(false) || !addr || !data)
        return;
      RegAttr reg =
          cfg ? RegAttr::getCfg(ctx, *addr) : RegAttr::getMmio(ctx, 0, *addr);
      WriteOp::create(b, loc, reg, typeAttr(32), i64(*data), src, script, ts);
      return;
    }
    if (name == "DELAY") {
      entry.kind = V10Kind::Delay;
      // The range is a 1.0 rule, checked with the others.
      std::optional<uint64_t> ns = r.u64("ns", 0, UINT64_MAX);
      entry.fieldsValid = ns.has_value();
      entry.ns = ns.value_or(0);
      if (!r.finish(false) || !ns)
        return;
      if (*ns <= kV11MaxI64)
        DelayOp::create(b, loc, i64(*ns), src, script, ts);
      return;
    }
    if (name == "POLL") {
      entry.kind = V10Kind::Poll;
      std::optional<uint64_t> addr = r.u64("addr", 0, kV10MaxMmioAddr);
      std::optional<uint64_t> mask = r.u64("mask", 0, kV10MaxData);
      std::optional<uint64_t> value = r.u64("value", 0, kV10MaxData);
      std::optional<uint64_t> timeout = r.u64("timeout_us", 0, UINT64_MAX);
      entry.fieldsValid = timeout.has_value();
      entry.timeoutUs = timeout.value_or(0);
      if (!r.finish(false) || !addr || !mask || !value || !timeout)
        return;
      // The IR cannot hold a poll that compares nothing or can never match.
      if (*mask == 0)
        return r.fieldError("mask", "is 0: the poll would compare nothing");
      if (*value & ~*mask)
        return r.fieldError(
            "value", "= " + Twine(*value) + " has bits outside mask " +
                         Twine(*mask) + ": the poll could never succeed");
      if (*timeout == 0 || *timeout > kV11MaxI64 / 1000)
        return; // reported by the 1.0 rules
      PollOp::create(b, loc, RegAttr::getMmio(ctx, 0, *addr), typeAttr(32),
                     i64(*mask), CompareAttr::get(ctx, Compare::eq),
                     i64(*value), i64(*timeout * 1000), IntegerAttr(), src,
                     script, ts);
      return;
    }
    if (isV11Op(name))
      r.fieldError("op", "= " + quote(name) +
                             " is a 1.1 operation; this document is "
                             "schema_version 1.0");
    else
      r.fieldError("op", "= " + quote(name) +
                             " is not a 1.0 operation (CFG, MMIO, DELAY, "
                             "POLL, END)");
    return;
  }

  // Version 1.1.
  if (name == "CFG" || name == "MMIO" || name == "IO" || name == "IDXIO") {
    AddressSpace space = llvm::StringSwitch<AddressSpace>(name)
                             .Case("CFG", AddressSpace::cfg)
                             .Case("MMIO", AddressSpace::mmio)
                             .Case("IO", AddressSpace::io)
                             .Default(AddressSpace::idxio);
    if (space == AddressSpace::cfg)
      entry.kind = V10Kind::Cfg;
    std::optional<Access> acc = readAccess(r, space, "addr");
    std::optional<uint64_t> data =
        r.u64("data", 0, widthMask(acc ? acc->bits : 64));
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !acc || !data)
      return;
    WriteOp::create(b, loc, acc->location, typeAttr(acc->bits), i64(*data), src,
                    script, ts);
    return;
  }
  if (name == "RMW") {
    std::optional<Access> acc = readAccess(r, std::nullopt, "addr");
    uint64_t m = widthMask(acc ? acc->bits : 64);
    std::optional<uint64_t> andMask = r.u64("and_mask", 0, m);
    std::optional<uint64_t> orMask = r.u64("or_mask", 0, m);
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !acc || !andMask || !orMask)
      return;
    RmwOp::create(b, loc, acc->location, typeAttr(acc->bits), i64(*andMask),
                  i64(*orMask), src, script, ts);
    return;
  }
  if (name == "READ") {
    std::optional<Access> acc = readAccess(r, std::nullopt, "addr");
    IntegerAttr observed;
    if (auto v = r.u64("observed", 0, widthMask(acc ? acc->bits : 64), false))
      observed = i64(*v);
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !acc)
      return;
    ReadOp::create(b, loc, acc->location, typeAttr(acc->bits), observed, src,
                   script, ts);
    return;
  }
  if (name == "POLL") {
    entry.kind = V10Kind::Poll;
    std::optional<Access> acc = readAccess(r, std::nullopt, "addr");
    uint64_t m = widthMask(acc ? acc->bits : 64);
    std::optional<uint64_t> mask = r.u64("mask", 1, m);
    std::optional<uint64_t> value = r.u64("value", 0, m);
    Compare cmp = Compare::eq;
    if (std::optional<std::string> c = r.str("compare", false)) {
      if (std::optional<Compare> parsed = symbolizeCompare(*c))
        cmp = *parsed;
      else
        r.fieldError("compare", "= " + quote(*c) + " must be \"eq\" or \"ne\"");
    }
    std::optional<uint64_t> timeoutNs;
    bool hasUs = r.has("timeout_us"), hasNs = r.has("timeout_ns");
    if (hasUs && hasNs)
      r.fieldError("timeout_ns", "and 'timeout_us' are exclusive");
    else if (hasNs)
      timeoutNs = r.u64("timeout_ns", 1, kV11MaxI64);
    else if (auto us = r.u64("timeout_us", 1, kV11MaxI64 / 1000))
      timeoutNs = *us * 1000;
    IntegerAttr took;
    if (auto v = r.u64("took_ns", 0, kV11MaxI64, false))
      took = i64(*v);
    readProvenance(r, src, script, ts);
    if (mask && value && (*value & ~*mask))
      r.fieldError("value", "= " + Twine(*value) + " has bits outside mask " +
                                Twine(*mask) +
                                ": the poll could never succeed");
    if (!r.finish(true) || !acc || !mask || !value || !timeoutNs)
      return;
    PollOp::create(b, loc, acc->location, typeAttr(acc->bits), i64(*mask),
                   CompareAttr::get(ctx, cmp), i64(*value), i64(*timeoutNs),
                   took, src, script, ts);
    return;
  }
  if (name == "BLOCK") {
    const json *values = r.array("values");
    auto spaceIt = obj.find("space");
    if (spaceIt != obj.end() && *spaceIt == "idxio") {
      r.fieldError("space", "= \"idxio\": block writes are not defined for "
                            "indexed I/O");
      return;
    }
    // The stride bounds the span, so read it before the location.
    std::optional<uint64_t> stride =
        r.u64("stride", 0, (uint64_t(1) << 40) - 1);
    uint64_t count = values ? values->size() : 0;
    if (values && count == 0)
      r.fieldError("values", "must not be empty");
    std::optional<Access> acc =
        readAccess(r, std::nullopt, "base", std::max<uint64_t>(count, 1),
                   stride.value_or(0));
    if (acc && stride && *stride >= addressSpaceLimit(acc->location.getSpace()))
      r.fieldError("stride", "= " + Twine(*stride) + " is out of range");
    SmallVector<int64_t> vals;
    if (values && acc) {
      uint64_t m = widthMask(acc->bits);
      vals.reserve(count);
      for (auto [i, v] : llvm::enumerate(*values)) {
        if (!v.is_number_unsigned() || v.get<uint64_t>() > m) {
          r.fieldError("values[" + std::to_string(i) + "]",
                       "must be an unsigned integer 0.." + Twine(m));
          break;
        }
        vals.push_back(int64_t(v.get<uint64_t>()));
      }
    }
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !acc || !stride || !values || vals.empty())
      return;
    BlockWriteOp::create(b, loc, acc->location, typeAttr(acc->bits),
                         i64(*stride), b.getDenseI64ArrayAttr(vals), src,
                         script, ts);
    return;
  }
  if (name == "DELAY") {
    entry.kind = V10Kind::Delay;
    std::optional<uint64_t> ns = r.u64("ns", 0, kV11MaxI64);
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !ns)
      return;
    entry.ns = *ns;
    DelayOp::create(b, loc, i64(*ns), src, script, ts);
    return;
  }
  if (name == "COND") {
    std::optional<ConditionKind> kind;
    if (std::optional<std::string> k = r.str("kind")) {
      kind = symbolizeConditionKind(*k);
      if (!kind)
        r.fieldError("kind", "= " + quote(*k) +
                                 " must be one of \"strap\", \"ramcfg\", "
                                 "\"condition\", \"io_condition\", "
                                 "\"io_flag_condition\"");
    }
    std::optional<uint64_t> index = r.u64("index", 0, kV11MaxI64);
    std::optional<bool> negated = r.boolean("negated");
    std::optional<std::string> label = r.str("label", false);
    const json *ops = r.array("ops");
    const json *elseOps = r.array("else", /*required=*/false);
    readProvenance(r, src, script, ts);
    if (depth + 1 > kInitSeqJSONMaxConditionDepth)
      r.fieldError("ops", "nests conditions deeper than " +
                              Twine(kInitSeqJSONMaxConditionDepth) + " levels");
    if (!r.finish(true) || !kind || !index || !ops)
      return;
    auto cond = ConditionOp::create(
        b, loc, ConditionKindAttr::get(ctx, *kind), i64(*index),
        negated.value_or(false) ? b.getUnitAttr() : UnitAttr(),
        label ? b.getStringAttr(*label) : StringAttr(), src, script, ts);
    ConditionOp::ensureTerminator(cond.getBody(), b, loc);
    OpBuilder::InsertionGuard guard(b);
    importOps(*ops, pos.children, cond.getThenBlock(), &path, depth + 1,
              nullptr);
    // "else": [] is an else body holding nothing, kept as written.
    if (elseOps)
      importOps(*elseOps, pos.elseChildren, cond.getOrCreateElseBlock(), &path,
                depth + 1, nullptr, /*inElse=*/true);
    return;
  }
  if (name == "OPAQUE") {
    std::optional<std::string> kind = r.str("kind");
    if (kind && kind->empty())
      r.fieldError("kind", "must not be empty");
    const json *operands = r.array("operands");
    SmallVector<int64_t> vals;
    if (operands) {
      vals.reserve(operands->size());
      for (auto [i, v] : llvm::enumerate(*operands)) {
        if (!v.is_number_unsigned()) {
          r.fieldError("operands[" + std::to_string(i) + "]",
                       "must be an unsigned integer");
          break;
        }
        vals.push_back(int64_t(v.get<uint64_t>()));
      }
    }
    std::optional<std::string> bytes = r.str("bytes", false);
    if (bytes &&
        (bytes->size() % 2 != 0 || !llvm::all_of(*bytes, llvm::isHexDigit)))
      r.fieldError("bytes", "must be an even number of hex digits");
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !kind || !operands)
      return;
    OpaqueOp::create(
        b, loc, b.getStringAttr(*kind), b.getDenseI64ArrayAttr(vals),
        bytes ? b.getStringAttr(*bytes) : StringAttr(), src, script, ts);
    return;
  }
  if (name == "NOTE") {
    std::optional<std::string> text = r.str("text");
    readProvenance(r, src, script, ts);
    if (!r.finish(true) || !text)
      return;
    NoteOp::create(b, loc, b.getStringAttr(*text), src, script, ts);
    return;
  }
  r.fieldError("op",
               "= " + quote(name) + " is not an init-sequence 1.1 operation");
}

void Importer::importOps(const json &arr, std::vector<OpPos> &pos, Block &block,
                         const OpPath *parent, unsigned depth,
                         std::vector<V10Entry> *entries, bool inElse) {
  b.setInsertionPoint(block.getTerminator());
  if (entries)
    entries->resize(arr.size());
  // The parser records a position per element; a mismatch would be a bug,
  // but must not turn into an out-of-bounds access.
  if (pos.size() < arr.size())
    pos.resize(arr.size());
  for (uint64_t i = 0, e = arr.size(); i < e && !stopped; ++i) {
    if (++totalOps > kInitSeqJSONMaxOps) {
      error(locAt(pos[i].offset), "more than " + Twine(kInitSeqJSONMaxOps) +
                                      " operations: the importer's limit");
      stopped = true;
      return;
    }
    OpPath path{parent, i, inElse};
    V10Entry scratch;
    importOp(arr[i], pos[i], path, depth, entries ? (*entries)[i] : scratch);
  }
}

OwningOpRef<ModuleOp> Importer::run() {
  Location fileLoc = FileLineColLoc::get(ctx, filename, 1, 1);
  if (buffer.size() > kInitSeqJSONMaxFileBytes) {
    emitError(fileLoc) << "input is " << buffer.size()
                       << " bytes; the JSON importer's limit is "
                       << kInitSeqJSONMaxFileBytes;
    return nullptr;
  }

  // Parse, recording where each operation starts.
  const char *readPos = buffer.data();
  DomBuilder dom(buffer.data(), &readPos);
  bool parsed = false;
  try {
    parsed = json::sax_parse(
        TrackingIterator(buffer.data(), &readPos),
        TrackingIterator(buffer.data() + buffer.size(), &readPos), &dom,
        json::input_format_t::json, /*strict=*/true,
        /*ignore_comments=*/false);
  } catch (const std::exception &ex) {
    dom.errorOffset = size_t(readPos - buffer.data());
    dom.errorMessage = ex.what();
  }
  if (!parsed) {
    size_t offset = std::min(dom.errorOffset, buffer.size());
    std::string prefix = dom.syntaxError && offset >= buffer.size()
                             ? "truncated or empty document: "
                             : "";
    emitError(locAt(offset))
        << (dom.syntaxError ? "malformed JSON: " : "invalid JSON document: ")
        << prefix << dom.errorMessage;
    return nullptr;
  }

  const json &root = dom.root;
  if (!root.is_object()) {
    emitError(fileLoc) << "the document must be a JSON object, not "
                       << typeName(root);
    return nullptr;
  }
  auto version = root.find("schema_version");
  if (version == root.end()) {
    emitError(fileLoc) << "missing 'schema_version' (\"1.0\" or \"1.1\")";
    return nullptr;
  }
  if (!version->is_string()) {
    emitError(fileLoc) << "'schema_version' must be the string \"1.0\" or "
                          "\"1.1\", not "
                       << typeName(*version);
    return nullptr;
  }
  if (*version != "1.0" && *version != "1.1") {
    emitError(fileLoc) << "unsupported schema_version "
                       << quote(version->get_ref<const std::string &>())
                       << ": this importer reads \"1.0\" and \"1.1\"";
    return nullptr;
  }
  v11 = *version == "1.1";

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  auto seq = SequenceOp::create(b, fileLoc, "imported");

  bool ok = true;
  for (const auto &item : root.items()) {
    const std::string &key = item.key();
    bool known =
        key == "schema_version" || key == "_metadata" || key == "init_sequence";
    bool known11 =
        key == "name" || key == "pci" || key == "origin" || key == "incomplete";
    if (known || (v11 && known11))
      continue;
    ok = false;
    error(fileLoc, "unknown top-level key '" + key + "'" +
                       (known11 ? " (a 1.1 key; this document is "
                                  "schema_version 1.0)"
                                : ""));
  }
  auto md = root.find("_metadata");
  Location mdLoc = dom.metadataOffset == std::string::npos
                       ? fileLoc
                       : locAt(dom.metadataOffset);
  if (md == root.end()) {
    ok = false;
    error(fileLoc, "missing '_metadata'");
  } else {
    ok &= readMetadata(*md, mdLoc, seq);
  }
  if (v11)
    ok &= readTopLevel11(root, fileLoc, seq);
  if (!cardSku.empty()) {
    if (!v11 || !root.contains("name"))
      seq.setSymName(cardSku);
    else if (cardSku != cardSkuFromName(seq.getSymName()))
      seq->setAttr("initseq.card_sku", b.getStringAttr(cardSku));
  }

  auto ops = root.find("init_sequence");
  if (ops == root.end() || !ops->is_array()) {
    error(fileLoc, ops == root.end() ? "missing 'init_sequence'"
                                     : "'init_sequence' must be an array");
    return nullptr;
  }

  std::vector<V10Entry> entries;
  if (!stopped)
    importOps(*ops, dom.ops, seq.getBodyBlock(), nullptr, 0, &entries);

  // Rules over the whole sequence; each violation names its operation.
  auto report = [&](uint64_t index, StringRef field, const std::string &msg) {
    Location loc =
        index < dom.ops.size() ? locAt(dom.ops[index].offset) : fileLoc;
    std::string where = "operation #" + std::to_string(index);
    if (index < entries.size() && !entries[index].name.empty())
      where += " (" + entries[index].name.str() + ")";
    if (!field.empty())
      where += ", field '" + field.str() + "'";
    return error(loc, where + ": " + msg);
  };
  if (!stopped) {
    if (!v11)
      checkV10Rules(entries, report);
    else
      checkEndRule(entries, report);
  }
  if (errors || !ok)
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> gpuinit::importInitSeqJSON(StringRef buffer,
                                                 StringRef filename,
                                                 MLIRContext *context) {
  context->loadDialect<InitSeqDialect>();
  try {
    return Importer(buffer, filename, context).run();
  } catch (const std::exception &ex) {
    // nlohmann reports misuse through exceptions; none is expected, but an
    // importer must fail cleanly rather than crash.
    emitError(FileLineColLoc::get(context, filename, 1, 1))
        << "internal error while importing JSON: " << ex.what();
    return nullptr;
  }
}
