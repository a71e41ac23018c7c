#version 450
// softmax_row: y[r, :] = softmax(x[r, :]) for a row-major matrix with n
// columns, one 256-invocation workgroup per row.
//
// GLSL counterpart of bench/kernels/ours/softmax_row.mlir for
// bench/kernels/run.py: each invocation takes a workgroup-stride slice of the
// row; the row maximum and then the sum of exp(x - max) are each combined by
// a shared-memory tree (128, 64, ..., 1 with a barrier per level); a final
// pass writes exp(x - max) / sum. Buffers x, y at bindings 0, 1; n is a push
// constant. Workgroup 256, grid = rows.
layout(local_size_x = 256) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Params { uint n; };
shared float red[256];

void main() {
  uint tid = gl_LocalInvocationID.x;
  uint step = gl_WorkGroupSize.x;
  uint base = gl_WorkGroupID.x * n;

  float m = uintBitsToFloat(0xff800000u); // -inf
  for (uint j = tid; j < n; j += step)
    m = max(m, x[base + j]);
  red[tid] = m;
  barrier();
  for (uint s = 128; s > 0; s >>= 1) {
    if (tid < s)
      red[tid] = max(red[tid], red[tid + s]);
    barrier();
  }
  m = red[0];
  // Everybody has read the maximum before red is reused.
  barrier();

  float sum = 0.0;
  for (uint j = tid; j < n; j += step)
    sum += exp(x[base + j] - m);
  red[tid] = sum;
  barrier();
  for (uint s = 128; s > 0; s >>= 1) {
    if (tid < s)
      red[tid] = red[tid] + red[tid + s];
    barrier();
  }
  sum = red[0];

  for (uint j = tid; j < n; j += step)
    y[base + j] = exp(x[base + j] - m) / sum;
}
