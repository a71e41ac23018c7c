//===- InitSeqSim.h - replay init sequences against a register model ------===//
//
// An MLIR-free simulator of initialization sequences: it replays a program
// against a register map, produces the stream of events the device can
// observe, and compares two programs event by event (the equivalence check
// behind `gpuinit-run simulate` and the reduction tests).
//
//===----------------------------------------------------------------------===//
//
// The model (docs/InitSeqSimulation.md has the long form and the reasons):
//
// * Device-visible behaviour is an ordered stream of events. Events are
//   - a write to a register the map does not declare plain (register, width,
//     value written);
//   - a read of a register whose reads have side effects (not plain and not
//     read-pure). The value a trace observed is kept for messages only;
//   - a read-modify-write of a non-plain register: the read event (if reads
//     have side effects) then the write event, whose value has the bits the
//     masks set known and the bits copied from the read unknown;
//   - each element of a block write, as the single write it stands for;
//   - a poll (register, width, mask, compare, expected, timeout);
//   - a delay: consecutive delays with no plain change between them are one
//     delay of their sum, and a zero delay is nothing;
//   - entering a condition (kind, index, negated), the events of its body,
//     then, when the else path does something the device can see, the else
//     marker and the events of the else body, and leaving it;
//   - an opaque op (kind and operands);
//   - the end of the sequence.
//   Notes are not events.
// * Plain registers are storage, tracked per byte as (known bits, value);
//   a register never written is unknown. Writing or read-modify-writing them
//   is not an event, but the device sees their values at every event: each
//   event carries the plain storage that changed since the previous event.
//   A read-modify-write of plain storage is exact bit by bit:
//   new_i = or_i ? 1 : (and_i ? old_i : 0).
// * Accesses with side effects make the plain bytes they overlap unknown;
//   an opaque op makes all plain storage unknown.
// * A condition is one test: both paths are simulated, the body from the
//   storage before the condition, then the else body from that same storage
//   (no else body is an empty one). The else marker shows the storage the
//   body leaves; it is left out when the else path has no event and leaves
//   storage as it found it, so `{A} else {}` is `{A}`. After the condition, a
//   plain bit keeps a known value only where both paths agree.
// * A poll of plain storage whose known bits can never satisfy it is an
//   error (the sequence would time out there).
//
// Two programs are equivalent when their event streams are equal, where a
// read's observed value, provenance and op numbering are ignored.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_RUNTIME_INITSEQSIM_H
#define GPUINIT_RUNTIME_INITSEQSIM_H

