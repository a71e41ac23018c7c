//===- BIT.cpp - NVIDIA BIOS Information Table decoder --------------------===//
//
// Finds the BIT in the first x86 image of an NVIDIA ROM and decodes its token
// list, the 'I' (devinit) pointers and the 'M' RAM-config count.
//
//===----------------------------------------------------------------------===//
//
// Layout: shared/specs/nvidia-devinit.md §1 (signature, header, tokens), §2
// (pointer relocation), §3 ('I' fields), §4 (script table), §5.6 ('M').
// Every read is bounded by the file; pointers that leave it are warnings, so
// a later decoder can rely on every `fileOffset` it is given.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace gpuinit::rom;
using llvm::formatv;

namespace {
/// The six signature bytes: ID 0xB8FF then "BIT\0" (spec §1).
constexpr uint8_t kBitSignature[] = {0xFF, 0xB8, 'B', 'I', 'T', 0x00};
/// Header and token sizes of BIT version 1.00.
constexpr unsigned kMinHeaderSize = 12;
constexpr unsigned kMinTokenSize = 6;

/// An 'I' pointer field and, for the pointer+size pairs, its size field.
struct InitField {
  const char *name;
  uint8_t field;
  int sizeField; // -1 if none
};

/// NVINIT_PTRS (spec §3); the size fields at +0x16 and +0x1A belong to the
/// pointers before them.
constexpr InitField kInitFields[] = {
    {"script_table", 0x00, -1},       {"macro_index_table", 0x02, -1},
    {"macro_table", 0x04, -1},        {"condition_table", 0x06, -1},
    {"io_condition_table", 0x08, -1}, {"io_flag_condition_table", 0x0A, -1},
    {"function_table", 0x0C, -1},     {"private_boot_script", 0x0E, -1},
    {"data_arrays_table", 0x10, -1},  {"pcie_settings_script", 0x12, -1},
    {"devinit_tables", 0x14, 0x16},   {"boot_scripts", 0x18, 0x1A},
    {"nvlink_config", 0x1C, -1},
};

uint16_t readU16(llvm::ArrayRef<uint8_t> rom, uint64_t offset) {
  return uint16_t(rom[offset] | (rom[offset + 1] << 8));
}

/// A printable form of a token ID for messages ('I', or 0x07).
std::string tokenName(uint8_t id) {
  if (id >= 0x20 && id < 0x7F)
    return formatv("'{0}'", char(id)).str();
  return formatv("{0:x-2}", id).str();
}

class BitDecoder {
public:
  BitDecoder(llvm::ArrayRef<uint8_t> rom, const RomLayout &layout,
             RomDiagnosticHandler handler, const BitLimits &limits)
      : rom(rom), layout(layout), handler(handler), limits(limits) {}

  std::optional<BitTable> run();

private:
  void warn(uint64_t offset, std::string message) {
    handler({Severity::Warning, std::min<uint64_t>(offset, rom.size()),
             std::move(message)});
  }
  void readTokens(BitTable &bit);
  void decodeInit(BitTable &bit, const BitToken &token);
  void decodeMemory(BitTable &bit, const BitToken &token);

