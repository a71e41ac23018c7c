//===- Translations.h - gpuinit importers and exporters -------------------===//
//
// Registration of every gpuinit translation with gpuinit-translate. Each
// function lives in the library of its format (lib/Target/<Format>).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_TRANSLATIONS_H
#define GPUINIT_TARGET_TRANSLATIONS_H

namespace gpuinit {

/// --import-mmiotrace (lib/Target/MMIOTrace).
void registerMMIOTraceTranslations();
/// --import-initseq-json and --export-initseq-json (lib/Target/InitSeqJSON).
void registerInitSeqJSONTranslations();
/// --export-initseq-c (lib/Target/InitSeqC).
void registerInitSeqCTranslations();

/// All of the above.
inline void registerAllTranslations() {
  registerMMIOTraceTranslations();
  registerInitSeqJSONTranslations();
  registerInitSeqCTranslations();
}

} // namespace gpuinit

#endif // GPUINIT_TARGET_TRANSLATIONS_H
