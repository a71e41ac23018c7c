//===- InitSeqJSONFormat.cpp - rules shared by the JSON importer/exporter -===//
//
// The init-sequence 1.0 validation rules and the metadata syntax checks.
//
//===----------------------------------------------------------------------===//
#include "InitSeqJSONFormat.h"

#include "llvm/ADT/StringExtras.h"

using namespace gpuinit::initseq_json;
using llvm::StringRef;

StringRef gpuinit::initseq_json::v10KindName(V10Kind kind) {
  switch (kind) {
  case V10Kind::Cfg:
    return "CFG";
  case V10Kind::Mmio:
    return "MMIO";
  case V10Kind::Delay:
    return "DELAY";
  case V10Kind::Poll:
    return "POLL";
  case V10Kind::End:
    return "END";
  case V10Kind::Other:
    break;
  }
  return "?";
}

static StringRef nameOf(const V10Entry &e) {
  return e.name.empty() ? v10KindName(e.kind) : e.name;
}

bool gpuinit::initseq_json::checkEndRule(
    llvm::ArrayRef<V10Entry> ops,
    llvm::function_ref<bool(uint64_t, StringRef, const std::string &)> report) {
  if (ops.empty())
    return report(0, "", "init_sequence is empty: it must end with END"), false;
  bool ok = true;
  for (uint64_t i = 0, e = ops.size(); i + 1 < e; ++i) {
    if (ops[i].kind != V10Kind::End)
      continue;
    ok = false;
    if (!report(i, "op",
                "END before the end of the sequence: a sequence ends with "
                "exactly one END"))
      return false;
  }
  if (ops.back().kind != V10Kind::End) {
    ok = false;
    report(ops.size() - 1, "op",
           ("the sequence must end with END, but its last operation is " +
            nameOf(ops.back()))
               .str());
  }
  return ok;
}

bool gpuinit::initseq_json::checkV10Rules(
    llvm::ArrayRef<V10Entry> ops,
    llvm::function_ref<bool(uint64_t, StringRef, const std::string &)> report) {
  if (ops.empty()) {
    report(0, "",
           "init_sequence is empty: a 1.0 sequence starts with a CFG "
           "operation and ends with END");
    return false;
  }
  bool ok = true;
  // Wraps `report` so that a false return stops every rule.
  bool stop = false;
  auto fail = [&](uint64_t index, StringRef field, const std::string &msg) {
    ok = false;
    if (!stop && !report(index, field, msg))
      stop = true;
    return !stop;
  };

  // The sequence starts with at least one CFG operation.
  if (ops.front().kind != V10Kind::Cfg &&
      !fail(0, "op",
            ("a 1.0 sequence must start with a CFG operation, but operation "
             "#0 is " +
             nameOf(ops.front()))
                .str()))
    return false;

  // It ends with exactly one END.
  if (!checkEndRule(ops, [&](uint64_t i, StringRef f,
                             const std::string &m) { return fail(i, f, m); }) &&
      stop)
    return false;

  uint64_t total = 0;
  bool totalReported = false;
  for (uint64_t i = 0, e = ops.size(); i < e && !stop; ++i) {
    const V10Entry &op = ops[i];
    uint64_t cost = 0;
    if (!op.fieldsValid)
      continue;
    switch (op.kind) {
    case V10Kind::Cfg:
      // No write to the vendor and device id.
      if (op.addr <= 3)
        fail(i, "addr",
             "CFG write to offset " + std::to_string(op.addr) +
                 ": 1.0 forbids writes to the vendor/device id (offsets "
                 "0x00..0x03)");
      break;
    case V10Kind::Delay:
      if (op.ns < kV10MinDelayNs || op.ns > kV10MaxDelayNs)
        fail(i, "ns",
             "DELAY of " + std::to_string(op.ns) +
                 " ns is out of 1.0's range 1000..1000000000");
      cost = op.ns;
      break;
    case V10Kind::Poll:
      if (op.timeoutUs < kV10MinTimeoutUs || op.timeoutUs > kV10MaxTimeoutUs)
        fail(i, "timeout_us",
             "POLL timeout of " + std::to_string(op.timeoutUs) +
                 " us is out of 1.0's range 1..10000000");
      cost =
          op.timeoutUs > UINT64_MAX / 1000 ? UINT64_MAX : op.timeoutUs * 1000;
      break;
    default:
      break;
    }
    total = cost > UINT64_MAX - total ? UINT64_MAX : total + cost;
    // Total worst-case time at most 30 s: reported once, where it is crossed.
    if (!totalReported && total > kV10MaxTotalNs) {
      totalReported = true;
      fail(i, op.kind == V10Kind::Delay ? "ns" : "timeout_us",
           "the worst-case time (sum of delays and poll timeouts) exceeds "
           "1.0's limit of 30 s at this operation");
    }
  }

  // At most 1024 operations.
  if (!stop && ops.size() > kV10MaxOps)
    fail(kV10MaxOps, "",
         "init_sequence has " + std::to_string(ops.size()) +
             " operations; 1.0 allows at most 1024");
  return ok;
}

