//===- InitSeqPasses.td - initseq passes ----------------------*- tablegen -*-===//
//
// Rewrite passes over init sequences and the lowering to LLVM.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_INITSEQ_PASSES_TD
#define GPUINIT_INITSEQ_PASSES_TD

include "mlir/Pass/PassBase.td"

def InitSeqReduce : Pass<"initseq-reduce", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Remove accesses the device cannot observe";
  let description = [{
    Removes duplicate and overwritten writes, and turns read-modify-writes
    into writes, only where a register map declares the register plain
    storage (see docs/InitSeqReduction.md for the rules). Never removes,
    reorders or merges an access to a register without such a declaration,
    never removes an overwritten value across a delay, poll, condition,
    opaque op or side-effecting access, and never changes a poll.
  }];
  let options = [
    Option<"regmapPath", "regmap", "std::string", "\"\"",
           "JSON register map; empty means every register has side effects">,
    Option<"dropPureReads", "drop-pure-reads", "bool", "false",
           "Remove reads of registers the map declares read-pure (plain or "
           "read-pure). Off by default: a read also flushes posted writes.">];
  let statistics = [
    Statistic<"numReadsRemoved", "reads-removed", "Reads of read-pure registers removed">,
    Statistic<"numDuplicateWrites", "duplicate-writes", "Duplicate writes removed">,
    Statistic<"numDeadWrites", "dead-writes", "Overwritten writes removed">,
    Statistic<"numRmwToWrite", "rmw-to-write", "Read-modify-writes turned into writes">,
    Statistic<"numRmwRemoved", "rmw-removed", "Read-modify-writes that change nothing removed">];
}

def InitSeqDetectDelays
    : Pass<"initseq-detect-delays", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Insert the delays a trace's timestamps show";
  let description = [{
    Where two consecutive timestamped ops are further apart than `threshold`
    nanoseconds and no delay already sits between them, inserts a delay of
    the gap before the second. A poll's end is its timestamp plus the time
    it took. The bodies of a condition (then and else) are scanned each as
    a sequence of its own, starting with no previous timestamp; the
    condition op itself is skipped.
  }];
  let options = [Option<"thresholdNs", "threshold", "int64_t", "1000000",
                        "Smallest gap (ns) that becomes a delay">];
  let statistics = [
    Statistic<"numDelays", "delays-inserted", "Delays inserted">,
    Statistic<"totalNs", "delay-ns", "Total nanoseconds of inserted delays">];
}

def InitSeqDetectPolls
    : Pass<"initseq-detect-polls", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Turn a run of reads that waits for bits to change into a poll";
  let description = [{
    A run of at least `min-reads` consecutive reads of one register that
    observe one value and end with a read of a different value becomes one
    poll: mask = the bits that changed, expected = their final value,
    timeout = observed duration x `safety-factor`, clamped to
    [`min-timeout`, `max-timeout`]. A run never crosses a condition: the
    bodies of a condition (then and else) are scanned each on its own.
  }];
  let options = [
    Option<"minReads", "min-reads", "unsigned", "3", "Shortest run of reads that is a poll">,
    Option<"safetyFactor", "safety-factor", "unsigned", "10", "Timeout = observed duration x factor">,
    Option<"minTimeoutNs", "min-timeout", "int64_t", "1000000", "Smallest timeout (ns)">,
    Option<"maxTimeoutNs", "max-timeout", "int64_t", "1000000000", "Largest timeout (ns)">];
  let statistics = [
    Statistic<"numPolls", "polls-detected", "Polls detected">,
    Statistic<"numReads", "reads-folded", "Reads folded into polls">];
}

def InitSeqSimplify : Pass<"initseq-simplify", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Apply the initseq canonicalizations in one walk";
  let description = [{
    Applies the canonicalization patterns of the initseq ops (merge adjacent
    delays, drop zero delays, one-value block write to write, read-modify-
    write mask normal form, drop an empty `else`) in a single walk over the
    sequence. It reaches the same result as `-canonicalize` on initseq ops,
    without the greedy driver's worklist, which dominates on million-access
    traces; it is the step `initseq-optimize-pipeline` uses.
  }];
  let statistics = [Statistic<"numRewrites", "rewrites", "Ops rewritten or erased">];
}

def InitSeqCoalesce : Pass<"initseq-coalesce", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Merge writes to consecutive registers into block writes";
  let description = [{
    Adjacent writes of one width to consecutive registers (offset increasing
    by the access size) in cfg, mmio or io space become one block write.
    This changes no access: a block write is defined as those writes, in
    order. A run never crosses a condition: the bodies of a condition (then
    and else) are merged each on its own.
  }];
  let options = [Option<"minRun", "min-run", "unsigned", "2",
                        "Shortest run of writes that becomes a block write">];
  let statistics = [
    Statistic<"numBlocks", "block-writes", "Block writes formed">,
    Statistic<"numWrites", "writes-merged", "Writes merged into block writes">];
}

def InitSeqExpand : Pass<"initseq-expand", "::gpuinit::initseq::SequenceOp"> {
  let summary = "Expand block writes into single writes";
  let statistics = [Statistic<"numExpanded", "block-writes-expanded",
                              "Block writes expanded">];
}

#endif // GPUINIT_INITSEQ_PASSES_TD
