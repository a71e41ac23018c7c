//===- AtomBIOS.cpp - AMD AtomBIOS header and command-table importer ------===//
//
// Finds the AtomBIOS ROM header of an AMD x86 option-ROM image with its
// master command and data tables (`--rom-info`), and imports one command
// table as an initseq sequence by abstract interpretation of its bytecode
// (`--import-rom`). docs/ROM.md, "AMD AtomBIOS", describes the format, the
// model and the output.
//
//===----------------------------------------------------------------------===//
//
// The interpreter follows the semantics of the AtomBIOS interpreter of the
// Linux amdgpu/radeon drivers (the only public one) instruction by
// instruction: operand encodings, alignment of partial-dword operands, the
// register index rule (a dword index into the register BAR plus the
// SET_REG_BLOCK base), the workspace and parameter-space layout of nested
// CALL_TABLEs. Values are tracked as known bits: parameters and workspace
// are concrete where the ROM makes them so and unknown otherwise; register
// reads are always unknown. Whatever cannot be expressed exactly becomes an
// `initseq.opaque` op with the decoded operands, and a jump that depends on
// an unknown value stops the import (the sequence is marked `incomplete`).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"
#include "gpuinit/Target/ROMImport.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::rom;
using llvm::formatv;

namespace {

//===----------------------------------------------------------------------===//
// Format constants
//===----------------------------------------------------------------------===//

/// The ATI magic string at image +0x30.
constexpr llvm::StringLiteral kAtiMagic = " 761295520";
constexpr uint64_t kAtiMagicOffset = 0x30;
/// The image word holding the ROM header pointer.
constexpr uint64_t kHeaderPointerOffset = 0x48;
/// The smallest ROM header (format 1.1) and the v2.x fields after it.
constexpr uint16_t kHeaderV1Size = 0x24;
constexpr uint16_t kHeaderV2Size = 0x2C;
/// A command table header: size, format/content revision, WS, PS.
constexpr uint64_t kCommandHeaderSize = 6;
/// Most master command table entries read: CALL_TABLE indices are bytes.
constexpr unsigned kMaxCommandTables = 256;
/// Master data table entry of FirmwareInfo (default clocks for ASIC_Init).
constexpr unsigned kFirmwareInfoEntry = 4;
/// The MMIO BAR holding the register aperture (amdgpu, CIK and later).
constexpr uint32_t kRegisterBar = 5;
/// Linux aborts a table that keeps jumping to the same target this long.
constexpr int64_t kLoopTimeoutNs = 20'000'000'000;

/// The standard names of the master command table entries, in order
/// (atombios.h, ATOM_MASTER_LIST_OF_COMMAND_TABLES).
constexpr std::array<llvm::StringLiteral, 81> kCommandTableNames = {
    "ASIC_Init",
    "GetDisplaySurfaceSize",
    "ASIC_RegistersInit",
    "VRAM_BlockVenderDetection",
    "DIGxEncoderControl",
    "MemoryControllerInit",
    "EnableCRTCMemReq",
    "MemoryParamAdjust",
    "DVOEncoderControl",
    "GPIOPinControl",
    "SetEngineClock",
    "SetMemoryClock",
    "SetPixelClock",
    "EnableDispPowerGating",
    "ResetMemoryDLL",
    "ResetMemoryDevice",
    "MemoryPLLInit",
    "AdjustDisplayPll",
    "AdjustMemoryController",
    "EnableASIC_StaticPwrMgt",
    "SetUniphyInstance",
    "DAC_LoadDetection",
    "LVTMAEncoderControl",
    "HW_Misc_Operation",
    "DAC1EncoderControl",
    "DAC2EncoderControl",
    "DVOOutputControl",
    "CV1OutputControl",
    "GetConditionalGoldenSetting",
    "SMC_Init",
    "PatchMCSetting",
    "MC_SEQ_Control",
    "Gfx_Harvesting",
    "EnableScaler",
    "BlankCRTC",
    "EnableCRTC",
    "GetPixelClock",
    "EnableVGA_Render",
    "GetSCLKOverMCLKRatio",
    "SetCRTC_Timing",
    "SetCRTC_OverScan",
    "SetCRTC_Replication",
    "SelectCRTC_Source",
    "EnableGraphSurfaces",
    "UpdateCRTC_DoubleBufferRegisters",
    "LUT_AutoFill",
    "EnableHW_IconCursor",
    "GetMemoryClock",
    "GetEngineClock",
    "SetCRTC_UsingDTDTiming",
    "ExternalEncoderControl",
    "LVTMAOutputControl",
    "VRAM_BlockDetectionByStrap",
    "MemoryCleanUp",
    "ProcessI2cChannelTransaction",
    "WriteOneByteToHWAssistedI2C",
    "ReadHWAssistedI2CStatus",
    "SpeedFanControl",
    "PowerConnectorDetection",
    "MC_Synchronization",
    "ComputeMemoryEnginePLL",
    "MemoryRefreshConversion",
    "VRAM_GetCurrentInfoBlock",
    "DynamicMemorySettings",
    "MemoryTraining",
    "EnableSpreadSpectrumOnPPLL",
    "TMDSAOutputControl",
    "SetVoltage",
    "DAC1OutputControl",
    "ReadEfuseValue",
    "ComputeMemoryClockParam",
    "ClockSource",
    "MemoryDeviceInit",
    "GetDispObjectInfo",
    "DIG1EncoderControl",
    "DIG2EncoderControl",
    "DIG1TransmitterControl",
    "DIG2TransmitterControl",
    "ProcessAuxChannelTransaction",
    "DPEncoderService",
    "GetVoltageInfo",
};

llvm::StringRef commandTableName(unsigned index) {
  if (index < kCommandTableNames.size())
    return kCommandTableNames[index];
  return {};
}

/// "0 (ASIC_Init)", or "83 (unnamed)" past the standard names.
std::string tableLabel(unsigned index) {
  llvm::StringRef name = commandTableName(index);
  return name.empty() ? formatv("{0} (unnamed)", index).str()
                      : formatv("{0} ({1})", index, name).str();
}

//===----------------------------------------------------------------------===//
// Bounded reads
//===----------------------------------------------------------------------===//

struct Bytes {
  llvm::ArrayRef<uint8_t> data;

