//===- KernelOps.td - kernel operations -----------------------*- tablegen -*-===//
//
// Every op of the kernel dialect: modules and functions, device primitives,
// host ops, and the structured ops frontends emit.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_KERNEL_OPS_TD
#define GPUINIT_KERNEL_OPS_TD

include "KernelTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/CallInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Modules and functions
//===----------------------------------------------------------------------===//

def Kernel_KernelModuleOp : Kernel_Op<"module", [
    IsolatedFromAbove, NoRegionArguments, SymbolTable, Symbol, SingleBlock,
    NoTerminator]> {
  let summary = "The kernels (and device functions) of one device module";
  let description = [{
    A translation emits one PTX module or SPIR-V module per `kernel.module`
    (upstream `gpu.module`). It holds only `kernel.func` ops, all for the
    same target. Host code refers to a kernel as `@module::@kernel`.

    ```mlir
    kernel.module @kernels {
      kernel.func @vecadd(%a: memref<?xf32>, %n: index) kind elementwise
          target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
        kernel.return
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$bodyRegion);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $bodyRegion";
  let hasVerifier = 1;  // only kernel.func, one target
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
  let extraClassDeclaration = [{
    /// The target of the module's functions (null when it has none).
    TargetAttr getTarget();
  }];
}

def Kernel_KernelFuncOp : Kernel_Op<"func", [
    HasParent<"KernelModuleOp">, AutomaticAllocationScope, FunctionOpInterface,
    IsolatedFromAbove]> {
  let summary = "A GPU kernel or device function with its metadata";
  let description = [{
    The signature is followed by the `#kernel.metadata` fields as keywords
    (see `MetadataAttr`), then optional `attributes {...}`, then the body:

    ```mlir
    kernel.func @vecadd(%a: memref<?xf32>, %b: memref<?xf32>,
                        %c: memref<?xf32>, %n: index)
        kind elementwise target cuda sm_90 ptx 80 workgroup(256, 1, 1)
        launch_bounds(256) hints(coalesced) {
      ...
      kernel.return
    }
    kernel.func @square(%x: f32) -> f32 device kind custom target cuda sm_90 ptx 80 {
      %y = arith.mulf %x, %x : f32
      kernel.return %y : f32
    }
    ```

    The body uses upstream `arith`, `scf`, `cf`, `memref`, `math` and
    `vector` ops and the device ops of this dialect; it ends in
    `kernel.return`. Every thread of the launch runs it.

    A kernel (no `device`) is launched by `kernel.launch`: it returns
    nothing and its parameters are memrefs in global memory (no memory space
    or `#gpu.address_space<global>`) and integer, index or float scalars. A
    device function is called by `kernel.call` and may take and return
    anything. The static shared memory of a kernel (the aligned sum of its
    `kernel.shared_alloc`s) must fit its `shared` metadata, or the target's
    limit when it has none.

    Maps to `gpu.func` (with the `kernel` attribute unless `device`), the
    metadata to `known_block_size`, `nvvm.reqntid`/`nvvm.maxntid`/
    `nvvm.minctasm`/`nvvm.maxnreg` and `spirv.entry_point_abi`.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       Kernel_MetadataAttr:$metadata,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs);
  let regions = (region AnyRegion:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;  // shared-memory budget
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
                                 "::mlir::FunctionType":$type,
                                 "MetadataAttr":$metadata)>];
  let extraClassDeclaration = [{
    //===------------------------------------------------------------------===//
    // FunctionOpInterface
    //===------------------------------------------------------------------===//
    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }
    bool isDeclaration() { return false; }

    //===------------------------------------------------------------------===//
    // Metadata
    //===------------------------------------------------------------------===//
    /// True for a device function (callable, not launchable).
    bool isDeviceFunction() { return getMetadata().getDevice(); }
    /// True for a launchable kernel.
    bool isKernel() { return !isDeviceFunction(); }
    KernelKind getKind() { return getMetadata().getKind(); }
    TargetAttr getTarget() { return getMetadata().getTarget(); }
    /// (x, y, z) when the metadata fixes the workgroup size.
    std::optional<std::array<int32_t, 3>> getWorkgroupSize() {
      return getMetadata().getWorkgroup();
    }
    /// The hints (never null: empty hints when the metadata has none).
    HintsAttr getHints();

    /// The entry block.
    ::mlir::Block &getEntryBlock() { return getBody().front(); }
    /// Bytes of static shared memory the kernel's kernel.shared_alloc ops
    /// take, each placed at its alignment after the previous one (the
    /// layout a lowering must use to honour the `shared` budget).
    uint64_t getStaticSharedMemoryUsage();
  }];
}

