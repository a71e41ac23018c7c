// Input of cpu-run.test: kernels for the CPU backend that exercise what the
// samples do not: integer atomics on global and dynamic shared memory, a
// barrier loop whose trip count is read from memory and whose iter_arg and a
// private buffer live across its barriers, a 2-D workgroup, a device
// function reading the thread id, barriers in nested loops on a 3-D
// workgroup, shuffles of every mode and width on a
// workgroup that is not a whole number of warps (one inside a loop inside a
// thread-dependent scf.if), and scalar arguments of each size.
kernel.module @features {
  // hist[v % 16] += 1 for every v of `in` (through a per-workgroup histogram
  // in dynamic shared memory); stats = [max, min, workgroups, 7].
  kernel.func @histogram(%in: memref<?xi32>, %hist: memref<16xi32>,
                         %stats: memref<4xi32>, %n: i32)
      kind custom target cpu workgroup(64, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c16 = arith.constant 16 : index
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    %c7_i32 = arith.constant 7 : i32
    %c16_i32 = arith.constant 16 : i32
    %c1000_i32 = arith.constant 1000 : i32
    %smem = kernel.dynamic_shared : memref<?xi8, #gpu.address_space<workgroup>>
    %local = memref.view %smem[%c0][] : memref<?xi8, #gpu.address_space<workgroup>>
        to memref<16xi32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %gdim = kernel.grid_dim x
    %lt16 = arith.cmpi ult, %t, %c16 : index
    scf.if %lt16 {
      memref.store %c0_i32, %local[%t] : memref<16xi32, #gpu.address_space<workgroup>>
    }
    kernel.barrier
    %base = arith.muli %bid, %bdim : index
    %start = arith.addi %base, %t : index
    %stride = arith.muli %gdim, %bdim : index
    %count = arith.index_cast %n : i32 to index
    scf.for %i = %start to %count step %stride {
      %v = memref.load %in[%i] : memref<?xi32>
      %bin = arith.remui %v, %c16_i32 : i32
      %b = arith.index_cast %bin : i32 to index
      %o1 = kernel.atomic add block %local[%b], %c1_i32 : memref<16xi32, #gpu.address_space<workgroup>>
      %o2 = kernel.atomic max device %stats[%c0], %v : memref<4xi32>
      %o3 = kernel.atomic min device %stats[%c1], %v : memref<4xi32>
    }
    kernel.barrier
    scf.if %lt16 {
      %x = memref.load %local[%t] : memref<16xi32, #gpu.address_space<workgroup>>
      %o = kernel.atomic add device %hist[%t], %x : memref<16xi32>
    }
    %first = arith.cmpi eq, %t, %c0 : index
    scf.if %first {
      %o4 = kernel.atomic inc device %stats[%c2], %c1000_i32 : memref<4xi32>
      %o5 = kernel.atomic_cas device %stats[%c3], %c0_i32, %c7_i32 : memref<4xi32>
      kernel.fence device
    }
    kernel.return
  }

  kernel.func @bias(%v: f32) -> f32 device kind custom target cpu {
    %tx = kernel.thread_id x
    %i = arith.index_cast %tx : index to i32
    %f = arith.uitofp %i : i32 to f32
    %r = arith.addf %v, %f : f32
    kernel.return %r : f32
  }

  // Workgroups of 8x4 threads own 32 consecutive elements; `steps` times,
  // each thread adds its right neighbour's value (cyclically, through shared
  // memory). out = that + in / 2 (kept in a private buffer) + threadIdx.x.
  kernel.func @rotate_sum(%in: memref<?xf32>, %out: memref<?xf32>, %steps: memref<1xi32>)
      kind custom target cpu workgroup(8, 4, 1) shared 128 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c31 = arith.constant 31 : index
    %c32 = arith.constant 32 : index
    %half = arith.constant 0.5 : f32
    %tile = kernel.shared_alloc : memref<32xf32, #gpu.address_space<workgroup>>
    %tx = kernel.thread_id x
    %ty = kernel.thread_id y
    %bx = kernel.block_dim x
    %row = arith.muli %ty, %bx : index
    %t = arith.addi %row, %tx : index
    %bid = kernel.block_id x
    %base = arith.muli %bid, %c32 : index
    %g = arith.addi %base, %t : index
    %x = memref.load %in[%g] : memref<?xf32>
    %priv = memref.alloca() : memref<2xf32>
    memref.store %x, %priv[%c0] : memref<2xf32>
    %s32 = memref.load %steps[%c0] : memref<1xi32>
    %s = arith.index_cast %s32 : i32 to index
    %acc = scf.for %k = %c0 to %s step %c1 iter_args(%a = %x) -> (f32) {
      memref.store %a, %tile[%t] : memref<32xf32, #gpu.address_space<workgroup>>
      kernel.barrier
      %next = arith.addi %t, %c1 : index
      %j = arith.andi %next, %c31 : index
      %nb = memref.load %tile[%j] : memref<32xf32, #gpu.address_space<workgroup>>
      %a2 = arith.addf %a, %nb : f32
      kernel.barrier
      scf.yield %a2 : f32
    }
    %p = memref.load %priv[%c0] : memref<2xf32>
    %r0 = math.fma %p, %half, %acc : f32
    %r = kernel.call @bias(%r0) : (f32) -> f32
    memref.store %r, %out[%g] : memref<?xf32>
    kernel.return
  }

  // out[4i + k] = shuffle k of v = i (up 1 width 16, down 2 width 8, idx 3
  // width 32, xor 4 width 32), or -1 where invalid; out[4n + i] = sum of v
  // over the first warp (butterfly in a loop) for i < 32, else -2.
  kernel.func @shuffles(%out: memref<?xf32>) kind custom target cpu workgroup(48, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %c32 = arith.constant 32 : index
    %c192 = arith.constant 192 : index
    %one = arith.constant 1 : i32
    %two = arith.constant 2 : i32
    %three = arith.constant 3 : i32
    %four = arith.constant 4 : i32
    %invalid = arith.constant -1.0 : f32
    %none = arith.constant -2.0 : f32
    %t = kernel.thread_id x
    %ti = arith.index_cast %t : index to i32
    %v = arith.uitofp %ti : i32 to f32
    %at = arith.muli %t, %c4 : index
    %u, %uok = kernel.shuffle up %v, %one width 16 : f32
    %u2 = arith.select %uok, %u, %invalid : f32
    memref.store %u2, %out[%at] : memref<?xf32>
    %d, %dok = kernel.shuffle down %v, %two width 8 : f32
    %d2 = arith.select %dok, %d, %invalid : f32
    %at1 = arith.addi %at, %c1 : index
    memref.store %d2, %out[%at1] : memref<?xf32>
    %i, %iok = kernel.shuffle idx %v, %three width 32 : f32
    %i2 = arith.select %iok, %i, %invalid : f32
    %at2 = arith.addi %at, %c2 : index
    memref.store %i2, %out[%at2] : memref<?xf32>
    %x, %xok = kernel.shuffle xor %v, %four width 32 : f32
    %x2 = arith.select %xok, %x, %invalid : f32
    %at3 = arith.addi %at, %c3 : index
    memref.store %x2, %out[%at3] : memref<?xf32>
    %warp0 = arith.cmpi ult, %t, %c32 : index
    %sum = scf.if %warp0 -> (f32) {
      %s = scf.for %k = %c0 to %c5 step %c1 iter_args(%acc = %v) -> (f32) {
        %ki = arith.index_cast %k : index to i32
        %o = arith.shli %one, %ki : i32
        %r, %ok = kernel.shuffle xor %acc, %o width 32 : f32
        %a2 = arith.addf %acc, %r : f32
        scf.yield %a2 : f32
      }
      scf.yield %s : f32
    } else {
      scf.yield %none : f32
    }
    %at4 = arith.addi %c192, %t : index
    memref.store %sum, %out[%at4] : memref<?xf32>
    kernel.return
  }

  // y = a * x + y + k + n, with scalars of 4 and 8 bytes.
  kernel.func @axpy(%x: memref<8xf32>, %y: memref<8xf32>, %a: f32, %k: i32, %n: index)
      kind elementwise target cpu {
    %t = kernel.thread_id x
    %xv = memref.load %x[%t] : memref<8xf32>
    %yv = memref.load %y[%t] : memref<8xf32>
    %kf = arith.sitofp %k : i32 to f32
    %ni = arith.index_cast %n : index to i64
    %nf = arith.sitofp %ni : i64 to f32
    %s = math.fma %a, %xv, %yv : f32
    %s1 = arith.addf %s, %kf : f32
    %s2 = arith.addf %s1, %nf : f32
    memref.store %s2, %y[%t] : memref<8xf32>
    kernel.return
  }

  // On 4x2x2 workgroups: acc = block id; twice { three times { tile[t] =
  // acc + t; acc += tile[(t + 1) % 16] (barriers around) }; acc *= 2 }.
  kernel.func @nested(%out: memref<?xi32>) kind custom target cpu workgroup(4, 2, 2) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c15 = arith.constant 15 : index
    %c16 = arith.constant 16 : index
    %zero = arith.constant 0 : i32
    %two = arith.constant 2 : i32
    %tile = kernel.shared_alloc : memref<16xi32, #gpu.address_space<workgroup>>
    %tx = kernel.thread_id x
    %ty = kernel.thread_id y
    %tz = kernel.thread_id z
    %zy = arith.muli %tz, %c2 : index
    %zy2 = arith.addi %zy, %ty : index
    %t4 = arith.muli %zy2, %c2 : index
    %t42 = arith.muli %t4, %c2 : index
    %t = arith.addi %t42, %tx : index
    %ti = arith.index_cast %t : index to i32
    %bid = kernel.block_id x
    %bi = arith.index_cast %bid : index to i32
    %init = arith.addi %zero, %bi : i32
    %res = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %init) -> (i32) {
      %inner = scf.for %j = %c0 to %c3 step %c1 iter_args(%a = %acc) -> (i32) {
        %v = arith.addi %a, %ti : i32
        memref.store %v, %tile[%t] : memref<16xi32, #gpu.address_space<workgroup>>
        kernel.barrier
        %n1 = arith.addi %t, %c1 : index
        %n = arith.andi %n1, %c15 : index
        %w = memref.load %tile[%n] : memref<16xi32, #gpu.address_space<workgroup>>
        %a2 = arith.addi %a, %w : i32
        kernel.barrier
        scf.yield %a2 : i32
      }
      %d = arith.muli %inner, %two : i32
      scf.yield %d : i32
    }
    %base = arith.muli %bid, %c16 : index
    %g = arith.addi %base, %t : index
    memref.store %res, %out[%g] : memref<?xi32>
    kernel.return
  }
}
