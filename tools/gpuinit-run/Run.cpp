//===- Run.cpp - gpuinit-run run ------------------------------------------===//
//
// Runs a host program written in the kernel dialect on a runtime device:
// compiles the program's kernel.modules for the device (SPIR-V for Vulkan,
// PTX for CUDA, a shared object for the CPU), then interprets the host
// function over host values (arith, math, memref, scf and func ops;
// kernel.alloc/copy/launch/wait/free on the device) and prints the memrefs
// it was given (docs/Runtime.md, "Running kernel-dialect programs").
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "gpuinit/Dialect/Kernel/IR/Kernel.h"
#include "gpuinit/InitAll.h"
#include "gpuinit/Runtime/Device.h"
#include "gpuinit/Runtime/LaunchDesc.h"
#include "gpuinit/Target/Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace gpuinit::run;
using namespace mlir;
namespace rt = gpuinit::runtime;
namespace kn = gpuinit::kernel;
using llvm::APFloat;
using llvm::APInt;

namespace {

const char *const kRunUsage =
    R"(usage: gpuinit-run run --device=<backend>[:<device>] [options] <program.mlir>

Runs a host program written in the kernel dialect. The program's kernel.modules
are compiled for the device (vulkan: SPIR-V, kernels of other targets
retargeted to 'vulkan 1.1'; cuda: PTX, other targets retargeted to the
device's SM; cpu: a shared object), then the host function is interpreted:
arith and math, memref (alloc, alloca, dealloc, dim, load, store, cast, copy,
get_global of dense memref.globals), scf (for, if, while), func (call,
return) and kernel (alloc, copy, launch, wait, free) ops. Afterwards the
memref arguments are printed, one element per line ('arg2[0] = 3'), and the
function's results ('result0 = 5').

options:
  --device=<backend>[:<device>]  vulkan, cuda or cpu; <device> is an index or a
                                 name substring from 'gpuinit-run devices'
  --entry=@<name>                the host function to run (default: the only
                                 public func.func with a body)
  --arg <i>=<spec>               argument i (0-based; also 'arg<i>') of the host
                                 function; every argument needs one
  --print=<i>,<j>,...|none       print these memref arguments (default: all)
  --format=lines|text            lines: 'arg2[i] = v' per element; text:
                                 'arg2 = [v0, v1, ...]' per memref
  --time                         print each launch's kernel time
  --vulkan-staging               keep Vulkan buffers in device-local memory
  --threads=<n>                  cpu: worker threads running workgroups
  --help                         this text

A memref argument (host memory, or a device buffer in
#gpu.address_space<global>, uploaded before the run and read back after it)
has the <spec> [<type>:][<shape>:][<contents>]:
  <type>      the element type (i32, f32, ...); optional, must match
  <shape>     dimensions, '1024' or '64x64'; optional when the memref type is
              static (or 1-D and the contents come from a file)
  <contents>  zero (default) | fill=<v> | iota[=<start>[,<step>]] |
              data=<v>,<v>,... (the rest zero) |
              random=<seed>[,<lo>,<hi>] | file=<path> or file:<path> (raw
              little-endian bytes)
e.g. --arg 0=f32:1024:iota   --arg 1=f32:64x64:fill=1.5   --arg 2=file=x.bin
A scalar argument's <spec> is [<type>:]<value>, e.g. --arg 3=1000.

Exit codes: 0 success, 2 bad usage or input, an op the interpreter cannot run,
or a device error (located at the op that caused it).
)";

struct Options {
  std::string device;
  std::string entry;
  std::string program;
  std::string format = "lines";
  std::vector<std::string> args;
  std::optional<std::string> print;
  bool time = false;
  bool staging = false;
  unsigned threads = 0;
};

llvm::StringRef ref(absl::string_view s) { return {s.data(), s.size()}; }

int usageError(const llvm::Twine &msg) {
  llvm::errs() << "gpuinit-run run: " << msg << "\n"
               << "Run 'gpuinit-run run --help' for usage.\n";
  return kExitError;
}

int fail(const llvm::Twine &msg) {
  llvm::errs() << "gpuinit-run: error: " << msg << "\n";
  return kExitError;
}

/// Parses the command line; returns an exit code when done (help, error).
std::optional<int> parseOptions(llvm::ArrayRef<llvm::StringRef> args,
                                Options &opts) {
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    auto value = [&](llvm::StringRef flag, std::string &out) {
      return flagValue(args, i, flag, out);
    };
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << kRunUsage;
      return kExitOk;
    }
    if (arg == "--time") {
      opts.time = true;
      continue;
    }
    if (arg == "--vulkan-staging") {
      opts.staging = true;
      continue;
    }
    std::string text;
    if (std::optional<bool> r = value("--arg", text)) {
      if (!*r || text.empty())
        return usageError("--arg needs <i>=<spec>");
      opts.args.push_back(text);
      continue;
    }
    if (std::optional<bool> r = value("--print", text)) {
      if (!*r || text.empty())
        return usageError("--print needs a list of arguments or 'none'");
      opts.print = text;
      continue;
    }
    if (std::optional<bool> r = value("--threads", text)) {
      if (!*r || llvm::StringRef(text).getAsInteger(10, opts.threads) ||
          opts.threads == 0)
        return usageError("--threads needs a positive number");
      continue;
    }
    bool matched = false;
    for (auto [flag, out] :
         {std::pair<llvm::StringRef, std::string *>{"--device", &opts.device},
          {"--entry", &opts.entry},
          {"--format", &opts.format}}) {
      if (std::optional<bool> r = value(flag, *out)) {
        if (!*r || out->empty())
          return usageError(llvm::Twine(flag) + " needs a value");
        matched = true;
        break;
      }
    }
    if (matched)
      continue;
    if (arg.starts_with("-") && arg != "-")
      return usageError(llvm::Twine("unknown option '") + arg + "'");
    if (!opts.program.empty())
      return usageError(llvm::Twine("more than one program ('") + opts.program +
                        "', '" + arg + "')");
    opts.program = arg.str();
  }
  if (opts.device.empty())
    return usageError("--device=vulkan|cuda|cpu is required");
  if (opts.program.empty())
    return usageError("no program");
  if (opts.format != "lines" && opts.format != "text")
    return usageError("--format must be lines or text");
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Host values
//===----------------------------------------------------------------------===//

/// Host memory: a row-major array of elements (memref.alloc, get_global, or
/// an argument of the host function).
struct HostMemory {
  Type element;
  unsigned elementBytes = 0;
  SmallVector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

/// A device buffer made by kernel.alloc.
struct DeviceMemory {
  Type element;
  unsigned elementBytes = 0;
  SmallVector<int64_t> shape;
  std::unique_ptr<rt::Buffer> buffer;
  bool freed = false;
};

/// The value of an SSA value of host code.
struct HostValue {
  enum class Kind { None, Integer, Float, Host, Device };
  Kind kind = Kind::None;
  /// Integers and index (64 bits); i1 for conditions.
  APInt integer;
  APFloat real = APFloat(0.0);
  std::shared_ptr<HostMemory> host;
  std::shared_ptr<DeviceMemory> device;

  static HostValue ofInt(APInt v) {
    HostValue r;
    r.kind = Kind::Integer;
    r.integer = std::move(v);
    return r;
  }
  static HostValue ofFloat(APFloat v) {
    HostValue r;
    r.kind = Kind::Float;
    r.real = std::move(v);
    return r;
  }
  static HostValue ofHost(std::shared_ptr<HostMemory> m) {
    HostValue r;
    r.kind = Kind::Host;
    r.host = std::move(m);
    return r;
  }
  static HostValue ofDevice(std::shared_ptr<DeviceMemory> m) {
    HostValue r;
    r.kind = Kind::Device;
    r.device = std::move(m);
    return r;
  }
};

/// Bit width of an integer or index value (index is 64 bits on the host).
unsigned intWidth(Type t) {
  return t.isIndex() ? IndexType::kInternalStorageBitWidth
                     : t.getIntOrFloatBitWidth();
}

/// Bytes of one element of host memory of type `t`, or std::nullopt for an
/// element type the interpreter does not store.
std::optional<unsigned> hostElementBytes(Type t) {
  if (t.isIndex())
    return 8;
  if (auto it = dyn_cast<IntegerType>(t)) {
    switch (it.getWidth()) {
    case 1:
    case 8:
      return 1;
    case 16:
      return 2;
    case 32:
      return 4;
    case 64:
      return 8;
    default:
      return std::nullopt;
    }
  }
  if (auto ft = dyn_cast<FloatType>(t))
    if (ft.getWidth() == 16 || ft.getWidth() == 32 || ft.getWidth() == 64)
      return ft.getWidth() / 8;
  return std::nullopt;
}

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

uint64_t readBits(const uint8_t *p, unsigned bytes) {
  uint64_t bits = 0;
  for (unsigned b = 0; b < bytes; ++b)
    bits |= uint64_t(p[b]) << (8 * b);
  return bits;
}

void writeBits(uint64_t bits, unsigned bytes, uint8_t *p) {
  for (unsigned b = 0; b < bytes; ++b)
    p[b] = uint8_t(bits >> (8 * b));
}

HostValue readElement(Type t, unsigned bytes, const uint8_t *p) {
  uint64_t bits = readBits(p, bytes);
  if (auto ft = dyn_cast<FloatType>(t))
    return HostValue::ofFloat(
        APFloat(ft.getFloatSemantics(), APInt(ft.getWidth(), bits)));
  unsigned width = intWidth(t);
  if (width < 64)
    bits &= (uint64_t(1) << width) - 1;
  return HostValue::ofInt(APInt(width, bits));
}

void writeElement(const HostValue &v, unsigned bytes, uint8_t *p) {
  uint64_t bits = v.kind == HostValue::Kind::Float
                      ? v.real.bitcastToAPInt().getZExtValue()
                      : v.integer.getZExtValue();
  writeBits(bits, bytes, p);
}

/// One scalar as text: integers in decimal (signed unless the type is
/// unsigned or i1), floats like `gpuinit-run launch` prints them.
std::string formatScalar(Type t, const HostValue &v) {
  if (v.kind == HostValue::Kind::Float) {
    uint8_t bytes[8];
    unsigned width = cast<FloatType>(t).getWidth();
    if (t.isF16() || t.isF32() || t.isF64()) {
      writeElement(v, width / 8, bytes);
      return rt::formatElement(t.isF16()   ? rt::ElementType::F16
                               : t.isF32() ? rt::ElementType::F32
                                           : rt::ElementType::F64,
                               bytes);
    }
    APFloat f = v.real;
    bool loses;
    f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &loses);
    writeElement(HostValue::ofFloat(f), 4, bytes);
    return rt::formatElement(rt::ElementType::F32, bytes);
  }
  bool isUnsigned = t.isUnsignedInteger() || t.isInteger(1);
  return llvm::toString(v.integer, 10, !isUnsigned);
}

uint64_t elementCount(ArrayRef<int64_t> shape) {
  uint64_t n = 1;
  for (int64_t d : shape)
    n *= uint64_t(d);
  return n;
}

/// Buffers larger than this are refused (a typo in a shape, not a program).
constexpr uint64_t kMaxBufferBytes = uint64_t(1) << 36;

/// count * elementBytes, or std::nullopt past kMaxBufferBytes.
std::optional<uint64_t> byteSize(ArrayRef<int64_t> shape, unsigned elemBytes) {
  uint64_t n = elemBytes;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d != 0 && n > kMaxBufferBytes / uint64_t(d))
      return std::nullopt;
    n *= uint64_t(d);
  }
  if (n > kMaxBufferBytes)
    return std::nullopt;
  return n;
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

