// RUN: gpuinit-opt %s -split-input-file -verify-diagnostics

// Every error the kernel dialect reports: targets, metadata, hints and
// fragment types first, then functions and modules, device ops, host ops and
// structured ops.

//===----------------------------------------------------------------------===//
// Targets
//===----------------------------------------------------------------------===//

kernel.module @m {
  // expected-error @below {{expected a target (cuda, vulkan or cpu), got 'opencl'}}
  kernel.func @f() kind custom target opencl {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{expected an architecture like sm_90}}
  kernel.func @f() kind custom target cuda compute_90 ptx 80 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{unknown CUDA architecture sm_91}}
  kernel.func @f() kind custom target cuda sm_91 ptx 80 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{sm_90 needs PTX ISA 7.8 or newer (ptx 78), got ptx 70}}
  kernel.func @f() kind custom target cuda sm_90 ptx 70 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{Vulkan version must be 1.0 to 1.4}}
  kernel.func @f() kind custom target vulkan 2.0 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{expected a Vulkan version like 1.1}}
  kernel.func @f() kind custom target vulkan 1.25 {
    kernel.return
  }
}

// -----

// expected-error @below {{expected a #kernel.target, got #kernel.hints<coalesced>}}
func.func @f() attributes {md = #kernel.metadata<kind custom target #kernel.hints<coalesced>>} {
  return
}

//===----------------------------------------------------------------------===//
// Metadata
//===----------------------------------------------------------------------===//

// -----

kernel.module @m {
  // expected-error @below {{kernel metadata needs a kind}}
  kernel.func @f() target cuda sm_90 ptx 80 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{kernel metadata needs a target}}
  kernel.func @f() kind custom {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{unknown kernel kind 'gemm'}}
  kernel.func @f() kind gemm target cpu {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{'kind' given twice}}
  kernel.func @f() kind custom target cpu kind matmul {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{workgroup size needs 3 entries (x, y, z)}}
  kernel.func @f() kind custom target cpu workgroup(64, 1) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{workgroup size out of range}}
  kernel.func @f() kind custom target cpu workgroup(4294967296, 1, 1) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{workgroup size y must be positive, got 0}}
  kernel.func @f() kind custom target cpu workgroup(64, 0, 1) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{workgroup size z of 128 exceeds the limit of 64 of #kernel.target<cuda sm_90 ptx 80>}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 workgroup(1, 1, 128) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{workgroup of 2048 threads exceeds the limit of 1024 threads of #kernel.target<vulkan 1.1>}}
  kernel.func @f() kind custom target vulkan 1.1 workgroup(64, 32, 1) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{launch_bounds max_threads 128 is less than the workgroup size (16 x 16 x 1 = 256 threads)}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 workgroup(16, 16, 1) launch_bounds(128) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{launch_bounds max_threads must be positive}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 launch_bounds(0) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{launch_bounds max_threads 2048 exceeds the limit of 1024 threads}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 launch_bounds(2048) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{launch_bounds min_blocks must be positive}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 launch_bounds(256, 0) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{shared memory of 49153 bytes exceeds the static limit of 49152 bytes of #kernel.target<cuda sm_90 ptx 80>}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 shared 49153 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{max_registers must be 1 to 255, got 256}}
  kernel.func @f() kind custom target cuda sm_90 ptx 80 max_registers 256 {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{a device function is never launched: it has no 'workgroup'}}
  kernel.func @f() device kind custom target cpu workgroup(1, 1, 1) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{a device function is never launched: it has no 'launch_bounds'}}
  kernel.func @f() device kind custom target cpu launch_bounds(64) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{a device function is never launched: it has no 'shared'}}
  kernel.func @f() device kind custom target cpu shared 16 {
    kernel.return
  }
}

//===----------------------------------------------------------------------===//
// Hints
//===----------------------------------------------------------------------===//

// -----

kernel.module @m {
  // expected-error @below {{unknown hint 'fast'}}
  kernel.func @f() kind custom target cpu hints(fast) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{vector_width must be 1, 2, 4, 8 or 16, got 3}}
  kernel.func @f() kind custom target cpu hints(vector_width = 3) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{unroll must be at least 1}}
  kernel.func @f() kind custom target cpu hints(unroll = 0) {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{hint 'coalesced' given twice}}
  kernel.func @f() kind custom target cpu hints(coalesced, coalesced) {
    kernel.return
  }
}

//===----------------------------------------------------------------------===//
// Fragment types
//===----------------------------------------------------------------------===//

// -----

// expected-error @below {{unsupported MMA shape m16n16k8 (expected m16n16k16, m32n8k16 or m8n32k16)}}
func.func @f(%a: !kernel.fragment<a, m16n16k8, f16, row>)

// -----

// expected-error @below {{expected an MMA shape like m16n16k16, got 'm16x16'}}
func.func @f(%a: !kernel.fragment<a, m16x16, f16, row>)

// -----

// expected-error @below {{operand a fragments hold f16 or bf16, got 'f32'}}
func.func @f(%a: !kernel.fragment<a, m16n16k16, f32, row>)

