//===- SpirvInfo.cpp - read the interface of a SPIR-V module --------------===//
//
// Walks the instructions of a SPIR-V binary once, checking lengths, and keeps
// what the Vulkan device needs: entry points, LocalSize, descriptor bindings
// and the push-constant block size.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/SpirvInfo.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_format.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

using namespace gpuinit::runtime;

namespace {

constexpr uint32_t kMagic = 0x07230203;

// The opcodes, decorations and enumerants this reader looks at (SPIR-V
// specification, section 3).
enum Op : uint32_t {
  OpSourceExtension = 4,
  OpEntryPoint = 15,
  OpCapability = 17,
  OpExecutionMode = 16,
  OpTypeInt = 21,
  OpTypeFloat = 22,
  OpTypeVector = 23,
  OpTypeArray = 28,
  OpTypeStruct = 30,
  OpTypePointer = 32,
  OpConstant = 43,
  OpFunction = 54,
  OpFunctionEnd = 56,
  OpFunctionCall = 57,
  OpVariable = 59,
  OpDecorate = 71,
  OpMemberDecorate = 72,
};
enum Decoration : uint32_t {
  DecBlock = 2,
  DecBufferBlock = 3,
  DecArrayStride = 6,
  DecBinding = 33,
  DecDescriptorSet = 34,
  DecOffset = 35,
};
enum StorageClass : uint32_t {
  ScUniform = 2,
  ScPushConstant = 9,
  ScStorageBuffer = 12,
};
constexpr uint32_t kModeLocalSize = 17;
constexpr uint32_t kModelGLCompute = 5;

/// A type this reader can size.
struct Type {
  uint32_t op = 0;
  std::vector<uint32_t> operands;
};

struct Reader {
  absl::Span<const uint32_t> words;
  SpirvInfo info;
  std::unordered_map<uint32_t, Type> types;
  std::unordered_map<uint32_t, uint64_t> constants;
  /// Pointer type id -> (storage class, pointee).
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> pointers;
  /// Variable id -> (storage class, pointer type).
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> variables;
  std::unordered_map<uint32_t, uint32_t> sets, bindings, arrayStrides;
  std::set<uint32_t> blocks, bufferBlocks;
  /// (struct, member) -> offset.
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> offsets;
  struct Entry {
    SpirvEntryPoint point;
    uint32_t function = 0;
    std::vector<uint32_t> interface;
  };
  std::vector<Entry> entries;
  /// Per function: the module-scope variables its instructions name, and
  /// the functions it calls (before SPIR-V 1.4 an entry point's interface
  /// lists only Input/Output variables, so the descriptor bindings an entry
  /// point uses are found from the code it can reach).
  std::map<uint32_t, std::set<uint32_t>> functionVariables, functionCalls;
  uint32_t currentFunction = 0;

  absl::Status fail(size_t at, absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid SPIR-V module: ", msg, " (at word ", at, ")"));
  }

  /// Decodes a literal string starting at `words[at]`; returns the words it
  /// takes, or 0 when it is not terminated within `end`.
  size_t readString(size_t at, size_t end, std::string &out) {
    out.clear();
    for (size_t w = at; w < end; ++w) {
      for (int b = 0; b < 4; ++b) {
        char c = char((words[w] >> (8 * b)) & 0xff);
        if (c == 0)
          return w - at + 1;
        out.push_back(c);
      }
    }
    return 0;
  }

