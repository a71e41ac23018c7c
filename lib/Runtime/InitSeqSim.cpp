//===- InitSeqSim.cpp - replay init sequences against a register model ----===//
//
// The initseq simulator and equivalence checker: event streams of programs
// against a register map, and their comparison. The model is described in
// include/gpuinit/Runtime/InitSeqSim.h and docs/InitSeqSimulation.md.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/InitSeqSim.h"

#include "absl/strings/str_cat.h"

#include <algorithm>
#include <array>

using namespace gpuinit::runtime;

namespace {

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

uint64_t widthMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t(0) : ((uint64_t(1) << bits) - 1);
}

std::string hex(uint64_t v, unsigned digits = 0) {
  std::string s = absl::StrCat(absl::Hex(v, absl::kNoPad));
  if (s.size() < digits)
    s.insert(0, digits - s.size(), '0');
  return "0x" + s;
}

uint64_t saturatingAdd(uint64_t a, uint64_t b) {
  return a > ~uint64_t(0) - b ? ~uint64_t(0) : a + b;
}

/// The largest byte offset + 1 of a space (as initseq's addressSpaceLimit).
uint64_t spaceLimit(Space space) {
  switch (space) {
  case Space::Cfg:
    return 4096;
  case Space::Io:
  case Space::IdxIo:
    return 0x10000;
  case Space::Mmio:
    return uint64_t(1) << 40;
  }
  return 0;
}

bool widthAllowed(Space space, unsigned bits) {
  switch (space) {
  case Space::Cfg:
  case Space::Io:
    return bits == 8 || bits == 16 || bits == 32;
  case Space::Mmio:
    return bits == 8 || bits == 16 || bits == 32 || bits == 64;
  case Space::IdxIo:
    return bits == 8;
  }
  return false;
}

const char *spaceName(Space space) {
  switch (space) {
  case Space::Cfg:
    return "cfg";
  case Space::Mmio:
    return "mmio";
  case Space::Io:
    return "io";
  case Space::IdxIo:
    return "idxio";
  }
  return "?";
}

const char *opName(SimOpKind kind) {
  switch (kind) {
  case SimOpKind::Write:
    return "initseq.write";
  case SimOpKind::Rmw:
    return "initseq.rmw";
  case SimOpKind::Read:
    return "initseq.read";
  case SimOpKind::BlockWrite:
    return "initseq.block_write";
  case SimOpKind::Poll:
    return "initseq.poll";
  case SimOpKind::Delay:
    return "initseq.delay";
  case SimOpKind::ConditionBegin:
  case SimOpKind::ConditionElse:
  case SimOpKind::ConditionEnd:
    return "initseq.condition";
  case SimOpKind::Opaque:
    return "initseq.opaque";
  }
  return "?";
}

bool isAccess(SimOpKind kind) {
  return kind == SimOpKind::Write || kind == SimOpKind::Rmw ||
         kind == SimOpKind::Read || kind == SimOpKind::BlockWrite ||
         kind == SimOpKind::Poll;
}

std::string regWithWidth(const SimReg &reg, unsigned bits) {
  return absl::StrCat(formatSimReg(reg), " : i", bits);
}

/// A hash map from 64-bit keys to 32-bit values with open addressing: the
/// simulator's storage index and property cache, millions of lookups per
/// sequence.
class U64Map {
public:
  /// The value of `key`, or null.
  const uint32_t *find(uint64_t key) const {
    if (slots_.empty())
      return nullptr;
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const Slot &s = slots_[i];
      if (!s.used)
        return nullptr;
      if (s.key == key)
        return &s.value;
    }
  }

  /// The value of `key`, inserting `value` first if absent.
  uint32_t findOrInsert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size())
      grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      Slot &s = slots_[i];
      if (!s.used) {
        s = {key, value, true};
        ++size_;
        return value;
      }
      if (s.key == key)
        return s.value;
    }
  }

  void clear() {
    slots_.clear();
    size_ = 0;
  }

private:
  struct Slot {
    uint64_t key = 0;
    uint32_t value = 0;
    bool used = false;
  };

  static size_t hash(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return size_t(x);
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot());
    size_ = 0;
    for (const Slot &s : old)
      if (s.used)
        findOrInsert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

/// The part of an access that falls into one storage word.
struct Piece {
  /// Storage word key and the word's first byte.
  uint64_t word;
  SimReg base;
  /// Bit position in the word, bit position in the access value, bit count.
  unsigned wordShift, valueShift, bits;
};

/// Key of the storage word holding byte `offset` of `reg`'s space. Words are
/// 8 aligned bytes; an indexed I/O register is a word of its own.
uint64_t wordKey(const SimReg &reg, uint64_t offset) {
  if (reg.space == Space::IdxIo)
    return (uint64_t(Space::IdxIo) << 62) | ((reg.offset & 0xffff) << 24) |
           (uint64_t(reg.dataPort) << 8) | reg.index;
  return (uint64_t(reg.space) << 62) | (uint64_t(reg.bar) << 59) |
         (offset >> 3);
}

/// Splits an access into the storage words it touches (at most two).
unsigned splitAccess(const SimReg &reg, unsigned bits, Piece out[2]) {
  if (reg.space == Space::IdxIo) {
    out[0] = {wordKey(reg, 0), reg, 0, 0, bits};
    return 1;
  }
  unsigned bytes = bits / 8, n = 0, done = 0;
  uint64_t offset = reg.offset;
  while (done < bytes) {
    uint64_t base = offset & ~uint64_t(7);
    unsigned inWord = unsigned(offset - base);
    unsigned take = std::min(bytes - done, 8 - inWord);
    SimReg b = reg;
    b.offset = base;
    out[n++] = {wordKey(reg, offset), b, inWord * 8, done * 8, take * 8};
    done += take;
    offset += take;
  }
  return n;
}

} // namespace

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

std::string gpuinit::runtime::formatSimReg(const SimReg &reg) {
  switch (reg.space) {
  case Space::Cfg:
    return absl::StrCat("cfg[", hex(reg.offset, 3), "]");
  case Space::Mmio:
    return absl::StrCat("mmio[bar", reg.bar, " + ", hex(reg.offset, 6), "]");
  case Space::Io:
    return absl::StrCat("io[", hex(reg.offset), "]");
  case Space::IdxIo:
    return absl::StrCat("idxio[", hex(reg.offset), ":", hex(reg.dataPort), "][",
                        hex(reg.index, 2), "]");
  }
  return "?";
}

