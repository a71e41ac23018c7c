//===- NvidiaDevinit.cpp - NVIDIA devinit scripts to initseq --------------===//
//
// Decodes the devinit scripts of an NVIDIA VBIOS (BIT token 'I') into
// initseq sequences: one per entry of the init script table and one for the
// private boot script. shared/specs/nvidia-devinit.md is the reference; §
// numbers below point into it, and docs/ROM.md describes the result.
//
//===----------------------------------------------------------------------===//
//
// The decoder executes a script symbolically. Control flow the ROM decides
// statically (SUB, SUB_DIRECT, JUMP, REPEAT) is followed and inlined; the
// condition flag, which only the device decides, becomes initseq.condition
// regions:
//
// * The flag is tracked per "leaf": an insertion block plus whether the flag
//   is perform or skip on the paths that reach it. A script starts with one
//   performing leaf, the sequence body.
// * A condition opcode splits every performing leaf L into
//   `initseq.condition <test> { then } else { }`: the then block performs,
//   the else block skips. Skipping leaves stay as they are (the flag only
//   ever goes to skip). The device evaluates the test once, where the
//   opcode was, exactly as the op does.
// * NOT flips every leaf; later ops then land in the else blocks. RESUME
//   makes the flag perform on every path again: ops go after the condition
//   ops, into the blocks the leaves grew from.
// * An op that honours the flag is emitted into every performing leaf, an
//   op that ignores it into every leaf.
// * SUB/SUB_DIRECT run the sub-script on the performing leaves, with the
//   flag saved and restored (VBIOS semantics, §6.2). JUMP continues at its
//   target on the performing leaves; the skipping ones fall through.
//   DONE_CONDITION ends the performing paths.
//
// Nothing is guessed: an opcode whose length the decoder does not know
// ends the script with an error naming it and its offset, and so do
// pointers out of the file, SUB cycles, JUMP loops and the limits.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROMImport.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::initseq;
using namespace gpuinit::rom;
using llvm::formatv;

namespace {

/// NV_PEXTDEV_BOOT_0, the strap register (§5.6).
constexpr uint32_t kStrapRegister = 0x101000;
/// The memory-configuration register RAM_CONDITION tests (0x6D).
constexpr uint32_t kRamConditionRegister = 0x100000;
/// The VGA CRTC index/data ports the CR opcodes use.
constexpr uint32_t kCrtcIndexPort = 0x3d4;
/// Most leaves (flag paths) alive at once.
constexpr size_t kMaxLeaves = 256;

/// One path of the condition flag: where its ops go and what the flag is.
struct Leaf {
  Block *block;
  bool perform = true;
  /// The path ended (DONE_CONDITION, or a JUMP taken while other paths
  /// skipped it).
  bool dead = false;
};

/// The flag state of one running script.
struct Frame {
  SmallVector<Leaf, 2> leaves;
  /// The blocks the script started in: where ops go after a RESUME.
  SmallVector<Block *, 2> base;

  explicit Frame(ArrayRef<Block *> blocks) : base(blocks) {
    for (Block *block : blocks)
      leaves.push_back({block});
  }
  bool anyPerforming() const {
    return llvm::any_of(leaves, [](const Leaf &l) {
      return !l.dead && l.perform;
    });
  }
  bool allDead() const {
    return llvm::all_of(leaves, [](const Leaf &l) { return l.dead; });
  }
  SmallVector<Block *, 2> performingBlocks() const {
    SmallVector<Block *, 2> blocks;
    for (const Leaf &l : leaves)
      if (!l.dead && l.perform)
        blocks.push_back(l.block);
    return blocks;
  }
};

/// The opcode names of devinit.xml (§7), for messages and opaque ops.
StringRef opcodeName(uint8_t op) {
  switch (op) {
  // clang-format off
  case 0x10: return "INIT_NV_REG_STREAM";
  case 0x11: return "INIT_ZM_REG_STREAM";
  case 0x12: return "INIT_SETBITS_NV_REG_STREAM";
  case 0x13: return "INIT_RESETBITS_NV_REG_STREAM";
  case 0x14: return "INIT_CRTC_STREAM";
  case 0x15: return "INIT_INDEX_IO_STREAM";
  case 0x16: return "INIT_ZM_CRTC_STREAM";
  case 0x18: return "INIT_SETBITS_CRTC_STREAM";
  case 0x19: return "INIT_RESETBITS_CRTC_STREAM";
  case 0x1A: return "INIT_IO_STREAM";
  case 0x1B: return "INIT_CRTC_READ_SPAN_STREAM";
  case 0x1C: return "INIT_SKIP_STREAM";
  case 0x1D: return "INIT_CRTC_SPAN_STREAM";
  case 0x1E: return "INIT_DISPLAY_METHOD_STREAM";
  case 0x20: return "INIT_NV_REG_UNCOUPLED";
  case 0x21: return "INIT_ZM_REG_UNCOUPLED";
  case 0x22: return "INIT_SETBITS_NV_REG_UNCOUPLED";
  case 0x23: return "INIT_RESETBITS_NV_REG_UNCOUPLED";
  case 0x24: return "INIT_CRTC_UNCOUPLED";
  case 0x25: return "INIT_INDEX_IO_UNCOUPLED";
  case 0x26: return "INIT_ZM_CRTC_UNCOUPLED";
  case 0x28: return "INIT_SETBITS_CRTC_UNCOUPLED";
  case 0x29: return "INIT_RESETBITS_CRTC_UNCOUPLED";
  case 0x2C: return "INIT_NV_REG_READ";
  case 0x2D: return "INIT_CRTC_READ";
  case 0x2E: return "INIT_DISPLAY_METHOD_UNCOUPLED";
  case 0x31: return "INIT_RESTRICT_PROG";
  case 0x32: return "INIT_IO_RESTRICT_PROG";
  case 0x33: return "INIT_REPEAT";
  case 0x34: return "INIT_IO_RESTRICT_PLL";
  case 0x35: return "INIT_FUNCTION";
  case 0x36: return "INIT_END_REPEAT";
  case 0x37: return "INIT_COPY";
  case 0x38: return "INIT_NOT";
  case 0x39: return "INIT_IO_FLAG_CONDITION";
  case 0x3A: return "INIT_GENERIC_CONDITION";
  case 0x3B: return "INIT_RESETBIT_CRTC_OUTDEV";
  case 0x3C: return "INIT_SETBIT_CRTC_OUTDEV";
  case 0x47: return "INIT_RESETBITS_NV_REG";
  case 0x48: return "INIT_SETBITS_NV_REG";
  case 0x49: return "INIT_INDEX_ADDRESS_LATCHED";
  case 0x4A: return "INIT_IO_RESTRICT_PLL32";
  case 0x4B: return "INIT_PLL32";
  case 0x4C: return "INIT_NV_ALTERNATING_I2CREG";
  case 0x4D: return "INIT_ZM_ALTERNATING_I2CREG";
  case 0x4E: return "INIT_ZM_AUTOINC_I2CREG";
  case 0x4F: return "INIT_TMDS";
  case 0x50: return "INIT_TMDS_ARRAY";
  case 0x51: return "INIT_INDEXED_CRTC";
  case 0x52: return "INIT_CRTC";
  case 0x53: return "INIT_ZM_CRTC";
  case 0x54: return "INIT_CRTC_ZM_ARRAY";
  case 0x55: return "INIT_POLL";
  case 0x56: return "INIT_POLL_NV";
  case 0x57: return "INIT_TIME_MSEC";
  case 0x58: return "INIT_REG_ARRAY";
  case 0x59: return "INIT_IO_RESTRICT_PROG_WM";
  case 0x5A: return "INIT_POLL_I2C";
  case 0x5B: return "INIT_SUB_DIRECT";
  case 0x5C: return "INIT_JUMP_DIRECT";
  case 0x5D: return "INIT_DONE_CONDITION";
  case 0x5E: return "INIT_I2C_CONDITION";
  case 0x5F: return "INIT_NV_COPY";
  case 0x61: return "INIT_ZM_IO";
  case 0x62: return "INIT_ZM_INDEX_IO";
  case 0x63: return "INIT_COMPUTE_MEM";
  case 0x64: return "INIT_DAC_REG";
  case 0x65: return "INIT_RESET";
  case 0x66: return "INIT_CONFIGURE_MEM";
  case 0x67: return "INIT_CONFIGURE_CLK";
  case 0x68: return "INIT_CONFIGURE_PREINIT";
  case 0x69: return "INIT_IO";
  case 0x6A: return "INIT_JUMP";
  case 0x6B: return "INIT_SUB";
  case 0x6C: return "INIT_EOS";
  case 0x6D: return "INIT_MEM_RESTRICT";
  case 0x6E: return "INIT_NV_REG";
  case 0x6F: return "INIT_MACRO";
  case 0x70: return "INIT_PLL_REG";
  case 0x71: return "INIT_DONE";
  case 0x72: return "INIT_RESUME";
  case 0x73: return "INIT_STRAP_RESTRICT";
  case 0x74: return "INIT_TIME";
  case 0x75: return "INIT_CONDITION";
  case 0x76: return "INIT_IO_CONDITION";
  case 0x77: return "INIT_ZM_WREG";
  case 0x78: return "INIT_INDEX_IO";
  case 0x79: return "INIT_PLL";
  case 0x7A: return "INIT_ZM_REG";
  case 0x7B: return "INIT_AND";
  case 0x7C: return "INIT_OR";
  case 0x7D: return "INIT_XOR";
  case 0x7E: return "INIT_SHIFT";
  case 0x7F: return "INIT_AND_BYTE";
  case 0x80: return "INIT_OR_BYTE";
  case 0x81: return "INIT_XOR_BYTE";
  case 0x82: return "INIT_SHIFT_BYTE";
  case 0x83: return "INIT_RESETBITS_CRTC";
  case 0x84: return "INIT_SETBITS_CRTC";
  case 0x85: return "INIT_XMEMSEL_SCREEN_ZM_NV_REG";
  case 0x86: return "INIT_XMEMSEL_SCREEN_NV_REG";
  case 0x87: return "INIT_XMEMSEL_PLLID";
  case 0x88: return "INIT_PLLID";
  case 0x89: return "INIT_JUMP_REL";
  case 0x8A: return "INIT_IO_RESTRICT_PLLID";
  case 0x8B: return "INIT_BREAK";
  case 0x8C: return "INIT_RESET_BEGUN";
  case 0x8D: return "INIT_RESET_END";
  case 0x8E: return "INIT_GPIO_ALL";
  case 0x8F: return "INIT_XMEMSEL_ZM_NV_REG_ARRAY";
  case 0x90: return "INIT_DIRECT_COPY_NV_REG";
  case 0x91: return "INIT_ZM_REG_REITERATE";
  case 0x92: return "INIT_SPREAD";
  case 0x95: return "INIT_DISPLAY_METHOD";
  case 0x96: return "INIT_INDEX_BYTE_ARRAY_NV_REG";
  case 0x97: return "INIT_ADD_NV_REG";
  case 0x98: return "INIT_DPCD_REG";
  case 0x99: return "INIT_ZM_DPCD_REG";
  case 0x9A: return "INIT_I2C16_CONDITION";
  case 0x9B: return "INIT_OBTAIN_HW_MUTEX";
  case 0x9C: return "INIT_RELEASE_HW_MUTEX";
  case 0x9D: return "INIT_EXEC_PMU_ROUTINE";
  case 0x9E: return "INIT_MEM_INFO";
  case 0xA0: return "INIT_FREQ_CONDITION_XLAT_VFIELD";
  case 0xA1: return "INIT_RESTRICT_XLAT_VFIELD";
  case 0xA2: return "INIT_RESTRICT_XLAT_VFIELD_BYTE";
  case 0xA3: return "INIT_RESTRICT_XLAT_VFIELD_PLL";
  case 0xA4: return "INIT_RESTRICT_XLAT_VFIELD_PLL32";
  case 0xA6: return "POLL_DPCD_REG";
  case 0xA7: return "INIT_DPCD_CONDITION";
  case 0xA8: return "INIT_GPIO_INCLUDE_ARRAY";
  case 0xA9: return "INIT_GPIO_EXCLUDE_ARRAY";
  case 0xAA: return "INIT_VDT";
  case 0xAB: return "INIT_NOP";
  case 0xAC: return "INIT_NV_REG_CONDITION_DIRECT";
  case 0xAD: return "INIT_NV_PRIVLEVEL_DOWNGRADE";
  case 0xAE: return "INIT_NV_PRIVLEVEL_RESTORE";
  case 0xAF: return "INIT_NV_REG_ARRAY_REITERATE";
  case 0xB0: return "INIT_TSOSC";
  case 0xB1: return "INIT_POLL_NV_COND";
  case 0xB3: return "INIT_ZM_ALTERNATING16_I2CREG";
  case 0xB4: return "INIT_I2C_WORD_CONDITION";
  case 0xFF: return "INIT_EOL";
  default: return "";
    // clang-format on
  }
}

/// How an opaque opcode treats the condition flag.
enum class FlagUse { Honors, Ignores };

class DevinitImporter {
public:
  DevinitImporter(const ImageImportContext &ctx, const BitTable &bit)
      : ctx(ctx), bit(bit), rom(ctx.rom),
        context(ctx.module->getContext()), b(context) {}