  /// Size in bytes of a type in an explicitly laid out block, or nullopt.
  std::optional<uint64_t> sizeOf(uint32_t id, int depth = 0) {
    auto it = types.find(id);
    if (it == types.end() || depth > 32)
      return std::nullopt;
    const Type &t = it->second;
    switch (t.op) {
    case OpTypeInt:
    case OpTypeFloat:
      return t.operands[0] / 8;
    case OpTypeVector: {
      std::optional<uint64_t> c = sizeOf(t.operands[0], depth + 1);
      if (!c)
        return std::nullopt;
      return *c * t.operands[1];
    }
    case OpTypeArray: {
      auto len = constants.find(t.operands[1]);
      auto stride = arrayStrides.find(id);
      if (len == constants.end() || stride == arrayStrides.end())
        return std::nullopt;
      return len->second * stride->second;
    }
    case OpTypeStruct: {
      uint64_t size = 0;
      for (uint32_t m = 0; m < t.operands.size(); ++m) {
        auto off = offsets.find({id, m});
        std::optional<uint64_t> ms = sizeOf(t.operands[m], depth + 1);
        if (off == offsets.end() || !ms)
          return std::nullopt;
        size = std::max(size, off->second + *ms);
      }
      return size;
    }
    default:
      return std::nullopt;
    }
  }