//===----------------------------------------------------------------------===//
// --arg specs
//===----------------------------------------------------------------------===//

/// Parses one value of scalar type `t`.
FailureOr<HostValue> parseScalar(Type t, llvm::StringRef text,
                                 std::string &error) {
  text = text.trim();
  if (auto ft = dyn_cast<FloatType>(t)) {
    APFloat f(ft.getFloatSemantics());
    llvm::Expected<APFloat::opStatus> status =
        f.convertFromString(text, APFloat::rmNearestTiesToEven);
    if (!status || text.empty()) {
      if (!status)
        llvm::consumeError(status.takeError());
      error = "'" + text.str() + "' is not a " + typeString(t) + " value";
      return failure();
    }
    return HostValue::ofFloat(f);
  }
  unsigned width = intWidth(t);
  llvm::StringRef digits = text;
  if (t.isInteger(1) && (text == "true" || text == "false"))
    return HostValue::ofInt(APInt(1, text == "true"));
  bool negative = digits.consume_front("-");
  APInt magnitude;
  if (digits.empty() || digits.getAsInteger(0, magnitude)) {
    error = "'" + text.str() + "' is not an integer";
    return failure();
  }
  unsigned wide = std::max(width, magnitude.getBitWidth()) + 1;
  APInt value = magnitude.zext(wide);
  if (negative)
    value.negate();
  bool fits = negative ? value.isSignedIntN(width) : value.isIntN(width);
  if (!fits) {
    error = "'" + text.str() + "' does not fit " + typeString(t);
    return failure();
  }
  return HostValue::ofInt(value.trunc(width));
}

/// True when `token` names an element type ("f32", "i8", "index", ...).
bool looksLikeType(llvm::StringRef token) {
  static const llvm::Regex re("^((s|u)?i[0-9]+|f[0-9]+|bf16|index)$");
  return re.match(token);
}

/// Reads a whole file.
FailureOr<std::string> readFile(llvm::StringRef path, std::string &error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file) {
    error = "cannot read '" + path.str() + "': " + file.getError().message();
    return failure();
  }
  return (*file)->getBuffer().str();
}

/// Fills `mem` as `contents` says (the <contents> of a memref spec).
LogicalResult fillMemory(HostMemory &mem, llvm::StringRef contents,
                         const std::string &fileData, std::string &error) {
  uint64_t count = elementCount(mem.shape);
  unsigned eb = mem.elementBytes;
  Type t = mem.element;
  auto put = [&](uint64_t i, const HostValue &v) {
    writeElement(v, eb, &mem.bytes[i * eb]);
  };
  auto split = [](llvm::StringRef list) {
    SmallVector<llvm::StringRef> parts;
    list.split(parts, ',');
    return parts;
  };
  llvm::StringRef rest = contents;
  if (contents.empty() || contents == "zero")
    return success();
  if (rest.consume_front("file=") || rest.consume_front("file:")) {
    if (fileData.size() != mem.bytes.size()) {
      error = "file '" + rest.str() + "' has " +
              std::to_string(fileData.size()) + " bytes, the argument " +
              std::to_string(mem.bytes.size()) + " (" + std::to_string(count) +
              " x " + typeString(t) + ")";
      return failure();
    }
    std::memcpy(mem.bytes.data(), fileData.data(), fileData.size());
    return success();
  }
  if (rest.consume_front("fill=")) {
    FailureOr<HostValue> v = parseScalar(t, rest, error);
    if (failed(v))
      return failure();
    for (uint64_t i = 0; i < count; ++i)
      put(i, *v);
    return success();
  }
  if (rest.consume_front("data=")) {
    SmallVector<llvm::StringRef> parts = split(rest);
    if (parts.size() > count) {
      error = std::to_string(parts.size()) + " values for " +
              std::to_string(count) + " elements";
      return failure();
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      FailureOr<HostValue> v = parseScalar(t, parts[i], error);
      if (failed(v))
        return failure();
      put(i, *v);
    }
    return success();
  }
  if (rest == "iota" || rest.consume_front("iota=")) {
    double start = 0, step = 1;
    if (contents != "iota") {
      SmallVector<llvm::StringRef> parts = split(rest);
      if (parts.size() > 2 || parts[0].trim().getAsDouble(start) ||
          (parts.size() == 2 && parts[1].trim().getAsDouble(step))) {
        error = "iota takes '=<start>[,<step>]', not '" + rest.str() + "'";
        return failure();
      }
    }
    for (uint64_t i = 0; i < count; ++i) {
      double x = start + double(i) * step;
      if (auto ft = dyn_cast<FloatType>(t)) {
        APFloat f(x);
        bool loses;
        f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &loses);
        put(i, HostValue::ofFloat(f));
      } else {
        put(i, HostValue::ofInt(APInt(intWidth(t), uint64_t(int64_t(x)),
                                      /*isSigned=*/true,
                                      /*implicitTrunc=*/true)));
      }
    }
    return success();
  }
  if (rest.consume_front("random=")) {
    SmallVector<llvm::StringRef> parts = split(rest);
    uint64_t seed;
    bool isFloat = isa<FloatType>(t);
    double lo = 0, hi = isFloat ? 1 : 100;
    if ((parts.size() != 1 && parts.size() != 3) ||
        parts[0].trim().getAsInteger(0, seed) ||
        (parts.size() == 3 && (parts[1].trim().getAsDouble(lo) ||
                               parts[2].trim().getAsDouble(hi) || hi < lo))) {
      error = "random takes '=<seed>[,<lo>,<hi>]', not '" + rest.str() + "'";
      return failure();
    }
    std::mt19937_64 gen(seed);
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t r = gen();
      if (auto ft = dyn_cast<FloatType>(t)) {
        // [lo, hi) from the top 53 bits: the same on every platform.
        double u = double(r >> 11) * 0x1.0p-53;
        APFloat f(lo + (hi - lo) * u);
        bool loses;
        f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &loses);
        put(i, HostValue::ofFloat(f));
      } else {
        int64_t l = int64_t(lo), h = int64_t(hi);
        uint64_t span = uint64_t(h - l) + 1;
        int64_t x = l + int64_t(span ? r % span : r);
        put(i, HostValue::ofInt(APInt(intWidth(t), uint64_t(x),
                                      /*isSigned=*/true,
                                      /*implicitTrunc=*/true)));
      }
    }
    return success();
  }
  error = "unknown contents '" + contents.str() +
          "' (zero, fill=<v>, iota[=<start>[,<step>]], data=<v>,..., "
          "random=<seed>[,<lo>,<hi>] or file=<path>)";
  return failure();
}