  LogicalResult run();

private:
  //===--------------------------------------------------------------------===//
  // Reading
  //===--------------------------------------------------------------------===//

  bool inFile(uint64_t offset, uint64_t size) const {
    return offset <= rom.size() && size <= rom.size() - offset;
  }
  uint8_t u8(uint64_t at) const { return rom[at]; }
  uint16_t u16(uint64_t at) const {
    return uint16_t(rom[at] | (rom[at + 1] << 8));
  }
  uint32_t u32(uint64_t at) const {
    return uint32_t(rom[at]) | (uint32_t(rom[at + 1]) << 8) |
           (uint32_t(rom[at + 2]) << 16) | (uint32_t(rom[at + 3]) << 24);
  }
  /// The file offset of a 16-bit BIT pointer, or nullopt (with an error at
  /// `at`) when it leaves the file.
  std::optional<uint64_t> pointer(uint16_t value, uint64_t at,
                                  const Twine &what) {
    std::optional<uint64_t> file = bitPointerToFile(ctx.layout, value);
    if (!file || *file >= rom.size()) {
      error(at, formatv("{0}: pointer {1:x} is outside the file", what.str(),
                        value)
                    .str());
      return std::nullopt;
    }
    return file;
  }

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  void error(uint64_t offset, const Twine &message) {
    ctx.error(offset, message);
    sequenceFailed = true;
  }
  void warning(uint64_t offset, const Twine &message) {
    ctx.warning(offset, message);
  }
  std::string opcodeLabel(uint8_t op, uint64_t at) const {
    StringRef name = opcodeName(op);
    return formatv("opcode {0:x-2}{1}{2} at {3:x}", op, name.empty() ? "" : " ",
                   name, at)
        .str();
  }

  //===--------------------------------------------------------------------===//
  // Emission
  //===--------------------------------------------------------------------===//

  Location loc(uint64_t offset) const { return ctx.loc(offset); }

  /// Counts one emitted op against --rom-max-ops; false (after an error)
  /// when the sequence would exceed it.
  bool countOp(uint64_t at) {
    if (++opsEmitted <= ctx.options.maxOps)
      return true;
    error(at, formatv("sequence @{0} needs more than {1} ops (--rom-max-ops)",
                      seq.getSymName(), ctx.options.maxOps)
                  .str());
    return false;
  }

  /// Calls `build` with the builder positioned in every leaf that performs
  /// (or, for ops that ignore the flag, in every live leaf).
  template <typename Fn>
  bool emit(Frame &frame, uint64_t at, FlagUse use, Fn build) {
    for (Leaf &leaf : frame.leaves) {
      if (leaf.dead || (use == FlagUse::Honors && !leaf.perform))
        continue;
      if (!countOp(at))
        return false;
      b.setInsertionPoint(leaf.block->getTerminator());
      build();
    }
    return true;
  }

  RegAttr mmio(uint32_t reg) const { return RegAttr::getMmio(context, 0, reg); }
  RegAttr crtc(uint8_t index) const {
    return RegAttr::get(context, AddressSpace::idxio, 0, kCrtcIndexPort,
                        kCrtcIndexPort + 1, index);
  }
  /// An indexed I/O register (index port, data port = index port + 1);
  /// null for index port 0xffff, whose data port does not exist.
  RegAttr indexedIo(uint16_t port, uint8_t index) const {
    if (port == 0xFFFF)
      return {};
    return RegAttr::get(context, AddressSpace::idxio, 0, port, port + 1,
                        index);
  }
  RegAttr io(uint16_t port) const {
    return RegAttr::get(context, AddressSpace::io, 0, port, 0, 0);
  }
  TypeAttr width(unsigned bits) const {
    return TypeAttr::get(IntegerType::get(context, bits));
  }
  IntegerAttr i64(int64_t v) { return b.getI64IntegerAttr(v); }

  /// Bits 31:29 of a devinit register address select a display head, OR or
  /// sub-link (§6.4): such an address is parametric.
  static bool isParametric(uint32_t reg) { return reg & 0xE0000000u; }

