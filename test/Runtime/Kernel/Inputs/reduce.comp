#version 450
// Sum of x[0..n): each workgroup adds its elements with subgroupAdd, combines
// the subgroup sums through shared memory, writes its sum to partial[group]
// and adds it to total[0] with an atomic.
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
layout(local_size_x = 256) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Partial { float partial[]; };
layout(set = 0, binding = 2) buffer Total { uint total[]; };
layout(push_constant) uniform Params { uint n; };
shared float sums[256];
void main() {
  uint i = gl_GlobalInvocationID.x;
  float v = subgroupAdd(i < n ? x[i] : 0.0);
  if (subgroupElect())
    sums[gl_SubgroupID] = v;
  barrier();
  if (gl_LocalInvocationIndex == 0) {
    float s = 0.0;
    for (uint k = 0; k < gl_NumSubgroups; ++k)
      s += sums[k];
    partial[gl_WorkGroupID.x] = s;
    atomicAdd(total[0], uint(s));
  }
}
