//===- X86Emulate.cpp - legacy x86 option ROMs under libx86emu ------------===//
//
// `--import-rom --x86-emulate`: runs the INIT entry of a plain x86 image in
// libx86emu, inside a minimal real-mode PC (RAM below 1 MiB, an IVT of stub
// handlers, a BIOS data area, an emulated PCI BIOS and configuration space),
// and records every port, PCI configuration and device-memory access it makes
// as initseq ops. docs/ROM.md ("Legacy x86 images") describes the machine,
// the register model that answers reads and how each access is recorded.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROMImport.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#ifdef GPUINIT_HAVE_X86EMU
// x86emu.h defines the short type names (u8, u32, ...) as macros; it comes
// last and they are removed again after it.
#include <x86emu.h>
#undef u8
#undef u16
#undef u32
#undef u64
#undef s8
#undef s16
#undef s32
#undef s64
#endif

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::rom;

#ifndef GPUINIT_HAVE_X86EMU

LogicalResult gpuinit::rom::importX86Emulated(const ImageImportContext &ctx) {
  ctx.error(ctx.image.offset,
            llvm::formatv("image {0}: --x86-emulate: this gpuinit was built "
                          "without libx86emu (install libx86emu-dev and "
                          "reconfigure)",
                          ctx.image.index)
                .str());
  return failure();
}

#else

namespace {

//===----------------------------------------------------------------------===//
// The machine
//===----------------------------------------------------------------------===//

/// RAM below 1 MiB; everything above is device memory.
constexpr uint32_t kRamSize = 0x100000;
/// Where the image is copied, as a BIOS shadows it (C000:0000), and the
/// most copied (the C0000-DFFFF option ROM window).
constexpr uint32_t kRomBase = 0xC0000;
constexpr uint32_t kRomWindow = 0x20000;
/// The legacy VGA memory window.
constexpr uint32_t kVgaBase = 0xA0000;
constexpr uint32_t kVgaEnd = 0xC0000;
/// Interrupt vector n points to F000:(E000 + n), an IRET; services the
/// machine emulates run when execution reaches such a stub.
constexpr uint16_t kBiosSegment = 0xF000;
constexpr uint16_t kStubOffset = 0xE000;
constexpr uint32_t kStubBase = (uint32_t(kBiosSegment) << 4) + kStubOffset;
/// The init entry is far-called with this return address (a HLT, never
/// executed: reaching it ends the run).
constexpr uint16_t kSentinelOffset = 0xF000;
constexpr uint32_t kSentinel = (uint32_t(kBiosSegment) << 4) + kSentinelOffset;
/// ES:DI at entry: F000:F100, zero bytes (no "$PnP" installation check).
constexpr uint16_t kPnpOffset = 0xF100;
/// The stack: 8000:FFF0 down.
constexpr uint16_t kStackSegment = 0x8000;
constexpr uint16_t kStackTop = 0xFFF0;
/// The device's PCI address: bus 0, device 2, function 0.
constexpr uint8_t kBus = 0;
constexpr uint8_t kDevFn = 2 << 3;
/// BAR0: a 32-bit memory BAR of 64 MiB, assigned at 0xE0000000.
constexpr uint32_t kBar0Base = 0xE0000000;
constexpr uint32_t kBarSize = 64u << 20;
/// The BIOS timer tick (BDA 0x46C) advances once per this many instructions.
constexpr uint64_t kInstructionsPerTick = 1u << 16;
/// Device memory the model stores, in 4 KiB pages (16 MiB; reads elsewhere
/// return all ones).
constexpr size_t kMaxDevicePages = 4096;
/// Longest run of different values one `x86-mem-block` op holds.
constexpr uint64_t kMaxBlockElements = 4096;

/// Why the run ended.
enum class Exit {
  Running,
  Returned,
  Halted,
  Exception,
  InstructionLimit,
  Loop,
  OpLimit,
  FetchFault,
  Unknown,
};

/// The `x86_exit` value of the sequence.
llvm::StringRef exitName(Exit exit, uint8_t exception) {
  switch (exit) {
  case Exit::Running:
  case Exit::Unknown:
    return "stopped";
  case Exit::Returned:
    return "returned";
  case Exit::Halted:
    return "hlt";
  case Exit::Exception:
    return exception == 6 ? "invalid-opcode" : "exception";
  case Exit::InstructionLimit:
    return "instruction-limit";
  case Exit::Loop:
    return "loop";
  case Exit::OpLimit:
    return "op-limit";
  case Exit::FetchFault:
    return "fetch-fault";
  }
  return "stopped";
}

/// The name of a CPU exception vector.
llvm::StringRef exceptionName(uint8_t vector) {
  switch (vector) {
  case 0:
    return "#DE, divide error";
  case 1:
    return "#DB, debug";
  case 4:
    return "#OF, overflow";
  case 5:
    return "#BR, bound range exceeded";
  case 6:
    return "#UD, invalid opcode";
  case 7:
    return "#NM, device not available";
  case 8:
    return "#DF, double fault";
  case 10:
    return "#TS, invalid TSS";
  case 11:
    return "#NP, segment not present";
  case 12:
    return "#SS, stack fault";
  case 13:
    return "#GP, general protection";
  case 14:
    return "#PF, page fault";
  case 16:
    return "#MF, x87 error";
  default:
    return "unknown";
  }
}

/// An access recorded during the run, turned into an op afterwards.
struct Event {
  enum Kind : uint8_t {
    IoWrite,
    IoRead,
    CfgWrite,
    CfgRead,
    MmioWrite,
    MmioRead,
    /// A run of device-memory writes at consecutive addresses (opaque).
    MemWrite,
    /// A device-memory read outside every BAR (opaque).
    MemRead,
    /// An access that no address space holds (opaque `x86-<name>`).
    Opaque,
    Delay,
  };
  Kind kind = IoWrite;
  /// Access size in bytes (1, 2, 4).
  uint8_t bytes = 0;
  uint8_t bar = 0;
  /// MemWrite: all values equal (`value`); else `data` holds them.
  bool uniform = true;
  /// ROM file offset of the instruction, or -1 outside the ROM.
  int64_t src = -1;
  uint64_t address = 0;
  uint64_t value = 0;
  /// MemWrite: number of writes in the run.
  uint64_t count = 1;
  /// MemWrite (non-uniform): the bytes written, little-endian.
  std::vector<uint8_t> data;
  /// Opaque: kind suffix and operands.
  const char *name = nullptr;
  llvm::SmallVector<int64_t, 5> operands;
};

/// All ones in `bytes` bytes.
uint64_t onesOf(unsigned bytes) {
  return bytes >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * bytes)) - 1;
}

