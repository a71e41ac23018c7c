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
      io_flag_condition 4, reg 5, external 6) and runs its body when the
      result is non-zero (zero with `not`), else its `else` body.
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

def ConvertKernelGPUToSPIRV
    : Pass<"convert-kernel-gpu-to-spirv", "::mlir::ModuleOp"> {
  let summary = "Convert Vulkan gpu.modules to spirv.modules, atomics included";
  let description = [{
    Upstream's `convert-gpu-to-spirv` for Vulkan (Shader) modules, with the
    same pattern sets and memory-space mapping, plus the memref atomics that
    upstream's MemRef-to-SPIR-V patterns do not convert and the kernel
    dialect's atomics lower to: every `memref.atomic_rmw` kind (integer kinds
    and `assign` as the matching `spirv.Atomic*` instruction; `addf` on f32
    as `spirv.EXT.AtomicFAdd` when the target environment allows
    `AtomicFloat32AddEXT` and `SPV_EXT_shader_atomic_float_add`; the other
    floating-point kinds as a compare-exchange loop) and
    `memref.generic_atomic_rmw` (its body in a compare-exchange loop on the
    element's bits). Atomics on Workgroup storage have Workgroup scope,
    others Device scope; memory semantics are relaxed. The
    kernel-to-spirv-pipeline uses this pass in place of upstream's.
  }];
  let dependentDialects = [
    "::mlir::spirv::SPIRVDialect", "::mlir::scf::SCFDialect"];
}