// -----

// expected-error @below {{accumulator (c) fragments hold f16 or f32, got 'bf16'}}
func.func @f(%a: !kernel.fragment<c, m16n16k16, bf16, row>)

// -----

// expected-error @below {{expected fragment operand a, b or c, got 'd'}}
func.func @f(%a: !kernel.fragment<d, m16n16k16, f16, row>)

// -----

// expected-error @below {{expected layout row or col, got 'diag'}}
func.func @f(%a: !kernel.fragment<a, m16n16k16, f16, diag>)

//===----------------------------------------------------------------------===//
// Modules and functions
//===----------------------------------------------------------------------===//

// -----

kernel.module @m {
  // expected-error @below {{'func.func' op cannot be in a kernel.module (it holds only kernel.func ops)}}
  func.func @host() {
    return
  }
}

// -----

kernel.module @m {
  kernel.func @a() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
  // expected-error @below {{targets #kernel.target<vulkan 1.1> but @a in the same kernel.module targets #kernel.target<cuda sm_90 ptx 80> (a kernel.module is compiled for one target)}}
  kernel.func @b() kind custom target vulkan 1.1 {
    kernel.return
  }
}

// -----

// expected-error @below {{'kernel.func' op expects parent op 'kernel.module'}}
kernel.func @loose() kind custom target cpu {
  kernel.return
}

// -----

kernel.module @m {
  // expected-error @below {{needs a body}}
  kernel.func @f() kind custom target cpu {}
}

// -----

kernel.module @m {
  // expected-error @below {{is a kernel and returns nothing (only device functions return values)}}
  kernel.func @f() -> f32 kind custom target cpu {
    %0 = arith.constant 0.0 : f32
    kernel.return %0 : f32
  }
}

// -----