/// I/O port register model (docs/ROM.md): the last value written per port;
/// per index for the indexed VGA, CMOS and Bochs VBE ("DISPI") pairs; and a
/// few ports whose reads must change for wait loops to end.
class PortModel {
public:
  uint32_t read(uint16_t port, unsigned size) {
    if (port == 0x1CE)
      return widen(dispiIndex, 2, size);
    if (port == 0x1CF) {
      auto it = dispi.find(dispiIndex);
      return widen(it == dispi.end() ? 0xFFFF : it->second, 2, size);
    }
    if (isBytePort(port)) {
      uint32_t value = 0;
      for (unsigned i = 0; i < size; ++i)
        value |= uint32_t(readByte(uint16_t(port + i))) << (8 * i);
      return value;
    }
    auto it = lastWritten.find(port);
    if (it == lastWritten.end())
      return uint32_t(onesOf(size));
    return widen(it->second.first, it->second.second, size);
  }

  void write(uint16_t port, uint32_t value, unsigned size) {
    if (port == 0x1CE) {
      dispiIndex = value & 0xFFFF;
      return;
    }
    if (port == 0x1CF) {
      dispi[dispiIndex] = value & 0xFFFF;
      return;
    }
    if (isBytePort(port)) {
      for (unsigned i = 0; i < size; ++i)
        writeByte(uint16_t(port + i), uint8_t(value >> (8 * i)));
      return;
    }
    lastWritten[port] = {value, size};
  }

private:
  /// `value` of `from` bytes read as `to` bytes: cut, or all ones above.
  static uint32_t widen(uint32_t value, unsigned from, unsigned to) {
    uint64_t v = (value & onesOf(from)) | (onesOf(to) & ~onesOf(from));
    return uint32_t(v & onesOf(to));
  }
  /// Ports modelled a byte at a time: the VGA registers, CMOS, the PIT, the
  /// keyboard controller status and port 61h. A 16-bit write to an index
  /// port writes the index, then the data port.
  static bool isBytePort(uint16_t port) {
    return (port >= 0x3B4 && port <= 0x3B5) || port == 0x3BA ||
           (port >= 0x3C0 && port <= 0x3CF) ||
           (port >= 0x3D4 && port <= 0x3D5) || port == 0x3DA ||
           (port >= 0x40 && port <= 0x43) || port == 0x61 || port == 0x64 ||
           port == 0x70 || port == 0x71;
  }

  uint8_t readByte(uint16_t port) {
    switch (port) {
    case 0x3C5:
    case 0x3CF:
    case 0x3D5:
    case 0x3B5:
      return indexed(port, last(port - 1, 0), 0xFF);
    case 0x71:
      return indexed(port, last(0x70, 0) & 0x7F, 0x00);
    case 0x3C0:
      return attributeIndex;
    case 0x3C1:
      return indexed(0x3C1, attributeIndex & 0x1F, 0xFF);
    case 0x3CC:
      return last(0x3C2, 0xFF);
    case 0x3DA:
    case 0x3BA:
      // Input status 1: display-enable and vertical-retrace bits toggle on
      // every read; the read also resets the attribute flip-flop.
      attributeData = false;
      status1 ^= 0x09;
      return status1;
    case 0x61:
      // Refresh toggle (bit 4) flips on every read.
      refresh ^= 0x10;
      return (last(0x61, 0x00) & ~0x10) | refresh;
    case 0x64:
      // Keyboard controller: both buffers empty, self test passed.
      return 0x14;
    case 0x40:
    case 0x41:
    case 0x42: {
      // PIT counters count down: low byte, then high byte of the count.
      unsigned channel = port - 0x40;
      uint8_t value;
      if (!pitHigh[channel]) {
        pitCount[channel] -= 0x97;
        value = pitCount[channel] & 0xFF;
      } else {
        value = pitCount[channel] >> 8;
      }
      pitHigh[channel] = !pitHigh[channel];
      return value;
    }
    default:
      return last(port, 0xFF);
    }
  }

  void writeByte(uint16_t port, uint8_t value) {
    switch (port) {
    case 0x3C5:
    case 0x3CF:
    case 0x3D5:
    case 0x3B5:
      values[key(port, last(port - 1, 0))] = value;
      break;
    case 0x71:
      values[key(port, last(0x70, 0) & 0x7F)] = value;
      break;
    case 0x3C0:
      if (attributeData)
        values[key(0x3C1, attributeIndex & 0x1F)] = value;
      else
        attributeIndex = value;
      attributeData = !attributeData;
      break;
    case 0x43:
      pitHigh[(value >> 6) % 3] = false;
      break;
    default:
      break;
    }
    lastWritten[port] = {value, 1};
  }

  static uint32_t key(uint16_t dataPort, uint8_t index) {
    return (uint32_t(dataPort) << 8) | index;
  }
  uint8_t last(uint16_t port, uint8_t otherwise) const {
    auto it = lastWritten.find(port);
    return it == lastWritten.end() ? otherwise
                                   : uint8_t(it->second.first & 0xFF);
  }
  uint8_t indexed(uint16_t dataPort, uint8_t index, uint8_t otherwise) const {
    auto it = values.find(key(dataPort, index));
    return it == values.end() ? otherwise : it->second;
  }

  /// Port -> last value written and its size in bytes.
  llvm::DenseMap<uint16_t, std::pair<uint32_t, unsigned>> lastWritten;
  llvm::DenseMap<uint32_t, uint8_t> values;
  uint16_t dispiIndex = 0;
  llvm::DenseMap<uint16_t, uint16_t> dispi;
  uint8_t attributeIndex = 0;
  bool attributeData = false;
  uint8_t status1 = 0;
  uint8_t refresh = 0;
  std::array<uint16_t, 3> pitCount = {0xFFFF, 0xFFFF, 0xFFFF};
  std::array<bool, 3> pitHigh = {false, false, false};
};

