#version 450
// matmul_tiled: C = A * B (MxK times KxN, f32, row-major), 16x16 tiles
// through shared memory.
//
// GLSL counterpart of test/Dialect/Kernel/Inputs/matmul-tiled.mlir for
// bench/kernels/run.py: a 16x16 workgroup computes one 16x16 tile of C; for
// every 16-wide step along K it stages a tile of A and a tile of B in shared
// memory (zero outside the matrices), synchronizes, accumulates with fma and
// synchronizes again. Buffers A, B, C at bindings 0..2; M, N, K are push
// constants at offsets 0, 4, 8. Workgroup 16x16, grid ceil(N/16) x ceil(M/16).
layout(local_size_x = 16, local_size_y = 16) in;
layout(set = 0, binding = 0) readonly buffer MA { float A[]; };
layout(set = 0, binding = 1) readonly buffer MB { float B[]; };
layout(set = 0, binding = 2) writeonly buffer MC { float C[]; };
layout(push_constant) uniform Params {
  uint M;
  uint N;
  uint K;
};
shared float As[16][16];
shared float Bs[16][16];

void main() {
  uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
  uint row = gl_WorkGroupID.y * 16 + ty;
  uint col = gl_WorkGroupID.x * 16 + tx;
  bool rowIn = row < M, colIn = col < N;

  uint tiles = (K + 15) / 16;
  float acc = 0.0;
  for (uint t = 0; t < tiles; ++t) {
    uint kBase = t * 16;
    uint aCol = kBase + tx;
    As[ty][tx] = rowIn && aCol < K ? A[row * K + aCol] : 0.0;
    uint bRow = kBase + ty;
    Bs[ty][tx] = bRow < K && colIn ? B[bRow * N + col] : 0.0;
    barrier();
    for (uint k = 0; k < 16; ++k)
      acc = fma(As[ty][k], Bs[k][tx], acc);
    // Nobody overwrites a tile another invocation still reads.
    barrier();
  }
  if (rowIn && colIn)
    C[row * N + col] = acc;
}