absl::string_view gpuinit::runtime::simCondKindName(SimCondKind kind) {
  switch (kind) {
  case SimCondKind::Strap:
    return "strap";
  case SimCondKind::RamCfg:
    return "ramcfg";
  case SimCondKind::Condition:
    return "condition";
  case SimCondKind::IoCondition:
    return "io_condition";
  case SimCondKind::IoFlagCondition:
    return "io_flag_condition";
  case SimCondKind::Reg:
    return "reg";
  case SimCondKind::External:
    return "external";
  }
  return "?";
}

std::string gpuinit::runtime::formatSimDuration(uint64_t ns) {
  static const std::pair<uint64_t, const char *> units[] = {
      {1000000000, "s"}, {1000000, "ms"}, {1000, "us"}};
  if (ns != 0)
    for (auto [scale, name] : units)
      if (ns % scale == 0)
        return absl::StrCat(ns / scale, " ", name);
  return absl::StrCat(ns, " ns");
}

std::string gpuinit::runtime::formatSimValue(SimValue v, unsigned bits) {
  uint64_t all = widthMask(bits);
  uint64_t known = v.known & all;
  if (known == all)
    return hex(v.value & all);
  if (known == 0)
    return "unknown";
  return absl::StrCat(hex(v.value & known), " (unknown bits ",
                      hex(all & ~known), ")");
}

//===----------------------------------------------------------------------===//
// SimProgram
//===----------------------------------------------------------------------===//

SimOp &SimProgram::append(SimOpKind kind) {
  SimOp &op = ops.emplace_back();
  op.kind = kind;
  op.number = nextNumber_++;
  return op;
}

SimOp &SimProgram::write(SimReg reg, unsigned bits, uint64_t value) {
  SimOp &op = append(SimOpKind::Write);
  op.reg = reg;
  op.bits = uint8_t(bits);
  op.value = value;
  return op;
}

SimOp &SimProgram::rmw(SimReg reg, unsigned bits, uint64_t andMask,
                       uint64_t orMask) {
  SimOp &op = append(SimOpKind::Rmw);
  op.reg = reg;
  op.bits = uint8_t(bits);
  op.mask = andMask;
  op.value = orMask;
  return op;
}

SimOp &SimProgram::read(SimReg reg, unsigned bits,
                        std::optional<uint64_t> observed) {
  SimOp &op = append(SimOpKind::Read);
  op.reg = reg;
  op.bits = uint8_t(bits);
  op.flag = observed.has_value();
  op.value = observed.value_or(0);
  return op;
}

SimOp &SimProgram::blockWrite(SimReg reg, unsigned bits, uint64_t stride,
                              absl::Span<const uint64_t> vals) {
  SimOp &op = append(SimOpKind::BlockWrite);
  op.reg = reg;
  op.bits = uint8_t(bits);
  op.mask = stride;
  op.first = uint32_t(values.size());
  op.count = uint32_t(vals.size());
  values.insert(values.end(), vals.begin(), vals.end());
  return op;
}

SimOp &SimProgram::poll(SimReg reg, unsigned bits, uint64_t mask,
                        bool compareNe, uint64_t expected, uint64_t timeoutNs) {
  SimOp &op = append(SimOpKind::Poll);
  op.reg = reg;
  op.bits = uint8_t(bits);
  op.mask = mask;
  op.flag = compareNe;
  op.value = expected;
  op.timeoutNs = timeoutNs;
  return op;
}

SimOp &SimProgram::delay(uint64_t ns) {
  SimOp &op = append(SimOpKind::Delay);
  op.value = ns;
  return op;
}

SimOp &SimProgram::beginCondition(SimCondKind kind, uint64_t index,
                                  bool negated) {
  open_.push_back(ops.size());
  SimOp &op = append(SimOpKind::ConditionBegin);
  op.condKind = kind;
  op.value = index;
  op.flag = negated;
  return op;
}

SimOp &SimProgram::elseCondition() {
  if (open_.empty()) {
    // Unbalanced: verify() reports it.
    SimOp &op = append(SimOpKind::ConditionElse);
    return op;
  }
  SimOp begin = ops[open_.back()];
  SimOp &op = ops.emplace_back(begin);
  op.kind = SimOpKind::ConditionElse;
  return op;
}

SimOp &SimProgram::endCondition() {
  if (open_.empty()) {
    // Unbalanced: verify() reports it.
    SimOp &op = append(SimOpKind::ConditionEnd);
    return op;
  }
  SimOp begin = ops[open_.back()];
  open_.pop_back();
  SimOp &op = ops.emplace_back(begin);
  op.kind = SimOpKind::ConditionEnd;
  return op;
}

SimOp &SimProgram::opaque(absl::string_view kind,
                          absl::Span<const uint64_t> operands) {
  uint32_t name = intern(kind);
  SimOp &op = append(SimOpKind::Opaque);
  op.name = name;
  op.first = uint32_t(values.size());
  op.count = uint32_t(operands.size());
  values.insert(values.end(), operands.begin(), operands.end());
  return op;
}

uint32_t SimProgram::intern(absl::string_view s) {
  auto [it, inserted] =
      interned_.try_emplace(std::string(s), uint32_t(strings.size()));
  if (inserted)
    strings.emplace_back(s);
  return it->second;
}

std::string SimProgram::formatLoc(const SimSourceLoc &l) const {
  if (l.text == kSimNone || l.text >= strings.size())
    return "<unknown>";
  if (l.line == 0)
    return strings[l.text];
  return absl::StrCat(strings[l.text], ":", l.line, ":", l.col);
}

