//===- ROM.h - PCI expansion ROM image walker -----------------------------===//
//
// Walks the chain of images of a PCI option ROM file (shared/specs/
// pci-option-rom.md) and describes each one; the base of every ROM decoder
// (NVIDIA devinit, FCode, AtomBIOS) and of `gpuinit-translate --rom-info`.
//
//===----------------------------------------------------------------------===//
//
// What the walker does (spec §5, §6, §7):
//
// * Finds the first image: after an NVIDIA "NVGI" IFR header (its PCI ROM
//   offset, cross-checked with a scan), at offset 0 when the file starts with
//   55 AA, else at the first 512-byte boundary holding 55 AA and a PCIR.
// * Follows the chain with the PCIR image length until the last-image bit,
//   then keeps probing for valid images that continue after it (NVIDIA NPDE
//   layouts with 56 4E / NPDS images); those are flagged `afterLastImage`.
// * Records per image the ROM header, the data structure (PCIR, NPDS or RGIS,
//   revision 0 or 3), the NPDE when present, and the code-type fields (x86
//   init size and checksum, UEFI header, FCode start).
//
// Errors (fatal, the walk fails; each at a byte offset of the file): file
// larger than the limit, no image found, a bad signature where the chain
// expects an image, a data-structure pointer out of range or not 4-aligned,
// a data structure missing or crossing the end of its image, image length 0,
// an image that runs past the end of the file, more images than the limit.
// Warnings (the walk goes on): bad x86 checksum, x86 init size past the
// image, unexpected data-structure length, reversed class-code bytes, an IFR
// header that disagrees with the scan, a chain that ends at the end of the
// file without a last-image bit, an unterminated device list.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_ROM_H
#define GPUINIT_TARGET_ROM_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace gpuinit::rom {

/// The bounds that keep the walker linear on hostile input.
struct RomLimits {
  /// Largest file accepted, in bytes.
  uint64_t maxFileSize = 64 * 1024 * 1024;
  /// Most images (chain plus images after the last-image bit).
  uint64_t maxImages = 64;
  /// Most entries read from a PCI 3.0 device list.
  uint64_t maxDeviceListEntries = 256;
};

/// How bad a diagnostic is. A remark is information (an image with nothing
/// to import); a warning is something wrong that the decoder got past; an
/// error makes the walk or the decoder fail.
enum class Severity { Remark, Warning, Error };

/// One diagnostic, located at a byte offset of the file.
struct RomDiagnostic {
  Severity severity;
  uint64_t offset;
  std::string message;
};

/// Receives every diagnostic of a walk, in file order.
using RomDiagnosticHandler = llvm::function_ref<void(const RomDiagnostic &)>;

/// PCI code types (PCIR +0x14) with a name in the spec.
enum CodeType : uint8_t {
  CodeTypeX86 = 0x00,
  CodeTypeOpenFirmware = 0x01,
  CodeTypePARISC = 0x02,
  CodeTypeEFI = 0x03,
  CodeTypeNVData = 0x70,
  CodeTypeNVFirmware = 0xE0,
};

/// Short name of a code type ("x86", "efi", "fcode", "pa-risc",
/// "nvidia-data", "nvidia-fwsec", "unknown").
llvm::StringRef codeTypeName(uint8_t codeType);

/// Result of the x86 checksum over header byte 0x02 blocks.
enum class ChecksumStatus {
  /// The bytes sum to 0 mod 256.
  Ok,
  /// They do not (a warning, not an error).
  Bad,
  /// Byte 0x02 is 0: nothing to check.
  Empty,
  /// Byte 0x02 covers bytes past the end of the file: not checked.
  PastEnd,
};

/// Name of a checksum status ("ok", "bad", "empty", "past-end").
llvm::StringRef checksumStatusName(ChecksumStatus status);

/// The NVIDIA IFR header ("NVGI") in front of the first image.
struct IfrHeader {
  /// IFR version (dword 1 bits 15:8).
  uint32_t version = 0;
  /// Fixed data size (dword 1 bits 30:16).
  uint32_t fixedDataSize = 0;
  /// Total data size (dword 2 bits 19:0).
  uint32_t totalDataSize = 0;
  /// The PCI ROM offset it gives, if it could be read.
  std::optional<uint64_t> romOffset;
};

/// NVIDIA PCI Data Extension ("NPDE") after the data structure (§7.2).
struct Npde {
  /// Offset relative to the image start.
  uint32_t offset = 0;
  uint16_t version = 0;
  uint16_t length = 0;
  /// Image length in 512-byte blocks.
  uint16_t imageBlocks = 0;
  uint8_t flags = 0;
  /// Bit 7 of the flags.
  bool last = false;
};

