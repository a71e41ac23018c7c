//===- RomWalker.cpp - PCI expansion ROM image walker ---------------------===//
//
// Finds the first image of a ROM file, follows the PCIR chain and probes for
// images after the last-image bit (shared/specs/pci-option-rom.md §5-§7).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <variant>

using namespace gpuinit::rom;
using llvm::ArrayRef;
using llvm::formatv;
using llvm::StringRef;

llvm::StringRef gpuinit::rom::codeTypeName(uint8_t codeType) {
  switch (codeType) {
  case CodeTypeX86:
    return "x86";
  case CodeTypeOpenFirmware:
    return "fcode";
  case CodeTypePARISC:
    return "pa-risc";
  case CodeTypeEFI:
    return "efi";
  case CodeTypeNVData:
    return "nvidia-data";
  case CodeTypeNVFirmware:
    return "nvidia-fwsec";
  default:
    return "unknown";
  }
}

llvm::StringRef gpuinit::rom::checksumStatusName(ChecksumStatus status) {
  switch (status) {
  case ChecksumStatus::Ok:
    return "ok";
  case ChecksumStatus::Bad:
    return "bad";
  case ChecksumStatus::Empty:
    return "empty";
  case ChecksumStatus::PastEnd:
    return "past-end";
  }
  return "unknown";
}

namespace {
/// Lower-case hex digits without a prefix; messages write the `0x`.
std::string hex(uint64_t value) { return formatv("{0:x-}", value).str(); }

/// Why a probe at some offset found no (valid) image.
struct Problem {
  uint64_t offset;
  std::string message;
  /// A ROM signature and a data-structure signature were found: the bytes
  /// look like an image, just a broken one.
  bool looksLikeImage;
};

/// The walk over one buffer.
class Walker {
public:
  Walker(ArrayRef<uint8_t> data, StringRef name, RomDiagnosticHandler handler,
         const RomLimits &limits)
      : data(data), handler(handler), limits(limits) {
    layout.name = name.str();
    layout.fileSize = data.size();
  }

  mlir::FailureOr<RomLayout> run();

private:
  bool has(uint64_t offset, uint64_t size) const {
    return offset <= data.size() && size <= data.size() - offset;
  }
  uint8_t u8(uint64_t offset) const { return data[offset]; }
  uint16_t u16(uint64_t offset) const {
    return uint16_t(data[offset] | (data[offset + 1] << 8));
  }
  uint32_t u32(uint64_t offset) const {
    return uint32_t(u16(offset)) | (uint32_t(u16(offset + 2)) << 16);
  }
  StringRef str(uint64_t offset, uint64_t size) const {
    return StringRef(reinterpret_cast<const char *>(data.data() + offset),
                     size);
  }

  void warn(uint64_t offset, std::string message) {
    handler({Severity::Warning, offset, std::move(message)});
  }
  mlir::LogicalResult error(uint64_t offset, std::string message) {
    handler({Severity::Error, offset, std::move(message)});
    return mlir::failure();
  }

  /// Checks the structure of an image at `pos` and reads its header and
  /// data structure, or says why there is none.
  std::variant<RomImage, Problem> probe(uint64_t pos) const;
  /// Reads the NPDE, the code-type fields and the device list of an accepted
  /// image and reports its warnings.
  void describe(RomImage &image);
  /// Adds an accepted image, failing past the image limit.
  mlir::LogicalResult add(RomImage image);
  /// Reads the IFR header; returns the PCI ROM offset it gives, if any.
  std::optional<uint64_t> readIfr();
  /// File offset of the first 512-byte boundary holding an image.
  std::optional<uint64_t> scan() const;

  ArrayRef<uint8_t> data;
  RomDiagnosticHandler handler;
  const RomLimits &limits;
  RomLayout layout;
};
} // namespace

