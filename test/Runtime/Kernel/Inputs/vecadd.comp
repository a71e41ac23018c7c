#version 450
// c[i] = a[i] + b[i]. Buffers only, at set 0, binding = argument index (the
// layout MLIR's convert-gpu-to-spirv produces); the bound is c's length.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer A { float a[]; };
layout(set = 0, binding = 1) readonly buffer B { float b[]; };
layout(set = 0, binding = 2) writeonly buffer C { float c[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < c.length())
    c[i] = a[i] + b[i];
}
