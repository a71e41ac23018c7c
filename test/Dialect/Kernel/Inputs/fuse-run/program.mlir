// Host programs of fuse-run-program.mlir and fuse-run-cpu.mlir: three
// functions of structured ops, each called by a *_main entry that copies host
// memrefs to device buffers and the result back.

// y = relu(alpha * x + x)
!vec = memref<?xf32, #gpu.address_space<global>>
func.func @chain(%alpha: f32, %x: !vec, %y: !vec) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : !vec
  %t = kernel.alloc(%n) : !vec
  kernel.elementwise ins(%alpha, %x : f32, !vec) outs(%t : !vec) {
  ^bb0(%a: f32, %v: f32):
    %r = arith.mulf %a, %v : f32
    kernel.yield %r : f32
  }
  kernel.elementwise ins(%t, %x : !vec, !vec) outs(%y : !vec) {
  ^bb0(%v: f32, %w: f32):
    %zero = arith.constant 0.0 : f32
    %s = arith.addf %v, %w : f32
    %r = arith.maximumf %s, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !vec
  return
}

func.func @chain_main(%alpha: f32, %hx: memref<1000xf32>, %hy: memref<1000xf32>) {
  %c1000 = arith.constant 1000 : index
  %x = kernel.alloc(%c1000) : !vec
  %y = kernel.alloc(%c1000) : !vec
  %hxd = memref.cast %hx : memref<1000xf32> to memref<?xf32>
  %hyd = memref.cast %hy : memref<1000xf32> to memref<?xf32>
  kernel.copy %hxd to %x : memref<?xf32> to !vec
  func.call @chain(%alpha, %x, %y) : (f32, !vec, !vec) -> ()
  kernel.copy %y to %hyd : !vec to memref<?xf32>
  kernel.free %x : !vec
  kernel.free %y : !vec
  return
}

// c = relu(a * b + bias)
!a = memref<64x32xf32, #gpu.address_space<global>>
!b = memref<32x48xf32, #gpu.address_space<global>>
!c = memref<64x48xf32, #gpu.address_space<global>>
func.func @matmul_bias_relu(%a: !a, %b: !b, %bias: !c, %c: !c) {
  %t = kernel.alloc : !c
  kernel.matmul ins(%a, %b : !a, !b) outs(%t : !c)
  kernel.elementwise ins(%t, %bias : !c, !c) outs(%c : !c) {
  ^bb0(%v: f32, %w: f32):
    %zero = arith.constant 0.0 : f32
    %s = arith.addf %v, %w : f32
    %r = arith.maximumf %s, %zero : f32
    kernel.yield %r : f32
  }
  kernel.free %t : !c
  return
}

func.func @matmul_main(%ha: memref<64x32xf32>, %hb: memref<32x48xf32>,
                       %hbias: memref<64x48xf32>, %hc: memref<64x48xf32>) {
  %a = kernel.alloc : !a
  %b = kernel.alloc : !b
  %bias = kernel.alloc : !c
  %c = kernel.alloc : !c
  kernel.copy %ha to %a : memref<64x32xf32> to !a
  kernel.copy %hb to %b : memref<32x48xf32> to !b
  kernel.copy %hbias to %bias : memref<64x48xf32> to !c
  func.call @matmul_bias_relu(%a, %b, %bias, %c) : (!a, !b, !c, !c) -> ()
  kernel.copy %c to %hc : !c to memref<64x48xf32>
  kernel.free %a : !a
  kernel.free %b : !b
  kernel.free %bias : !c
  kernel.free %c : !c
  return
}

// out = 0.5 * rowsum(m) + 1
!m = memref<64x1000xf32, #gpu.address_space<global>>
!r = memref<64xf32, #gpu.address_space<global>>
func.func @rows(%m: !m, %out: !r) {
  %zero = arith.constant 0.0 : f32
  %sums = kernel.alloc : !r
  kernel.reduce ins(%m : !m) outs(%sums : !r) init(%zero : f32) {
  ^bb0(%acc: f32, %v: f32):
    %s = arith.addf %acc, %v : f32
    kernel.yield %s : f32
  }
  kernel.elementwise ins(%sums : !r) outs(%out : !r) {
  ^bb0(%v: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %s = arith.mulf %v, %half : f32
    %r = arith.addf %s, %one : f32
    kernel.yield %r : f32
  }
  kernel.free %sums : !r
  return
}

func.func @rows_main(%hm: memref<64x1000xf32>, %hout: memref<64xf32>) {
  %m = kernel.alloc : !m
  %out = kernel.alloc : !r
  kernel.copy %hm to %m : memref<64x1000xf32> to !m
  func.call @rows(%m, %out) : (!m, !r) -> ()
  kernel.copy %out to %hout : !r to memref<64xf32>
  kernel.free %m : !m
  kernel.free %out : !r
  return
}