/// The value of one host-function argument from its spec.
FailureOr<HostValue> buildArgument(Type type, llvm::StringRef spec,
                                   std::string &error) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref) {
    llvm::StringRef value = spec;
    auto [first, rest] = spec.split(':');
    if (!rest.empty() && looksLikeType(first)) {
      if (first != typeString(type)) {
        error = "the argument is " + typeString(type) + ", the spec says " +
                first.str();
        return failure();
      }
      value = rest;
    }
    if (!type.isIntOrIndexOrFloat() || !hostElementBytes(type)) {
      error = "cannot pass a " + typeString(type) + " argument";
      return failure();
    }
    return parseScalar(type, value, error);
  }
  bool onDevice = kn::isDeviceBuffer(memref);
  if ((memref.getMemorySpace() && !onDevice) ||
      !memref.getLayout().isIdentity()) {
    error = "the argument is " + typeString(type) +
            ": memref arguments are host memory (no memory space) or device "
            "buffers (#gpu.address_space<global>) with an identity layout";
    return failure();
  }
  Type elem = memref.getElementType();
  std::optional<unsigned> eb = hostElementBytes(elem);
  if (!eb || (onDevice && elem.isIndex())) {
    error = "memrefs of " + typeString(elem) + " are not supported" +
            (onDevice ? " on the device" : "");
    return failure();
  }
  llvm::StringRef rest = spec;
  // [<type>:]
  {
    auto [first, after] = rest.split(':');
    if (looksLikeType(first)) {
      if (first != typeString(elem)) {
        error = "the argument is " + typeString(type) + ", the spec says " +
                first.str();
        return failure();
      }
      rest = after;
    }
  }
  // [<shape>:]
  std::optional<SmallVector<int64_t>> shape;
  {
    static const llvm::Regex shapeRe("^[0-9]+(x[0-9]+)*$");
    auto [first, after] = rest.split(':');
    if (shapeRe.match(first)) {
      SmallVector<llvm::StringRef> dims;
      first.split(dims, 'x');
      shape.emplace();
      for (llvm::StringRef d : dims) {
        int64_t n;
        if (d.getAsInteger(10, n)) {
          error = "bad shape '" + first.str() + "'";
          return failure();
        }
        shape->push_back(n);
      }
      rest = after;
    }
  }
  llvm::StringRef contents = rest;
  std::string fileData;
  llvm::StringRef path = contents;
  bool fromFile = path.consume_front("file=") || path.consume_front("file:");
  if (fromFile) {
    FailureOr<std::string> data = readFile(path, error);
    if (failed(data))
      return failure();
    fileData = std::move(*data);
  }
  auto mem = std::make_shared<HostMemory>();
  mem->element = elem;
  mem->elementBytes = *eb;
  if (shape) {
    if (int64_t(shape->size()) != memref.getRank()) {
      error = "the argument is " + typeString(type) + " (rank " +
              std::to_string(memref.getRank()) + "), the shape " +
              shapeString(*shape) + " has rank " +
              std::to_string(shape->size());
      return failure();
    }
    for (int64_t i = 0; i < memref.getRank(); ++i)
      if (!memref.isDynamicDim(i) && memref.getDimSize(i) != (*shape)[i]) {
        error = "the argument is " + typeString(type) + ", the shape is " +
                shapeString(*shape);
        return failure();
      }
    mem->shape = *shape;
  } else if (memref.hasStaticShape()) {
    mem->shape.assign(memref.getShape().begin(), memref.getShape().end());
  } else if (fromFile && memref.getRank() == 1) {
    if (fileData.size() % *eb) {
      error = "file '" + path.str() + "' has " +
              std::to_string(fileData.size()) + " bytes, not a multiple of " +
              std::to_string(*eb) + " (" + typeString(elem) + ")";
      return failure();
    }
    mem->shape.push_back(int64_t(fileData.size() / *eb));
  } else {
    error = "the argument is " + typeString(type) + ": give its shape, e.g. '" +
            typeString(elem) + ":1024:...'";
    return failure();
  }
  std::optional<uint64_t> bytes = byteSize(mem->shape, *eb);
  if (!bytes) {
    error = "shape " + shapeString(mem->shape) + " is too large";
    return failure();
  }
  mem->bytes.assign(*bytes, 0);
  if (failed(fillMemory(*mem, contents, fileData, error)))
    return failure();
  return HostValue::ofHost(mem);
}

/// Parses "<i>" or "arg<i>".
std::optional<unsigned> parseArgName(llvm::StringRef name) {
  name = name.trim();
  name.consume_front("arg");
  unsigned i;
  if (name.empty() || name.getAsInteger(10, i))
    return std::nullopt;
  return i;
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// The compiled kernel.modules of a program: one image per kernel.module
/// (SPIR-V, PTX), or one shared object holding every kernel (CPU).
struct CompiledProgram {
  rt::ModuleFormat format = rt::ModuleFormat::Spirv;
  std::map<std::string, std::string> images;
  /// Vulkan: the image of a (kernel.module, kernel) pair when its module was
  /// split into one module per kernel.
  std::map<std::pair<std::string, std::string>, std::string> splitModules;
  /// CPU: the shared object (a temporary file, removed by the destructor).
  std::string sharedObject;

  CompiledProgram() = default;
  CompiledProgram(const CompiledProgram &) = delete;
  CompiledProgram &operator=(const CompiledProgram &) = delete;
  ~CompiledProgram() {
    if (!sharedObject.empty())
      llvm::sys::fs::remove(sharedObject);
  }
};

/// The SM of the CUDA device `dev` (from its `Device::enumerate` details),
/// or 90 when they do not say.
uint32_t cudaDeviceSM(const rt::Device &dev) {
  absl::StatusOr<std::vector<rt::DeviceInfo>> infos =
      rt::Device::enumerate(rt::DeviceKind::Cuda);
  if (infos.ok()) {
    static const llvm::Regex smRe("sm_([0-9]+)");
    for (const rt::DeviceInfo &info : *infos) {
      SmallVector<llvm::StringRef> m;
      if (info.name == dev.name() && smRe.match(info.details, &m)) {
        uint32_t sm;
        if (!m[1].getAsInteger(10, sm))
          return sm;
      }
    }
  }
  return 90;
}

/// Vulkan: gives each kernel of a kernel.module with several kernels a
/// kernel.module of its own (with the module's device functions), named
/// `<module>__<kernel>`. The SPIR-V 1.3 that Vulkan 1.1 takes does not list
/// the storage buffers an entry point uses, so the runtime binds every
/// buffer variable of a module: one entry point per module keeps the
/// binding of argument i at i. Host code is dropped from `module` (a
/// clone), as compiling does anyway.
void splitKernelModules(ModuleOp module, CompiledProgram &out) {
  for (Operation &op : llvm::make_early_inc_range(module.getOps()))
    if (!isa<kn::KernelModuleOp>(op))
      op.erase();
  SymbolTable symbols(module);
  for (kn::KernelModuleOp km :
       llvm::make_early_inc_range(module.getOps<kn::KernelModuleOp>())) {
    SmallVector<std::string> kernels;
    for (kn::KernelFuncOp fn : km.getOps<kn::KernelFuncOp>())
      if (!fn.getMetadata().getDevice())
        kernels.push_back(fn.getSymName().str());
    if (kernels.size() < 2)
      continue;
    OpBuilder builder(km);
    for (const std::string &kernel : kernels) {
      auto copy = cast<kn::KernelModuleOp>(builder.clone(*km));
      for (kn::KernelFuncOp fn :
           llvm::make_early_inc_range(copy.getOps<kn::KernelFuncOp>()))
        if (!fn.getMetadata().getDevice() && fn.getSymName() != kernel)
          fn.erase();
      // insert() renames on a clash with an existing symbol.
      copy.setSymName(km.getSymName().str() + "__" + kernel);
      symbols.insert(copy);
      out.splitModules[{km.getSymName().str(), kernel}] =
          copy.getSymName().str();
    }
    symbols.erase(km);
  }
}

/// Compiles the kernel.modules of `module` (a clone is compiled; the
/// original is left as it is) for the device.
LogicalResult compileKernels(ModuleOp module, const rt::Device &dev,
                             CompiledProgram &out) {
  if (module.getOps<kn::KernelModuleOp>().empty())
    return success();
  MLIRContext *ctx = module.getContext();
  OwningOpRef<ModuleOp> clone = module.clone();
  // The target each kernel is compiled for: kernels written for another
  // backend are retargeted (the same kernel runs everywhere).
  kn::TargetAttr target;
  switch (dev.kind()) {
  case rt::DeviceKind::Vulkan:
    target = kn::TargetAttr::getVulkan(ctx, 1, 1);
    break;
  case rt::DeviceKind::Cuda: {
    uint32_t sm = cudaDeviceSM(dev);
    target = kn::TargetAttr::getCUDA(
        ctx, sm, std::max<uint32_t>(kn::getMinPTXVersion(sm).value_or(80), 80));
    break;
  }
  case rt::DeviceKind::Cpu:
    // The CPU lowering takes kernels of every target as they are.
    out.format = rt::ModuleFormat::SharedObject;
    return kn::compileKernelsToCPU(*clone, out.sharedObject);
  }
  clone->walk([&](kn::KernelFuncOp fn) {
    kn::MetadataAttr md = fn.getMetadata();
    if (md.getTarget().getBackend() != target.getBackend())
      fn.setMetadataAttr(md.withTarget(target));
  });
  if (dev.kind() == rt::DeviceKind::Vulkan)
    splitKernelModules(*clone, out);
  if (failed(verify(*clone)))
    return failure();
  std::vector<kn::CompiledModule> compiled;
  if (dev.kind() == rt::DeviceKind::Vulkan) {
    kn::KernelSPIRVOptions options;
    if (failed(kn::compileKernelsToSPIRV(*clone, options, compiled)))
      return failure();
    out.format = rt::ModuleFormat::Spirv;
  } else {
    if (failed(kn::compileKernelsToPTX(*clone, "", "", 3, compiled)))
      return failure();
    out.format = rt::ModuleFormat::Ptx;
  }
  for (kn::CompiledModule &m : compiled)
    out.images[m.name] = std::move(m.data);
  return success();
}

//===----------------------------------------------------------------------===//
// The interpreter
//===----------------------------------------------------------------------===//

/// Whether the interpreter runs `op` in host code.
bool isHostOp(Operation *op) {
  if (isa_and_nonnull<arith::ArithDialect, math::MathDialect>(op->getDialect()))
    return true;
  return isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
             memref::DimOp, memref::LoadOp, memref::StoreOp,
             memref::GetGlobalOp, memref::CastOp, memref::CopyOp, scf::ForOp,
             scf::IfOp, scf::WhileOp, scf::YieldOp, scf::ConditionOp,
             func::CallOp, func::ReturnOp, kn::AllocOp, kn::FreeOp, kn::CopyOp,
             kn::LaunchOp, kn::WaitOp>(op);
}

/// One kernel.launch, for --time.
struct LaunchRecord {
  std::string kernel;
  rt::Dim3 grid, block;
};

class Interpreter {
public:
  Interpreter(ModuleOp module, rt::Device &device,
              const CompiledProgram &program, std::string origin)
      : module(module), device(device), program(program),
        origin(std::move(origin)) {}

  /// Runs `fn` with `args`; returns its results.
  FailureOr<SmallVector<HostValue>> call(func::FuncOp fn,
                                         ArrayRef<HostValue> args);
  /// Waits for the device; collects the kernel times.
  LogicalResult finish(Location loc) { return waitAll(loc); }

  const std::vector<LaunchRecord> &getLaunches() const { return launches; }
  const std::vector<rt::KernelTime> &getTimes() const { return times; }

private:
  using Frame = llvm::DenseMap<Value, HostValue>;

  LogicalResult runBlock(Block &block, ArrayRef<HostValue> args,
                         SmallVectorImpl<HostValue> &results);
  LogicalResult exec(Operation &op);
  LogicalResult execArith(Operation &op);
  LogicalResult execFold(Operation &op);
  LogicalResult execFor(scf::ForOp op);
  LogicalResult execIf(scf::IfOp op);
  LogicalResult execWhile(scf::WhileOp op);
  LogicalResult execCall(func::CallOp op);
  LogicalResult execAlloc(Operation *op, MemRefType type, ValueRange sizes,
                          bool device);
  LogicalResult execDim(memref::DimOp op);
  LogicalResult execLoadStore(Operation *op, Value memref, ValueRange indices,
                              std::optional<Value> stored);
  LogicalResult execGetGlobal(memref::GetGlobalOp op);
  LogicalResult execCast(memref::CastOp op);
  LogicalResult execHostCopy(memref::CopyOp op);
  LogicalResult execFree(kn::FreeOp op);
  LogicalResult execCopy(kn::CopyOp op);
  LogicalResult execLaunch(kn::LaunchOp op);
  LogicalResult waitAll(Location loc);

  /// The value of `v` (defined before its use: the IR is verified).
  const HostValue &get(Value v) {
    auto it = frame->find(v);
    assert(it != frame->end() && "use of a value not yet computed");
    return it->second;
  }
  void set(Value v, HostValue h) { (*frame)[v] = std::move(h); }
  /// The shape of a memref value (host or device).
  ArrayRef<int64_t> shapeOf(const HostValue &v) {
    return v.kind == HostValue::Kind::Host ? ArrayRef<int64_t>(v.host->shape)
                                           : ArrayRef<int64_t>(v.device->shape);
  }
  LogicalResult requireLive(Operation *op, const DeviceMemory &mem) {
    if (mem.freed)
      return op->emitError() << "use of a device buffer after kernel.free";
    return success();
  }
  /// The shape a memref of `type` has with `dynamic` sizes.
  FailureOr<SmallVector<int64_t>> shapeWith(Operation *op, MemRefType type,
                                            ValueRange dynamic);
  FailureOr<rt::Module *> loadModule(Operation *op, llvm::StringRef module,
                                     llvm::StringRef kernel);
  /// The kernel argument(s) of one launch operand.
  LogicalResult marshal(kn::LaunchOp op, unsigned index, Type param,
                        const HostValue &v, std::vector<rt::KernelArg> &out);
  LogicalResult deviceError(Operation *op, const absl::Status &status) {
    return op->emitError() << ref(status.message());
  }

  ModuleOp module;
  rt::Device &device;
  const CompiledProgram &program;
  std::string origin;
  Frame *frame = nullptr;
  unsigned depth = 0;
  std::map<std::string, std::unique_ptr<rt::Module>> loaded;
  llvm::DenseMap<Operation *, std::shared_ptr<HostMemory>> globals;
  /// One-value buffers of Vulkan scalar arguments, alive until a wait.
  std::vector<std::unique_ptr<rt::Buffer>> scalarBuffers;
  std::vector<LaunchRecord> launches;
  std::vector<rt::KernelTime> times;
};

FailureOr<SmallVector<HostValue>> Interpreter::call(func::FuncOp fn,
                                                    ArrayRef<HostValue> args) {
  if (fn.isExternal())
    return fn.emitError() << "cannot run @" << fn.getSymName()
                          << ": it has no body";
  if (depth >= 64)
    return fn.emitError() << "calls nested more than 64 deep";
  Frame local;
  Frame *saved = frame;
  frame = &local;
  ++depth;
  SmallVector<HostValue> results;
  LogicalResult r = runBlock(fn.getBody().front(), args, results);
  --depth;
  frame = saved;
  if (failed(r))
    return failure();
  return results;
}

LogicalResult Interpreter::runBlock(Block &block, ArrayRef<HostValue> args,
                                    SmallVectorImpl<HostValue> &results) {
  for (auto [arg, value] : llvm::zip(block.getArguments(), args))
    set(arg, value);
  for (Operation &op : block) {
    if (isa<scf::YieldOp, func::ReturnOp, scf::ConditionOp>(op)) {
      results.clear();
      for (Value v : op.getOperands())
        results.push_back(get(v));
      return success();
    }
    if (failed(exec(op)))
      return failure();
  }
  return success();
}

LogicalResult Interpreter::exec(Operation &op) {
  if (isa_and_nonnull<arith::ArithDialect>(op.getDialect()))
    return execArith(op);
  if (isa_and_nonnull<math::MathDialect>(op.getDialect()))
    return execFold(op);
  return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](memref::AllocOp o) {
        return execAlloc(o, o.getType(), o.getDynamicSizes(), false);
      })
      .Case([&](memref::AllocaOp o) {
        return execAlloc(o, o.getType(), o.getDynamicSizes(), false);
      })
      .Case([&](memref::DeallocOp) { return success(); })
      .Case([&](memref::DimOp o) { return execDim(o); })
      .Case([&](memref::LoadOp o) {
        return execLoadStore(o, o.getMemref(), o.getIndices(), std::nullopt);
      })
      .Case([&](memref::StoreOp o) {
        return execLoadStore(o, o.getMemref(), o.getIndices(),
                             o.getValueToStore());
      })
      .Case([&](memref::GetGlobalOp o) { return execGetGlobal(o); })
      .Case([&](memref::CastOp o) { return execCast(o); })
      .Case([&](memref::CopyOp o) { return execHostCopy(o); })
      .Case([&](scf::ForOp o) { return execFor(o); })
      .Case([&](scf::IfOp o) { return execIf(o); })
      .Case([&](scf::WhileOp o) { return execWhile(o); })
      .Case([&](func::CallOp o) { return execCall(o); })
      .Case([&](kn::AllocOp o) {
        return execAlloc(o, o.getMemref().getType(), o.getDynamicSizes(), true);
      })
      .Case([&](kn::FreeOp o) { return execFree(o); })
      .Case([&](kn::CopyOp o) { return execCopy(o); })
      .Case([&](kn::LaunchOp o) { return execLaunch(o); })
      .Case([&](kn::WaitOp o) { return waitAll(o.getLoc()); })
      .Default([&](Operation *o) {
        return o->emitError()
               << "cannot interpret '" << o->getName() << "' in host code";
      });
}

