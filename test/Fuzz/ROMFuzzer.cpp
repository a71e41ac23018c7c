//===- ROMFuzzer.cpp - libFuzzer target of the PCI option ROM walker ------===//
//
// Feeds arbitrary bytes to the ROM walker and the NVIDIA BIT decoder and
// prints every layout it accepts in both --rom-info formats. Nothing may
// crash or hang; a successful walk reports no error, a failed one at least
// one, images never overlap, the BIT decoder only warns and every offset it
// gives lies inside the input, and the JSON form parses back with one entry
// per image and per BIT token.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROM.h"

#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

using namespace gpuinit::rom;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Small limits keep every run short; the input's size picks them so that
  // the limit paths are reachable too.
  RomLimits limits;
  limits.maxImages = size % 7 == 0 ? 2 : 64;
  limits.maxDeviceListEntries = size % 5 == 0 ? 3 : 256;
  limits.maxFileSize = size % 11 == 0 ? size / 2 : 1 << 20;

  unsigned errors = 0;
  llvm::SmallVector<RomDiagnostic> warnings;
  mlir::FailureOr<RomLayout> layout = walkRom(
      llvm::ArrayRef<uint8_t>(data, size), "fuzz.rom",
      [&](const RomDiagnostic &diagnostic) {
        if (diagnostic.offset > size)
          std::abort();
        if (diagnostic.severity == Severity::Error)
          ++errors;
        else
          warnings.push_back(diagnostic);
      },
      limits);
  if (mlir::failed(layout)) {
    if (errors == 0)
      std::abort();
    return 0;
  }
  if (errors != 0 || layout->images.empty() ||
      layout->images.size() > limits.maxImages || layout->imagesEnd > size)
    std::abort();
  uint64_t previousEnd = layout->chainStart;
  for (const RomImage &image : layout->images) {
    if (image.offset != previousEnd || image.end() <= image.offset)
      std::abort();
    previousEnd = image.end();
  }

  BitLimits bitLimits;
  bitLimits.maxScripts = size % 3 == 0 ? 4 : 256;
  std::optional<BitTable> bit = findBit(
      llvm::ArrayRef<uint8_t>(data, size), *layout,
      [&](const RomDiagnostic &diagnostic) {
        if (diagnostic.offset > size ||
            diagnostic.severity != Severity::Warning)
          std::abort();
        warnings.push_back(diagnostic);
      },
      bitLimits);
  if (bit) {
    if (bit->offset >= size || bit->tokens.size() > bit->tokenCount)
      std::abort();
    for (const BitToken &token : bit->tokens)
      if (token.dataOffset && *token.dataOffset + token.dataSize > size)
        std::abort();
    if (bit->init) {
      for (const BitInitPointer &pointer : bit->init->pointers)
        if (pointer.fileOffset && *pointer.fileOffset >= size)
          std::abort();
      if (bit->init->scripts.size() > bitLimits.maxScripts)
        std::abort();
    }
  }

  std::string text;
  llvm::raw_string_ostream textStream(text);
  const BitTable *bitPtr = bit ? &*bit : nullptr;
  printRomInfo(*layout, RomInfoFormat::Text, textStream, {}, bitPtr);
  std::string json;
  llvm::raw_string_ostream jsonStream(json);
  printRomInfo(*layout, RomInfoFormat::JSON, jsonStream, warnings, bitPtr);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || parsed["images"].size() != layout->images.size())
    std::abort();
  if (bit ? parsed["bit"]["tokens"].size() != bit->tokens.size()
          : !parsed["bit"].is_null())
    std::abort();
  return 0;
}
