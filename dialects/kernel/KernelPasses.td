//===- KernelPasses.td - kernel passes ------------------------*- tablegen -*-===//
//
// Rewrite passes of the kernel dialect: structured ops to explicit kernels,
// and launch fusion.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_KERNEL_PASSES_TD
#define GPUINIT_KERNEL_PASSES_TD

include "mlir/Pass/PassBase.td"

def KernelLowerStructured
    : Pass<"kernel-lower-structured", "::mlir::ModuleOp"> {
  let summary = "Expand kernel.elementwise/reduce/matmul into kernels and launches";
  let description = [{
    Replaces every structured op of the host code by a `kernel.launch` of a
    new `kernel.func` in the `kernel.module @structured_kernels` (created at
    the start of the module, or reused; it must have the pass's target), or
    with `module-per-kernel` in a new `kernel.module` of the kernel's name.
    The kernel is named after the host function and the op
    (`@saxpy_elementwise`, `@matmul_relu_matmul_1`, ...). Its parameters are
    the op's operands (device buffers become global memrefs without a memory
    space) followed by the index sizes it needs; the host computes the sizes
    (constants for static dimensions, the `kernel.alloc` operand or a
    `memref.dim` for dynamic ones, reused between the ops of one function)
    and the grid right before the launch.

    * `kernel.elementwise` of rank R (0 to 3): `kind elementwise`,
      `workgroup(256, 1, 1)`, `launch_bounds(256)`, one element per thread.
      The last dimension is spread over `ceil(d / 256)` workgroups in x with
      a bounds check, the other dimensions are grid y and z (rank 2:
      grid `(ceil(d1 / 256), d0, 1)`). Each thread loads the inputs at its
      index, runs the body, and stores: the results are exactly those of the
      sequential definition.
    * `kernel.reduce`: `kind reduce`, `workgroup(256, 1, 1)`, `shared` of
      256 elements; one workgroup per output element (grid = the output's
      shape, innermost in x, output rank at most 3). Thread t folds elements
      t, t + 256, t + 512, ... of the row from left to right, the workgroup
      combines the 256 partial values in shared memory by a tree of halving
      strides (128, 64, ..., 1; partial p combined with p + stride), and
      thread 0 stores `init ⊕ total` (`init` for an empty row). No warp
      shuffles: the order is the same on every target, so results are
      reproducible, but floating-point sums are not those of a left-to-right
      loop.
    * `kernel.matmul`: `kind matmul`, `workgroup(16, 16, 1)`,
      `launch_bounds(256)`, `shared` of two 16x16 tiles of the input type;
      grid `(ceil(N / 16), ceil(M / 16), 1)`. Each thread computes one
      element of C from A and B tiles staged in shared memory, summing the
      products over k in increasing order (`math.fma` for floats, after
      extending the inputs to C's type; `muli`/`addi` after `extsi` for
      integers), starting from C's element with `accumulate` and from zero
      otherwise: the order of a sequential loop.

    The structured op must have device-buffer operands of rank at most 3
    (`kernel.reduce`: an output of rank at most 3) with a fixed-size element
    type; anything else is an error at the op.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect"];
  let options = [
    Option<"target", "target", "std::string", "\"cuda sm_90 ptx 80\"",
           "Target of the generated kernels, as in #kernel.target<...> "
           "(\"cuda sm_90 ptx 80\", \"vulkan 1.1\", \"cpu\")">,
    Option<"modulePerKernel", "module-per-kernel", "bool", "false",
           "Put each kernel in a kernel.module of its own, named like the "
           "kernel, instead of @structured_kernels (one device module, e.g. "
           "one SPIR-V binary, per kernel)">];
  let statistics = [
    Statistic<"numElementwise", "elementwise-lowered",
              "kernel.elementwise ops lowered">,
    Statistic<"numReduce", "reduce-lowered", "kernel.reduce ops lowered">,
    Statistic<"numMatmul", "matmul-lowered", "kernel.matmul ops lowered">];
}

def KernelFuse : Pass<"kernel-fuse", "::mlir::ModuleOp"> {
  let summary = "Fuse element-wise launches, and element-wise epilogues into matmul and reduce kernels";
  let description = [{
    Works on host code after `kernel-lower-structured` (and on hand-written
    launches). A producer launch writes an intermediate device buffer that
    the next launch using it (the consumer) reads; the two become one launch
    of a new kernel in the producer's `kernel.module`, the intermediate's
    `kernel.alloc` and `kernel.free` are removed, and kernels no longer
    launched are erased. Fusions repeat, so chains fuse into one kernel.

    * **Element-wise chains**: producer and consumer are `kind elementwise`
      kernels in the canonical element-wise form (below), launched with the
      same grid and block (the same SSA values or equal constants), with
      the same guard, and the consumer loads the intermediate at the index
      the producer stores it, which is the index of every other access of
      both. The fused kernel runs the producer's body, then the consumer's
      with the stored value in place of the load.
    * **Epilogues**: the producer is a `kind matmul` or `kind reduce` kernel
      that stores to the intermediate exactly once (one `memref.store` not
      in a loop; no other use of that parameter), the consumer a canonical
      element-wise kernel. Both must provably cover exactly the
      intermediate's elements, each once: the stored index is a tuple of
      `block_id * W + thread_id` or `block_id` terms (W the workgroup size)
      bounded by guards whose bounds are the buffer's sizes and by a grid
      computed as `ceil(size / W)` (or constants), with unused thread and
      grid dimensions 1 or fixed by `thread_id == 0`. The fused kernel runs
      the producer with the epilogue's body applied, at the same index, to
      the value the producer stored, and the launch keeps the producer's
      shape.

    Canonical element-wise form: the body is pure ops, one `scf.if` (the
    guard, no else) holding every memory access, and `kernel.return`; the
    guard's block has loads from parameters, pure ops, and one store to a
    parameter, all at one index tuple; thread- and block-id values are used
    there only as that index.

    Refused, counted per reason, the IR unchanged: different targets
    (`refused-target`); an intermediate that is not a `kernel.alloc` of the
    same block used only by the two launches and `kernel.free`s after them
    (`refused-other-use`); a host op between the launches that may touch
    one of their buffers, or whose effects are unknown
    (`refused-intervening-op`); different grid or block
    (`refused-launch-shape`); both kernels with `max_registers`, different
    (`refused-max-registers`); the static shared memory of both (their
    `shared` budgets, or their allocations) over the target's limit, or
    dynamic shared memory in the consumer's launch
    (`refused-shared-memory`); a kernel not in a form the pass can prove
    fusible (`refused-kernel`); the consumer loading the intermediate at
    another index (`refused-index`); different guards or an element set
    that cannot be shown equal (`refused-domain`); an epilogue that writes
    a buffer the producer accesses (other than by loads of the very
    element it stores, before it stores) or reads one it writes
    (`refused-hazard`). Two buffers may alias unless they are in different
    memory (host, device), one is a `kernel.alloc` result and the other a
    different value, or both are function arguments (whole buffers) whose
    types no one buffer can have (element types or static sizes differ).

    The fused metadata: the producer's kind, target and workgroup; the
    smaller `launch_bounds` thread count and the larger `min_blocks`; the
    sum of the `shared` budgets; the `max_registers` of whichever has one;
    the producer's hints. See docs/KernelFusion.md.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"];
  let statistics = [
    Statistic<"numFused", "launches-fused", "Launches fused into their producer">,
    Statistic<"numBuffersRemoved", "buffers-removed",
              "Intermediate device buffers removed">,
    Statistic<"numRefusedTarget", "refused-target",
              "Refused: the kernels have different targets">,
    Statistic<"numRefusedOtherUse", "refused-other-use",
              "Refused: the intermediate buffer has another use">,
    Statistic<"numRefusedIntervening", "refused-intervening-op",
              "Refused: a host op between the launches touches their buffers">,
    Statistic<"numRefusedLaunchShape", "refused-launch-shape",
              "Refused: different grid or block">,
    Statistic<"numRefusedMaxRegisters", "refused-max-registers",
              "Refused: conflicting max_registers">,
    Statistic<"numRefusedSharedMemory", "refused-shared-memory",
              "Refused: combined shared memory over the limit">,
    Statistic<"numRefusedKernel", "refused-kernel",
              "Refused: a kernel is not in a fusible form">,
    Statistic<"numRefusedIndex", "refused-index",
              "Refused: the intermediate is read at another index">,
    Statistic<"numRefusedDomain", "refused-domain",
              "Refused: the kernels do not cover the same elements">,
    Statistic<"numRefusedHazard", "refused-hazard",
              "Refused: the epilogue touches a buffer the producer uses">];
}

#endif // GPUINIT_KERNEL_PASSES_TD