//===- arith --------------------------------------------------------------===//

LogicalResult Interpreter::execArith(Operation &op) {
  auto intBinary = [&](auto fn) -> LogicalResult {
    const APInt &a = get(op.getOperand(0)).integer;
    const APInt &b = get(op.getOperand(1)).integer;
    std::optional<APInt> r = fn(a, b);
    if (!r)
      return failure();
    set(op.getResult(0), HostValue::ofInt(*r));
    return success();
  };
  auto divisor = [&](const APInt &b) -> bool {
    if (!b.isZero())
      return true;
    op.emitError() << "division by zero";
    return false;
  };
  auto shift = [&](const APInt &b) -> bool {
    if (b.ult(b.getBitWidth()))
      return true;
    op.emitError() << "shift by " << b.getZExtValue() << " of a "
                   << b.getBitWidth() << "-bit value";
    return false;
  };
  auto floatBinary = [&](auto fn) -> LogicalResult {
    APFloat a = get(op.getOperand(0)).real;
    const APFloat &b = get(op.getOperand(1)).real;
    set(op.getResult(0), HostValue::ofFloat(fn(a, b)));
    return success();
  };
  constexpr auto rm = APFloat::rmNearestTiesToEven;
  using R = std::optional<APInt>;
  return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](arith::ConstantOp o) -> LogicalResult {
        if (auto i = dyn_cast<IntegerAttr>(o.getValue())) {
          set(o.getResult(), HostValue::ofInt(i.getValue()));
          return success();
        }
        if (auto f = dyn_cast<FloatAttr>(o.getValue())) {
          set(o.getResult(), HostValue::ofFloat(f.getValue()));
          return success();
        }
        return o.emitError()
               << "cannot interpret a non-scalar arith.constant in host code";
      })
      .Case([&](arith::AddIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a + b; });
      })
      .Case([&](arith::SubIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a - b; });
      })
      .Case([&](arith::MulIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a * b; });
      })
      .Case([&](arith::AndIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a & b; });
      })
      .Case([&](arith::OrIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a | b; });
      })
      .Case([&](arith::XOrIOp) {
        return intBinary(
            [](const APInt &a, const APInt &b) -> R { return a ^ b; });
      })
      .Case([&](arith::DivUIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(a.udiv(b)) : std::nullopt;
        });
      })
      .Case([&](arith::DivSIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(a.sdiv(b)) : std::nullopt;
        });
      })
      .Case([&](arith::RemUIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(a.urem(b)) : std::nullopt;
        });
      })
      .Case([&](arith::RemSIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(a.srem(b)) : std::nullopt;
        });
      })
      .Case([&](arith::CeilDivUIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(llvm::APIntOps::RoundingUDiv(
                                  a, b, APInt::Rounding::UP))
                            : std::nullopt;
        });
      })
      .Case([&](arith::CeilDivSIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(llvm::APIntOps::RoundingSDiv(
                                  a, b, APInt::Rounding::UP))
                            : std::nullopt;
        });
      })
      .Case([&](arith::FloorDivSIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return divisor(b) ? R(llvm::APIntOps::RoundingSDiv(
                                  a, b, APInt::Rounding::DOWN))
                            : std::nullopt;
        });
      })
      .Case([&](arith::MinUIOp) {
        return intBinary([](const APInt &a, const APInt &b) -> R {
          return llvm::APIntOps::umin(a, b);
        });
      })
      .Case([&](arith::MaxUIOp) {
        return intBinary([](const APInt &a, const APInt &b) -> R {
          return llvm::APIntOps::umax(a, b);
        });
      })
      .Case([&](arith::MinSIOp) {
        return intBinary([](const APInt &a, const APInt &b) -> R {
          return llvm::APIntOps::smin(a, b);
        });
      })
      .Case([&](arith::MaxSIOp) {
        return intBinary([](const APInt &a, const APInt &b) -> R {
          return llvm::APIntOps::smax(a, b);
        });
      })
      .Case([&](arith::ShLIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return shift(b) ? R(a.shl(b)) : std::nullopt;
        });
      })
      .Case([&](arith::ShRUIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return shift(b) ? R(a.lshr(b)) : std::nullopt;
        });
      })
      .Case([&](arith::ShRSIOp) {
        return intBinary([&](const APInt &a, const APInt &b) -> R {
          return shift(b) ? R(a.ashr(b)) : std::nullopt;
        });
      })
      .Case([&](arith::CmpIOp o) {
        bool r = arith::applyCmpPredicate(
            o.getPredicate(), get(o.getLhs()).integer, get(o.getRhs()).integer);
        set(o.getResult(), HostValue::ofInt(APInt(1, r)));
        return success();
      })
      .Case([&](arith::CmpFOp o) {
        bool r = arith::applyCmpPredicate(
            o.getPredicate(), get(o.getLhs()).real, get(o.getRhs()).real);
        set(o.getResult(), HostValue::ofInt(APInt(1, r)));
        return success();
      })
      .Case([&](arith::SelectOp o) -> LogicalResult {
        if (!o.getCondition().getType().isInteger(1))
          return o.emitError() << "cannot interpret a vector arith.select";
        set(o.getResult(), get(o.getCondition()).integer.isOne()
                               ? get(o.getTrueValue())
                               : get(o.getFalseValue()));
        return success();
      })
      .Case([&](arith::AddFOp) {
        return floatBinary([&](APFloat a, const APFloat &b) {
          a.add(b, rm);
          return a;
        });
      })
      .Case([&](arith::SubFOp) {
        return floatBinary([&](APFloat a, const APFloat &b) {
          a.subtract(b, rm);
          return a;
        });
      })
      .Case([&](arith::MulFOp) {
        return floatBinary([&](APFloat a, const APFloat &b) {
          a.multiply(b, rm);
          return a;
        });
      })
      .Case([&](arith::DivFOp) {
        return floatBinary([&](APFloat a, const APFloat &b) {
          a.divide(b, rm);
          return a;
        });
      })
      .Case([&](arith::RemFOp) {
        return floatBinary([&](APFloat a, const APFloat &b) {
          a.mod(b);
          return a;
        });
      })
      .Case([&](arith::MaximumFOp) {
        return floatBinary(
            [](APFloat a, const APFloat &b) { return llvm::maximum(a, b); });
      })
      .Case([&](arith::MinimumFOp) {
        return floatBinary(
            [](APFloat a, const APFloat &b) { return llvm::minimum(a, b); });
      })
      .Case([&](arith::MaxNumFOp) {
        return floatBinary(
            [](APFloat a, const APFloat &b) { return llvm::maxnum(a, b); });
      })
      .Case([&](arith::MinNumFOp) {
        return floatBinary(
            [](APFloat a, const APFloat &b) { return llvm::minnum(a, b); });
      })
      .Case([&](arith::NegFOp o) {
        APFloat a = get(o.getOperand()).real;
        a.changeSign();
        set(o.getResult(), HostValue::ofFloat(a));
        return success();
      })
      .Case<arith::IndexCastOp, arith::ExtSIOp>([&](Operation *o) {
        set(o->getResult(0),
            HostValue::ofInt(
                get(o->getOperand(0))
                    .integer.sextOrTrunc(intWidth(o->getResult(0).getType()))));
        return success();
      })
      .Case<arith::IndexCastUIOp, arith::ExtUIOp, arith::TruncIOp>(
          [&](Operation *o) {
            set(o->getResult(0),
                HostValue::ofInt(get(o->getOperand(0))
                                     .integer.zextOrTrunc(
                                         intWidth(o->getResult(0).getType()))));
            return success();
          })
      .Case<arith::SIToFPOp, arith::UIToFPOp>([&](Operation *o) {
        auto ft = cast<FloatType>(o->getResult(0).getType());
        APFloat f(ft.getFloatSemantics());
        f.convertFromAPInt(get(o->getOperand(0)).integer,
                           isa<arith::SIToFPOp>(o), rm);
        set(o->getResult(0), HostValue::ofFloat(f));
        return success();
      })
      .Case<arith::FPToSIOp, arith::FPToUIOp>([&](Operation *o) {
        bool isUnsigned = isa<arith::FPToUIOp>(o);
        llvm::APSInt r(intWidth(o->getResult(0).getType()), isUnsigned);
        bool exact;
        (void)get(o->getOperand(0))
            .real.convertToInteger(r, APFloat::rmTowardZero, &exact);
        set(o->getResult(0), HostValue::ofInt(r));
        return success();
      })
      .Case<arith::ExtFOp, arith::TruncFOp>([&](Operation *o) {
        auto ft = cast<FloatType>(o->getResult(0).getType());
        APFloat f = get(o->getOperand(0)).real;
        bool loses;
        f.convert(ft.getFloatSemantics(), rm, &loses);
        set(o->getResult(0), HostValue::ofFloat(f));
        return success();
      })
      .Case([&](arith::BitcastOp o) {
        const HostValue &in = get(o.getIn());
        Type to = o.getType();
        if (auto ft = dyn_cast<FloatType>(to))
          set(o.getResult(),
              HostValue::ofFloat(APFloat(ft.getFloatSemantics(),
                                         in.kind == HostValue::Kind::Float
                                             ? in.real.bitcastToAPInt()
                                             : in.integer)));
        else
          set(o.getResult(), HostValue::ofInt(in.kind == HostValue::Kind::Float
                                                  ? in.real.bitcastToAPInt()
                                                  : in.integer));
        return success();
      })
      .Default([&](Operation *o) { return execFold(*o); });
}

