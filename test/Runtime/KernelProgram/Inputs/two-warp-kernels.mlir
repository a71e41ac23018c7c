// Two kernels in one module: @wide shuffles in groups of 32 lanes through a
// device function (@swap), @plain has no warp operation. Only @wide needs
// subgroups of at least 32 lanes.
kernel.module @k {
  kernel.func @swap(%x: f32) -> f32 device kind custom target vulkan 1.1 {
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle xor %x, %c1 width 32 : f32
    kernel.return %r : f32
  }
  kernel.func @wide(%a: memref<64xf32>) kind custom target vulkan 1.1 workgroup(64, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<64xf32>
    %r = kernel.call @swap(%v) : (f32) -> f32
    memref.store %r, %a[%t] : memref<64xf32>
    kernel.return
  }
  kernel.func @plain(%a: memref<64xf32>) kind custom target vulkan 1.1 workgroup(64, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<64xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%t] : memref<64xf32>
    kernel.return
  }
}
