//===- KernelAttrs.cpp - kernel targets, hints and metadata ---------------===//
//
// Syntax, verifiers and target limits of #kernel.target, #kernel.hints and
// #kernel.metadata (the metadata's syntax is also the kernel.func header).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace gpuinit::kernel;

#define GET_ATTRDEF_CLASSES
#include "kernel/KernelAttrs.cpp.inc"

void KernelDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kernel/KernelAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

std::optional<uint32_t> gpuinit::kernel::getMinPTXVersion(uint32_t sm) {
  // PTX ISA release notes: the first PTX version that accepts each target.
  static constexpr std::pair<uint32_t, uint32_t> kTable[] = {
      {50, 40},  {52, 41},  {53, 42},  {60, 50},  {61, 50},  {62, 50}, {70, 60},
      {72, 61},  {75, 63},  {80, 70},  {86, 71},  {87, 74},  {89, 78}, {90, 78},
      {100, 86}, {101, 86}, {103, 88}, {110, 90}, {120, 87}, {121, 88}};
  for (auto [chip, ptx] : kTable)
    if (chip == sm)
      return ptx;
  return std::nullopt;
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 Backend backend, uint32_t chip,
                                 uint32_t version) {
  switch (backend) {
  case Backend::cuda: {
    std::optional<uint32_t> minPTX = getMinPTXVersion(chip);
    if (!minPTX)
      return emitError() << "unknown CUDA architecture sm_" << chip;
    if (version < *minPTX)
      return emitError() << "sm_" << chip << " needs PTX ISA " << *minPTX / 10
                         << "." << *minPTX % 10 << " or newer (ptx " << *minPTX
                         << "), got ptx " << version;
    return success();
  }
  case Backend::vulkan:
    if (chip != 0 || version < 10 || version > 14)
      return emitError() << "Vulkan version must be 1.0 to 1.4";
    return success();
  case Backend::cpu:
    if (chip != 0 || version != 0)
      return emitError() << "a cpu target has no chip or version";
    return success();
  }
  return emitError() << "unknown target backend";
}

void TargetAttr::printBody(AsmPrinter &printer) const {
  printer << stringifyBackend(getBackend());
  switch (getBackend()) {
  case Backend::cuda:
    printer << " sm_" << getChip() << " ptx " << getVersion();
    break;
  case Backend::vulkan:
    printer << ' ' << getVersion() / 10 << '.' << getVersion() % 10;
    break;
  case Backend::cpu:
    break;
  }
}

TargetAttr TargetAttr::parseBody(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<Backend> backend = symbolizeBackend(keyword);
  if (!backend) {
    parser.emitError(loc, "expected a target (cuda, vulkan or cpu), got '")
        << keyword << "'";
    return {};
  }
  uint32_t chip = 0, version = 0;
  if (*backend == Backend::cuda) {
    SMLoc smLoc = parser.getCurrentLocation();
    StringRef sm;
    if (parser.parseKeyword(&sm))
      return {};
    if (!sm.consume_front("sm_") || sm.getAsInteger(10, chip)) {
      parser.emitError(smLoc, "expected an architecture like sm_90");
      return {};
    }
    if (parser.parseKeyword("ptx") || parser.parseInteger(version))
      return {};
  } else if (*backend == Backend::vulkan) {
    SMLoc versionLoc = parser.getCurrentLocation();
    double value;
    if (parser.parseFloat(value))
      return {};
    double major = std::floor(value);
    double minor = std::round((value - major) * 10);
    if (major < 0 || major > 9 ||
        std::fabs(major + minor / 10 - value) > 1e-9) {
      parser.emitError(versionLoc, "expected a Vulkan version like 1.1");
      return {};
    }
    version = uint32_t(major) * 10 + uint32_t(minor);
  }
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    *backend, chip, version);
}

Attribute TargetAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  TargetAttr target = parseBody(parser);
  if (!target || parser.parseGreater())
    return {};
  return target;
}

void TargetAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBody(printer);
  printer << '>';
}

std::string TargetAttr::getChipName() const {
  return isCUDA() ? "sm_" + std::to_string(getChip()) : std::string();
}

