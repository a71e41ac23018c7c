//===- DevinitFuzzer.cpp - libFuzzer target of the NVIDIA devinit decoder -===//
//
// Wraps the fuzz input into an NVIDIA-shaped ROM (one x86 image holding a
// BIT whose 'I' pointers all lead into the input) so that every run reaches
// the devinit decoder, then imports it. The input controls the script
// table, the condition and macro tables and the scripts themselves. Nothing
// may crash or hang; a failed import reports an error; whatever is built
// verifies, prints and parses back unchanged.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"
#include "gpuinit/Target/ROMImport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace gpuinit::rom;

namespace {
constexpr size_t kImageSize = 16 * 512;
constexpr size_t kDataAt = 0x200;

void put16(std::vector<uint8_t> &rom, size_t at, uint16_t v) {
  rom[at] = uint8_t(v);
  rom[at + 1] = uint8_t(v >> 8);
}

/// The x86 image: 55 AA, PCIR at 0x1c, BIT at 0x100 ('I' at 0x180, 'M' at
/// 0x1c0), then the input from 0x200. The input's first bytes pick the
/// table pointers (each clamped into the image) and the RAM-config count.
std::vector<uint8_t> wrap(const uint8_t *data, size_t size) {
  std::vector<uint8_t> rom(kImageSize, 0);
  rom[0] = 0x55;
  rom[1] = 0xAA;
  rom[2] = kImageSize / 512;
  put16(rom, 0x18, 0x1C);
  std::memcpy(&rom[0x1C], "PCIR", 4);
  put16(rom, 0x1C + 4, 0x10DE);
  put16(rom, 0x1C + 6, 0x0FC6);
  put16(rom, 0x1C + 10, 0x18);
  rom[0x1C + 0x0F] = 0x03;
  put16(rom, 0x1C + 0x10, kImageSize / 512);
  rom[0x1C + 0x15] = 0x80;
  static const uint8_t bitHeader[] = {0xFF, 0xB8, 'B', 'I', 'T', 0,
                                      0x00, 0x01, 12,  6,   2,   0};
  std::memcpy(&rom[0x100], bitHeader, sizeof bitHeader);
  uint8_t sum = 0;
  for (size_t i = 0; i < 12; ++i)
    sum += rom[0x100 + i];
  rom[0x100 + 11] = uint8_t(-sum);
  static const uint8_t tokens[] = {'I', 1, 0x12, 0, 0x80, 0x01,
                                   'M', 2, 3,    0, 0xC0, 0x01};
  std::memcpy(&rom[0x10C], tokens, sizeof tokens);
  // 'I' pointers: script table, macro index, macro, condition, I/O
  // condition, I/O flag condition, function, boot script, data arrays.
  for (unsigned i = 0; i < 9; ++i) {
    uint16_t choice = size > 2 * i + 1 ? uint16_t(data[2 * i] |
                                                  (data[2 * i + 1] << 8))
                                       : 0;
    uint16_t pointer = i == 6 ? 0 : uint16_t(kDataAt + choice % (kImageSize -
                                                                kDataAt));
    if (i == 7 && (choice & 0x8000))
      pointer = 0; // No private boot script.
    put16(rom, 0x180 + 2 * i, pointer);
  }
  rom[0x1C0] = size > 18 ? data[18] % 17 : 4; // RAM-config count 0..16
  size_t skip = std::min<size_t>(size, 19);
  size_t copy = std::min(size - skip, kImageSize - kDataAt);
  std::memcpy(&rom[kDataAt], data + skip, copy);
  return rom;
}

[[noreturn]] void fail(const char *why, const std::string &text = {}) {
  llvm::errs() << "DevinitFuzzer: " << why << "\n" << text << "\n";
  std::abort();
}

std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> rom = wrap(data, size);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.getOrLoadDialect<gpuinit::initseq::InitSeqDialect>();
  mlir::ScopedDiagnosticHandler discard(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });

  RomImportOptions options;
  options.maxSteps = 20000;
  options.maxOps = 20000;
  options.maxDepth = 1 + size % 16;
  options.devinitPost = size & 1;
  if (size % 3 == 0)
    options.strap = size > 20 ? data[20] : 0;
  if (size % 5 == 0)
    options.ramcfg = size % 4;

  unsigned errors = 0;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ModuleOp::create(mlir::UnknownLoc::get(&context));
  mlir::LogicalResult result = importRom(
      rom, "fuzz.rom", *module,
      [&](const RomDiagnostic &diagnostic) {
        if (diagnostic.offset > rom.size())
          fail("diagnostic outside the ROM");
        if (diagnostic.severity == Severity::Error)
          ++errors;
      },
      RomLimits(), BitLimits(), options);
  if (mlir::failed(result) && errors == 0)
    fail("failed without an error");
  if (mlir::failed(mlir::verify(*module)))
    fail("the module does not verify", print(*module));
  std::string text = print(*module);
  mlir::OwningOpRef<mlir::ModuleOp> reparsed =
      mlir::parseSourceString<mlir::ModuleOp>(text,
                                              mlir::ParserConfig(&context));
  if (!reparsed || print(*reparsed) != text)
    fail("the module does not round-trip", text);
  return 0;
}