  bool write(Frame &f, uint64_t at, RegAttr reg, unsigned bits, uint64_t v) {
    return emit(f, at, FlagUse::Honors, [&] {
      WriteOp::create(b, loc(at), reg, width(bits), i64(int64_t(v)), at,
                      scriptIndex, std::nullopt);
    });
  }
  bool rmw(Frame &f, uint64_t at, RegAttr reg, unsigned bits, uint64_t andMask,
           uint64_t orMask) {
    return emit(f, at, FlagUse::Honors, [&] {
      RmwOp::create(b, loc(at), reg, width(bits), i64(int64_t(andMask)),
                    i64(int64_t(orMask)), at, scriptIndex, std::nullopt);
    });
  }
  bool opaque(Frame &f, uint64_t at, uint64_t length, FlagUse use,
              ArrayRef<int64_t> operands, StringRef kind = {}) {
    std::string name = kind.empty() ? opcodeName(rom[at]).str() : kind.str();
    std::string bytes = llvm::toHex(rom.slice(at, length), /*LowerCase=*/true);
    return emit(f, at, use, [&] {
      OpaqueOp::create(b, loc(at), name, b.getDenseI64ArrayAttr(operands),
                       b.getStringAttr(bytes), at, scriptIndex, std::nullopt);
    });
  }
  /// A 32-bit MMIO write, or an opaque op when the address is parametric.
  bool regWrite(Frame &f, uint64_t at, uint64_t length, uint32_t reg,
                uint32_t v) {
    if (isParametric(reg))
      return opaque(f, at, length, FlagUse::Honors, {reg, v});
    return write(f, at, mmio(reg), 32, v);
  }
  bool regRmw(Frame &f, uint64_t at, uint64_t length, uint32_t reg,
              uint32_t keep, uint32_t orMask) {
    if (isParametric(reg))
      return opaque(f, at, length, FlagUse::Honors, {reg, keep, orMask});
    return rmw(f, at, mmio(reg), 32, keep, orMask);
  }
  bool delay(Frame &f, uint64_t at, uint64_t ns) {
    return emit(f, at, FlagUse::Honors, [&] {
      DelayOp::create(b, loc(at), i64(int64_t(ns)), at, scriptIndex,
                      std::nullopt);
    });
  }

  /// A poll until `(reg & mask) == value`. A test that cannot hold (value
  /// bits outside the mask) waits for the whole timeout: an opaque op with a
  /// warning. A zero mask with a zero value holds at once: a read.
  bool poll(Frame &f, uint64_t at, uint64_t length, RegAttr reg,
            unsigned bits, uint64_t mask, uint64_t value, uint64_t timeoutNs) {
    if (value & ~mask) {
      warning(at, formatv("{0}: the polled test can never hold (value {1:x} "
                          "has bits outside mask {2:x})",
                          opcodeLabel(rom[at], at), value, mask)
                      .str());
      return opaque(f, at, length, FlagUse::Honors,
                    {int64_t(mask), int64_t(value), int64_t(timeoutNs)});
    }
    if (mask == 0)
      return emit(f, at, FlagUse::Honors, [&] {
        ReadOp::create(b, loc(at), reg, width(bits), IntegerAttr(), at,
                       scriptIndex, std::nullopt);
      });
    return emit(f, at, FlagUse::Honors, [&] {
      PollOp::create(b, loc(at), reg, width(bits), i64(int64_t(mask)),
                     CompareAttr::get(context, Compare::eq),
                     i64(int64_t(value)),
                     i64(int64_t(std::max<uint64_t>(timeoutNs, 1))),
                     IntegerAttr(), at, scriptIndex, std::nullopt);
    });
  }

  /// Splits every performing leaf on a device test (or applies its static
  /// outcome when one is known).
  bool test(Frame &f, uint64_t at, ConditionKind kind, int64_t index,
            const std::string &label, std::optional<bool> outcome = {}) {
    SmallVector<Leaf, 2> next;
    for (Leaf &leaf : f.leaves) {
      if (leaf.dead || !leaf.perform || outcome) {
        if (outcome && !leaf.dead && leaf.perform && !*outcome)
          leaf.perform = false;
        next.push_back(leaf);
        continue;
      }
      if (!countOp(at))
        return false;
      b.setInsertionPoint(leaf.block->getTerminator());
      auto cond = ConditionOp::create(
          b, loc(at), ConditionKindAttr::get(context, kind), i64(index),
          UnitAttr(), b.getStringAttr(label), at, scriptIndex, std::nullopt);
      ConditionOp::ensureTerminator(cond.getBody(), b, loc(at));
      ConditionOp::ensureTerminator(cond.getElseBody(), b, loc(at));
      next.push_back({&cond.getBody().front(), true});
      next.push_back({&cond.getElseBody().front(), false});
    }
    if (next.size() > kMaxLeaves) {
      error(at, formatv("{0}: more than {1} condition paths are open at once",
                        opcodeLabel(rom[at], at), kMaxLeaves)
                    .str());
      return false;
    }
    f.leaves = std::move(next);
    return true;
  }

  //===--------------------------------------------------------------------===//
  // Condition tables (§5)
  //===--------------------------------------------------------------------===//

  /// A condition-table entry (§5.1): register, mask, value.
  bool conditionEntry(uint8_t index, uint64_t at, uint32_t &reg,
                      uint32_t &mask, uint32_t &value) {
    if (!conditionTable) {
      error(at, opcodeLabel(rom[at], at) +
                    ": the ROM has no condition table (BIT 'I' +0x06)");
      return false;
    }
    uint64_t entry = *conditionTable + 12 * uint64_t(index);
    if (!inFile(entry, 12)) {
      error(at, formatv("{0}: condition {1} lies outside the file",
                        opcodeLabel(rom[at], at), index)
                    .str());
      return false;
    }
    reg = u32(entry);
    mask = u32(entry + 4);
    value = u32(entry + 8);
    return true;
  }
  /// The file offset of I/O condition-table entry `index` (§5.2: 5 bytes),
  /// or nullopt after an error.
  std::optional<uint64_t> ioConditionEntry(uint8_t index, uint64_t at) {
    if (!ioConditionTable) {
      error(at, opcodeLabel(rom[at], at) +
                    ": the ROM has no I/O condition table (BIT 'I' +0x08)");
      return std::nullopt;
    }
    uint64_t entry = *ioConditionTable + 5 * uint64_t(index);
    if (!inFile(entry, 5)) {
      error(at, formatv("{0}: I/O condition {1} lies outside the file",
                        opcodeLabel(rom[at], at), index)
                    .str());
      return std::nullopt;
    }
    return entry;
  }
  /// Script-table entry `index` (SUB, JUMP by index), or nullopt after an
  /// error.
  std::optional<uint16_t> scriptTableEntry(uint8_t index, uint64_t at) {
    if (index < scriptTable.size())
      return scriptTable[index];
    error(at, formatv("{0}: script {1} is not in the script table ({2} "
                      "entries)",
                      opcodeLabel(rom[at], at), index, scriptTable.size())
                  .str());
    return std::nullopt;
  }
  std::string regTestLabel(uint32_t reg, uint32_t mask, uint32_t value) const {
    return formatv("(mmio[bar0 + {0:x6}] & {1:x}) == {2:x}", reg, mask, value)
        .str();
  }
  /// The static outcome of a test of `reg` when the strap is known.
  std::optional<bool> strapOutcome(uint32_t reg, uint32_t mask,
                                   uint32_t value) const {
    if (reg != kStrapRegister || !ctx.options.strap)
      return std::nullopt;
    return (*ctx.options.strap & mask) == value;
  }
  std::string ioPortLabel(uint16_t port, uint8_t index) const {
    if (index == 0xFF)
      return formatv("io[{0:x}]", port).str();
    return formatv("idxio[{0:x}:{1:x}][{2:x2}]", port, port + 1, index).str();
  }

  //===--------------------------------------------------------------------===//
  // Execution
  //===--------------------------------------------------------------------===//

  /// Runs the script at `start` on `frame` until DONE (or until every path
  /// ended). Returns false after an error that ends the sequence.
  bool runScript(uint64_t start, Frame &frame, unsigned depth);
  /// Runs the sub-script at `target` on the performing leaves of `frame`,
  /// with the flag saved and restored.
  bool call(uint64_t at, uint64_t target, Frame &frame, unsigned depth);
  bool importScript(StringRef name, uint64_t start, int64_t index,
                    ArrayRef<NamedAttribute> extra);
  /// Runs `body` for the RAM configuration the options give, else for each
  /// configuration r with `wanted(r)` inside `initseq.condition ramcfg r`.
  bool selectByRamcfg(Frame &f, uint64_t at,
                      llvm::function_ref<bool(unsigned)> wanted,
                      llvm::function_ref<bool(Frame &, unsigned)> body);

  const ImageImportContext &ctx;
  const BitTable &bit;
  ArrayRef<uint8_t> rom;
  MLIRContext *context;
  OpBuilder b;

  // Tables from BIT 'I' (file offsets).
  std::optional<uint64_t> conditionTable, ioConditionTable,
      ioFlagConditionTable, macroIndexTable, macroTable;
  SmallVector<uint16_t> scriptTable;

  // Per sequence.
  SequenceOp seq;
  int64_t scriptIndex = 0;
  uint64_t steps = 0;
  uint64_t opsEmitted = 0;
  bool sequenceFailed = false;
  SmallVector<uint64_t> callStack;
  /// Over the whole import: the offsets of every opcode decoded and of
  /// every script block entered (scripts, SUB and JUMP targets).
  llvm::DenseSet<uint64_t> decodedOpcodes, blockStarts;
  /// Targets of the conditional jumps being followed.
  SmallVector<uint64_t> jumpStack;
};

} // namespace

