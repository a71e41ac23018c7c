//===- LaunchDesc.cpp - parse JSON launch descriptions --------------------===//
//
// The launch-description schema of docs/Runtime.md, element encoding and
// formatting (with IEEE half conversion), and the buffer check behind
// "expect".
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/LaunchDesc.h"

#include "DeviceBackends.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

using namespace gpuinit::runtime;
using nlohmann::json;

//===----------------------------------------------------------------------===//
// Elements
//===----------------------------------------------------------------------===//

namespace {
struct TypeEntry {
  ElementType type;
  const char *name;
  uint32_t size;
};
constexpr TypeEntry kTypes[] = {
    {ElementType::I8, "i8", 1},   {ElementType::U8, "u8", 1},
    {ElementType::I16, "i16", 2}, {ElementType::U16, "u16", 2},
    {ElementType::I32, "i32", 4}, {ElementType::U32, "u32", 4},
    {ElementType::I64, "i64", 8}, {ElementType::U64, "u64", 8},
    {ElementType::F16, "f16", 2}, {ElementType::F32, "f32", 4},
    {ElementType::F64, "f64", 8},
};

bool isSigned(ElementType t) {
  return t == ElementType::I8 || t == ElementType::I16 ||
         t == ElementType::I32 || t == ElementType::I64;
}

template <typename T> void store(uint8_t *out, T v) {
  std::memcpy(out, &v, sizeof(T));
}
template <typename T> T load(const uint8_t *in) {
  T v;
  std::memcpy(&v, in, sizeof(T));
  return v;
}

template <typename T> std::string shortest(T v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  // Plain decimals for the everyday range (1000000, not 1e+06), the
  // shortest round-trip form otherwise; both read back to the same value.
  char buf[512];
  T mag = std::fabs(v);
  auto r =
      (mag == 0 || (mag >= T(1e-5) && mag < T(1e16)))
          ? std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed)
          : std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}
} // namespace

absl::string_view gpuinit::runtime::elementTypeName(ElementType type) {
  for (const TypeEntry &e : kTypes)
    if (e.type == type)
      return e.name;
  return "?";
}

std::optional<ElementType>
gpuinit::runtime::parseElementType(absl::string_view name) {
  for (const TypeEntry &e : kTypes)
    if (name == e.name)
      return e.type;
  return std::nullopt;
}

uint32_t gpuinit::runtime::elementSize(ElementType type) {
  for (const TypeEntry &e : kTypes)
    if (e.type == type)
      return e.size;
  return 1;
}

bool gpuinit::runtime::isFloat(ElementType type) {
  return type == ElementType::F16 || type == ElementType::F32 ||
         type == ElementType::F64;
}

uint16_t gpuinit::runtime::floatToHalf(float value) {
  uint32_t x;
  std::memcpy(&x, &value, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t exp = (x >> 23) & 0xff;
  uint32_t mant = x & 0x7fffff;
  if (exp == 0xff) // inf, or NaN kept quiet with its top payload bits
    return uint16_t(sign | 0x7c00 | (mant ? 0x200 | (mant >> 13) : 0));
  int e = int(exp) - 127 + 15;
  if (e >= 31)
    return uint16_t(sign | 0x7c00);
  if (e <= 0) {
    // Subnormal half: the significand (with its implicit bit) shifted right.
    if (e < -11 || exp == 0)
      return uint16_t(sign);
    mant |= 0x800000;
    int shift = 14 - e;
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1)))
      ++half;
    return uint16_t(sign | half);
  }
  uint32_t half = (uint32_t(e) << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fff;
  // A carry out of the significand correctly bumps the exponent (to inf at
  // the top).
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
    ++half;
  return uint16_t(sign | half);
}

float gpuinit::runtime::halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exp = (bits >> 10) & 0x1f;
  uint32_t mant = bits & 0x3ff;
  uint32_t x;
  if (exp == 0) {
    float v = std::ldexp(float(mant), -24);
    return sign ? -v : v;
  }
  if (exp == 31)
    x = sign | 0x7f800000 | (mant << 13);
  else
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