/// Any other arith op, and math ops, on scalars: the op's folder computes
/// the result.
LogicalResult Interpreter::execFold(Operation &op) {
  SmallVector<Attribute> operands;
  for (Value v : op.getOperands()) {
    const HostValue &h = get(v);
    if (h.kind == HostValue::Kind::Integer)
      operands.push_back(IntegerAttr::get(v.getType(), h.integer));
    else if (h.kind == HostValue::Kind::Float)
      operands.push_back(FloatAttr::get(v.getType(), h.real));
    else
      operands.push_back(Attribute());
  }
  SmallVector<OpFoldResult> folded;
  if (llvm::all_of(operands, [](Attribute a) { return bool(a); }) &&
      succeeded(op.fold(operands, folded)) &&
      folded.size() == op.getNumResults()) {
    SmallVector<HostValue> values;
    for (OpFoldResult r : folded) {
      if (auto v = dyn_cast<Value>(r)) {
        if (!llvm::is_contained(op.getOperands(), v))
          break;
        values.push_back(get(v));
      } else if (auto i = dyn_cast<IntegerAttr>(cast<Attribute>(r))) {
        values.push_back(HostValue::ofInt(i.getValue()));
      } else if (auto f = dyn_cast<FloatAttr>(cast<Attribute>(r))) {
        values.push_back(HostValue::ofFloat(f.getValue()));
      } else {
        break;
      }
    }
    if (values.size() == op.getNumResults()) {
      for (auto [res, v] : llvm::zip(op.getResults(), values))
        set(res, v);
      return success();
    }
  }
  return op.emitError() << "cannot interpret '" << op.getName()
                        << "' in host code with these operands";
}

//===- scf and func -------------------------------------------------------===//

LogicalResult Interpreter::execFor(scf::ForOp op) {
  APInt i = get(op.getLowerBound()).integer;
  APInt ub = get(op.getUpperBound()).integer;
  APInt step = get(op.getStep()).integer;
  bool isUnsigned = op.getUnsignedCmp();
  if (step.isZero() || (!isUnsigned && step.isNegative()))
    return op.emitError() << "scf.for step must be positive, is "
                          << llvm::toString(step, 10, !isUnsigned);
  SmallVector<HostValue> iter;
  for (Value v : op.getInitArgs())
    iter.push_back(get(v));
  while (isUnsigned ? i.ult(ub) : i.slt(ub)) {
    SmallVector<HostValue> args{HostValue::ofInt(i)};
    args.append(iter);
    SmallVector<HostValue> yielded;
    if (failed(runBlock(*op.getBody(), args, yielded)))
      return failure();
    iter = std::move(yielded);
    bool overflow;
    APInt next =
        isUnsigned ? i.uadd_ov(step, overflow) : i.sadd_ov(step, overflow);
    if (overflow)
      break;
    i = next;
  }
  for (auto [res, v] : llvm::zip(op.getResults(), iter))
    set(res, v);
  return success();
}

LogicalResult Interpreter::execIf(scf::IfOp op) {
  Region &region = get(op.getCondition()).integer.isOne() ? op.getThenRegion()
                                                          : op.getElseRegion();
  if (region.empty())
    return success();
  SmallVector<HostValue> yielded;
  if (failed(runBlock(region.front(), {}, yielded)))
    return failure();
  for (auto [res, v] : llvm::zip(op.getResults(), yielded))
    set(res, v);
  return success();
}

LogicalResult Interpreter::execWhile(scf::WhileOp op) {
  SmallVector<HostValue> values;
  for (Value v : op.getInits())
    values.push_back(get(v));
  while (true) {
    SmallVector<HostValue> cond;
    if (failed(runBlock(op.getBefore().front(), values, cond)))
      return failure();
    SmallVector<HostValue> args(cond.begin() + 1, cond.end());
    if (!cond.front().integer.isOne()) {
      for (auto [res, v] : llvm::zip(op.getResults(), args))
        set(res, v);
      return success();
    }
    values.clear();
    if (failed(runBlock(op.getAfter().front(), args, values)))
      return failure();
  }
}