def Kernel_ReturnOp : Kernel_Op<"return", [
    Pure, HasParent<"KernelFuncOp">, ReturnLike, Terminator]> {
  let summary = "Returns from a kernel or device function";
  let description = [{
    ```mlir
    kernel.return
    kernel.return %y : f32
    ```

    Maps to `gpu.return`.
  }];
  let arguments = (ins Variadic<AnyType>:$operands);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
}

def Kernel_CallOp : Kernel_Op<"call", [
    Kernel_DeviceOnly, CallOpInterface,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Calls a device function of the same kernel.module";
  let description = [{
    ```mlir
    %y = kernel.call @square(%x) : (f32) -> f32
    ```

    The callee is a `kernel.func` with `device` metadata in the caller's
    `kernel.module`. Maps to `func.call` of the lowered `gpu.func`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyType>:$operands,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $callee `(` $operands `)` attr-dict `:` functional-type($operands, $results)
  }];
  let builders = [OpBuilder<(ins "KernelFuncOp":$callee,
                                 "::mlir::ValueRange":$operands)>];
  let extraClassDeclaration = [{
    /// The callee's signature as the call sees it.
    ::mlir::FunctionType getCalleeType();
    ::mlir::Operation::operand_range getArgOperands() { return getOperands(); }
    ::mlir::MutableOperandRange getArgOperandsMutable() {
      return getOperandsMutable();
    }
    ::mlir::CallInterfaceCallable getCallableForCallee() {
      return getCalleeAttr();
    }
    void setCalleeFromCallable(::mlir::CallInterfaceCallable callee) {
      setCalleeAttr(::llvm::cast<::mlir::FlatSymbolRefAttr>(
          ::llvm::cast<::mlir::SymbolRefAttr>(callee)));
    }
  }];
}

//===----------------------------------------------------------------------===//
// Device ops: ids and dimensions
//===----------------------------------------------------------------------===//

class Kernel_IndexOp<string mnemonic, string upstream, string what>
    : Kernel_Op<mnemonic, [Kernel_DeviceOnly, Pure]> {
  let summary = what;
  let description = !strconcat([{
    ```mlir
    %v = kernel.}], mnemonic, [{ x
    ```

    The dimension is `x`, `y` or `z`. Maps to `}], upstream, [{`.
  }]);
  let arguments = (ins Kernel_Dim:$dimension);
  let results = (outs Index:$result);
  let assemblyFormat = "$dimension attr-dict";
}

def Kernel_ThreadIdOp : Kernel_IndexOp<"thread_id", "gpu.thread_id",
    "The thread's index in its workgroup">;
def Kernel_BlockIdOp : Kernel_IndexOp<"block_id", "gpu.block_id",
    "The workgroup's index in the grid">;
def Kernel_BlockDimOp : Kernel_IndexOp<"block_dim", "gpu.block_dim",
    "The number of threads of a workgroup">;
def Kernel_GridDimOp : Kernel_IndexOp<"grid_dim", "gpu.grid_dim",
    "The number of workgroups of the grid">;