bool DevinitImporter::call(uint64_t at, uint64_t target, Frame &frame,
                           unsigned depth) {
  SmallVector<Block *, 2> blocks = frame.performingBlocks();
  if (blocks.empty())
    return true; // A sub-script is only entered when the flag performs.
  if (llvm::is_contained(callStack, target)) {
    error(at, formatv("{0}: calls the script at {1:x}, which is already "
                      "running (a SUB cycle)",
                      opcodeLabel(rom[at], at), target)
                  .str());
    return false;
  }
  if (depth + 1 > ctx.options.maxDepth) {
    error(at, formatv("{0}: sub-scripts nest deeper than {1} levels "
                      "(--rom-max-depth)",
                      opcodeLabel(rom[at], at), ctx.options.maxDepth)
                  .str());
    return false;
  }
  Frame sub(blocks);
  blockStarts.insert(target);
  callStack.push_back(target);
  bool ok = runScript(target, sub, depth + 1);
  callStack.pop_back();
  return ok;
}

bool DevinitImporter::selectByRamcfg(
    Frame &f, uint64_t at, llvm::function_ref<bool(unsigned)> wanted,
    llvm::function_ref<bool(Frame &, unsigned)> body) {
  unsigned count = *bit.ramConfigCount;
  if (ctx.options.ramcfg) {
    if (*ctx.options.ramcfg >= count) {
      error(at, formatv("{0}: --ramcfg={1} but the ROM has {2} RAM "
                        "configurations",
                        opcodeLabel(rom[at], at), *ctx.options.ramcfg, count)
                    .str());
      return false;
    }
    return !wanted(*ctx.options.ramcfg) || body(f, *ctx.options.ramcfg);
  }
  // One condition per candidate; the index is a strap, so they exclude each
  // other.
  for (unsigned r = 0; r < count; ++r) {
    if (!wanted(r))
      continue;
    SmallVector<Block *, 2> blocks;
    bool ok = emit(f, at, FlagUse::Honors, [&] {
      auto cond = ConditionOp::create(
          b, loc(at), ConditionKindAttr::get(context, ConditionKind::ramcfg),
          i64(r), UnitAttr(),
          b.getStringAttr(formatv("RAM configuration {0}", r).str()), at,
          scriptIndex, std::nullopt);
      ConditionOp::ensureTerminator(cond.getBody(), b, loc(at));
      blocks.push_back(&cond.getBody().front());
    });
    if (!ok)
      return false;
    if (blocks.empty())
      return true;
    Frame inner(blocks);
    if (!body(inner, r))
      return false;
  }
  return true;
}

