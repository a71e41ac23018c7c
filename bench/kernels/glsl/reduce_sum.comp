#version 450
// reduce_sum: out[0] += sum of in[0..n), shared memory and subgroup operations.
//
// GLSL counterpart of test/Dialect/Kernel/Inputs/reduce-sum.mlir for
// bench/kernels/run.py: each of the 256 invocations sums a grid-stride slice,
// the workgroup halves its partial sums in shared memory 256 -> 128 -> 64 ->
// 32, and the first 32 invocations finish with subgroupAdd. The sample's five
// 32-wide xor shuffles assume 32-lane warps; Vulkan subgroups may be smaller
// (8 on lavapipe), so each subgroup of the first 32 invocations adds its sum
// to out[0] (32 / subgroup size atomics per workgroup, one with 32-wide
// subgroups). Vulkan 1.1 has no float atomic add without
// VK_EXT_shader_atomic_float, so the add is a compare-and-swap loop on the
// bits. Buffers in, out at bindings 0, 1; n is a push constant. Workgroup
// 256, grid min(ceil(n / 256), 1024); out[0] starts at 0.
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
layout(local_size_x = 256) in;
layout(set = 0, binding = 0) readonly buffer In { float in_[]; };
layout(set = 0, binding = 1) buffer Out { uint out_bits[]; };
layout(push_constant) uniform Params { uint n; };
shared float partials[256];

void main() {
  uint tid = gl_LocalInvocationID.x;
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  float mine = 0.0;
  for (uint i = gl_WorkGroupID.x * gl_WorkGroupSize.x + tid; i < n; i += stride)
    mine += in_[i];
  partials[tid] = mine;
  barrier();

  if (tid < 128)
    partials[tid] = partials[tid] + partials[tid + 128];
  barrier();
  if (tid < 64)
    partials[tid] = partials[tid] + partials[tid + 64];
  barrier();
  if (tid < 32) {
    float v = subgroupAdd(partials[tid] + partials[tid + 32]);
    if (subgroupElect()) {
      uint old = out_bits[0], expected;
      do {
        expected = old;
        old = atomicCompSwap(out_bits[0], expected,
                             floatBitsToUint(uintBitsToFloat(expected) + v));
      } while (old != expected);
    }
  }
}