std::string TargetAttr::getPTXFeatures() const {
  return isCUDA() ? "+ptx" + std::to_string(getVersion()) : std::string();
}

uint32_t TargetAttr::getSPIRVVersion() const {
  if (!isVulkan())
    return 0;
  switch (getVersion()) {
  case 10:
    return 10;
  case 11:
    return 13;
  case 12:
    return 15;
  default:
    return 16;
  }
}

uint32_t TargetAttr::getMaxThreadsPerBlock() const { return 1024; }

uint32_t TargetAttr::getMaxWorkgroupSize(unsigned dim) const {
  return dim < 2 ? 1024 : 64;
}

uint64_t TargetAttr::getMaxStaticSharedMemory() const {
  switch (getBackend()) {
  case Backend::cuda:
    return 48 * 1024;
  case Backend::vulkan:
    return 32 * 1024;
  case Backend::cpu:
    return 64 * 1024;
  }
  return 0;
}

uint64_t TargetAttr::getMaxSharedMemory() const {
  if (!isCUDA())
    return getMaxStaticSharedMemory();
  // Opt-in maximum per block (CUDA programming guide, compute capabilities).
  switch (getChip()) {
  case 70:
  case 72:
    return 96 * 1024;
  case 75:
    return 64 * 1024;
  case 80:
  case 87:
    return 163 * 1024;
  case 86:
  case 89:
  case 120:
  case 121:
    return 99 * 1024;
  case 90:
  case 100:
  case 101:
  case 103:
  case 110:
    return 227 * 1024;
  default:
    return 48 * 1024;
  }
}

//===----------------------------------------------------------------------===//
// HintsAttr
//===----------------------------------------------------------------------===//

LogicalResult HintsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                bool, std::optional<uint32_t> vectorWidth,
                                std::optional<uint32_t> unroll, bool, bool) {
  if (vectorWidth && !llvm::is_contained({1u, 2u, 4u, 8u, 16u}, *vectorWidth))
    return emitError() << "vector_width must be 1, 2, 4, 8 or 16, got "
                       << *vectorWidth;
  if (unroll && *unroll == 0)
    return emitError() << "unroll must be at least 1";
  return success();
}

void HintsAttr::printBody(AsmPrinter &printer) const {
  SmallVector<std::string> parts;
  if (getTensorCores())
    parts.push_back("tensor_cores");
  if (getVectorWidth())
    parts.push_back("vector_width = " + std::to_string(*getVectorWidth()));
  if (getUnroll())
    parts.push_back("unroll = " + std::to_string(*getUnroll()));
  if (getCoalesced())
    parts.push_back("coalesced");
  if (getAsyncCopy())
    parts.push_back("async_copy");
  llvm::interleaveComma(parts, printer);
}

HintsAttr HintsAttr::parseBody(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  bool tensorCores = false, coalesced = false, asyncCopy = false;
  std::optional<uint32_t> vectorWidth, unroll;
  llvm::StringSet<> seen;
  auto parseHint = [&]() -> ParseResult {
    SMLoc hintLoc = parser.getCurrentLocation();
    StringRef name;
    if (parser.parseKeyword(&name))
      return failure();
    if (!seen.insert(name).second)
      return parser.emitError(hintLoc, "hint '") << name << "' given twice";
    auto parseValue = [&](std::optional<uint32_t> &value) -> ParseResult {
      uint32_t v;
      if (parser.parseEqual() || parser.parseInteger(v))
        return failure();
      value = v;
      return success();
    };
    if (name == "tensor_cores")
      tensorCores = true;
    else if (name == "coalesced")
      coalesced = true;
    else if (name == "async_copy")
      asyncCopy = true;
    else if (name == "vector_width")
      return parseValue(vectorWidth);
    else if (name == "unroll")
      return parseValue(unroll);
    else
      return parser.emitError(hintLoc, "unknown hint '")
             << name
             << "' (expected tensor_cores, vector_width, unroll, coalesced "
                "or async_copy)";
    return success();
  };
  if (parser.parseCommaSeparatedList(parseHint))
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    tensorCores, vectorWidth, unroll, coalesced, asyncCopy);
}