absl::Status SimProgram::verify() const {
  // Open conditions: position of the begin, and whether the else started.
  std::vector<std::pair<size_t, bool>> open;
  for (size_t pos = 0; pos < ops.size(); ++pos) {
    const SimOp &op = ops[pos];
    auto fail = [&](absl::string_view msg) {
      return absl::InvalidArgumentError(
          absl::StrCat(formatLoc(op.loc), ": error: op #", op.number, " ",
                       opName(op.kind), ": ", msg));
    };
    if (op.loc.text != kSimNone && op.loc.text >= strings.size())
      return fail("source location out of range");
    if (isAccess(op.kind)) {
      const SimReg &r = op.reg;
      if (!widthAllowed(r.space, op.bits))
        return fail(absl::StrCat("a ", op.bits,
                                 "-bit access is not allowed in ",
                                 spaceName(r.space), " space"));
      if (r.bar > 5 || (r.space != Space::Mmio && r.bar != 0))
        return fail("invalid BAR");
      if (r.space != Space::IdxIo && (r.dataPort != 0 || r.index != 0))
        return fail("only idxio locations have a data port and index");
      uint64_t limit = spaceLimit(r.space);
      uint64_t bytes = op.bits / 8;
      uint64_t span = bytes;
      if (op.kind == SimOpKind::BlockWrite) {
        if (op.count == 0)
          return fail("has no values");
        if (r.space == Space::IdxIo)
          return fail("block writes are not defined for indexed I/O");
        uint64_t n = op.count - 1;
        if (op.mask >= limit || (n != 0 && op.mask > (limit - bytes) / n))
          return fail("runs past the end of its space");
        span = n * op.mask + bytes;
      }
      if (r.space == Space::IdxIo ? r.offset >= limit
                                  : (span > limit || r.offset > limit - span))
        return fail(absl::StrCat("access at ", hex(r.offset),
                                 " runs past the end of ", spaceName(r.space),
                                 " space"));
    }
    uint64_t wm = widthMask(op.bits);
    auto fits = [&](uint64_t v) { return (v & ~wm) == 0; };
    switch (op.kind) {
    case SimOpKind::Write:
      if (!fits(op.value))
        return fail(absl::StrCat("value ", hex(op.value), " does not fit"));
      break;
    case SimOpKind::Rmw:
      if (!fits(op.value) || !fits(op.mask))
        return fail("masks do not fit the access");
      break;
    case SimOpKind::Read:
      if (op.flag && !fits(op.value))
        return fail("observed value does not fit the access");
      break;
    case SimOpKind::Poll:
      if (!fits(op.value) || !fits(op.mask))
        return fail("mask or expected value does not fit the access");
      break;
    case SimOpKind::BlockWrite:
    case SimOpKind::Opaque:
      if (op.first > values.size() || op.count > values.size() - op.first)
        return fail("values out of range");
      if (op.kind == SimOpKind::BlockWrite)
        for (uint32_t i = 0; i < op.count; ++i)
          if (!fits(values[op.first + i]))
            return fail(absl::StrCat("value #", i, " does not fit"));
      if (op.kind == SimOpKind::Opaque && op.name >= strings.size())
        return fail("kind out of range");
      break;
    case SimOpKind::Delay:
      break;
    case SimOpKind::ConditionBegin:
      open.push_back({pos, false});
      break;
    case SimOpKind::ConditionElse:
      if (open.empty() || ops[open.back().first].number != op.number)
        return fail("condition else does not match a condition begin");
      if (open.back().second)
        return fail("condition has a second else");
      open.back().second = true;
      break;
    case SimOpKind::ConditionEnd:
      if (open.empty() || ops[open.back().first].number != op.number)
        return fail("condition end does not match a condition begin");
      open.pop_back();
      break;
    }
  }
  if (!open.empty()) {
    const SimOp &op = ops[open.back().first];
    return absl::InvalidArgumentError(
        absl::StrCat(formatLoc(op.loc), ": error: op #", op.number,
                     " initseq.condition: condition is never closed"));
  }
  return absl::OkStatus();
}

//===----------------------------------------------------------------------===//
// SimEventStream
//===----------------------------------------------------------------------===//

struct SimEventStream::Impl {
  Impl(const SimProgram &program, const RegMap &map) : prog(program), map(map) {
    for (const RegRange &r : map.ranges())
      anyPlain |= (r.props & kPlain) != 0;
    cacheProps = map.ranges().size() > 8;
    // The program is verified: conditions are balanced.
    beginHasElse.assign(prog.ops.size(), false);
    std::vector<size_t> open;
    for (size_t pos = 0; pos < prog.ops.size(); ++pos) {
      SimOpKind kind = prog.ops[pos].kind;
      if (kind == SimOpKind::ConditionBegin)
        open.push_back(pos);
      else if (kind == SimOpKind::ConditionElse && !open.empty())
        beginHasElse[open.back()] = true;
      else if (kind == SimOpKind::ConditionEnd && !open.empty())
        open.pop_back();
    }
  }

  const SimProgram &prog;
  const RegMap &map;
  absl::Status status;

  // Register properties.
  bool anyPlain = false;
  bool cacheProps = false;
  U64Map propsCache;

  /// A storage word: its value now (`cur`) and at the last event (`obs`).
  struct Entry {
    uint64_t word;
    SimReg base;
    SimValue cur, obs;
    /// Per byte: who changed it last (index in `writers`).
    std::array<uint32_t, 8> setBy{};
    /// Id of the innermost condition frame that saved this word's value.
    uint32_t savedIn = 0;
    bool dirty = false;
  };
  std::vector<Entry> entries;
  U64Map index;
  std::vector<uint32_t> dirty;
  /// Who changed storage; 0 is "nobody".
  std::vector<SimWriter> writers{SimWriter()};
  /// Who made all storage unknown last (0: the start).
  uint32_t clearWriter = 0;

  uint32_t newWriter(uint32_t op, uint32_t elem, SimCause cause) {
    writers.push_back({op, elem, cause});
    return uint32_t(writers.size() - 1);
  }

  static void setBytes(Entry &e, const Piece &p, uint32_t w) {
    for (unsigned b = p.wordShift / 8; b < (p.wordShift + p.bits) / 8; ++b)
      e.setBy[b] = w;
  }

  /// A condition being simulated: the value (and writers) each word had
  /// before a path of the condition first changed it, and the value the body
  /// left it with (`before` until the else body starts).
  struct Saved {
    uint32_t entry;
    SimValue before;
    uint32_t prevSavedIn;
    SimValue thenEnd;
    std::array<uint32_t, 8> setBy;
  };
  /// All storage as a condition found it, kept when everything is forgotten
  /// (an opaque op) in a body whose else body is still to come.
  struct Snapshot {
    std::vector<Entry> entries;
    U64Map index;
    uint32_t clearWriter;
  };
  struct Frame {
    uint32_t id;
    uint32_t begin;
    std::vector<Saved> saved;
    bool clearedAll = false;
    /// The condition has an else body, and it is running.
    bool hasElse = false;
    bool inElse = false;
    std::unique_ptr<Snapshot> snapshot;
  };
  std::vector<Frame> frames;
  uint32_t nextFrameId = 1;
  /// Positions of the ConditionBegin ops whose condition has an else body.
  std::vector<bool> beginHasElse;

  // Where the simulation is: op, block write element, read-modify-write
  // half, whether End was produced.
  size_t pc = 0;
  uint32_t element = 0;
  bool rmwReadDone = false;
  bool endProduced = false;