LogicalResult Interpreter::execCall(func::CallOp op) {
  auto callee = module.lookupSymbol<func::FuncOp>(op.getCallee());
  if (!callee)
    return op.emitError() << "no func.func @" << op.getCallee();
  SmallVector<HostValue> args;
  for (Value v : op.getOperands())
    args.push_back(get(v));
  FailureOr<SmallVector<HostValue>> results = call(callee, args);
  if (failed(results))
    return op.emitError() << "in the call of @" << op.getCallee();
  for (auto [res, v] : llvm::zip(op.getResults(), *results))
    set(res, v);
  return success();
}

//===- memref -------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
Interpreter::shapeWith(Operation *op, MemRefType type, ValueRange dynamic) {
  SmallVector<int64_t> shape;
  auto next = dynamic.begin();
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i)) {
      shape.push_back(type.getDimSize(i));
      continue;
    }
    const APInt &n = get(*next++).integer;
    if (n.isNegative())
      return op->emitError()
             << "negative size " << n.getSExtValue() << " of dimension " << i;
    shape.push_back(n.getSExtValue());
  }
  return shape;
}

LogicalResult Interpreter::execAlloc(Operation *op, MemRefType type,
                                     ValueRange sizes, bool onDevice) {
  if (!type.getLayout().isIdentity())
    return op->emitError() << "cannot allocate " << type
                           << " in host code: only identity layouts";
  if (!onDevice && type.getMemorySpace())
    return op->emitError() << "host code allocates host memory; " << type
                           << " is in a memory space (device buffers come "
                              "from kernel.alloc)";
  Type elem = type.getElementType();
  std::optional<unsigned> eb = hostElementBytes(elem);
  if (!eb)
    return op->emitError() << "memrefs of " << elem
                           << " are not supported in host code";
  if (onDevice && elem.isIndex())
    return op->emitError()
           << "device buffers of 'index' are not supported (index is 32 "
              "bits in SPIR-V and 64 in PTX); use i32 or i64";
  FailureOr<SmallVector<int64_t>> shape = shapeWith(op, type, sizes);
  if (failed(shape))
    return failure();
  std::optional<uint64_t> bytes = byteSize(*shape, *eb);
  if (!bytes)
    return op->emitError() << "allocation of " << shapeString(*shape) << " x "
                           << elem << " is too large";
  if (!onDevice) {
    auto mem = std::make_shared<HostMemory>();
    mem->element = elem;
    mem->elementBytes = *eb;
    mem->shape = std::move(*shape);
    mem->bytes.assign(*bytes, 0);
    set(op->getResult(0), HostValue::ofHost(std::move(mem)));
    return success();
  }
  absl::StatusOr<std::unique_ptr<rt::Buffer>> buffer =
      device.createBuffer(*bytes);
  if (!buffer.ok())
    return deviceError(op, buffer.status());
  auto mem = std::make_shared<DeviceMemory>();
  mem->element = elem;
  mem->elementBytes = *eb;
  mem->shape = std::move(*shape);
  mem->buffer = std::move(*buffer);
  set(op->getResult(0), HostValue::ofDevice(std::move(mem)));
  return success();
}

LogicalResult Interpreter::execDim(memref::DimOp op) {
  const HostValue &m = get(op.getSource());
  if (m.kind == HostValue::Kind::Device && failed(requireLive(op, *m.device)))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(m);
  const APInt &i = get(op.getIndex()).integer;
  if (i.uge(shape.size()))
    return op.emitError() << "dimension " << i.getSExtValue() << " of a rank-"
                          << shape.size() << " memref";
  set(op.getResult(),
      HostValue::ofInt(APInt(64, uint64_t(shape[i.getZExtValue()]))));
  return success();
}

LogicalResult Interpreter::execLoadStore(Operation *op, Value memref,
                                         ValueRange indices,
                                         std::optional<Value> stored) {
  const HostValue &m = get(memref);
  if (m.kind != HostValue::Kind::Host)
    return op->emitError()
           << op->getName()
           << " of a device buffer in host code: copy it to host memory "
              "with kernel.copy";
  HostMemory &mem = *m.host;
  uint64_t offset = 0;
  for (auto [dim, index] : llvm::enumerate(indices)) {
    const APInt &i = get(index).integer;
    if (i.isNegative() || i.sge(mem.shape[dim]))
      return op->emitError()
             << "index " << i.getSExtValue() << " out of bounds of dimension "
             << dim << " (size " << mem.shape[dim] << ")";
    offset = offset * uint64_t(mem.shape[dim]) + i.getZExtValue();
  }
  uint8_t *p = &mem.bytes[offset * mem.elementBytes];
  if (stored)
    writeElement(get(*stored), mem.elementBytes, p);
  else
    set(op->getResult(0), readElement(mem.element, mem.elementBytes, p));
  return success();
}

LogicalResult Interpreter::execGetGlobal(memref::GetGlobalOp op) {
  auto global = module.lookupSymbol<memref::GlobalOp>(op.getNameAttr());
  if (!global)
    return op.emitError() << "no memref.global @" << op.getName();
  auto it = globals.find(global);
  if (it != globals.end()) {
    set(op.getResult(), HostValue::ofHost(it->second));
    return success();
  }
  MemRefType type = global.getType();
  Type elem = type.getElementType();
  std::optional<unsigned> eb = hostElementBytes(elem);
  if (!eb || !type.hasStaticShape())
    return global.emitError()
           << "cannot hold memref.global @" << global.getSymName()
           << " of type " << type << " in host memory";
  auto mem = std::make_shared<HostMemory>();
  mem->element = elem;
  mem->elementBytes = *eb;
  mem->shape.assign(type.getShape().begin(), type.getShape().end());
  mem->bytes.assign(elementCount(mem->shape) * *eb, 0);
  if (global.isExternal())
    return global.emitError() << "memref.global @" << global.getSymName()
                              << " is a declaration without data";
  if (!global.isUninitialized()) {
    auto dense = dyn_cast<DenseElementsAttr>(*global.getInitialValue());
    if (!dense)
      return global.emitError()
             << "memref.global @" << global.getSymName()
             << ": only dense<...> initializers can be read by gpuinit-run";
    uint64_t i = 0;
    if (isa<FloatType>(elem)) {
      for (APFloat v : dense.getValues<APFloat>())
        writeElement(HostValue::ofFloat(v), *eb, &mem->bytes[*eb * i++]);
    } else {
      for (APInt v : dense.getValues<APInt>())
        writeElement(HostValue::ofInt(v), *eb, &mem->bytes[*eb * i++]);
    }
  }
  globals[global] = mem;
  set(op.getResult(), HostValue::ofHost(std::move(mem)));
  return success();
}

LogicalResult Interpreter::execCast(memref::CastOp op) {
  const HostValue &m = get(op.getSource());
  auto to = cast<MemRefType>(op.getType());
  ArrayRef<int64_t> shape = shapeOf(m);
  for (int64_t i = 0; i < to.getRank(); ++i)
    if (!to.isDynamicDim(i) && to.getDimSize(i) != shape[i])
      return op.emitError() << "memref.cast to " << to
                            << " of a memref of shape " << shapeString(shape);
  set(op.getResult(), m);
  return success();
}

LogicalResult Interpreter::execHostCopy(memref::CopyOp op) {
  const HostValue &from = get(op.getSource());
  const HostValue &to = get(op.getTarget());
  if (from.kind != HostValue::Kind::Host || to.kind != HostValue::Kind::Host)
    return op.emitError()
           << "memref.copy in host code copies host memory; device "
              "buffers are copied with kernel.copy";
  if (from.host->shape != to.host->shape)
    return op.emitError() << "memref.copy from a memref of shape "
                          << shapeString(from.host->shape) << " to one of "
                          << shapeString(to.host->shape);
  to.host->bytes = from.host->bytes;
  return success();
}

//===- kernel -------------------------------------------------------------===//

LogicalResult Interpreter::execFree(kn::FreeOp op) {
  const HostValue &m = get(op.getMemref());
  if (m.kind != HostValue::Kind::Device)
    return op.emitError() << "kernel.free of host memory";
  if (m.device->freed)
    return op.emitError() << "kernel.free of a device buffer freed before";
  m.device->buffer.reset();
  m.device->freed = true;
  return success();
}

LogicalResult Interpreter::execCopy(kn::CopyOp op) {
  const HostValue &from = get(op.getSource());
  const HostValue &to = get(op.getTarget());
  for (const HostValue *v : {&from, &to})
    if (v->kind == HostValue::Kind::Device &&
        failed(requireLive(op, *v->device)))
      return failure();
  ArrayRef<int64_t> fromShape = shapeOf(from), toShape = shapeOf(to);
  if (fromShape != toShape)
    return op.emitError() << "kernel.copy from a memref of shape "
                          << shapeString(fromShape) << " to one of "
                          << shapeString(toShape);
  bool fromHost = from.kind == HostValue::Kind::Host;
  bool toHost = to.kind == HostValue::Kind::Host;
  absl::Status status;
  if (fromHost && toHost) {
    to.host->bytes = from.host->bytes;
  } else if (fromHost) {
    status = device.upload(*to.device->buffer, from.host->bytes);
  } else if (toHost) {
    status =
        device.download(*from.device->buffer, absl::MakeSpan(to.host->bytes));
  } else {
    // The runtime has no device-to-device copy: go through the host (the
    // download waits for the work before, as the copy must).
    std::vector<uint8_t> staging(from.device->buffer->size());
    status = device.download(*from.device->buffer, absl::MakeSpan(staging));
    if (status.ok())
      status = device.upload(*to.device->buffer, staging);
  }
  if (!status.ok())
    return deviceError(op, status);
  return success();
}