  absl::Status read() {
    if (words.size() < 5)
      return absl::InvalidArgumentError(
          absl::StrCat("invalid SPIR-V module: ", words.size() * 4,
                       " bytes is shorter than the 20-byte header"));
    if (words[0] != kMagic) {
      if (words[0] == 0x03022307)
        return absl::InvalidArgumentError(
            "invalid SPIR-V module: words are byte-swapped (big-endian "
            "module); convert it to the host's byte order");
      return absl::InvalidArgumentError(absl::StrFormat(
          "invalid SPIR-V module: bad magic number 0x%08x (expected "
          "0x07230203)",
          words[0]));
    }
    info.version = words[1];
    uint32_t major = (words[1] >> 16) & 0xff, minor = (words[1] >> 8) & 0xff;
    if (major != 1 || minor > 6 || (words[1] & 0xff0000ff))
      return fail(1, absl::StrFormat("unknown version word 0x%08x", words[1]));
    for (size_t at = 5; at < words.size();) {
      uint32_t count = words[at] >> 16, op = words[at] & 0xffff;
      if (count == 0)
        return fail(at, absl::StrCat("instruction (opcode ", op,
                                     ") has a word count of 0"));
      if (at + count > words.size())
        return fail(at, absl::StrCat("instruction (opcode ", op, ") of ", count,
                                     " words runs past the end of the module (",
                                     words.size(), " words)"));
      absl::Span<const uint32_t> ops = words.subspan(at + 1, count - 1);
      auto need = [&](size_t n) -> absl::Status {
        if (ops.size() < n)
          return fail(at, absl::StrCat("instruction (opcode ", op, ") has ",
                                       ops.size(), " operands, needs ", n));
        return absl::OkStatus();
      };
      switch (op) {
      case OpEntryPoint: {
        if (absl::Status s = need(3); !s.ok())
          return s;
        Entry e;
        e.point.executionModel = ops[0];
        e.function = ops[1];
        size_t n = readString(at + 3, at + count, e.point.name);
        if (n == 0)
          return fail(at, "OpEntryPoint name is not terminated");
        for (size_t i = 2 + n; i < ops.size(); ++i)
          e.interface.push_back(ops[i]);
        entries.push_back(std::move(e));
        break;
      }
      case OpCapability:
        if (absl::Status s = need(1); !s.ok())
          return s;
        info.capabilities.push_back(ops[0]);
        break;
      case OpSourceExtension: {
        // gpuinit's compiler records the subgroup sizes an entry point's
        // warp operations are right for:
        // "gpuinit.subgroup-size min N max M entry NAME" (without
        // "entry NAME": every entry point).
        std::string text;
        if (readString(at + 1, at + count, text) == 0)
          return fail(at, "OpSourceExtension string is not terminated");
        constexpr absl::string_view kKey = "gpuinit.subgroup-size ";
        if (!absl::StartsWith(text, kKey))
          break;
        unsigned lo = 0, hi = 0;
        int used = 0;
        auto malformed = [&] {
          return fail(at, absl::StrCat("malformed \"", text, "\""));
        };
        if (std::sscanf(text.c_str() + kKey.size(), "min %u max %u%n", &lo,
                        &hi, &used) != 2 ||
            lo == 0 || (hi != 0 && hi < lo))
          return malformed();
        absl::string_view rest =
            absl::string_view(text).substr(kKey.size() + size_t(used));
        bool matched = false;
        if (rest.empty()) {
          for (Entry &e : entries) {
            e.point.minSubgroupSize = lo;
            e.point.maxSubgroupSize = hi;
          }
          break;
        }
        if (!absl::ConsumePrefix(&rest, " entry ") || rest.empty())
          return malformed();
        for (Entry &e : entries)
          if (e.point.name == rest) {
            e.point.minSubgroupSize = lo;
            e.point.maxSubgroupSize = hi;
            matched = true;
          }
        if (!matched)
          return fail(at, absl::StrCat("\"", text,
                                       "\" names no entry point (entry "
                                       "points must come first)"));
        break;
      }
      case OpExecutionMode:
        if (absl::Status s = need(2); !s.ok())
          return s;
        if (ops[1] == kModeLocalSize) {
          if (absl::Status s = need(5); !s.ok())
            return s;
          for (Entry &e : entries)
            if (e.function == ops[0])
              e.point.localSize =
                  std::array<uint32_t, 3>{ops[2], ops[3], ops[4]};
        }
        break;
      case OpTypeInt:
      case OpTypeFloat:
        if (absl::Status s = need(2); !s.ok())
          return s;
        types[ops[0]] = Type{op, {ops[1]}};
        break;
      case OpTypeVector:
      case OpTypeArray:
        if (absl::Status s = need(3); !s.ok())
          return s;
        types[ops[0]] = Type{op, {ops[1], ops[2]}};
        break;
      case OpTypeStruct:
        if (absl::Status s = need(1); !s.ok())
          return s;
        types[ops[0]] =
            Type{op, std::vector<uint32_t>(ops.begin() + 1, ops.end())};
        break;
      case OpTypePointer:
        if (absl::Status s = need(3); !s.ok())
          return s;
        pointers[ops[0]] = {ops[1], ops[2]};
        break;
      case OpConstant:
        if (absl::Status s = need(3); !s.ok())
          return s;
        constants[ops[1]] = ops[2];
        break;
      case OpVariable:
        if (absl::Status s = need(3); !s.ok())
          return s;
        variables[ops[1]] = {ops[2], ops[0]};
        break;
      case OpDecorate:
        if (absl::Status s = need(2); !s.ok())
          return s;
        switch (ops[1]) {
        case DecBlock:
          blocks.insert(ops[0]);
          break;
        case DecBufferBlock:
          bufferBlocks.insert(ops[0]);
          break;
        case DecArrayStride:
        case DecBinding:
        case DecDescriptorSet: {
          if (absl::Status s = need(3); !s.ok())
            return s;
          auto &map = ops[1] == DecArrayStride ? arrayStrides
                      : ops[1] == DecBinding   ? bindings
                                               : sets;
          map[ops[0]] = ops[2];
          break;
        }
        default:
          break;
        }
        break;
      case OpMemberDecorate:
        if (absl::Status s = need(3); !s.ok())
          return s;
        if (ops[2] == DecOffset) {
          if (absl::Status s = need(4); !s.ok())
            return s;
          offsets[{ops[0], ops[1]}] = ops[3];
        }
        break;
      case OpFunction:
        if (absl::Status s = need(2); !s.ok())
          return s;
        currentFunction = ops[1];
        functionVariables[currentFunction];
        break;
      case OpFunctionEnd:
        currentFunction = 0;
        break;
      default:
        break;
      }
      if (currentFunction != 0 && op != OpFunction) {
        // Any operand naming a module-scope variable counts as a use (a
        // literal that happens to equal a variable's id only adds a
        // binding, never drops one).
        for (uint32_t word : ops)
          if (variables.count(word))
            functionVariables[currentFunction].insert(word);
        if (op == OpFunctionCall && ops.size() >= 3)
          functionCalls[currentFunction].insert(ops[2]);
      }
      at += count;
    }
    finish();
    return absl::OkStatus();
  }

