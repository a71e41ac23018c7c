//===- KernelDialect.td - the kernel dialect ------------------*- tablegen -*-===//
//
// The dialect of GPU kernels with the metadata and primitives a DSL needs,
// and the host-side ops that allocate buffers, copy and launch them.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_KERNEL_DIALECT_TD
#define GPUINIT_KERNEL_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Kernel_Dialect : Dialect {
  let name = "kernel";
  let cppNamespace = "::gpuinit::kernel";
  let summary = "GPU kernels with launch metadata, device primitives and host launches";
  let description = [{
    The `kernel` dialect carries what a kernel author means: a `kernel.func`
    says what kind of kernel it is, for which target, with which workgroup
    size, launch bounds, shared-memory budget and hints, and its body uses
    upstream `arith`/`scf`/`memref`/`math`/`vector` ops next to the device
    primitives of this dialect (thread and block ids, barriers, fences,
    shared memory, atomics, warp shuffle/vote/match, tensor-core fragments,
    asynchronous global-to-shared copies). Kernels live in a `kernel.module`,
    the unit a translation turns into one PTX or SPIR-V module.

    Host code (a `func.func` outside any `kernel.module`) allocates device
    buffers, copies between host and device, launches kernels and waits, with
    the host ops of this dialect. Frontends may also emit the structured ops
    `kernel.elementwise`, `kernel.reduce` and `kernel.matmul`, each denoting a
    whole launch, which a pass turns into explicit kernels.

    **Memory spaces.** Inside a kernel, a memref without a memory space or
    with `#gpu.address_space<global>` is device global memory, and
    `#gpu.address_space<workgroup>` is shared memory. On the host, a memref
    without a memory space is host memory and a memref in
    `#gpu.address_space<global>` is a device buffer (what `kernel.alloc`
    returns): a launch passes device buffers to kernel parameters in either
    global form, and `kernel.copy` reads its direction from the two spaces.

    **Ordering.** Host ops run in program order on one device queue:
    `kernel.launch` and device-to-device copies are asynchronous, a copy to
    or from host memory returns when the data has arrived, and `kernel.wait`
    returns when everything enqueued before it has finished.

    **Lowering.** Every device op names the upstream op it maps to
    (`gpu`, `nvvm`, `nvgpu`, `spirv`), the mapping the `convert-kernel-to-gpu`
    conversion implements.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
  private:
    /// Registers the attributes (KernelAttrs.cpp) and types (KernelTypes.cpp),
    /// where their storage classes are defined.
    void registerAttributes();
    void registerTypes();

  public:
  }];
}

class Kernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kernel_Dialect, mnemonic, traits>;

class Kernel_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Kernel_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

class Kernel_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Kernel_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

// Where an op may appear (gpuinit/Dialect/Kernel/IR/Kernel.h implements both).
// Device ops run on the GPU: they must be nested in a kernel.func. Host ops
// drive the GPU: they must be outside every kernel.module.
def Kernel_DeviceOnly : NativeOpTrait<"DeviceOnly"> {
  let cppNamespace = "::gpuinit::kernel::OpTrait";
}
def Kernel_HostOnly : NativeOpTrait<"HostOnly"> {
  let cppNamespace = "::gpuinit::kernel::OpTrait";
}

#endif // GPUINIT_KERNEL_DIALECT_TD
