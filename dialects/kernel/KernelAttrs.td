//===- KernelAttrs.td - kernel attributes and enums ----------*- tablegen -*-===//
//
// Kernel kinds, targets, launch metadata and hints, and the enums of the
// device ops (dimensions, scopes, atomic kinds, shuffle modes, votes).
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_KERNEL_ATTRS_TD
#define GPUINIT_KERNEL_ATTRS_TD

include "KernelDialect.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

class Kernel_Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::gpuinit::kernel";
  let genSpecializedAttr = 0;
}

// An enum an op carries as an attribute: printed as a bare keyword in the op's
// syntax (`kernel.thread_id x`) and as an i32 in the generic form.
class Kernel_OpEnum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::gpuinit::kernel";
}

def Kernel_KernelKind : Kernel_Enum<"KernelKind", "what a kernel computes", [
    I32EnumAttrCase<"elementwise", 0>, I32EnumAttrCase<"reduce", 1>,
    I32EnumAttrCase<"matmul", 2>, I32EnumAttrCase<"conv2d", 3>,
    I32EnumAttrCase<"attention", 4>, I32EnumAttrCase<"scan", 5>,
    I32EnumAttrCase<"sort", 6>, I32EnumAttrCase<"custom", 7>]>;

def Kernel_Backend : Kernel_Enum<"Backend", "the kind of device a kernel targets", [
    I32EnumAttrCase<"cuda", 0>, I32EnumAttrCase<"vulkan", 1>,
    I32EnumAttrCase<"cpu", 2>]>;

def Kernel_Dim : Kernel_OpEnum<"Dim", "a dimension of the launch grid", [
    I32EnumAttrCase<"x", 0>, I32EnumAttrCase<"y", 1>, I32EnumAttrCase<"z", 2>]>;

def Kernel_Scope : Kernel_OpEnum<"Scope", "the set of threads a memory operation is ordered with", [
    I32EnumAttrCase<"thread", 0>, I32EnumAttrCase<"block", 1>,
    I32EnumAttrCase<"device", 2>, I32EnumAttrCase<"system", 3>]>;

// `min`/`max` compare integers as signed and floats as IEEE minNum/maxNum;
// `umin`/`umax` compare integers as unsigned. `inc`/`dec` are CUDA's
// wrapping atomicInc/atomicDec on i32.
def Kernel_AtomicKind : Kernel_OpEnum<"AtomicKind", "an atomic read-modify-write", [
    I32EnumAttrCase<"add", 0>, I32EnumAttrCase<"sub", 1>,
    I32EnumAttrCase<"min", 2>, I32EnumAttrCase<"max", 3>,
    I32EnumAttrCase<"umin", 4>, I32EnumAttrCase<"umax", 5>,
    I32EnumAttrCase<"And", 6, "and">, I32EnumAttrCase<"Or", 7, "or">,
    I32EnumAttrCase<"Xor", 8, "xor">, I32EnumAttrCase<"exchange", 9>,
    I32EnumAttrCase<"inc", 10>, I32EnumAttrCase<"dec", 11>]>;

def Kernel_ShuffleMode : Kernel_OpEnum<"ShuffleMode", "how a shuffle picks its source lane", [
    I32EnumAttrCase<"idx", 0>, I32EnumAttrCase<"up", 1>,
    I32EnumAttrCase<"down", 2>, I32EnumAttrCase<"Xor", 3, "xor">]>;

def Kernel_VoteKind : Kernel_OpEnum<"VoteKind", "a warp vote", [
    I32EnumAttrCase<"ballot", 0>, I32EnumAttrCase<"any", 1>,
    I32EnumAttrCase<"all", 2>]>;

def Kernel_MMAOperand : Kernel_Enum<"MMAOperand", "the role of a tensor-core fragment", [
    I32EnumAttrCase<"a", 0>, I32EnumAttrCase<"b", 1>, I32EnumAttrCase<"c", 2>]>;

def Kernel_MMALayout : Kernel_Enum<"MMALayout", "the memory layout a fragment is loaded from or stored to", [
    I32EnumAttrCase<"row", 0>, I32EnumAttrCase<"col", 1>]>;

def Kernel_CopyDirection : Kernel_Enum<"CopyDirection", "which way kernel.copy moves data", [
    I32EnumAttrCase<"host_to_device", 0>, I32EnumAttrCase<"device_to_host", 1>,
    I32EnumAttrCase<"device_to_device", 2>]>;

//===----------------------------------------------------------------------===//
// Target
//===----------------------------------------------------------------------===//