  // Delay merging: one event of look-ahead.
  SimEvent held, scratch;
  bool haveHeld = false;
  bool finished = false;

  uint32_t props(const SimReg &r, unsigned bits) {
    if (!cacheProps)
      return map.lookup(r.space, r.bar, r.offset, bits / 8, r.index);
    uint64_t low =
        r.space == Space::IdxIo ? (r.offset << 8) | r.index : r.offset;
    unsigned logBytes = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    uint64_t key = (uint64_t(r.space) << 62) | (uint64_t(r.bar) << 59) |
                   (uint64_t(logBytes) << 56) | low;
    if (const uint32_t *p = propsCache.find(key))
      return *p;
    return propsCache.findOrInsert(
        key, map.lookup(r.space, r.bar, r.offset, bits / 8, r.index));
  }

  uint32_t entryFor(const Piece &p) {
    uint32_t idx = index.findOrInsert(p.word, uint32_t(entries.size()));
    if (idx == entries.size()) {
      Entry &e = entries.emplace_back();
      e.word = p.word;
      e.base = p.base;
      e.setBy.fill(clearWriter);
    }
    return idx;
  }

  /// Records the value a word had before the innermost condition's body
  /// first changes it.
  void saveForCondition(uint32_t idx) {
    if (frames.empty())
      return;
    Frame &f = frames.back();
    Entry &e = entries[idx];
    if (e.savedIn == f.id)
      return;
    f.saved.push_back({idx, e.cur, e.savedIn, e.cur, e.setBy});
    e.savedIn = f.id;
  }

  void markDirty(uint32_t idx) {
    Entry &e = entries[idx];
    if (!e.dirty) {
      e.dirty = true;
      dirty.push_back(idx);
    }
  }

  /// Plain storage of an access: the bits of `v` go to the bytes it covers.
  void store(const SimReg &reg, unsigned bits, SimValue v, uint32_t writer,
             uint32_t elem) {
    Piece pieces[2];
    unsigned n = splitAccess(reg, bits, pieces);
    uint32_t w = newWriter(writer, elem, SimCause::Write);
    for (unsigned i = 0; i < n; ++i) {
      const Piece &p = pieces[i];
      uint32_t idx = entryFor(p);
      saveForCondition(idx);
      Entry &e = entries[idx];
      uint64_t pm = widthMask(p.bits) << p.wordShift;
      uint64_t k = ((v.known >> p.valueShift) & widthMask(p.bits))
                   << p.wordShift;
      uint64_t val = ((v.value >> p.valueShift) & widthMask(p.bits))
                     << p.wordShift;
      e.cur.known = (e.cur.known & ~pm) | k;
      e.cur.value = (e.cur.value & ~pm) | (val & k);
      setBytes(e, p, w);
      markDirty(idx);
    }
  }

  /// The plain storage an access reads.
  SimValue load(const SimReg &reg, unsigned bits) const {
    Piece pieces[2];
    unsigned n = splitAccess(reg, bits, pieces);
    SimValue v;
    for (unsigned i = 0; i < n; ++i) {
      const Piece &p = pieces[i];
      const uint32_t *idx = index.find(p.word);
      if (!idx)
        continue;
      const Entry &e = entries[*idx];
      v.known |= ((e.cur.known >> p.wordShift) & widthMask(p.bits))
                 << p.valueShift;
      v.value |= ((e.cur.value >> p.wordShift) & widthMask(p.bits))
                 << p.valueShift;
    }
    return v;
  }

  /// A side-effecting access makes the plain bytes it overlaps unknown. It
  /// happens at an event (just after its changes were taken), so the device
  /// has nothing new to see: `obs` follows.
  void clobber(const SimReg &reg, unsigned bits, uint32_t writer,
               uint32_t elem) {
    if (!anyPlain)
      return;
    Piece pieces[2];
    unsigned n = splitAccess(reg, bits, pieces);
    uint32_t w = 0;
    for (unsigned i = 0; i < n; ++i) {
      const Piece &p = pieces[i];
      const uint32_t *found = index.find(p.word);
      if (!found)
        continue;
      uint32_t idx = *found;
      saveForCondition(idx);
      Entry &e = entries[idx];
      uint64_t pm = widthMask(p.bits) << p.wordShift;
      if (!(e.cur.known & pm))
        continue;
      e.cur.known &= ~pm;
      e.cur.value &= ~pm;
      e.obs.known &= ~pm;
      e.obs.value &= ~pm;
      if (!w)
        w = newWriter(writer, elem, SimCause::Clobber);
      setBytes(e, p, w);
    }
  }

  /// Makes all plain storage unknown (an opaque op may have changed any
  /// register), as `w` did it.
  void clearAll(uint32_t w) {
    snapshotForElse();
    clearWriter = w;
    entries.clear();
    index.clear();
    dirty.clear();
    for (Frame &f : frames) {
      f.clearedAll = true;
      f.saved.clear();
    }
  }

  /// Moves the plain storage changed since the previous event into
  /// `changes`, sorted by word.
  void flush(std::vector<SimPlainChange> &changes) {
    changes.clear();
    for (uint32_t idx : dirty) {
      Entry &e = entries[idx];
      e.dirty = false;
      if (e.cur == e.obs)
        continue;
      changes.push_back({e.word, e.base, e.obs, e.cur, e.setBy});
      e.obs = e.cur;
    }
    dirty.clear();
    if (changes.size() > 1)
      std::sort(changes.begin(), changes.end(),
                [](const SimPlainChange &a, const SimPlainChange &b) {
                  return a.word < b.word;
                });
  }

  /// Starts event `ev` of `kind` from op `pos`; the device sees the plain
  /// storage changed since the previous event.
  void emit(SimEvent &ev, SimEventKind kind, uint32_t pos) {
    std::vector<SimPlainChange> changes = std::move(ev.changes);
    ev = SimEvent();
    ev.kind = kind;
    ev.op = pos;
    ev.writerMark = uint32_t(writers.size());
    flush(changes);
    ev.changes = std::move(changes);
  }

  void emitAccess(SimEvent &ev, SimEventKind kind, uint32_t pos,
                  const SimReg &reg, unsigned bits) {
    emit(ev, kind, pos);
    ev.reg = reg;
    ev.bits = uint8_t(bits);
  }