FailureOr<rt::Module *> Interpreter::loadModule(Operation *op,
                                                llvm::StringRef moduleName,
                                                llvm::StringRef kernel) {
  std::string name = moduleName.str();
  auto split = program.splitModules.find({name, kernel.str()});
  if (split != program.splitModules.end())
    name = split->second;
  // CPU: one shared object for every kernel.module.
  std::string key = program.sharedObject.empty() ? name : "";
  auto it = loaded.find(key);
  if (it != loaded.end())
    return it->second.get();
  if (!program.sharedObject.empty()) {
    absl::StatusOr<std::unique_ptr<rt::Module>> m =
        device.loadModuleFile(program.sharedObject);
    if (!m.ok())
      return deviceError(op, m.status());
    rt::Module *result = m->get();
    loaded[key] = std::move(*m);
    return result;
  }
  auto image = program.images.find(name);
  if (image == program.images.end())
    return op->emitError() << "kernel.module @" << moduleName
                           << " was not compiled for " << device.label();
  absl::StatusOr<std::unique_ptr<rt::Module>> m =
      device.loadModule(program.format,
                        absl::MakeConstSpan(reinterpret_cast<const uint8_t *>(
                                                image->second.data()),
                                            image->second.size()),
                        origin + ":@" + name);
  if (!m.ok())
    return deviceError(op, m.status());
  rt::Module *result = m->get();
  loaded[key] = std::move(*m);
  return result;
}

LogicalResult Interpreter::marshal(kn::LaunchOp op, unsigned index, Type param,
                                   const HostValue &v,
                                   std::vector<rt::KernelArg> &out) {
  rt::DeviceKind kind = device.kind();
  if (v.kind == HostValue::Kind::Host)
    return op.emitError() << "argument #" << index
                          << " is host memory: kernels take device buffers "
                             "(kernel.alloc, then kernel.copy)";
  if (v.kind == HostValue::Kind::Device) {
    if (failed(requireLive(op, *v.device)))
      return failure();
    rt::Buffer &buffer = *v.device->buffer;
    if (kind != rt::DeviceKind::Cuda) {
      out.push_back(rt::KernelArg::of(buffer));
      return success();
    }
    // The NVVM lowering expands a memref parameter into its descriptor:
    // allocated and aligned pointers, offset, sizes, strides (row-major).
    ArrayRef<int64_t> shape = v.device->shape;
    out.push_back(rt::KernelArg::of(buffer));
    out.push_back(rt::KernelArg::of(buffer));
    out.push_back(rt::KernelArg::u64(0));
    for (int64_t d : shape)
      out.push_back(rt::KernelArg::u64(uint64_t(d)));
    SmallVector<uint64_t> strides(shape.size(), 1);
    for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * uint64_t(shape[d + 1]);
    for (uint64_t s : strides)
      out.push_back(rt::KernelArg::u64(s));
    return success();
  }
  // A scalar: its bits and the size the kernel reads.
  Type t = param;
  uint64_t bits = v.kind == HostValue::Kind::Float
                      ? v.real.bitcastToAPInt().getZExtValue()
                      : v.integer.getZExtValue();
  unsigned bytes;
  if (t.isIndex()) {
    if (kind == rt::DeviceKind::Vulkan) {
      // SPIR-V from convert-gpu-to-spirv uses 32-bit indices.
      if (!v.integer.isSignedIntN(32))
        return op.emitError()
               << "argument #" << index << " = " << v.integer.getSExtValue()
               << " does not fit the 32-bit index of SPIR-V";
      bits &= 0xffffffffu;
      bytes = 4;
    } else {
      bytes = 8;
    }
  } else {
    bytes = intWidth(t) > 32 ? 8 : 4;
  }
  if (kind != rt::DeviceKind::Vulkan) {
    out.push_back(bytes == 8 ? rt::KernelArg::u64(bits)
                             : rt::KernelArg::u32(uint32_t(bits)));
    return success();
  }
  // Vulkan (no push constants in MLIR's SPIR-V): a one-value buffer.
  absl::StatusOr<std::unique_ptr<rt::Buffer>> buffer =
      device.createBuffer(bytes);
  if (!buffer.ok())
    return deviceError(op, buffer.status());
  uint8_t data[8];
  writeBits(bits, bytes, data);
  if (absl::Status s =
          device.upload(**buffer, absl::MakeConstSpan(data, bytes));
      !s.ok())
    return deviceError(op, s);
  out.push_back(rt::KernelArg::of(**buffer));
  scalarBuffers.push_back(std::move(*buffer));
  return success();
}

LogicalResult Interpreter::execLaunch(kn::LaunchOp op) {
  kn::KernelFuncOp fn = op.getKernelFunc();
  if (!fn)
    return op.emitError() << "no kernel " << op.getKernel();
  llvm::StringRef moduleName = op.getKernel().getRootReference().getValue();
  llvm::StringRef kernelName = op.getKernel().getLeafReference().getValue();
  auto dim = [&](Value v, const char *what, char axis,
                 uint32_t &out) -> LogicalResult {
    const APInt &n = get(v).integer;
    if (n.isNegative() || n.isZero() || !n.isIntN(32))
      return op.emitError() << what << " size " << axis << " is "
                            << n.getSExtValue() << "; it must be in [1, 2^32)";
    out = uint32_t(n.getZExtValue());
    return success();
  };
  rt::Dispatch d;
  d.kernel = kernelName.str();
  if (failed(dim(op.getGridSizeX(), "grid", 'x', d.grid.x)) ||
      failed(dim(op.getGridSizeY(), "grid", 'y', d.grid.y)) ||
      failed(dim(op.getGridSizeZ(), "grid", 'z', d.grid.z)) ||
      failed(dim(op.getBlockSizeX(), "block", 'x', d.block.x)) ||
      failed(dim(op.getBlockSizeY(), "block", 'y', d.block.y)) ||
      failed(dim(op.getBlockSizeZ(), "block", 'z', d.block.z)))
    return failure();
  // What the verifier checks for constant sizes, for every size.
  kn::MetadataAttr md = fn.getMetadata();
  if (std::optional<std::array<int32_t, 3>> wg = md.getWorkgroup())
    if (d.block.x != uint32_t((*wg)[0]) || d.block.y != uint32_t((*wg)[1]) ||
        d.block.z != uint32_t((*wg)[2]))
      return op.emitError()
             << "block (" << d.block.x << ", " << d.block.y << ", " << d.block.z
             << ") is not the workgroup(" << (*wg)[0] << ", " << (*wg)[1]
             << ", " << (*wg)[2] << ") of @" << kernelName;
  if (std::optional<uint32_t> max = md.getMaxThreads())
    if (d.block.count() > *max)
      return op.emitError()
             << "block (" << d.block.x << ", " << d.block.y << ", " << d.block.z
             << ") has more threads than "
             << "the launch_bounds(" << *max << ") of @" << kernelName;
  if (Value shared = op.getDynamicSharedMemorySize()) {
    const APInt &n = get(shared).integer;
    if (n.isNegative())
      return op.emitError()
             << "negative dynamic shared memory size " << n.getSExtValue();
    d.sharedBytes = uint32_t(n.getZExtValue());
  }
  FailureOr<rt::Module *> module = loadModule(op, moduleName, kernelName);
  if (failed(module))
    return failure();
  ArrayRef<Type> params = fn.getFunctionType().getInputs();
  for (auto [i, arg] : llvm::enumerate(op.getArgs()))
    if (failed(marshal(op, i, params[i], get(arg), d.args)))
      return failure();
  // The CPU lowering reads each dynamic size of a memref parameter from a
  // hidden 64-bit argument after the declared ones.
  if (device.kind() == rt::DeviceKind::Cpu)
    for (auto [i, arg] : llvm::enumerate(op.getArgs()))
      if (auto type = dyn_cast<MemRefType>(params[i]))
        for (int64_t dim = 0; dim < type.getRank(); ++dim)
          if (type.isDynamicDim(dim))
            d.args.push_back(
                rt::KernelArg::u64(uint64_t(get(arg).device->shape[dim])));
  // The Vulkan lowering flattens a dynamically shaped memref parameter of
  // rank > 1 and reads its dynamic sizes from hidden index parameters after
  // the declared ones (convert-kernel-to-gpu).
  if (device.kind() == rt::DeviceKind::Vulkan) {
    unsigned next = unsigned(params.size());
    for (auto [i, arg] : llvm::enumerate(op.getArgs())) {
      auto type = dyn_cast<MemRefType>(params[i]);
      if (!type || type.getRank() < 2 || type.hasStaticShape())
        continue;
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        if (type.isDynamicDim(dim) &&
            failed(marshal(op, next++, IndexType::get(op.getContext()),
                           HostValue::ofInt(APInt(
                               64, uint64_t(get(arg).device->shape[dim]))),
                           d.args)))
          return failure();
    }
  }
  if (absl::Status s = device.dispatch(**module, d); !s.ok())
    return deviceError(op, s);
  std::string name;
  llvm::raw_string_ostream(name) << op.getKernel();
  launches.push_back({name, d.grid, d.block});
  return success();
}

LogicalResult Interpreter::waitAll(Location loc) {
  absl::StatusOr<std::vector<rt::KernelTime>> t = device.wait();
  if (!t.ok())
    return emitError(loc) << ref(t.status().message());
  times.insert(times.end(), t->begin(), t->end());
  scalarBuffers.clear();
  return success();
}

//===----------------------------------------------------------------------===//
// The command
//===----------------------------------------------------------------------===//

/// Whether host code may compute values of `type`: index, integers and
/// floats of at most 64 bits, memrefs.
bool isHostValueType(Type type) {
  if (isa<IndexType, MemRefType>(type))
    return true;
  if (auto it = dyn_cast<IntegerType>(type))
    return it.getWidth() <= 64;
  if (auto ft = dyn_cast<FloatType>(type))
    return ft.getWidth() <= 64;
  return false;
}