/// The device's PCI configuration space (256 bytes).
class ConfigSpace {
public:
  explicit ConfigSpace(const RomImage &image) {
    bytes.fill(0);
    put(0x00, image.vendorId, 2);
    put(0x02, image.deviceId, 2);
    put(0x04, 0x0003, 2); // I/O and memory decoding on
    // Class code, prog-if first; S3-style reversed PCIR bytes are undone.
    std::array<uint8_t, 3> cls = image.classCode;
    if (image.classCodeReversed)
      std::swap(cls[0], cls[2]);
    put(0x09, cls[0], 1);
    put(0x0A, cls[1], 1);
    put(0x0B, cls[2], 1);
    put(0x10, kBar0Base, 4);
    put(0x3C, 0x0B, 1); // interrupt line
    put(0x3D, 0x01, 1); // INTA#
  }

  uint32_t read(unsigned reg, unsigned size) const {
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i)
      value |= uint32_t(bytes[reg + i]) << (8 * i);
    return value;
  }

  void write(unsigned reg, uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size; ++i) {
      unsigned r = reg + i;
      uint8_t byte = value >> (8 * i);
      // Read-only: ids, revision, class, header type; unimplemented BARs
      // 1-5, CardBus CIS, subsystem ids and the expansion ROM BAR.
      if (r < 0x04 || (r >= 0x08 && r < 0x0C) || r == 0x0E ||
          (r >= 0x14 && r < 0x30) || (r >= 0x30 && r < 0x34) || r == 0x3D)
        continue;
      // BAR0: 64 MiB memory BAR, address bits 31:26 writable.
      if (r >= 0x10 && r < 0x14) {
        if (r == 0x13)
          bytes[r] = byte & 0xFC;
        continue;
      }
      bytes[r] = byte;
    }
  }

  /// Base address of BAR `index` when it is a memory BAR with an address.
  std::optional<uint32_t> memoryBar(unsigned index) const {
    uint32_t value = read(0x10 + 4 * index, 4);
    if (value & 1)
      return std::nullopt;
    uint32_t base = value & ~uint32_t(0xF);
    if (base == 0)
      return std::nullopt;
    return base;
  }

private:
  void put(unsigned reg, uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size; ++i)
      bytes[reg + i] = value >> (8 * i);
  }
  std::array<uint8_t, 256> bytes;
};

/// Device memory above 1 MiB: what was written, all ones elsewhere.
class DeviceMemory {
public:
  uint32_t read(uint32_t address, unsigned size) const {
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i)
      value |= uint32_t(readByte(address + i)) << (8 * i);
    return value;
  }
  void write(uint32_t address, uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size; ++i)
      writeByte(address + i, value >> (8 * i));
  }

private:
  using Page = std::array<uint8_t, 4096>;
  uint8_t readByte(uint32_t address) const {
    auto it = pages.find(address >> 12);
    return it == pages.end() ? 0xFF : (*it->second)[address & 0xFFF];
  }
  void writeByte(uint32_t address, uint8_t value) {
    auto it = pages.find(address >> 12);
    if (it == pages.end()) {
      if (pages.size() >= kMaxDevicePages)
        return;
      auto page = std::make_unique<Page>();
      page->fill(0xFF);
      it = pages.try_emplace(address >> 12, std::move(page)).first;
    }
    (*it->second)[address & 0xFFF] = value;
  }
  llvm::DenseMap<uint32_t, std::unique_ptr<Page>> pages;
};

/// One run of an image's init entry.
class Machine {
public:
  explicit Machine(const ImageImportContext &ctx)
      : ctx(ctx), config(ctx.image) {}
  ~Machine() {
    if (emu)
      x86emu_done(emu);
  }

  LogicalResult run();

private:
  // Set-up.
  void setUpMemory();
  void setUpCpu();

  // libx86emu callbacks.
  static unsigned memioThunk(x86emu_t *emu, uint32_t address, uint32_t *value,
                             unsigned type) {
    return self(emu).memio(address, value, type);
  }
  static int codeThunk(x86emu_t *emu) { return self(emu).beforeInstruction(); }
  static int intrThunk(x86emu_t *emu, uint8_t number, unsigned type) {
    return self(emu).interrupt(number, type);
  }
  static Machine &self(x86emu_t *emu) {
    return *static_cast<Machine *>(emu->_private);
  }
  unsigned memio(uint32_t address, uint32_t *value, unsigned type);
  int beforeInstruction();
  int interrupt(uint8_t number, unsigned type);

  // Ports and configuration space.
  uint32_t portIn(uint16_t port, unsigned size);
  void portOut(uint16_t port, uint32_t value, unsigned size);
  std::optional<unsigned> selectedConfigRegister(uint16_t port,
                                                 unsigned size) const;
  void recordConfigAddressLatch();

  // Device memory.
  uint32_t deviceRead(uint32_t address, unsigned size, bool record);
  void deviceWrite(uint32_t address, uint32_t value, unsigned size);
  std::optional<std::pair<unsigned, uint32_t>> barOf(uint32_t address) const;
  void recordMemoryWrite(uint32_t address, uint32_t value, unsigned size);

  // BIOS services.
  void service(uint8_t number);
  void pciBios();
  void setReturnFlag(uint32_t flag, bool set);
  uint8_t peek(uint32_t linear);
  int64_t romOffset(uint32_t linear) const;
  uint64_t repeatCount();

  // Recording.
  Event *record(Event::Kind kind);
  void recordOpaque(const char *name, llvm::ArrayRef<int64_t> operands);
  void stop(Exit why);
  uint64_t executed() const { return emu->x86.R_TSC + repeatExtra; }

  // Output.
  void emitOps(initseq::SequenceOp seq);
  std::string describe() const;

  const ImageImportContext &ctx;
  x86emu_t *emu = nullptr;
  x86emu_memio_handler_t ramHandler = nullptr;
  std::vector<uint8_t> ram;
  uint32_t romBytes = 0;