  /// The struct a pointer type points to (through arrays of blocks).
  uint32_t pointee(uint32_t pointerType) {
    auto it = pointers.find(pointerType);
    if (it == pointers.end())
      return 0;
    uint32_t t = it->second.second;
    auto ty = types.find(t);
    if (ty != types.end() && ty->second.op == OpTypeArray)
      t = ty->second.operands[0];
    return t;
  }

  void finish() {
    bool interfaceListsAll = info.version >= 0x00010400;
    for (Entry &e : entries) {
      std::set<uint32_t> uses(e.interface.begin(), e.interface.end());
      // Without the entry point's body (a truncated or hand-made module)
      // every variable of the module counts, as before 1.4 it may.
      bool allVariables =
          !interfaceListsAll && !functionVariables.count(e.function);
      if (!interfaceListsAll && !allVariables) {
        // The variables the entry point's code reaches through calls.
        std::set<uint32_t> seen;
        std::vector<uint32_t> work = {e.function};
        while (!work.empty()) {
          uint32_t fn = work.back();
          work.pop_back();
          if (!seen.insert(fn).second)
            continue;
          const std::set<uint32_t> &vars = functionVariables[fn];
          uses.insert(vars.begin(), vars.end());
          for (uint32_t callee : functionCalls[fn])
            work.push_back(callee);
        }
      }
      bool push = false;
      std::optional<uint32_t> pushBytes = 0;
      for (const auto &[var, classAndType] : variables) {
        if (!allVariables && !uses.count(var))
          continue;
        auto [storage, ptrType] = classAndType;
        uint32_t strct = pointee(ptrType);
        if (storage == ScPushConstant) {
          push = true;
          std::optional<uint64_t> size = sizeOf(strct);
          if (!size || !pushBytes)
            pushBytes = std::nullopt;
          else
            pushBytes = std::max<uint32_t>(*pushBytes, uint32_t(*size));
          continue;
        }
        auto b = bindings.find(var);
        if (b == bindings.end())
          continue;
        SpirvBinding binding;
        binding.variable = var;
        binding.binding = b->second;
        auto s = sets.find(var);
        binding.set = s == sets.end() ? 0 : s->second;
        if (storage == ScStorageBuffer ||
            (storage == ScUniform && bufferBlocks.count(strct)))
          binding.kind = SpirvBindingKind::StorageBuffer;
        else if (storage == ScUniform)
          binding.kind = SpirvBindingKind::UniformBuffer;
        else
          binding.kind = SpirvBindingKind::Other;
        e.point.bindings.push_back(binding);
      }
      std::sort(e.point.bindings.begin(), e.point.bindings.end(),
                [](const SpirvBinding &a, const SpirvBinding &b) {
                  return std::tie(a.set, a.binding) <
                         std::tie(b.set, b.binding);
                });
      e.point.hasPushConstants = push;
      e.point.pushConstantBytes = pushBytes;
      info.entryPoints.push_back(std::move(e.point));
    }
  }
};

} // namespace

const SpirvEntryPoint *SpirvInfo::findCompute(absl::string_view name) const {
  for (const SpirvEntryPoint &e : entryPoints)
    if (e.name == name && e.executionModel == kModelGLCompute)
      return &e;
  return nullptr;
}

std::string SpirvInfo::entryPointList() const {
  std::string out;
  for (const SpirvEntryPoint &e : entryPoints)
    absl::StrAppend(&out, out.empty() ? "" : ", ", e.name);
  return out.empty() ? "none" : out;
}

absl::StatusOr<SpirvInfo>
gpuinit::runtime::readSpirvInfo(absl::Span<const uint8_t> bytes) {
  if (bytes.size() % 4 != 0)
    return absl::InvalidArgumentError(
        absl::StrCat("invalid SPIR-V module: size ", bytes.size(),
                     " bytes is not a multiple of 4"));
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!bytes.empty())
    std::memcpy(words.data(), bytes.data(), bytes.size());
  Reader r;
  r.words = words;
  if (absl::Status s = r.read(); !s.ok())
    return s;
  return std::move(r.info);
}