  /// Before all storage is forgotten: each open condition whose else body is
  /// still to come keeps the storage it found (the current storage with what
  /// its body, nested bodies included, changed put back).
  void snapshotForElse() {
    for (size_t j = 0; j < frames.size(); ++j) {
      Frame &f = frames[j];
      if (!f.hasElse || f.inElse || f.snapshot)
        continue;
      auto snap = std::make_unique<Snapshot>();
      snap->entries = entries;
      snap->index = index;
      snap->clearWriter = clearWriter;
      // Outer frames last: a word an outer body changed first has the
      // outer frame's value from before.
      for (size_t i = frames.size(); i-- > j;)
        for (const Saved &s : frames[i].saved) {
          Entry &e = snap->entries[s.entry];
          e.cur = s.before;
          e.setBy = s.setBy;
          e.savedIn = s.prevSavedIn;
        }
      for (Entry &e : snap->entries) {
        e.obs = e.cur;
        e.dirty = false;
      }
      f.snapshot = std::move(snap);
    }
  }

  /// Starts the else body: it runs from the storage the condition found,
  /// which the device saw at the enter event. Words the body changed are
  /// restored, or, when the body forgot all storage, all of it.
  void startElse() {
    Frame &f = frames.back();
    f.inElse = true;
    if (f.snapshot) {
      // The condition is clearedAll: its end forgets all storage again, so
      // its saved words no longer matter.
      entries = std::move(f.snapshot->entries);
      index = std::move(f.snapshot->index);
      clearWriter = f.snapshot->clearWriter;
      dirty.clear();
      f.saved.clear();
      f.snapshot.reset();
      return;
    }
    for (Saved &s : f.saved) {
      Entry &e = entries[s.entry];
      s.thenEnd = e.cur;
      e.cur = e.obs = s.before;
      e.setBy = s.setBy;
    }
  }

  /// Leaves a condition: a plain byte stays known only where both paths
  /// agree (without an else body, the not-taken path changes nothing).
  void leaveCondition() {
    Frame f = std::move(frames.back());
    frames.pop_back();
    if (f.clearedAll) {
      clearAll(newWriter(f.begin, 0, SimCause::Merge));
      return;
    }
    uint32_t w = 0;
    for (const Saved &s : f.saved) {
      Entry &e = entries[s.entry];
      SimValue merged;
      merged.known =
          s.thenEnd.known & e.cur.known & ~(s.thenEnd.value ^ e.cur.value);
      merged.value = e.cur.value & merged.known;
      if (merged != e.cur) {
        if (!w)
          w = newWriter(f.begin, 0, SimCause::Merge);
        for (unsigned b = 0; b < 8; ++b)
          if (((merged.known ^ e.cur.known) >> (8 * b)) & 0xff)
            e.setBy[b] = w;
        e.cur = merged;
      }
      // Both paths leave the merged value; the else and exit events already
      // showed what each path leaves.
      e.obs = e.cur;
      if (frames.empty()) {
        e.savedIn = 0;
        continue;
      }
      Frame &outer = frames.back();
      // The outer path has not changed the word (else it would have saved
      // it): its value before is this condition's.
      if (s.prevSavedIn != outer.id)
        outer.saved.push_back(
            {s.entry, s.before, s.prevSavedIn, s.before, s.setBy});
      e.savedIn = outer.id;
    }
  }

  /// Runs ops until the next raw event (before delay merging).
  bool produce(SimEvent &ev);
  /// The next event, with consecutive delays merged.
  bool next(SimEvent &ev);
  /// Error for a poll of plain storage that can never succeed.
  absl::Status impossiblePoll(const SimOp &op, SimValue v) const;
};

absl::Status SimEventStream::Impl::impossiblePoll(const SimOp &op,
                                                  SimValue v) const {
  return absl::FailedPreconditionError(
      absl::StrCat(prog.formatLoc(op.loc), ": error: op #", op.number,
                   " initseq.poll can never succeed: plain register ",
                   regWithWidth(op.reg, op.bits), " holds ",
                   formatSimValue(v, op.bits), ", so (value & ", hex(op.mask),
                   ") is never ", op.flag ? "ne " : "eq ", hex(op.value)));
}