  PortModel ports;
  ConfigSpace config;
  DeviceMemory device;
  uint32_t configAddress = 0;
  bool configAddressRecorded = true;

  // The instruction about to run (set before each one).
  uint16_t instrCs = 0;
  uint32_t instrIp = 0;
  uint32_t instrLinear = 0;
  int64_t instrSrc = -1;

  // REP string instructions count one instruction per iteration.
  uint64_t repeatExtra = 0;
  std::optional<uint64_t> pendingRepeat;
  bool pendingRepeat32 = false;
  uint64_t lastTick = 0;
  /// The count of a REP instruction stopped because it would pass the limit.
  uint64_t blockedRepeat = 0;

  Exit exit = Exit::Running;
  uint8_t exception = 0;
  std::string faultBytes;
  std::vector<Event> events;
};

//===----------------------------------------------------------------------===//
// Set-up
//===----------------------------------------------------------------------===//

void Machine::setUpMemory() {
  ram.assign(kRamSize, 0);
  auto put16 = [&](uint32_t at, uint16_t v) {
    ram[at] = v & 0xFF;
    ram[at + 1] = v >> 8;
  };
  // IVT: every vector to its stub; every stub an IRET.
  for (unsigned n = 0; n < 256; ++n) {
    put16(n * 4, kStubOffset + n);
    put16(n * 4 + 2, kBiosSegment);
    ram[kStubBase + n] = 0xCF;
  }
  ram[kSentinel] = 0xF4;
  // BIOS data area: 640 KiB, colour 80x25 text mode 3 on a VGA.
  put16(0x410, 0x0020);
  put16(0x413, 640);
  ram[0x449] = 0x03;
  put16(0x44A, 80);
  put16(0x44C, 0x1000);
  put16(0x463, 0x3D4);
  ram[0x484] = 24;
  put16(0x485, 16);
  // System BIOS date and model byte (PC/AT).
  const char date[] = "01/01/24";
  for (unsigned i = 0; i < 8; ++i)
    ram[0xFFFF5 + i] = date[i];
  ram[0xFFFFE] = 0xFC;

  // The image, as shadowed by a BIOS.
  uint64_t end = std::min<uint64_t>(ctx.image.end(), ctx.rom.size());
  uint64_t size = end > ctx.image.offset ? end - ctx.image.offset : 0;
  romBytes = uint32_t(std::min<uint64_t>(size, kRomWindow));
  std::copy_n(ctx.rom.begin() + ctx.image.offset, romBytes,
              ram.begin() + kRomBase);

  for (uint32_t page = 0; page < kRamSize; page += X86EMU_PAGE_SIZE)
    x86emu_set_page(emu, page, ram.data() + page);
}

void Machine::setUpCpu() {
  auto &x86 = emu->x86;
  // Far call to C000:0003 returning to the sentinel.
  uint16_t sp = kStackTop;
  auto push = [&](uint16_t v) {
    sp -= 2;
    uint32_t at = (uint32_t(kStackSegment) << 4) + sp;
    ram[at] = v & 0xFF;
    ram[at + 1] = v >> 8;
  };
  push(kBiosSegment);
  push(kSentinelOffset);
  x86emu_set_seg_register(emu, x86.R_CS_SEL, uint16_t(kRomBase >> 4));
  x86emu_set_seg_register(emu, x86.R_SS_SEL, kStackSegment);
  x86emu_set_seg_register(emu, x86.R_DS_SEL, 0);
  x86emu_set_seg_register(emu, x86.R_ES_SEL, kBiosSegment);
  x86emu_set_seg_register(emu, x86.R_FS_SEL, 0);
  x86emu_set_seg_register(emu, x86.R_GS_SEL, 0);
  x86.R_EIP = 3;
  x86.R_ESP = sp;
  // PCI firmware: AH = bus, AL = device << 3 | function; PnP: BX = DX =
  // 0xFFFF (no ISA PnP), ES:DI = the installation check structure.
  x86.R_EAX = (uint32_t(kBus) << 8) | kDevFn;
  x86.R_EBX = 0xFFFF;
  x86.R_EDX = 0xFFFF;
  x86.R_ECX = 0;
  x86.R_ESI = 0;
  x86.R_EDI = kPnpOffset;
  x86.R_EBP = 0;
  x86.R_EFLG = 0x0002;
}

//===----------------------------------------------------------------------===//
// Callbacks
//===----------------------------------------------------------------------===//

void Machine::stop(Exit why) {
  if (exit == Exit::Running)
    exit = why;
  x86emu_stop(emu);
}

uint8_t Machine::peek(uint32_t linear) {
  if (linear < kRamSize)
    return ram[linear];
  return device.read(linear, 1) & 0xFF;
}

/// The file offset of the byte at `linear` when it lies in the ROM copy;
/// -1 otherwise.
int64_t Machine::romOffset(uint32_t linear) const {
  if (linear < kRomBase || linear >= kRomBase + romBytes)
    return -1;
  return int64_t(ctx.image.offset + (linear - kRomBase));
}

/// The iterations the instruction at CS:EIP runs when it is a REP-prefixed
/// string instruction; 0 otherwise.
uint64_t Machine::repeatCount() {
  auto &x86 = emu->x86;
  bool address32 = ACC_D(x86.R_CS_ACC);
  bool repeat = false;
  for (unsigned i = 0; i < 15; ++i) {
    uint8_t byte = peek(x86.R_CS_BASE + x86.R_EIP + i);
    switch (byte) {
    case 0x67:
      address32 = !address32;
      continue;
    case 0xF2:
    case 0xF3:
      repeat = true;
      continue;
    case 0x26:
    case 0x2E:
    case 0x36:
    case 0x3E:
    case 0x64:
    case 0x65:
    case 0x66:
    case 0xF0:
      continue;
    default: {
      // ins, outs (6C-6F); movs, cmps (A4-A7); stos, lods, scas (AA-AF).
      bool string = (byte >= 0x6C && byte <= 0x6F) ||
                    (byte >= 0xA4 && byte <= 0xA7) ||
                    (byte >= 0xAA && byte <= 0xAF);
      if (!repeat || !string)
        return 0;
      pendingRepeat32 = address32;
      return address32 ? x86.R_ECX : x86.R_CX;
    }
    }
  }
  return 0;
}