kernel.module @m {
  // expected-error @below {{parameter #1 has type 'memref<16xf32, #gpu.address_space<workgroup>>': a kernel takes memrefs in global memory and integer, index or float scalars}}
  kernel.func @f(%a: memref<?xf32>, %b: memref<16xf32, #gpu.address_space<workgroup>>) kind custom target cpu {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{parameter #0 has type 'vector<4xf32>'}}
  kernel.func @f(%a: vector<4xf32>) kind custom target cpu {
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{allocates 2048 bytes of shared memory (kernel.shared_alloc, aligned) but its metadata allows shared 1024}}
  kernel.func @f() kind reduce target cuda sm_90 ptx 80 shared 1024 {
    %a = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>
    %b = kernel.shared_alloc : memref<256xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

// Alignment padding counts: 1 byte, padded to 256, then 4 bytes.
kernel.module @m {
  // expected-error @below {{allocates 260 bytes of shared memory (kernel.shared_alloc, aligned) but its metadata allows shared 259}}
  kernel.func @f() kind reduce target cuda sm_90 ptx 80 shared 259 {
    %a = kernel.shared_alloc : memref<1xi8, #gpu.address_space<workgroup>>
    %b = kernel.shared_alloc align 256 : memref<1xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  // expected-error @below {{allocates 40000 bytes of shared memory, more than the 32768 bytes #kernel.target<vulkan 1.1> allows statically}}
  kernel.func @f() kind reduce target vulkan 1.1 {
    %a = kernel.shared_alloc : memref<10000xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() -> f32 device kind custom target cpu {
    // expected-error @below {{returns 0 values but @f returns 1}}
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%x: i32) -> f32 device kind custom target cpu {
    // expected-error @below {{value #0 has type 'i32' but @f returns 'f32'}}
    kernel.return %x : i32
  }
}

//===----------------------------------------------------------------------===//
// Device ops
//===----------------------------------------------------------------------===//

// -----

func.func @host() {
  // expected-error @below {{'kernel.thread_id' op is a device op: it must be inside a kernel.func}}
  %0 = kernel.thread_id x
  return
}

// -----

func.func @host() {
  // expected-error @below {{'kernel.barrier' op is a device op: it must be inside a kernel.func}}
  kernel.barrier
  return
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{expected string or keyword containing one of the following enum values for attribute 'dimension' [x, y, z]}}
    %0 = kernel.block_id w
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{expected string or keyword containing one of the following enum values for attribute 'scope' [thread, block, device, system]}}
    kernel.fence warp
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{allocates shared memory: its type must be in #gpu.address_space<workgroup>, got 'memref<64xf32>'}}
    %a = kernel.shared_alloc : memref<64xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{needs a static shape, got 'memref<?xf32, #gpu.address_space<workgroup>>' (kernel.dynamic_shared gives memory sized at launch)}}
    %a = kernel.shared_alloc : memref<?xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{needs an identity layout}}
    %a = kernel.shared_alloc : memref<4x4xf32, strided<[1, 4]>, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{element type 'index' has no fixed size}}
    %a = kernel.shared_alloc : memref<4xindex, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{allocates no elements}}
    %a = kernel.shared_alloc : memref<0xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{alignment 24 is not a positive power of two}}
    %a = kernel.shared_alloc align 24 : memref<4xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @helper() device kind custom target cpu {
    // expected-error @below {{is in device function @helper: only kernels allocate shared memory (pass the buffer as an argument)}}
    %a = kernel.shared_alloc : memref<4xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{returns memref<?xi8, #gpu.address_space<workgroup>>, got 'memref<?xf32, #gpu.address_space<workgroup>>'}}
    %a = kernel.dynamic_shared : memref<?xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xi32>, %v: i32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{an atomic needs block, device or system scope, not thread}}
    %0 = kernel.atomic add thread %a[%c0], %v : memref<?xi32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: i32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    %a = memref.alloca() : memref<4xi32, #gpu.address_space<private>>
    // expected-error @below {{needs global or workgroup memory, got 'memref<4xi32, #gpu.address_space<private>>'}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<4xi32, #gpu.address_space<private>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<4x4xi32>, %v: i32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{needs 2 indices for 'memref<4x4xi32>', got 1}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<4x4xi32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf32>, %v: f32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'sub' needs i32 or i64, got 'f32'}}
    %0 = kernel.atomic sub device %a[%c0], %v : memref<?xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xi8>, %v: i8) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'add' needs i32, i64, f16, bf16, f32 or f64, got 'i8'}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<?xi8>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf16>, %v: f16) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'max' needs i32, i64, f32 or f64, got 'f16'}}
    %0 = kernel.atomic max device %a[%c0], %v : memref<?xf16>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf32>, %v: f32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'xor' needs i32 or i64, got 'f32'}}
    %0 = kernel.atomic xor device %a[%c0], %v : memref<?xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xi64>, %v: i64) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{'inc' needs i32, got 'i64'}}
    %0 = kernel.atomic inc device %a[%c0], %v : memref<?xi64>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf16>, %v: f16) kind custom target cuda sm_60 ptx 50 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{an f16 atomic add needs sm_70 or newer, but the kernel targets #kernel.target<cuda sm_60 ptx 50>}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<?xf16>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xbf16>, %v: bf16) kind custom target cuda sm_80 ptx 70 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{a bf16 atomic add needs sm_90 or newer}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<?xbf16>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf64>, %v: f64) kind custom target cuda sm_52 ptx 41 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{an f64 atomic add needs sm_60 or newer}}
    %0 = kernel.atomic add device %a[%c0], %v : memref<?xf64>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xf32>, %v: f32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{compare-and-swap needs i32 or i64, got 'f32' (bitcast floats)}}
    %0 = kernel.atomic_cas device %a[%c0], %v, %v : memref<?xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: memref<?xi32>, %v: i32) kind custom target cpu {
    %c0 = arith.constant 0 : index
    // expected-error @below {{an atomic needs block, device or system scope, not thread}}
    %0 = kernel.atomic_cas thread %a[%c0], %v, %v : memref<?xi32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: f32, %o: i32) kind custom target cpu {
    // expected-error @below {{width must be a power of two from 1 to 32, got 48}}
    %r, %ok = kernel.shuffle xor %v, %o width 48 : f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: f32, %o: i32) kind custom target cpu {
    // expected-error @below {{width must be a power of two from 1 to 32, got 64}}
    %r, %ok = kernel.shuffle idx %v, %o width 64 : f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: f32) kind custom target cpu {
    %c16 = arith.constant 16 : i32
    // expected-error @below {{offset 16 is outside a group of 16 lanes}}
    %r, %ok = kernel.shuffle down %v, %c16 width 16 : f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: f32) kind custom target cpu {
    %c = arith.constant -1 : i32
    // expected-error @below {{offset -1 is negative}}
    %r, %ok = kernel.shuffle up %v, %c width 32 : f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: f32) kind custom target cpu {
    %c = arith.constant -2 : i32
    // expected-error @below {{offset -2 is negative}}
    %r, %ok = kernel.shuffle xor %v, %c : f32
    kernel.return
  }
}

// -----

func.func @f() -> index {
  // expected-error @below {{'kernel.warp_size' op is a device op: it must be inside a kernel.func}}
  %ws = kernel.warp_size
  return %ws : index
}

// -----

func.func @f() -> index {
  // expected-error @below {{'kernel.lane_id' op is a device op: it must be inside a kernel.func}}
  %l = kernel.lane_id
  return %l : index
}

// -----

