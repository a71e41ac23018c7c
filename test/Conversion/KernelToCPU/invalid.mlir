// RUN: gpuinit-opt --convert-kernel-to-cpu --split-input-file --verify-diagnostics %s

// A barrier under a condition cannot end a phase for some threads only.
kernel.module @m {
  kernel.func @k(%a: memref<64xf32>) kind custom target cpu {
    %c32 = arith.constant 32 : index
    %t = kernel.thread_id x
    %p = arith.cmpi ult, %t, %c32 : index
    // expected-note @below {{the enclosing op}}
    scf.if %p {
      // expected-error @below {{'kernel.barrier' op is inside 'scf.if'; target cpu splits a kernel into phases at barriers at the top level of the kernel, inside scf.if whose condition does not depend on the thread id and inside scf.for loops whose bounds do not depend on the thread id}}
      kernel.barrier
    }
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<64xf32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %t = kernel.thread_id x
    // expected-note @below {{the loop}}
    scf.for %i = %c0 to %t step %c1 {
      // expected-error @below {{'kernel.barrier' op is inside an scf.for whose bounds depend on the thread id}}
      kernel.barrier
    }
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<64xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %t = kernel.thread_id x
    %v = memref.load %a[%c0] : memref<64xi32>
    // expected-note @below {{the enclosing op}}
    %r = scf.while (%x = %v) : (i32) -> i32 {
      %c0_i32 = arith.constant 0 : i32
      %go = arith.cmpi sgt, %x, %c0_i32 : i32
      scf.condition(%go) %x : i32
    } do {
    ^bb0(%x: i32):
      %c1_i32 = arith.constant 1 : i32
      // expected-error @below {{'kernel.barrier' op is inside 'scf.while'}}
      kernel.barrier
      %y = arith.subi %x, %c1_i32 : i32
      scf.yield %y : i32
    }
    kernel.return
  }
}

// -----

// Shuffles may sit under conditions, not in thread-dependent loops.
kernel.module @m {
  kernel.func @k(%a: memref<64xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %o = arith.constant 1 : i32
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<64xi32>
    // expected-note @below {{the loop}}
    %s = scf.for %i = %c0 to %t step %c1 iter_args(%acc = %v) -> (i32) {
      // expected-error @below {{'kernel.shuffle' op is inside an scf.for whose bounds depend on the thread id; target cpu emulates a warp operation by splitting the kernel into phases there}}
      %r, %ok = kernel.shuffle down %acc, %o width 32 : i32
      scf.yield %r : i32
    }
    kernel.return
  }
}

// -----

// Votes and warp match are emulated like shuffles: by phases, so not in a
// device function, nor in a loop whose bounds depend on the thread.
kernel.module @m {
  kernel.func @helper(%p: i1, %v: i32) -> i32 device kind custom target cpu {
    // expected-error @below {{'kernel.vote' op is not supported for target cpu: a device function cannot be split into phases}}
    %b = kernel.vote ballot %p
    // expected-error @below {{'kernel.match_any' op is not supported for target cpu: a device function cannot be split into phases}}
    %m = kernel.match_any %v : i32
    kernel.return %m : i32
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<64xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %t = kernel.thread_id x
    %c0_i32 = arith.constant 0 : i32
    // expected-note @below {{the loop}}
    scf.for %i = %c0 to %t step %c1 {
      %v = memref.load %a[%i] : memref<64xi32>
      %p = arith.cmpi sgt, %v, %c0_i32 : i32
      // expected-error @below {{'kernel.vote' op is inside an scf.for whose bounds depend on the thread id}}
      %b = kernel.vote any %p
    }
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<256xf16>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'kernel.mma_load' op is not supported for target cpu: tensor-core MMA is an NVVM-only primitive}}
    %f = kernel.mma_load %a[%c0] stride 16 : memref<256xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @helper(%x: f32) -> f32 device kind custom target cpu {
    // expected-error @below {{'kernel.barrier' op is not supported for target cpu: a device function cannot be split into phases}}
    kernel.barrier
    kernel.return %x : f32
  }
}

// -----