  llvm::ArrayRef<uint8_t> rom;
  const RomLayout &layout;
  RomDiagnosticHandler handler;
  const BitLimits &limits;
};

std::optional<BitTable> BitDecoder::run() {
  if (!layout.firstX86Offset)
    return std::nullopt;
  uint64_t base = *layout.firstX86Offset;
  uint64_t end = rom.size();
  for (const RomImage &image : layout.images)
    if (image.offset == base)
      end = std::min<uint64_t>(end, image.end());
  if (base >= end)
    return std::nullopt;
  const uint8_t *first = rom.data() + base, *last = rom.data() + end;
  const uint8_t *found = std::search(first, last, std::begin(kBitSignature),
                                     std::end(kBitSignature));
  if (found == last)
    return std::nullopt;

  BitTable bit;
  bit.base = base;
  bit.offset = found - rom.data();
  if (bit.offset + kMinHeaderSize > rom.size()) {
    warn(bit.offset,
         formatv("BIT header at {0:x} is truncated: {1} bytes needed, the "
                 "file ends at {2:x}",
                 bit.offset, kMinHeaderSize, rom.size()));
    return std::nullopt;
  }
  bit.version = readU16(rom, bit.offset + 6);
  bit.headerSize = rom[bit.offset + 8];
  bit.tokenSize = rom[bit.offset + 9];
  bit.tokenCount = rom[bit.offset + 10];
  if (bit.headerSize == 0) {
    bit.checksum = ChecksumStatus::Empty;
  } else if (bit.offset + bit.headerSize > rom.size()) {
    bit.checksum = ChecksumStatus::PastEnd;
  } else {
    uint8_t sum = 0;
    for (uint64_t i = 0; i < bit.headerSize; ++i)
      sum += rom[bit.offset + i];
    bit.checksumSum = sum;
    bit.checksum = sum == 0 ? ChecksumStatus::Ok : ChecksumStatus::Bad;
    if (sum != 0)
      warn(bit.offset + 11,
           formatv("bad BIT header checksum: the {0} header bytes sum to "
                   "{1:x-2}, expected 00",
                   bit.headerSize, sum));
  }
  if (bit.version != 0x0100)
    warn(bit.offset + 6,
         formatv("BIT version {0:x-4} is not the known version 0100",
                 bit.version));
  readTokens(bit);

  for (const BitToken &token : bit.tokens) {
    if (!token.dataOffset)
      continue;
    if (token.id == 'I' && !bit.init)
      decodeInit(bit, token);
    else if (token.id == 'M' && !bit.ramConfigCount)
      decodeMemory(bit, token);
  }
  return bit;
}

void BitDecoder::readTokens(BitTable &bit) {
  if (bit.headerSize < kMinHeaderSize)
    warn(bit.offset + 8, formatv("BIT header size {0} is smaller than {1}",
                                 bit.headerSize, kMinHeaderSize));
  if (bit.tokenSize < kMinTokenSize) {
    warn(bit.offset + 9,
         formatv("BIT token size {0} is smaller than {1}: no token read",
                 bit.tokenSize, kMinTokenSize));
    return;
  }
  uint64_t first = bit.offset + bit.headerSize;
  for (unsigned i = 0; i < bit.tokenCount; ++i) {
    uint64_t entry = first + uint64_t(i) * bit.tokenSize;
    if (entry + kMinTokenSize > rom.size()) {
      warn(entry,
           formatv("truncated BIT token list: {0} tokens declared, only the "
                   "first {1} fit before the end of the file ({2:x})",
                   bit.tokenCount, i, rom.size()));
      return;
    }
    BitToken token;
    token.entryOffset = entry;
    token.id = rom[entry];
    token.version = rom[entry + 1];
    token.dataSize = readU16(rom, entry + 2);
    token.dataPointer = readU16(rom, entry + 4);
    if (token.dataPointer != 0) {
      std::optional<uint64_t> data =
          bitPointerToFile(layout, token.dataPointer);
      if (data && *data + token.dataSize <= rom.size())
        token.dataOffset = *data;
      else
        warn(entry + 4,
             formatv("BIT token {0}: data pointer {1:x} (file {2:x}) with "
                     "size {3:x} runs past the end of the file ({4:x})",
                     tokenName(token.id), token.dataPointer, data.value_or(0),
                     token.dataSize, rom.size()));
    }
    bit.tokens.push_back(token);
  }
}

void BitDecoder::decodeInit(BitTable &bit, const BitToken &token) {
  BitInitTable init;
  uint64_t data = *token.dataOffset;
  for (const InitField &f : kInitFields) {
    if (f.field + 2u > token.dataSize)
      break;
    BitInitPointer pointer;
    pointer.name = f.name;
    pointer.field = f.field;
    pointer.value = readU16(rom, data + f.field);
    if (f.sizeField >= 0 && unsigned(f.sizeField) + 2 <= token.dataSize)
      pointer.size = readU16(rom, data + f.sizeField);
    if (pointer.value != 0) {
      std::optional<uint64_t> target = bitPointerToFile(layout, pointer.value);
      uint64_t length = std::max<uint64_t>(pointer.size.value_or(0), 1);
      if (target && *target + length <= rom.size())
        pointer.fileOffset = *target;
      else
        warn(data + f.field,
             formatv("BIT token 'I' field {0} (+{1:x}): pointer {2:x} (file "
                     "{3:x}{4}) is past the end of the file ({5:x})",
                     f.name, f.field, pointer.value, target.value_or(0),
                     pointer.size ? formatv(", size {0:x}", *pointer.size).str()
                                  : std::string(),
                     rom.size()));
    }
    init.pointers.push_back(pointer);
  }

  // The script table: u16 script pointers up to the first 0x0000 (§4).
  if (!init.pointers.empty() && init.pointers.front().fileOffset) {
    uint64_t table = *init.pointers.front().fileOffset;
    for (unsigned i = 0; i < limits.maxScripts; ++i) {
      uint64_t entry = table + 2 * uint64_t(i);
      if (entry + 2 > rom.size())
        break;
      uint16_t script = readU16(rom, entry);
      if (script == 0) {
        init.scriptTableTerminated = true;
        break;
      }
      std::optional<uint64_t> target = bitPointerToFile(layout, script);
      if (!target || *target >= rom.size())
        warn(entry, formatv("BIT token 'I' script table entry {0}: pointer "
                            "{1:x} (file {2:x}) is past the end of the file "
                            "({3:x})",
                            i, script, target.value_or(0), rom.size()));
      init.scripts.push_back(script);
    }
    if (!init.scriptTableTerminated)
      warn(table, formatv("BIT token 'I' script table at {0:x} has no 0x0000 "
                          "terminator within the file or the first {1} "
                          "entries",
                          table, limits.maxScripts));
  }
  bit.init = std::move(init);
}

void BitDecoder::decodeMemory(BitTable &bit, const BitToken &token) {
  // "MemoryStrapDataCount" (§5.6): version 1 at +2, version 2 at +0.
  uint64_t data = *token.dataOffset;
  if (token.version == 1 && token.dataSize >= 5)
    bit.ramConfigCount = rom[data + 2];
  else if (token.version == 2 && token.dataSize >= 3)
    bit.ramConfigCount = rom[data];
}
} // namespace

