//===- ConversionPasses.td - gpuinit lowerings ---------------*- tablegen -*-===//
//
// Passes that lower gpuinit dialects to upstream dialects.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_CONVERSION_PASSES_TD
#define GPUINIT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertInitSeqToLLVM : Pass<"convert-initseq-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower each sequence to an LLVM function that replays it";
  let description = [{
    Replaces every `initseq.sequence @name` at the top level of the module by

    ```c
    int32_t name(void *const bars[6], void *ctx);
    ```

    (`llvm.func @name(%bars: !llvm.ptr, %ctx: !llvm.ptr) -> i32`) that
    performs the sequence's accesses in order. `bars` points to six BAR base
    pointers (only the BARs the sequence uses are read; each base must be
    8-byte aligned); `ctx` is passed unchanged to every hook.

    * MMIO write / read / rmw / block_write / poll: `llvm.load volatile` and
      `llvm.store volatile` of the access width at `bars[bar] + offset`,
      aligned to the width when the offset (and a looped block's stride) is a
      multiple of it, else `align 1`. A read's value is discarded; an rmw is
      a volatile load, `and`, `or`, volatile store.
    * cfg and io accesses call `gpuinit_cfg_read/write` and
      `gpuinit_io_read/write(ctx, offset_or_port i32, bits i32[, value i64])`;
      read hooks return i64 and only the low `bits` are used. An idxio access
      writes its index to the index port (`gpuinit_io_write`, 8 bits) before
      every access of the data port, so an rmw is index write, data read,
      index write, data write.
    * `delay N` calls `gpuinit_delay_ns(ctx, N)`; a zero delay emits nothing.
    * `poll` reads `t0 = gpuinit_time_ns(ctx)`, then loops: read; if
      `(value & mask) ==/!= expected` continue after the poll; else if
      `gpuinit_time_ns(ctx) - t0 >= timeout` (unsigned) return the poll's
      1-based index among the function's polls in program order (polls
      inside conditions included).
    * `condition` calls `gpuinit_condition(ctx, kind i32, index i64) -> i32`
      (kind: strap 0, ramcfg 1, condition 2, io_condition 3,
      io_flag_condition 4) and runs its body when the result is non-zero (zero
      with `not`).
    * `note` emits nothing; `opaque` cannot be replayed: the pass fails with
      an error at each opaque op, naming its kind, and changes nothing.

    A block write of more than `block-unroll-limit` values becomes a loop over
    a private constant array; shorter ones are unrolled. The function
    returns 0 when every poll succeeded. Hooks are declared only when used.
    The result contains only the `llvm` dialect: `gpuinit-translate
    --mlir-to-llvmir` translates it without further passes. See
    docs/InitSeqToLLVM.md.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"blockUnrollLimit", "block-unroll-limit", "unsigned", "16",
           "Block writes with more values than this become a loop over a "
           "constant array">];
  let statistics = [
    Statistic<"numFunctions", "functions", "Sequences lowered">,
    Statistic<"numAccesses", "accesses",
              "Access ops lowered (write, rmw, read, block_write, poll)">,
    Statistic<"numPolls", "polls", "Poll loops emitted">,
    Statistic<"numConditions", "conditions", "Conditions lowered to branches">,
    Statistic<"numHookCalls", "hook-calls", "Hook call sites emitted">];
}

#endif // GPUINIT_CONVERSION_PASSES_TD