bool SimEventStream::Impl::produce(SimEvent &ev) {
  while (true) {
    if (pc == prog.ops.size()) {
      if (endProduced)
        return false;
      emit(ev, SimEventKind::End, kSimNone);
      endProduced = true;
      return true;
    }
    const SimOp &op = prog.ops[pc];
    uint32_t pos = uint32_t(pc);
    uint64_t wm = widthMask(op.bits);
    switch (op.kind) {
    case SimOpKind::Write: {
      SimValue v{wm, op.value & wm};
      if (props(op.reg, op.bits) & kPlain) {
        store(op.reg, op.bits, v, pos, 0);
        ++pc;
        continue;
      }
      emitAccess(ev, SimEventKind::Write, pos, op.reg, op.bits);
      ev.data = v;
      clobber(op.reg, op.bits, pos, 0);
      ++pc;
      return true;
    }
    case SimOpKind::Rmw: {
      uint32_t p = props(op.reg, op.bits);
      uint64_t andMask = op.mask & wm, orMask = op.value & wm;
      if (p & kPlain) {
        SimValue old = load(op.reg, op.bits);
        SimValue v;
        v.known = (orMask | ~andMask | old.known) & wm;
        v.value = (orMask | (old.value & andMask)) & v.known;
        store(op.reg, op.bits, v, pos, 0);
        ++pc;
        continue;
      }
      if (!rmwReadDone && !(p & kReadPure)) {
        emitAccess(ev, SimEventKind::Read, pos, op.reg, op.bits);
        clobber(op.reg, op.bits, pos, 0);
        rmwReadDone = true;
        return true;
      }
      rmwReadDone = false;
      emitAccess(ev, SimEventKind::Write, pos, op.reg, op.bits);
      ev.data = {(orMask | ~andMask) & wm, orMask};
      clobber(op.reg, op.bits, pos, 0);
      ++pc;
      return true;
    }
    case SimOpKind::Read: {
      if (props(op.reg, op.bits) & (kPlain | kReadPure)) {
        ++pc;
        continue;
      }
      emitAccess(ev, SimEventKind::Read, pos, op.reg, op.bits);
      ev.hasObserved = op.flag;
      ev.observed = op.value;
      clobber(op.reg, op.bits, pos, 0);
      ++pc;
      return true;
    }
    case SimOpKind::BlockWrite: {
      for (; element < op.count; ++element) {
        SimReg r = op.reg;
        r.offset += uint64_t(element) * op.mask;
        SimValue v{wm, prog.values[op.first + element] & wm};
        if (props(r, op.bits) & kPlain) {
          store(r, op.bits, v, pos, element);
          continue;
        }
        emitAccess(ev, SimEventKind::Write, pos, r, op.bits);
        ev.data = v;
        ev.element = element;
        clobber(r, op.bits, pos, element);
        ++element;
        return true;
      }
      element = 0;
      ++pc;
      continue;
    }
    case SimOpKind::Poll: {
      uint32_t p = props(op.reg, op.bits);
      if (p & kPlain) {
        SimValue v = load(op.reg, op.bits);
        uint64_t knownMasked = v.known & op.mask;
        bool never = op.flag ? (knownMasked == (op.mask & wm) &&
                                (v.value & op.mask) == op.value)
                             : ((v.value ^ op.value) & knownMasked) != 0;
        if (never) {
          status = impossiblePoll(op, v);
          return false;
        }
      }
      emitAccess(ev, SimEventKind::Poll, pos, op.reg, op.bits);
      ev.mask = op.mask;
      ev.flag = op.flag;
      ev.aux = op.value;
      ev.timeoutNs = op.timeoutNs;
      if (!(p & kReadPure))
        clobber(op.reg, op.bits, pos, 0);
      ++pc;
      return true;
    }
    case SimOpKind::Delay:
      ++pc;
      if (op.value == 0)
        continue;
      emit(ev, SimEventKind::Delay, pos);
      ev.aux = op.value;
      return true;
    case SimOpKind::ConditionBegin:
      emit(ev, SimEventKind::ConditionEnter, pos);
      ev.condKind = op.condKind;
      ev.flag = op.flag;
      ev.aux = op.value;
      frames.push_back(
          {nextFrameId++, pos, {}, false, bool(beginHasElse[pos]), false, {}});
      ++pc;
      return true;
    case SimOpKind::ConditionElse:
      // next() drops the marker again when the else path turns out to show
      // the device nothing.
      emit(ev, SimEventKind::ConditionElse, pos);
      ev.condKind = op.condKind;
      ev.flag = op.flag;
      ev.aux = op.value;
      startElse();
      ++pc;
      return true;
    case SimOpKind::ConditionEnd:
      emit(ev, SimEventKind::ConditionExit, pos);
      ev.condKind = op.condKind;
      ev.flag = op.flag;
      ev.aux = op.value;
      leaveCondition();
      ++pc;
      return true;
    case SimOpKind::Opaque:
      emit(ev, SimEventKind::Opaque, pos);
      clearAll(newWriter(pos, 0, SimCause::Clobber));
      ++pc;
      return true;
    }
  }
}

bool SimEventStream::Impl::next(SimEvent &ev) {
  if (finished)
    return false;
  if (!haveHeld) {
    if (!produce(held)) {
      finished = true;
      return false;
    }
    haveHeld = true;
  }
  if (held.kind == SimEventKind::Delay) {
    // Delays with nothing the device could see between them are one wait.
    while (true) {
      if (!produce(scratch)) {
        finished = true;
        return false;
      }
      if (scratch.kind != SimEventKind::Delay || !scratch.changes.empty())
        break;
      held.aux = saturatingAdd(held.aux, scratch.aux);
      held.merged += 1;
    }
    std::swap(ev, held);
    std::swap(held, scratch);
    return true;
  }
  if (held.kind == SimEventKind::ConditionElse) {
    // An else path with no event that leaves storage as it found it is no
    // else path: the exit shows what the body left, as without an else.
    if (!produce(scratch)) {
      finished = true;
      return false;
    }
    if (scratch.kind == SimEventKind::ConditionExit &&
        scratch.changes.empty()) {
      held.kind = SimEventKind::ConditionExit;
      held.op = scratch.op;
      held.writerMark = scratch.writerMark;
      std::swap(ev, held);
      haveHeld = false;
      return true;
    }
    std::swap(ev, held);
    std::swap(held, scratch);
    return true;
  }
  std::swap(ev, held);
  haveHeld = false;
  if (ev.kind == SimEventKind::End)
    finished = true;
  return true;
}

SimEventStream::SimEventStream(const SimProgram &program, const RegMap &map)
    : impl_(std::make_unique<Impl>(program, map)) {}

SimEventStream::~SimEventStream() = default;

bool SimEventStream::next(SimEvent &event) { return impl_->next(event); }

const absl::Status &SimEventStream::status() const { return impl_->status; }

