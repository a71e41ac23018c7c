//===- MMIOTrace.h - Linux mmiotrace importer -----------------------------===//
//
// Turns a Linux mmiotrace text log (format 20070824, see
// shared/specs/mmiotrace.md) into one initseq.sequence per traced PCI device.
//
//===----------------------------------------------------------------------===//
//
// What the importer builds:
//
// * One `initseq.sequence` per PCIDEV device that the log accesses, in the
//   order of their first access, named `@trace_<vendor>_<device>` (hex), or
//   `@trace_<vendor>_<device>_<bus>_<slot>_<fn>` when several PCIDEV lines
//   share the PCI id. Each has `origin trace`, `pci`, and `sha1` = SHA-1 of
//   the input text.
// * `W` -> `initseq.write`, `R` -> `initseq.read ... -> observed`, at
//   `mmio[barN + offset]` with the offset from the PCIDEV resource base (low
//   four flag bits masked), widths 1/2/4/8 bytes -> i8/i16/i32/i64, and
//   `ts` = seconds * 10^9 + microseconds * 10^3. Log order is kept.
// * The expansion ROM (PCIDEV resource 6) has no initseq address space:
//   accesses to it become `initseq.opaque "mmiotrace.rom_read"` /
//   `"mmiotrace.rom_write"` with operands (offset in the ROM, width in bytes,
//   value). Resources 0..5 with flag bit 0 are I/O ports and never match an
//   MMIO address.
// * `UNKNOWN` -> `initseq.opaque "mmiotrace.unknown"` with the three opcode
//   bytes as operands and the register as a `mmiotrace.reg` attribute
//   (`mmiotrace.rom_offset` in the ROM), plus a warning.
// * `MARK` -> `initseq.note` in every imported sequence (marks are not tied
//   to a device; with --mmiotrace-device that is the selected one), at its
//   place in the log. A `Lost N events` mark sets `incomplete` on every
//   imported sequence.
// * A log without device accesses gives an empty module and a warning.
//
// Errors (located file:line:column, null result): malformed fields of a
// known record, R/W/UNKNOWN through a map id no active MAP created, outside
// its mapping, outside every PCIDEV resource (unless skipped on request) or
// past the end of one, a reused active map id, a conflicting PCIDEV line, a
// last record without a line terminator (truncated log), and the limits.
// Warnings: VERSION missing or not 20070824, unrecognised lines (counted, one
// warning), UNMAPs of untraced or unknown map ids (counted, one warning).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_TARGET_MMIOTRACE_H
#define GPUINIT_TARGET_MMIOTRACE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace gpuinit {

/// What to import and the limits that keep the importer bounded on hostile
/// input. The defaults are the ones of `--import-mmiotrace`.
struct MMIOTraceImportOptions {
  /// The device to import: empty for every device with accesses, a bus
  /// address `bb:dd.f` (hex, optionally with a `0000:` domain) or a PCI id
  /// `vvvv:dddd` (hex) that names exactly one PCIDEV line.
  std::string device;
  /// Longest line accepted, in bytes (not counting the line terminator).
  uint64_t maxLineLength = 4096;
  /// Most timed records (MAP, UNMAP, R, W, UNKNOWN, MARK) accepted.
  uint64_t maxRecords = 20'000'000;
  /// Count accesses that fall in no PCIDEV resource, report them in one
  /// warning and leave them out, instead of failing on the first one.
  bool skipNonPCI = false;
  /// Give every op the `file:line:1` location of its record. Off, ops carry
  /// `file:0:0` (their `ts` still identifies the record): uniquing a location
  /// per op costs about a third of the import time of a large trace.
  bool lineLocations = false;
};

/// Imports the main buffer of `sourceMgr` as an mmiotrace log. Returns a
/// builtin module holding one `initseq.sequence` per imported device, or
/// null after emitting a located error (file:line:column) to the context's
/// diagnostic handler. Loads the initseq dialect into `context`. Runs with the
/// context's multithreading disabled (and restores it on return), which makes
/// creating millions of attributes much faster: no other thread may use
/// `context` meanwhile.
mlir::OwningOpRef<mlir::ModuleOp>
importMMIOTrace(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
                const MMIOTraceImportOptions &options = {});

} // namespace gpuinit

#endif // GPUINIT_TARGET_MMIOTRACE_H