std::variant<RomImage, Problem> Walker::probe(uint64_t pos) const {
  if (!has(pos, 0x1A))
    return Problem{pos,
                   formatv("truncated ROM header: 0x1a bytes needed at 0x{0}, "
                           "the file ends at 0x{1}",
                           hex(pos), hex(data.size()))
                       .str(),
                   false};
  uint16_t signature = u16(pos);
  if (signature != 0xAA55 && signature != 0x4E56 && signature != 0xBB77)
    return Problem{pos,
                   formatv("bad ROM signature {0:x-2} {1:x-2} (expected 55 aa)",
                           u8(pos), u8(pos + 1))
                       .str(),
                   false};
  uint16_t p = u16(pos + 0x18);
  if (p % 4 != 0)
    return Problem{pos + 0x18,
                   formatv("PCI data structure pointer 0x{0} is not 4-byte "
                           "aligned",
                           hex(p))
                       .str(),
                   false};
  uint64_t pcir = pos + p;
  if (!has(pcir, 0x18))
    return Problem{pos + 0x18,
                   formatv("PCI data structure pointer 0x{0} out of range: "
                           "the structure at 0x{1} ends past the end of the "
                           "file (0x{2})",
                           hex(p), hex(pcir), hex(data.size()))
                       .str(),
                   false};
  StringRef dsSignature = str(pcir, 4);
  if (dsSignature != "PCIR" && dsSignature != "NPDS" && dsSignature != "RGIS")
    return Problem{pcir,
                   formatv("no PCI data structure at 0x{0} (pointer 0x{1} at "
                           "0x{2}): found bytes {3:x-2} {4:x-2} {5:x-2} "
                           "{6:x-2}, expected 'PCIR'",
                           hex(pcir), hex(p), hex(pos + 0x18), u8(pcir),
                           u8(pcir + 1), u8(pcir + 2), u8(pcir + 3))
                       .str(),
                   false};

  RomImage image;
  image.offset = pos;
  image.signature = signature;
  image.pcirOffset = p;
  image.pcirSignature = dsSignature.str();
  image.vendorId = u16(pcir + 0x04);
  image.deviceId = u16(pcir + 0x06);
  image.pcirWord8 = u16(pcir + 0x08);
  image.pcirLength = u16(pcir + 0x0A);
  image.pcirRevision = u8(pcir + 0x0C);
  image.classCode = {u8(pcir + 0x0D), u8(pcir + 0x0E), u8(pcir + 0x0F)};
  image.classCodeReversed = image.classCode[2] == 0 && image.classCode[0] == 3;
  image.imageBlocks = u16(pcir + 0x10);
  image.revisionLevel = u16(pcir + 0x12);
  image.codeType = u8(pcir + 0x14);
  image.indicator = u8(pcir + 0x15);
  image.last = image.indicator & 0x80;
  uint64_t structSize = 0x18;
  if (image.pcirRevision == 3) {
    structSize = 0x1C;
    if (!has(pcir, structSize))
      return Problem{pcir,
                     formatv("revision 3 PCI data structure at 0x{0} ends "
                             "past the end of the file (0x{1})",
                             hex(pcir), hex(data.size()))
                         .str(),
                     true};
    image.maxRuntimeBlocks = u16(pcir + 0x16);
    image.configUtilityOffset = u16(pcir + 0x18);
    image.dmtfClpOffset = u16(pcir + 0x1A);
  }
  if (image.imageBlocks == 0)
    return Problem{pcir + 0x10, "image length 0 in the PCI data structure",
                   true};
  if (p + structSize > image.length())
    return Problem{pcir,
                   formatv("PCI data structure at +0x{0} (0x{1} bytes) lies "
                           "outside its image of length 0x{2}",
                           hex(p), hex(structSize), hex(image.length()))
                       .str(),
                   true};
  if (!has(pos, image.length()))
    return Problem{pos,
                   formatv("truncated image: length 0x{0} ({1} blocks) from "
                           "0x{2} ends at 0x{3}, past the end of the file "
                           "(0x{4})",
                           hex(image.length()), image.imageBlocks, hex(pos),
                           hex(image.end()), hex(data.size()))
                       .str(),
                   true};
  return image;
}