namespace {

/// "op #3 initseq.write at a.mlir:5:3".
std::string opOrigin(const SimProgram &prog, uint32_t pos, uint32_t element) {
  const SimOp &op = prog.ops[pos];
  std::string s = absl::StrCat("op #", op.number, " ", opName(op.kind));
  if (op.kind == SimOpKind::BlockWrite)
    absl::StrAppend(&s, " element #", element);
  if (op.loc.text != kSimNone)
    absl::StrAppend(&s, " at ", prog.formatLoc(op.loc));
  return s;
}

/// Text for a write's value: the bits a read-modify-write copies are "as
/// read".
std::string writtenValue(SimValue v, unsigned bits) {
  uint64_t all = widthMask(bits);
  if ((v.known & all) == all)
    return hex(v.value & all);
  return absl::StrCat(hex(v.value & v.known & all), " with bits ",
                      hex(all & ~v.known), " as read");
}

/// Why storage holds its value: "set by op #1 initseq.write at a.mlir:4:3".
std::string causeText(const SimProgram &prog, const SimWriter &w) {
  if (w.cause == SimCause::None || w.op == kSimNone)
    return "never written";
  std::string origin = opOrigin(prog, w.op, w.element);
  switch (w.cause) {
  case SimCause::Write:
    return "set by " + origin;
  case SimCause::Merge:
    return "merged after " + origin;
  case SimCause::Clobber:
    return "made unknown by " + origin;
  case SimCause::None:
    break;
  }
  return "never written";
}

/// A register to show for some bytes of a storage word, and who last
/// changed its first byte.
struct Region {
  SimReg reg;
  unsigned bits;
  uint32_t setBy;
};

/// The registers to show for the `diff` bytes (a byte mask) of the word at
/// `base`: for each byte, the access that last wrote it when that lies in
/// the word, else the smallest aligned chunk covering the run of bytes
/// changed by the same writer.
std::vector<Region> regionsOf(const SimProgram &prog,
                              const SimEventStream &stream, const SimReg &base,
                              unsigned diff,
                              const std::array<uint32_t, 8> &setBy) {
  std::vector<Region> out;
  if (base.space == Space::IdxIo) {
    if (diff)
      out.push_back({base, 8, setBy[0]});
    return out;
  }
  unsigned done = 0;
  for (unsigned i = 0; i < 8; ++i) {
    if (!(diff & (1u << i)) || (done & (1u << i)))
      continue;
    uint32_t id = setBy[i];
    const SimWriter &w = stream.writer(id);
    Region r{base, 0, id};
    unsigned covered = 0;
    if (w.cause == SimCause::Write && w.op != kSimNone) {
      const SimOp &op = prog.ops[w.op];
      uint64_t offset = op.reg.offset;
      if (op.kind == SimOpKind::BlockWrite)
        offset += uint64_t(w.element) * op.mask;
      unsigned bytes = op.bits / 8;
      if (offset >= base.offset && offset + bytes <= base.offset + 8) {
        unsigned shift = unsigned(offset - base.offset);
        unsigned mask = ((1u << bytes) - 1) << shift;
        if (mask & (1u << i)) {
          covered = mask;
          r.reg.offset = offset;
          r.bits = op.bits;
        }
      }
    }
    if (!covered) {
      unsigned j = i;
      while (j + 1 < 8 && (diff & (1u << (j + 1))) && setBy[j + 1] == id)
        ++j;
      for (unsigned size = 1; size <= 8; size *= 2) {
        unsigned start = i & ~(size - 1);
        if (j < start + size) {
          covered = ((1u << size) - 1) << start;
          r.reg.offset = base.offset + start;
          r.bits = size * 8;
          break;
        }
      }
    }
    done |= covered;
    out.push_back(r);
  }
  return out;
}

/// The part of a word's value that `reg`/`bits` covers.
SimValue extract(const SimReg &base, SimValue v, const SimReg &reg,
                 unsigned bits) {
  unsigned shift = unsigned(reg.offset - base.offset) * 8;
  if (base.space == Space::IdxIo)
    shift = 0;
  uint64_t m = widthMask(bits);
  return {(v.known >> shift) & m, (v.value >> shift) & m};
}

/// Bytes of a word where two values differ (as a byte mask).
unsigned differingBytes(SimValue a, SimValue b) {
  uint64_t bitsDiff =
      (a.known ^ b.known) | ((a.value ^ b.value) & a.known & b.known);
  unsigned mask = 0;
  for (unsigned i = 0; i < 8; ++i)
    if ((bitsDiff >> (8 * i)) & 0xff)
      mask |= 1u << i;
  return mask;
}

} // namespace

std::string SimEventStream::describe(const SimEvent &ev) const {
  switch (ev.kind) {
  case SimEventKind::Read: {
    std::string s = "read " + regWithWidth(ev.reg, ev.bits);
    if (ev.hasObserved)
      absl::StrAppend(&s, " (trace observed ", hex(ev.observed), ")");
    return s;
  }
  case SimEventKind::Write:
    return absl::StrCat("write ", regWithWidth(ev.reg, ev.bits), " = ",
                        writtenValue(ev.data, ev.bits));
  case SimEventKind::Poll:
    return absl::StrCat("poll ", regWithWidth(ev.reg, ev.bits), " mask ",
                        hex(ev.mask), ev.flag ? " ne " : " eq ", hex(ev.aux),
                        " timeout ", formatSimDuration(ev.timeoutNs));
  case SimEventKind::Delay:
    return "delay " + formatSimDuration(ev.aux);
  case SimEventKind::ConditionEnter:
  case SimEventKind::ConditionElse:
  case SimEventKind::ConditionExit:
    return absl::StrCat(ev.kind == SimEventKind::ConditionEnter  ? "enter"
                        : ev.kind == SimEventKind::ConditionElse ? "else of"
                                                                 : "leave",
                        " condition ", ev.flag ? "not " : "",
                        simCondKindName(ev.condKind), " ", hex(ev.aux));
  case SimEventKind::Opaque: {
    const SimOp &op = impl_->prog.ops[ev.op];
    std::string s =
        absl::StrCat("opaque \"", impl_->prog.strings[op.name], "\" (");
    for (uint32_t i = 0; i < op.count; ++i)
      absl::StrAppend(&s, i ? ", " : "", hex(impl_->prog.values[op.first + i]));
    return s + ")";
  }
  case SimEventKind::End:
    return "end of sequence";
  }
  return "?";
}

std::string SimEventStream::origin(const SimEvent &ev) const {
  const SimProgram &prog = impl_->prog;
  if (ev.kind == SimEventKind::End) {
    std::string s = "end of @" + prog.name;
    if (prog.loc.text != kSimNone)
      absl::StrAppend(&s, " at ", prog.formatLoc(prog.loc));
    return s;
  }
  std::string s = opOrigin(prog, ev.op, ev.element);
  if (ev.kind == SimEventKind::ConditionExit)
    s = "end of " + s;
  else if (ev.kind == SimEventKind::ConditionElse)
    s = "else of " + s;
  if (ev.merged)
    absl::StrAppend(&s, ", merged with ", ev.merged, " more ",
                    ev.merged == 1 ? "delay" : "delays");
  return s;
}

std::vector<std::string>
SimEventStream::describe(const SimPlainChange &c) const {
  std::vector<std::string> out;
  for (const Region &r : regionsOf(impl_->prog, *this, c.base,
                                   differingBytes(c.before, c.after), c.setBy))
    out.push_back(absl::StrCat(
        regWithWidth(r.reg, r.bits), " = ",
        formatSimValue(extract(c.base, c.after, r.reg, r.bits), r.bits), " (",
        causeText(impl_->prog, writer(r.setBy)), ")"));
  return out;
}

const SimWriter &SimEventStream::writer(uint32_t id) const {
  return impl_->writers[id < impl_->writers.size() ? id : 0];
}