int Machine::beforeInstruction() {
  auto &x86 = emu->x86;
  // The REP instruction that just ran: count its iterations beyond the first.
  if (pendingRepeat) {
    uint64_t left = pendingRepeat32 ? x86.R_ECX : x86.R_CX;
    uint64_t ran = *pendingRepeat >= left ? *pendingRepeat - left : 0;
    if (ran > 1)
      repeatExtra += ran - 1;
    pendingRepeat.reset();
  }

  instrCs = x86.R_CS;
  instrIp = x86.R_EIP;
  instrLinear = x86.R_CS_BASE + x86.R_EIP;
  instrSrc = romOffset(instrLinear);

  if (instrLinear == kSentinel) {
    stop(Exit::Returned);
    return 1;
  }
  uint64_t done = executed();
  uint64_t limit = ctx.options.x86MaxInstructions;
  if (done >= limit) {
    stop(Exit::InstructionLimit);
    return 1;
  }
  if (uint64_t count = repeatCount()) {
    if (count > limit - done) {
      blockedRepeat = count;
      stop(Exit::InstructionLimit);
      return 1;
    }
    pendingRepeat = count;
  }
  // The BIOS timer tick, so that waits on it end.
  if (done / kInstructionsPerTick != lastTick) {
    uint64_t now = done / kInstructionsPerTick;
    uint32_t ticks = ram[0x46C] | (ram[0x46D] << 8) | (ram[0x46E] << 16) |
                     (uint32_t(ram[0x46F]) << 24);
    ticks += uint32_t(now - lastTick);
    for (unsigned i = 0; i < 4; ++i)
      ram[0x46C + i] = ticks >> (8 * i);
    lastTick = now;
  }
  if (instrLinear >= kStubBase && instrLinear < kStubBase + 256)
    service(uint8_t(instrLinear - kStubBase));
  return exit == Exit::Running ? 0 : 1;
}

int Machine::interrupt(uint8_t number, unsigned type) {
  // CPU exceptions come as faults, or (divide error) as interrupts that
  // restart the instruction; INT n goes through the IVT.
  if ((type & 0xFF) != INTR_TYPE_FAULT && !(type & INTR_MODE_RESTART))
    return 0;
  exception = number;
  auto &x86 = emu->x86;
  faultBytes.clear();
  for (unsigned i = 0; i < x86.instr_len && i < sizeof x86.instr_buf; ++i)
    faultBytes +=
        llvm::formatv("{0}{1:x-2}", i ? " " : "", unsigned(x86.instr_buf[i]))
            .str();
  stop(Exit::Exception);
  return 1;
}

unsigned Machine::memio(uint32_t address, uint32_t *value, unsigned type) {
  unsigned kind = type & ~0xFFu;
  unsigned sizeCode = type & 0xFF;
  bool peekOnly = sizeCode == X86EMU_MEMIO_8_NOPERM;
  unsigned size = peekOnly ? 1 : 1u << sizeCode;
  if (kind == X86EMU_MEMIO_I) {
    *value = portIn(uint16_t(address), size);
    return 0;
  }
  if (kind == X86EMU_MEMIO_O) {
    portOut(uint16_t(address), *value & uint32_t(onesOf(size)), size);
    return 0;
  }
  if (address >= kRamSize) {
    if (kind == X86EMU_MEMIO_W)
      deviceWrite(address, *value & uint32_t(onesOf(size)), size);
    else
      *value = deviceRead(address, size,
                          /*record=*/kind == X86EMU_MEMIO_R && !peekOnly);
    return 0;
  }
  if (kind == X86EMU_MEMIO_W && !peekOnly && address >= kVgaBase &&
      address < kVgaEnd)
    recordMemoryWrite(address, *value & uint32_t(onesOf(size)), size);
  return ramHandler(emu, address, value, type);
}

//===----------------------------------------------------------------------===//
// Ports and PCI configuration mechanism #1
//===----------------------------------------------------------------------===//

/// The configuration register a data-port access at `port` reaches when
/// CF8 selects this device; nullopt for other devices or no selection.
std::optional<unsigned> Machine::selectedConfigRegister(uint16_t port,
                                                        unsigned size) const {
  if (port < 0xCFC || port > 0xCFF || !(configAddress & 0x80000000u))
    return std::nullopt;
  uint8_t bus = (configAddress >> 16) & 0xFF;
  uint8_t devfn = (configAddress >> 8) & 0xFF;
  if (bus != kBus || devfn != kDevFn)
    return std::nullopt;
  unsigned reg = (configAddress & 0xFC) + (port - 0xCFC);
  if (reg + size > 256)
    return std::nullopt;
  return reg;
}

/// Before a data-port access to another device, the CF8 write that selected
/// it (CF8 writes are otherwise implied by the `cfg` ops).
void Machine::recordConfigAddressLatch() {
  if (configAddressRecorded)
    return;
  if (Event *e = record(Event::IoWrite)) {
    e->address = 0xCF8;
    e->bytes = 4;
    e->value = configAddress;
    configAddressRecorded = true;
  }
}

uint32_t Machine::portIn(uint16_t port, unsigned size) {
  if (port == 0xCF8 && size == 4)
    return configAddress;
  if (std::optional<unsigned> reg = selectedConfigRegister(port, size)) {
    uint32_t v = config.read(*reg, size);
    if (Event *e = record(Event::CfgRead)) {
      e->address = *reg;
      e->bytes = size;
      e->value = v;
    }
    return v;
  }
  uint32_t v;
  if (port >= 0xCFC && port <= 0xCFF && (configAddress & 0x80000000u)) {
    recordConfigAddressLatch();
    v = uint32_t(onesOf(size)); // no other device answers
  } else {
    v = ports.read(port, size);
  }
  if (uint32_t(port) + size > 0x10000) {
    recordOpaque("x86-io-read", {port, int64_t(v), int64_t(size)});
    return v;
  }
  if (Event *e = record(Event::IoRead)) {
    e->address = port;
    e->bytes = size;
    e->value = v;
  }
  return v;
}

