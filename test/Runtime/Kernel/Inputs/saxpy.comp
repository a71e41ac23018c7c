#version 450
// y[i] = alpha * x[i] + y[i] for i < n. Buffers at bindings 0, 1; the scalar
// arguments (alpha: f32, n: u32) are push constants at offsets 0 and 4.
layout(local_size_x = 128) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) buffer Y { float y[]; };
layout(push_constant) uniform Params {
  float alpha;
  uint n;
};
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < n)
    y[i] = alpha * x[i] + y[i];
}