// Only scalars, vectors and private buffers are kept per thread.
kernel.module @m {
  kernel.func @k(%a: memref<4xf32>, %b: memref<4xf32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %t = kernel.thread_id x
    %p = arith.cmpi ult, %t, %c2 : index
    // expected-error @below {{'scf.if' op result of type 'memref<4xf32>' is used across a barrier; target cpu keeps only scalars, vectors and private buffers per thread}}
    %m = scf.if %p -> (memref<4xf32>) {
      scf.yield %a : memref<4xf32>
    } else {
      scf.yield %b : memref<4xf32>
    }
    kernel.barrier
    %v = memref.load %m[%c0] : memref<4xf32>
    memref.store %v, %a[%t] : memref<4xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<4xf32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    // expected-error @below {{'scf.for' op carries a value of type 'memref<4xf32>' across a barrier; target cpu keeps only scalars and vectors per thread}}
    %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%m = %a) -> (memref<4xf32>) {
      kernel.barrier
      scf.yield %m : memref<4xf32>
    }
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<?xf32>, %n: index) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %t = kernel.thread_id x
    // expected-error @below {{'memref.alloca' op is a private buffer used across a barrier; target cpu keeps only statically shaped buffers with an identity layout per thread}}
    %priv = memref.alloca(%n) : memref<?xf32>
    %one = arith.constant 1.0 : f32
    memref.store %one, %priv[%c0] : memref<?xf32>
    kernel.barrier
    %v = memref.load %priv[%c0] : memref<?xf32>
    memref.store %v, %a[%t] : memref<?xf32>
    kernel.return
  }
}

// -----

// A loop around shuffles under a thread-dependent condition needs bounds
// every thread can compute before the phases.
kernel.module @m {
  kernel.func @k(%a: memref<64xi32>, %count: memref<1xindex>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c32 = arith.constant 32 : index
    %o = arith.constant 1 : i32
    %t = kernel.thread_id x
    %p = arith.cmpi ult, %t, %c32 : index
    scf.if %p {
      %n = memref.load %count[%c0] : memref<1xindex>
      // expected-error @below {{'scf.for' op holds a shuffle inside a thread-dependent scf.if and has bounds computed in a phase}}
      scf.for %i = %c0 to %n step %c1 {
        %v = memref.load %a[%t] : memref<64xi32>
        %r, %ok = kernel.shuffle xor %v, %o width 32 : i32
        memref.store %r, %a[%t] : memref<64xi32>
      }
    }
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @k(%a: memref<?xf32>) kind custom target cpu {
    kernel.return
  }
}
func.func @host(%d: memref<?xf32, #gpu.address_space<global>>) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{'kernel.launch' op launches @m::@k, which convert-kernel-to-cpu lowers to the CPU kernel ABI; host code has no CPU lowering}}
  kernel.launch @m::@k grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%d : memref<?xf32, #gpu.address_space<global>>)
  return
}

// -----

// The runtime passes a base pointer: strides and offset must be known.
kernel.module @m {
  // expected-error @below {{'kernel.func' op parameter #0 has type 'memref<?xf32, strided<[?], offset: ?>>': target cpu needs an identity or static strided layout (the runtime passes a base pointer)}}
  kernel.func @k(%a: memref<?xf32, strided<[?], offset: ?>>) kind custom target cpu {
    kernel.return
  }
}

// -----

// Votes combine the active lanes: under a thread-dependent condition the
// emulation (which reads every lane) would be wrong.
kernel.module @m {
  kernel.func @k(%a: memref<64xi32>) kind custom target cpu {
    %c4 = arith.constant 4 : index
    %t = kernel.thread_id x
    %lt = arith.cmpi ult, %t, %c4 : index
    // expected-note @below {{the condition}}
    scf.if %lt {
      %true = arith.constant true
      // expected-error @below {{'kernel.vote' op is under a condition that depends on the thread id; target cpu emulates votes and warp match over all 32 lanes of a warp, so every lane must execute them}}
      %b = kernel.vote all %true
    }
    kernel.return
  }
}

// -----

// A value loaded from private memory is per thread: a condition on it is
// thread-dependent.
kernel.module @m {
  kernel.func @k(%a: memref<64xi32>) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %t = kernel.thread_id x
    %priv = memref.alloca() : memref<1xindex>
    memref.store %t, %priv[%c0] : memref<1xindex>
    %v = memref.load %priv[%c0] : memref<1xindex>
    %lt = arith.cmpi ult, %v, %c4 : index
    // expected-note @below {{the condition}}
    scf.if %lt {
      %true = arith.constant true
      // expected-error @below {{'kernel.vote' op is under a condition that depends on the thread id}}
      %b = kernel.vote all %true
    }
    kernel.return
  }
}