void Machine::portOut(uint16_t port, uint32_t value, unsigned size) {
  if (port == 0xCF8 && size == 4) {
    if (value != configAddress)
      configAddressRecorded = false;
    configAddress = value;
    return;
  }
  if (std::optional<unsigned> reg = selectedConfigRegister(port, size)) {
    config.write(*reg, value, size);
    if (Event *e = record(Event::CfgWrite)) {
      e->address = *reg;
      e->bytes = size;
      e->value = value;
    }
    return;
  }
  if (port >= 0xCFC && port <= 0xCFF && (configAddress & 0x80000000u))
    recordConfigAddressLatch();
  else
    ports.write(port, value, size);
  if (uint32_t(port) + size > 0x10000) {
    recordOpaque("x86-io-write", {port, int64_t(value), int64_t(size)});
    return;
  }
  if (Event *e = record(Event::IoWrite)) {
    e->address = port;
    e->bytes = size;
    e->value = value;
  }
}

//===----------------------------------------------------------------------===//
// Device memory
//===----------------------------------------------------------------------===//

/// The BAR whose 64 MiB window holds `address`, and the offset in it.
std::optional<std::pair<unsigned, uint32_t>>
Machine::barOf(uint32_t address) const {
  for (unsigned bar = 0; bar < 6; ++bar)
    if (std::optional<uint32_t> base = config.memoryBar(bar))
      if (address >= *base && address - *base < kBarSize)
        return std::make_pair(bar, address - *base);
  return std::nullopt;
}

uint32_t Machine::deviceRead(uint32_t address, unsigned size, bool record) {
  uint32_t v = device.read(address, size);
  if (!record)
    return v;
  if (auto bar = barOf(address)) {
    if (Event *e = this->record(Event::MmioRead)) {
      e->bar = bar->first;
      e->address = bar->second;
      e->bytes = size;
      e->value = v;
    }
  } else if (Event *e = this->record(Event::MemRead)) {
    e->address = address;
    e->bytes = size;
    e->value = v;
  }
  return v;
}

void Machine::deviceWrite(uint32_t address, uint32_t value, unsigned size) {
  device.write(address, value, size);
  if (auto bar = barOf(address)) {
    if (Event *e = record(Event::MmioWrite)) {
      e->bar = bar->first;
      e->address = bar->second;
      e->bytes = size;
      e->value = value;
    }
    return;
  }
  recordMemoryWrite(address, value, size);
}

/// Appends a write to the VGA window or unclaimed device memory, extending
/// the previous run when it continues at the next address.
void Machine::recordMemoryWrite(uint32_t address, uint32_t value,
                                unsigned size) {
  if (!events.empty()) {
    Event &last = events.back();
    if (last.kind == Event::MemWrite && last.bytes == size &&
        last.address + last.count * size == address) {
      if (last.uniform && last.value == value) {
        ++last.count;
        return;
      }
      auto append = [&](uint64_t v) {
        for (unsigned i = 0; i < size; ++i)
          last.data.push_back(uint8_t(v >> (8 * i)));
      };
      if (last.uniform && last.count == 1) {
        last.uniform = false;
        append(last.value);
        append(value);
        ++last.count;
        return;
      }
      if (!last.uniform && last.count < kMaxBlockElements) {
        append(value);
        ++last.count;
        return;
      }
    }
  }
  if (Event *e = record(Event::MemWrite)) {
    e->address = address;
    e->bytes = size;
    e->value = value;
  }
}

//===----------------------------------------------------------------------===//
// BIOS services (reached through the IVT stubs)
//===----------------------------------------------------------------------===//

/// Sets or clears `flag` in the FLAGS image the stub's IRET will restore.
void Machine::setReturnFlag(uint32_t flag, bool set) {
  auto &x86 = emu->x86;
  uint32_t at = x86.R_SS_BASE + ((x86.R_SP + 4) & 0xFFFF);
  if (at + 1 >= kRamSize)
    return;
  uint16_t flags = ram[at] | (ram[at + 1] << 8);
  flags = set ? flags | flag : flags & ~flag;
  ram[at] = flags & 0xFF;
  ram[at + 1] = flags >> 8;
}

void Machine::service(uint8_t number) {
  auto &x86 = emu->x86;
  // What the service records is attributed to the INT instruction of the
  // ROM that called it (the return address on the stack follows it).
  uint32_t frame = x86.R_SS_BASE + x86.R_SP;
  if (frame + 3 < kRamSize) {
    uint32_t ip = ram[frame] | (ram[frame + 1] << 8);
    uint32_t cs = ram[frame + 2] | (ram[frame + 3] << 8);
    uint32_t after = (cs << 4) + ip;
    uint32_t caller = after - 2;
    if (after >= 2 && after <= kRamSize && ram[caller] == 0xCD &&
        ram[caller + 1] == number)
      instrSrc = romOffset(caller);
  }
  switch (number) {
  case 0x11: // equipment list
    x86.R_AX = ram[0x410] | (ram[0x411] << 8);
    return;
  case 0x12: // conventional memory size
    x86.R_AX = 640;
    return;
  case 0x15:
    if (x86.R_AH == 0x86) { // wait CX:DX microseconds
      uint64_t us = (uint32_t(x86.R_CX) << 16) | x86.R_DX;
      if (Event *e = record(Event::Delay))
        e->value = us * 1000;
      x86.R_AH = 0;
      setReturnFlag(F_CF, false);
    } else if (x86.R_AH == 0x88) { // extended memory size: none
      x86.R_AX = 0;
      setReturnFlag(F_CF, false);
    } else {
      x86.R_AH = 0x86;
      setReturnFlag(F_CF, true);
    }
    return;
  case 0x16: // keyboard: no keys
    switch (x86.R_AH) {
    case 0x00:
    case 0x10:
      x86.R_AX = 0;
      return;
    case 0x01:
    case 0x11:
      setReturnFlag(F_ZF, true);
      return;
    case 0x02:
    case 0x12:
      x86.R_AL = 0;
      return;
    default:
      return;
    }
  case 0x1A:
    if (x86.R_AH == 0x00) { // tick count
      x86.R_CX = ram[0x46E] | (ram[0x46F] << 8);
      x86.R_DX = ram[0x46C] | (ram[0x46D] << 8);
      x86.R_AL = 0;
      return;
    }
    if (x86.R_AH == 0xB1) {
      pciBios();
      return;
    }
    setReturnFlag(F_CF, true);
    return;
  default:
    // int 10h without a handler of the ROM's own, and everything else:
    // nothing happens.
    return;
  }
}

