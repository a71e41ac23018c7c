// kernel.match_any is NVVM-only: the Vulkan compile reports it.
kernel.module @k {
  kernel.func @peers(%x: memref<32xi32>) kind custom target cuda sm_90 ptx 80
      workgroup(32, 1, 1) {
    %tid = kernel.thread_id x
    %v = memref.load %x[%tid] : memref<32xi32>
    %mask = kernel.match_any %v : i32
    memref.store %mask, %x[%tid] : memref<32xi32>
    kernel.return
  }
}

func.func @peers(%hx: memref<32xi32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %x = kernel.alloc : memref<32xi32, #gpu.address_space<global>>
  kernel.copy %hx to %x : memref<32xi32> to memref<32xi32, #gpu.address_space<global>>
  kernel.launch @k::@peers grid(%c1, %c1, %c1) block(%c32, %c1, %c1)
      args(%x : memref<32xi32, #gpu.address_space<global>>)
  kernel.wait
  kernel.copy %x to %hx : memref<32xi32, #gpu.address_space<global>> to memref<32xi32>
  kernel.free %x : memref<32xi32, #gpu.address_space<global>>
  return
}
