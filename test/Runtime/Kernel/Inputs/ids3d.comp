#version 450
// out[(z * H + y) * W + x] = x + 100 * y + 10000 * z over the whole grid
// (W, H: threads in x and y), from the built-in ids and sizes.
layout(local_size_x = 4, local_size_y = 2, local_size_z = 1) in;
layout(set = 0, binding = 0) writeonly buffer Out { uint o[]; };
void main() {
  uvec3 g = gl_GlobalInvocationID;
  uvec3 size = gl_NumWorkGroups * gl_WorkGroupSize;
  o[(g.z * size.y + g.y) * size.x + g.x] = g.x + 100 * g.y + 10000 * g.z;
}