/// PCI BIOS 2.1 (int 1Ah, AH = B1h) for a machine whose only device is the
/// ROM's.
void Machine::pciBios() {
  auto &x86 = emu->x86;
  auto done = [&](uint8_t status) {
    x86.R_AH = status;
    setReturnFlag(F_CF, status != 0);
  };
  uint32_t classCode = config.read(0x08, 4) >> 8;
  uint8_t function = x86.R_AL;
  switch (function) {
  case 0x01:                // installation check
    x86.R_EDX = 0x20494350; // "PCI "
    x86.R_AL = 0x01;        // configuration mechanism #1
    x86.R_BX = 0x0210;      // version 2.10
    x86.R_CL = 0;           // last bus
    x86.R_EDI = 0;
    done(0);
    return;
  case 0x02: // find device
    if (x86.R_DX == 0xFFFF)
      return done(0x83);
    if (x86.R_DX == ctx.image.vendorId && x86.R_CX == ctx.image.deviceId &&
        x86.R_SI == 0) {
      x86.R_BH = kBus;
      x86.R_BL = kDevFn;
      return done(0);
    }
    return done(0x86);
  case 0x03: // find class code
    if ((x86.R_ECX & 0xFFFFFF) == classCode && x86.R_SI == 0) {
      x86.R_BH = kBus;
      x86.R_BL = kDevFn;
      return done(0);
    }
    return done(0x86);
  case 0x08:
  case 0x09:
  case 0x0A:
  case 0x0B:
  case 0x0C:
  case 0x0D: {
    bool write = function >= 0x0B;
    unsigned size = 1u << ((function - 0x08) % 3);
    unsigned reg = x86.R_DI;
    if (reg % size != 0 || reg + size > 256)
      return done(0x87);
    bool ours = x86.R_BH == kBus && x86.R_BL == kDevFn;
    if (!write) {
      uint32_t v = ours ? config.read(reg, size) : uint32_t(onesOf(size));
      if (ours)
        if (Event *e = record(Event::CfgRead)) {
          e->address = reg;
          e->bytes = size;
          e->value = v;
        }
      if (size == 1)
        x86.R_CL = uint8_t(v);
      else if (size == 2)
        x86.R_CX = uint16_t(v);
      else
        x86.R_ECX = v;
      return done(0);
    }
    uint32_t v = size == 1 ? x86.R_CL : size == 2 ? x86.R_CX : x86.R_ECX;
    if (ours) {
      config.write(reg, v, size);
      if (Event *e = record(Event::CfgWrite)) {
        e->address = reg;
        e->bytes = size;
        e->value = v;
      }
    } else {
      recordOpaque("x86-pci-bios-write", {x86.R_BH, x86.R_BL, int64_t(reg),
                                          int64_t(v), int64_t(size)});
    }
    return done(0);
  }
  default: // special cycles, IRQ routing: not supported
    return done(0x81);
  }
}

//===----------------------------------------------------------------------===//
// Recording
//===----------------------------------------------------------------------===//

Event *Machine::record(Event::Kind kind) {
  if (events.size() >= ctx.options.maxOps) {
    stop(Exit::OpLimit);
    return nullptr;
  }
  Event &e = events.emplace_back();
  e.kind = kind;
  e.src = instrSrc;
  return &e;
}

void Machine::recordOpaque(const char *name, llvm::ArrayRef<int64_t> operands) {
  if (Event *e = record(Event::Opaque)) {
    e->name = name;
    e->operands.assign(operands.begin(), operands.end());
  }
}

void Machine::emitOps(initseq::SequenceOp seq) {
  MLIRContext *context = seq.getContext();
  OpBuilder b(context);
  Block &body = seq.getBodyBlock();
  if (!body.empty() && body.back().hasTrait<OpTrait::IsTerminator>())
    b.setInsertionPoint(&body.back());
  else
    b.setInsertionPointToEnd(&body);
  using namespace gpuinit::initseq;
  auto width = [&](unsigned bytes) {
    return TypeAttr::get(b.getIntegerType(8 * bytes));
  };
  for (const Event &e : events) {
    std::optional<int64_t> at;
    if (e.src >= 0)
      at = e.src;
    Location loc = ctx.loc(e.src >= 0 ? uint64_t(e.src) : ctx.image.offset);
    auto value = b.getI64IntegerAttr(int64_t(e.value));
    auto opaque = [&](llvm::StringRef kind, llvm::ArrayRef<int64_t> operands,
                      StringAttr bytes = {}) {
      OpaqueOp::create(b, loc, b.getStringAttr(kind),
                       b.getDenseI64ArrayAttr(operands), bytes, at,
                       std::nullopt, std::nullopt);
    };
    switch (e.kind) {
    case Event::IoWrite:
      WriteOp::create(b, loc, RegAttr::getIo(context, e.address),
                      width(e.bytes), value, at);
      break;
    case Event::IoRead:
      ReadOp::create(b, loc, RegAttr::getIo(context, e.address), width(e.bytes),
                     value, at);
      break;
    case Event::CfgWrite:
      WriteOp::create(b, loc, RegAttr::getCfg(context, e.address),
                      width(e.bytes), value, at);
      break;
    case Event::CfgRead:
      ReadOp::create(b, loc, RegAttr::getCfg(context, e.address),
                     width(e.bytes), value, at);
      break;
    case Event::MmioWrite:
      WriteOp::create(b, loc, RegAttr::getMmio(context, e.bar, e.address),
                      width(e.bytes), value, at);
      break;
    case Event::MmioRead:
      ReadOp::create(b, loc, RegAttr::getMmio(context, e.bar, e.address),
                     width(e.bytes), value, at);
      break;
    case Event::MemWrite:
      if (e.count == 1)
        opaque("x86-mem-write",
               {int64_t(e.address), int64_t(e.value), int64_t(e.bytes)});
      else if (e.uniform)
        opaque("x86-mem-fill", {int64_t(e.address), int64_t(e.value),
                                int64_t(e.bytes), int64_t(e.count)});
      else
        opaque("x86-mem-block",
               {int64_t(e.address), int64_t(e.bytes), int64_t(e.count)},
               b.getStringAttr(llvm::toHex(e.data, /*LowerCase=*/true)));
      break;
    case Event::MemRead:
      opaque("x86-mem-read",
             {int64_t(e.address), int64_t(e.value), int64_t(e.bytes)});
      break;
    case Event::Opaque:
      opaque(e.name, e.operands);
      break;
    case Event::Delay:
      DelayOp::create(b, loc, value, at, std::nullopt, std::nullopt);
      break;
    }
  }
}