/// The x86 (code type 0x00) header fields.
struct X86Header {
  /// Header byte 0x02: blocks copied and checksummed by the BIOS.
  uint8_t initBlocks = 0;
  /// Header bytes 0x03..0x05 (the INIT entry, normally a jump).
  std::array<uint8_t, 3> entry = {0, 0, 0};
  /// Header word 0x1A ("$PnP" header offset by convention; 0 if none).
  uint16_t pnpOffset = 0;
  ChecksumStatus checksum = ChecksumStatus::Empty;
  /// Byte sum over `initBlocks * 512` bytes (0 when ok).
  uint8_t checksumSum = 0;
};

/// The UEFI (code type 0x03) header fields.
struct EfiHeader {
  uint16_t initBlocks = 0;
  uint32_t signature = 0;
  uint16_t subsystem = 0;
  uint16_t machine = 0;
  uint16_t compression = 0;
  /// Offset of the PE/COFF image relative to the image start.
  uint16_t peOffset = 0;
};

/// One image of the ROM.
struct RomImage {
  /// Position in the walk (0-based, images after the last bit included).
  unsigned index = 0;
  /// File offset of the ROM header.
  uint64_t offset = 0;
  /// ROM signature as a little-endian u16 (0xAA55, 0x4E56 or 0xBB77).
  uint16_t signature = 0;
  /// Header word 0x18: data-structure offset relative to the image.
  uint16_t pcirOffset = 0;
  /// "PCIR", "NPDS" or "RGIS".
  std::string pcirSignature;
  uint16_t vendorId = 0;
  uint16_t deviceId = 0;
  /// PCIR +0x08: the VPD pointer (revision 0) or the device-list pointer
  /// (revision 3).
  uint16_t pcirWord8 = 0;
  /// PCIR +0x0A.
  uint16_t pcirLength = 0;
  /// PCIR +0x0C.
  uint8_t pcirRevision = 0;
  /// The three raw bytes at PCIR +0x0D (prog-if, sub-class, base class).
  std::array<uint8_t, 3> classCode = {0, 0, 0};
  /// Base class 0 with prog-if 3: the bytes look reversed (§7.4).
  bool classCodeReversed = false;
  /// PCIR +0x10 in blocks.
  uint16_t imageBlocks = 0;
  /// PCIR +0x12, vendor defined.
  uint16_t revisionLevel = 0;
  uint8_t codeType = 0;
  /// PCIR +0x15.
  uint8_t indicator = 0;
  /// Bit 7 of the indicator.
  bool last = false;
  /// Revision 3 only: max run-time length (blocks), config utility and DMTF
  /// CLP offsets.
  uint16_t maxRuntimeBlocks = 0;
  uint16_t configUtilityOffset = 0;
  uint16_t dmtfClpOffset = 0;
  /// Revision 3 device list (without the terminating 0).
  llvm::SmallVector<uint16_t, 0> deviceList;
  /// Found after the chain had ended with a last-image bit (§7.2).
  bool afterLastImage = false;
  std::optional<Npde> npde;
  std::optional<X86Header> x86;
  std::optional<EfiHeader> efi;
  /// Open Firmware: header word 0x02 (FCode start as `toke` writes it).
  std::optional<uint16_t> fcodeStart;

  /// Image length in bytes.
  uint64_t length() const { return uint64_t(imageBlocks) * 512; }
  /// File offset one past the image.
  uint64_t end() const { return offset + length(); }
};

/// Everything the walker found.
struct RomLayout {
  /// The input's name, for messages.
  std::string name;
  uint64_t fileSize = 0;
  /// Present when the file starts with "NVGI".
  std::optional<IfrHeader> ifr;
  /// File offset of the first image.
  uint64_t chainStart = 0;
  /// End of the image that ended the chain (last bit or end of file).
  uint64_t chainEnd = 0;
  /// End of the last image found (images after the last bit included).
  uint64_t imagesEnd = 0;
  /// Whether the chain ended with a last-image bit.
  bool endedWithLastBit = false;
  std::vector<RomImage> images;
  /// File offset of the first code type 0x00 image, base of NVIDIA BIT
  /// pointers.
  std::optional<uint64_t> firstX86Offset;

  /// Bytes after the last image found.
  uint64_t trailingBytes() const { return fileSize - imagesEnd; }
};

