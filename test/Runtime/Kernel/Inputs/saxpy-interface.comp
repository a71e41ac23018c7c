#version 450
// saxpy with MLIR's interface-variable ABI: no push constants; argument i is
// binding i, and the scalar alpha (argument 0) is a one-value storage buffer.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer Alpha { float alpha; };
layout(set = 0, binding = 1) readonly buffer X { float x[]; };
layout(set = 0, binding = 2) buffer Y { float y[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < y.length())
    y[i] = alpha * x[i] + y[i];
}