def Kernel_TargetAttr : Kernel_Attr<"Target", "target"> {
  let summary = "The device a kernel is compiled for";
  let description = [{
    ```mlir
    #kernel.target<cuda sm_90 ptx 80>   // NVIDIA sm_90, PTX ISA 8.0
    #kernel.target<vulkan 1.1>          // Vulkan 1.1 (SPIR-V 1.3)
    #kernel.target<cpu>                 // the host, through the CPU runtime
    ```

    `chip` is the SM number for CUDA (90 for `sm_90`) and 0 otherwise;
    `version` is the PTX ISA version times ten for CUDA (80 for PTX 8.0) and
    the Vulkan version times ten for Vulkan (11 for 1.1). A CUDA target needs
    a PTX version that knows its SM (sm_90 needs PTX 7.8 or newer).

    The limits the verifiers check come from the target (see
    `TargetAttr::getMaxThreadsPerBlock` and friends): 1024 threads per
    workgroup, at most (1024, 1024, 64) per dimension; static shared memory
    48 KiB on CUDA, 32 KiB on Vulkan, 64 KiB on the CPU; static plus dynamic
    shared memory up to the SM's opt-in maximum (227 KiB on sm_90).
  }];
  let parameters = (ins "Backend":$backend, "uint32_t":$chip,
                        "uint32_t":$version);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// `#kernel.target<cuda sm_<sm> ptx <ptx>>`.
    static TargetAttr getCUDA(::mlir::MLIRContext *ctx, uint32_t sm,
                              uint32_t ptx) {
      return get(ctx, Backend::cuda, sm, ptx);
    }
    /// `#kernel.target<vulkan <major>.<minor>>`.
    static TargetAttr getVulkan(::mlir::MLIRContext *ctx, uint32_t major,
                                uint32_t minor) {
      return get(ctx, Backend::vulkan, 0, major * 10 + minor);
    }
    /// `#kernel.target<cpu>`.
    static TargetAttr getCPU(::mlir::MLIRContext *ctx) {
      return get(ctx, Backend::cpu, 0, 0);
    }
    bool isCUDA() const { return getBackend() == Backend::cuda; }
    bool isVulkan() const { return getBackend() == Backend::vulkan; }
    bool isCPU() const { return getBackend() == Backend::cpu; }

    /// The SM number of a CUDA target (90 for sm_90), 0 otherwise.
    uint32_t getSM() const { return isCUDA() ? getChip() : 0; }
    /// "sm_90": the `chip` option of nvvm-attach-target ("" if not CUDA).
    std::string getChipName() const;
    /// "+ptx80": the `features` option of nvvm-attach-target ("" if not CUDA).
    std::string getPTXFeatures() const;
    /// The SPIR-V version a Vulkan target guarantees, times ten (1.1 -> 13).
    uint32_t getSPIRVVersion() const;

    /// The most threads one workgroup may have.
    uint32_t getMaxThreadsPerBlock() const;
    /// The largest workgroup size in dimension `dim` (0 = x, 1 = y, 2 = z).
    uint32_t getMaxWorkgroupSize(unsigned dim) const;
    /// The most statically allocated shared memory one kernel may use.
    uint64_t getMaxStaticSharedMemory() const;
    /// The most shared memory (static plus dynamic) one workgroup may use.
    uint64_t getMaxSharedMemory() const;
    /// False only for a CUDA target below sm_<minSM> (ops that need a newer
    /// SM, like MMA on sm_70, check it; other targets are not restricted).
    bool hasSM(uint32_t minSM) const { return !isCUDA() || getChip() >= minSM; }

    /// Prints the body without the `#kernel.target<` `>` (also used inside
    /// `#kernel.metadata` and the kernel.func header).
    void printBody(::mlir::AsmPrinter &printer) const;
    /// Parses what printBody prints.
    static TargetAttr parseBody(::mlir::AsmParser &parser);
  }];
}

//===----------------------------------------------------------------------===//
// Hints and metadata
//===----------------------------------------------------------------------===//

def Kernel_HintsAttr : Kernel_Attr<"Hints", "hints"> {
  let summary = "Optimization hints a lowering may use";
  let description = [{
    Hints never change what a kernel computes; a lowering that cannot use
    one ignores it.

    ```mlir
    #kernel.hints<tensor_cores, vector_width = 4, unroll = 8, coalesced, async_copy>
    ```

    - `tensor_cores`: use tensor-core (MMA) instructions where possible;
    - `vector_width = N` (1, 2, 4, 8 or 16): vectorize memory accesses by N;
    - `unroll = N` (N >= 1): unroll the innermost loops N times (CUDA: an
      `llvm.loop_annotation` unroll count on every innermost `scf.for`; the
      SPIR-V and CPU lowerings leave unrolling to their compilers);
    - `coalesced`: consecutive threads access consecutive addresses;
    - `async_copy`: stage global loads through asynchronous copies.
  }];
  let parameters = (ins DefaultValuedParameter<"bool", "false">:$tensorCores,
                        OptionalParameter<"std::optional<uint32_t>">:$vectorWidth,
                        OptionalParameter<"std::optional<uint32_t>">:$unroll,
                        DefaultValuedParameter<"bool", "false">:$coalesced,
                        DefaultValuedParameter<"bool", "false">:$asyncCopy);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True when no hint is set.
    bool empty() const {
      return !getTensorCores() && !getVectorWidth() && !getUnroll() &&
             !getCoalesced() && !getAsyncCopy();
    }
    /// Prints `tensor_cores, vector_width = 4, ...` (no brackets).
    void printBody(::mlir::AsmPrinter &printer) const;
    /// Parses what printBody prints.
    static HintsAttr parseBody(::mlir::AsmParser &parser);
  }];
}