void Walker::describe(RomImage &image) {
  uint64_t pos = image.offset;
  uint64_t pcir = pos + image.pcirOffset;
  uint64_t end = image.end();
  std::string what = formatv("image {0}", image.index).str();

  uint16_t expectedLength = image.pcirRevision == 3 ? 0x1C : 0x18;
  if (image.pcirRevision != 0 && image.pcirRevision != 3)
    warn(pcir + 0x0C, formatv("{0}: unknown PCI data structure revision {1}; "
                              "read with the revision 0 layout",
                              what, image.pcirRevision)
                          .str());
  else if (image.pcirLength != expectedLength)
    warn(pcir + 0x0A,
         formatv("{0}: PCI data structure length 0x{1}, expected 0x{2} for "
                 "revision {3}",
                 what, hex(image.pcirLength), hex(expectedLength),
                 image.pcirRevision)
             .str());
  if (image.classCodeReversed)
    warn(pcir + 0x0D, formatv("{0}: class code bytes {1:x-2} {2:x-2} {3:x-2} "
                              "look reversed (base class in the prog-if byte)",
                              what, image.classCode[0], image.classCode[1],
                              image.classCode[2])
                          .str());

  uint64_t npde = pos + ((uint64_t(image.pcirOffset) + image.pcirLength + 15) &
                         ~uint64_t(15));
  if (npde + 0x0B <= end && str(npde, 4) == "NPDE") {
    Npde n;
    n.offset = uint32_t(npde - pos);
    n.version = u16(npde + 0x04);
    n.length = u16(npde + 0x06);
    n.imageBlocks = u16(npde + 0x08);
    n.flags = u8(npde + 0x0A);
    n.last = n.flags & 0x80;
    image.npde = n;
  }

  if (image.pcirRevision == 3 && image.pcirWord8 != 0) {
    uint64_t entry = pcir + image.pcirWord8;
    bool terminated = false;
    while (entry + 2 <= end &&
           image.deviceList.size() < limits.maxDeviceListEntries) {
      uint16_t id = u16(entry);
      if (id == 0) {
        terminated = true;
        break;
      }
      image.deviceList.push_back(id);
      entry += 2;
    }
    if (!terminated)
      warn(pcir + 0x08,
           formatv("{0}: device list at 0x{1} has no 0x0000 terminator "
                   "within the image or the first {2} entries",
                   what, hex(pcir + image.pcirWord8),
                   limits.maxDeviceListEntries)
               .str());
  }

  switch (image.codeType) {
  case CodeTypeX86: {
    X86Header x86;
    x86.initBlocks = u8(pos + 2);
    x86.entry = {u8(pos + 3), u8(pos + 4), u8(pos + 5)};
    x86.pnpOffset = u16(pos + 0x1A);
    uint64_t size = uint64_t(x86.initBlocks) * 512;
    if (size == 0) {
      x86.checksum = ChecksumStatus::Empty;
    } else if (!has(pos, size)) {
      x86.checksum = ChecksumStatus::PastEnd;
      warn(pos + 2, formatv("{0}: x86 init size {1} blocks runs past the end "
                            "of the file; checksum not checked",
                            what, x86.initBlocks)
                        .str());
    } else {
      uint8_t sum = 0;
      for (uint8_t byte : data.slice(pos, size))
        sum += byte;
      x86.checksumSum = sum;
      x86.checksum = sum == 0 ? ChecksumStatus::Ok : ChecksumStatus::Bad;
      if (sum != 0)
        warn(pos, formatv("{0}: bad x86 checksum: the 0x{1} bytes of the init "
                          "size sum to 0x{2:x-2}, expected 0x00",
                          what, hex(size), sum)
                      .str());
    }
    image.x86 = x86;
    if (!layout.firstX86Offset)
      layout.firstX86Offset = pos;
    break;
  }
  case CodeTypeEFI: {
    EfiHeader efi;
    efi.initBlocks = u16(pos + 0x02);
    efi.signature = u32(pos + 0x04);
    efi.subsystem = u16(pos + 0x08);
    efi.machine = u16(pos + 0x0A);
    efi.compression = u16(pos + 0x0C);
    efi.peOffset = u16(pos + 0x16);
    if (efi.signature != 0xEF1)
      warn(pos + 0x04, formatv("{0}: EFI signature 0x{1}, expected 0xef1", what,
                               hex(efi.signature))
                           .str());
    image.efi = efi;
    break;
  }
  case CodeTypeOpenFirmware:
    image.fcodeStart = u16(pos + 0x02);
    break;
  default:
    break;
  }
}

mlir::LogicalResult Walker::add(RomImage image) {
  if (layout.images.size() >= limits.maxImages)
    return error(image.offset, formatv("more than {0} images (the image limit)",
                                       limits.maxImages)
                                   .str());
  image.index = layout.images.size();
  describe(image);
  layout.imagesEnd = image.end();
  layout.images.push_back(std::move(image));
  return mlir::success();
}

std::optional<uint64_t> Walker::readIfr() {
  IfrHeader ifr;
  if (!has(0, 12)) {
    warn(0, "truncated NVGI header (12 bytes needed)");
    layout.ifr = ifr;
    return std::nullopt;
  }
  uint32_t dword1 = u32(4), dword2 = u32(8);
  ifr.version = (dword1 >> 8) & 0xFF;
  ifr.fixedDataSize = (dword1 >> 16) & 0x7FFF;
  ifr.totalDataSize = dword2 & 0xFFFFF;
  if (ifr.version == 1 || ifr.version == 2) {
    if (has(uint64_t(ifr.fixedDataSize) + 4, 4))
      ifr.romOffset = u32(ifr.fixedDataSize + 4);
    else
      warn(4, formatv("NVGI header: PCI ROM offset field at 0x{0} is past "
                      "the end of the file",
                      hex(uint64_t(ifr.fixedDataSize) + 4))
                  .str());
  } else if (ifr.version == 3) {
    if (has(ifr.totalDataSize, 4)) {
      uint64_t dir = uint64_t(u32(ifr.totalDataSize)) + 4096;
      if (has(dir, 12) && str(dir, 4) == "RFRD")
        ifr.romOffset = u32(dir + 8);
      else
        warn(
            8,
            formatv("NVGI header: no RFRD directory at 0x{0}", hex(dir)).str());
    } else {
      warn(8, "NVGI header: total data size is past the end of the file");
    }
  } else {
    warn(4, formatv("NVGI header: unknown IFR version {0}", ifr.version).str());
  }
  layout.ifr = ifr;
  return ifr.romOffset;
}