/// Walks `data` (named `name` in messages). Reports every warning and error
/// to `handler`; returns the layout, or failure after at least one error.
/// Never reads outside `data`, and takes time linear in its size.
mlir::FailureOr<RomLayout> walkRom(llvm::ArrayRef<uint8_t> data,
                                   llvm::StringRef name,
                                   RomDiagnosticHandler handler,
                                   const RomLimits &limits = {});

/// Bounds of the BIT decoder (shared/specs/nvidia-devinit.md §1, §4).
struct BitLimits {
  /// Most entries read from the init script table before giving up on its
  /// 0x0000 terminator.
  unsigned maxScripts = 256;
};

/// One BIT token entry (spec §1.1).
struct BitToken {
  /// File offset of the 6-byte (token-size) entry.
  uint64_t entryOffset = 0;
  /// Token ID, an ASCII letter by convention ('I', 'M', ...).
  uint8_t id = 0;
  uint8_t version = 0;
  /// Data size in bytes.
  uint16_t dataSize = 0;
  /// Data pointer relative to the first x86 image; 0 means absent.
  uint16_t dataPointer = 0;
  /// File offset of the data when the pointer is non-zero and the data lies
  /// inside the file (after relocation, spec §2).
  std::optional<uint64_t> dataOffset;
};

/// One pointer field of the BIT 'I' (NVINIT_PTRS) token (spec §3).
struct BitInitPointer {
  /// Field name in docs/ROM.md ("script_table", "boot_scripts", ...).
  llvm::StringRef name;
  /// Field offset inside the token data.
  uint8_t field = 0;
  /// The pointer, relative to the first x86 image (0 = absent).
  uint16_t value = 0;
  /// The length field paired with the pointer (devinit tables, boot
  /// scripts), when the token is long enough to hold it.
  std::optional<uint16_t> size;
  /// File offset of the pointed-to data when non-zero and inside the file.
  std::optional<uint64_t> fileOffset;
};

/// The decoded BIT 'I' token.
struct BitInitTable {
  /// The pointer fields the token's data size covers, in field order.
  llvm::SmallVector<BitInitPointer, 0> pointers;
  /// The init script table's entries up to (not including) the 0x0000
  /// terminator; empty when the table is absent or out of range.
  llvm::SmallVector<uint16_t, 0> scripts;
  /// Whether the terminator was found (within the file and the limit).
  bool scriptTableTerminated = false;
};

/// The NVIDIA BIOS Information Table (spec §1).
struct BitTable {
  /// File offset of the header (the FF B8 bytes).
  uint64_t offset = 0;
  /// File offset of the first x86 image, base of the BIT pointers.
  uint64_t base = 0;
  /// BCD version (0x0100 = 1.00).
  uint16_t version = 0;
  uint8_t headerSize = 0;
  uint8_t tokenSize = 0;
  /// Tokens the header declares (`tokens` may hold fewer).
  uint8_t tokenCount = 0;
  ChecksumStatus checksum = ChecksumStatus::Empty;
  /// Byte sum over the header-size bytes (0 when ok).
  uint8_t checksumSum = 0;
  /// The token entries inside the file, in table order.
  llvm::SmallVector<BitToken, 0> tokens;
  /// The first 'I' token with data, decoded.
  std::optional<BitInitTable> init;
  /// The RAM-configuration (memory strap) count from the 'M' token (§5.6).
  std::optional<uint8_t> ramConfigCount;
};

/// Finds and decodes the BIT in the first x86 image of `rom` (laid out as
/// `layout`): the signature FF B8 "BIT\0" searched in that image, the header,
/// the tokens, the 'I' pointers and script table and the 'M' RAM-config
/// count. Returns nullopt when there is no x86 image or no BIT signature (not
/// a diagnostic: most ROMs are not NVIDIA ones). Everything else found wrong
/// (truncated header or token list, bad checksum, token data or 'I' pointers
/// past the end of the file, unterminated script table) is a warning to
/// `handler`, located at the offending byte. Never reads outside `rom`.
std::optional<BitTable> findBit(llvm::ArrayRef<uint8_t> rom,
                                const RomLayout &layout,
                                RomDiagnosticHandler handler,
                                const BitLimits &limits = {});

/// Maps a 16-bit BIT pointer to a file offset (spec §2): relative to the
/// first x86 image, and past that image's length redirected behind the first
/// code type 0xE0 image after it when there is one. Nullopt without an x86
/// image.
std::optional<uint64_t> bitPointerToFile(const RomLayout &layout,
                                         uint16_t pointer);

/// Output formats of `--rom-info`.
enum class RomInfoFormat { Text, JSON };