std::optional<uint64_t> gpuinit::rom::bitPointerToFile(const RomLayout &layout,
                                                       uint16_t pointer) {
  if (!layout.firstX86Offset)
    return std::nullopt;
  uint64_t base = *layout.firstX86Offset;
  // nouveau's rule (§2): past image 0's length (NPDE first, else PCIR), a
  // pointer continues behind the first code type 0xE0 image after image 0.
  const RomImage *image0 = nullptr;
  const RomImage *firmware = nullptr;
  for (const RomImage &image : layout.images) {
    if (!image0) {
      if (image.offset == base)
        image0 = &image;
      continue;
    }
    if (image.codeType == CodeTypeNVFirmware) {
      firmware = &image;
      break;
    }
  }
  if (image0 && firmware) {
    uint64_t size = image0->npde ? uint64_t(image0->npde->imageBlocks) * 512
                                 : image0->length();
    if (pointer > size)
      return pointer - size + firmware->offset;
  }
  return base + pointer;
}

std::optional<BitTable> gpuinit::rom::findBit(llvm::ArrayRef<uint8_t> rom,
                                              const RomLayout &layout,
                                              RomDiagnosticHandler handler,
                                              const BitLimits &limits) {
  return BitDecoder(rom, layout, handler, limits).run();
}