absl::Status gpuinit::runtime::encodeInteger(ElementType type, int64_t value,
                                             bool isUnsigned, uint8_t *out) {
  uint32_t size = elementSize(type);
  bool negative = !isUnsigned && value < 0;
  uint64_t mag = uint64_t(value);
  bool fits;
  if (isSigned(type)) {
    int64_t lo = size == 8 ? std::numeric_limits<int64_t>::min()
                           : -(int64_t(1) << (size * 8 - 1));
    int64_t hi = size == 8 ? std::numeric_limits<int64_t>::max()
                           : (int64_t(1) << (size * 8 - 1)) - 1;
    fits = negative ? value >= lo : mag <= uint64_t(hi);
  } else {
    uint64_t hi = size == 8 ? ~uint64_t(0) : (uint64_t(1) << (size * 8)) - 1;
    fits = !negative && mag <= hi;
  }
  if (!fits)
    return absl::OutOfRangeError(
        absl::StrCat(isUnsigned ? absl::StrCat(mag) : absl::StrCat(value),
                     " does not fit ", elementTypeName(type)));
  for (uint32_t i = 0; i < size; ++i)
    out[i] = uint8_t(mag >> (8 * i));
  return absl::OkStatus();
}

absl::Status gpuinit::runtime::encodeElement(ElementType type, double value,
                                             uint8_t *out) {
  switch (type) {
  case ElementType::F16:
    store(out, floatToHalf(float(value)));
    return absl::OkStatus();
  case ElementType::F32:
    store(out, float(value));
    return absl::OkStatus();
  case ElementType::F64:
    store(out, value);
    return absl::OkStatus();
  default:
    break;
  }
  if (!std::isfinite(value) || std::trunc(value) != value)
    return absl::InvalidArgumentError(
        absl::StrCat(shortest(value), " is not an integer (element type ",
                     elementTypeName(type), ")"));
  if (value >= 0x1p63 && value < 0x1p64)
    return encodeInteger(type, int64_t(uint64_t(value)), true, out);
  if (value < -0x1p63 || value >= 0x1p63)
    return absl::OutOfRangeError(
        absl::StrCat(shortest(value), " does not fit ", elementTypeName(type)));
  return encodeInteger(type, int64_t(value), false, out);
}

double gpuinit::runtime::decodeElement(ElementType type, const uint8_t *b) {
  switch (type) {
  case ElementType::I8:
    return load<int8_t>(b);
  case ElementType::U8:
    return load<uint8_t>(b);
  case ElementType::I16:
    return load<int16_t>(b);
  case ElementType::U16:
    return load<uint16_t>(b);
  case ElementType::I32:
    return load<int32_t>(b);
  case ElementType::U32:
    return load<uint32_t>(b);
  case ElementType::I64:
    return double(load<int64_t>(b));
  case ElementType::U64:
    return double(load<uint64_t>(b));
  case ElementType::F16:
    return halfToFloat(load<uint16_t>(b));
  case ElementType::F32:
    return load<float>(b);
  case ElementType::F64:
    return load<double>(b);
  }
  return 0;
}