std::optional<uint64_t> Walker::scan() const {
  for (uint64_t pos = 0; has(pos, 0x1A); pos += 512)
    if (u16(pos) == 0xAA55 && std::holds_alternative<RomImage>(probe(pos)))
      return pos;
  return std::nullopt;
}

mlir::FailureOr<RomLayout> Walker::run() {
  if (data.size() > limits.maxFileSize)
    return error(limits.maxFileSize,
                 formatv("file of 0x{0} bytes is larger than the limit of "
                         "0x{1} bytes",
                         hex(data.size()), hex(limits.maxFileSize))
                     .str());

  std::optional<uint64_t> start;
  if (has(0, 4) && str(0, 4) == "NVGI") {
    std::optional<uint64_t> ifrOffset = readIfr();
    std::optional<uint64_t> scanned = scan();
    if (ifrOffset && ifrOffset < data.size() &&
        std::holds_alternative<RomImage>(probe(*ifrOffset))) {
      start = ifrOffset;
      if (scanned != ifrOffset)
        warn(*ifrOffset,
             formatv("NVGI header gives the PCI ROM at 0x{0}, the scan finds "
                     "the first image at {1}",
                     hex(*ifrOffset),
                     scanned ? "0x" + hex(*scanned) : std::string("none"))
                 .str());
    } else {
      if (ifrOffset)
        warn(4, formatv("NVGI header gives the PCI ROM at 0x{0}, which holds "
                        "no image; using the scan",
                        hex(*ifrOffset))
                    .str());
      start = scanned;
    }
  } else if (has(0, 2) && u16(0) == 0xAA55) {
    start = 0;
  } else {
    start = scan();
  }
  if (!start)
    return error(0, "no PCI expansion ROM image: no 55 aa signature with a "
                    "PCI data structure at any 512-byte boundary");

  layout.chainStart = *start;
  uint64_t pos = *start;
  while (true) {
    std::variant<RomImage, Problem> probed = probe(pos);
    if (auto *problem = std::get_if<Problem>(&probed)) {
      std::string message = problem->message;
      if (!layout.images.empty())
        message += formatv(" (image {0} at 0x{1} is not marked last, so an "
                           "image must follow at 0x{2})",
                           layout.images.back().index,
                           hex(layout.images.back().offset), hex(pos))
                       .str();
      else
        message = formatv("image 0 at 0x{0}: ", hex(pos)).str() + message;
      return error(problem->offset, message);
    }
    RomImage &image = std::get<RomImage>(probed);
    bool last = image.last;
    if (mlir::failed(add(std::move(image))))
      return mlir::failure();
    pos = layout.imagesEnd;
    if (last) {
      layout.endedWithLastBit = true;
      break;
    }
    if (pos == data.size()) {
      warn(pos,
           formatv("the chain ends at the end of the file without a "
                   "last-image bit (image {0} at 0x{1} is not marked "
                   "last)",
                   layout.images.back().index, hex(layout.images.back().offset))
               .str());
      break;
    }
  }
  layout.chainEnd = pos;

  // Images that continue after the last-image bit (spec §7.2): only valid
  // ones count; something that looks like a broken image gets a warning.
  if (layout.endedWithLastBit) {
    while (pos < data.size()) {
      std::variant<RomImage, Problem> probed = probe(pos);
      if (auto *problem = std::get_if<Problem>(&probed)) {
        if (problem->looksLikeImage)
          warn(problem->offset, "ignoring an image after the last-image bit: " +
                                    problem->message);
        break;
      }
      RomImage &image = std::get<RomImage>(probed);
      image.afterLastImage = true;
      if (mlir::failed(add(std::move(image))))
        return mlir::failure();
      pos = layout.imagesEnd;
    }
  }
  return std::move(layout);
}

mlir::FailureOr<RomLayout> gpuinit::rom::walkRom(ArrayRef<uint8_t> data,
                                                 StringRef name,
                                                 RomDiagnosticHandler handler,
                                                 const RomLimits &limits) {
  return Walker(data, name, handler, limits).run();
}