def Kernel_MetadataAttr : Kernel_Attr<"Metadata", "metadata"> {
  let summary = "What a kernel is and how it may be launched";
  let description = [{
    Every `kernel.func` carries one, printed inline in its header as
    keywords (all but `kind` and `target` optional, in this order):

    ```mlir
    #kernel.metadata<kind matmul target cuda sm_90 ptx 80 workgroup(16, 16, 1)
                     launch_bounds(256, 2) shared 2048 max_registers 64
                     hints(tensor_cores, unroll = 4)>
    #kernel.metadata<device kind custom target vulkan 1.1>
    ```

    - `device`: a device function, callable from kernels with `kernel.call`
      and never launched; it has no workgroup, launch bounds or shared size.
    - `kind`: elementwise, reduce, matmul, conv2d, attention, scan, sort or
      custom.
    - `target`: the body of a `#kernel.target` (`cuda sm_90 ptx 80`,
      `vulkan 1.1`, `cpu`); an attribute alias of a target is accepted too.
    - `workgroup(x, y, z)`: the one block size the kernel is launched with
      (PTX `.reqntid`, SPIR-V `LocalSize`); every entry positive.
    - `launch_bounds(max_threads[, min_blocks])`: PTX `.maxntid` /
      `.minnctapersm`; `max_threads` is at least the workgroup size product.
    - `shared N`: bytes of static shared memory the kernel may allocate with
      `kernel.shared_alloc` (their sum, aligned, must fit).
    - `max_registers N` (1..255): PTX `.maxnreg`.
    - `hints(...)`: the body of a `#kernel.hints`.

    `max_registers` and `min_blocks` only mean something to CUDA; other
    targets ignore them. The target's limits bound every size.
  }];
  let parameters = (ins "KernelKind":$kind, "TargetAttr":$target,
      OptionalArrayRefParameter<"int32_t">:$workgroupSize,
      OptionalParameter<"std::optional<uint32_t>">:$maxThreads,
      OptionalParameter<"std::optional<uint32_t>">:$minBlocks,
      OptionalParameter<"std::optional<uint64_t>">:$sharedMemory,
      OptionalParameter<"std::optional<uint32_t>">:$maxRegisters,
      DefaultValuedParameter<"bool", "false">:$device,
      OptionalParameter<"HintsAttr">:$hints);
  let builders = [
    AttrBuilderWithInferredContext<(ins "KernelKind":$kind,
                                        "TargetAttr":$target), [{
      return $_get(target.getContext(), kind, target,
                   ::llvm::ArrayRef<int32_t>(), std::nullopt, std::nullopt,
                   std::nullopt, std::nullopt, false, HintsAttr());
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The same metadata with one field changed (for passes that rewrite
    /// kernels; the result is not verified).
    MetadataAttr withWorkgroupSize(::llvm::ArrayRef<int32_t> size) const;
    MetadataAttr withLaunchBounds(std::optional<uint32_t> maxThreads,
                                  std::optional<uint32_t> minBlocks) const;
    MetadataAttr withSharedMemory(std::optional<uint64_t> bytes) const;
    MetadataAttr withMaxRegisters(std::optional<uint32_t> regs) const;
    MetadataAttr withDevice(bool device) const;
    MetadataAttr withHints(HintsAttr hints) const;
    MetadataAttr withKind(KernelKind kind) const;
    MetadataAttr withTarget(TargetAttr target) const;

    /// The workgroup size as (x, y, z), if set.
    std::optional<std::array<int32_t, 3>> getWorkgroup() const;
    /// The number of threads of one workgroup, if the size is set.
    std::optional<int64_t> getWorkgroupThreads() const;

    /// Prints the keywords (no `#kernel.metadata<` `>`).
    void printBody(::mlir::AsmPrinter &printer) const;
    /// Parses what printBody prints (fields in any order); returns a null
    /// attribute after emitting an error.
    static MetadataAttr parseBody(::mlir::AsmParser &parser);
  }];
}

#endif // GPUINIT_KERNEL_ATTRS_TD