/// Checks that every op `fn` and the functions it calls run is one the
/// interpreter knows, before anything runs.
LogicalResult checkHostCode(ModuleOp module, func::FuncOp entry) {
  SmallVector<func::FuncOp> work{entry};
  llvm::SmallPtrSet<Operation *, 8> seen{entry};
  while (!work.empty()) {
    func::FuncOp fn = work.pop_back_val();
    if (fn.isExternal())
      return fn.emitError()
             << "cannot run @" << fn.getSymName() << ": it has no body";
    if (!fn.getBody().hasOneBlock())
      return fn.emitError() << "cannot interpret @" << fn.getSymName()
                            << ": host functions have one block";
    WalkResult r = fn.getBody().walk([&](Operation *op) {
      if (!isHostOp(op)) {
        op->emitError() << "cannot interpret '" << op->getName()
                        << "' in host code";
        return WalkResult::interrupt();
      }
      for (Value v : op->getResults())
        if (!isHostValueType(v.getType())) {
          op->emitError() << "cannot interpret '" << op->getName()
                          << "' in host code: values of type " << v.getType()
                          << " are not supported";
          return WalkResult::interrupt();
        }
      if (auto c = dyn_cast<func::CallOp>(op)) {
        auto callee = module.lookupSymbol<func::FuncOp>(c.getCallee());
        if (!callee) {
          op->emitError() << "no func.func @" << c.getCallee();
          return WalkResult::interrupt();
        }
        if (seen.insert(callee).second)
          work.push_back(callee);
      }
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return failure();
  }
  return success();
}

void printMemory(llvm::raw_ostream &os, llvm::StringRef name,
                 const HostMemory &mem, bool lines) {
  uint64_t n = elementCount(mem.shape);
  if (!lines)
    os << name << " = [";
  for (uint64_t i = 0; i < n; ++i) {
    std::string v = formatScalar(mem.element,
                                 readElement(mem.element, mem.elementBytes,
                                             &mem.bytes[i * mem.elementBytes]));
    if (lines)
      os << name << "[" << i << "] = " << v << "\n";
    else
      os << (i ? ", " : "") << v;
  }
  if (!lines)
    os << "]\n";
}

} // namespace

int gpuinit::run::runRun(llvm::ArrayRef<llvm::StringRef> args) {
  Options opts;
  if (std::optional<int> code = parseOptions(args, opts))
    return *code;
  rt::DeviceOptions devOpts;
  absl::StatusOr<rt::DeviceKind> kind = parseDevice(opts.device, devOpts);
  if (!kind.ok())
    return usageError(ref(kind.status().message()));

  DialectRegistry registry;
  gpuinit::registerAllDialects(registry);
  registerAllExtensions(registry);
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ctx.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx, llvm::errs());
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileOrSTDIN(opts.program);
  if (!file)
    return fail("cannot read '" + opts.program +
                "': " + file.getError().message());
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&ctx));
  if (!module)
    return kExitError;

  // The entry: --entry, or the only public func.func with a body.
  func::FuncOp entry;
  if (!opts.entry.empty()) {
    llvm::StringRef name = opts.entry;
    name.consume_front("@");
    entry = module->lookupSymbol<func::FuncOp>(name);
    if (!entry)
      return fail("no func.func @" + name + " in '" + opts.program + "'");
  } else {
    SmallVector<func::FuncOp> candidates;
    for (func::FuncOp fn : module->getOps<func::FuncOp>())
      if (!fn.isExternal() && !fn.isPrivate())
        candidates.push_back(fn);
    if (candidates.empty())
      return fail("'" + opts.program + "' has no func.func to run");
    if (candidates.size() > 1) {
      std::string names;
      for (func::FuncOp fn : candidates)
        names += " @" + fn.getSymName().str();
      return fail("'" + opts.program +
                  "' has several host functions; choose one with "
                  "--entry=@name:" +
                  names);
    }
    entry = candidates.front();
  }
  if (failed(checkHostCode(*module, entry)))
    return kExitError;

  // The arguments.
  ArrayRef<Type> params = entry.getFunctionType().getInputs();
  SmallVector<HostValue> values(params.size());
  SmallVector<bool> given(params.size(), false);
  for (const std::string &spec : opts.args) {
    auto [name, text] = llvm::StringRef(spec).split('=');
    std::optional<unsigned> i = parseArgName(name);
    if (!i || !llvm::StringRef(spec).contains('='))
      return usageError("--arg takes <i>=<spec>, not '" + spec + "'");
    if (*i >= params.size())
      return fail("--arg " + spec + ": @" + entry.getSymName() + " has " +
                  llvm::Twine(params.size()) +
                  (params.size() == 1 ? " argument" : " arguments"));
    if (given[*i])
      return fail("--arg " + llvm::Twine(*i) + " is given twice");
    std::string error;
    FailureOr<HostValue> v = buildArgument(params[*i], text, error);
    if (failed(v))
      return fail("--arg " + spec + ": " + error);
    values[*i] = std::move(*v);
    given[*i] = true;
  }
  for (size_t i = 0; i < params.size(); ++i)
    if (!given[i])
      return fail("argument " + llvm::Twine(i) + " (" + typeString(params[i]) +
                  ") of @" + entry.getSymName() + " needs --arg " +
                  llvm::Twine(i) + "=<spec>; @" + entry.getSymName() + " has " +
                  llvm::Twine(params.size()) +
                  (params.size() == 1 ? " argument" : " arguments"));

  // Which arguments are printed.
  SmallVector<bool> print(params.size(), false);
  for (size_t i = 0; i < params.size(); ++i)
    print[i] = isa<MemRefType>(params[i]) && !opts.print;
  if (opts.print && *opts.print != "none") {
    SmallVector<llvm::StringRef> names;
    llvm::StringRef(*opts.print).split(names, ',');
    for (llvm::StringRef name : names) {
      std::optional<unsigned> i = parseArgName(name);
      if (!i || *i >= params.size() || !isa<MemRefType>(params[*i]))
        return usageError("--print: '" + name +
                          "' is not a memref argument of @" +
                          entry.getSymName());
      print[*i] = true;
    }
  }

  // The device, then the kernels compiled for it.
  devOpts.vulkanStaging = opts.staging;
  devOpts.cpuThreads = opts.threads;
  absl::StatusOr<std::unique_ptr<rt::Device>> device =
      rt::Device::open(*kind, devOpts);
  if (!device.ok())
    return fail(ref(device.status().message()));
  CompiledProgram program;
  if (failed(compileKernels(*module, **device, program)))
    return kExitError;

  // Device-buffer arguments: a buffer with the spec's contents, read back
  // into the host copy after the run.
  SmallVector<std::shared_ptr<HostMemory>> hostOf(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    hostOf[i] = values[i].host;
    if (!kn::isDeviceBuffer(params[i]))
      continue;
    auto mem = std::make_shared<DeviceMemory>();
    mem->element = hostOf[i]->element;
    mem->elementBytes = hostOf[i]->elementBytes;
    mem->shape = hostOf[i]->shape;
    absl::StatusOr<std::unique_ptr<rt::Buffer>> buffer =
        (*device)->createBuffer(hostOf[i]->bytes.size());
    if (!buffer.ok())
      return fail(ref(buffer.status().message()));
    if (absl::Status s = (*device)->upload(**buffer, hostOf[i]->bytes); !s.ok())
      return fail(ref(s.message()));
    mem->buffer = std::move(*buffer);
    values[i] = HostValue::ofDevice(std::move(mem));
  }

  Interpreter interp(*module, **device, program, opts.program);
  FailureOr<SmallVector<HostValue>> results = interp.call(entry, values);
  if (failed(results) || failed(interp.finish(entry.getLoc())))
    return kExitError;
  for (size_t i = 0; i < params.size(); ++i) {
    if (!print[i] || values[i].kind != HostValue::Kind::Device)
      continue;
    if (values[i].device->freed)
      return fail("arg" + llvm::Twine(i) +
                  " cannot be printed: the program freed it");
    if (absl::Status s = (*device)->download(*values[i].device->buffer,
                                             absl::MakeSpan(hostOf[i]->bytes));
        !s.ok())
      return fail(ref(s.message()));
  }

  llvm::raw_ostream &os = llvm::outs();
  bool lines = opts.format == "lines";
  for (size_t i = 0; i < params.size(); ++i)
    if (print[i])
      printMemory(os, "arg" + std::to_string(i), *hostOf[i], lines);
  ArrayRef<Type> resultTypes = entry.getFunctionType().getResults();
  for (auto [i, r] : llvm::enumerate(*results)) {
    std::string name = "result" + std::to_string(i);
    if (r.kind == HostValue::Kind::Host)
      printMemory(os, name, *r.host, lines);
    else if (r.kind == HostValue::Kind::Integer ||
             r.kind == HostValue::Kind::Float)
      os << name << " = " << formatScalar(resultTypes[i], r) << "\n";
  }

  if (opts.time) {
    const std::vector<LaunchRecord> &launches = interp.getLaunches();
    const std::vector<rt::KernelTime> &times = interp.getTimes();
    double total = 0;
    for (size_t i = 0; i < launches.size() && i < times.size(); ++i) {
      const LaunchRecord &l = launches[i];
      std::string source(rt::timingSourceName(times[i].source));
      os << llvm::format("launch %zu: %s grid(%u, %u, %u) block(%u, %u, %u): "
                         "%.6f ms (%s)\n",
                         i, l.kernel.c_str(), l.grid.x, l.grid.y, l.grid.z,
                         l.block.x, l.block.y, l.block.z, times[i].milliseconds,
                         source.c_str());
      total += times[i].milliseconds;
    }
    os << llvm::format("kernel time: %.6f ms in %zu launch%s\n", total,
                       launches.size(), launches.size() == 1 ? "" : "es");
  }
  return kExitOk;
}
