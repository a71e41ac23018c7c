// Inputs of spirv-edges.test, one kernel module per case (--kernel-module).

// A 64-bit atomic add: needs Int64Atomics, which spirv-update-vce does not
// deduce.
kernel.module @atomic64 {
  kernel.func @k(%a: memref<8xi64>, %x: i64) kind custom target vulkan 1.1
      workgroup(32, 1, 1) {
    %c0 = arith.constant 0 : index
    %r = kernel.atomic add device %a[%c0], %x : memref<8xi64>
    kernel.return
  }
}

// The lane id alone: the SubgroupLocalInvocationId built-in needs
// GroupNonUniform (SPIR-V 1.3) without any group operation.
kernel.module @lane {
  kernel.func @k(%f: memref<64xf32>) kind custom target vulkan 1.1
      workgroup(64, 1, 1) {
    %t = kernel.thread_id x
    %l = kernel.lane_id
    %i = arith.index_cast %l : index to i32
    %v = arith.sitofp %i : i32 to f32
    memref.store %v, %f[%t] : memref<64xf32>
    kernel.return
  }
}

// A device function reading a built-in: the entry point's interface must
// list it.
kernel.module @devfn {
  kernel.func @lane(%x: f32) -> f32 device kind custom target vulkan 1.1 {
    %c1 = arith.constant 1 : i32
    %r, %ok = kernel.shuffle xor %x, %c1 : f32
    kernel.return %r : f32
  }
  kernel.func @k(%f: memref<64xf32>) kind custom target vulkan 1.1
      workgroup(64, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %f[%t] : memref<64xf32>
    %r = kernel.call @lane(%v) : (f32) -> f32
    memref.store %r, %f[%t] : memref<64xf32>
    kernel.return
  }
}

// Recursion: Vulkan forbids cycles in an entry point's call graph.
kernel.module @recursive {
  kernel.func @r1(%x: f32, %n: i32) -> f32 device kind custom target vulkan 1.1 {
    %y = kernel.call @r2(%x, %n) : (f32, i32) -> f32
    kernel.return %y : f32
  }
  kernel.func @r2(%x: f32, %n: i32) -> f32 device kind custom target vulkan 1.1 {
    %y = kernel.call @r1(%x, %n) : (f32, i32) -> f32
    kernel.return %y : f32
  }
  kernel.func @k(%f: memref<64xf32>, %n: i32) kind custom target vulkan 1.1
      workgroup(64, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %f[%t] : memref<64xf32>
    %r = kernel.call @r1(%v, %n) : (f32, i32) -> f32
    memref.store %r, %f[%t] : memref<64xf32>
    kernel.return
  }
}