bool DevinitImporter::runScript(uint64_t start, Frame &f, unsigned depth) {
  struct Repeat {
    uint64_t bodyStart;
    unsigned remaining;
  };
  SmallVector<Repeat> repeats;
  llvm::DenseSet<uint64_t> jumpTargets;
  uint64_t pc = start;
  auto ramCount = [&](uint64_t at) -> std::optional<unsigned> {
    if (bit.ramConfigCount)
      return *bit.ramConfigCount;
    error(at, opcodeLabel(rom[at], at) +
                  ": its length depends on the RAM-configuration count, "
                  "which the ROM's BIT 'M' token does not give");
    return std::nullopt;
  };

  while (true) {
    if (f.allDead())
      return true;
    if (++steps > ctx.options.maxSteps) {
      error(pc, formatv("sequence @{0} executes more than {1} opcodes "
                        "(--rom-max-steps)",
                        seq.getSymName(), ctx.options.maxSteps)
                    .str());
      return false;
    }
    if (pc >= rom.size()) {
      error(pc, formatv("script runs past the end of the file at {0:x} "
                        "without INIT_DONE",
                        pc)
                    .str());
      return false;
    }
    const uint64_t at = pc;
    const uint8_t op = rom[at];
    decodedOpcodes.insert(at);
    // The opcode's total length (§7); computed before anything is read.
    uint64_t len = 0;
    auto need = [&](uint64_t n) {
      len = n;
      if (inFile(at, n))
        return true;
      error(at, formatv("{0}: truncated, it needs {1} bytes but the file "
                        "ends at {2:x}",
                        opcodeLabel(op, at), n, rom.size())
                    .str());
      return false;
    };
    // Reads a count byte at `at + off` (bounds checked) for variable
    // lengths.
    auto count = [&](uint64_t off) -> std::optional<uint64_t> {
      if (!need(off + 1))
        return std::nullopt;
      return rom[at + off];
    };
    auto ops = [&](std::initializer_list<uint64_t> list) {
      return SmallVector<int64_t>(list.begin(), list.end());
    };

    switch (op) {
    //===----------------------------------------------------------------===//
    // End of script and flag
    //===----------------------------------------------------------------===//
    case 0x71: // INIT_DONE
    case 0x6C: // INIT_EOS
    case 0xFF: // EOL
      if (llvm::any_of(f.leaves, [](const Leaf &l) {
            return !l.dead && !l.perform;
          }) &&
          depth > 0)
        warning(at, opcodeLabel(op, at) +
                        ": the sub-script ends with the condition flag set "
                        "to skip on some paths (the caller's flag is "
                        "restored)");
      return true;
    case 0x66: // INIT_CONFIGURE_MEM / CLK / PREINIT: act as DONE (§6.1)
    case 0x67:
    case 0x68:
      len = 1;
      if (!opaque(f, at, 1, FlagUse::Ignores, {}))
        return false;
      return true;
    case 0x72: { // INIT_RESUME
      bool anyDead = llvm::any_of(f.leaves, [](const Leaf &l) { return l.dead; });
      if (!anyDead) {
        f.leaves.clear();
        for (Block *block : f.base)
          f.leaves.push_back({block});
      } else {
        for (Leaf &l : f.leaves)
          l.perform = true;
      }
      len = 1;
      break;
    }
    case 0x38: // INIT_NOT
      for (Leaf &l : f.leaves)
        l.perform = !l.perform;
      len = 1;
      break;
    case 0x5D: // INIT_DONE_CONDITION
      for (Leaf &l : f.leaves)
        if (l.perform)
          l.dead = true;
      len = 1;
      break;

    //===----------------------------------------------------------------===//
    // Control flow (§6.3)
    //===----------------------------------------------------------------===//
    case 0x5B: // INIT_SUB_DIRECT
    case 0x6B: { // INIT_SUB
      if (!need(op == 0x5B ? 3 : 2))
        return false;
      std::optional<uint16_t> ptr =
          op == 0x5B ? std::optional<uint16_t>(u16(at + 1))
                     : scriptTableEntry(u8(at + 1), at);
      if (!ptr)
        return false;
      std::optional<uint64_t> target =
          pointer(*ptr, at, opcodeLabel(op, at));
      if (!target || !call(at, *target, f, depth))
        return false;
      break;
    }
    case 0x5C:   // INIT_JUMP_DIRECT
    case 0x6A:   // INIT_JUMP (script-table index)
    case 0x89: { // INIT_JUMP_REL
      if (!need(op == 0x5C ? 3 : 2))
        return false;
      std::optional<uint64_t> target;
      if (op == 0x5C) {
        target = pointer(u16(at + 1), at, opcodeLabel(op, at));
      } else if (op == 0x6A) {
        std::optional<uint16_t> ptr = scriptTableEntry(u8(at + 1), at);
        if (!ptr)
          return false;
        target = pointer(*ptr, at, opcodeLabel(op, at));
      } else {
        int64_t to = int64_t(at + 2) + int8_t(u8(at + 1));
        if (to < 0 || uint64_t(to) >= rom.size()) {
          error(at, opcodeLabel(op, at) + ": jumps outside the file");
          return false;
        }
        target = uint64_t(to);
      }
      if (!target)
        return false;
      if (!f.anyPerforming())
        break; // Skipping: fall through.
      if (!jumpTargets.insert(*target).second) {
        error(at, formatv("{0}: jumps to {1:x} again, a loop whose exit "
                          "depends on the device (not statically "
                          "importable)",
                          opcodeLabel(op, at), *target)
                      .str());
        return false;
      }
      bool allPerform = llvm::all_of(f.leaves, [](const Leaf &l) {
        return l.dead || l.perform;
      });
      if (allPerform) {
        blockStarts.insert(*target);
        repeats.clear();
        pc = *target;
        continue;
      }
      // Some paths jump, the others fall through: the jumping paths run
      // the target to its end in a frame of their own.
      if (llvm::is_contained(jumpStack, *target)) {
        error(at, formatv("{0}: jumps to {1:x} again, a loop whose exit "
                          "depends on the device (not statically "
                          "importable)",
                          opcodeLabel(op, at), *target)
                      .str());
        return false;
      }
      if (depth + 1 > ctx.options.maxDepth) {
        error(at, formatv("{0}: conditional jumps nest deeper than {1} "
                          "levels (--rom-max-depth)",
                          opcodeLabel(op, at), ctx.options.maxDepth)
                      .str());
        return false;
      }
      blockStarts.insert(*target);
      Frame jumped(f.performingBlocks());
      jumpStack.push_back(*target);
      bool ok = runScript(*target, jumped, depth + 1);
      jumpStack.pop_back();
      if (!ok)
        return false;
      for (Leaf &l : f.leaves)
        if (l.perform)
          l.dead = true;
      len = op == 0x5C ? 3 : 2;
      break;
    }
    case 0x33: { // INIT_REPEAT
      if (!need(2))
        return false;
      unsigned n = u8(at + 1);
      if (n == 0)
        warning(at, opcodeLabel(op, at) +
                        ": a count of 0 runs the body once (as nouveau "
                        "does)");
      repeats.push_back({at + 2, std::max(n, 1u)});
      break;
    }
    case 0x36: // INIT_END_REPEAT
      len = 1;
      if (!repeats.empty()) {
        if (--repeats.back().remaining > 0) {
          pc = repeats.back().bodyStart;
          continue;
        }
        repeats.pop_back();
      }
      break;
    case 0x35: // INIT_FUNCTION: x86 code, not importable
      if (!need(2) || !opaque(f, at, 2, FlagUse::Honors, {u8(at + 1)}))
        return false;
      break;

    //===----------------------------------------------------------------===//
    // Conditions (§5, §6.2)
    //===----------------------------------------------------------------===//
    case 0x75: { // INIT_CONDITION
      if (!need(2))
        return false;
      uint8_t index = u8(at + 1);
      uint32_t reg, mask, value;
      if (!conditionEntry(index, at, reg, mask, value) ||
          !test(f, at, ConditionKind::condition, index,
                regTestLabel(reg, mask, value),
                strapOutcome(reg, mask, value)))
        return false;
      break;
    }
    case 0x73: { // INIT_STRAP_RESTRICT
      if (!need(9))
        return false;
      uint32_t mask = u32(at + 1), value = u32(at + 5);
      if (!test(f, at, ConditionKind::reg, kStrapRegister,
                regTestLabel(kStrapRegister, mask, value),
                strapOutcome(kStrapRegister, mask, value)))
        return false;
      break;
    }
    case 0x6D: { // INIT_MEM_RESTRICT (RAM_CONDITION)
      if (!need(3))
        return false;
      uint32_t mask = u8(at + 1), value = u8(at + 2);
      if (!test(f, at, ConditionKind::reg, kRamConditionRegister,
                regTestLabel(kRamConditionRegister, mask, value)))
        return false;
      break;
    }
    case 0xAC: { // INIT_NV_REG_CONDITION_DIRECT
      if (!need(13))
        return false;
      uint32_t reg = u32(at + 1), mask = u32(at + 5), value = u32(at + 9);
      if (!test(f, at, ConditionKind::reg, reg, regTestLabel(reg, mask, value),
                strapOutcome(reg, mask, value)))
        return false;
      break;
    }
    case 0x76: { // INIT_IO_CONDITION
      if (!need(2))
        return false;
      uint8_t index = u8(at + 1);
      std::optional<uint64_t> found = ioConditionEntry(index, at);
      if (!found)
        return false;
      uint64_t entry = *found;
      std::string label =
          formatv("({0} & {1:x}) == {2:x}",
                  ioPortLabel(u16(entry), u8(entry + 2)), u8(entry + 3),
                  u8(entry + 4))
              .str();
      if (!test(f, at, ConditionKind::io_condition, index, label))
        return false;
      break;
    }
    case 0x39: { // INIT_IO_FLAG_CONDITION
      if (!need(2))
        return false;
      uint8_t index = u8(at + 1);
      if (!ioFlagConditionTable) {
        error(at, opcodeLabel(op, at) + ": the ROM has no I/O flag condition "
                                        "table (BIT 'I' +0x0A)");
        return false;
      }
      uint64_t entry = *ioFlagConditionTable + 9 * uint64_t(index);
      if (!inFile(entry, 9)) {
        error(at, formatv("{0}: I/O flag condition {1} lies outside the file",
                          opcodeLabel(op, at), index)
                      .str());
        return false;
      }
      std::string label =
          formatv("(rom[{0:x} + (({1} & {2:x}) >> {3})] & {4:x}) == {5:x}",
                  u16(entry + 5), ioPortLabel(u16(entry), u8(entry + 2)),
                  u8(entry + 3), u8(entry + 4), u8(entry + 7), u8(entry + 8))
              .str();
      if (!test(f, at, ConditionKind::io_flag_condition, index, label))
        return false;
      break;
    }
    case 0x3A: { // INIT_GENERIC_CONDITION: gated body of `size` bytes
      if (!need(3))
        return false;
      if (!test(f, at, ConditionKind::external, op,
                formatv("generic condition {0} (body {1} bytes)", u8(at + 1),
                        u8(at + 2))
                    .str()))
        return false;
      break;
    }
    case 0x5E: // INIT_I2C_CONDITION
    case 0x9A: // INIT_I2C16_CONDITION
    case 0xB4: // INIT_I2C_WORD_CONDITION
    case 0xA7: { // INIT_DPCD_CONDITION
      uint64_t n = op == 0x5E ? 6 : op == 0xB4 ? 8 : 7;
      if (!need(n))
        return false;
      std::string label = formatv("{0} ({1})", opcodeName(op),
                                  llvm::toHex(rom.slice(at + 1, n - 1), true))
                              .str();
      if (!test(f, at, ConditionKind::external, op, label))
        return false;
      break;
    }
    case 0xA0: { // INIT_FREQ_CONDITION_XLAT_VFIELD
      std::optional<uint64_t> n = count(3);
      if (!n || !need(5 + 4 * *n))
        return false;
      if (!test(f, at, ConditionKind::external, op,
                formatv("{0} ({1})", opcodeName(op),
                        llvm::toHex(rom.slice(at + 1, len - 1), true))
                    .str()))
        return false;
      break;
    }
    // Hardware actions that set skip when they fail: the action, then its
    // success as an external condition.
    case 0x9B: // INIT_OBTAIN_HW_MUTEX
    case 0xAA: // INIT_VDT
    case 0xAD: // INIT_NV_PRIVLEVEL_DOWNGRADE
    case 0xAE: // INIT_NV_PRIVLEVEL_RESTORE
    case 0xB0: { // INIT_TSOSC
      uint64_t n = op == 0x9B ? 5 : op == 0xAA ? 4 : 1;
      if (!need(n))
        return false;
      SmallVector<int64_t> operands;
      if (op == 0x9B)
        operands.push_back(u32(at + 1));
      if (op == 0xAA)
        operands = ops({u8(at + 1), u16(at + 2)});
      if (!opaque(f, at, n, FlagUse::Honors, operands) ||
          !test(f, at, ConditionKind::external, op,
                formatv("{0} succeeded", opcodeName(op)).str()))
        return false;
      break;
    }

    //===----------------------------------------------------------------===//
    // Polls (P): the test repeated until it holds or the timeout
    //===----------------------------------------------------------------===//
    case 0x56:   // INIT_POLL_NV
    case 0xB1: { // INIT_POLL_NV_COND
      if (!need(3))
        return false;
      uint32_t reg, mask, value;
      if (!conditionEntry(u8(at + 1), at, reg, mask, value))
        return false;
      uint64_t timeout = uint64_t(u8(at + 2)) * 100'000'000;
      if (isParametric(reg)) {
        if (!opaque(f, at, 3, FlagUse::Honors, {reg, mask, value, u8(at + 2)}))
          return false;
        break;
      }
      if (!poll(f, at, 3, mmio(reg), 32, mask, value, timeout))
        return false;
      break;
    }
    case 0x55: { // INIT_POLL on an I/O condition
      if (!need(3))
        return false;
      uint8_t index = u8(at + 1);
      std::optional<uint64_t> found = ioConditionEntry(index, at);
      if (!found)
        return false;
      uint64_t entry = *found;
      uint16_t port = u16(entry);
      uint8_t ioIndex = u8(entry + 2);
      RegAttr reg = ioIndex == 0xFF ? io(port) : indexedIo(port, ioIndex);
      uint64_t timeout = uint64_t(u8(at + 2)) * 100'000'000;
      if (!reg) {
        if (!opaque(f, at, 3, FlagUse::Honors, {port, ioIndex, u8(at + 2)}))
          return false;
        break;
      }
      if (!poll(f, at, 3, reg, 8, u8(entry + 3), u8(entry + 4), timeout))
        return false;
      break;
    }

    //===----------------------------------------------------------------===//
    // Writes (W)
    //===----------------------------------------------------------------===//
    case 0x7A: // INIT_ZM_REG
      if (!need(9) || !regWrite(f, at, 9, u32(at + 1), u32(at + 5)))
        return false;
      break;
    case 0x77: // INIT_ZM_WREG (ZM_REG16)
      if (!need(7) || !regWrite(f, at, 7, u32(at + 1), u16(at + 5)))
        return false;
      break;
    case 0x58: { // INIT_REG_ARRAY (ZM_REG_SEQUENCE)
      std::optional<uint64_t> n = count(5);
      if (!n || !need(6 + 4 * *n))
        return false;
      uint32_t first = u32(at + 1);
      SmallVector<int64_t> values;
      for (uint64_t i = 0; i < *n; ++i)
        values.push_back(u32(at + 6 + 4 * i));
      if (values.empty())
        break;
      if (isParametric(first)) {
        SmallVector<int64_t> operands = {first};
        operands.append(values);
        if (!opaque(f, at, len, FlagUse::Honors, operands))
          return false;
        break;
      }
      if (!emit(f, at, FlagUse::Honors, [&] {
            BlockWriteOp::create(b, loc(at), mmio(first), width(32), i64(4),
                                 b.getDenseI64ArrayAttr(values), at,
                                 scriptIndex, std::nullopt);
          }))
        return false;
      break;
    }
    case 0x91: { // INIT_ZM_REG_REITERATE (ZM_REG_GROUP)
      std::optional<uint64_t> n = count(5);
      if (!n || !need(6 + 4 * *n))
        return false;
      for (uint64_t i = 0; i < *n; ++i)
        if (!regWrite(f, at, len, u32(at + 1), u32(at + 6 + 4 * i)))
          return false;
      break;
    }
    case 0xAF: { // INIT_NV_REG_ARRAY_REITERATE
      if (!need(3))
        return false;
      uint64_t k = u8(at + 1), c = u8(at + 2);
      if (!need(3 + 4 * c + 4 * c * k))
        return false;
      for (uint64_t block = 0; block < k; ++block)
        for (uint64_t j = 0; j < c; ++j)
          if (!regWrite(f, at, len, u32(at + 3 + 4 * j),
                        u32(at + 3 + 4 * c + 4 * (block * c + j))))
            return false;
      break;
    }
    case 0x6F: { // INIT_MACRO (§5.4, devinit.xml semantics)
      if (!need(2))
        return false;
      uint8_t index = u8(at + 1);
      if (!macroIndexTable || !macroTable) {
        error(at, opcodeLabel(op, at) + ": the ROM has no macro tables (BIT "
                                        "'I' +0x02, +0x04)");
        return false;
      }
      uint64_t entry = *macroIndexTable + 2 * uint64_t(index);
      if (!inFile(entry, 2)) {
        error(at, formatv("{0}: macro {1} lies outside the file",
                          opcodeLabel(op, at), index)
                      .str());
        return false;
      }
      uint64_t first = u8(entry), n = u8(entry + 1);
      if (first != index || n != 1)
        warning(at, formatv("{0}: macro index entry {1} is ({2}, {3}); "
                            "devinit.xml's reading (used here) and nouveau's "
                            "(the single macro {1}) differ",
                            opcodeLabel(op, at), index, first, n)
                        .str());
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t m = *macroTable + 8 * (first + i);
        if (!inFile(m, 8)) {
          error(at, formatv("{0}: macro table entry {1} lies outside the file",
                            opcodeLabel(op, at), first + i)
                        .str());
          return false;
        }
        if (!regWrite(f, at, 2, u32(m), u32(m + 4)))
          return false;
      }
      break;
    }
    case 0x49: { // INIT_INDEX_ADDRESS_LATCHED
      std::optional<uint64_t> n = count(17);
      if (!n || !need(18 + 2 * *n))
        return false;
      uint32_t ctrl = u32(at + 1), data = u32(at + 5), keep = u32(at + 9),
               orMask = u32(at + 13);
      for (uint64_t i = 0; i < *n; ++i) {
        uint8_t index = u8(at + 18 + 2 * i), value = u8(at + 19 + 2 * i);
        if (!regWrite(f, at, len, data, value) ||
            !regRmw(f, at, len, ctrl, keep, orMask | index))
          return false;
      }
      break;
    }
    case 0x65: { // INIT_RESET, as nouveau performs it; ignores the flag
      if (!need(13))
        return false;
      uint32_t reg = u32(at + 1), off = u32(at + 5), on = u32(at + 9);
      if (isParametric(reg)) {
        if (!opaque(f, at, 13, FlagUse::Ignores, {reg, off, on}))
          return false;
        break;
      }
      bool ok = emit(f, at, FlagUse::Ignores, [&] {
        ReadOp::create(b, loc(at), mmio(0x184C), width(32), IntegerAttr(), at,
                       scriptIndex, std::nullopt);
        RmwOp::create(b, loc(at), mmio(0x184C), width(32), i64(0xFFFFF0FF),
                      i64(0), at, scriptIndex, std::nullopt);
        WriteOp::create(b, loc(at), mmio(reg), width(32), i64(off), at,
                        scriptIndex, std::nullopt);
        DelayOp::create(b, loc(at), i64(10'000), at, scriptIndex,
                        std::nullopt);
        WriteOp::create(b, loc(at), mmio(reg), width(32), i64(on), at,
                        scriptIndex, std::nullopt);
        OpaqueOp::create(b, loc(at), "INIT_RESET.restore",
                         b.getDenseI64ArrayAttr({0x184C}),
                         b.getStringAttr(
                             llvm::toHex(rom.slice(at, 13), true)),
                         at, scriptIndex, std::nullopt);
        RmwOp::create(b, loc(at), mmio(0x1850), width(32), i64(0xFFFFFFFE),
                      i64(0), at, scriptIndex, std::nullopt);
      });
      if (!ok)
        return false;
      break;
    }
    case 0x50: { // INIT_TMDS_ARRAY
      if (!need(3))
        return false;
      uint8_t link = u8(at + 1);
      uint64_t n = u8(at + 2);
      if (!need(3 + 2 * n))
        return false;
      if (link >= 4) {
        SmallVector<int64_t> operands = {link};
        for (uint64_t i = 0; i < 2 * n; ++i)
          operands.push_back(u8(at + 3 + i));
        if (!opaque(f, at, len, FlagUse::Honors, operands))
          return false;
        break;
      }
      static const uint32_t bases[] = {0x6808B0, 0x6808B8, 0x6828B0, 0x6828B8};
      for (uint64_t i = 0; i < n; ++i)
        if (!write(f, at, mmio(bases[link] + 4), 32, u8(at + 4 + 2 * i)) ||
            !write(f, at, mmio(bases[link]), 32, u8(at + 3 + 2 * i)))
          return false;
      break;
    }
    case 0x4F: { // INIT_TMDS
      if (!need(5))
        return false;
      uint8_t link = u8(at + 1), index = u8(at + 2), andMask = u8(at + 3),
              orMask = u8(at + 4);
      if (link >= 4) {
        if (!opaque(f, at, 5, FlagUse::Honors, {link, index, andMask, orMask}))
          return false;
        break;
      }
      static const uint32_t bases[] = {0x6808B0, 0x6808B8, 0x6828B0, 0x6828B8};
      uint32_t base = bases[link];
      if (!write(f, at, mmio(base), 32, index | 0x10000) ||
          !rmw(f, at, mmio(base + 4), 32, andMask, orMask) ||
          !write(f, at, mmio(base), 32, index))
        return false;
      break;
    }

    //===----------------------------------------------------------------===//
    // Read-modify-writes (RMW)
    //===----------------------------------------------------------------===//
    case 0x6E: // INIT_NV_REG: R = (R & keep) | or
      if (!need(13) ||
          !regRmw(f, at, 13, u32(at + 1), u32(at + 5), u32(at + 9)))
        return false;
      break;
    case 0x47: // INIT_RESETBITS_NV_REG (ANDN_REG)
      if (!need(9) || !regRmw(f, at, 9, u32(at + 1), ~u32(at + 5), 0))
        return false;
      break;
    case 0x48: // INIT_SETBITS_NV_REG (OR_REG)
      if (!need(9) ||
          !regRmw(f, at, 9, u32(at + 1), 0xFFFFFFFF, u32(at + 5)))
        return false;
      break;

    //===----------------------------------------------------------------===//
    // VGA I/O
    //===----------------------------------------------------------------===//
    case 0x61: // INIT_ZM_IO
      if (!need(4) || !write(f, at, io(u16(at + 1)), 8, u8(at + 3)))
        return false;
      break;
    case 0x62: // INIT_ZM_INDEX_IO
      if (!need(5))
        return false;
      if (RegAttr reg = indexedIo(u16(at + 1), u8(at + 3))) {
        if (!write(f, at, reg, 8, u8(at + 4)))
          return false;
      } else if (!opaque(f, at, 5, FlagUse::Honors,
                         {u16(at + 1), u8(at + 3), u8(at + 4)})) {
        return false;
      }
      break;
    case 0x69: // INIT_IO: io = (io & and) | or
      if (!need(5) ||
          !rmw(f, at, io(u16(at + 1)), 8, u8(at + 3), u8(at + 4)))
        return false;
      break;
    case 0x78: // INIT_INDEX_IO
      if (!need(6))
        return false;
      if (RegAttr reg = indexedIo(u16(at + 1), u8(at + 3))) {
        if (!rmw(f, at, reg, 8, u8(at + 4), u8(at + 5)))
          return false;
      } else if (!opaque(f, at, 6, FlagUse::Honors,
                         {u16(at + 1), u8(at + 3), u8(at + 4), u8(at + 5)})) {
        return false;
      }
      break;
    case 0x52: // INIT_CRTC
      if (!need(4) || !rmw(f, at, crtc(u8(at + 1)), 8, u8(at + 2), u8(at + 3)))
        return false;
      break;
    case 0x53: // INIT_ZM_CRTC
      if (!need(3) || !write(f, at, crtc(u8(at + 1)), 8, u8(at + 2)))
        return false;
      break;
    case 0x54: { // INIT_CRTC_ZM_ARRAY
      std::optional<uint64_t> n = count(1);
      if (!n || !need(2 + 2 * *n))
        return false;
      for (uint64_t i = 0; i < *n; ++i)
        if (!write(f, at, crtc(u8(at + 2 + 2 * i)), 8, u8(at + 3 + 2 * i)))
          return false;
      break;
    }
    case 0x83: // INIT_RESETBITS_CRTC
      if (!need(3) ||
          !rmw(f, at, crtc(u8(at + 1)), 8, uint8_t(~u8(at + 2)), 0))
        return false;
      break;
    case 0x84: // INIT_SETBITS_CRTC
      if (!need(3) || !rmw(f, at, crtc(u8(at + 1)), 8, 0xFF, u8(at + 2)))
        return false;
      break;
    case 0x51: { // INIT_INDEXED_CRTC: CR[ireg] saved, then restored
      std::optional<uint64_t> n = count(4);
      if (!n || !need(5 + *n))
        return false;
      uint8_t ireg = u8(at + 1), dreg = u8(at + 2), index = u8(at + 3);
      bool ok = emit(f, at, FlagUse::Honors, [&] {
        ReadOp::create(b, loc(at), crtc(ireg), width(8), IntegerAttr(), at,
                       scriptIndex, std::nullopt);
      });
      for (uint64_t i = 0; ok && i < *n; ++i)
        ok = write(f, at, crtc(ireg), 8, uint8_t(index + i)) &&
             write(f, at, crtc(dreg), 8, u8(at + 5 + i));
      if (!ok || !opaque(f, at, len, FlagUse::Honors, {ireg},
                         "INIT_INDEXED_CRTC.restore"))
        return false;
      break;
    }

    //===----------------------------------------------------------------===//
    // Delays (D)
    //===----------------------------------------------------------------===//
    case 0x74: // INIT_TIME, microseconds
      if (!need(3) || !delay(f, at, uint64_t(u16(at + 1)) * 1000))
        return false;
      break;
    case 0x57: // INIT_TIME_MSEC (LTIME), milliseconds
      if (!need(3) || !delay(f, at, uint64_t(u16(at + 1)) * 1'000'000))
        return false;
      break;

    //===----------------------------------------------------------------===//
    // Selections by RAM configuration (Sel, §5.6)
    //===----------------------------------------------------------------===//
    case 0x8F: { // INIT_XMEMSEL_ZM_NV_REG_ARRAY
      std::optional<unsigned> rc = ramCount(at);
      std::optional<uint64_t> n = count(6);
      if (!rc || !n || !need(7 + 4 * *n * *rc))
        return false;
      uint32_t first = u32(at + 1);
      uint8_t stride = u8(at + 5);
      uint64_t length = len;
      if (!selectByRamcfg(
              f, at, [](unsigned) { return true; },
              [&](Frame &inner, unsigned r) {
            for (uint64_t i = 0; i < *n; ++i)
              if (!regWrite(inner, at, length, first + uint32_t(i * stride),
                            u32(at + 7 + 4 * (i * *rc + r))))
                return false;
            return true;
          }))
        return false;
      break;
    }
    case 0x85:   // INIT_XMEMSEL_SCREEN_ZM_NV_REG
    case 0x86: { // INIT_XMEMSEL_SCREEN_NV_REG
      std::optional<unsigned> rc = ramCount(at);
      if (!rc)
        return false;
      uint64_t head = op == 0x85 ? 5 : 9;
      uint64_t screenBytes = (*rc + 7) / 8;
      if (!need(head + screenBytes + 4 * *rc))
        return false;
      uint32_t reg = u32(at + 1);
      uint32_t keep = op == 0x86 ? u32(at + 5) : 0;
      uint64_t length = len;
      // A configuration whose screen bit is 0 writes nothing.
      auto screened = [&](unsigned r) {
        return (u8(at + head + r / 8) & (1u << (r % 8))) != 0;
      };
      if (!selectByRamcfg(f, at, screened, [&](Frame &inner, unsigned r) {
            uint32_t value = u32(at + head + screenBytes + 4 * r);
            return op == 0x85 ? regWrite(inner, at, length, reg, value)
                              : regRmw(inner, at, length, reg, keep, value);
          }))
        return false;
      break;
    }
    case 0x87: { // INIT_XMEMSEL_PLLID: PLL programming
      std::optional<unsigned> rc = ramCount(at);
      if (!rc || !need(2 + 4 * *rc))
        return false;
      SmallVector<int64_t> operands = {u8(at + 1)};
      for (unsigned r = 0; r < *rc; ++r)
        operands.push_back(u32(at + 2 + 4 * r));
      if (!opaque(f, at, len, FlagUse::Honors, operands))
        return false;
      break;
    }
    case 0x31: { // INIT_RESTRICT_PROG: dest = value[(R[cond] & mask) >> shift]
      std::optional<uint64_t> n = count(10);
      if (!n || !need(15 + 4 * *n))
        return false;
      uint32_t condReg = u32(at + 1), mask = u32(at + 5), dest = u32(at + 11);
      uint8_t shift = u8(at + 9);
      SmallVector<int64_t> operands = {condReg, mask, shift, dest};
      for (uint64_t i = 0; i < *n; ++i)
        operands.push_back(u32(at + 15 + 4 * i));
      // The device reads the selector once; an exact static form would need
      // a value-keyed selection, so the opcode stays opaque (with all
      // candidates as operands) unless the strap resolves it.
      if (condReg == kStrapRegister && ctx.options.strap && shift < 32) {
        uint64_t i = (*ctx.options.strap & mask) >> shift;
        if (i < *n) {
          if (!regWrite(f, at, len, dest, u32(at + 15 + 4 * i)))
            return false;
          break;
        }
      }
      if (!opaque(f, at, len, FlagUse::Honors, operands))
        return false;
      break;
    }
    case 0x32: { // INIT_IO_RESTRICT_PROG
      std::optional<uint64_t> n = count(6);
      if (!n || !need(11 + 4 * *n))
        return false;
      SmallVector<int64_t> operands = {u16(at + 1), u8(at + 3), u8(at + 4),
                                       u8(at + 5), u32(at + 7)};
      for (uint64_t i = 0; i < *n; ++i)
        operands.push_back(u32(at + 11 + 4 * i));
      if (!opaque(f, at, len, FlagUse::Honors, operands))
        return false;
      break;
    }

    //===----------------------------------------------------------------===//
    // Markers
    //===----------------------------------------------------------------===//
    case 0xAB: // INIT_NOP
    case 0x8B: // INIT_BREAK
      len = 1;
      break;
    case 0x8C: // INIT_RESET_BEGUN
    case 0x8D: // INIT_RESET_END
      len = 1;
      if (!emit(f, at, FlagUse::Ignores, [&] {
            NoteOp::create(b, loc(at), opcodeName(op), at, scriptIndex,
                           std::nullopt);
          }))
        return false;
      break;

    //===----------------------------------------------------------------===//
    // Opaque: values from registers, PLLs, external buses, hardware actions
    //===----------------------------------------------------------------===//
    default: {
      // Fixed-length opaque opcodes: length, flag use, operand layout
      // (sizes in bytes after the opcode).
      struct Fixed {
        uint8_t op;
        uint8_t length;
        FlagUse use;
        std::initializer_list<uint8_t> fields;
      };
      static const Fixed fixed[] = {
          {0x10, 9, FlagUse::Honors, {4, 4}},
          {0x11, 5, FlagUse::Honors, {4}},
          {0x12, 5, FlagUse::Honors, {4}},
          {0x13, 5, FlagUse::Honors, {4}},
          {0x14, 3, FlagUse::Honors, {1, 1}},
          {0x15, 5, FlagUse::Honors, {2, 1, 1}},
          {0x16, 2, FlagUse::Honors, {1}},
          {0x18, 2, FlagUse::Honors, {1}},
          {0x19, 2, FlagUse::Honors, {1}},
          {0x1A, 4, FlagUse::Honors, {2, 1}},
          {0x1B, 3, FlagUse::Ignores, {1, 1}},
          {0x1C, 2, FlagUse::Ignores, {1}},
          {0x1D, 3, FlagUse::Honors, {1, 1}},
          {0x1E, 5, FlagUse::Honors, {4}},
          {0x20, 10, FlagUse::Honors, {4, 4, 1}},
          {0x21, 6, FlagUse::Honors, {4, 1}},
          {0x22, 6, FlagUse::Honors, {4, 1}},
          {0x23, 6, FlagUse::Honors, {4, 1}},
          {0x24, 4, FlagUse::Honors, {1, 1, 1}},
          {0x25, 6, FlagUse::Honors, {2, 1, 1, 1}},
          {0x26, 3, FlagUse::Honors, {1, 1}},
          {0x28, 3, FlagUse::Honors, {1, 1}},
          {0x29, 3, FlagUse::Honors, {1, 1}},
          {0x2C, 6, FlagUse::Ignores, {4, 1}},
          {0x2D, 3, FlagUse::Ignores, {1, 1}},
          {0x2E, 6, FlagUse::Honors, {4, 1}},
          {0x37, 11, FlagUse::Honors, {4, 1, 1, 2, 1, 1}},
          {0x3B, 2, FlagUse::Ignores, {1}},
          {0x3C, 2, FlagUse::Ignores, {1}},
          {0x4B, 9, FlagUse::Honors, {4, 4}},
          {0x5F, 22, FlagUse::Honors, {4, 1, 4, 4, 4, 4}},
          {0x63, 1, FlagUse::Ignores, {}},
          {0x64, 11, FlagUse::Ignores, {2, 4, 4}},
          {0x70, 7, FlagUse::Ignores, {2, 1, 1, 1, 1}},
          {0x79, 7, FlagUse::Honors, {4, 2}},
          {0x7B, 6, FlagUse::Honors, {4, 1}},
          {0x7C, 6, FlagUse::Honors, {4, 1}},
          {0x7D, 6, FlagUse::Honors, {4, 1}},
          {0x7E, 3, FlagUse::Honors, {1, 1}},
          {0x7F, 3, FlagUse::Honors, {1, 1}},
          {0x80, 3, FlagUse::Honors, {1, 1}},
          {0x81, 3, FlagUse::Honors, {1, 1}},
          {0x82, 3, FlagUse::Honors, {1, 1}},
          {0x88, 6, FlagUse::Honors, {1, 4}},
          {0x8E, 1, FlagUse::Honors, {}},
          {0x90, 9, FlagUse::Honors, {4, 4}},
          {0x92, 1, FlagUse::Ignores, {}},
          {0x95, 9, FlagUse::Honors, {4, 4}},
          {0x96, 17, FlagUse::Honors, {4, 1, 1, 1, 4, 4, 1}},
          {0x97, 13, FlagUse::Honors, {4, 4, 4}},
          {0x9C, 5, FlagUse::Honors, {4}},
          {0x9D, 5, FlagUse::Honors, {4}},
          {0x9E, 1, FlagUse::Ignores, {}},
          {0xA6, 8, FlagUse::Honors, {4, 1, 1, 1}},
      };
      const Fixed *known = nullptr;
      for (const Fixed &entry : fixed)
        if (entry.op == op)
          known = &entry;
      if (known) {
        if (!need(known->length))
          return false;
        SmallVector<int64_t> operands;
        uint64_t p = at + 1;
        for (uint8_t size : known->fields) {
          operands.push_back(size == 1   ? u8(p)
                             : size == 2 ? u16(p)
                                         : u32(p));
          p += size;
        }
        if (!opaque(f, at, known->length, known->use, operands))
          return false;
        break;
      }
      // Variable-length opaque opcodes: (count offset, fixed part, bytes per
      // count unit).
      struct Variable {
        uint8_t op;
        uint8_t countAt;
        uint8_t head;
        uint8_t unit;
      };
      static const Variable variable[] = {
          {0x34, 7, 12, 2}, // INIT_IO_RESTRICT_PLL
          {0x4A, 6, 11, 4}, // INIT_IO_RESTRICT_PLL32
          {0x4C, 3, 4, 3},  // INIT_NV_ALTERNATING_I2CREG
          {0x4D, 3, 4, 2},  // INIT_ZM_ALTERNATING_I2CREG
          {0x4E, 3, 4, 1},  // INIT_ZM_AUTOINC_I2CREG
          {0x8A, 6, 8, 4},  // INIT_IO_RESTRICT_PLLID
          {0x98, 5, 6, 2},  // INIT_DPCD_REG
          {0x99, 5, 6, 1},  // INIT_ZM_DPCD_REG
          {0xA1, 3, 12, 4}, // INIT_RESTRICT_XLAT_VFIELD
          {0xA2, 3, 13, 1}, // INIT_RESTRICT_XLAT_VFIELD_BYTE
          {0xA3, 3, 5, 2},  // INIT_RESTRICT_XLAT_VFIELD_PLL
          {0xA4, 3, 5, 4},  // INIT_RESTRICT_XLAT_VFIELD_PLL32
          {0xA8, 1, 2, 1},  // INIT_GPIO_INCLUDE_ARRAY
          {0xA9, 1, 2, 1},  // INIT_GPIO_EXCLUDE_ARRAY
          {0xB3, 3, 4, 3},  // INIT_ZM_ALTERNATING16_I2CREG
      };
      const Variable *var = nullptr;
      for (const Variable &entry : variable)
        if (entry.op == op)
          var = &entry;
      if (var) {
        std::optional<uint64_t> n = count(var->countAt);
        if (!n || !need(var->head + var->unit * *n))
          return false;
        SmallVector<int64_t> operands;
        for (uint64_t i = at + 1; i < at + len; ++i)
          operands.push_back(u8(i));
        if (!opaque(f, at, len, FlagUse::Honors, operands))
          return false;
        break;
      }
      if (op == 0x59 || op == 0x5A) {
        error(at, opcodeLabel(op, at) +
                      ": devinit.xml and nouveau give this opcode different "
                      "layouts; it is not decoded (the script ends here)");
        return false;
      }
      error(at, formatv("unknown opcode {0:x-2} at {1:x}; the script ends "
                        "here (an opcode's length cannot be guessed)",
                        op, at)
                    .str());
      return false;
    }
    }
    if (len == 0) {
      error(at, opcodeLabel(op, at) + ": internal error: no length");
      return false;
    }
    pc = at + len;
  }
}

