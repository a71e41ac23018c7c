//===- RegMap.cpp - parse and query register maps -------------------------===//
//
// JSON register maps (a list of ranges with properties) for the initseq
// passes and the simulator.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/RegMap.h"

#include "absl/strings/str_cat.h"
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace gpuinit::runtime;
using nlohmann::json;

namespace {
absl::Status entryError(absl::string_view file, size_t i,
                        absl::string_view msg) {
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": register map entry #", i, ": ", msg));
}

/// Reads a JSON integer or a "0x..." / decimal string.
bool readNumber(const json &j, uint64_t &out) {
  if (j.is_number_unsigned()) {
    out = j.get<uint64_t>();
    return true;
  }
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v < 0)
      return false;
    out = uint64_t(v);
    return true;
  }
  if (!j.is_string())
    return false;
  const std::string &s = j.get_ref<const std::string &>();
  if (s.empty())
    return false;
  size_t pos = 0;
  try {
    out = std::stoull(s, &pos, 0);
  } catch (...) {
    return false;
  }
  return pos == s.size() && s[0] != '-';
}
} // namespace

absl::StatusOr<RegMap> RegMap::parse(absl::string_view text,
                                     absl::string_view file) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error &e) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": byte ", e.byte, ": invalid JSON: ", e.what()));
  }
  if (doc.is_object() && doc.contains("registers"))
    doc = doc["registers"];
  if (!doc.is_array())
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": a register map is a JSON array of ranges (or an object "
              "with a \"registers\" array)"));
  RegMap map;
  for (size_t i = 0; i < doc.size(); ++i) {
    const json &e = doc[i];
    if (!e.is_object())
      return entryError(file, i, "not an object");
    RegRange r;
    std::string space = e.value("space", "mmio");
    if (space == "cfg")
      r.space = Space::Cfg;
    else if (space == "mmio")
      r.space = Space::Mmio;
    else if (space == "io")
      r.space = Space::Io;
    else if (space == "idxio")
      r.space = Space::IdxIo;
    else
      return entryError(file, i, "unknown space '" + space + "'");
    uint64_t v;
    if (e.contains("bar")) {
      if (!readNumber(e["bar"], v) || v > 5)
        return entryError(file, i, "bar must be 0..5");
      r.bar = uint32_t(v);
    }
    if (e.contains("port")) {
      if (!readNumber(e["port"], v) || v > 0xffff)
        return entryError(file, i, "port must be 0..0xffff");
      r.port = uint32_t(v);
    }
    if (!e.contains("start") || !readNumber(e["start"], r.start))
      return entryError(file, i, "missing or invalid 'start'");
    if (e.contains("end")) {
      if (!readNumber(e["end"], r.end))
        return entryError(file, i, "invalid 'end'");
    } else if (e.contains("size")) {
      if (!readNumber(e["size"], v) || v == 0 || r.start + v < r.start)
        return entryError(file, i, "invalid 'size'");
      r.end = r.start + v;
    } else {
      return entryError(file, i, "needs 'end' (exclusive) or 'size'");
    }
    if (r.end <= r.start)
      return entryError(file, i, "'end' must be above 'start'");
    if (!e.contains("props") || !e["props"].is_array())
      return entryError(file, i, "needs a 'props' array");
    for (const json &p : e["props"]) {
      if (!p.is_string())
        return entryError(file, i, "props are strings");
      const std::string &name = p.get_ref<const std::string &>();
      if (name == "plain")
        r.props |= kPlain | kReadPure;
      else if (name == "read-pure")
        r.props |= kReadPure;
      else if (name == "fifo")
        r.props |= kFifo;
      else if (name == "write-1-to-clear" || name == "w1c")
        r.props |= kWrite1Clear;
      else if (name == "self-clearing")
        r.props |= kSelfClearing;
      else if (name == "read-clears")
        r.props |= kReadClears;
      else
        return entryError(file, i, "unknown property '" + name + "'");
    }
    // A side effect contradicts plain storage: the side effect wins.
    if (r.props & (kFifo | kWrite1Clear | kSelfClearing | kReadClears))
      r.props &= ~uint32_t(kPlain);
    if (r.props & kReadClears)
      r.props &= ~uint32_t(kReadPure);
    map.ranges_.push_back(r);
  }
  return map;
}

absl::StatusOr<RegMap> RegMap::load(const std::string &path) {
  if (path.empty())
    return RegMap();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat(path, ": cannot open register map"));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

uint32_t RegMap::lookup(Space space, uint32_t bar, uint64_t offset,
                        uint64_t bytes, uint32_t index) const {
  uint32_t props = 0;
  bool found = false;
  for (const RegRange &r : ranges_) {
    if (r.space != space)
      continue;
    uint64_t lo = offset, hi = offset + bytes;
    if (space == Space::Mmio && r.bar != bar)
      continue;
    if (space == Space::IdxIo) {
      if (r.port != offset)
        continue;
      lo = index;
      hi = uint64_t(index) + 1;
    }
    if (hi <= r.start || lo >= r.end)
      continue;
    // Partly covered accesses, and accesses covered by two ranges with
    // different properties, are treated as side-effecting.
    if (lo < r.start || hi > r.end)
      return 0;
    props = found ? (props & r.props) : r.props;
    found = true;
  }
  return props;
}