Attribute HintsAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalGreater()))
    return get(parser.getContext(), false, std::nullopt, std::nullopt, false,
               false);
  HintsAttr hints = parseBody(parser);
  if (!hints || parser.parseGreater())
    return {};
  return hints;
}

void HintsAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBody(printer);
  printer << '>';
}

//===----------------------------------------------------------------------===//
// MetadataAttr
//===----------------------------------------------------------------------===//

LogicalResult MetadataAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   KernelKind kind, TargetAttr target,
                                   ArrayRef<int32_t> workgroupSize,
                                   std::optional<uint32_t> maxThreads,
                                   std::optional<uint32_t> minBlocks,
                                   std::optional<uint64_t> sharedMemory,
                                   std::optional<uint32_t> maxRegisters,
                                   bool device, HintsAttr hints) {
  if (!target)
    return emitError() << "kernel metadata needs a target";
  // Attributes built with get() skipped their own checks.
  if (failed(TargetAttr::verify(emitError, target.getBackend(),
                                target.getChip(), target.getVersion())))
    return failure();
  if (hints &&
      failed(HintsAttr::verify(emitError, hints.getTensorCores(),
                               hints.getVectorWidth(), hints.getUnroll(),
                               hints.getCoalesced(), hints.getAsyncCopy())))
    return failure();

  if (device) {
    const char *field = !workgroupSize.empty()      ? "workgroup"
                        : (maxThreads || minBlocks) ? "launch_bounds"
                        : sharedMemory              ? "shared"
                                                    : nullptr;
    if (field)
      return emitError() << "a device function is never launched: it has no '"
                         << field << "'";
  }

  int64_t threads = 1;
  if (!workgroupSize.empty()) {
    if (workgroupSize.size() != 3)
      return emitError() << "workgroup size needs 3 entries (x, y, z), got "
                         << workgroupSize.size();
    static const char *kDims[] = {"x", "y", "z"};
    for (unsigned d = 0; d < 3; ++d) {
      if (workgroupSize[d] <= 0)
        return emitError() << "workgroup size " << kDims[d]
                           << " must be positive, got " << workgroupSize[d];
      if (uint32_t(workgroupSize[d]) > target.getMaxWorkgroupSize(d))
        return emitError() << "workgroup size " << kDims[d] << " of "
                           << workgroupSize[d] << " exceeds the limit of "
                           << target.getMaxWorkgroupSize(d) << " of " << target;
      threads *= workgroupSize[d];
    }
    if (threads > target.getMaxThreadsPerBlock())
      return emitError() << "workgroup of " << threads
                         << " threads exceeds the limit of "
                         << target.getMaxThreadsPerBlock() << " threads of "
                         << target;
  }

  if (minBlocks && !maxThreads)
    return emitError() << "launch_bounds needs max_threads before min_blocks";
  if (maxThreads) {
    if (*maxThreads == 0)
      return emitError() << "launch_bounds max_threads must be positive";
    if (*maxThreads > target.getMaxThreadsPerBlock())
      return emitError() << "launch_bounds max_threads " << *maxThreads
                         << " exceeds the limit of "
                         << target.getMaxThreadsPerBlock() << " threads of "
                         << target;
    if (!workgroupSize.empty() && *maxThreads < threads)
      return emitError() << "launch_bounds max_threads " << *maxThreads
                         << " is less than the workgroup size ("
                         << workgroupSize[0] << " x " << workgroupSize[1]
                         << " x " << workgroupSize[2] << " = " << threads
                         << " threads)";
  }
  if (minBlocks && *minBlocks == 0)
    return emitError() << "launch_bounds min_blocks must be positive";

  if (sharedMemory && *sharedMemory > target.getMaxStaticSharedMemory())
    return emitError() << "shared memory of " << *sharedMemory
                       << " bytes exceeds the static limit of "
                       << target.getMaxStaticSharedMemory() << " bytes of "
                       << target;
  if (maxRegisters && (*maxRegisters == 0 || *maxRegisters > 255))
    return emitError() << "max_registers must be 1 to 255, got "
                       << *maxRegisters;
  (void)kind;
  return success();
}