kernel.module @m {
  kernel.func @f(%v: i16, %o: i32) kind custom target cpu {
    // expected-error @below {{operand #0 must be 32-bit signless integer or 64-bit signless integer or 32-bit float or 64-bit float, but got 'i16'}}
    %r, %ok = kernel.shuffle xor %v, %o width 32 : i16
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%p: i1) kind custom target cpu {
    // expected-error @below {{'kernel.vote' op inferred type(s) 'i32' are incompatible with return type(s) of operation 'i1'}}
    // expected-error @below {{'kernel.vote' op failed to infer returned types}}
    %0 = "kernel.vote"(%p) <{kind = 0 : i32}> : (i1) -> i1
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: i32) kind custom target cuda sm_62 ptx 50 {
    // expected-error @below {{match_any needs sm_70 or newer, but the kernel targets #kernel.target<cuda sm_62 ptx 50>}}
    %0 = kernel.match_any %v : i32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xf32>) kind matmul target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{memref element type 'f32' does not match the fragment's 'f16'}}
    %a = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xf32> -> !kernel.fragment<a, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xf16>) kind matmul target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{stride 8 is less than the 16 columns of a row-major '!kernel.fragment<a, m16n16k16, f16, row>'}}
    %a = kernel.mma_load %A[%c0, %c0] stride 8 : memref<64x64xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xf16>) kind matmul target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{stride 16 is less than the 32 rows of a column-major '!kernel.fragment<a, m32n8k16, f16, col>'}}
    %a = kernel.mma_load %A[%c0, %c0] stride 16 : memref<64x64xf16> -> !kernel.fragment<a, m32n8k16, f16, col>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xf16>) kind matmul target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{needs 2 indices for 'memref<64x64xf16>', got 1}}
    %a = kernel.mma_load %A[%c0] stride 64 : memref<64x64xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xf16>) kind matmul target cuda sm_62 ptx 50 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{MMA needs sm_70 or newer, but the kernel targets #kernel.target<cuda sm_62 ptx 50>}}
    %a = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xf16> -> !kernel.fragment<a, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%A: memref<64x64xbf16>) kind matmul target cuda sm_75 ptx 63 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{a bf16 MMA needs sm_80 or newer}}
    %a = kernel.mma_load %A[%c0, %c0] stride 64 : memref<64x64xbf16> -> !kernel.fragment<a, m16n16k16, bf16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: !kernel.fragment<b, m16n16k16, f16, row>, %b: !kernel.fragment<b, m16n16k16, f16, row>,
                 %c: !kernel.fragment<c, m16n16k16, f32, row>) device kind matmul target cuda sm_90 ptx 80 {
    // expected-error @below {{operand #0 must be an a fragment, got '!kernel.fragment<b, m16n16k16, f16, row>'}}
    %d = kernel.mma_compute %a, %b, %c : !kernel.fragment<b, m16n16k16, f16, row>, !kernel.fragment<b, m16n16k16, f16, row> -> !kernel.fragment<c, m16n16k16, f32, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: !kernel.fragment<a, m32n8k16, f16, row>, %b: !kernel.fragment<b, m16n16k16, f16, row>,
                 %c: !kernel.fragment<c, m16n16k16, f32, row>) device kind matmul target cuda sm_90 ptx 80 {
    // expected-error @below {{fragments of different shapes}}
    %d = kernel.mma_compute %a, %b, %c : !kernel.fragment<a, m32n8k16, f16, row>, !kernel.fragment<b, m16n16k16, f16, row> -> !kernel.fragment<c, m16n16k16, f32, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: !kernel.fragment<a, m16n16k16, f16, row>, %b: !kernel.fragment<b, m16n16k16, bf16, row>,
                 %c: !kernel.fragment<c, m16n16k16, f32, row>) device kind matmul target cuda sm_90 ptx 80 {
    // expected-error @below {{a and b fragments hold 'f16' and 'bf16': they must hold one type}}
    %d = kernel.mma_compute %a, %b, %c : !kernel.fragment<a, m16n16k16, f16, row>, !kernel.fragment<b, m16n16k16, bf16, row> -> !kernel.fragment<c, m16n16k16, f32, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: !kernel.fragment<a, m16n16k16, bf16, row>, %b: !kernel.fragment<b, m16n16k16, bf16, row>,
                 %c: !kernel.fragment<c, m16n16k16, f16, row>) device kind matmul target cuda sm_90 ptx 80 {
    // expected-error @below {{bf16 inputs need an f32 accumulator, got 'f16'}}
    %d = kernel.mma_compute %a, %b, %c : !kernel.fragment<a, m16n16k16, bf16, row>, !kernel.fragment<b, m16n16k16, bf16, row> -> !kernel.fragment<c, m16n16k16, f16, row>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%a: !kernel.fragment<a, m16n16k16, f16, row>, %A: memref<64x64xf16>) device kind matmul target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{stores accumulator (c) fragments, got '!kernel.fragment<a, m16n16k16, f16, row>'}}
    kernel.mma_store %a, %A[%c0, %c0] stride 64 : !kernel.fragment<a, m16n16k16, f16, row>, memref<64x64xf16>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %a = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    %b = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{source must be in global memory, got 'memref<64xf32, #gpu.address_space<workgroup>>'}}
    kernel.async_copy %a[%c0] -> %b[%c0], 4 : memref<64xf32, #gpu.address_space<workgroup>> -> memref<64xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>, %dst: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    // expected-error @below {{destination must be in workgroup memory (#gpu.address_space<workgroup>), got 'memref<?xf32>'}}
    kernel.async_copy %src[%c0] -> %dst[%c0], 4 : memref<?xf32> -> memref<?xf32>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %t = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{copies 3 x 'f32' = 12 bytes; an async copy moves 4, 8 or 16 bytes}}
    kernel.async_copy %src[%c0] -> %t[%c0], 3 : memref<?xf32> -> memref<64xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %t = kernel.shared_alloc : memref<64xi32, #gpu.address_space<workgroup>>
    // expected-error @below {{copies 'f32' into 'i32': element types must match}}
    kernel.async_copy %src[%c0] -> %t[%c0], 4 : memref<?xf32> -> memref<64xi32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>) kind custom target cuda sm_90 ptx 80 {
    %c0 = arith.constant 0 : index
    %t = kernel.shared_alloc : memref<8x8xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{needs 2 indices (destination) for 'memref<8x8xf32, #gpu.address_space<workgroup>>', got 1}}
    kernel.async_copy %src[%c0] -> %t[%c0], 4 : memref<?xf32> -> memref<8x8xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%src: memref<?xf32>) kind custom target cuda sm_75 ptx 63 {
    %c0 = arith.constant 0 : index
    %t = kernel.shared_alloc : memref<64xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{async_copy needs sm_80 or newer, but the kernel targets #kernel.target<cuda sm_75 ptx 63>}}
    kernel.async_copy %src[%c0] -> %t[%c0], 4 : memref<?xf32> -> memref<64xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 {
    // expected-error @below {{cannot leave a negative number (-1) of groups pending}}
    kernel.async_wait -1
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%x: f32) kind custom target cpu {
    // expected-error @below {{'@nope' is not a kernel.func of the enclosing kernel.module}}
    %y = kernel.call @nope(%x) : (f32) -> f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @other() kind custom target cpu {
    kernel.return
  }
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{'@other' is a kernel, not a device function: kernels are launched from host code with kernel.launch}}
    kernel.call @other() : () -> ()
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @sq(%x: f32) -> f32 device kind custom target cpu {
    kernel.return %x : f32
  }
  kernel.func @f(%x: f32) kind custom target cpu {
    // expected-error @below {{passes 2 arguments but @sq takes 1}}
    %y = kernel.call @sq(%x, %x) : (f32, f32) -> f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @sq(%x: f32) -> f32 device kind custom target cpu {
    kernel.return %x : f32
  }
  kernel.func @f(%x: f16) kind custom target cpu {
    // expected-error @below {{argument #0 has type 'f16' but @sq takes 'f32'}}
    %y = kernel.call @sq(%x) : (f16) -> f32
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @sq(%x: f32) -> f32 device kind custom target cpu {
    kernel.return %x : f32
  }
  kernel.func @f(%x: f32) kind custom target cpu {
    // expected-error @below {{result types do not match @sq ('(f32) -> f32')}}
    %y = kernel.call @sq(%x) : (f32) -> i32
    kernel.return
  }
}

// -----

func.func @host(%x: f32) {
  // expected-error @below {{'kernel.call' op is a device op: it must be inside a kernel.func}}
  %y = kernel.call @sq(%x) : (f32) -> f32
  return
}

//===----------------------------------------------------------------------===//
// Host ops
//===----------------------------------------------------------------------===//

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{'kernel.alloc' op is a host op: it must not be inside a kernel.module}}
    %a = kernel.alloc : memref<4xf32, #gpu.address_space<global>>
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f() kind custom target cpu {
    // expected-error @below {{'kernel.wait' op is a host op: it must not be inside a kernel.module}}
    kernel.wait
    kernel.return
  }
}

// -----

func.func @host() {
  // expected-error @below {{allocates a device buffer: its type must be in #gpu.address_space<global>, got 'memref<4xf32>'}}
  %a = kernel.alloc : memref<4xf32>
  return
}

// -----

func.func @host() {
  // expected-error @below {{needs 1 dynamic sizes for 'memref<?xf32, #gpu.address_space<global>>', got 0}}
  %a = kernel.alloc : memref<?xf32, #gpu.address_space<global>>
  return
}

// -----

func.func @host() {
  // expected-error @below {{needs an identity layout, got 'memref<4x4xf32, strided<[1, 4]>, #gpu.address_space<global>>'}}
  %a = kernel.alloc : memref<4x4xf32, strided<[1, 4]>, #gpu.address_space<global>>
  return
}

// -----

func.func @host() {
  // expected-error @below {{element type 'index' has no fixed size}}
  %a = kernel.alloc : memref<4xindex, #gpu.address_space<global>>
  return
}

// -----

func.func @host(%a: memref<4xf32>) {
  // expected-error @below {{frees device buffers (#gpu.address_space<global>), got 'memref<4xf32>'}}
  kernel.free %a : memref<4xf32>
  return
}

// -----

func.func @host(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @below {{copies host memory to host memory; use memref.copy}}
  kernel.copy %a to %b : memref<4xf32> to memref<4xf32>
  return
}

// -----

func.func @host(%a: memref<4xf32>, %b: memref<4xf32, #gpu.address_space<workgroup>>) {
  // expected-error @below {{copies between host memory (no memory space) and device buffers (#gpu.address_space<global>), got 'memref<4xf32, #gpu.address_space<workgroup>>'}}
  kernel.copy %a to %b : memref<4xf32> to memref<4xf32, #gpu.address_space<workgroup>>
  return
}

// -----

func.func @host(%a: memref<4xf32>, %b: memref<4xf16, #gpu.address_space<global>>) {
  // expected-error @below {{copies 'f32' into 'f16': element types must match}}
  kernel.copy %a to %b : memref<4xf32> to memref<4xf16, #gpu.address_space<global>>
  return
}

// -----

func.func @host(%a: memref<4xf32>, %b: memref<8xf32, #gpu.address_space<global>>) {
  // expected-error @below {{copies 'memref<4xf32>' into 'memref<8xf32, #gpu.address_space<global>>': shapes must match}}
  kernel.copy %a to %b : memref<4xf32> to memref<8xf32, #gpu.address_space<global>>
  return
}

// -----

func.func @host(%a: memref<4xf32, strided<[2]>>, %b: memref<4xf32, #gpu.address_space<global>>) {
  // expected-error @below {{needs contiguous memrefs (identity layout), got 'memref<4xf32, strided<[2]>>'}}
  kernel.copy %a to %b : memref<4xf32, strided<[2]>> to memref<4xf32, #gpu.address_space<global>>
  return
}

// -----

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>, %s: f32) kind elementwise target cuda sm_90 ptx 80
      workgroup(256, 1, 1) {
    kernel.return
  }
}

