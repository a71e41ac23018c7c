//===- KernelTypes.td - kernel types --------------------------*- tablegen -*-===//
//
// The tensor-core fragment type of the kernel dialect.
//
//===----------------------------------------------------------------------===//
#ifndef GPUINIT_KERNEL_TYPES_TD
#define GPUINIT_KERNEL_TYPES_TD

include "KernelAttrs.td"

def Kernel_FragmentType : Kernel_Type<"Fragment", "fragment"> {
  let summary = "A warp's tile of a tensor-core matrix multiply";
  let description = [{
    The part of an `m`x`n`x`k` matrix multiply-accumulate `D = A * B + C`
    that one warp holds, spread over its lanes in a target-defined way:
    operand `a` is the `m`x`k` tile, `b` the `k`x`n` tile, and `c` the
    `m`x`n` accumulator (also the result). The layout says how the tile is
    laid out in memory when loaded or stored (`row`: consecutive elements of
    a row are adjacent).

    ```mlir
    !kernel.fragment<a, m16n16k16, f16, row>
    !kernel.fragment<b, m16n16k16, f16, col>
    !kernel.fragment<c, m16n16k16, f32, row>
    ```

    Shapes: `m16n16k16`, `m32n8k16`, `m8n32k16`. Element types: `f16` or
    `bf16` for `a` and `b`, `f16` or `f32` for `c`. Maps to
    `!gpu.mma_matrix<RxCxT, "AOp"|"BOp"|"COp">` (`col` becomes the
    `transpose` of `gpu.subgroup_mma_load_matrix`), i.e. WMMA on NVVM and
    cooperative matrices on SPIR-V.
  }];
  let parameters = (ins "MMAOperand":$operand, "uint32_t":$m, "uint32_t":$n,
                        "uint32_t":$k, "::mlir::Type":$elementType,
                        "MMALayout":$layout);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Rows of the tile this fragment holds (m for a and c, k for b).
    uint32_t getRows() const {
      return getOperand() == MMAOperand::b ? getK() : getM();
    }
    /// Columns of the tile (k for a, n for b and c).
    uint32_t getCols() const {
      return getOperand() == MMAOperand::a ? getK() : getN();
    }
    /// True when `other` is a fragment of the same m, n and k.
    bool sameShape(FragmentType other) const {
      return getM() == other.getM() && getN() == other.getN() &&
             getK() == other.getK();
    }
  }];
}

// The constraint ops use: with a plain ::mlir::Type C++ type (unlike the
// TypeDef itself) op syntax prints the full `!kernel.fragment<...>` rather
// than a stripped `<a, ...>`.
def Kernel_Fragment : Type<CPred<"::llvm::isa<::gpuinit::kernel::FragmentType>($_self)">,
                           "tensor-core fragment">;

#endif // GPUINIT_KERNEL_TYPES_TD
