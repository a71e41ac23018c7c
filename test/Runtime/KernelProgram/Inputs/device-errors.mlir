// Host programs that go wrong at a kernel op, for device-errors.test (each
// function is chosen with --entry): the error is located at the op.

kernel.module @k {
  kernel.func @fill(%y: memref<?xf32>, %n: index)
      kind elementwise target vulkan 1.1 workgroup(4, 1, 1) {
    %tid = kernel.thread_id x
    %bid = kernel.block_id x
    %bdim = kernel.block_dim x
    %base = arith.muli %bid, %bdim : index
    %i = arith.addi %base, %tid : index
    %inside = arith.cmpi ult, %i, %n : index
    scf.if %inside {
      %one = arith.constant 1.0 : f32
      memref.store %one, %y[%i] : memref<?xf32>
    }
    kernel.return
  }
}

func.func @after_free(%hy: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %hy, %c0 : memref<?xf32>
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.free %y : memref<?xf32, #gpu.address_space<global>>
  kernel.launch @k::@fill grid(%c1, %c1, %c1) block(%c4, %c1, %c1)
      args(%y, %n : memref<?xf32, #gpu.address_space<global>>, index)
  return
}

// The grid comes from the data: empty input, zero workgroups.
func.func @empty_grid(%hy: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = memref.dim %hy, %c0 : memref<?xf32>
  %blocks = arith.ceildivui %n, %c4 : index
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.launch @k::@fill grid(%blocks, %c1, %c1) block(%c4, %c1, %c1)
      args(%y, %n : memref<?xf32, #gpu.address_space<global>>, index)
  return
}

// An index argument SPIR-V's 32-bit index cannot hold.
func.func @wide_index(%hy: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %big = arith.constant 8589934592 : index
  %n = memref.dim %hy, %c0 : memref<?xf32>
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.launch @k::@fill grid(%c1, %c1, %c1) block(%c4, %c1, %c1)
      args(%y, %big : memref<?xf32, #gpu.address_space<global>>, index)
  return
}

// A block that is not the kernel's workgroup(4, 1, 1), known only at run time.
func.func @wrong_block(%hy: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %hy, %c0 : memref<?xf32>
  %y = kernel.alloc(%n) : memref<?xf32, #gpu.address_space<global>>
  kernel.launch @k::@fill grid(%c1, %c1, %c1) block(%n, %c1, %c1)
      args(%y, %n : memref<?xf32, #gpu.address_space<global>>, index)
  kernel.copy %y to %hy : memref<?xf32, #gpu.address_space<global>> to memref<?xf32>
  return
}

// Copies between memrefs whose dynamic sizes differ.
func.func @copy_size(%hy: memref<?xf32>) {
  %c1 = arith.constant 1 : index
  %y = kernel.alloc(%c1) : memref<?xf32, #gpu.address_space<global>>
  kernel.copy %hy to %y : memref<?xf32> to memref<?xf32, #gpu.address_space<global>>
  return
}