def ConvertKernelToGPU : Pass<"convert-kernel-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower the kernel dialect onto upstream gpu (and nvvm, nvgpu, spirv)";
  let description = [{
    Rewrites every `kernel.module` into a `gpu.module` and every `kernel.func`
    into a `gpu.func` (a device function into a `func.func` in the same
    `gpu.module`), marks the module `gpu.container_module`, and lowers the
    ops:

    | kernel | upstream |
    |---|---|
    | thread_id, block_id, block_dim, grid_dim | gpu.thread_id, gpu.block_id, gpu.block_dim, gpu.grid_dim |
    | barrier | gpu.barrier |
    | fence | cuda: nvvm.memory.barrier (cta, gpu, sys); vulkan: spirv.MemoryBarrier |
    | shared_alloc | a workgroup attribution of the gpu.func |
    | dynamic_shared | gpu.dynamic_shared_memory |
    | atomic add/sub/min/max/umin/umax/and/or/xor/exchange | memref.atomic_rmw (sub as add of the negation) |
    | atomic inc/dec, atomic_cas | memref.generic_atomic_rmw |
    | warp_size | cuda: 32; vulkan: gpu.subgroup_size |
    | lane_id | gpu.lane_id |
    | shuffle | cuda: gpu.shuffle (width 32 when absent); vulkan: spirv.GroupNonUniformShuffle from a source lane computed from gpu.lane_id and the width (the subgroup size when absent) |
    | vote | cuda: nvvm.vote.sync; vulkan: spirv.GroupNonUniformBallot/All/Any |
    | match_any | cuda: nvvm.match.sync any |
    | mma_load/compute/store | gpu.subgroup_mma_load_matrix/compute/store_matrix |
    | async_copy/commit/wait | cuda: nvgpu.device_async_copy/create_group/wait; elsewhere a synchronous copy |
    | call | func.call |
    | alloc, free, copy, launch, wait | gpu.alloc, gpu.dealloc, gpu.memcpy, gpu.launch_func, gpu.wait |

    The metadata becomes `known_block_size` and, for CUDA, `nvvm.reqntid`,
    `nvvm.maxntid`, `nvvm.minctasm` and `nvvm.maxnreg`; for Vulkan
    `spirv.entry_point_abi` with the workgroup size. On Vulkan, a kernel
    whose shuffles (or those of the device functions it calls) have a
    `width`, or that votes, gets `gpuinit.subgroup_size = array<i32: min,
    max>` on its gpu.func: the subgroup sizes its code is right for (max 0:
    unbounded), which the SPIR-V emission passes on to the runtime. A primitive the kernel's
    target cannot express (tensor-core MMA, warp match or system-scope
    atomics on Vulkan, ...) is an error naming the op and the target; the
    pass then fails. Structured ops must be lowered first
    (`kernel-lower-structured`).
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect", "::mlir::spirv::SPIRVDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"];
}

def ConvertKernelToCPU : Pass<"convert-kernel-to-cpu", "::mlir::ModuleOp"> {
  let summary = "Lower kernels to host functions following the CPU kernel ABI";
  let description = [{
    Rewrites every `kernel.module` whose target is `cpu` (every one with
    `any-target`) into a nested `builtin.module` of the same name, and every
    `kernel.func` into a `func.func` that runs one workgroup, as the CPU
    runtime calls it (include/gpuinit/Runtime/CpuKernelABI.h):

    ```c
    void <kernel>(void **args, const gpuinit_cpu_workgroup *wg);
    ```

    (`func.func @k(%args: !llvm.ptr, %wg: !llvm.ptr)`). The result uses
    `scf`, `memref`, `arith`, `func` and a few `llvm` ops; the usual
    lowering to LLVM finishes it (`buildKernelToCPUPipeline` in
    include/gpuinit/Target/Kernel.h, behind `gpuinit-translate
    --kernel-to-cpu`). docs/Runtime.md ("CPU backend") has the long form.

    * **Arguments.** `args[i]` points at parameter i's value: a 4-byte slot
      for i32/f32 (narrower scalars in its low bytes), 8 bytes for i64, f64
      and `index`, and for a memref a `void *` holding the buffer's base
      address. The memref descriptor is rebuilt from that pointer (offset 0,
      identity or static strided layout): static sizes come from the type;
      each dynamic size is a hidden 64-bit argument appended after the
      declared ones, in parameter order and dimension order
      (`(%a: memref<?x?xf32>, %n: index)` reads `args[0]`, `args[1]`, then
      `a`'s sizes from `args[2]` and `args[3]`).
    * **Threads.** The body runs inside loops over `threadIdx` z, y, x
      (`wg->block`); `thread_id` is the loop index, `block_id`, `block_dim`
      and `grid_dim` read `wg`. Operations without memory effects whose
      operands do not depend on the thread run once, outside the loops.
    * **Barriers** split the body into phases, each its own loop over the
      threads (marked `kernel.cpu_phase = N`). A barrier may be at the top
      level of the kernel or in `scf.for` loops whose bounds do not depend on
      the thread id (nested as deep as needed); such a loop runs once around
      its phases and its `iter_args` become per-thread variables. A value
      defined in one phase and used in another is recomputed there when it
      is a side-effect-free function of thread ids and uniform values, and
      otherwise goes through a per-thread array (`memref.alloca` of
      `block[0] * block[1] * block[2]` elements indexed by the linear thread
      id); a private `memref.alloca` live across a barrier gets one copy per
      thread. A barrier may also be in an `scf.if` whose condition does not
      depend on the thread id (all threads take the same side); such an if
      runs at the serial level around its phases, like a uniform loop. A barrier
      elsewhere (in a thread-dependent `scf.if`, `scf.while`, a loop with
      thread-dependent bounds) is an error naming it.
    * **Shuffles** are emulated with 32-lane warps (lane = linear thread id
      mod 32): a shuffle ends a phase after storing its value in a
      per-thread array and the next phase reads the source lane's slot. So a
      shuffle may also be inside `scf.if` (any condition), whose parts then
      run under the condition in each phase. Votes and warp match work the
      same way: the next phase combines the slots of the thread's warp.
      `warp_size` is 32 (replaced, and the `scf.if`s it makes constant
      folded, before the phases are formed); `lane_id` is the linear thread
      id mod 32.
    * **Shared memory**: `shared_alloc` is a `memref.alloca` at the entry
      (one per call, i.e. per workgroup); `dynamic_shared` is `wg->shared`.
    * **Atomics** become `memref.atomic_rmw` (sub as add of the negation) and
      `memref.generic_atomic_rmw` (inc, dec, compare-and-swap), real host
      atomics; fences `llvm.fence` (singlethread scope for `thread` and
      `block`); async copies are synchronous; `call` is a `func.call` of the
      device function, which takes `wg` and the thread ids as extra
      arguments.
    * Tensor-core MMA is an error naming the op and target `cpu`, as are
      barriers and warp operations in device functions.

    Memory spaces are dropped. Host code that launches a converted kernel
    is an error: the CPU runtime runs host programs (`gpuinit-run`), and
    `gpuinit-translate --kernel-to-cpu` drops host code first.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::scf::SCFDialect"];
  let options = [
    Option<"anyTarget", "any-target", "bool", "false",
           "Lower the kernel modules of every target, not only target cpu">];
  let statistics = [
    Statistic<"numKernels", "kernels", "Kernels lowered">,
    Statistic<"numDeviceFunctions", "device-functions",
              "Device functions lowered">,
    Statistic<"numPhases", "phases", "Loops over the threads emitted">,
    Statistic<"numPerThreadArrays", "per-thread-arrays",
              "Values and private buffers kept per thread across phases">,
    Statistic<"numRematerialized", "rematerialized",
              "Values recomputed in a later phase instead of stored">,
    Statistic<"numShuffles", "shuffles", "Warp shuffles emulated">];
}

#endif // GPUINIT_CONVERSION_PASSES_TD