/// "c000:0012 (file offset 0x12)" for the last instruction.
std::string Machine::describe() const {
  std::string s = llvm::formatv("{0:x-4}:{1:x-4}", instrCs, instrIp).str();
  if (instrSrc >= 0)
    s += llvm::formatv(" (file offset {0:x})", instrSrc).str();
  return s;
}

LogicalResult Machine::run() {
  emu = x86emu_new(X86EMU_PERM_RWX, 0);
  if (!emu) {
    ctx.error(ctx.image.offset,
              llvm::formatv("image {0}: x86 emulation: libx86emu could not "
                            "start",
                            ctx.image.index)
                  .str());
    return failure();
  }
  emu->_private = this;
  setUpMemory();
  setUpCpu();
  ramHandler = x86emu_set_memio_handler(emu, memioThunk);
  x86emu_set_code_handler(emu, codeThunk);
  x86emu_set_intr_handler(emu, intrThunk);
  uint64_t limit = ctx.options.x86MaxInstructions;
  // Our own check (before each instruction) is exact; libx86emu's counter
  // is a backstop.
  emu->max_instr = limit == ~uint64_t(0) ? 0 : limit + 1;

  unsigned status = x86emu_run(emu, X86EMU_RUN_MAX_INSTR | X86EMU_RUN_LOOP);

  if (pendingRepeat) {
    uint64_t left = pendingRepeat32 ? emu->x86.R_ECX : emu->x86.R_CX;
    if (*pendingRepeat > left + 1)
      repeatExtra += *pendingRepeat - left - 1;
    pendingRepeat.reset();
  }
  if (exit == Exit::Running) {
    if (status & X86EMU_RUN_MAX_INSTR)
      exit = Exit::InstructionLimit;
    else if (status & X86EMU_RUN_LOOP)
      exit = Exit::Loop;
    else if (status & X86EMU_RUN_NO_EXEC)
      exit = Exit::FetchFault;
    else if ((emu->x86.mode & _MODE_HALTED) && peek(instrLinear) == 0xF4)
      exit = Exit::Halted;
    else
      exit = Exit::Unknown;
  }
  uint64_t count = executed();

  Builder b(ModuleOp(ctx.module).getContext());
  NamedAttribute extra[] = {
      b.getNamedAttr("x86_exit", b.getStringAttr(exitName(exit, exception))),
      b.getNamedAttr("x86_instructions", b.getI64IntegerAttr(int64_t(count)))};
  initseq::SequenceOp seq = ctx.createSequence("x86_init", "x86emu", extra);
  emitOps(seq);
  if (exit == Exit::Returned)
    return success();
  seq.setIncomplete(true);

  uint64_t where = instrSrc >= 0 ? uint64_t(instrSrc) : ctx.image.offset;
  std::string prefix =
      llvm::formatv("image {0}: x86 emulation: ", ctx.image.index).str();
  std::string message;
  switch (exit) {
  case Exit::Halted:
    message = llvm::formatv("HLT at {0} before the init entry returned, "
                            "after {1} instructions",
                            describe(), count)
                  .str();
    break;
  case Exit::Exception:
    if (exception == 6)
      message = llvm::formatv("invalid opcode (bytes {0}) at {1}, after {2} "
                              "instructions",
                              faultBytes, describe(), count)
                    .str();
    else
      message =
          llvm::formatv("CPU exception {0} ({1}) at {2}, after {3} "
                        "instructions",
                        exception, exceptionName(exception), describe(), count)
              .str();
    break;
  case Exit::InstructionLimit:
    if (blockedRepeat) {
      message = llvm::formatv("a REP string instruction of {0} iterations at "
                              "{1} would pass the limit of {2} instructions "
                              "(--x86-max-instructions), after {3} "
                              "instructions",
                              blockedRepeat, describe(), limit, count)
                    .str();
      break;
    }
    message = llvm::formatv("the init entry did not return within {0} "
                            "instructions (--x86-max-instructions); stopped "
                            "at {1}",
                            limit, describe())
                  .str();
    break;
  case Exit::Loop:
    message = llvm::formatv("endless loop (a jump to itself) at {0}, after "
                            "{1} instructions",
                            describe(), count)
                  .str();
    break;
  case Exit::OpLimit:
    message = llvm::formatv("more than {0} accesses recorded (--rom-max-ops); "
                            "stopped at {1}",
                            ctx.options.maxOps, describe())
                  .str();
    break;
  case Exit::FetchFault:
    message = llvm::formatv("instruction fetch failed at {0}, after {1} "
                            "instructions",
                            describe(), count)
                  .str();
    break;
  default:
    message = llvm::formatv("stopped at {0} (libx86emu status {1:x}), after "
                            "{2} instructions",
                            describe(), status, count)
                  .str();
    break;
  }
  ctx.error(where, prefix + message +
                       "; the recorded accesses are kept, the sequence is "
                       "marked incomplete");
  return failure();
}

} // namespace

LogicalResult gpuinit::rom::importX86Emulated(const ImageImportContext &ctx) {
  Machine machine(ctx);
  return machine.run();
}

#endif // GPUINIT_HAVE_X86EMU