  bool has(uint64_t offset, uint64_t size) const {
    return offset <= data.size() && size <= data.size() - offset;
  }
  std::optional<uint8_t> u8(uint64_t offset) const {
    if (!has(offset, 1))
      return std::nullopt;
    return data[offset];
  }
  std::optional<uint16_t> u16(uint64_t offset) const {
    if (!has(offset, 2))
      return std::nullopt;
    return uint16_t(data[offset] | data[offset + 1] << 8);
  }
  std::optional<uint32_t> u32(uint64_t offset) const {
    if (!has(offset, 4))
      return std::nullopt;
    return uint32_t(data[offset]) | uint32_t(data[offset + 1]) << 8 |
           uint32_t(data[offset + 2]) << 16 | uint32_t(data[offset + 3]) << 24;
  }
};

/// A pointer and where it lands, for messages: "0x1234 (file 0x1234)".
std::string pointerAt(uint16_t pointer, uint64_t base) {
  return formatv("{0:x} (file {1:x})", pointer, base + pointer).str();
}

//===----------------------------------------------------------------------===//
// ROM header and master tables
//===----------------------------------------------------------------------===//

bool hasMagic(Bytes rom, const RomImage &image) {
  if (image.codeType != CodeTypeX86 ||
      !rom.has(image.offset + kAtiMagicOffset, kAtiMagic.size()))
    return false;
  return llvm::equal(rom.data.slice(image.offset + kAtiMagicOffset,
                                    kAtiMagic.size()),
                     kAtiMagic.bytes());
}

/// The boot-up message: printable ASCII from `offset` after leading CR/LF,
/// up to NUL, CR or LF (at most 256 bytes), trailing blanks removed;
/// other bytes as \xNN.
std::string bootupMessage(Bytes rom, uint64_t offset) {
  std::string text;
  uint64_t end = std::min<uint64_t>(rom.data.size(), offset + 256);
  uint64_t i = offset;
  while (i < end && (rom.data[i] == '\r' || rom.data[i] == '\n'))
    ++i;
  for (; i < end; ++i) {
    uint8_t c = rom.data[i];
    if (c == 0 || c == '\r' || c == '\n')
      break;
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
      text.push_back(char(c));
    else
      text += formatv("\\x{0:x-2}", c).str();
  }
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

/// Decodes the ROM header of `image` (which has the ATI magic). Header
/// problems are warnings to `handler`; nullopt when the header is unusable.
std::optional<AtomInfo> parseAtom(Bytes rom, const RomImage &image,
                                  RomDiagnosticHandler handler) {
  auto warn = [&](uint64_t offset, const llvm::Twine &message) {
    handler({Severity::Warning, offset, ("AtomBIOS: " + message).str()});
  };
  uint64_t base = image.offset;
  AtomInfo atom;
  atom.image = image.index;
  atom.imageOffset = base;
  std::optional<uint16_t> headerPointer = rom.u16(base + kHeaderPointerOffset);
  if (!headerPointer) {
    warn(base + kHeaderPointerOffset,
         "the ROM header pointer at image +0x48 is past the end of the file");
    return std::nullopt;
  }
  atom.headerPointer = *headerPointer;
  uint64_t header = base + *headerPointer;
  atom.headerOffset = header;
  if (!rom.has(header, kHeaderV1Size)) {
    warn(base + kHeaderPointerOffset,
         "ROM header pointer " + pointerAt(*headerPointer, base) +
             ": the 0x24-byte header runs past the end of the file");
    return std::nullopt;
  }
  if (!llvm::equal(rom.data.slice(header + 4, 4),
                   llvm::StringRef("ATOM").bytes())) {
    warn(header + 4, "no \"ATOM\" signature in the ROM header at " +
                         pointerAt(*headerPointer, base));
    return std::nullopt;
  }
  auto word = [&](unsigned field) { return *rom.u16(header + field); };
  atom.structureSize = word(0);
  atom.formatRevision = rom.data[header + 2];
  atom.contentRevision = rom.data[header + 3];
  atom.biosRuntimeSegment = word(0x08);
  atom.protectedModeInfo = word(0x0A);
  atom.configFilename = word(0x0C);
  atom.crcBlock = word(0x0E);
  atom.bootupMessage = word(0x10);
  atom.int10 = word(0x12);
  atom.pciBusDevInitCode = word(0x14);
  atom.ioBaseAddress = word(0x16);
  atom.subsystemVendorId = word(0x18);
  atom.subsystemId = word(0x1A);
  atom.pciInfo = word(0x1C);
  atom.masterCommandTable = word(0x1E);
  atom.masterDataTable = word(0x20);
  atom.extendedFunctionCode = rom.data[header + 0x22];
  if (atom.structureSize < kHeaderV1Size)
    warn(header, formatv("ROM header structure size {0:x} is below the 0x24 "
                         "bytes of format 1.1",
                         atom.structureSize));
  if (atom.structureSize >= kHeaderV2Size) {
    if (rom.has(header, kHeaderV2Size)) {
      atom.pspDirTable = rom.u32(header + 0x24);
      atom.vendorId = word(0x28);
      atom.deviceId = word(0x2A);
    } else {
      warn(header, formatv("ROM header of {0:x} bytes runs past the end of "
                           "the file",
                           atom.structureSize));
    }
  }

  if (atom.bootupMessage) {
    if (rom.has(base + atom.bootupMessage, 1))
      atom.bootupMessageText = bootupMessage(rom, base + atom.bootupMessage);
    else
      warn(header + 0x10, "boot-up message pointer " +
                              pointerAt(atom.bootupMessage, base) +
                              " is past the end of the file");
  }

  // Master command table: a common header and one word per table.
  if (!atom.masterCommandTable) {
    warn(header + 0x1E, "no master command table (pointer 0)");
  } else if (!rom.has(base + atom.masterCommandTable, 4)) {
    warn(header + 0x1E, "master command table pointer " +
                            pointerAt(atom.masterCommandTable, base) +
                            " is past the end of the file");
  } else {
    uint64_t table = base + atom.masterCommandTable;
    atom.commandTableOffset = table;
    atom.commandTableSize = *rom.u16(table);
    atom.commandTableFormatRevision = rom.data[table + 2];
    atom.commandTableContentRevision = rom.data[table + 3];
    unsigned entries =
        atom.commandTableSize < 4 ? 0 : (atom.commandTableSize - 4) / 2;
    if (atom.commandTableSize < 4 || atom.commandTableSize % 2)
      warn(table, formatv("master command table structure size {0:x} is not "
                          "4 plus a whole number of words",
                          atom.commandTableSize));
    // CALL_TABLE takes a byte: no table past the 256th can run.
    if (entries > kMaxCommandTables) {
      warn(table, formatv("master command table declares {0} entries; only "
                          "the first {1} (what CALL_TABLE can address) are "
                          "read",
                          entries, kMaxCommandTables));
      entries = kMaxCommandTables;
    }
    for (unsigned i = 0; i < entries; ++i) {
      uint64_t entry = table + 4 + 2 * uint64_t(i);
      std::optional<uint16_t> pointer = rom.u16(entry);
      if (!pointer) {
        warn(entry, formatv("master command table: {0} entries declared, "
                            "only {1} inside the file",
                            entries, i));
        break;
      }
      AtomCommandTable command;
      command.index = i;
      command.name = commandTableName(i);
      command.pointer = *pointer;
      if (*pointer) {
        uint64_t at = base + *pointer;
        if (!rom.has(at, kCommandHeaderSize)) {
          warn(entry, "command table " + tableLabel(i) + " pointer " +
                          pointerAt(*pointer, base) +
                          ": its header is past the end of the file");
        } else {
          command.offset = at;
          command.size = *rom.u16(at);
          command.formatRevision = rom.data[at + 2];
          command.contentRevision = rom.data[at + 3];
          command.workspaceSize = rom.data[at + 4];
          command.parameterSize = rom.data[at + 5] & 0x7F;
          command.updatedByUtility = rom.data[at + 5] & 0x80;
          if (command.size < kCommandHeaderSize)
            warn(at, formatv("command table {0}: structure size {1:x} is "
                             "smaller than its 6-byte header",
                             tableLabel(i), command.size));
          else if (!rom.has(at, command.size))
            warn(at, formatv("command table {0}: {1:x} bytes from {2:x} run "
                             "past the end of the file",
                             tableLabel(i), command.size, at));
        }
      }
      atom.commandTables.push_back(command);
    }
  }

  if (!atom.masterDataTable) {
    warn(header + 0x20, "no master data table (pointer 0)");
  } else if (!rom.has(base + atom.masterDataTable, 4)) {
    warn(header + 0x20, "master data table pointer " +
                            pointerAt(atom.masterDataTable, base) +
                            " is past the end of the file");
  } else {
    uint64_t table = base + atom.masterDataTable;
    atom.dataTableOffset = table;
    atom.dataTableSize = *rom.u16(table);
    atom.dataTableFormatRevision = rom.data[table + 2];
    atom.dataTableContentRevision = rom.data[table + 3];
    atom.dataTableEntries =
        atom.dataTableSize < 4 ? 0 : (atom.dataTableSize - 4) / 2;
    if (!rom.has(table, atom.dataTableSize))
      warn(table, formatv("master data table: {0:x} bytes from {1:x} run "
                          "past the end of the file",
                          atom.dataTableSize, table));
  }
  return atom;
}

//===----------------------------------------------------------------------===//
// Opcodes
//===----------------------------------------------------------------------===//

/// Argument (operand) types of the attribute byte and of the opcode table.
enum ArgType : uint8_t {
  ArgREG = 0,
  ArgPS = 1,
  ArgWS = 2,
  ArgFB = 3,
  ArgID = 4,
  ArgIMM = 5,
  ArgPLL = 6,
  ArgMC = 7,
};
constexpr llvm::StringLiteral kArgNames[8] = {"REG", "PS",  "WS",  "FB",
                                              "ID",  "IMM", "PLL", "MC"};

/// Alignments (the attribute's source-alignment encoding).
constexpr uint32_t kAlignMask[8] = {0xFFFFFFFF, 0x0000FFFF, 0x00FFFF00,
                                    0xFFFF0000, 0x000000FF, 0x0000FF00,
                                    0x00FF0000, 0xFF000000};
constexpr unsigned kAlignShift[8] = {0, 0, 8, 16, 0, 8, 16, 24};
/// Bytes of an immediate of each alignment.
constexpr unsigned kAlignBytes[8] = {4, 2, 2, 2, 1, 1, 1, 1};
/// Destination alignment from (source alignment, destination selector).
constexpr uint8_t kDstAlign[8][4] = {{0, 0, 0, 0}, {1, 2, 3, 0}, {1, 2, 3, 0},
                                     {1, 2, 3, 0}, {4, 5, 6, 7}, {4, 5, 6, 7},
                                     {4, 5, 6, 7}, {4, 5, 6, 7}};

/// Special workspace indices (global interpreter registers).
enum WorkspaceSpecial : uint8_t {
  WsQuotient = 0x40,
  WsRemainder = 0x41,
  WsDataPtr = 0x42,
  WsShift = 0x43,
  WsOrMask = 0x44,
  WsAndMask = 0x45,
  WsFbWindow = 0x46,
  WsAttributes = 0x47,
  WsRegPtr = 0x48,
};

enum class Kind : uint8_t {
  Invalid,
  Move,
  And,
  Or,
  ShiftLeft,
  ShiftRight,
  Mul,
  Div,
  Add,
  Sub,
  SetPort,
  SetRegBlock,
  SetFbBase,
  Compare,
  Switch,
  Jump,
  Test,
  Delay,
  CallTable,
  Repeat,
  Clear,
  Nop,
  Eot,
  Mask,
  PostCard,
  Beep,
  SaveReg,
  RestoreReg,
  SetDataBlock,
  Xor,
  Shl,
  Shr,
  Debug,
  ProcessDs,
  Mul32,
  Div32,
};

/// Jump conditions, in opcode order from 0x43.
enum class Cond : uint8_t {
  Always,
  Equal,
  Below,
  Above,
  BelowOrEqual,
  AboveOrEqual,
  NotEqual
};
/// I/O ports of SET_*_PORT, in opcode order from 0x37.
enum Port : uint8_t { PortATI = 0, PortPCI = 1, PortSYSIO = 2 };
/// I/O modes (what REG operands address).
enum IoMode : unsigned { IoMM = 0, IoPCI = 1, IoSYSIO = 2, IoIIO = 0x80 };

struct OpInfo {
  Kind kind = Kind::Invalid;
  /// Destination type, jump condition, port or delay unit (1 = ms).
  uint8_t arg = 0;
  std::string name;
};

/// Number of opcodes of the interpreter (1..126 valid).
constexpr unsigned kOpcodeCount = 127;

const std::array<OpInfo, kOpcodeCount> &opcodeTable() {
  static const std::array<OpInfo, kOpcodeCount> table = [] {
    std::array<OpInfo, kOpcodeCount> t;
    static constexpr uint8_t kDsts[6] = {ArgREG, ArgPS, ArgWS,
                                         ArgFB,  ArgPLL, ArgMC};
    auto family = [&](unsigned first, Kind kind, llvm::StringRef name) {
      for (unsigned i = 0; i < 6; ++i)
        t[first + i] = {kind, kDsts[i],
                        (name + "_" + kArgNames[kDsts[i]]).str()};
    };
    auto single = [&](unsigned op, Kind kind, uint8_t arg,
                      llvm::StringRef name) { t[op] = {kind, arg, name.str()}; };
    family(0x01, Kind::Move, "MOVE");
    family(0x07, Kind::And, "AND");
    family(0x0D, Kind::Or, "OR");
    family(0x13, Kind::ShiftLeft, "SHIFT_LEFT");
    family(0x19, Kind::ShiftRight, "SHIFT_RIGHT");
    family(0x1F, Kind::Mul, "MUL");
    family(0x25, Kind::Div, "DIV");
    family(0x2B, Kind::Add, "ADD");
    family(0x31, Kind::Sub, "SUB");
    single(0x37, Kind::SetPort, PortATI, "SET_ATI_PORT");
    single(0x38, Kind::SetPort, PortPCI, "SET_PCI_PORT");
    single(0x39, Kind::SetPort, PortSYSIO, "SET_SYSIO_PORT");
    single(0x3A, Kind::SetRegBlock, 0, "SET_REG_BLOCK");
    single(0x3B, Kind::SetFbBase, 0, "SET_FB_BASE");
    family(0x3C, Kind::Compare, "COMPARE");
    single(0x42, Kind::Switch, 0, "SWITCH");
    static constexpr llvm::StringLiteral kJumps[7] = {
        "JUMP",       "JUMP_EQUAL",          "JUMP_BELOW",
        "JUMP_ABOVE", "JUMP_BELOW_OR_EQUAL", "JUMP_ABOVE_OR_EQUAL",
        "JUMP_NOT_EQUAL"};
    for (unsigned i = 0; i < 7; ++i)
      single(0x43 + i, Kind::Jump, i, kJumps[i]);
    family(0x4A, Kind::Test, "TEST");
    single(0x50, Kind::Delay, 1, "DELAY_MILLISEC");
    single(0x51, Kind::Delay, 0, "DELAY_MICROSEC");
    single(0x52, Kind::CallTable, 0, "CALL_TABLE");
    single(0x53, Kind::Repeat, 0, "REPEAT");
    family(0x54, Kind::Clear, "CLEAR");
    single(0x5A, Kind::Nop, 0, "NOP");
    single(0x5B, Kind::Eot, 0, "EOT");
    family(0x5C, Kind::Mask, "MASK");
    single(0x62, Kind::PostCard, 0, "POST_CARD");
    single(0x63, Kind::Beep, 0, "BEEP");
    single(0x64, Kind::SaveReg, 0, "SAVE_REG");
    single(0x65, Kind::RestoreReg, 0, "RESTORE_REG");
    single(0x66, Kind::SetDataBlock, 0, "SET_DATA_BLOCK");
    family(0x67, Kind::Xor, "XOR");
    family(0x6D, Kind::Shl, "SHL");
    family(0x73, Kind::Shr, "SHR");
    single(0x79, Kind::Debug, 0, "DEBUG");
    single(0x7A, Kind::ProcessDs, 0, "PROCESS_DS");
    single(0x7B, Kind::Mul32, ArgPS, "MUL32_PS");
    single(0x7C, Kind::Mul32, ArgWS, "MUL32_WS");
    single(0x7D, Kind::Div32, ArgPS, "DIV32_PS");
    single(0x7E, Kind::Div32, ArgWS, "DIV32_WS");
    return t;
  }();
  return table;
}

/// Whether instructions of `kind` have the attribute-byte operand form.
bool hasDataOperands(Kind kind) {
  switch (kind) {
  case Kind::Move:
  case Kind::And:
  case Kind::Or:
  case Kind::Mul:
  case Kind::Div:
  case Kind::Add:
  case Kind::Sub:
  case Kind::Compare:
  case Kind::Test:
  case Kind::Xor:
  case Kind::Shl:
  case Kind::Shr:
  case Kind::Mul32:
  case Kind::Div32:
  case Kind::Mask:
  case Kind::ShiftLeft:
  case Kind::ShiftRight:
  case Kind::Clear:
    return true;
  default:
    return false;
  }
}

/// Size of an operand of `type` (immediates: of `align`).
unsigned operandBytes(uint8_t type, uint8_t align) {
  switch (type) {
  case ArgREG:
  case ArgID:
    return 2;
  case ArgIMM:
    return kAlignBytes[align];
  default:
    return 1;
  }
}

/// One decoded instruction.
struct Instr {
  /// File offset of the opcode and one past the instruction.
  uint64_t at = 0;
  uint64_t end = 0;
  uint8_t opcode = 0;
  const OpInfo *info = nullptr;
  /// Data instructions: the attribute byte, the destination type (from the
  /// opcode), operand alignments and the source type.
  uint8_t attr = 0;
  uint8_t dstType = 0;
  uint8_t dstAlign = 0;
  uint8_t srcType = 0;
  uint8_t srcAlign = 0;
  bool hasSrc = false;
  /// Destination index, source index or immediate, MASK mask or SHIFT count;
  /// other instructions: their single operand (jump target, delay, table
  /// index, port, register block, data block, byte count).
  uint32_t dst = 0;
  uint32_t src = 0;
  uint32_t extra = 0;
  /// SWITCH: (case value, target) pairs.
  llvm::SmallVector<std::pair<uint32_t, uint16_t>, 4> cases;

  Kind kind() const { return info->kind; }
  llvm::StringRef name() const { return info->name; }
};

/// Decodes the instruction at `at`, which must end by `end`; on failure
/// returns the message.
FailureOr<Instr> decode(Bytes rom, uint64_t at, uint64_t end,
                        std::string &message) {
  Instr in;
  in.at = at;
  uint64_t pos = at;
  bool truncated = false;
  auto take = [&](unsigned bytes) -> uint32_t {
    if (truncated || pos + bytes > end) {
      truncated = true;
      return 0;
    }
    uint32_t value = 0;
    for (unsigned i = 0; i < bytes; ++i)
      value |= uint32_t(rom.data[pos + i]) << (8 * i);
    pos += bytes;
    return value;
  };
  in.opcode = uint8_t(take(1));
  if (truncated) {
    message = "no opcode before the end of the table";
    return failure();
  }
  if (in.opcode == 0 || in.opcode >= kOpcodeCount) {
    message = formatv("unknown opcode {0:x-2}", in.opcode).str();
    return failure();
  }
  in.info = &opcodeTable()[in.opcode];
  Kind kind = in.kind();
  if (hasDataOperands(kind)) {
    in.attr = uint8_t(take(1));
    in.dstType = in.info->arg;
    in.srcType = in.attr & 7;
    in.srcAlign = (in.attr >> 3) & 7;
    bool fixedAlign = kind == Kind::ShiftLeft || kind == Kind::ShiftRight ||
                      kind == Kind::Clear;
    in.dstAlign = fixedAlign ? in.srcAlign : kDstAlign[in.srcAlign][in.attr >> 6];
    in.dst = take(operandBytes(in.dstType, in.dstAlign));
    if (kind == Kind::Mask)
      in.extra = take(kAlignBytes[in.srcAlign]);
    if (kind == Kind::ShiftLeft || kind == Kind::ShiftRight)
      in.extra = take(1);
    in.hasSrc = !fixedAlign;
    if (in.hasSrc)
      in.src = take(operandBytes(in.srcType, in.srcAlign));
  } else {
    switch (kind) {
    case Kind::SetPort:
      in.dst = take(in.info->arg == PortATI ? 2 : 1);
      break;
    case Kind::SetRegBlock:
    case Kind::Jump:
      in.dst = take(2);
      break;
    case Kind::Delay:
    case Kind::CallTable:
    case Kind::PostCard:
    case Kind::SetDataBlock:
    case Kind::Debug:
      in.dst = take(1);
      break;
    case Kind::SetFbBase:
    case Kind::Switch: {
      in.attr = uint8_t(take(1));
      in.srcType = in.attr & 7;
      in.srcAlign = (in.attr >> 3) & 7;
      in.hasSrc = true;
      in.src = take(operandBytes(in.srcType, in.srcAlign));
      if (kind == Kind::SetFbBase)
        break;
      // Cases: 0x63, an immediate of the source's size, a target word;
      // the list ends with the word 0x5A5A.
      while (!truncated) {
        uint64_t caseAt = pos;
        uint32_t marker = take(1);
        if (truncated)
          break;
        if (marker == 0x5A && pos < end && rom.data[pos] == 0x5A) {
          take(1);
          break;
        }
        if (marker != 0x63) {
          message = formatv("SWITCH at {0:x}: byte {1:x-2} at {2:x} is "
                            "neither a case (63) nor the end of the list "
                            "(5a 5a)",
                            at, marker, caseAt)
                        .str();
          return failure();
        }
        uint32_t value = take(kAlignBytes[in.srcAlign]);
        uint16_t target = uint16_t(take(2));
        if (!truncated)
          in.cases.push_back({value, target});
      }
      break;
    }
    case Kind::ProcessDs:
      in.dst = take(2);
      if (!truncated && in.dst > end - pos)
        truncated = true;
      else
        pos += in.dst;
      break;
    default:
      break;
    }
  }
  if (truncated) {
    message = formatv("{0} at {1:x} is cut by the end of its table at {2:x}",
                      in.name(), at, end)
                  .str();
    return failure();
  }
  in.end = pos;
  return in;
}

//===----------------------------------------------------------------------===//
// Known bits
//===----------------------------------------------------------------------===//

/// A 32-bit value of which the bits in `known` are `value`.
struct KB {
  uint32_t value = 0;
  uint32_t known = 0;

  static KB of(uint32_t v) { return {v, 0xFFFFFFFF}; }
  static KB unknown() { return {0, 0}; }
  static KB make(uint32_t v, uint32_t k) { return {v & k, k}; }
  bool full() const { return known == 0xFFFFFFFF; }
  /// The field of `align`, shifted down (bits above it known 0).
  KB field(uint8_t align) const {
    uint32_t m = kAlignMask[align];
    unsigned s = kAlignShift[align];
    return make((value & m) >> s, ((known & m) >> s) | ~(m >> s));
  }
  /// This value with the field of `align` replaced by the low bits of `f`.
  KB merge(KB f, uint8_t align) const {
    uint32_t m = kAlignMask[align];
    unsigned s = kAlignShift[align];
    return make(((f.value << s) & m) | (value & ~m),
                ((f.known << s) & m) | (known & ~m));
  }
  KB truncate(unsigned bits) const {
    uint32_t m = bits >= 32 ? 0xFFFFFFFF : (1u << bits) - 1;
    return make(value & m, known | ~m);
  }
};

KB kbAnd(KB a, KB b) {
  uint32_t zeros = (a.known & ~a.value) | (b.known & ~b.value);
  return KB::make(a.value & b.value, (a.known & b.known) | zeros);
}
KB kbOr(KB a, KB b) {
  uint32_t ones = (a.known & a.value) | (b.known & b.value);
  return KB::make(a.value | b.value, (a.known & b.known) | ones);
}
KB kbXor(KB a, KB b) {
  return KB::make(a.value ^ b.value, a.known & b.known);
}
/// Shifts by a known count below 32 (C semantics; larger counts unknown).
KB kbShiftLeft(KB a, std::optional<uint32_t> count) {
  if (!count || *count >= 32)
    return KB::unknown();
  unsigned s = *count;
  return KB::make(a.value << s, (a.known << s) | ((1u << s) - 1));
}
KB kbShiftRight(KB a, std::optional<uint32_t> count) {
  if (!count || *count >= 32)
    return KB::unknown();
  unsigned s = *count;
  return KB::make(a.value >> s, (a.known >> s) | ~(0xFFFFFFFFu >> s));
}
std::optional<uint32_t> fullValue(KB a) {
  if (a.full())
    return a.value;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

/// One executing command table.
struct Frame {
  unsigned table = 0;
  /// The table's pointer (relative to the image) and file offsets of its
  /// start and end.
  uint16_t pointer = 0;
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t pc = 0;
  /// First parameter-space dword of this table (absolute) and its PS size.
  uint64_t psBase = 0;
  uint8_t psBytes = 0;
  /// The workspace, zeroed on entry like the driver's.
  llvm::SmallVector<KB, 8> ws;
};

/// I/O mode after two paths disagree: register operands are opaque.
constexpr unsigned IoUnknown = 0xFFFFFFFF;

/// What the last COMPARE/TEST compared, for condition labels.
struct Flags {
  std::optional<bool> equal, above;
  /// File offset of the COMPARE/TEST that set them (-1: none).
  int64_t origin = -1;
  /// Its device read when it read exactly one register (replaced by a poll
  /// or a condition when the flags decide a jump).
  Operation *read = nullptr;
  /// Whether the comparison read the device (a register, PLL or MC).
  bool device = false;
  bool test = false;
  /// The compared operands as text; empty when not describable.
  std::string lhs, rhs;
};

/// Everything an execution path changes: forked at a data-dependent jump,
/// joined where the paths meet.
struct State {
  llvm::SmallVector<Frame, 8> stack;
  /// The parameter space, by absolute dword index; absent = unknown.
  llvm::DenseMap<uint64_t, KB> ps;
  KB dataBlock = KB::of(0), regBlock = KB::of(0), fbBase = KB::of(0);
  KB divmul[2] = {KB::of(0), KB::of(0)};
  KB ioAttr = KB::unknown(), shift = KB::unknown();
  unsigned ioMode = IoMM;
  Flags flags;
  bool hadError = false, incomplete = false, stopped = false;
};

KB joinKB(KB a, KB b) {
  uint32_t known = a.known & b.known & ~(a.value ^ b.value);
  return KB::make(a.value, known);
}

std::optional<bool> joinBool(std::optional<bool> a, std::optional<bool> b) {
  if (a && b && *a == *b)
    return a;
  return std::nullopt;
}

/// Joins `b` into `a` where two paths meet; false when their call stacks
/// differ.
bool joinStates(State &a, const State &b) {
  if (a.stack.size() != b.stack.size())
    return false;
  for (auto [fa, fb] : llvm::zip(a.stack, b.stack)) {
    if (fa.table != fb.table || fa.pc != fb.pc || fa.ws.size() != fb.ws.size())
      return false;
    for (auto [wa, wb] : llvm::zip(fa.ws, fb.ws))
      wa = joinKB(wa, wb);
  }
  llvm::SmallVector<uint64_t> drop;
  for (auto &[index, value] : a.ps) {
    auto it = b.ps.find(index);
    if (it == b.ps.end())
      drop.push_back(index);
    else
      value = joinKB(value, it->second);
  }
  for (uint64_t index : drop)
    a.ps.erase(index);
  a.dataBlock = joinKB(a.dataBlock, b.dataBlock);
  a.regBlock = joinKB(a.regBlock, b.regBlock);
  a.fbBase = joinKB(a.fbBase, b.fbBase);
  a.divmul[0] = joinKB(a.divmul[0], b.divmul[0]);
  a.divmul[1] = joinKB(a.divmul[1], b.divmul[1]);
  a.ioAttr = joinKB(a.ioAttr, b.ioAttr);
  a.shift = joinKB(a.shift, b.shift);
  if (a.ioMode != b.ioMode)
    a.ioMode = IoUnknown;
  Flags flags;
  flags.equal = joinBool(a.flags.equal, b.flags.equal);
  flags.above = joinBool(a.flags.above, b.flags.above);
  a.flags = flags;
  a.hadError |= b.hadError;
  a.incomplete |= b.incomplete;
  a.stopped |= b.stopped;
  return true;
}

/// A device access of an indirect (IIO) register access, before emission.
struct Access {
  enum Kind { Read, Write, Rmw } kind;
  uint64_t offset;
  uint32_t a = 0, b = 0;
};

/// Where a path left a region: at a pc of the region's frame, or by
/// returning from it.
struct Exit {
  bool returned = false;
  uint64_t pc = 0;
  bool operator==(const Exit &o) const {
    return returned == o.returned && (returned || pc == o.pc);
  }
};

/// Deepest nesting of condition regions (each level is a C++ frame).
constexpr unsigned kMaxConditionNesting = 32;

class AtomImporter {
public:
  AtomImporter(const ImageImportContext &ctx, const AtomInfo &atom)
      : ctx(ctx), rom{ctx.rom}, atom(atom), base(atom.imageOffset),
        builder(ModuleOp(ctx.module).getContext()) {}

  LogicalResult run(unsigned tableIndex);

private:
  // Diagnostics. Inside a speculative path they are held back until the
  // path is kept.
  void report(Severity severity, uint64_t at, const llvm::Twine &message) {
    RomDiagnostic diagnostic{severity, at, message.str()};
    if (pending)
      pending->push_back(std::move(diagnostic));
    else
      ctx.report(diagnostic);
  }
  void error(uint64_t at, const llvm::Twine &message) {
    report(Severity::Error, at, message);
    st.hadError = true;
  }
  void warning(uint64_t at, const llvm::Twine &message) {
    report(Severity::Warning, at, message);
  }
  /// Stops the path (an error was reported or the control flow became data
  /// dependent).
  void stop() {
    st.stopped = true;
    st.incomplete = true;
  }
  /// A limit was exceeded: reported at once and final for every path.
  void limitExceeded(uint64_t at, const llvm::Twine &message) {
    ctx.error(at, message);
    fatal = true;
    stop();
  }

  LogicalResult enterTable(unsigned index, uint64_t at, uint64_t psBase);

  // Operands.
  KB readInternal(uint8_t type, uint32_t index, const Instr &in);
  void writeInternal(uint8_t type, uint32_t index, KB value, const Instr &in);
  std::optional<uint64_t> regOffset(uint32_t index) const;
  bool mmio() const { return st.ioMode == IoMM && st.regBlock.full(); }
  bool indirect() const {
    return st.ioMode != IoUnknown && (st.ioMode & IoIIO) &&
           st.regBlock.full();
  }
  std::string operandText(uint8_t type, uint32_t index, uint8_t align);
  std::string regText(uint64_t offset, uint8_t align);

  // Indirect I/O programs.
  std::optional<uint64_t> iioProgram(unsigned id, uint64_t at);
  std::optional<KB> runIio(unsigned id, uint32_t index, KB data,
                           const Instr &in,
                           llvm::SmallVectorImpl<Access> &plan);
  Operation *emitPlan(const Instr &in, llvm::ArrayRef<Access> plan);

  // Op emission.
  bool countOp(uint64_t at);
  Location loc(uint64_t at) { return ctx.loc(at); }
  std::optional<int64_t> script() const {
    return int64_t(st.stack.back().table);
  }
  initseq::RegAttr reg(uint64_t offset) {
    return initseq::RegAttr::getMmio(builder.getContext(), kRegisterBar,
                                     offset);
  }
  TypeAttr i32() { return TypeAttr::get(builder.getI32Type()); }
  IntegerAttr i64(uint64_t v) { return builder.getI64IntegerAttr(int64_t(v)); }
  void emitWrite(const Instr &in, uint64_t offset, uint32_t value);
  void emitRmw(const Instr &in, uint64_t offset, uint32_t andMask,
               uint32_t orMask);
  Operation *emitRead(const Instr &in, uint64_t offset);
  void emitOpaque(const Instr &in, llvm::StringRef kind,
                  llvm::ArrayRef<int64_t> operands);
  void emitDataOpaque(const Instr &in);
  void emitNote(const Instr &in, const llvm::Twine &text);
  bool isLastOp(Operation *op) const;

  // Execution.
  void step();
  void execData(const Instr &in);
  void execRegDestination(const Instr &in);
  void execIndirectDestination(const Instr &in);
  void setFlags(const Instr &in, KB dst, KB src, Operation *read,
                bool device, std::string lhs, std::string rhs);
  void execJump(const Instr &in);
  void execSwitch(const Instr &in);
  void execCall(const Instr &in);
  void jumpTo(const Instr &in, uint16_t target);
  bool tryPoll(const Instr &in, uint16_t target);
  bool tryCondition(const Instr &in, uint16_t target);
  bool tryLoop(const Instr &in, uint16_t target);
  FailureOr<Exit> runRegion(size_t depth, uint64_t lo, uint64_t hi);
  std::optional<bool> condition(Cond cond) const;
  void refineFlags(Cond cond, bool taken);
  void dataDependent(const Instr &in, llvm::ArrayRef<int64_t> operands,
                     const llvm::Twine &why);

  const ImageImportContext &ctx;
  Bytes rom;
  const AtomInfo &atom;
  uint64_t base;
  OpBuilder builder;
  initseq::SequenceOp seq;

  State st;
  uint64_t steps = 0, ops = 0;
  bool fatal = false;
  unsigned nesting = 0;
  llvm::SmallVector<RomDiagnostic> *pending = nullptr;
  /// Indirect I/O programs by id (file offsets), indexed on first use.
  std::optional<llvm::DenseMap<unsigned, uint64_t>> iio;
};

/// Pushes a frame for command table `index` (called at `at`).
LogicalResult AtomImporter::enterTable(unsigned index, uint64_t at,
                                       uint64_t psBase) {
  const AtomCommandTable &table = atom.commandTables[index];
  if (!table.offset) {
    error(at, formatv("command table {0}: pointer {1:x} is past the end of "
                      "the file",
                      tableLabel(index), table.pointer));
    return failure();
  }
  uint64_t start = *table.offset;
  if (table.size < kCommandHeaderSize) {
    error(start, formatv("command table {0}: structure size {1:x} is smaller "
                         "than its 6-byte header",
                         tableLabel(index), table.size));
    return failure();
  }
  Frame frame;
  frame.table = index;
  frame.pointer = table.pointer;
  frame.start = start;
  // A table running past the end of the file is cut there; an instruction
  // crossing that point is an error when reached.
  frame.end = std::min<uint64_t>(start + table.size, rom.data.size());
  frame.pc = start + kCommandHeaderSize;
  frame.psBase = psBase;
  frame.psBytes = table.parameterSize;
  // The driver allocates `WS` dwords, zeroed.
  frame.ws.assign(table.workspaceSize, KB::of(0));
  st.stack.push_back(std::move(frame));
  return success();
}

std::optional<uint64_t> AtomImporter::regOffset(uint32_t index) const {
  if (!st.regBlock.full())
    return std::nullopt;
  return (uint64_t(index) + st.regBlock.value) * 4;
}

/// "[15:8]" for a partial-dword alignment, "" for a dword.
std::string fieldText(uint8_t align) {
  if (align == 0)
    return {};
  unsigned low = kAlignShift[align];
  unsigned width = align < 4 ? 16 : 8;
  return formatv("[{0}:{1}]", low + width - 1, low).str();
}

/// "mmio[bar5 + 0x000440]" with "[15:8]" for a partial field.
std::string AtomImporter::regText(uint64_t offset, uint8_t align) {
  return formatv("mmio[bar{0} + 0x{1:x-6}]", kRegisterBar, offset).str() +
         fieldText(align);
}

/// The text of an operand for condition labels ("PS[0x2]", "WS[0x1][7:0]").
std::string AtomImporter::operandText(uint8_t type, uint32_t index,
                                      uint8_t align) {
  if (type == ArgREG) {
    std::optional<uint64_t> offset = regOffset(index);
    return offset ? regText(*offset, align) : std::string();
  }
  return formatv("{0}[{1:x}]", kArgNames[type], index).str() +
         (type == ArgIMM ? std::string() : fieldText(align));
}

bool AtomImporter::countOp(uint64_t at) {
  if (++ops > ctx.options.maxOps) {
    limitExceeded(at, formatv("AtomBIOS: more than {0} ops in one sequence "
                              "(--rom-max-ops)",
                              ctx.options.maxOps));
    return false;
  }
  return true;
}

bool AtomImporter::isLastOp(Operation *op) const {
  return op && op->getBlock() == builder.getInsertionBlock() &&
         std::next(Block::iterator(op)) == builder.getInsertionPoint();
}

void AtomImporter::emitWrite(const Instr &in, uint64_t offset,
                             uint32_t value) {
  if (countOp(in.at))
    initseq::WriteOp::create(builder, loc(in.at), reg(offset), i32(),
                             i64(value), int64_t(in.at), script(),
                             std::nullopt);
}

void AtomImporter::emitRmw(const Instr &in, uint64_t offset, uint32_t andMask,
                           uint32_t orMask) {
  if (countOp(in.at))
    initseq::RmwOp::create(builder, loc(in.at), reg(offset), i32(),
                           i64(andMask), i64(orMask), int64_t(in.at),
                           script(), std::nullopt);
}

Operation *AtomImporter::emitRead(const Instr &in, uint64_t offset) {
  if (!countOp(in.at))
    return nullptr;
  return initseq::ReadOp::create(builder, loc(in.at), reg(offset), i32(),
                                 IntegerAttr(), int64_t(in.at), script(),
                                 std::nullopt);
}

void AtomImporter::emitOpaque(const Instr &in, llvm::StringRef kind,
                              llvm::ArrayRef<int64_t> operands) {
  if (!countOp(in.at))
    return;
  std::string bytes =
      llvm::toHex(rom.data.slice(in.at, in.end - in.at), /*LowerCase=*/true);
  initseq::OpaqueOp::create(builder, loc(in.at),
                            builder.getStringAttr(("atom." + kind).str()),
                            builder.getDenseI64ArrayAttr(operands),
                            builder.getStringAttr(bytes), int64_t(in.at),
                            script(), std::nullopt);
}

/// A data instruction kept whole: (attribute, destination, [mask | shift,]
/// source, register block, I/O mode); the register block and the I/O mode
/// are -1 when unknown.
void AtomImporter::emitDataOpaque(const Instr &in) {
  llvm::SmallVector<int64_t, 6> operands = {in.attr, in.dst};
  if (in.kind() == Kind::Mask || in.kind() == Kind::ShiftLeft ||
      in.kind() == Kind::ShiftRight)
    operands.push_back(in.extra);
  if (in.hasSrc)
    operands.push_back(in.src);
  operands.push_back(st.regBlock.full() ? int64_t(st.regBlock.value) : -1);
  operands.push_back(st.ioMode == IoUnknown ? -1 : int64_t(st.ioMode));
  emitOpaque(in, in.name(), operands);
}

void AtomImporter::emitNote(const Instr &in, const llvm::Twine &text) {
  if (countOp(in.at))
    initseq::NoteOp::create(builder, loc(in.at), builder.getStringAttr(text),
                            int64_t(in.at), script(), std::nullopt);
}

//===----------------------------------------------------------------------===//
// Indirect I/O
//===----------------------------------------------------------------------===//

/// IIO opcodes and their lengths.
enum IioOp : uint8_t {
  IioNop = 0,
  IioStart = 1,
  IioRead = 2,
  IioWrite = 3,
  IioClear = 4,
  IioSet = 5,
  IioMoveIndex = 6,
  IioMoveAttr = 7,
  IioMoveData = 8,
  IioEnd = 9,
};
constexpr unsigned kIioLength[10] = {1, 2, 3, 3, 3, 3, 4, 4, 4, 3};
/// IndirectIOAccess, the master data table entry holding the programs.
constexpr unsigned kIndirectIoEntry = 23;

/// The file offset of the body of IIO program `id`, indexing the
/// IndirectIOAccess table on first use (as the driver does at load time).
std::optional<uint64_t> AtomImporter::iioProgram(unsigned id, uint64_t at) {
  if (!iio) {
    iio.emplace();
    std::optional<uint16_t> table;
    if (atom.dataTableOffset && atom.dataTableEntries > kIndirectIoEntry)
      table = rom.u16(*atom.dataTableOffset + 4 + 2 * kIndirectIoEntry);
    if (!table || !*table) {
      warning(at, "AtomBIOS: indirect I/O is used but the ROM has no "
                  "IndirectIOAccess table");
    } else {
      uint64_t pos = base + *table + 4;
      // Programs: START id, operations, END (3 bytes).
      while (rom.u8(pos) == IioStart && iio->size() < 256) {
        std::optional<uint8_t> programId = rom.u8(pos + 1);
        if (!programId)
          break;
        uint64_t body = pos + 2;
        uint64_t p = body;
        std::optional<uint8_t> op;
        while ((op = rom.u8(p)) && *op != IioEnd && *op < 10)
          p += kIioLength[*op];
        if (!op || *op != IioEnd) {
          warning(p, formatv("AtomBIOS: indirect I/O program {0} at {1:x} has "
                             "no END before byte {2:x}",
                             *programId, pos, p));
          break;
        }
        iio->try_emplace(*programId, body);
        pos = p + kIioLength[IioEnd];
      }
    }
  }
  auto it = iio->find(id);
  if (it == iio->end())
    return std::nullopt;
  return it->second;
}

/// Plans the accesses of IIO program `id` for register `index` and `data`;
/// returns the program's result, or nullopt when an access cannot be
/// expressed exactly. A READ followed by a WRITE of the same register whose
/// unknown bits all come from that read becomes one rmw.
std::optional<KB> AtomImporter::runIio(unsigned id, uint32_t index, KB data,
                                       const Instr &in,
                                       llvm::SmallVectorImpl<Access> &plan) {
  std::optional<uint64_t> program = iioProgram(id, in.at);
  if (!program)
    return std::nullopt;
  KB temp = KB::of(0xCDCDCDCD);
  // Bits of `temp` equal to the same bits of the last read, whose access is
  // plan[readAt] (-1: none).
  uint32_t fromRead = 0;
  int readAt = -1;
  KB indexValue = KB::of(index);
  for (uint64_t p = *program;;) {
    if (++steps > ctx.options.maxSteps) {
      limitExceeded(p, formatv("AtomBIOS: more than {0} instructions "
                               "executed (--rom-max-steps)",
                               ctx.options.maxSteps));
      return std::nullopt;
    }
    std::optional<uint8_t> op = rom.u8(p);
    if (!op || *op >= 10 || !rom.has(p, kIioLength[*op]))
      return std::nullopt;
    uint8_t b1 = rom.data.size() > p + 1 ? rom.data[p + 1] : 0;
    uint8_t b2 = rom.data.size() > p + 2 ? rom.data[p + 2] : 0;
    uint8_t b3 = rom.data.size() > p + 3 ? rom.data[p + 3] : 0;
    uint64_t regByte = uint64_t(b1 | b2 << 8) * 4;
    // CLEAR/SET: b1 bits at b2; MOVE_*: b1 bits from b2 to b3.
    auto bits = [](unsigned n) -> std::optional<uint32_t> {
      if (n == 0 || n > 32)
        return std::nullopt;
      return n == 32 ? 0xFFFFFFFFu : (1u << n) - 1;
    };
    switch (*op) {
    case IioNop:
      break;
    case IioStart:
      return std::nullopt;
    case IioRead:
      plan.push_back({Access::Read, regByte});
      temp = KB::unknown();
      fromRead = 0xFFFFFFFF;
      readAt = int(plan.size()) - 1;
      break;
    case IioWrite:
      if (temp.full()) {
        plan.push_back({Access::Write, regByte, temp.value});
      } else if (readAt >= 0 && readAt == int(plan.size()) - 1 &&
                 plan[readAt].offset == regByte &&
                 (~temp.known & ~fromRead) == 0) {
        plan[readAt] = {Access::Rmw, regByte, ~temp.known, temp.value};
        readAt = -1;
        fromRead = 0;
      } else {
        return std::nullopt;
      }
      break;
    case IioClear:
    case IioSet: {
      std::optional<uint32_t> n = bits(b1);
      if (!n || b2 >= 32)
        return std::nullopt;
      uint32_t mask = uint32_t(uint64_t(*n) << b2);
      temp = *op == IioClear ? kbAnd(temp, KB::of(~mask))
                             : kbOr(temp, KB::of(mask));
      break;
    }
    case IioMoveIndex:
    case IioMoveAttr:
    case IioMoveData: {
      std::optional<uint32_t> n = bits(b1);
      if (!n || b2 >= 32 || b3 >= 32)
        return std::nullopt;
      KB source = *op == IioMoveIndex  ? indexValue
                  : *op == IioMoveAttr ? st.ioAttr
                                       : data;
      KB field = kbAnd(kbShiftRight(source, uint32_t(b2)), KB::of(*n));
      KB placed = kbShiftLeft(field, uint32_t(b3));
      uint32_t mask = uint32_t(uint64_t(*n) << b3);
      temp = kbOr(kbAnd(temp, KB::of(~mask)), kbAnd(placed, KB::of(mask)));
      fromRead &= ~mask;
      break;
    }
    case IioEnd:
      return temp;
    default:
      return std::nullopt;
    }
    p += kIioLength[*op];
  }
}

/// Emits planned accesses; returns the last one's op when it is a read.
Operation *AtomImporter::emitPlan(const Instr &in,
                                  llvm::ArrayRef<Access> plan) {
  Operation *last = nullptr;
  for (const Access &access : plan) {
    last = nullptr;
    switch (access.kind) {
    case Access::Read:
      last = emitRead(in, access.offset);
      break;
    case Access::Write:
      emitWrite(in, access.offset, access.a);
      break;
    case Access::Rmw:
      emitRmw(in, access.offset, access.a, access.b);
      break;
    }
  }
  return last;
}

//===----------------------------------------------------------------------===//
// Operands and data instructions
//===----------------------------------------------------------------------===//

/// Reads a PS, WS, FB, ID or IMM operand (not a device access). Immediates
/// are returned as stored; the caller extracts fields of the others.
KB AtomImporter::readInternal(uint8_t type, uint32_t index, const Instr &in) {
  Frame &frame = st.stack.back();
  switch (type) {
  case ArgPS: {
    auto it = st.ps.find(frame.psBase + index);
    return it == st.ps.end() ? KB::unknown() : it->second;
  }
  case ArgWS:
    switch (index) {
    case WsQuotient:
      return st.divmul[0];
    case WsRemainder:
      return st.divmul[1];
    case WsDataPtr:
      return st.dataBlock;
    case WsShift:
      return st.shift;
    case WsOrMask:
      return kbShiftLeft(KB::of(1), fullValue(st.shift));
    case WsAndMask: {
      KB mask = kbShiftLeft(KB::of(1), fullValue(st.shift));
      return KB::make(~mask.value, mask.known);
    }
    case WsFbWindow:
      return st.fbBase;
    case WsAttributes:
      return st.ioAttr;
    case WsRegPtr:
      return st.regBlock;
    default:
      if (index >= frame.ws.size()) {
        error(in.at, formatv("{0} at {1:x}: WS[{2:x}] is outside the "
                             "workspace of command table {3} ({4} dwords)",
                             in.name(), in.at, index, tableLabel(frame.table),
                             frame.ws.size()));
        stop();
        return KB::unknown();
      }
      return frame.ws[index];
    }
  case ArgFB:
    // The driver's scratch buffer: not modelled, never a device access.
    return KB::unknown();
  case ArgID: {
    if (!st.dataBlock.full())
      return KB::unknown();
    uint64_t offset = base + index + st.dataBlock.value;
    std::optional<uint32_t> value = rom.u32(offset);
    if (!value) {
      warning(in.at, formatv("{0} at {1:x}: data operand at {2:x} is past "
                             "the end of the file; its value is unknown",
                             in.name(), in.at, offset));
      return KB::unknown();
    }
    return KB::of(*value);
  }
  case ArgIMM:
    return KB::of(index);
  default:
    return KB::unknown();
  }
}

void AtomImporter::writeInternal(uint8_t type, uint32_t index, KB value,
                                 const Instr &in) {
  Frame &frame = st.stack.back();
  switch (type) {
  case ArgPS:
    if (value.known)
      st.ps[frame.psBase + index] = value;
    else
      st.ps.erase(frame.psBase + index);
    return;
  case ArgWS:
    switch (index) {
    case WsQuotient:
      st.divmul[0] = value;
      return;
    case WsRemainder:
      st.divmul[1] = value;
      return;
    case WsDataPtr:
      st.dataBlock = value.truncate(16);
      return;
    case WsShift:
      st.shift = value.truncate(8);
      return;
    case WsOrMask:
    case WsAndMask:
      return;
    case WsFbWindow:
      st.fbBase = value;
      return;
    case WsAttributes:
      st.ioAttr = value.truncate(16);
      return;
    case WsRegPtr:
      st.regBlock = value.truncate(16);
      return;
    default:
      if (index >= frame.ws.size()) {
        error(in.at, formatv("{0} at {1:x}: WS[{2:x}] is outside the "
                             "workspace of command table {3} ({4} dwords)",
                             in.name(), in.at, index, tableLabel(frame.table),
                             frame.ws.size()));
        stop();
        return;
      }
      frame.ws[index] = value;
      return;
    }
  default:
    // FB: the driver's scratch buffer, not modelled.
    return;
  }
}

/// Whether an operand of `type` is a device access.
bool isDevice(uint8_t type) {
  return type == ArgREG || type == ArgPLL || type == ArgMC;
}

std::string hexText(KB value) {
  return formatv("{0:x}", value.value).str();
}

/// Records what a COMPARE/TEST found.
void AtomImporter::setFlags(const Instr &in, KB dst, KB src, Operation *read,
                            bool device, std::string lhs, std::string rhs) {
  Flags flags;
  flags.origin = int64_t(in.at);
  flags.read = read;
  flags.device = device;
  flags.test = in.kind() == Kind::Test;
  if (flags.test) {
    KB both = kbAnd(dst, src);
    if (both.value)
      flags.equal = false;
    else if (both.full())
      flags.equal = true;
    // TEST leaves the "above" flag alone.
    flags.above = st.flags.above;
  } else if (dst.full() && src.full()) {
    flags.equal = dst.value == src.value;
    flags.above = dst.value > src.value;
  } else if ((dst.value ^ src.value) & dst.known & src.known) {
    flags.equal = false;
  }
  flags.lhs = std::move(lhs);
  flags.rhs = std::move(rhs);
  st.flags = std::move(flags);
}

/// Executes a data instruction (the attribute-byte forms).
void AtomImporter::execData(const Instr &in) {
  Kind kind = in.kind();
  if (in.dstType == ArgREG) {
    if (st.ioMode != IoUnknown && (st.ioMode & IoIIO))
      execIndirectDestination(in);
    else
      execRegDestination(in);
    return;
  }
  bool opaque = isDevice(in.dstType);
  // The source: a register read is an access of its own when it can be
  // expressed; PLL/MC (and registers that cannot) make the instruction
  // opaque. Their values are unknown.
  KB src = KB::unknown();
  Operation *read = nullptr;
  llvm::SmallVector<Access, 8> plan;
  bool srcRead = false;
  if (in.hasSrc) {
    if (in.srcType == ArgREG && !opaque && mmio()) {
      srcRead = true;
    } else if (in.srcType == ArgREG && !opaque && indirect()) {
      std::optional<KB> value =
          runIio(st.ioMode & 0x7F, in.src + st.regBlock.value, KB::of(0), in,
                 plan);
      if (fatal)
        return;
      if (value) {
        srcRead = true;
        src = value->field(in.srcAlign);
      } else {
        opaque = true;
      }
    } else if (isDevice(in.srcType)) {
      opaque = true;
    } else {
      src = readInternal(in.srcType, in.src, in);
      if (in.srcType != ArgIMM)
        src = src.field(in.srcAlign);
    }
  }
  if (st.stopped)
    return;
  if (opaque) {
    emitDataOpaque(in);
  } else if (srcRead && plan.empty()) {
    read = emitRead(in, *regOffset(in.src));
  } else if (srcRead) {
    read = emitPlan(in, plan);
  }
  if (st.stopped)
    return;
  bool dstDevice = isDevice(in.dstType);
  // The destination's full value ("saved") and its field.
  KB saved = dstDevice ? KB::unknown() : readInternal(in.dstType, in.dst, in);
  if (st.stopped)
    return;
  KB dst = saved.field(in.dstAlign);
  auto store = [&](KB field) {
    if (!dstDevice)
      writeInternal(in.dstType, in.dst, saved.merge(field, in.dstAlign), in);
  };
  switch (kind) {
  case Kind::Move:
    store(src);
    break;
  case Kind::And:
    store(kbAnd(dst, src));
    break;
  case Kind::Or:
    store(kbOr(dst, src));
    break;
  case Kind::Xor:
    store(kbXor(dst, src));
    break;
  case Kind::Add:
  case Kind::Sub: {
    std::optional<uint32_t> a = fullValue(dst), b = fullValue(src);
    if (a && b)
      store(KB::of(kind == Kind::Add ? *a + *b : *a - *b));
    else
      store(KB::unknown());
    break;
  }
  case Kind::Clear:
    store(KB::of(0));
    break;
  case Kind::Mask:
    store(kbOr(kbAnd(dst, KB::of(in.extra)), src));
    break;
  case Kind::ShiftLeft:
    store(kbShiftLeft(dst, uint32_t(in.extra)));
    break;
  case Kind::ShiftRight:
    store(kbShiftRight(dst, uint32_t(in.extra)));
    break;
  case Kind::Shl:
  case Kind::Shr: {
    // The full destination is shifted, then its field taken again; the
    // count is the source truncated to a byte.
    std::optional<uint32_t> count;
    if (src.truncate(8).full())
      count = src.value & 0xFF;
    KB shifted = kind == Kind::Shl ? kbShiftLeft(saved, count)
                                   : kbShiftRight(saved, count);
    store(shifted.field(in.dstAlign));
    break;
  }
  case Kind::Mul: {
    std::optional<uint32_t> a = fullValue(dst), b = fullValue(src);
    st.divmul[0] = a && b ? KB::of(*a * *b) : KB::unknown();
    break;
  }
  case Kind::Mul32: {
    std::optional<uint32_t> a = fullValue(dst), b = fullValue(src);
    if (a && b) {
      uint64_t product = uint64_t(*a) * *b;
      st.divmul[0] = KB::of(uint32_t(product));
      st.divmul[1] = KB::of(uint32_t(product >> 32));
    } else {
      st.divmul[0] = st.divmul[1] = KB::unknown();
    }
    break;
  }
  case Kind::Div: {
    std::optional<uint32_t> a = fullValue(dst), b = fullValue(src);
    if (a && b) {
      st.divmul[0] = KB::of(*b ? *a / *b : 0);
      st.divmul[1] = KB::of(*b ? *a % *b : 0);
    } else {
      st.divmul[0] = st.divmul[1] = KB::unknown();
    }
    break;
  }
  case Kind::Div32: {
    std::optional<uint32_t> a = fullValue(dst), b = fullValue(src),
                            high = fullValue(st.divmul[1]);
    if (a && b && high) {
      uint64_t dividend = uint64_t(*high) << 32 | *a;
      uint64_t quotient = *b ? dividend / *b : 0;
      st.divmul[0] = KB::of(uint32_t(quotient));
      st.divmul[1] = KB::of(uint32_t(quotient >> 32));
    } else {
      st.divmul[0] = st.divmul[1] = KB::unknown();
    }
    break;
  }
  case Kind::Compare:
  case Kind::Test: {
    std::string lhs, rhs;
    if (!dstDevice && !opaque) {
      lhs = operandText(in.dstType, in.dst, in.dstAlign);
      rhs = src.full() ? hexText(src)
            : in.srcType == ArgREG
                ? (plan.empty() ? operandText(ArgREG, in.src, in.srcAlign)
                                : std::string())
                : operandText(in.srcType, in.src, in.srcAlign);
    }
    setFlags(in, dst, src, srcRead ? read : nullptr, srcRead || opaque,
             std::move(lhs), std::move(rhs));
    break;
  }
  default:
    break;
  }
}

/// A data instruction whose destination is a register, in MMIO mode (or an
/// I/O mode that makes it opaque).
void AtomImporter::execRegDestination(const Instr &in) {
  Kind kind = in.kind();
  std::optional<uint64_t> offset;
  if (mmio())
    offset = regOffset(in.dst);
  // A source that is itself a device access makes the value unknown.
  bool srcDevice = in.hasSrc && isDevice(in.srcType);
  KB src = KB::unknown();
  if (in.hasSrc && !srcDevice) {
    src = readInternal(in.srcType, in.src, in);
    if (in.srcType != ArgIMM)
      src = src.field(in.srcAlign);
    if (st.stopped)
      return;
  }
  bool compares = kind == Kind::Compare || kind == Kind::Test;
  if (!offset || srcDevice) {
    emitDataOpaque(in);
    if (compares)
      setFlags(in, KB::unknown(), KB::unknown(), nullptr, true, "", "");
    if (kind == Kind::Mul || kind == Kind::Div || kind == Kind::Mul32 ||
        kind == Kind::Div32)
      st.divmul[0] = st.divmul[1] = KB::unknown();
    return;
  }
  uint32_t m = kAlignMask[in.dstAlign];
  unsigned s = kAlignShift[in.dstAlign];
  auto field = [&](uint32_t v) { return uint32_t(uint64_t(v) << s) & m; };
  switch (kind) {
  case Kind::Compare:
  case Kind::Test: {
    Operation *read = emitRead(in, *offset);
    setFlags(in, KB::unknown().field(in.dstAlign), src, read, true,
             regText(*offset, in.dstAlign),
             src.full() ? hexText(src)
                        : operandText(in.srcType, in.src, in.srcAlign));
    return;
  }
  case Kind::Mul:
  case Kind::Div:
  case Kind::Mul32:
  case Kind::Div32:
    emitRead(in, *offset);
    st.divmul[0] = st.divmul[1] = KB::unknown();
    return;
  default:
    break;
  }
  // Writes: the new value as (old & and) | or, when it is one.
  std::optional<std::pair<uint32_t, uint32_t>> rmw;
  bool readsFirst = true;
  std::optional<uint32_t> value = fullValue(src);
  switch (kind) {
  case Kind::Move:
    // A dword source skips the read of the destination.
    readsFirst = in.srcAlign != 0;
    if (value)
      rmw = {~m, field(*value)};
    break;
  case Kind::Clear:
    rmw = {~m, 0};
    break;
  case Kind::And:
    if (value)
      rmw = {~m | field(*value), 0};
    break;
  case Kind::Or:
    if (value)
      rmw = {0xFFFFFFFF, field(*value)};
    break;
  case Kind::Mask:
    if (value)
      rmw = {~m | field(in.extra), field(*value)};
    break;
  default:
    // XOR, ADD, SUB and the shifts depend on the register's value.
    break;
  }
  // Register 0 (MM_INDEX) is written shifted left by 2: expressible only
  // when the old value does not matter.
  if (rmw && *offset == 0) {
    if (rmw->first != 0)
      rmw.reset();
    else
      rmw->second <<= 2;
  }
  if (!rmw) {
    emitDataOpaque(in);
    return;
  }
  if (!readsFirst)
    emitWrite(in, *offset, rmw->second);
  else
    emitRmw(in, *offset, rmw->first, rmw->second);
}

/// A data instruction whose destination is a register reached through an
/// indirect I/O program (SET_ATI_PORT with a port): the driver runs the
/// read program (id = port) to read the register and the write program
/// (id = 0x80 | port) to write it. Expressed when every access is.
void AtomImporter::execIndirectDestination(const Instr &in) {
  Kind kind = in.kind();
  bool compares = kind == Kind::Compare || kind == Kind::Test;
  llvm::SmallVector<Access, 8> plan;
  auto giveUp = [&] {
    emitDataOpaque(in);
    if (compares)
      setFlags(in, KB::unknown(), KB::unknown(), nullptr, true, "", "");
    if (kind == Kind::Mul || kind == Kind::Div || kind == Kind::Mul32 ||
        kind == Kind::Div32)
      st.divmul[0] = st.divmul[1] = KB::unknown();
  };
  if (!indirect() || (in.hasSrc && isDevice(in.srcType))) {
    giveUp();
    return;
  }
  KB src = KB::unknown();
  if (in.hasSrc) {
    src = readInternal(in.srcType, in.src, in);
    if (in.srcType != ArgIMM)
      src = src.field(in.srcAlign);
    if (st.stopped)
      return;
  }
  uint32_t index = in.dst + st.regBlock.value;
  unsigned port = st.ioMode & 0x7F;
  // The destination is read first except by a MOVE of a dword.
  KB saved = KB::of(0xCDCDCDCD);
  bool readsFirst = !(kind == Kind::Move && in.srcAlign == 0);
  if (readsFirst) {
    std::optional<KB> value = runIio(port, index, KB::of(0), in, plan);
    if (fatal)
      return;
    if (!value) {
      giveUp();
      return;
    }
    saved = *value;
  }
  KB dst = saved.field(in.dstAlign);
  std::optional<KB> result;
  switch (kind) {
  case Kind::Compare:
  case Kind::Test: {
    Operation *read = emitPlan(in, plan);
    setFlags(in, dst, src, read, true,
             formatv("indirect[port {0}][{1:x}]", port, index).str() +
                 fieldText(in.dstAlign),
             src.full() ? hexText(src)
                        : operandText(in.srcType, in.src, in.srcAlign));
    return;
  }
  case Kind::Mul:
  case Kind::Div:
  case Kind::Mul32:
  case Kind::Div32:
    emitPlan(in, plan);
    st.divmul[0] = st.divmul[1] = KB::unknown();
    return;
  case Kind::Move:
    result = src;
    break;
  case Kind::Clear:
    result = KB::of(0);
    break;
  case Kind::And:
    result = kbAnd(dst, src);
    break;
  case Kind::Or:
    result = kbOr(dst, src);
    break;
  case Kind::Mask:
    result = kbOr(kbAnd(dst, KB::of(in.extra)), src);
    break;
  default:
    break;
  }
  KB value = result ? saved.merge(*result, in.dstAlign) : KB::unknown();
  // The write program sees the value the driver computed; a value that
  // depends on the register's old contents cannot be written exactly.
  if (!value.full() ||
      !runIio(0x80 | port, index, value, in, plan)) {
    if (!fatal)
      giveUp();
    return;
  }
  emitPlan(in, plan);
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

std::optional<bool> AtomImporter::condition(Cond cond) const {
  auto orKnown = [](std::optional<bool> a,
                    std::optional<bool> b) -> std::optional<bool> {
    if ((a && *a) || (b && *b))
      return true;
    if (a && b)
      return false;
    return std::nullopt;
  };
  auto negate = [](std::optional<bool> a) -> std::optional<bool> {
    if (a)
      return !*a;
    return std::nullopt;
  };
  const Flags &f = st.flags;
  switch (cond) {
  case Cond::Always:
    return true;
  case Cond::Equal:
    return f.equal;
  case Cond::Below:
    return negate(orKnown(f.above, f.equal));
  case Cond::Above:
    return f.above;
  case Cond::BelowOrEqual:
    return negate(f.above);
  case Cond::AboveOrEqual:
    return orKnown(f.above, f.equal);
  case Cond::NotEqual:
    return negate(f.equal);
  }
  return std::nullopt;
}

/// What a path learns from taking (or not) a jump on `cond`.
void AtomImporter::refineFlags(Cond cond, bool taken) {
  Flags &f = st.flags;
  switch (cond) {
  case Cond::Always:
    break;
  case Cond::Equal:
    f.equal = taken;
    break;
  case Cond::NotEqual:
    f.equal = !taken;
    break;
  case Cond::Above:
    f.above = taken;
    break;
  case Cond::BelowOrEqual:
    f.above = !taken;
    break;
  case Cond::Below:
    if (taken)
      f.above = f.equal = false;
    break;
  case Cond::AboveOrEqual:
    if (!taken)
      f.above = f.equal = false;
    break;
  }
}

void AtomImporter::jumpTo(const Instr &in, uint16_t target) {
  Frame &frame = st.stack.back();
  uint64_t to = frame.start + target;
  if (target < kCommandHeaderSize || to >= frame.end) {
    error(in.at, formatv("{0} at {1:x}: target {2:x} (file {3:x}) is outside "
                         "the code of command table {4} ({5:x}..{6:x})",
                         in.name(), in.at, target, to,
                         tableLabel(frame.table),
                         frame.start + kCommandHeaderSize, frame.end));
    stop();
    return;
  }
  frame.pc = to;
}

void AtomImporter::dataDependent(const Instr &in,
                                 llvm::ArrayRef<int64_t> operands,
                                 const llvm::Twine &why) {
  emitOpaque(in, in.name(), operands);
  std::string where =
      formatv("AtomBIOS: {0} at {1:x} in command table {2} ", in.name(),
              in.at, tableLabel(st.stack.back().table))
          .str();
  warning(in.at,
          where + why + "; the import stops here (sequence incomplete)");
  stop();
}

/// A backward conditional jump over nothing but delays, NOPs and the one
/// COMPARE/TEST of a register that set the flags is a poll: it becomes
/// `initseq.poll` in place of that read.
bool AtomImporter::tryPoll(const Instr &in, uint16_t target) {
  Frame &frame = st.stack.back();
  Cond cond = Cond(in.info->arg);
  Flags &flags = st.flags;
  if (!flags.read || (cond != Cond::Equal && cond != Cond::NotEqual))
    return false;
  uint64_t loopStart = frame.start + target;
  if (target < kCommandHeaderSize || loopStart > in.at ||
      flags.origin < int64_t(loopStart) || flags.origin >= int64_t(in.at))
    return false;
  std::optional<Instr> test;
  for (uint64_t pc = loopStart; pc < in.at;) {
    std::string message;
    FailureOr<Instr> body = decode(rom, pc, frame.end, message);
    if (failed(body))
      return false;
    Kind kind = body->kind();
    if (body->at == uint64_t(flags.origin)) {
      if ((kind != Kind::Compare && kind != Kind::Test) ||
          body->dstType != ArgREG)
        return false;
      test = *body;
    } else if (kind != Kind::Delay && kind != Kind::Nop) {
      return false;
    }
    pc = body->end;
  }
  // The register is read directly (MMIO): an indirect read has other
  // accesses around it.
  if (!test || !mmio() || isDevice(test->srcType))
    return false;
  KB src = readInternal(test->srcType, test->src, *test);
  if (test->srcType != ArgIMM)
    src = src.field(test->srcAlign);
  if (st.stopped || !src.full())
    return false;
  uint32_t m = kAlignMask[test->dstAlign];
  unsigned s = kAlignShift[test->dstAlign];
  uint64_t shifted = uint64_t(src.value) << s;
  uint32_t mask, expected;
  if (test->kind() == Kind::Test) {
    // Loops while (reg & mask) == 0 (JUMP_EQUAL) or != 0.
    mask = uint32_t(shifted) & m;
    expected = 0;
  } else {
    if (shifted & ~uint64_t(m))
      return false;
    mask = m;
    expected = uint32_t(shifted);
  }
  if (mask == 0)
    return false;
  // "equal" is (reg & mask) == expected for both: JUMP_EQUAL loops while it
  // holds (the poll waits for "ne"), JUMP_NOT_EQUAL while it does not.
  bool waitEqual = cond == Cond::NotEqual;
  auto read = cast<initseq::ReadOp>(flags.read);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(read);
  initseq::PollOp::create(
      builder, read.getLoc(), read.getLocation(), i32(), i64(mask),
      initseq::CompareAttr::get(builder.getContext(),
                                waitEqual ? initseq::Compare::eq
                                          : initseq::Compare::ne),
      i64(expected), i64(kLoopTimeoutNs), IntegerAttr(), read.getSrcOffset(),
      read.getScript(), std::nullopt);
  read.erase();
  flags.read = nullptr;
  // The loop exits when the jump is not taken.
  refineFlags(cond, false);
  return true;
}

/// Runs the current path until, in the frame at `depth`, the pc leaves
/// [lo, hi) or the frame returns.
FailureOr<Exit> AtomImporter::runRegion(size_t depth, uint64_t lo,
                                        uint64_t hi) {
  while (true) {
    if (st.stopped || fatal)
      return failure();
    if (st.stack.size() < depth)
      return Exit{true, 0};
    if (st.stack.size() == depth) {
      uint64_t pc = st.stack.back().pc;
      if (pc < lo || pc >= hi)
        return Exit{false, pc};
    }
    step();
  }
}

/// A forward jump on an unknown condition becomes `initseq.condition`: the
/// fall-through path is its body (run when the jump is not taken), the
/// taken path its else body, both interpreted until they meet again. The
/// tested register read becomes the condition (kind `reg`); a test of
/// parameters or workspace the caller supplies is kind `external`. Fails
/// (without a trace) when the paths do not meet in a structured way.
bool AtomImporter::tryCondition(const Instr &in, uint16_t target) {
  Frame &frame = st.stack.back();
  Cond cond = Cond(in.info->arg);
  uint64_t fallThrough = frame.pc;
  uint64_t taken = frame.start + target;
  const Flags &flags = st.flags;
  if (target < kCommandHeaderSize || taken <= in.at || taken >= frame.end ||
      nesting >= kMaxConditionNesting || flags.origin < 0 ||
      flags.lhs.empty() || flags.rhs.empty())
    return false;
  initseq::ConditionKind kind;
  if (flags.device) {
    if (!isLastOp(flags.read))
      return false;
    kind = initseq::ConditionKind::reg;
  } else {
    kind = initseq::ConditionKind::external;
  }
  llvm::StringRef relation;
  if (flags.test) {
    if (cond != Cond::Equal && cond != Cond::NotEqual)
      return false;
  }
  switch (cond) {
  case Cond::Equal:
    relation = "==";
    break;
  case Cond::NotEqual:
    relation = "!=";
    break;
  case Cond::Above:
    relation = ">";
    break;
  case Cond::AboveOrEqual:
    relation = ">=";
    break;
  case Cond::Below:
    relation = "<";
    break;
  case Cond::BelowOrEqual:
    relation = "<=";
    break;
  case Cond::Always:
    return false;
  }
  std::string label =
      flags.test ? formatv("({0} & {1}) {2} 0", flags.lhs, flags.rhs, relation)
                       .str()
                 : formatv("{0} {1} {2}", flags.lhs, relation, flags.rhs).str();
  label += " (" + in.name().str() + " taken)";

  // Fork.
  State start = st;
  uint64_t opsBefore = ops;
  size_t depth = st.stack.size();
  Operation *testRead = flags.read;
  int64_t origin = flags.origin;
  llvm::SmallVector<RomDiagnostic> held;
  llvm::SmallVector<RomDiagnostic> *outer = pending;
  pending = &held;
  ++nesting;
  OpBuilder::InsertionGuard guard(builder);
  auto op = initseq::ConditionOp::create(
      builder, loc(uint64_t(origin)), kind, uint64_t(origin),
      /*negated=*/true, builder.getStringAttr(label), origin, script(),
      std::nullopt);
  initseq::ConditionOp::ensureTerminator(op.getBody(), builder, op.getLoc());
  auto rollBack = [&] {
    op.erase();
    st = std::move(start);
    ops = opsBefore;
    pending = outer;
    --nesting;
    return false;
  };

  // The jump not taken: the body.
  st.flags.read = nullptr;
  refineFlags(cond, false);
  builder.setInsertionPoint(op.getThenBlock().getTerminator());
  FailureOr<Exit> thenExit = runRegion(depth, fallThrough, taken);
  if (failed(thenExit) ||
      (!thenExit->returned && thenExit->pc < fallThrough))
    return rollBack();
  State afterThen = std::move(st);

  // The jump taken: the else body, up to where the body left.
  st = start;
  st.flags.read = nullptr;
  refineFlags(cond, true);
  st.stack.back().pc = taken;
  Exit elseExit{false, taken};
  if (thenExit->returned || thenExit->pc > taken) {
    builder.setInsertionPoint(op.getOrCreateElseBlock().getTerminator());
    uint64_t hi = thenExit->returned ? UINT64_MAX : thenExit->pc;
    FailureOr<Exit> exit = runRegion(depth, taken, hi);
    if (failed(exit))
      return rollBack();
    elseExit = *exit;
  }
  if (!(elseExit == *thenExit) || !joinStates(st, afterThen))
    return rollBack();

  // Keep the paths: the condition replaces the tested read.
  bool empty = op.getThenBlock().getOperations().size() == 1 &&
               (!op.hasElse() || op.getElseBlock()->getOperations().size() == 1);
  if (empty)
    op.erase();
  else if (kind == initseq::ConditionKind::reg)
    testRead->erase();
  pending = outer;
  --nesting;
  for (RomDiagnostic &diagnostic : held)
    report(diagnostic.severity, diagnostic.offset, diagnostic.message);
  return true;
}

/// A backward jump on an unknown condition over straight-line code (no
/// jumps, calls or EOT) that the path has just run once: the further
/// iterations become one `initseq.opaque "atom.LOOP"` (operands: loop start,
/// the jump, the COMPARE/TEST that decides; bytes: the loop's code), and
/// what the body writes becomes unknown.
bool AtomImporter::tryLoop(const Instr &in, uint16_t target) {
  Frame &frame = st.stack.back();
  uint64_t loopStart = frame.start + target;
  if (target < kCommandHeaderSize || loopStart > in.at)
    return false;
  llvm::SmallVector<Instr, 16> body;
  for (uint64_t pc = loopStart; pc < in.at;) {
    std::string message;
    FailureOr<Instr> decoded = decode(rom, pc, frame.end, message);
    if (failed(decoded))
      return false;
    switch (decoded->kind()) {
    case Kind::Jump:
    case Kind::Switch:
    case Kind::CallTable:
    case Kind::Eot:
    case Kind::Repeat:
    case Kind::SaveReg:
    case Kind::RestoreReg:
    case Kind::Invalid:
      return false;
    default:
      break;
    }
    pc = decoded->end;
    body.push_back(std::move(*decoded));
  }
  if (!body.empty() && body.back().end != in.at)
    return false;
  // Each further iteration runs the same straight-line code: the settings
  // it makes are those of the last iteration, its data results unknown.
  for (const Instr &b : body) {
    switch (b.kind()) {
    case Kind::SetPort: {
      unsigned mode = b.info->arg == PortATI
                          ? (b.dst ? IoIIO | b.dst : unsigned(IoMM))
                          : (b.info->arg == PortPCI ? unsigned(IoPCI)
                                                    : unsigned(IoSYSIO));
      if (mode != st.ioMode)
        st.ioMode = IoUnknown;
      break;
    }
    case Kind::SetRegBlock:
      st.regBlock = joinKB(st.regBlock, KB::of(b.dst));
      break;
    case Kind::SetDataBlock:
      st.dataBlock = KB::unknown();
      break;
    case Kind::SetFbBase:
      st.fbBase = KB::unknown();
      break;
    case Kind::Mul:
    case Kind::Div:
    case Kind::Mul32:
    case Kind::Div32:
      st.divmul[0] = st.divmul[1] = KB::unknown();
      break;
    case Kind::Compare:
    case Kind::Test:
      break;
    default:
      if (hasDataOperands(b.kind()) && !isDevice(b.dstType))
        writeInternal(b.dstType, b.dst, KB::unknown(), b);
      break;
    }
    if (st.stopped)
      return false;
  }
  Cond cond = Cond(in.info->arg);
  Instr loop = in;
  loop.at = loopStart;
  emitOpaque(loop, "LOOP",
             {int64_t(loopStart), int64_t(in.at), st.flags.origin});
  st.flags.read = nullptr;
  // It ends when the jump is not taken.
  refineFlags(cond, false);
  return true;
}

void AtomImporter::execJump(const Instr &in) {
  Cond cond = Cond(in.info->arg);
  uint16_t target = uint16_t(in.dst);
  std::optional<bool> taken = condition(cond);
  if (!taken) {
    if (tryPoll(in, target) || tryCondition(in, target) ||
        tryLoop(in, target) || fatal)
      return;
    Frame &frame = st.stack.back();
    int64_t origin = st.flags.origin;
    dataDependent(in,
                  {int64_t(target), int64_t(frame.start + target), origin},
                  origin >= 0
                      ? formatv("depends on the unknown result of the "
                                "comparison at {0:x}",
                                origin)
                            .str()
                      : std::string("depends on flags no instruction set"));
    return;
  }
  if (*taken)
    jumpTo(in, target);
}

void AtomImporter::execSwitch(const Instr &in) {
  KB src = KB::unknown();
  if (!isDevice(in.srcType)) {
    src = readInternal(in.srcType, in.src, in);
    if (in.srcType != ArgIMM)
      src = src.field(in.srcAlign);
    if (st.stopped)
      return;
  }
  llvm::SmallVector<int64_t, 8> operands = {in.attr, in.src};
  for (auto [value, target] : in.cases) {
    operands.push_back(value);
    operands.push_back(target);
  }
  if (!src.full()) {
    // The opaque SWITCH stands for its register read too.
    dataDependent(in, operands,
                  "selects its case on an unknown value (" +
                      kArgNames[in.srcType] + " operand)");
    return;
  }
  for (auto [value, target] : in.cases)
    if (value == src.value) {
      jumpTo(in, target);
      return;
    }
}

void AtomImporter::execCall(const Instr &in) {
  unsigned index = in.dst;
  if (index >= atom.commandTables.size()) {
    error(in.at, formatv("CALL_TABLE at {0:x}: table {1} is beyond the {2} "
                         "entries of the master command table",
                         in.at, index, atom.commandTables.size()));
    stop();
    return;
  }
  if (!atom.commandTables[index].pointer) {
    // The driver skips a call to an absent table.
    emitNote(in, "CALL_TABLE " + tableLabel(index) + ": absent, skipped");
    return;
  }
  for (const Frame &frame : st.stack)
    if (frame.table == index) {
      std::string chain;
      for (const Frame &f : st.stack)
        chain += tableLabel(f.table) + " -> ";
      error(in.at, formatv("CALL_TABLE at {0:x}: call cycle {1}{2}", in.at,
                           chain, tableLabel(index)));
      stop();
      return;
    }
  if (st.stack.size() >= ctx.options.maxDepth) {
    error(in.at, formatv("CALL_TABLE at {0:x}: calling {1} would nest {2} "
                         "tables, more than the limit of {3} (--rom-max-depth)",
                         in.at, tableLabel(index), st.stack.size() + 1,
                         ctx.options.maxDepth));
    stop();
    return;
  }
  const Frame &caller = st.stack.back();
  uint64_t psBase = caller.psBase + caller.psBytes / 4;
  if (failed(enterTable(index, in.at, psBase)))
    stop();
}

/// Executes the instruction at the top frame's pc.
void AtomImporter::step() {
  Frame &frame = st.stack.back();
  uint64_t at = frame.pc;
  if (++steps > ctx.options.maxSteps) {
    limitExceeded(at, formatv("AtomBIOS: more than {0} instructions "
                              "executed (--rom-max-steps)",
                              ctx.options.maxSteps));
    return;
  }
  if (at >= frame.end) {
    error(at, formatv("command table {0} ends at {1:x} without EOT",
                      tableLabel(frame.table), frame.end));
    stop();
    return;
  }
  std::string message;
  FailureOr<Instr> decoded = decode(rom, at, frame.end, message);
  if (failed(decoded)) {
    if (rom.data[at] == 0 || rom.data[at] >= kOpcodeCount) {
      // The driver ends the table at an unknown opcode; so does the import,
      // with an error.
      error(at, formatv("unknown AtomBIOS opcode {0:x-2} at {1:x} in command "
                        "table {2}; that table stops here",
                        rom.data[at], at, tableLabel(frame.table)));
      st.incomplete = true;
      st.stack.pop_back();
      return;
    }
    error(at, message);
    stop();
    return;
  }
  const Instr &in = *decoded;
  frame.pc = in.end;
  switch (in.kind()) {
  case Kind::Invalid:
    break;
  case Kind::SetPort:
    if (in.info->arg == PortATI)
      st.ioMode = in.dst ? IoIIO | in.dst : IoMM;
    else
      st.ioMode = in.info->arg == PortPCI ? IoPCI : IoSYSIO;
    break;
  case Kind::SetRegBlock:
    st.regBlock = KB::of(in.dst);
    break;
  case Kind::SetFbBase: {
    if (isDevice(in.srcType)) {
      if (in.srcType == ArgREG && mmio())
        emitRead(in, *regOffset(in.src));
      else
        emitDataOpaque(in);
      st.fbBase = KB::unknown();
      break;
    }
    KB value = readInternal(in.srcType, in.src, in);
    st.fbBase = in.srcType == ArgIMM ? value : value.field(in.srcAlign);
    break;
  }
  case Kind::Jump:
    execJump(in);
    break;
  case Kind::Switch:
    execSwitch(in);
    break;
  case Kind::Delay:
    if (countOp(in.at))
      initseq::DelayOp::create(
          builder, loc(in.at),
          i64(uint64_t(in.dst) * (in.info->arg ? 1'000'000 : 1'000)),
          int64_t(in.at), script(), std::nullopt);
    break;
  case Kind::CallTable:
    execCall(in);
    break;
  case Kind::Eot:
    st.stack.pop_back();
    break;
  case Kind::Nop:
  case Kind::ProcessDs:
    break;
  case Kind::PostCard:
    emitNote(in, formatv("POST_CARD {0:x-2}", in.dst));
    break;
  case Kind::Debug:
    emitNote(in, formatv("DEBUG {0:x-2}", in.dst));
    break;
  case Kind::Beep:
    emitNote(in, "BEEP");
    break;
  case Kind::Repeat:
  case Kind::SaveReg:
  case Kind::RestoreReg:
    // No public interpreter implements these; Linux consumes no operand
    // bytes and does nothing. Kept so that nothing is dropped.
    emitOpaque(in, in.name(), {});
    warning(in.at, formatv("AtomBIOS: {0} at {1:x} has no public semantics; "
                           "decoded as the Linux interpreter does (no "
                           "operands, no effect) and kept as initseq.opaque",
                           in.name(), in.at));
    break;
  case Kind::SetDataBlock: {
    unsigned index = in.dst;
    if (index == 0) {
      st.dataBlock = KB::of(0);
    } else if (index == 255) {
      st.dataBlock = KB::of(frame.pointer);
    } else {
      std::optional<uint16_t> entry;
      if (atom.dataTableOffset)
        entry = rom.u16(*atom.dataTableOffset + 4 + 2 * uint64_t(index));
      if (!entry) {
        warning(in.at, formatv("SET_DATA_BLOCK at {0:x}: master data table "
                               "entry {1} is not in the file; data operands "
                               "are unknown",
                               in.at, index));
        st.dataBlock = KB::unknown();
      } else {
        st.dataBlock = KB::of(*entry);
      }
    }
    break;
  }
  default:
    execData(in);
    break;
  }
}

LogicalResult AtomImporter::run(unsigned tableIndex) {
  const AtomCommandTable &table = atom.commandTables[tableIndex];
  llvm::StringRef name = commandTableName(tableIndex);
  std::string symbol = name.empty() ? formatv("atom_table_{0}", tableIndex).str()
                                    : name.lower();
  bool seeded = false;
  // ASIC_Init is run by the drivers with PS[0] = the default engine clock
  // and PS[1] = the default memory clock of FirmwareInfo and the rest of
  // 16 dwords zero; every other table's parameters are unknown.
  if (tableIndex == 0 && atom.dataTableOffset &&
      atom.dataTableEntries > kFirmwareInfoEntry) {
    std::optional<uint16_t> info =
        rom.u16(*atom.dataTableOffset + 4 + 2 * kFirmwareInfoEntry);
    std::optional<uint32_t> sclk, mclk;
    if (info && *info) {
      sclk = rom.u32(base + *info + 8);
      mclk = rom.u32(base + *info + 12);
    }
    if (sclk && mclk) {
      seeded = true;
      for (unsigned i = 0; i < 16; ++i)
        st.ps[i] = KB::of(0);
      st.ps[0] = KB::of(*sclk);
      st.ps[1] = KB::of(*mclk);
      if (!*sclk || !*mclk)
        warning(base + *info + 8,
                "AtomBIOS: FirmwareInfo gives a zero default clock; the "
                "drivers do not run ASIC_Init then");
    }
  }
  SmallVector<NamedAttribute> extra = {
      builder.getNamedAttr("table", builder.getStringAttr(name)),
      builder.getNamedAttr("table_index", i64(tableIndex)),
      builder.getNamedAttr("table_offset", i64(table.offset.value_or(0))),
      builder.getNamedAttr("format_revision", i64(table.formatRevision)),
      builder.getNamedAttr("content_revision", i64(table.contentRevision)),
      builder.getNamedAttr("ws", i64(table.workspaceSize)),
      builder.getNamedAttr("ps", i64(table.parameterSize)),
      builder.getNamedAttr("register_bar", i64(kRegisterBar)),
      builder.getNamedAttr(
          "parameters",
          builder.getStringAttr(seeded ? "firmware_info" : "unknown"))};
  seq = ctx.createSequence(symbol, "atombios", extra);
  builder.setInsertionPoint(seq.getBodyBlock().getTerminator());

  uint64_t entry = *atom.commandTableOffset + 4 + 2 * uint64_t(tableIndex);
  if (succeeded(enterTable(tableIndex, entry, 0)))
    while (!st.stack.empty() && !st.stopped && !fatal)
      step();
  else
    st.incomplete = true;
  bool failedImport = st.hadError || fatal;
  if (st.incomplete || failedImport)
    seq.setIncomplete(true);
  return failure(failedImport);
}

/// The table `selector` names: a decimal index or a name (case-insensitive).
std::optional<unsigned> selectTable(const AtomInfo &atom,
                                    llvm::StringRef selector) {
  unsigned index;
  if (!selector.empty() && llvm::all_of(selector, llvm::isDigit)) {
    if (selector.getAsInteger(10, index))
      return std::nullopt;
    return index;
  }
  for (unsigned i = 0; i < kCommandTableNames.size(); ++i)
    if (selector.equals_insensitive(kCommandTableNames[i]))
      return i;
  return std::nullopt;
}

} // namespace

std::optional<AtomInfo> gpuinit::rom::findAtomBios(llvm::ArrayRef<uint8_t> rom,
                                                   const RomLayout &layout,
                                                   RomDiagnosticHandler handler) {
  Bytes bytes{rom};
  for (const RomImage &image : layout.images)
    if (hasMagic(bytes, image))
      return parseAtom(bytes, image, handler);
  return std::nullopt;
}

bool gpuinit::rom::hasAtomBios(llvm::ArrayRef<uint8_t> rom,
                               const RomImage &image) {
  Bytes bytes{rom};
  if (!hasMagic(bytes, image))
    return false;
  std::optional<uint16_t> pointer = bytes.u16(image.offset + kHeaderPointerOffset);
  if (!pointer || !bytes.has(image.offset + *pointer, kHeaderV1Size))
    return false;
  return llvm::equal(bytes.data.slice(image.offset + *pointer + 4, 4),
                     llvm::StringRef("ATOM").bytes());
}

LogicalResult gpuinit::rom::importAtomBios(const ImageImportContext &ctx) {
  Bytes bytes{ctx.rom};
  // Header warnings about tables other than the imported one are for
  // --rom-info; the import reports what it uses.
  std::optional<AtomInfo> atom =
      parseAtom(bytes, ctx.image, [](const RomDiagnostic &) {});
  if (!atom) {
    ctx.error(ctx.image.offset + kHeaderPointerOffset,
              "AtomBIOS: no usable ROM header (see --rom-info)");
    return failure();
  }
  if (!atom->commandTableOffset) {
    ctx.error(atom->headerOffset + 0x1E,
              "AtomBIOS: the master command table is not in the file");
    return failure();
  }
  std::optional<unsigned> index = selectTable(*atom, ctx.options.atomTable);
  if (!index || *index >= atom->commandTables.size()) {
    ctx.error(*atom->commandTableOffset,
              formatv("AtomBIOS: --atom-table={0} names no command table: "
                      "give a name (ASIC_Init, SetEngineClock, ...) or an "
                      "index below {1}",
                      ctx.options.atomTable, atom->commandTables.size()));
    return failure();
  }
  const AtomCommandTable &table = atom->commandTables[*index];
  if (!table.pointer) {
    ctx.error(*atom->commandTableOffset + 4 + 2 * uint64_t(*index),
              formatv("AtomBIOS: command table {0} is absent from this ROM",
                      tableLabel(*index)));
    return failure();
  }
  AtomImporter importer(ctx, *atom);
  return importer.run(*index);
}