std::string gpuinit::runtime::formatElement(ElementType type,
                                            const uint8_t *b) {
  switch (type) {
  case ElementType::I8:
    return absl::StrCat(load<int8_t>(b));
  case ElementType::U8:
    return absl::StrCat(load<uint8_t>(b));
  case ElementType::I16:
    return absl::StrCat(load<int16_t>(b));
  case ElementType::U16:
    return absl::StrCat(load<uint16_t>(b));
  case ElementType::I32:
    return absl::StrCat(load<int32_t>(b));
  case ElementType::U32:
    return absl::StrCat(load<uint32_t>(b));
  case ElementType::I64:
    return absl::StrCat(load<int64_t>(b));
  case ElementType::U64:
    return absl::StrCat(load<uint64_t>(b));
  case ElementType::F16:
    return shortest(halfToFloat(load<uint16_t>(b)));
  case ElementType::F32:
    return shortest(load<float>(b));
  case ElementType::F64:
    return shortest(load<double>(b));
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {

/// splitmix64: a small generator whose sequence is fixed by its seed.
struct Random {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 bits.
  double unit() { return double(next() >> 11) * 0x1p-53; }
};

struct Parser {
  std::string file;
  std::string baseDir;

  absl::Status fail(const std::string &path, absl::string_view msg) const {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": ", path, ": ", msg));
  }

  /// Rejects keys outside `allowed` (a typo would otherwise be ignored).
  absl::Status checkKeys(const json &j, const std::string &path,
                         std::initializer_list<const char *> allowed) const {
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool ok = false;
      for (const char *a : allowed)
        ok |= it.key() == a;
      if (!ok) {
        std::string list;
        for (const char *a : allowed)
          absl::StrAppend(&list, list.empty() ? "" : ", ", a);
        return fail(path, absl::StrCat("unknown key '", it.key(),
                                       "' (expected one of: ", list, ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint32_t> readU32(const json &j,
                                   const std::string &path) const {
    if (j.is_number_unsigned() && j.get<uint64_t>() <= UINT32_MAX)
      return uint32_t(j.get<uint64_t>());
    if (j.is_number_integer() && j.get<int64_t>() >= 0 &&
        j.get<int64_t>() <= INT64_C(0xffffffff))
      return uint32_t(j.get<int64_t>());
    return fail(path, absl::StrCat("expected an unsigned 32-bit integer, got ",
                                   j.dump()));
  }

  absl::StatusOr<Dim3> readDim3(const json &j, const std::string &path) const {
    Dim3 d;
    if (j.is_number()) {
      absl::StatusOr<uint32_t> x = readU32(j, path);
      if (!x.ok())
        return x.status();
      d.x = *x;
    } else if (j.is_array() && !j.empty() && j.size() <= 3) {
      uint32_t *out[3] = {&d.x, &d.y, &d.z};
      for (size_t i = 0; i < j.size(); ++i) {
        absl::StatusOr<uint32_t> v =
            readU32(j[i], absl::StrCat(path, "[", i, "]"));
        if (!v.ok())
          return v.status();
        *out[i] = *v;
      }
    } else {
      return fail(path, "expected a number or a list of 1 to 3 numbers");
    }
    if (d.count() == 0)
      return fail(path, "every dimension must be at least 1");
    return d;
  }

  /// One value of element type `type` from JSON: a number; for integers
  /// also a decimal or 0x-hex string (exact past 2^53); for floats also
  /// "nan", "inf", "-inf" or a 0x-hex string of the bits.
  absl::Status readElement(ElementType type, const json &j,
                           const std::string &path, uint8_t *out) const {
    absl::Status s;
    if (j.is_number_unsigned() && !isFloat(type)) {
      s = encodeInteger(type, int64_t(j.get<uint64_t>()), true, out);
    } else if (j.is_number_integer() && !isFloat(type)) {
      s = encodeInteger(type, j.get<int64_t>(), false, out);
    } else if (j.is_number()) {
      s = encodeElement(type, j.get<double>(), out);
    } else if (j.is_string()) {
      std::string text = absl::AsciiStrToLower(j.get<std::string>());
      uint64_t bits;
      int64_t signedValue;
      if (absl::StartsWith(text, "0x")) {
        if (!absl::SimpleHexAtoi(text, &bits))
          return fail(path, absl::StrCat("bad hex value '", text, "'"));
        uint32_t size = elementSize(type);
        if (size < 8 && bits >> (size * 8))
          return fail(path,
                      absl::StrCat(text, " has more than ", size * 8, " bits"));
        for (uint32_t i = 0; i < size; ++i)
          out[i] = uint8_t(bits >> (8 * i));
        return absl::OkStatus();
      }
      if (isFloat(type)) {
        double v;
        if (text == "nan")
          v = std::numeric_limits<double>::quiet_NaN();
        else if (text == "inf" || text == "+inf")
          v = std::numeric_limits<double>::infinity();
        else if (text == "-inf")
          v = -std::numeric_limits<double>::infinity();
        else if (!absl::SimpleAtod(text, &v))
          return fail(path, absl::StrCat("bad number '", text, "'"));
        s = encodeElement(type, v, out);
      } else if (!text.empty() && text[0] != '-' &&
                 absl::SimpleAtoi(text, &bits)) {
        s = encodeInteger(type, int64_t(bits), true, out);
      } else if (absl::SimpleAtoi(text, &signedValue)) {
        s = encodeInteger(type, signedValue, false, out);
      } else {
        return fail(path, absl::StrCat("bad integer '", text, "'"));
      }
    } else {
      return fail(path, absl::StrCat("expected a number, got ", j.dump()));
    }
    if (!s.ok())
      return fail(path, s.message());
    return absl::OkStatus();
  }

  /// Buffer contents from "data", "count", "fill" and "file" of `j`.
  /// `defaultCount` applies when none of them sets the count (expect).
  absl::StatusOr<std::vector<uint8_t>>
  readContents(ElementType type, const json &j, const std::string &path,
               std::optional<uint64_t> defaultCount) const {
    uint32_t size = elementSize(type);
    std::optional<uint64_t> count;
    if (j.contains("count")) {
      const json &c = j["count"];
      if (!c.is_number_integer() || c.get<int64_t>() < 0)
        return fail(path + ".count", "expected a non-negative integer");
      count = c.get<uint64_t>();
      if (*count > (uint64_t(1) << 32))
        return fail(path + ".count", "more than 2^32 elements");
    }
    if (j.contains("file")) {
      if (j.contains("data") || j.contains("fill"))
        return fail(path, "\"file\" excludes \"data\" and \"fill\"");
      if (!j["file"].is_string())
        return fail(path + ".file", "expected a path");
      std::string name = j["file"].get<std::string>();
      if (!name.empty() && name[0] != '/')
        name = absl::StrCat(baseDir, "/", name);
      absl::StatusOr<std::vector<uint8_t>> bytes = detail::readFileBytes(name);
      if (!bytes.ok())
        return fail(path + ".file", bytes.status().message());
      if (bytes->size() % size)
        return fail(path + ".file",
                    absl::StrCat(name, " has ", bytes->size(),
                                 " bytes, not a whole number of ",
                                 elementTypeName(type), " elements"));
      if (count && *count != bytes->size() / size)
        return fail(path + ".count",
                    absl::StrCat(*count, " differs from the ",
                                 bytes->size() / size, " elements of ", name));
      return *bytes;
    }
    std::vector<uint8_t> out;
    size_t given = 0;
    if (j.contains("data")) {
      const json &data = j["data"];
      if (!data.is_array())
        return fail(path + ".data", "expected a list of numbers");
      given = data.size();
      out.resize(given * size);
      for (size_t i = 0; i < given; ++i)
        if (absl::Status s =
                readElement(type, data[i], absl::StrCat(path, ".data[", i, "]"),
                            &out[i * size]);
            !s.ok())
          return s;
    }
    if (!count)
      count =
          j.contains("data") ? std::optional<uint64_t>(given) : defaultCount;
    if (!count)
      return fail(path, "needs \"data\", \"count\" or \"file\"");
    if (*count < given)
      return fail(path + ".count", absl::StrCat(*count, " is less than the ",
                                                given, " values of \"data\""));
    out.resize(*count * size);
    if (!j.contains("fill"))
      return out; // zeros after the data
    const json &fill = j["fill"];
    std::string fp = path + ".fill";
    if (fill.is_number() || fill.is_string()) {
      std::vector<uint8_t> one(size);
      if (absl::Status s = readElement(type, fill, fp, one.data()); !s.ok())
        return s;
      for (uint64_t i = given; i < *count; ++i)
        std::memcpy(&out[i * size], one.data(), size);
      return out;
    }
    if (!fill.is_object())
      return fail(fp, "expected a value, {\"start\", \"step\"} or "
                      "{\"random\", \"min\", \"max\"}");
    auto number = [&](const char *key, double dflt) -> absl::StatusOr<double> {
      if (!fill.contains(key))
        return dflt;
      if (!fill[key].is_number())
        return fail(absl::StrCat(fp, ".", key), "expected a number");
      return fill[key].get<double>();
    };
    if (fill.contains("random")) {
      if (absl::Status s = checkKeys(fill, fp, {"random", "min", "max"});
          !s.ok())
        return s;
      if (!fill["random"].is_number_unsigned())
        return fail(fp + ".random", "expected a seed (unsigned integer)");
      Random rng{fill["random"].get<uint64_t>()};
      absl::StatusOr<double> lo = number("min", 0);
      absl::StatusOr<double> hi = number("max", isFloat(type) ? 1 : 100);
      if (!lo.ok())
        return lo.status();
      if (!hi.ok())
        return hi.status();
      if (*hi < *lo)
        return fail(fp, "max is less than min");
      for (uint64_t i = given; i < *count; ++i) {
        double v;
        if (isFloat(type))
          v = *lo + (*hi - *lo) * rng.unit();
        else
          v = std::floor(*lo) +
              double(rng.next() %
                     (uint64_t(std::floor(*hi) - std::floor(*lo)) + 1));
        if (absl::Status s = encodeElement(type, v, &out[i * size]); !s.ok())
          return fail(fp, s.message());
      }
      return out;
    }
    if (absl::Status s = checkKeys(fill, fp, {"start", "step"}); !s.ok())
      return s;
    absl::StatusOr<double> start = number("start", 0);
    absl::StatusOr<double> step = number("step", 1);
    if (!start.ok())
      return start.status();
    if (!step.ok())
      return step.status();
    for (uint64_t i = given; i < *count; ++i)
      if (absl::Status s =
              encodeElement(type, *start + double(i) * *step, &out[i * size]);
          !s.ok())
        return fail(fp, absl::StrCat("element ", i, ": ", s.message()));
    return out;
  }

  absl::StatusOr<LaunchArg> readArg(const json &j, size_t index) const {
    std::string path = absl::StrCat("args[", index, "]");
    if (!j.is_object())
      return fail(path, "expected an object");
    LaunchArg arg;
    arg.name = absl::StrCat("arg", index);
    if (j.contains("name")) {
      if (!j["name"].is_string() || j["name"].get<std::string>().empty())
        return fail(path + ".name", "expected a non-empty string");
      arg.name = j["name"].get<std::string>();
    }
    bool buffer = j.contains("buffer"), scalar = j.contains("scalar");
    if (buffer == scalar)
      return fail(path, "needs exactly one of \"buffer\": <element type> or "
                        "\"scalar\": <type>");
    const json &t = buffer ? j["buffer"] : j["scalar"];
    std::optional<ElementType> type =
        t.is_string() ? parseElementType(t.get<std::string>()) : std::nullopt;
    std::string tp = path + (buffer ? ".buffer" : ".scalar");
    if (!type)
      return fail(tp, absl::StrCat("unknown element type ", t.dump(),
                                   " (expected i8, u8, i16, u16, i32, u32, "
                                   "i64, u64, f16, f32 or f64)"));
    arg.type = *type;
    if (scalar) {
      arg.kind = LaunchArg::Kind::Scalar;
      if (absl::Status s = checkKeys(j, path, {"name", "scalar", "value"});
          !s.ok())
        return s;
      if (elementSize(*type) != 4 && elementSize(*type) != 8)
        return fail(tp,
                    absl::StrCat("scalars are 32 or 64 bits (i32, u32, f32, "
                                 "i64, u64, f64), not ",
                                 elementTypeName(*type)));
      if (!j.contains("value"))
        return fail(path, "a scalar needs \"value\"");
      arg.bytes.resize(elementSize(*type));
      if (absl::Status s =
              readElement(*type, j["value"], path + ".value", arg.bytes.data());
          !s.ok())
        return s;
      return arg;
    }
    if (absl::Status s = checkKeys(j, path,
                                   {"name", "buffer", "data", "count", "fill",
                                    "file", "print", "expect"});
        !s.ok())
      return s;
    absl::StatusOr<std::vector<uint8_t>> bytes =
        readContents(*type, j, path, std::nullopt);
    if (!bytes.ok())
      return bytes.status();
    arg.bytes = std::move(*bytes);
    if (j.contains("print")) {
      if (!j["print"].is_boolean())
        return fail(path + ".print", "expected true or false");
      arg.print = j["print"].get<bool>();
    }
    if (j.contains("expect")) {
      const json &e = j["expect"];
      std::string ep = path + ".expect";
      json spec = e.is_array() ? json{{"data", e}} : e;
      if (!spec.is_object())
        return fail(ep, "expected a list of values or an object with "
                        "\"data\"/\"fill\"/\"file\" and \"atol\"/\"rtol\"");
      if (absl::Status s = checkKeys(
              spec, ep, {"data", "count", "fill", "file", "atol", "rtol"});
          !s.ok())
        return s;
      Expectation x;
      absl::StatusOr<std::vector<uint8_t>> want =
          readContents(*type, spec, ep, arg.count());
      if (!want.ok())
        return want.status();
      if (want->size() != arg.bytes.size())
        return fail(ep, absl::StrCat(want->size() / elementSize(*type),
                                     " expected values for a buffer of ",
                                     arg.count(), " elements"));
      x.bytes = std::move(*want);
      for (auto [key, out] :
           {std::pair<const char *, double *>{"atol", &x.atol},
            {"rtol", &x.rtol}}) {
        if (!spec.contains(key))
          continue;
        if (!spec[key].is_number() || spec[key].get<double>() < 0)
          return fail(absl::StrCat(ep, ".", key), "expected a number >= 0");
        if (!isFloat(*type))
          return fail(absl::StrCat(ep, ".", key),
                      "tolerances apply to float buffers only");
        *out = spec[key].get<double>();
      }
      arg.expect = std::move(x);
    }
    return arg;
  }

  absl::StatusOr<LaunchDesc> read(absl::string_view text) const {
    json j = json::parse(text.begin(), text.end(), nullptr,
                         /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      // Parse again for the message with its byte offset.
      try {
        (void)json::parse(text.begin(), text.end());
      } catch (const json::parse_error &e) {
        // what() is "[json.exception.parse_error.N] parse error at line L,
        // column C: why".
        absl::string_view what = e.what();
        size_t at = what.find("parse error at ");
        if (at != absl::string_view::npos)
          return absl::InvalidArgumentError(
              absl::StrCat(file, ": invalid JSON at ", what.substr(at + 15)));
        return absl::InvalidArgumentError(
            absl::StrCat(file, ": invalid JSON at byte ", e.byte, ": ", what));
      }
      return absl::InvalidArgumentError(absl::StrCat(file, ": invalid JSON"));
    }
    if (!j.is_object())
      return fail("(top)", "expected an object");
    if (absl::Status s = checkKeys(
            j, "(top)", {"kernel", "grid", "block", "shared_bytes", "args"});
        !s.ok())
      return s;
    LaunchDesc d;
    if (!j.contains("kernel") || !j["kernel"].is_string() ||
        j["kernel"].get<std::string>().empty())
      return fail("kernel", "expected the kernel's name (a non-empty string)");
    d.kernel = j["kernel"].get<std::string>();
    if (!j.contains("grid"))
      return fail("grid", "missing (number of workgroups: n or [x, y, z])");
    absl::StatusOr<Dim3> grid = readDim3(j["grid"], "grid");
    if (!grid.ok())
      return grid.status();
    d.grid = *grid;
    if (j.contains("block")) {
      absl::StatusOr<Dim3> block = readDim3(j["block"], "block");
      if (!block.ok())
        return block.status();
      d.block = *block;
    }
    if (j.contains("shared_bytes")) {
      absl::StatusOr<uint32_t> s = readU32(j["shared_bytes"], "shared_bytes");
      if (!s.ok())
        return s.status();
      d.sharedBytes = *s;
    }
    if (j.contains("args")) {
      if (!j["args"].is_array())
        return fail("args", "expected a list");
      std::set<std::string> names;
      for (size_t i = 0; i < j["args"].size(); ++i) {
        absl::StatusOr<LaunchArg> a = readArg(j["args"][i], i);
        if (!a.ok())
          return a.status();
        if (!names.insert(a->name).second)
          return fail(absl::StrCat("args[", i, "].name"),
                      absl::StrCat("'", a->name, "' names two arguments"));
        d.args.push_back(std::move(*a));
      }
    }
    return d;
  }
};

} // namespace

absl::StatusOr<LaunchDesc>
gpuinit::runtime::parseLaunchDesc(absl::string_view text,
                                  absl::string_view fileName,
                                  const std::string &baseDir) {
  Parser p{std::string(fileName), baseDir};
  return p.read(text);
}

absl::StatusOr<LaunchDesc>
gpuinit::runtime::loadLaunchDesc(const std::string &path) {
  absl::StatusOr<std::vector<uint8_t>> bytes = detail::readFileBytes(path);
  if (!bytes.ok())
    return bytes.status();
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty())
    dir = "/";
  return parseLaunchDesc(
      absl::string_view(reinterpret_cast<const char *>(bytes->data()),
                        bytes->size()),
      path, dir);
}

std::vector<Mismatch>
gpuinit::runtime::compareBuffer(const LaunchArg &arg,
                                absl::Span<const uint8_t> got, uint64_t &total,
                                size_t limit) {
  std::vector<Mismatch> out;
  total = 0;
  if (!arg.expect)
    return out;
  const Expectation &x = *arg.expect;
  uint32_t size = elementSize(arg.type);
  uint64_t n = std::min<uint64_t>(got.size(), x.bytes.size()) / size;
  for (uint64_t i = 0; i < n; ++i) {
    const uint8_t *g = &got[i * size], *w = &x.bytes[i * size];
    bool same;
    if (isFloat(arg.type)) {
      double gv = decodeElement(arg.type, g), wv = decodeElement(arg.type, w);
      if (std::isnan(gv) || std::isnan(wv))
        same = std::isnan(gv) && std::isnan(wv);
      else if (std::isinf(wv))
        same = gv == wv;
      else
        same = std::fabs(gv - wv) <= x.atol + x.rtol * std::fabs(wv);
    } else {
      same = std::memcmp(g, w, size) == 0;
    }
    if (same)
      continue;
    if (out.size() < limit)
      out.push_back(
          {i, formatElement(arg.type, g), formatElement(arg.type, w)});
    ++total;
  }
  return out;
}