std::optional<uint32_t> SimEventStream::writerAt(const SimEvent &event,
                                                 uint64_t word,
                                                 unsigned byte) const {
  if (byte >= 8)
    return std::nullopt;
  uint32_t id = impl_->clearWriter;
  if (const uint32_t *idx = impl_->index.find(word))
    id = impl_->entries[*idx].setBy[byte];
  // Writers are numbered in order: one from after the event changed the
  // byte since.
  if (id >= event.writerMark)
    return std::nullopt;
  return id;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

namespace {

/// True when the device cannot tell the two events apart (ignoring the
/// plain storage they show).
bool sameAction(const SimEvent &x, const SimProgram &px, const SimEvent &y,
                const SimProgram &py) {
  if (x.kind != y.kind)
    return false;
  switch (x.kind) {
  case SimEventKind::Read:
    return x.reg == y.reg && x.bits == y.bits;
  case SimEventKind::Write:
    return x.reg == y.reg && x.bits == y.bits && x.data == y.data;
  case SimEventKind::Poll:
    return x.reg == y.reg && x.bits == y.bits && x.mask == y.mask &&
           x.flag == y.flag && x.aux == y.aux && x.timeoutNs == y.timeoutNs;
  case SimEventKind::Delay:
    return x.aux == y.aux;
  case SimEventKind::ConditionEnter:
  case SimEventKind::ConditionElse:
  case SimEventKind::ConditionExit:
    return x.condKind == y.condKind && x.flag == y.flag && x.aux == y.aux;
  case SimEventKind::Opaque: {
    const SimOp &ox = px.ops[x.op], &oy = py.ops[y.op];
    if (px.strings[ox.name] != py.strings[oy.name] || ox.count != oy.count)
      return false;
    return std::equal(px.values.begin() + ox.first,
                      px.values.begin() + ox.first + ox.count,
                      py.values.begin() + oy.first);
  }
  case SimEventKind::End:
    return true;
  }
  return false;
}

bool sameChanges(const SimEvent &x, const SimEvent &y) {
  if (x.changes.size() != y.changes.size())
    return false;
  for (size_t i = 0; i < x.changes.size(); ++i)
    if (x.changes[i].word != y.changes[i].word ||
        x.changes[i].after != y.changes[i].after)
      return false;
  return true;
}

/// One side's view of a word at the diverging event.
struct WordView {
  SimValue value;
  const SimPlainChange *change = nullptr;
};

} // namespace

absl::StatusOr<SimComparison>
gpuinit::runtime::compareSimPrograms(const SimProgram &a, const SimProgram &b,
                                     const RegMap &map) {
  if (absl::Status s = a.verify(); !s.ok())
    return s;
  if (absl::Status s = b.verify(); !s.ok())
    return s;
  SimEventStream sa(a, map), sb(b, map);
  SimEvent ea, eb;
  SimComparison result;
  for (uint64_t i = 0;; ++i) {
    bool okA = sa.next(ea);
    if (!sa.status().ok())
      return sa.status();
    bool okB = sb.next(eb);
    if (!sb.status().ok())
      return sb.status();
    if (!okA || !okB)
      return absl::InternalError("event stream ended without an end event");
    auto setOrigins = [&](SimDivergence &d) {
      d.event = i;
      if (ea.op != kSimNone) {
        d.opA = a.ops[ea.op].number;
        d.locA = a.formatLoc(a.ops[ea.op].loc);
      } else {
        d.locA = a.formatLoc(a.loc);
      }
      if (eb.op != kSimNone) {
        d.opB = b.ops[eb.op].number;
        d.locB = b.formatLoc(b.ops[eb.op].loc);
      } else {
        d.locB = b.formatLoc(b.loc);
      }
    };
    if (!sameAction(ea, a, eb, b)) {
      SimDivergence d;
      setOrigins(d);
      d.summary = "different device events";
      d.a = absl::StrCat(sa.describe(ea), " (", sa.origin(ea), ")");
      d.b = absl::StrCat(sb.describe(eb), " (", sb.origin(eb), ")");
      result.events = i;
      result.divergence = std::move(d);
      return result;
    }
    if (!sameChanges(ea, eb)) {
      // Find the first word (in key order) the two sides disagree on. A word
      // only one side changed still holds, on the other side, the value both
      // had at the previous event.
      size_t ia = 0, ib = 0;
      WordView va, vb;
      while (true) {
        bool hasA = ia < ea.changes.size(), hasB = ib < eb.changes.size();
        if (!hasA && !hasB)
          return absl::InternalError("plain changes differ in no word");
        const SimPlainChange *ca = hasA ? &ea.changes[ia] : nullptr;
        const SimPlainChange *cb = hasB ? &eb.changes[ib] : nullptr;
        if (ca && cb && ca->word == cb->word) {
          ++ia, ++ib;
          if (ca->after == cb->after)
            continue;
          va = {ca->after, ca};
          vb = {cb->after, cb};
        } else if (ca && (!cb || ca->word < cb->word)) {
          va = {ca->after, ca};
          vb = {ca->before, nullptr};
        } else {
          va = {cb->before, nullptr};
          vb = {cb->after, cb};
        }
        break;
      }
      // Show the register as the side that changed it wrote it.
      const SimPlainChange &shown = va.change ? *va.change : *vb.change;
      const SimEventStream &shownStream = va.change ? sa : sb;
      unsigned diff = differingBytes(va.value, vb.value);
      if (diff == 0)
        return absl::InternalError("plain changes differ in no byte");
      std::vector<Region> regions = regionsOf(va.change ? a : b, shownStream,
                                              shown.base, diff, shown.setBy);
      unsigned firstByte = 0;
      while (!(diff & (1u << firstByte)))
        ++firstByte;
      const SimReg reg = regions.front().reg;
      const unsigned bits = regions.front().bits;
      auto side = [&](const WordView &v, const SimProgram &prog,
                      const SimEventStream &s, const SimEvent &e) {
        std::optional<uint32_t> id;
        if (v.change)
          id = v.change->setBy[firstByte];
        else
          id = s.writerAt(e, shown.word, firstByte);
        std::string cause = id ? causeText(prog, s.writer(*id))
                               : "unchanged since the previous event";
        return absl::StrCat(
            formatSimValue(extract(shown.base, v.value, reg, bits), bits), " (",
            cause, "), seen at ", s.describe(e), " (", s.origin(e), ")");
      };
      SimDivergence d;
      setOrigins(d);
      d.stateOnly = true;
      d.summary = absl::StrCat("plain register ", regWithWidth(reg, bits),
                               " differs when the device observes it");
      d.a = side(va, a, sa, ea);
      d.b = side(vb, b, sb, eb);
      result.events = i;
      result.divergence = std::move(d);
      return result;
    }
    if (ea.kind == SimEventKind::End) {
      result.events = i + 1;
      return result;
    }
  }
}

std::string gpuinit::runtime::formatSimDivergence(const SimDivergence &d,
                                                  absl::string_view labelA,
                                                  absl::string_view labelB) {
  return absl::StrCat("divergent at device-visible event #", d.event, ": ",
                      d.summary, "\n  ", labelA, ": ", d.a, "\n  ", labelB,
                      ": ", d.b, "\n");
}
