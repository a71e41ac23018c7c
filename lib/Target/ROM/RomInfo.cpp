//===- RomInfo.cpp - text and JSON forms of a ROM layout ------------------===//
//
// Prints what the ROM walker found, as `gpuinit-translate --rom-info` does
// (the formats are documented in docs/ROM.md).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace gpuinit::rom;
using llvm::formatv;

namespace {
/// The two signature bytes in file order ("55aa").
std::string signatureBytes(uint16_t signature) {
  return formatv("{0:x-2}{1:x-2}", signature & 0xFF, signature >> 8).str();
}

/// A token ID as a character for the text form ('I', or 0x07 if unprintable).
std::string tokenIdText(uint8_t id) {
  if (id >= 0x20 && id < 0x7F)
    return formatv("'{0}'", char(id)).str();
  return formatv("{0:x-2}", id).str();
}

/// A token ID as a JSON string: the character, or "\xNN" if unprintable.
std::string tokenIdJSON(uint8_t id) {
  if (id >= 0x20 && id < 0x7F)
    return std::string(1, char(id));
  return formatv("\\x{0:x-2}", id).str();
}

/// A pointer and where it lands: "0x4db3 (file 0x51b3)".
std::string pointerText(uint16_t value, std::optional<uint64_t> fileOffset) {
  if (value == 0)
    return "0x0 (absent)";
  if (!fileOffset)
    return formatv("{0:x} (out of range)", value).str();
  return formatv("{0:x} (file {1:x})", value, *fileOffset).str();
}

void printBitText(const BitTable &bit, llvm::raw_ostream &os) {
  os << formatv("bit: at {0:x} (x86 image +{1:x}), version {2:x-}.{3:x-2}, "
                "header size {4}, token size {5}, {6} token{7}, checksum {8}\n",
                bit.offset, bit.offset - bit.base, bit.version >> 8,
                bit.version & 0xFF, bit.headerSize, bit.tokenSize,
                bit.tokenCount, bit.tokenCount == 1 ? "" : "s",
                checksumStatusName(bit.checksum));
  for (const BitToken &token : bit.tokens)
    os << formatv("  token {0} version {1}, size {2:x}, pointer {3}\n",
                  tokenIdText(token.id), token.version, token.dataSize,
                  pointerText(token.dataPointer, token.dataOffset));
  if (const auto &init = bit.init) {
    for (const BitInitPointer &pointer : init->pointers) {
      os << formatv("  init {0} (+{1:x}): {2}", pointer.name, pointer.field,
                    pointerText(pointer.value, pointer.fileOffset));
      if (pointer.size)
        os << formatv(", size {0:x}", *pointer.size);
      os << "\n";
    }
    if (init->pointers.empty() || !init->pointers.front().fileOffset) {
      os << "  init scripts: unknown (no script table)\n";
    } else {
      os << formatv("  init scripts: {0}{1}", init->scripts.size(),
                    init->scriptTableTerminated ? "" : " (no terminator)");
      for (auto [i, script] : llvm::enumerate(init->scripts))
        os << formatv("{0} {1:x}", i == 0 ? ":" : "", script);
      os << "\n";
    }
  }
  if (bit.ramConfigCount)
    os << formatv("  ram config count: {0}\n", *bit.ramConfigCount);
}

/// The AtomBIOS section of the text form (docs/ROM.md, "AMD AtomBIOS").
void printAtomText(const AtomInfo &atom, llvm::raw_ostream &os) {
  os << formatv("atombios: image {0}, header {1}, format {2}.{3}, size "
                "{4:x}\n",
                atom.image, pointerText(atom.headerPointer, atom.headerOffset),
                atom.formatRevision, atom.contentRevision,
                atom.structureSize);
  os << formatv("  runtime segment {0:x}, protected mode info {1:x}, config "
                "filename {2:x}, crc block {3:x}, int10 {4:x}, pci bus/dev "
                "init {5:x}, io base {6:x}, pci info {7:x}, extended "
                "function code {8:x-2}\n",
                atom.biosRuntimeSegment, atom.protectedModeInfo,
                atom.configFilename, atom.crcBlock, atom.int10,
                atom.pciBusDevInitCode, atom.ioBaseAddress, atom.pciInfo,
                atom.extendedFunctionCode);
  os << formatv("  subsystem {0:x-4}:{1:x-4}", atom.subsystemVendorId,
                atom.subsystemId);
  if (atom.vendorId && atom.deviceId)
    os << formatv(", id {0:x-4}:{1:x-4}", *atom.vendorId, *atom.deviceId);
  if (atom.pspDirTable)
    os << formatv(", psp directory {0:x}", *atom.pspDirTable);
  os << "\n";
  os << "  bootup message " << formatv("{0:x}", atom.bootupMessage);
  if (atom.bootupMessageText)
    os << ": \"" << *atom.bootupMessageText << "\"";
  else if (atom.bootupMessage)
    os << " (out of range)";
  else
    os << " (absent)";
  os << "\n";
  unsigned present = 0;
  for (const AtomCommandTable &table : atom.commandTables)
    present += table.pointer != 0;
  os << formatv("  master command table {0}, format {1}.{2}, size {3:x}, {4} "
                "entries, {5} present\n",
                pointerText(atom.masterCommandTable, atom.commandTableOffset),
                atom.commandTableFormatRevision,
                atom.commandTableContentRevision, atom.commandTableSize,
                atom.commandTables.size(), present);
  os << formatv("  master data table {0}, format {1}.{2}, size {3:x}, {4} "
                "entries\n",
                pointerText(atom.masterDataTable, atom.dataTableOffset),
                atom.dataTableFormatRevision, atom.dataTableContentRevision,
                atom.dataTableSize, atom.dataTableEntries);
  for (const AtomCommandTable &table : atom.commandTables) {
    os << formatv("  command table {0}{1}{2}: ", table.index,
                  table.name.empty() ? "" : " ", table.name);
    if (!table.pointer) {
      os << "absent\n";
      continue;
    }
    os << pointerText(table.pointer, table.offset);
    if (table.offset)
      os << formatv(", size {0:x}, format {1}.{2}, WS {3}, PS {4}{5}",
                    table.size, table.formatRevision, table.contentRevision,
                    table.workspaceSize, table.parameterSize,
                    table.updatedByUtility ? ", updated by utility" : "");
    os << "\n";
  }
}

void printText(const RomLayout &layout, llvm::raw_ostream &os,
               const BitTable *bit, const AtomInfo *atom) {
  os << "rom: " << layout.name << "\n";
  os << formatv("file size: {0:x} ({1} bytes)\n", layout.fileSize,
                layout.fileSize);
  if (const auto &ifr = layout.ifr) {
    os << formatv("vendor prefix: NVGI (IFR version {0}, fixed data size "
                  "{1:x}, total data size {2:x}, PCI ROM offset ",
                  ifr->version, ifr->fixedDataSize, ifr->totalDataSize);
    if (ifr->romOffset)
      os << formatv("{0:x})\n", *ifr->romOffset);
    else
      os << "unknown)\n";
  } else {
    os << "vendor prefix: none\n";
  }
  unsigned inChain = 0, after = 0;
  for (const RomImage &image : layout.images)
    ++(image.afterLastImage ? after : inChain);
  os << formatv("chain: {0} image{1} from {2:x} to {3:x}, {4}\n", inChain,
                inChain == 1 ? "" : "s", layout.chainStart, layout.chainEnd,
                layout.endedWithLastBit ? "ended by the last-image bit"
                                        : "no last-image bit");
  os << formatv("after last-image bit: {0} image{1}", after,
                after == 1 ? "" : "s");
  if (after)
    os << formatv(" to {0:x}", layout.imagesEnd);
  os << "\n";
  os << formatv("trailing bytes: {0:x} from {1:x}\n", layout.trailingBytes(),
                layout.imagesEnd);
  if (layout.firstX86Offset)
    os << formatv("first x86 image: {0:x}\n", *layout.firstX86Offset);
  else
    os << "first x86 image: none\n";

  for (const RomImage &image : layout.images) {
    os << formatv("image {0} at {1:x}: {2} (code type {3:x-2}), {4} blocks "
                  "({5:x} bytes) to {6:x}, {7}{8}\n",
                  image.index, image.offset, codeTypeName(image.codeType),
                  image.codeType, image.imageBlocks, image.length(),
                  image.end(), image.last ? "last" : "not last",
                  image.afterLastImage ? ", after the last-image bit" : "");
    os << formatv("  signature {0}, {1} at +{2:x}, revision {3}, length "
                  "{4:x}\n",
                  signatureBytes(image.signature), image.pcirSignature,
                  image.pcirOffset, image.pcirRevision, image.pcirLength);
    os << formatv("  id {0:x-4}:{1:x-4}, class {2:x-2} {3:x-2} {4:x-2}{5}, "
                  "revision level {6:x-4}, indicator {7:x-2}\n",
                  image.vendorId, image.deviceId, image.classCode[0],
                  image.classCode[1], image.classCode[2],
                  image.classCodeReversed ? " (reversed)" : "",
                  image.revisionLevel, image.indicator);
    if (image.pcirRevision == 3) {
      os << formatv("  pci 3.0: device list pointer {0:x}, max run-time "
                    "length {1} blocks, config utility {2:x}, DMTF CLP "
                    "{3:x}\n",
                    image.pcirWord8, image.maxRuntimeBlocks,
                    image.configUtilityOffset, image.dmtfClpOffset);
      if (!image.deviceList.empty()) {
        os << "  device list:";
        for (uint16_t id : image.deviceList)
          os << formatv(" {0:x-4}", id);
        os << "\n";
      }
    } else {
      os << formatv("  vpd pointer {0:x}\n", image.pcirWord8);
    }
    if (const auto &npde = image.npde)
      os << formatv("  npde at +{0:x}: version {1:x}, length {2:x}, {3} "
                    "blocks, flags {4:x-2} ({5})\n",
                    npde->offset, npde->version, npde->length,
                    npde->imageBlocks, npde->flags,
                    npde->last ? "last" : "not last");
    if (const auto &x86 = image.x86)
      os << formatv("  x86: init size {0} blocks, entry {1:x-2} {2:x-2} "
                    "{3:x-2}, pnp offset {4:x}, checksum {5}\n",
                    x86->initBlocks, x86->entry[0], x86->entry[1],
                    x86->entry[2], x86->pnpOffset,
                    checksumStatusName(x86->checksum));
    if (const auto &efi = image.efi)
      os << formatv("  efi: init size {0} blocks, signature {1:x}, subsystem "
                    "{2}, machine {3:x-4}, compression {4}, pe offset {5:x}\n",
                    efi->initBlocks, efi->signature, efi->subsystem,
                    efi->machine, efi->compression, efi->peOffset);
    if (image.fcodeStart)
      os << formatv("  fcode: start {0:x}\n", *image.fcodeStart);
  }
  if (bit)
    printBitText(*bit, os);
  else if (layout.firstX86Offset)
    os << "bit: none\n";
  if (atom)
    printAtomText(*atom, os);
}

nlohmann::ordered_json toJSON(const RomImage &image) {
  nlohmann::ordered_json j;
  j["index"] = image.index;
  j["offset"] = image.offset;
  j["end"] = image.end();
  j["signature"] = signatureBytes(image.signature);
  j["code_type"] = image.codeType;
  j["code_type_name"] = codeTypeName(image.codeType).str();
  j["image_blocks"] = image.imageBlocks;
  j["image_length"] = image.length();
  j["last"] = image.last;
  j["after_last_image"] = image.afterLastImage;
  nlohmann::ordered_json ds;
  ds["signature"] = image.pcirSignature;
  ds["offset"] = image.pcirOffset;
  ds["revision"] = image.pcirRevision;
  ds["length"] = image.pcirLength;
  if (image.pcirRevision == 3) {
    ds["device_list_pointer"] = image.pcirWord8;
    ds["max_runtime_blocks"] = image.maxRuntimeBlocks;
    ds["config_utility_offset"] = image.configUtilityOffset;
    ds["dmtf_clp_offset"] = image.dmtfClpOffset;
  } else {
    ds["vpd_pointer"] = image.pcirWord8;
  }
  j["data_structure"] = ds;
  j["vendor_id"] = image.vendorId;
  j["device_id"] = image.deviceId;
  j["class_code"] = {image.classCode[0], image.classCode[1],
                     image.classCode[2]};
  j["class_code_reversed"] = image.classCodeReversed;
  j["revision_level"] = image.revisionLevel;
  j["indicator"] = image.indicator;
  j["device_list"] = nlohmann::ordered_json::array();
  for (uint16_t id : image.deviceList)
    j["device_list"].push_back(id);
  j["npde"] = nullptr;
  if (const auto &npde = image.npde)
    j["npde"] = {{"offset", npde->offset}, {"version", npde->version},
                 {"length", npde->length}, {"image_blocks", npde->imageBlocks},
                 {"flags", npde->flags},   {"last", npde->last}};
  j["x86"] = nullptr;
  if (const auto &x86 = image.x86)
    j["x86"] = {{"init_blocks", x86->initBlocks},
                {"entry", {x86->entry[0], x86->entry[1], x86->entry[2]}},
                {"pnp_offset", x86->pnpOffset},
                {"checksum", checksumStatusName(x86->checksum).str()},
                {"checksum_sum", x86->checksumSum}};
  j["efi"] = nullptr;
  if (const auto &efi = image.efi)
    j["efi"] = {
        {"init_blocks", efi->initBlocks},  {"signature", efi->signature},
        {"subsystem", efi->subsystem},     {"machine", efi->machine},
        {"compression", efi->compression}, {"pe_offset", efi->peOffset}};
  j["fcode"] = nullptr;
  if (image.fcodeStart)
    j["fcode"] = {{"start", *image.fcodeStart}};
  return j;
}

/// A file offset, or null when the pointer is absent or out of range.
nlohmann::ordered_json optionalOffset(std::optional<uint64_t> offset) {
  if (offset)
    return *offset;
  return nullptr;
}

nlohmann::ordered_json toJSON(const BitTable &bit) {
  nlohmann::ordered_json j;
  j["offset"] = bit.offset;
  j["image_offset"] = bit.offset - bit.base;
  j["version"] = bit.version;
  j["header_size"] = bit.headerSize;
  j["token_size"] = bit.tokenSize;
  j["token_count"] = bit.tokenCount;
  j["checksum"] = checksumStatusName(bit.checksum).str();
  j["checksum_sum"] = bit.checksumSum;
  j["tokens"] = nlohmann::ordered_json::array();
  for (const BitToken &token : bit.tokens) {
    nlohmann::ordered_json t;
    t["id"] = tokenIdJSON(token.id);
    t["id_code"] = token.id;
    t["version"] = token.version;
    t["data_size"] = token.dataSize;
    t["data_pointer"] = token.dataPointer;
    t["data_offset"] = optionalOffset(token.dataOffset);
    t["entry_offset"] = token.entryOffset;
    j["tokens"].push_back(t);
  }
  j["init"] = nullptr;
  if (const auto &init = bit.init) {
    nlohmann::ordered_json i;
    for (const BitInitPointer &pointer : init->pointers) {
      nlohmann::ordered_json p;
      p["field"] = pointer.field;
      p["pointer"] = pointer.value;
      p["offset"] = optionalOffset(pointer.fileOffset);
      if (pointer.size)
        p["size"] = *pointer.size;
      i[pointer.name.str()] = p;
    }
    i["scripts"] = nullptr;
    if (!init->pointers.empty() && init->pointers.front().fileOffset) {
      i["scripts"] = nlohmann::ordered_json::array();
      for (uint16_t script : init->scripts)
        i["scripts"].push_back(script);
    }
    i["script_table_terminated"] = init->scriptTableTerminated;
    j["init"] = i;
  }
  j["ram_config_count"] = nullptr;
  if (bit.ramConfigCount)
    j["ram_config_count"] = *bit.ramConfigCount;
  return j;
}

nlohmann::ordered_json toJSON(const AtomInfo &atom) {
  nlohmann::ordered_json j;
  j["image"] = atom.image;
  j["image_offset"] = atom.imageOffset;
  j["header_pointer"] = atom.headerPointer;
  j["header_offset"] = atom.headerOffset;
  j["structure_size"] = atom.structureSize;
  j["format_revision"] = atom.formatRevision;
  j["content_revision"] = atom.contentRevision;
  j["bios_runtime_segment"] = atom.biosRuntimeSegment;
  j["protected_mode_info"] = atom.protectedModeInfo;
  j["config_filename"] = atom.configFilename;
  j["crc_block"] = atom.crcBlock;
  j["int10"] = atom.int10;
  j["pci_bus_dev_init_code"] = atom.pciBusDevInitCode;
  j["io_base_address"] = atom.ioBaseAddress;
  j["subsystem_vendor_id"] = atom.subsystemVendorId;
  j["subsystem_id"] = atom.subsystemId;
  j["pci_info"] = atom.pciInfo;
  j["extended_function_code"] = atom.extendedFunctionCode;
  j["psp_dir_table"] = nullptr;
  if (atom.pspDirTable)
    j["psp_dir_table"] = *atom.pspDirTable;
  j["vendor_id"] = nullptr;
  j["device_id"] = nullptr;
  if (atom.vendorId && atom.deviceId) {
    j["vendor_id"] = *atom.vendorId;
    j["device_id"] = *atom.deviceId;
  }
  j["bootup_message"] = {{"pointer", atom.bootupMessage},
                         {"text", nullptr}};
  if (atom.bootupMessageText)
    j["bootup_message"]["text"] = *atom.bootupMessageText;
  j["master_command_table"] = {
      {"pointer", atom.masterCommandTable},
      {"offset", optionalOffset(atom.commandTableOffset)},
      {"structure_size", atom.commandTableSize},
      {"format_revision", atom.commandTableFormatRevision},
      {"content_revision", atom.commandTableContentRevision},
      {"entries", atom.commandTables.size()}};
  j["master_data_table"] = {
      {"pointer", atom.masterDataTable},
      {"offset", optionalOffset(atom.dataTableOffset)},
      {"structure_size", atom.dataTableSize},
      {"format_revision", atom.dataTableFormatRevision},
      {"content_revision", atom.dataTableContentRevision},
      {"entries", atom.dataTableEntries}};
  j["command_tables"] = nlohmann::ordered_json::array();
  for (const AtomCommandTable &table : atom.commandTables) {
    nlohmann::ordered_json t;
    t["index"] = table.index;
    t["name"] = table.name.str();
    t["pointer"] = table.pointer;
    t["offset"] = optionalOffset(table.offset);
    if (table.offset) {
      t["size"] = table.size;
      t["format_revision"] = table.formatRevision;
      t["content_revision"] = table.contentRevision;
      t["ws"] = table.workspaceSize;
      t["ps"] = table.parameterSize;
      t["updated_by_utility"] = table.updatedByUtility;
    }
    j["command_tables"].push_back(t);
  }
  return j;
}

void printJSON(const RomLayout &layout, llvm::raw_ostream &os,
               llvm::ArrayRef<RomDiagnostic> warnings, const BitTable *bit,
               const AtomInfo *atom) {
  nlohmann::ordered_json j;
  j["format"] = "gpuinit-rom-info";
  j["version"] = 1;
  // Names of files need not be UTF-8; keep the JSON valid regardless.
  j["name"] = layout.name;
  j["file_size"] = layout.fileSize;
  j["vendor_prefix"] = nullptr;
  if (const auto &ifr = layout.ifr) {
    nlohmann::ordered_json prefix = {{"signature", "NVGI"},
                                     {"ifr_version", ifr->version},
                                     {"fixed_data_size", ifr->fixedDataSize},
                                     {"total_data_size", ifr->totalDataSize},
                                     {"pci_rom_offset", nullptr}};
    if (ifr->romOffset)
      prefix["pci_rom_offset"] = *ifr->romOffset;
    j["vendor_prefix"] = prefix;
  }
  j["chain_start"] = layout.chainStart;
  j["chain_end"] = layout.chainEnd;
  j["ended_with_last_bit"] = layout.endedWithLastBit;
  j["images_end"] = layout.imagesEnd;
  j["trailing_bytes"] = layout.trailingBytes();
  j["first_x86_image"] = nullptr;
  if (layout.firstX86Offset)
    j["first_x86_image"] = *layout.firstX86Offset;
  j["images"] = nlohmann::ordered_json::array();
  for (const RomImage &image : layout.images)
    j["images"].push_back(toJSON(image));
  j["atombios"] = nullptr;
  if (atom)
    j["atombios"] = toJSON(*atom);
  j["bit"] = nullptr;
  if (bit)
    j["bit"] = toJSON(*bit);
  j["warnings"] = nlohmann::ordered_json::array();
  for (const RomDiagnostic &warning : warnings)
    j["warnings"].push_back(
        {{"offset", warning.offset}, {"message", warning.message}});
  os << j.dump(2, ' ', /*ensure_ascii=*/true,
               nlohmann::ordered_json::error_handler_t::replace)
     << "\n";
}
} // namespace

void gpuinit::rom::printRomInfo(const RomLayout &layout, RomInfoFormat format,
                                llvm::raw_ostream &os,
                                llvm::ArrayRef<RomDiagnostic> warnings,
                                const BitTable *bit, const AtomInfo *atom) {
  if (format == RomInfoFormat::JSON)
    printJSON(layout, os, warnings, bit, atom);
  else
    printText(layout, os, bit, atom);
}
