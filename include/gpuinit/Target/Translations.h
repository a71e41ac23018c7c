//===- Translations.h - gpuinit importers and exporters -------------------===//
//
// Registration of every gpuinit translation with gpuinit-translate. Each
// function lives in the library of its format (lib/Target/<Format>).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_TRANSLATIONS_H
#define GPUINIT_TARGET_TRANSLATIONS_H

namespace gpuinit {

struct InitSeqJSONExportOptions;
struct MMIOTraceImportOptions;

/// --import-mmiotrace (lib/Target/MMIOTrace).
void registerMMIOTraceTranslations();
/// --import-initseq-json and --export-initseq-json (lib/Target/InitSeqJSON).
void registerInitSeqJSONTranslations();
/// --export-initseq-c (lib/Target/InitSeqC).
void registerInitSeqCTranslations();
/// --mmiotrace-to-initseq-json: import, pass pipeline and export in one
/// process (lib/Target/InitSeqChain).
void registerInitSeqChainTranslations();
/// --rom-info (lib/Target/ROM).
void registerROMTranslations();

/// The --initseq-json-* options as given on the command line (registers
/// them on first use).
InitSeqJSONExportOptions initSeqJSONExportOptionsFromCommandLine();
/// The --mmiotrace-* options as given on the command line (registers them on
/// first use).
MMIOTraceImportOptions mmiotraceImportOptionsFromCommandLine();

/// All of the above.
inline void registerAllTranslations() {
  registerMMIOTraceTranslations();
  registerInitSeqJSONTranslations();
  registerInitSeqCTranslations();
  registerInitSeqChainTranslations();
  registerROMTranslations();
}

} // namespace gpuinit

#endif // GPUINIT_TARGET_TRANSLATIONS_H