def Kernel_WarpSizeOp : Kernel_Op<"warp_size", [Kernel_DeviceOnly, Pure]> {
  let summary = "The number of lanes of a warp";
  let description = [{
    A warp is the group of threads that warp ops (`shuffle`, `vote`) work
    on: 32 threads on CUDA and on the CPU backend, one subgroup on Vulkan,
    whose size the device chooses (8 on lavapipe, 32 on NVIDIA, 32 or 64 on
    AMD). Code that must run on every target sizes its warp-level steps
    with this value instead of assuming 32.

    ```mlir
    %ws = kernel.warp_size
    ```

    Maps to the constant 32 on CUDA and CPU, and to `gpu.subgroup_size`
    (`SubgroupSize` built-in) on Vulkan.
  }];
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

def Kernel_LaneIdOp : Kernel_Op<"lane_id", [Kernel_DeviceOnly, Pure]> {
  let summary = "The thread's lane in its warp";
  let description = [{
    A value from 0 to `kernel.warp_size` - 1.

    ```mlir
    %lane = kernel.lane_id
    ```

    Maps to `gpu.lane_id` (`%laneid` on CUDA, `SubgroupLocalInvocationId`
    on Vulkan); on the CPU backend it is the linear thread id modulo 32.
  }];
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Device ops: synchronization
//===----------------------------------------------------------------------===//

def Kernel_BarrierOp : Kernel_Op<"barrier", [Kernel_DeviceOnly]> {
  let summary = "Waits for every thread of the workgroup";
  let description = [{
    Every thread of the workgroup waits here, and then sees the memory
    accesses the others made before it. Either all or none of the threads
    of a workgroup must reach it.

    ```mlir
    kernel.barrier
    ```

    Maps to `gpu.barrier` (`bar.sync 0`; `spirv.ControlBarrier` with
    workgroup scope).
  }];
  let assemblyFormat = "attr-dict";
}

def Kernel_FenceOp : Kernel_Op<"fence", [Kernel_DeviceOnly]> {
  let summary = "Orders this thread's memory accesses at a scope";
  let description = [{
    Memory accesses of this thread before the fence are observed before those
    after it by every thread of the scope: `thread` (a compiler-only fence),
    `block` (the workgroup), `device` (the GPU) or `system` (the GPU, the
    host and peer devices).

    ```mlir
    kernel.fence device
    ```

    Maps to `nvvm.memory.barrier` (`membar.cta`/`.gl`/`.sys`; an LLVM
    `fence syncscope("singlethread")` for `thread`) and `spirv.MemoryBarrier`
    (`Workgroup`/`Device`/`CrossDevice`, `Invocation`).
  }];
  let arguments = (ins Kernel_Scope:$scope);
  let assemblyFormat = "$scope attr-dict";
}

//===----------------------------------------------------------------------===//
// Device ops: shared memory
//===----------------------------------------------------------------------===//

def Kernel_SharedAllocOp : Kernel_Op<"shared_alloc", [Kernel_DeviceOnly]> {
  let summary = "A statically sized buffer in workgroup (shared) memory";
  let description = [{
    One buffer per workgroup, shared by its threads, for the whole launch
    (wherever the op appears in the kernel, like a CUDA `__shared__`
    variable). The type has a static shape, an identity layout and the
    `#gpu.address_space<workgroup>` memory space; `align` is a power of two
    (default: the element size).

    ```mlir
    %tile = kernel.shared_alloc align 16 : memref<16x16xf32, #gpu.address_space<workgroup>>
    ```

    Only kernels allocate shared memory (a device function takes a shared
    buffer as an argument), and their allocations must fit the kernel's
    `shared` metadata. Maps to a workgroup attribution of `gpu.func`.
  }];
  let arguments = (ins OptionalAttr<I64Attr>:$alignment);
  let results = (outs Res<AnyMemRef, "", [MemAlloc]>:$memref);
  let assemblyFormat = "(`align` $alignment^)? attr-dict `:` type($memref)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The bytes the buffer takes.
    uint64_t getSizeInBytes();
    /// The alignment in bytes (the element size when not given).
    uint64_t getAlignmentInBytes();
  }];
}

def Kernel_DynamicSharedOp : Kernel_Op<"dynamic_shared", [Kernel_DeviceOnly, Pure]> {
  let summary = "The dynamic shared memory of the launch, as bytes";
  let description = [{
    The `shared(...)` bytes of the `kernel.launch`, as a byte buffer to
    carve with `memref.view`. Every call returns the same buffer.

    ```mlir
    %smem = kernel.dynamic_shared : memref<?xi8, #gpu.address_space<workgroup>>
    ```

    Maps to `gpu.dynamic_shared_memory`.
  }];
  let results = (outs AnyMemRef:$memref);
  let assemblyFormat = "attr-dict `:` type($memref)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Device ops: atomics
//===----------------------------------------------------------------------===//

def Kernel_AtomicOp : Kernel_Op<"atomic", [
    Kernel_DeviceOnly,
    TypesMatchWith<"value type matches the element type", "memref", "value",
                   "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">,
    TypesMatchWith<"result type matches the element type", "memref", "result",
                   "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">]> {
  let summary = "Atomic read-modify-write; returns the old value";
  let description = [{
    Atomically replaces `memref[indices]` with `old <kind> value` and returns
    `old`, ordered (relaxed) with the other atomics of `scope` (`block`,
    `device` or `system`).

    ```mlir
    %old = kernel.atomic add device %sum[%c0], %x : memref<1xf32>
    %prev = kernel.atomic max block %hist[%i], %v : memref<256xi32, #gpu.address_space<workgroup>>
    ```

    Types: i32 and i64 for every kind except `inc` and `dec` (i32 only);
    `add` also on f16, bf16, f32 and f64; `exchange`, `min` and `max` also on
    f32 and f64. `sub`, `umin`, `umax`, `and`, `or`, `xor` are integer-only.
    The memref is in global or workgroup memory. On CUDA, f64 `add` needs
    sm_60, f16 `add` sm_70 and bf16 `add` sm_90.

    Maps to `memref.atomic_rmw` / `llvm.atomicrmw` with the scope's
    `syncscope` (`nvvm` `atom`, `spirv.AtomicIAdd` etc.).
  }];
  let arguments = (ins Kernel_AtomicKind:$kind, Kernel_Scope:$scope,
                       Arg<AnyMemRef, "", [MemRead, MemWrite]>:$memref,
                       Variadic<Index>:$indices, AnyType:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $kind $scope $memref `[` $indices `]` `,` $value attr-dict `:` type($memref)
  }];
  let hasVerifier = 1;
}