#include "gpuinit/Runtime/RegMap.h"

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace gpuinit::runtime {

/// "No index": no string, no op.
inline constexpr uint32_t kSimNone = ~uint32_t(0);

/// A register location; mirrors initseq's `#initseq.reg`.
struct SimReg {
  Space space = Space::Mmio;
  /// MMIO BAR (0..5).
  uint8_t bar = 0;
  /// Indexed I/O: register index.
  uint8_t index = 0;
  /// Indexed I/O: data port.
  uint16_t dataPort = 0;
  /// Byte offset (cfg, mmio), port (io) or index port (idxio).
  uint64_t offset = 0;

  /// PCI configuration space register.
  static SimReg cfg(uint64_t offset) { return {Space::Cfg, 0, 0, 0, offset}; }
  /// Register at `offset` in MMIO BAR `bar`.
  static SimReg mmio(unsigned bar, uint64_t offset) {
    return {Space::Mmio, uint8_t(bar), 0, 0, offset};
  }
  /// x86 I/O port.
  static SimReg io(uint64_t port) { return {Space::Io, 0, 0, 0, port}; }
  /// Indexed I/O register `index` behind `indexPort`/`dataPort`.
  static SimReg idxio(uint64_t indexPort, unsigned dataPort, unsigned index) {
    return {Space::IdxIo, 0, uint8_t(index), uint16_t(dataPort), indexPort};
  }

  bool operator==(const SimReg &o) const {
    return space == o.space && bar == o.bar && index == o.index &&
           dataPort == o.dataPort && offset == o.offset;
  }
  bool operator!=(const SimReg &o) const { return !(*this == o); }
};

/// Prints a location the way initseq does: "mmio[bar0 + 0x001540]".
std::string formatSimReg(const SimReg &reg);

/// Run-time conditions (same order as initseq's ConditionKind).
enum class SimCondKind : uint8_t {
  Strap = 0,
  RamCfg = 1,
  Condition = 2,
  IoCondition = 3,
  IoFlagCondition = 4,
  /// A register test written out in the ROM itself (the label says which).
  Reg = 5,
  /// A test of state outside the device's registers (I2C, AUX, a ROM
  /// condition id the importer does not know).
  External = 6,
};

/// The keyword initseq uses for a condition kind ("strap", "ramcfg", ...).
absl::string_view simCondKindName(SimCondKind kind);

/// What a program op does (one per initseq op; a condition is a begin/end
/// pair around its body, with an else marker between the body and the else
/// body when it has one).
enum class SimOpKind : uint8_t {
  Write,
  Rmw,
  Read,
  BlockWrite,
  Poll,
  Delay,
  ConditionBegin,
  ConditionElse,
  ConditionEnd,
  Opaque,
};

/// Where an op came from: `file:line:col` (`text` names the file in
/// SimProgram::strings) or, when `line` is 0, free text (or nothing when
/// `text` is kSimNone).
struct SimSourceLoc {
  uint32_t text = kSimNone;
  uint32_t line = 0;
  uint32_t col = 0;
};

/// One op of a program. Which fields mean something depends on `kind`.
struct SimOp {
  SimOpKind kind = SimOpKind::Write;
  /// Accesses: width in bits (8, 16, 32 or 64).
  uint8_t bits = 0;
  /// Conditions: what is tested.
  SimCondKind condKind = SimCondKind::Strap;
  /// Poll: compare `ne` (else `eq`). Conditions: negated. Read: has an
  /// observed value.
  bool flag = false;
  /// Opaque: the kind, in SimProgram::strings.
  uint32_t name = kSimNone;
  /// Accesses: the register (the first one of a block write).
  SimReg reg;
  /// Write: value. Rmw: or-mask. Read: observed value. Poll: expected.
  /// Delay: nanoseconds. Conditions: index.
  uint64_t value = 0;
  /// Rmw: and-mask. Poll: mask. BlockWrite: stride in bytes.
  uint64_t mask = 0;
  /// Poll: timeout in nanoseconds.
  uint64_t timeoutNs = 0;
  /// BlockWrite values / Opaque operands: SimProgram::values[first, +count).
  uint32_t first = 0;
  uint32_t count = 0;
  /// The op's number in its sequence (pre-order, from 0; a ConditionElse or
  /// ConditionEnd has its ConditionBegin's number).
  uint32_t number = 0;
  /// Source location.
  SimSourceLoc loc;
};

/// An MLIR-free initialization sequence: ops in order, a condition's body
/// bracketed by ConditionBegin/ConditionEnd (with ConditionElse between the
/// body and the else body). The builder methods append an op, number it and
/// return it (the reference is valid until the next append).
class SimProgram {
public:
  /// The sequence's name, without '@'.
  std::string name;
  /// Where the sequence itself is.
  SimSourceLoc loc;
  std::vector<SimOp> ops;
  /// Block write values and opaque operands.
  std::vector<uint64_t> values;
  /// File names, free-form locations and opaque kinds.
  std::vector<std::string> strings;

  SimOp &write(SimReg reg, unsigned bits, uint64_t value);
  SimOp &rmw(SimReg reg, unsigned bits, uint64_t andMask, uint64_t orMask);
  SimOp &read(SimReg reg, unsigned bits,
              std::optional<uint64_t> observed = std::nullopt);
  SimOp &blockWrite(SimReg reg, unsigned bits, uint64_t stride,
                    absl::Span<const uint64_t> values);
  SimOp &poll(SimReg reg, unsigned bits, uint64_t mask, bool compareNe,
              uint64_t expected, uint64_t timeoutNs);
  SimOp &delay(uint64_t ns);
  /// Opens a condition; ops until the matching elseCondition() or
  /// endCondition() are its body.
  SimOp &beginCondition(SimCondKind kind, uint64_t index, bool negated);
  /// Ends the body of the innermost open condition: ops until the matching
  /// endCondition() are its else body, run when the body is not (the
  /// returned op copies its begin's kind, index, number and location).
  SimOp &elseCondition();
  /// Closes the innermost open condition (the returned op copies its
  /// begin's kind, index, number and location).
  SimOp &endCondition();
  SimOp &opaque(absl::string_view kind, absl::Span<const uint64_t> operands);
  /// Uses up an op number for an op that is not simulated (a note), so that
  /// numbers match the source sequence.
  void skipOpNumber() { ++nextNumber_; }

  /// Index of `s` in `strings`, added if new.
  uint32_t intern(absl::string_view s);
  /// A `file:line:col` location.
  SimSourceLoc fileLoc(absl::string_view file, uint32_t line, uint32_t col) {
    return {intern(file), line, col};
  }
  /// "file:line:col", the free text, or "<unknown>".
  std::string formatLoc(const SimSourceLoc &loc) const;

  /// Checks every invariant the simulator relies on (widths allowed in the
  /// space, values fit the width, accesses inside the space, conditions
  /// balanced with at most one else each, pool ranges valid). Errors are
  /// located.
  absl::Status verify() const;

private:
  SimOp &append(SimOpKind kind);
  uint32_t nextNumber_ = 0;
  std::vector<size_t> open_;
  std::unordered_map<std::string, uint32_t> interned_;
};

/// A value with unknown bits: bit i is meaningful only when known bit i is
/// set (and `value` has no bits outside `known`).
struct SimValue {
  uint64_t known = 0;
  uint64_t value = 0;
  bool operator==(const SimValue &o) const {
    return known == o.known && value == o.value;
  }
  bool operator!=(const SimValue &o) const { return !(*this == o); }
};

/// Kinds of device-visible events.
enum class SimEventKind : uint8_t {
  Read,
  Write,
  Poll,
  Delay,
  ConditionEnter,
  /// Between the body's events and the else body's: shows the storage the
  /// body leaves.
  ConditionElse,
  ConditionExit,
  Opaque,
  End,
};

/// How plain storage got its value.
enum class SimCause : uint8_t {
  /// Never written (unknown from the start, or since an opaque op).
  None,
  /// A write, block write element or read-modify-write.
  Write,
  /// The merge of both paths after a condition.
  Merge,
  /// A side-effecting access overlapping it.
  Clobber,
};

/// Who last changed a byte of plain storage, and how.
struct SimWriter {
  /// Position in SimProgram::ops (kSimNone: nobody) and block write element.
  uint32_t op = kSimNone;
  uint32_t element = 0;
  SimCause cause = SimCause::None;
};

/// A storage word (8 aligned bytes; one byte for an indexed I/O register)
/// whose value changed since the previous event.
struct SimPlainChange {
  /// Identifies the word (space, BAR or ports, aligned offset or index).
  uint64_t word = 0;
  /// The word's first byte.
  SimReg base;
  SimValue before, after;
  /// For each byte, who last changed it (SimEventStream::writer(id)).
  std::array<uint32_t, 8> setBy{};
};

/// One device-visible event. Which fields mean something depends on `kind`.
struct SimEvent {
  SimEventKind kind = SimEventKind::End;
  /// Read/Write/Poll: width in bits.
  uint8_t bits = 0;
  /// Poll: compare `ne`. Conditions: negated.
  bool flag = false;
  /// Read: whether `observed` holds a traced value.
  bool hasObserved = false;
  SimCondKind condKind = SimCondKind::Strap;
  SimReg reg;
  /// Write: the value written (unknown bits are those a read-modify-write
  /// copies from its read).
  SimValue data;
  /// Poll: mask.
  uint64_t mask = 0;
  /// Poll: expected value. Delay: nanoseconds. Conditions: index.
  uint64_t aux = 0;
  /// Poll: timeout.
  uint64_t timeoutNs = 0;
  /// Read: the value a trace observed (informational, never compared).
  uint64_t observed = 0;
  /// The op it comes from (position in SimProgram::ops; kSimNone for End),
  /// the block write element, and for a delay how many more delays were
  /// merged into it.
  uint32_t op = kSimNone;
  uint32_t element = 0;
  uint32_t merged = 0;
  /// Writers (SimEventStream::writer) numbered below this one changed plain
  /// storage before the event; the others after it.
  uint32_t writerMark = 0;
  /// Plain storage changed since the previous event, sorted by `word`.
  std::vector<SimPlainChange> changes;
};

/// Produces the event stream of one program on demand.
class SimEventStream {
public:
  /// `program` must pass verify() and outlive the stream, like `map`.
  SimEventStream(const SimProgram &program, const RegMap &map);
  ~SimEventStream();
  SimEventStream(const SimEventStream &) = delete;
  SimEventStream &operator=(const SimEventStream &) = delete;

  /// Stores the next event; returns false after the End event or on error
  /// (then status() says why).
  bool next(SimEvent &event);
  /// OK unless the simulation failed (a poll that can never succeed).
  const absl::Status &status() const;

  /// "write mmio[bar0 + 0x000200] : i32 = 0x1".
  std::string describe(const SimEvent &event) const;
  /// "op #3 initseq.write at a.mlir:5:3".
  std::string origin(const SimEvent &event) const;
  /// The change (from an event of this stream) as registers, one per writer:
  /// "mmio[bar0 + 0x001540] : i32 = 0x1 (set by op #1 initseq.write at
  /// a.mlir:4:3)". A register is shown as its writer accessed it.
  std::vector<std::string> describe(const SimPlainChange &change) const;
  /// Who changed plain storage, by the ids in SimPlainChange::setBy.
  const SimWriter &writer(uint32_t id) const;
  /// Who last changed byte `byte` of storage word `word` as of `event` (the
  /// last one this stream produced), if the stream still knows: it may have
  /// run ahead of the event to merge delays.
  std::optional<uint32_t> writerAt(const SimEvent &event, uint64_t word,
                                   unsigned byte) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The first difference between two event streams.
struct SimDivergence {
  /// Index of the first differing event (from 0).
  uint64_t event = 0;
  /// True when both sides have the same event but the plain storage the
  /// device sees at it differs.
  bool stateOnly = false;
  /// One line saying what differs.
  std::string summary;
  /// What each side does (or holds) there, with the originating op.
  std::string a, b;
  /// Number of the originating op on each side (kSimNone: end of sequence)
  /// and its source location.
  uint32_t opA = kSimNone, opB = kSimNone;
  std::string locA, locB;
};

/// The result of comparing two programs.
struct SimComparison {
  /// Events compared: the length of both streams when equivalent.
  uint64_t events = 0;
  std::optional<SimDivergence> divergence;
  bool equivalent() const { return !divergence.has_value(); }
};

/// Replays both programs against `map` and reports the first divergence in
/// device-visible behaviour. Fails if a program is invalid or the simulation
/// of one fails.
absl::StatusOr<SimComparison>
compareSimPrograms(const SimProgram &a, const SimProgram &b, const RegMap &map);

/// Formats a divergence as gpuinit-run prints it, labelling the sides
/// `labelA` and `labelB`:
///   divergent at device-visible event #2: different device events
///     a.mlir: write mmio[bar0 + 0x000200] : i32 = 0x1 (op #3 ...)
///     b.mlir: delay 1 ms (op #2 ...)
std::string formatSimDivergence(const SimDivergence &d,
                                absl::string_view labelA,
                                absl::string_view labelB);

/// Formats a duration the way initseq prints it ("1 ms", "1500 ns").
std::string formatSimDuration(uint64_t ns);

/// Formats a value of `bits` bits: "0x1", "unknown", or
/// "0x11 (unknown bits 0xff00)".
std::string formatSimValue(SimValue v, unsigned bits);

} // namespace gpuinit::runtime

#endif // GPUINIT_RUNTIME_INITSEQSIM_H