std::optional<std::array<int32_t, 3>> MetadataAttr::getWorkgroup() const {
  ArrayRef<int32_t> size = getWorkgroupSize();
  if (size.size() != 3)
    return std::nullopt;
  return std::array<int32_t, 3>{size[0], size[1], size[2]};
}

std::optional<int64_t> MetadataAttr::getWorkgroupThreads() const {
  std::optional<std::array<int32_t, 3>> size = getWorkgroup();
  if (!size)
    return std::nullopt;
  return int64_t((*size)[0]) * (*size)[1] * (*size)[2];
}

MetadataAttr MetadataAttr::withWorkgroupSize(ArrayRef<int32_t> size) const {
  return get(getContext(), getKind(), getTarget(), size, getMaxThreads(),
             getMinBlocks(), getSharedMemory(), getMaxRegisters(), getDevice(),
             getHints());
}

MetadataAttr
MetadataAttr::withLaunchBounds(std::optional<uint32_t> maxThreads,
                               std::optional<uint32_t> minBlocks) const {
  return get(getContext(), getKind(), getTarget(), getWorkgroupSize(),
             maxThreads, minBlocks, getSharedMemory(), getMaxRegisters(),
             getDevice(), getHints());
}

MetadataAttr
MetadataAttr::withSharedMemory(std::optional<uint64_t> bytes) const {
  return get(getContext(), getKind(), getTarget(), getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), bytes, getMaxRegisters(),
             getDevice(), getHints());
}

MetadataAttr
MetadataAttr::withMaxRegisters(std::optional<uint32_t> regs) const {
  return get(getContext(), getKind(), getTarget(), getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), getSharedMemory(), regs,
             getDevice(), getHints());
}

MetadataAttr MetadataAttr::withDevice(bool device) const {
  return get(getContext(), getKind(), getTarget(), getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), getSharedMemory(),
             getMaxRegisters(), device, getHints());
}

MetadataAttr MetadataAttr::withHints(HintsAttr hints) const {
  // Empty hints print as none: keep one form so that printing round-trips.
  if (hints && hints.empty())
    hints = HintsAttr();
  return get(getContext(), getKind(), getTarget(), getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), getSharedMemory(),
             getMaxRegisters(), getDevice(), hints);
}

MetadataAttr MetadataAttr::withKind(KernelKind kind) const {
  return get(getContext(), kind, getTarget(), getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), getSharedMemory(),
             getMaxRegisters(), getDevice(), getHints());
}

MetadataAttr MetadataAttr::withTarget(TargetAttr target) const {
  return get(getContext(), getKind(), target, getWorkgroupSize(),
             getMaxThreads(), getMinBlocks(), getSharedMemory(),
             getMaxRegisters(), getDevice(), getHints());
}

void MetadataAttr::printBody(AsmPrinter &printer) const {
  if (getDevice())
    printer << "device ";
  printer << "kind " << stringifyKernelKind(getKind()) << " target ";
  if (getTarget())
    getTarget().printBody(printer);
  ArrayRef<int32_t> size = getWorkgroupSize();
  if (!size.empty()) {
    printer << " workgroup(";
    llvm::interleaveComma(size, printer);
    printer << ')';
  }
  if (getMaxThreads() || getMinBlocks()) {
    printer << " launch_bounds(" << getMaxThreads().value_or(0);
    if (getMinBlocks())
      printer << ", " << *getMinBlocks();
    printer << ')';
  }
  if (getSharedMemory())
    printer << " shared " << *getSharedMemory();
  if (getMaxRegisters())
    printer << " max_registers " << *getMaxRegisters();
  if (getHints() && !getHints().empty()) {
    printer << " hints(";
    getHints().printBody(printer);
    printer << ')';
  }
}