bool DevinitImporter::importScript(StringRef name, uint64_t start,
                                   int64_t index,
                                   ArrayRef<NamedAttribute> extra) {
  if (!ctx.options.devinitPost || !seq) {
    SmallVector<NamedAttribute> attrs(extra.begin(), extra.end());
    if (!ctx.options.devinitPost) {
      attrs.push_back(b.getNamedAttr("script", b.getI64IntegerAttr(index)));
      attrs.push_back(b.getNamedAttr("script_offset",
                                     b.getI64IntegerAttr(int64_t(start))));
    }
    seq = ctx.createSequence(ctx.options.devinitPost ? "post" : name,
                             "nvidia-devinit", attrs);
    steps = 0;
    opsEmitted = 0;
  }
  scriptIndex = index;
  sequenceFailed = false;
  callStack.assign({start});
  jumpStack.clear();
  blockStarts.insert(start);
  Frame frame({&seq.getBodyBlock()});
  bool ok = runScript(start, frame, 0);
  // Else blocks no path reached stay empty: drop them.
  seq.walk([](ConditionOp cond) {
    Region &region = cond.getElseBody();
    if (!region.empty() && region.front().getOperations().size() == 1)
      region.front().erase();
  });
  if (!ok || sequenceFailed)
    seq.setIncomplete(true);
  return ok && !sequenceFailed;
}

