#version 450
// vecadd: c[i] = a[i] + b[i] for i < n, one invocation per element.
//
// GLSL counterpart of test/Dialect/Kernel/Inputs/vecadd.mlir for
// bench/kernels/run.py (compiled with glslangValidator -V --target-env
// vulkan1.1 -e vecadd --source-entrypoint main). Vulkan binding convention of
// docs/Runtime.md: buffers a, b, c at set 0, bindings 0..2; the scalar n is a
// push constant. Workgroup 256, grid ceil(n / 256).
layout(local_size_x = 256) in;
layout(set = 0, binding = 0) readonly buffer A { float a[]; };
layout(set = 0, binding = 1) readonly buffer B { float b[]; };
layout(set = 0, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform Params { uint n; };
void main() {
  uint i = gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  if (i < n)
    c[i] = a[i] + b[i];
}
