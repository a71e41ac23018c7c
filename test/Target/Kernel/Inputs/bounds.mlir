// Input of ptx.test: launch bounds without a fixed workgroup size.
kernel.module @m {
  kernel.func @bounded(%a: memref<?xf32>) kind custom target cuda sm_90 ptx 80
      launch_bounds(128, 2) max_registers 40 {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<?xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%t] : memref<?xf32>
    kernel.return
  }
}