LogicalResult DevinitImporter::run() {
  const BitInitTable &init = *bit.init;
  auto field = [&](StringRef name) -> std::optional<uint64_t> {
    for (const BitInitPointer &p : init.pointers)
      if (p.name == name && p.value != 0)
        return p.fileOffset;
    return std::nullopt;
  };
  conditionTable = field("condition_table");
  ioConditionTable = field("io_condition_table");
  ioFlagConditionTable = field("io_flag_condition_table");
  macroIndexTable = field("macro_index_table");
  macroTable = field("macro_table");
  scriptTable.assign(init.scripts.begin(), init.scripts.end());

  bool ok = true;
  unsigned scripts = 0;
  SmallVector<NamedAttribute> extra;
  if (bit.ramConfigCount)
    extra.push_back(
        b.getNamedAttr("ram_configs", b.getI64IntegerAttr(*bit.ramConfigCount)));
  for (auto [i, ptr] : llvm::enumerate(scriptTable)) {
    std::optional<uint64_t> start = bitPointerToFile(ctx.layout, ptr);
    if (!start || *start >= rom.size()) {
      ctx.error(bit.offset, formatv("init script {0}: pointer {1:x} is outside "
                                    "the file",
                                    i, ptr)
                                .str());
      ok = false;
      continue;
    }
    ok &= importScript(formatv("script{0}", i).str(), *start, int64_t(i),
                       extra);
    ++scripts;
  }
  for (const BitInitPointer &p : init.pointers) {
    if (p.name != "private_boot_script" || p.value == 0)
      continue;
    if (!p.fileOffset || *p.fileOffset >= rom.size()) {
      ctx.error(bit.offset, formatv("private boot script: pointer {0:x} is "
                                    "outside the file",
                                    p.value)
                                .str());
      ok = false;
      continue;
    }
    ok &= importScript("boot_script", *p.fileOffset,
                       int64_t(scriptTable.size()), extra);
    ++scripts;
  }
  ctx.report({Severity::Remark, bit.offset,
              formatv("NVIDIA devinit: {0} script(s) from {1} script "
                      "block(s), {2} distinct opcode(s) decoded",
                      scripts, blockStarts.size(), decodedOpcodes.size())
                  .str()});
  if (scriptTable.empty() && !field("private_boot_script"))
    ctx.warning(bit.offset, "BIT 'I': the ROM has no devinit script (an empty "
                            "script table is valid on GPUs whose firmware "
                            "does devinit)");
  return success(ok);
}

LogicalResult gpuinit::rom::importNvidiaDevinit(const ImageImportContext &ctx,
                                                const BitTable &bit) {
  if (!bit.init)
    return success();
  return DevinitImporter(ctx, bit).run();
}