/// One entry of the AtomBIOS master command table (docs/ROM.md, "AMD
/// AtomBIOS").
struct AtomCommandTable {
  /// Position in the master command table.
  unsigned index = 0;
  /// The standard name of that position ("ASIC_Init", ...), or "" past the
  /// names the format defines.
  llvm::StringRef name;
  /// The entry as stored, relative to the image; 0 = absent.
  uint16_t pointer = 0;
  /// File offset of the table when present and its 6-byte header lies
  /// inside the file.
  std::optional<uint64_t> offset;
  /// Header: structure size (header included), format and content revision.
  uint16_t size = 0;
  uint8_t formatRevision = 0;
  uint8_t contentRevision = 0;
  /// Header byte +4: workspace size.
  uint8_t workspaceSize = 0;
  /// Header byte +5 bits 6:0: parameter space size in bytes.
  uint8_t parameterSize = 0;
  /// Header byte +5 bit 7: "updated by utility".
  bool updatedByUtility = false;
};

/// The AMD AtomBIOS ROM header and master tables of an x86 image.
struct AtomInfo {
  /// The x86 image holding it; its file offset is the base of every
  /// AtomBIOS pointer.
  unsigned image = 0;
  uint64_t imageOffset = 0;
  /// The word at image +0x48 and the header's file offset.
  uint16_t headerPointer = 0;
  uint64_t headerOffset = 0;
  /// ATOM_COMMON_TABLE_HEADER of the ROM header.
  uint16_t structureSize = 0;
  uint8_t formatRevision = 0;
  uint8_t contentRevision = 0;
  /// ROM header words +0x08..+0x20 (pointers are relative to the image).
  uint16_t biosRuntimeSegment = 0;
  uint16_t protectedModeInfo = 0;
  uint16_t configFilename = 0;
  uint16_t crcBlock = 0;
  uint16_t bootupMessage = 0;
  uint16_t int10 = 0;
  uint16_t pciBusDevInitCode = 0;
  uint16_t ioBaseAddress = 0;
  uint16_t subsystemVendorId = 0;
  uint16_t subsystemId = 0;
  uint16_t pciInfo = 0;
  uint16_t masterCommandTable = 0;
  uint16_t masterDataTable = 0;
  uint8_t extendedFunctionCode = 0;
  /// Header v2.x fields, when the structure size covers them.
  std::optional<uint32_t> pspDirTable;
  std::optional<uint16_t> vendorId;
  std::optional<uint16_t> deviceId;
  /// The boot-up message (BIOS name and version string), printable ASCII
  /// without the CR/LF around it; nullopt when its pointer is 0 or out of
  /// range.
  std::optional<std::string> bootupMessageText;
  /// Master command table: file offset (when its header is inside the file),
  /// header fields and its entries (those inside the file).
  std::optional<uint64_t> commandTableOffset;
  uint16_t commandTableSize = 0;
  uint8_t commandTableFormatRevision = 0;
  uint8_t commandTableContentRevision = 0;
  llvm::SmallVector<AtomCommandTable, 0> commandTables;
  /// Master data table: file offset, header fields and entry count; the
  /// entries themselves are read by the importer (SET_DATA_BLOCK).
  std::optional<uint64_t> dataTableOffset;
  uint16_t dataTableSize = 0;
  uint8_t dataTableFormatRevision = 0;
  uint8_t dataTableContentRevision = 0;
  unsigned dataTableEntries = 0;
};

/// Finds the AtomBIOS ROM header of the first x86 image of `rom` carrying
/// the ATI magic " 761295520" at +0x30: the header pointer at +0x48, the
/// "ATOM" signature, the header fields, the boot-up message and both master
/// tables, and every command table's header. Returns nullopt when no x86
/// image has the magic (not a diagnostic) or the header is unusable (a
/// warning). Pointers out of range are warnings at the byte holding them;
/// never reads outside `rom`.
std::optional<AtomInfo> findAtomBios(llvm::ArrayRef<uint8_t> rom,
                                     const RomLayout &layout,
                                     RomDiagnosticHandler handler);

/// Prints `layout` (and `bit`, the NVIDIA BIT when one was found, and
/// `atom`, the AtomBIOS header) as `--rom-info` does (docs/ROM.md); the JSON
/// form also lists `warnings`, the warnings of the walk and of the decoders.
void printRomInfo(const RomLayout &layout, RomInfoFormat format,
                  llvm::raw_ostream &os,
                  llvm::ArrayRef<RomDiagnostic> warnings = {},
                  const BitTable *bit = nullptr,
                  const AtomInfo *atom = nullptr);

} // namespace gpuinit::rom

#endif // GPUINIT_TARGET_ROM_H
