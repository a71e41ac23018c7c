// A shuffle in groups of 32 lanes: its SPIR-V needs subgroups of at least
// 32 lanes, which the runtime must obtain or refuse.
kernel.module @k {
  kernel.func @rotate(%x: memref<64xf32>) kind custom target vulkan 1.1
      workgroup(64, 1, 1) {
    %tid = kernel.thread_id x
    %v = memref.load %x[%tid] : memref<64xf32>
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle down %v, %c1 width 32 : f32
    memref.store %r, %x[%tid] : memref<64xf32>
    kernel.return
  }
}

func.func @rotate(%hx: memref<64xf32>) {
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %x = kernel.alloc : memref<64xf32, #gpu.address_space<global>>
  kernel.copy %hx to %x : memref<64xf32> to memref<64xf32, #gpu.address_space<global>>
  kernel.launch @k::@rotate grid(%c1, %c1, %c1) block(%c64, %c1, %c1)
      args(%x : memref<64xf32, #gpu.address_space<global>>)
  kernel.wait
  kernel.copy %x to %hx : memref<64xf32, #gpu.address_space<global>> to memref<64xf32>
  kernel.free %x : memref<64xf32, #gpu.address_space<global>>
  return
}