func.func @host(%b: memref<?xf32, #gpu.address_space<global>>, %s: f32) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  // expected-error @below {{'@k::@nope' does not name a kernel.func}}
  kernel.launch @k::@nope grid(%c1, %c1, %c1) block(%c256, %c1, %c1) args(%b, %s : memref<?xf32, #gpu.address_space<global>>, f32)
  return
}

// -----

kernel.module @k {
  kernel.func @scale() kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  // expected-error @below {{'@scale' does not name a kernel.func (name it @module::@kernel)}}
  kernel.launch @scale grid(%c1, %c1, %c1) block(%c1, %c1, %c1)
  return
}

// -----

kernel.module @k {
  kernel.func @sq(%x: f32) -> f32 device kind custom target cuda sm_90 ptx 80 {
    kernel.return %x : f32
  }
}

func.func @host(%x: f32) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{launches device function @sq: only kernels are launched (kernel.call calls device functions)}}
  kernel.launch @k::@sq grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%x : f32)
  return
}

// -----

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>, %s: f32) kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host(%b: memref<?xf32, #gpu.address_space<global>>) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{passes 1 arguments but @scale takes 2}}
  kernel.launch @k::@scale grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%b : memref<?xf32, #gpu.address_space<global>>)
  return
}

// -----

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>, %s: f32) kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host(%b: memref<?xf32>, %s: f32) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{argument #0 has type 'memref<?xf32>' but @scale takes 'memref<?xf32>' (host memory: kernel.alloc a device buffer and kernel.copy into it)}}
  kernel.launch @k::@scale grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%b, %s : memref<?xf32>, f32)
  return
}

