// Barriers in an scf.for whose bound is loaded from memory, inside an
// scf.if whose condition is a kernel argument: both uniform. The workgroup
// rotates a shared array cnt[0] times when n > 0: out[t] = (t + cnt[0]) % 64,
// else out[t] = t.
kernel.module @k {
  kernel.func @rotate(%out: memref<64xi32>, %cnt: memref<1xi32>, %n: i32)
      kind custom target cuda sm_90 ptx 80 workgroup(64, 1, 1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant 0 : i32
    %sh = kernel.shared_alloc : memref<64xi32, #gpu.address_space<workgroup>>
    %t = kernel.thread_id x
    %ti = arith.index_cast %t : index to i32
    memref.store %ti, %sh[%t] : memref<64xi32, #gpu.address_space<workgroup>>
    kernel.barrier
    %on = arith.cmpi sgt, %n, %zero : i32
    %m32 = memref.load %cnt[%c0] : memref<1xi32>
    %m = arith.index_cast %m32 : i32 to index
    scf.if %on {
      scf.for %i = %c0 to %m step %c1 {
        %t1 = arith.addi %t, %c1 : index
        %next = arith.remui %t1, %c64 : index
        %v = memref.load %sh[%next] : memref<64xi32, #gpu.address_space<workgroup>>
        kernel.barrier
        memref.store %v, %sh[%t] : memref<64xi32, #gpu.address_space<workgroup>>
        kernel.barrier
      }
    }
    %r = memref.load %sh[%t] : memref<64xi32, #gpu.address_space<workgroup>>
    memref.store %r, %out[%t] : memref<64xi32>
    kernel.return
  }
}

func.func @rotate(%hout: memref<64xi32>, %hcnt: memref<1xi32>, %n: i32) {
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %out = kernel.alloc : memref<64xi32, #gpu.address_space<global>>
  %cnt = kernel.alloc : memref<1xi32, #gpu.address_space<global>>
  kernel.copy %hcnt to %cnt : memref<1xi32> to memref<1xi32, #gpu.address_space<global>>
  kernel.launch @k::@rotate grid(%c1, %c1, %c1) block(%c64, %c1, %c1)
      args(%out, %cnt, %n : memref<64xi32, #gpu.address_space<global>>,
           memref<1xi32, #gpu.address_space<global>>, i32)
  kernel.wait
  kernel.copy %out to %hout : memref<64xi32, #gpu.address_space<global>> to memref<64xi32>
  kernel.free %out : memref<64xi32, #gpu.address_space<global>>
  kernel.free %cnt : memref<1xi32, #gpu.address_space<global>>
  return
}