MetadataAttr MetadataAttr::parseBody(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  MLIRContext *ctx = parser.getContext();
  std::optional<KernelKind> kind;
  TargetAttr target;
  SmallVector<int32_t> workgroup;
  std::optional<uint32_t> maxThreads, minBlocks, maxRegisters;
  std::optional<uint64_t> shared;
  bool device = false;
  HintsAttr hints;

  llvm::StringSet<> seen;
  while (true) {
    SMLoc fieldLoc = parser.getCurrentLocation();
    StringRef field;
    if (failed(parser.parseOptionalKeyword(
            &field, {"device", "kind", "target", "workgroup", "launch_bounds",
                     "shared", "max_registers", "hints"})))
      break;
    if (!seen.insert(field).second) {
      parser.emitError(fieldLoc, "'") << field << "' given twice";
      return {};
    }
    if (field == "device") {
      device = true;
    } else if (field == "kind") {
      SMLoc kindLoc = parser.getCurrentLocation();
      StringRef name;
      if (parser.parseKeyword(&name))
        return {};
      kind = symbolizeKernelKind(name);
      if (!kind) {
        parser.emitError(kindLoc, "unknown kernel kind '")
            << name
            << "' (expected elementwise, reduce, matmul, conv2d, attention, "
               "scan, sort or custom)";
        return {};
      }
    } else if (field == "target") {
      SMLoc targetLoc = parser.getCurrentLocation();
      Attribute attr;
      OptionalParseResult parsed = parser.parseOptionalAttribute(attr);
      if (parsed.has_value()) {
        if (failed(*parsed))
          return {};
        target = dyn_cast<TargetAttr>(attr);
        if (!target) {
          parser.emitError(targetLoc, "expected a #kernel.target, got ")
              << attr;
          return {};
        }
      } else {
        target = TargetAttr::parseBody(parser);
        if (!target)
          return {};
      }
    } else if (field == "workgroup") {
      SMLoc sizeLoc = parser.getCurrentLocation();
      auto parseDim = [&]() -> ParseResult {
        int64_t v;
        if (parser.parseInteger(v))
          return failure();
        if (v < INT32_MIN || v > INT32_MAX)
          return parser.emitError(sizeLoc, "workgroup size out of range");
        workgroup.push_back(int32_t(v));
        return success();
      };
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, parseDim))
        return {};
      if (workgroup.size() != 3) {
        parser.emitError(sizeLoc, "workgroup size needs 3 entries (x, y, z)");
        return {};
      }
    } else if (field == "launch_bounds") {
      uint32_t threads;
      if (parser.parseLParen() || parser.parseInteger(threads))
        return {};
      maxThreads = threads;
      if (succeeded(parser.parseOptionalComma())) {
        uint32_t blocks;
        if (parser.parseInteger(blocks))
          return {};
        minBlocks = blocks;
      }
      if (parser.parseRParen())
        return {};
    } else if (field == "shared") {
      uint64_t bytes;
      if (parser.parseInteger(bytes))
        return {};
      shared = bytes;
    } else if (field == "max_registers") {
      uint32_t regs;
      if (parser.parseInteger(regs))
        return {};
      maxRegisters = regs;
    } else if (field == "hints") {
      if (parser.parseLParen())
        return {};
      if (succeeded(parser.parseOptionalRParen()))
        continue;
      hints = HintsAttr::parseBody(parser);
      if (!hints || parser.parseRParen())
        return {};
    }
  }
  if (!kind) {
    parser.emitError(loc, "kernel metadata needs a kind (kind elementwise, "
                          "reduce, matmul, conv2d, attention, scan, sort or "
                          "custom)");
    return {};
  }
  if (!target) {
    parser.emitError(loc, "kernel metadata needs a target (target cuda sm_90 "
                          "ptx 80, target vulkan 1.1 or target cpu)");
    return {};
  }
  return getChecked([&] { return parser.emitError(loc); }, ctx, *kind, target,
                    workgroup, maxThreads, minBlocks, shared, maxRegisters,
                    device, hints);
}

Attribute MetadataAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  MetadataAttr metadata = parseBody(parser);
  if (!metadata || parser.parseGreater())
    return {};
  return metadata;
}

void MetadataAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBody(printer);
  printer << '>';
}
