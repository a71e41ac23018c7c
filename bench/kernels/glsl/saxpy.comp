#version 450
// saxpy: y[i] = alpha * x[i] + y[i] for i < n, one invocation per element.
//
// GLSL counterpart of bench/kernels/ours/saxpy.mlir for bench/kernels/run.py.
// Buffers x, y at bindings 0, 1; the scalars alpha (f32) and n (u32) are push
// constants at offsets 0 and 4 (docs/Runtime.md). Workgroup 256, grid
// ceil(n / 256).
layout(local_size_x = 256) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) buffer Y { float y[]; };
layout(push_constant) uniform Params {
  float alpha;
  uint n;
};
void main() {
  uint i = gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  if (i < n)
    y[i] = alpha * x[i] + y[i];
}
