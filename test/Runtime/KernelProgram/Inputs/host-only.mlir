// Host code without kernels, for host.test and errors.test (each function
// is chosen with --entry). No kernel.module: nothing is compiled, so they
// run on the CPU device anywhere.

// Does nothing: its arguments, as --arg made them, are printed.
func.func @specs(%a: memref<?xf32>, %b: memref<4xi32>, %c: memref<2x3xf16>,
                 %d: memref<3xi8>, %e: memref<2xf64>) {
  return
}

// func.call: doubles every element of %m through a helper that scales.
func.func @calls(%m: memref<?xi64>) {
  %two = arith.constant 2 : i64
  call @scale(%m, %two) : (memref<?xi64>, i64) -> ()
  return
}

func.func private @scale(%m: memref<?xi64>, %k: i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %m[%i] : memref<?xi64>
    %s = arith.muli %v, %k : i64
    memref.store %s, %m[%i] : memref<?xi64>
  }
  return
}

func.func @subview(%m: memref<8xf32>) {
  %v = memref.subview %m[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  return
}

func.func @out_of_bounds(%m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %m, %c0 : memref<?xf32>
  %x = memref.load %m[%n] : memref<?xf32>
  return
}

func.func @divide(%m: memref<1xi32>, %d: i32) {
  %c0 = arith.constant 0 : index
  %x = memref.load %m[%c0] : memref<1xi32>
  %q = arith.divsi %x, %d : i32
  memref.store %q, %m[%c0] : memref<1xi32>
  return
}

func.func @host_arith(%m: memref<6xi32>, %f: memref<3xf32>, %k: index) -> (index, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %a = arith.ceildivui %k, %c4 : index
  %b = arith.remui %k, %c4 : index
  %neg = arith.constant -7 : i32
  %two = arith.constant 2 : i32
  %fd = arith.floordivsi %neg, %two : i32
  %cd = arith.ceildivsi %neg, %two : i32
  %mx = arith.maxui %a, %c7 : index
  %mn = arith.minsi %neg, %two : i32
  %lt = arith.cmpi slt, %k, %c7 : index
  %sel = arith.select %lt, %c1, %c2 : index
  %ai = arith.index_cast %a : index to i32
  %bi = arith.index_castui %b : index to i32
  %mxi = arith.index_cast %mx : index to i32
  %seli = arith.index_cast %sel : index to i32
  memref.store %ai, %m[%c0] : memref<6xi32>
  memref.store %bi, %m[%c1] : memref<6xi32>
  memref.store %fd, %m[%c2] : memref<6xi32>
  memref.store %cd, %m[%c3] : memref<6xi32>
  memref.store %mxi, %m[%c4] : memref<6xi32>
  memref.store %mn, %m[%c5] : memref<6xi32>
  // Floats: 1/3 rounded to f32, the square root of 2 approached by Newton
  // steps in an scf.while, and an f16 round trip.
  %one = arith.constant 1.0 : f32
  %three = arith.constant 3.0 : f32
  %third = arith.divf %one, %three : f32
  memref.store %third, %f[%c0] : memref<3xf32>
  %half = arith.constant 0.5 : f32
  %target = arith.constant 2.0 : f32
  %eps = arith.constant 1.0e-6 : f32
  %root = scf.while (%x = %one) : (f32) -> f32 {
    %sq = arith.mulf %x, %x : f32
    %err = arith.subf %sq, %target : f32
    %abs = math.absf %err : f32
    %more = arith.cmpf ogt, %abs, %eps : f32
    scf.condition(%more) %x : f32
  } do {
  ^bb0(%x: f32):
    %q = arith.divf %target, %x : f32
    %s = arith.addf %x, %q : f32
    %next = arith.mulf %s, %half : f32
    scf.yield %next : f32
  }
  memref.store %root, %f[%c1] : memref<3xf32>
  %h = arith.truncf %third : f32 to f16
  %back = arith.extf %h : f16 to f32
  memref.store %back, %f[%c2] : memref<3xf32>
  %sum = arith.addi %a, %b : index
  return %sum, %root : index, f32
}