//===----------------------------------------------------------------------===//
// Metadata syntax
//===----------------------------------------------------------------------===//

/// Reads exactly `n` decimal digits at `pos`.
static bool digits(StringRef s, size_t pos, size_t n, unsigned &out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!llvm::isDigit(c))
      return false;
    out = out * 10 + unsigned(c - '0');
  }
  return true;
}

bool gpuinit::initseq_json::isRFC3339DateTime(StringRef s) {
  unsigned year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' ||
      !digits(s, 5, 2, month) || s[7] != '-' || !digits(s, 8, 2, day) ||
      (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second))
    return false;
  static const unsigned daysIn[] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1)
    return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  unsigned maxDay = daysIn[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > maxDay || hour > 23 || minute > 59 || second > 60)
    return false;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && llvm::isDigit(s[pos]))
      ++pos;
    if (pos == start)
      return false;
  }
  if (pos >= s.size())
    return false;
  if (s[pos] == 'Z' || s[pos] == 'z')
    return pos + 1 == s.size();
  if (s[pos] != '+' && s[pos] != '-')
    return false;
  unsigned oh, om;
  return pos + 6 == s.size() && digits(s, pos + 1, 2, oh) &&
         s[pos + 3] == ':' && digits(s, pos + 4, 2, om) && oh <= 23 && om <= 59;
}

bool gpuinit::initseq_json::isSha1(StringRef s) {
  return s.size() == 40 && llvm::all_of(s, [](char c) {
           return llvm::isDigit(c) || (c >= 'a' && c <= 'f');
         });
}

bool gpuinit::initseq_json::isCardSku(StringRef s) {
  return !s.empty() &&
         llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

bool gpuinit::initseq_json::isPipelineVersion(StringRef s) {
  auto [major, minor] = s.split('.');
  auto isNum = [](StringRef p) {
    return !p.empty() && llvm::all_of(p, llvm::isDigit);
  };
  return s.contains('.') && isNum(major) && isNum(minor);
}

bool gpuinit::initseq_json::isCopyrightText(StringRef s) {
  unsigned year;
  return digits(s, 0, 4, year) && s.size() > 4 && s[4] == ' ';
}

bool gpuinit::initseq_json::isURI(StringRef s) {
  size_t colon = s.find(':');
  if (colon == 0 || colon == StringRef::npos || !llvm::isAlpha(s[0]))
    return false;
  for (char c : s.take_front(colon))
    if (!llvm::isAlnum(c) && c != '+' && c != '-' && c != '.')
      return false;
  return llvm::all_of(s.drop_front(colon + 1), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
  });
}

std::string gpuinit::initseq_json::cardSkuFromName(StringRef name) {
  if (name.empty())
    return "unnamed";
  std::string sku = name.str();
  for (char &c : sku)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  return sku;
}
