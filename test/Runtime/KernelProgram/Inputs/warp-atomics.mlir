// Every atomic kind and the shuffle modes, on 128 threads (2 workgroups of
// 64), with results that do not depend on the device: g is the thread's
// global id.
//   f[0] += 1            -> 128         i[0] ^= (g % 8 == 0 ? 1 << g/8 : 0) -> 65535
//   f[1] += -0.5         -> -64         i[1] inc 9 (wraps to 0 past 9)     -> 128 mod 10 = 8
//   f[2] = max(f[2], g)  -> 127         i[2] dec 9 (0 wraps to 9)          -> -128 mod 10 = 2
//   f[3] = min(f[3], g)  -> 0           i[3] umax g -> 127, i[4] umin g -> 0 (from 1000)
//   f[4] exchange 7.5    -> 7.5         i[5] -= 5 -> -640
//                                       i[6] cas 0 -> g + 1, i[7] = number of winners -> 1
// s[5g + k], v = g as f32, lanes in groups of 8 (width 8: Vulkan needs
// subgroups of at least 8 lanes, which lavapipe has):
//   k=0 xor 1 width 8   -> g ^ 1
//   k=1 idx 3 width 4   -> g - g % 4 + 3
//   k=2 up 1 width 8    -> g - 1, or g when g % 8 == 0 (invalid: own value)
//   k=3 down 2 width 8  -> g + 2, or g when g % 8 >= 6
//   k=4 xor 1 (the whole warp, any size) -> g ^ 1

kernel.module @k {
  kernel.func @warp_atomics(%f: memref<8xf32>, %i: memref<8xi32>, %s: memref<640xf32>)
      kind custom target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %c6 = arith.constant 6 : index
    %c7 = arith.constant 7 : index
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %g = arith.addi %base, %tid : index
    %g32 = arith.index_cast %g : index to i32
    %gf = arith.uitofp %g32 : i32 to f32
    %one = arith.constant 1.0 : f32
    %half = arith.constant -0.5 : f32
    %x75 = arith.constant 7.5 : f32
    %i0 = arith.constant 0 : i32
    %i1 = arith.constant 1 : i32
    %i7 = arith.constant 7 : i32
    %i9 = arith.constant 9 : i32
    %a0 = kernel.atomic add device %f[%c0], %one : memref<8xf32>
    %a1 = kernel.atomic add device %f[%c1], %half : memref<8xf32>
    %a2 = kernel.atomic max device %f[%c2], %gf : memref<8xf32>
    %a3 = kernel.atomic min device %f[%c3], %gf : memref<8xf32>
    %a4 = kernel.atomic exchange device %f[%c4], %x75 : memref<8xf32>
    %c5i = arith.constant 5 : i32
    %b5 = kernel.atomic sub device %i[%c5], %c5i : memref<8xi32>

    %low = arith.andi %g32, %i7 : i32
    %isBit = arith.cmpi eq, %low, %i0 : i32
    %c3i = arith.constant 3 : i32
    %sh = arith.shrui %g32, %c3i : i32
    %bit = arith.shli %i1, %sh : i32
    %xv = arith.select %isBit, %bit, %i0 : i32
    %b0 = kernel.atomic xor device %i[%c0], %xv : memref<8xi32>
    %b1 = kernel.atomic inc device %i[%c1], %i9 : memref<8xi32>
    %b2 = kernel.atomic dec device %i[%c2], %i9 : memref<8xi32>
    %b3 = kernel.atomic umax device %i[%c3], %g32 : memref<8xi32>
    %b4 = kernel.atomic umin device %i[%c4], %g32 : memref<8xi32>
    %gi1 = arith.addi %g32, %i1 : i32
    %b6 = kernel.atomic_cas device %i[%c6], %i0, %gi1 : memref<8xi32>
    %wonB = arith.cmpi eq, %b6, %i0 : i32
    %wonBI = arith.extui %wonB : i1 to i32
    %b7 = kernel.atomic add device %i[%c7], %wonBI : memref<8xi32>

    %o = arith.muli %g, %c5 : index
    %o1 = arith.addi %o, %c1 : index
    %o2 = arith.addi %o, %c2 : index
    %o3 = arith.addi %o, %c3 : index
    %o4 = arith.addi %o, %c4 : index
    %two = arith.constant 2 : i32
    %three = arith.constant 3 : i32
    %r0, %v0 = kernel.shuffle xor %gf, %i1 width 8 : f32
    memref.store %r0, %s[%o] : memref<640xf32>
    %r1, %v1 = kernel.shuffle idx %gf, %three width 4 : f32
    memref.store %r1, %s[%o1] : memref<640xf32>
    %r2, %v2 = kernel.shuffle up %gf, %i1 width 8 : f32
    memref.store %r2, %s[%o2] : memref<640xf32>
    %r3, %v3 = kernel.shuffle down %gf, %two width 8 : f32
    memref.store %r3, %s[%o3] : memref<640xf32>
    %r4, %v4 = kernel.shuffle xor %gf, %i1 : f32
    memref.store %r4, %s[%o4] : memref<640xf32>
    kernel.return
  }
}

func.func @warp_atomics(%hf: memref<8xf32>, %hi: memref<8xi32>, %hs: memref<640xf32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c64 = arith.constant 64 : index
  %f = kernel.alloc : memref<8xf32, #gpu.address_space<global>>
  %i = kernel.alloc : memref<8xi32, #gpu.address_space<global>>
  %s = kernel.alloc : memref<640xf32, #gpu.address_space<global>>
  kernel.copy %hf to %f : memref<8xf32> to memref<8xf32, #gpu.address_space<global>>
  kernel.copy %hi to %i : memref<8xi32> to memref<8xi32, #gpu.address_space<global>>
  kernel.launch @k::@warp_atomics grid(%c2, %c1, %c1) block(%c64, %c1, %c1)
      args(%f, %i, %s : memref<8xf32, #gpu.address_space<global>>,
           memref<8xi32, #gpu.address_space<global>>,
           memref<640xf32, #gpu.address_space<global>>)
  kernel.wait
  kernel.copy %f to %hf : memref<8xf32, #gpu.address_space<global>> to memref<8xf32>
  kernel.copy %i to %hi : memref<8xi32, #gpu.address_space<global>> to memref<8xi32>
  kernel.copy %s to %hs : memref<640xf32, #gpu.address_space<global>> to memref<640xf32>
  kernel.free %f : memref<8xf32, #gpu.address_space<global>>
  kernel.free %i : memref<8xi32, #gpu.address_space<global>>
  kernel.free %s : memref<640xf32, #gpu.address_space<global>>
  return
}