// -----

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>, %s: f32) kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host(%b: memref<?xf32, #gpu.address_space<global>>, %s: f64) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{argument #1 has type 'f64' but @scale takes 'f32'}}
  kernel.launch @k::@scale grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%b, %s : memref<?xf32, #gpu.address_space<global>>, f64)
  return
}

// -----

kernel.module @k {
  kernel.func @scale(%buf: memref<?xf32>) kind elementwise target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host(%b: memref<16xf32, #gpu.address_space<global>>) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{argument #0 has type 'memref<16xf32, #gpu.address_space<global>>' but @scale takes 'memref<?xf32>'}}
  kernel.launch @k::@scale grid(%c1, %c1, %c1) block(%c1, %c1, %c1) args(%b : memref<16xf32, #gpu.address_space<global>>)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{grid size y must be positive, got 0}}
  kernel.launch @k::@f grid(%c1, %c0, %c1) block(%c1, %c1, %c1)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{block size z must be positive, got 0}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c1, %c1, %c0)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %neg = arith.constant -4 : i32
  // expected-error @below {{dynamic shared memory must not be negative, got -4}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c1, %c1, %c1) shared(%neg)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 workgroup(256, 1, 1) {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  // expected-error @below {{block size x of 128 does not match the workgroup size (256, 1, 1) of @f}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c128, %c1, %c1)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 launch_bounds(256) {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c256 = arith.constant 256 : index
  // expected-error @below {{block of 512 threads exceeds launch_bounds(256) of @f}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c256, %c2, %c1)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target vulkan 1.1 {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c1024 = arith.constant 1024 : index
  // expected-error @below {{block of 2048 threads exceeds the limit of 1024 threads of #kernel.target<vulkan 1.1>}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c1024, %c2, %c1)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind custom target cuda sm_90 ptx 80 {
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  // expected-error @below {{block size z of 128 exceeds the limit of 64 of #kernel.target<cuda sm_90 ptx 80>}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c1, %c1, %c128)
  return
}

// -----

kernel.module @k {
  kernel.func @f() kind reduce target cuda sm_90 ptx 80 shared 4096 {
    %s = kernel.shared_alloc : memref<1024xf32, #gpu.address_space<workgroup>>
    kernel.return
  }
}

func.func @host() {
  %c1 = arith.constant 1 : index
  %bytes = arith.constant 229376 : i32
  // expected-error @below {{needs 4096 bytes of static and 229376 bytes of dynamic shared memory, more than the 232448 bytes of #kernel.target<cuda sm_90 ptx 80>}}
  kernel.launch @k::@f grid(%c1, %c1, %c1) block(%c1, %c1, %c1) shared(%bytes)
  return
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

// -----

func.func @host(%x: memref<16xf32>) {
  // expected-error @below {{the output must be a device buffer (memref in #gpu.address_space<global>), got 'memref<16xf32>'}}
  kernel.elementwise ins() outs(%x : memref<16xf32>) {
    %c = arith.constant 1.0 : f32
    kernel.yield %c : f32
  }
  return
}

// -----

func.func @host(%x: memref<8xf32, #gpu.address_space<global>>, %y: memref<16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{input #0 of type 'memref<8xf32, #gpu.address_space<global>>' does not have the shape of the output 'memref<16xf32, #gpu.address_space<global>>'}}
  kernel.elementwise ins(%x : memref<8xf32, #gpu.address_space<global>>) outs(%y : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32>, %y: memref<16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{input #0 must be a device buffer (memref in #gpu.address_space<global>), got 'memref<16xf32>'}}
  kernel.elementwise ins(%x : memref<16xf32>) outs(%y : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%v: vector<4xf32>, %y: memref<16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{input #0 has type 'vector<4xf32>': inputs are device buffers or integer, index or float scalars}}
  kernel.elementwise ins(%v : vector<4xf32>) outs(%y : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: vector<4xf32>):
    %c = arith.constant 1.0 : f32
    kernel.yield %c : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %y: memref<16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{the body takes 2 arguments, got 1}}
  kernel.elementwise ins(%x, %y : memref<16xf32, #gpu.address_space<global>>, memref<16xf32, #gpu.address_space<global>>) outs(%y : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{the body argument #0 has type 'f16', expected 'f32'}}
  kernel.elementwise ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%x : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f16):
    %c = arith.constant 1.0 : f32
    kernel.yield %c : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %y: memref<16xi32, #gpu.address_space<global>>) {
  kernel.elementwise ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%y : memref<16xi32, #gpu.address_space<global>>) {
  ^bb0(%a: f32):
    // expected-error @below {{must yield one 'i32'}}
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %t: memref<4xf32>) {
  kernel.elementwise ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%x : memref<16xf32, #gpu.address_space<global>>) {
  ^bb0(%a: f32):
    %c0 = arith.constant 0 : index
    // expected-error @below {{'memref.load' op has memory effects, which the body of kernel.elementwise must not have}}
    %b = memref.load %t[%c0] : memref<4xf32>
    kernel.yield %b : f32
  }
  return
}

// -----

kernel.module @m {
  kernel.func @f(%x: memref<16xf32, #gpu.address_space<global>>) kind custom target cpu {
    // expected-error @below {{'kernel.elementwise' op is a host op: it must not be inside a kernel.module}}
    kernel.elementwise ins() outs(%x : memref<16xf32, #gpu.address_space<global>>) {
      %c = arith.constant 1.0 : f32
      kernel.yield %c : f32
    }
    kernel.return
  }
}

// -----

func.func @host(%x: memref<f32, #gpu.address_space<global>>, %init: f32) {
  // expected-error @below {{reduces the last dimension: the input needs rank 1 or more}}
  kernel.reduce ins(%x : memref<f32, #gpu.address_space<global>>) outs(%x : memref<f32, #gpu.address_space<global>>) init(%init : f32) {
  ^bb0(%a: f32, %b: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %y: memref<f16, #gpu.address_space<global>>, %init: f32) {
  // expected-error @below {{reduces 'f32' into 'f16': element types must match}}
  kernel.reduce ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%y : memref<f16, #gpu.address_space<global>>) init(%init : f32) {
  ^bb0(%a: f32, %b: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %y: memref<f32, #gpu.address_space<global>>, %init: f16) {
  // expected-error @below {{init has type 'f16' but the elements are 'f32'}}
  kernel.reduce ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%y : memref<f32, #gpu.address_space<global>>) init(%init : f16) {
  ^bb0(%a: f16, %b: f16):
    kernel.yield %a : f16
  }
  return
}

// -----

func.func @host(%x: memref<8x16xf32, #gpu.address_space<global>>, %y: memref<16xf32, #gpu.address_space<global>>, %init: f32) {
  // expected-error @below {{reduces 'memref<8x16xf32, #gpu.address_space<global>>' over its last dimension into 'memref<16xf32, #gpu.address_space<global>>': the output must have the input's shape without the last dimension}}
  kernel.reduce ins(%x : memref<8x16xf32, #gpu.address_space<global>>) outs(%y : memref<16xf32, #gpu.address_space<global>>) init(%init : f32) {
  ^bb0(%a: f32, %b: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32, #gpu.address_space<global>>, %y: memref<f32, #gpu.address_space<global>>, %init: f32) {
  // expected-error @below {{the combiner takes 2 arguments, got 1}}
  kernel.reduce ins(%x : memref<16xf32, #gpu.address_space<global>>) outs(%y : memref<f32, #gpu.address_space<global>>) init(%init : f32) {
  ^bb0(%a: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%x: memref<16xf32>, %y: memref<f32, #gpu.address_space<global>>, %init: f32) {
  // expected-error @below {{the input must be a device buffer}}
  kernel.reduce ins(%x : memref<16xf32>) outs(%y : memref<f32, #gpu.address_space<global>>) init(%init : f32) {
  ^bb0(%a: f32, %b: f32):
    kernel.yield %a : f32
  }
  return
}

// -----

func.func @host(%a: memref<128x64xf16, #gpu.address_space<global>>, %b: memref<32x256xf16, #gpu.address_space<global>>,
                %c: memref<128x256xf32, #gpu.address_space<global>>) {
  // expected-error @below {{A is 128x64 but B is 32x256: A's columns must equal B's rows}}
  kernel.matmul ins(%a, %b : memref<128x64xf16, #gpu.address_space<global>>, memref<32x256xf16, #gpu.address_space<global>>)
                outs(%c : memref<128x256xf32, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<128x64xf16, #gpu.address_space<global>>, %b: memref<64x256xf16, #gpu.address_space<global>>,
                %c: memref<128x128xf32, #gpu.address_space<global>>) {
  // expected-error @below {{C must be 128x256 (rows of A x columns of B), got 'memref<128x128xf32, #gpu.address_space<global>>'}}
  kernel.matmul ins(%a, %b : memref<128x64xf16, #gpu.address_space<global>>, memref<64x256xf16, #gpu.address_space<global>>)
                outs(%c : memref<128x128xf32, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<128xf16, #gpu.address_space<global>>, %b: memref<64x256xf16, #gpu.address_space<global>>,
                %c: memref<128x256xf32, #gpu.address_space<global>>) {
  // expected-error @below {{multiplies matrices: A, B and C must be 2-D}}
  kernel.matmul ins(%a, %b : memref<128xf16, #gpu.address_space<global>>, memref<64x256xf16, #gpu.address_space<global>>)
                outs(%c : memref<128x256xf32, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<16x16xf16, #gpu.address_space<global>>, %b: memref<16x16xf32, #gpu.address_space<global>>,
                %c: memref<16x16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{A and B hold 'f16' and 'f32': they must hold one type}}
  kernel.matmul ins(%a, %b : memref<16x16xf16, #gpu.address_space<global>>, memref<16x16xf32, #gpu.address_space<global>>)
                outs(%c : memref<16x16xf32, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<16x16xf32, #gpu.address_space<global>>, %c: memref<16x16xf16, #gpu.address_space<global>>) {
  // expected-error @below {{cannot accumulate 'f32' products into 'f16' (floats into a float at least as wide, i8 into i32, i32/i64 into the same type)}}
  kernel.matmul ins(%a, %a : memref<16x16xf32, #gpu.address_space<global>>, memref<16x16xf32, #gpu.address_space<global>>)
                outs(%c : memref<16x16xf16, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<16x16xi8, #gpu.address_space<global>>, %c: memref<16x16xi8, #gpu.address_space<global>>) {
  // expected-error @below {{cannot accumulate 'i8' products into 'i8'}}
  kernel.matmul ins(%a, %a : memref<16x16xi8, #gpu.address_space<global>>, memref<16x16xi8, #gpu.address_space<global>>)
                outs(%c : memref<16x16xi8, #gpu.address_space<global>>)
  return
}

// -----

func.func @host(%a: memref<16x16xf32>, %c: memref<16x16xf32, #gpu.address_space<global>>) {
  // expected-error @below {{A must be a device buffer}}
  kernel.matmul ins(%a, %a : memref<16x16xf32>, memref<16x16xf32>)
                outs(%c : memref<16x16xf32, #gpu.address_space<global>>)
  return
}

// -----

kernel.module @m {
  kernel.func @f(%p: i1) kind custom target cuda sm_70 ptx 60 {
    // expected-error @below {{'kernel.vote' op a vote (over the active lanes, activemask) needs PTX ISA 6.2 or newer, but the kernel targets #kernel.target<cuda sm_70 ptx 60>}}
    %b = kernel.vote ballot %p
    kernel.return
  }
}

// -----

kernel.module @m {
  kernel.func @f(%v: i32) kind custom target cuda sm_70 ptx 61 {
    // expected-error @below {{'kernel.match_any' op match_any (over the active lanes, activemask) needs PTX ISA 6.2 or newer, but the kernel targets #kernel.target<cuda sm_70 ptx 61>}}
    %m = kernel.match_any %v : i32
    kernel.return
  }
}