def Kernel_AtomicCASOp : Kernel_Op<"atomic_cas", [
    Kernel_DeviceOnly,
    TypesMatchWith<"compare type matches the element type", "memref", "compare",
                   "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">,
    TypesMatchWith<"new value type matches the element type", "memref", "value",
                   "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">,
    TypesMatchWith<"result type matches the element type", "memref", "result",
                   "::llvm::cast<::mlir::MemRefType>($_self).getElementType()">]> {
  let summary = "Atomic compare-and-swap; returns the old value";
  let description = [{
    Atomically stores `value` at `memref[indices]` if it holds `compare`, and
    returns what it held. i32 or i64 (compare floats through `arith.bitcast`).

    ```mlir
    %old = kernel.atomic_cas device %lock[%c0], %c0_i32, %c1_i32 : memref<1xi32>
    ```

    Maps to `llvm.cmpxchg` with the scope's `syncscope`
    (`spirv.AtomicCompareExchange`).
  }];
  let arguments = (ins Kernel_Scope:$scope,
                       Arg<AnyMemRef, "", [MemRead, MemWrite]>:$memref,
                       Variadic<Index>:$indices, AnyType:$compare,
                       AnyType:$value);
  let results = (outs AnyType:$result);
  let assemblyFormat = [{
    $scope $memref `[` $indices `]` `,` $compare `,` $value attr-dict `:` type($memref)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Device ops: warp primitives
//===----------------------------------------------------------------------===//

// The warp ops are convergent: their results depend on which lanes execute
// them together. They declare no memory effects on purpose (unknown effects),
// so that no pass hoists, sinks, speculates or merges them across control
// flow; `Pure` would allow all of that.

def Kernel_ShuffleOp : Kernel_Op<"shuffle", [
    Kernel_DeviceOnly, AllTypesMatch<["value", "result"]>]> {
  let summary = "Exchanges a value between the lanes of a warp";
  let description = [{
    The lanes are split in groups of `width` (a power of two, at most 32;
    without `width`, the group is the whole warp, `kernel.warp_size` lanes);
    lane `k` of a group reads `value` from the lane of its group given by
    the mode: `idx` lane `offset`, `up` lane `k - offset`, `down` lane
    `k + offset`, `xor` lane `k ^ offset`. When that lane is outside the
    group, `valid` is false and the result is the lane's own `value`. A
    constant `offset` must be less than `width`. The lanes of the group must
    be active.

    A `width` must not exceed the warp size. On Vulkan the warp is a
    subgroup: a kernel with `width W` records that it needs subgroups of at
    least W lanes in its SPIR-V, and the runtime requests that size
    (`VK_EXT_subgroup_size_control`) or refuses to run the kernel on a device
    that cannot provide it. Code that runs on any subgroup size uses the form
    without `width` and `kernel.warp_size`.

    ```mlir
    %r, %ok = kernel.shuffle xor %v, %c16_i32 width 32 : f32
    %s, %ok2 = kernel.shuffle down %v, %c1_i32 : f32
    ```

    Convergent, like every warp op: passes do not move it across control
    flow or merge it with another. Maps to `gpu.shuffle` (`nvvm.shfl.sync`;
    `spirv.GroupNonUniformShuffle*`).
  }];
  let arguments = (ins Kernel_ShuffleMode:$mode,
                       AnyTypeOf<[I32, I64, F32, F64]>:$value, I32:$offset,
                       OptionalAttr<I32Attr>:$width);
  let results = (outs AnyTypeOf<[I32, I64, F32, F64]>:$result, I1:$valid);
  let assemblyFormat = [{
    $mode $value `,` $offset (`width` $width^)? attr-dict `:` type($value)
  }];
  let hasVerifier = 1;
}

def Kernel_VoteOp : Kernel_Op<"vote", [Kernel_DeviceOnly, InferTypeOpAdaptor]> {
  let summary = "Combines a predicate across the active lanes of a warp";
  let description = [{
    `ballot` returns an i32 whose bit `k` is lane `k`'s predicate; `any` and
    `all` return an i1 that is true when the predicate holds for some / every
    active lane of the warp. On Vulkan the warp is a subgroup: a kernel with
    a vote records in its SPIR-V that it needs subgroups of at most 32 lanes
    (the width of the ballot), which the runtime checks.

    ```mlir
    %mask = kernel.vote ballot %p
    %some = kernel.vote any %p
    ```

    Convergent. Maps to `nvvm.vote.sync` with the PTX `activemask` as the
    member mask (the active lanes, as on Vulkan; PTX ISA 6.2 or newer) and
    to `spirv.GroupNonUniformBallot` / `GroupNonUniformAny` /
    `GroupNonUniformAll`. `activemask` names the lanes executing together at
    that point: on sm_70 and newer, lanes of a warp that diverged earlier and
    have not reconverged may take part in separate votes, so a frontend that
    needs the whole warp places the vote where the warp is converged. The CPU
    backend emulates it over whole 32-lane warps and refuses it under a
    condition that depends on the thread.
  }];
  let arguments = (ins Kernel_VoteKind:$kind, I1:$predicate);
  let results = (outs AnyTypeOf<[I1, I32]>:$result);
  let assemblyFormat = "$kind $predicate attr-dict";
  let hasVerifier = 1;
}

def Kernel_MatchAnyOp : Kernel_Op<"match_any", [Kernel_DeviceOnly]> {
  let summary = "The lanes of the warp holding the same value";
  let description = [{
    Returns the i32 mask of the active lanes whose `value` equals this lane's.

    ```mlir
    %peers = kernel.match_any %key : i32
    ```

    Convergent. Maps to `nvvm.match.sync any` (sm_70 or newer); SPIR-V has
    no equivalent, so the Vulkan lowering reports it.
  }];
  let arguments = (ins AnyTypeOf<[I32, I64, F32, F64]>:$value);
  let results = (outs I32:$mask);
  let assemblyFormat = "$value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Device ops: tensor cores
//===----------------------------------------------------------------------===//

def Kernel_MMALoadOp : Kernel_Op<"mma_load", [Kernel_DeviceOnly]> {
  let summary = "Loads a tensor-core fragment (the whole warp)";
  let description = [{
    Every lane of the warp executes it with the same operands. The tile
    starts at `memref[indices]`; `stride` is the distance in elements
    between consecutive rows (`row` layout) or columns (`col` layout).

    ```mlir
    %a = kernel.mma_load %A[%i, %k] stride 1024
        : memref<1024x1024xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    ```

    The memref's element type is the fragment's; it is in global or
    workgroup memory. Needs sm_70 on CUDA (sm_80 for bf16). Maps to
    `gpu.subgroup_mma_load_matrix` (`leadDimension` = stride, `transpose`
    for `col` a/b fragments).
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$memref,
                       Variadic<Index>:$indices, I64Attr:$stride);
  let results = (outs Kernel_Fragment:$fragment);
  let assemblyFormat = [{
    $memref `[` $indices `]` `stride` $stride attr-dict `:` type($memref) `->` type($fragment)
  }];
  let hasVerifier = 1;
}

def Kernel_MMAComputeOp : Kernel_Op<"mma_compute", [
    Kernel_DeviceOnly, Pure, AllTypesMatch<["c", "result"]>]> {
  let summary = "Tensor-core multiply-accumulate: a * b + c";
  let description = [{
    ```mlir
    %d = kernel.mma_compute %a, %b, %c
        : !kernel.fragment<a, m16n16k16, f16, row>,
          !kernel.fragment<b, m16n16k16, f16, row>
          -> !kernel.fragment<c, m16n16k16, f32, row>
    ```

    `a`, `b` and `c` are fragments of those roles with one shape; `a` and
    `b` have one element type; the result has `c`'s type. Maps to
    `gpu.subgroup_mma_compute`.
  }];
  let arguments = (ins Kernel_Fragment:$a, Kernel_Fragment:$b,
                       Kernel_Fragment:$c);
  let results = (outs Kernel_Fragment:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $c attr-dict `:` type($a) `,` type($b) `->` type($c)
  }];
  let hasVerifier = 1;
}

def Kernel_MMAStoreOp : Kernel_Op<"mma_store", [Kernel_DeviceOnly]> {
  let summary = "Stores an accumulator fragment (the whole warp)";
  let description = [{
    ```mlir
    kernel.mma_store %d, %C[%i, %j] stride 1024
        : !kernel.fragment<c, m16n16k16, f32, row>, memref<1024x1024xf32>
    ```

    Only `c` fragments are stored; the memref's element type is the
    fragment's. Maps to `gpu.subgroup_mma_store_matrix`.
  }];
  let arguments = (ins Kernel_Fragment:$fragment,
                       Arg<AnyMemRef, "", [MemWrite]>:$memref,
                       Variadic<Index>:$indices, I64Attr:$stride);
  let assemblyFormat = [{
    $fragment `,` $memref `[` $indices `]` `stride` $stride attr-dict `:` type($fragment) `,` type($memref)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Device ops: asynchronous copies
//===----------------------------------------------------------------------===//

def Kernel_AsyncCopyOp : Kernel_Op<"async_copy", [
    Kernel_DeviceOnly, AttrSizedOperandSegments]> {
  let summary = "Starts a copy of 4, 8 or 16 bytes from global to shared memory";
  let description = [{
    Starts copying `count` elements from `src[srcIndices]` (global memory)
    to `dst[dstIndices]` (workgroup memory); `count` elements are 4, 8 or
    16 bytes. The copy belongs to the group the next `kernel.async_commit`
    closes; `kernel.async_wait` waits for groups.

    ```mlir
    kernel.async_copy %A[%i] -> %tile[%j], 4 : memref<?xf32> -> memref<256xf32, #gpu.address_space<workgroup>>
    ```

    Maps to `nvvm.cp.async.shared.global` (`nvgpu.device_async_copy`; sm_80
    or newer); the SPIR-V lowering copies synchronously.
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$src,
                       Variadic<Index>:$srcIndices,
                       Arg<AnyMemRef, "", [MemWrite]>:$dst,
                       Variadic<Index>:$dstIndices, I64Attr:$count);
  let assemblyFormat = [{
    $src `[` $srcIndices `]` `->` $dst `[` $dstIndices `]` `,` $count attr-dict `:` type($src) `->` type($dst)
  }];
  let hasVerifier = 1;
}

def Kernel_AsyncCommitOp : Kernel_Op<"async_commit", [Kernel_DeviceOnly]> {
  let summary = "Closes the group of this thread's pending async copies";
  let description = [{
    ```mlir
    kernel.async_commit
    ```

    Maps to `nvvm.cp.async.commit.group`.
  }];
  let assemblyFormat = "attr-dict";
}

def Kernel_AsyncWaitOp : Kernel_Op<"async_wait", [Kernel_DeviceOnly]> {
  let summary = "Waits until at most N committed copy groups are pending";
  let description = [{
    `kernel.async_wait 0` waits for every committed group. The copies are
    then visible to this thread; a `kernel.barrier` makes them visible to
    the workgroup.

    ```mlir
    kernel.async_wait 1
    ```

    Maps to `nvvm.cp.async.wait.group`.
  }];
  let arguments = (ins I32Attr:$pending);
  let assemblyFormat = "$pending attr-dict";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Host ops
//===----------------------------------------------------------------------===//

def Kernel_AllocOp : Kernel_Op<"alloc", [Kernel_HostOnly]> {
  let summary = "Allocates a device buffer";
  let description = [{
    The type is a memref in `#gpu.address_space<global>` with an identity
    layout; one index operand per dynamic dimension. The contents are
    undefined.

    ```mlir
    %buf = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
    %tile = kernel.alloc : memref<64x64xf16, #gpu.address_space<global>>
    ```

    Maps to `gpu.alloc`.
  }];
  let arguments = (ins Variadic<Index>:$dynamicSizes);
  let results = (outs Res<AnyMemRef, "", [MemAlloc]>:$memref);
  let assemblyFormat = "(`(` $dynamicSizes^ `)`)? attr-dict `:` type($memref)";
  let hasVerifier = 1;
}

def Kernel_FreeOp : Kernel_Op<"free", [Kernel_HostOnly]> {
  let summary = "Frees a device buffer after the work enqueued before";
  let description = [{
    ```mlir
    kernel.free %buf : memref<?xf32, #gpu.address_space<global>>
    ```

    Maps to `gpu.dealloc`.
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemFree]>:$memref);
  let assemblyFormat = "$memref attr-dict `:` type($memref)";
  let hasVerifier = 1;
}

def Kernel_CopyOp : Kernel_Op<"copy", [Kernel_HostOnly]> {
  let summary = "Copies a buffer between host and device";
  let description = [{
    The direction follows the memory spaces: a memref without one is host
    memory, one in `#gpu.address_space<global>` a device buffer. Host to
    device, device to host and device to device are allowed (host to host is
    `memref.copy`). Both sides have the same element type and shape and an
    identity layout. A copy from or to host memory returns when the data has
    arrived; a device-to-device copy is ordered like a launch.

    ```mlir
    kernel.copy %host to %dev : memref<1024xf32> to memref<1024xf32, #gpu.address_space<global>>
    ```

    Maps to `gpu.memcpy`.
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$source,
                       Arg<AnyMemRef, "", [MemWrite]>:$target);
  let assemblyFormat = [{
    $source `to` $target attr-dict `:` type($source) `to` type($target)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Which way the data goes (from the two memory spaces).
    CopyDirection getDirection();
  }];
}

def Kernel_LaunchOp : Kernel_Op<"launch", [
    Kernel_HostOnly, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Launches a kernel on a grid of workgroups";
  let description = [{
    Enqueues a launch of `@module::@kernel` with `grid` workgroups of `block`
    threads, `shared` bytes of dynamic shared memory (default 0) and the
    arguments; it returns at once (see `kernel.wait`).

    ```mlir
    kernel.launch @kernels::@vecadd grid(%g, %c1, %c1) block(%c256, %c1, %c1)
        args(%a, %b, %c, %n : memref<?xf32, #gpu.address_space<global>>,
             memref<?xf32, #gpu.address_space<global>>,
             memref<?xf32, #gpu.address_space<global>>, index)
    kernel.launch @kernels::@reduce grid(%g, %c1, %c1) block(%c256, %c1, %c1)
        shared(%c1024_i32) args(%in, %out : memref<?xf32, #gpu.address_space<global>>,
                                             memref<1xf32, #gpu.address_space<global>>)
    ```

    The callee is a kernel (not a device function); the arguments match its
    parameters (a device buffer `memref<..., #gpu.address_space<global>>`
    matches a parameter in global memory with or without the memory space).
    Constant sizes are checked: grid and block sizes are positive, the block
    is the kernel's `workgroup` size when it has one, has at most
    `launch_bounds` threads and fits the target; static plus dynamic shared
    memory fit the target.

    Maps to `gpu.launch_func`.
  }];
  let arguments = (ins SymbolRefAttr:$kernel,
                       Index:$gridSizeX, Index:$gridSizeY, Index:$gridSizeZ,
                       Index:$blockSizeX, Index:$blockSizeY, Index:$blockSizeZ,
                       Optional<I32>:$dynamicSharedMemorySize,
                       Variadic<AnyType>:$args);
  let assemblyFormat = [{
    $kernel
    `grid` `(` $gridSizeX `,` $gridSizeY `,` $gridSizeZ `)`
    `block` `(` $blockSizeX `,` $blockSizeY `,` $blockSizeZ `)`
    (`shared` `(` $dynamicSharedMemorySize^ `)`)?
    (`args` `(` $args^ `:` type($args) `)`)?
    attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The grid size operands (x, y, z).
    ::mlir::SmallVector<::mlir::Value, 3> getGridSize() {
      return {getGridSizeX(), getGridSizeY(), getGridSizeZ()};
    }
    /// The block size operands (x, y, z).
    ::mlir::SmallVector<::mlir::Value, 3> getBlockSize() {
      return {getBlockSizeX(), getBlockSizeY(), getBlockSizeZ()};
    }
    /// The launched kernel, or null if the reference does not resolve.
    KernelFuncOp getKernelFunc();
  }];
}

def Kernel_WaitOp : Kernel_Op<"wait", [Kernel_HostOnly]> {
  let summary = "Waits until every enqueued launch and copy has finished";
  let description = [{
    ```mlir
    kernel.wait
    ```

    Maps to `gpu.wait` (synchronous form).
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

def Kernel_ElementwiseOp : Kernel_Op<"elementwise", [
    Kernel_HostOnly, DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "A launch applying a scalar body at every element";
  let description = [{
    For every index of `output`, runs the body on the elements of the input
    memrefs at that index (a scalar input is passed as is) and stores what it
    yields. Inputs and output are device buffers of one shape; the body
    takes one argument per input (its element type) and yields the output's
    element type, and its ops have no memory effects.

    ```mlir
    kernel.elementwise ins(%x, %y, %alpha : !buf, !buf, f32) outs(%z : !buf) {
    ^bb0(%a: f32, %b: f32, %s: f32):
      %t = arith.mulf %s, %a : f32
      %r = arith.addf %t, %b : f32
      kernel.yield %r : f32
    }
    ```

    Lowered to a `kind elementwise` kernel and its launch by the pass that
    expands structured ops; `kernel-fuse` merges chains of them.
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, AnyMemRef:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `ins` `(` ($inputs^ `:` type($inputs))? `)`
    `outs` `(` $output `:` type($output) `)` attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::ValueRange":$inputs,
      "::mlir::Value":$output,
      "::llvm::function_ref<void(::mlir::OpBuilder &, ::mlir::Location, ::mlir::ValueRange)>":$bodyBuilder)>];
}

def Kernel_ReduceOp : Kernel_Op<"reduce", [
    Kernel_HostOnly, DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "A launch reducing the last dimension with a combiner";
  let description = [{
    `output[i...] = init ⊕ input[i..., 0] ⊕ ... ⊕ input[i..., n-1]`, where
    `⊕` is the combiner region `(acc, x) -> acc`. The input has rank R >= 1,
    the output the input's shape without the last dimension (a 1-D input
    reduces into `memref<T>` or `memref<1xT>`). The combiner must be
    associative and commutative: a lowering reorders it freely. Its ops have
    no memory effects.

    ```mlir
    kernel.reduce ins(%rows : memref<64x1024xf32, #gpu.address_space<global>>)
        outs(%sums : memref<64xf32, #gpu.address_space<global>>) init(%zero : f32) {
    ^bb0(%acc: f32, %x: f32):
      %s = arith.addf %acc, %x : f32
      kernel.yield %s : f32
    }
    ```

    Lowered by `kernel-lower-structured` to a `kind reduce` kernel: one
    workgroup per output element, a shared-memory tree (no warp shuffles, so
    the order is the same on every target; see docs/KernelFusion.md).
  }];
  let arguments = (ins AnyMemRef:$input, AnyMemRef:$output, AnyType:$init);
  let regions = (region SizedRegion<1>:$combiner);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $output `:` type($output) `)`
    `init` `(` $init `:` type($init) `)` attr-dict-with-keyword $combiner
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$output,
      "::mlir::Value":$init,
      "::llvm::function_ref<void(::mlir::OpBuilder &, ::mlir::Location, ::mlir::Value, ::mlir::Value)>":$combinerBuilder)>];
}

def Kernel_MatmulOp : Kernel_Op<"matmul", [Kernel_HostOnly]> {
  let summary = "A launch computing C = A * B (or C += A * B)";
  let description = [{
    A is MxK, B is KxN and C is MxN device buffers. A and B have one element
    type; C has a float type at least as wide for float inputs, i32 for i8
    inputs, and the input type for i32 and i64 inputs. With `accumulate`, C
    is added to instead of overwritten.

    ```mlir
    kernel.matmul ins(%a, %b : memref<128x64xf16, #gpu.address_space<global>>,
                               memref<64x256xf16, #gpu.address_space<global>>)
                  outs(%c : memref<128x256xf32, #gpu.address_space<global>>)
    ```

    Lowered to a `kind matmul` kernel (tiled through shared memory, or on
    tensor cores).
  }];
  let arguments = (ins Arg<AnyMemRef, "", [MemRead]>:$a,
                       Arg<AnyMemRef, "", [MemRead]>:$b,
                       Arg<AnyMemRef, "", [MemRead, MemWrite]>:$c,
                       UnitAttr:$accumulate);
  let assemblyFormat = [{
    `ins` `(` $a `,` $b `:` type($a) `,` type($b) `)`
    `outs` `(` $c `:` type($c) `)` (`accumulate` $accumulate^)? attr-dict
  }];
  let hasVerifier = 1;
}

def Kernel_YieldOp : Kernel_Op<"yield", [
    Pure, ReturnLike, Terminator,
    ParentOneOf<["ElementwiseOp", "ReduceOp"]>]> {
  let summary = "The value of a structured op's body";
  let description = [{
    ```mlir
    kernel.yield %r : f32
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, {}); }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // GPUINIT_KERNEL_OPS_TD
