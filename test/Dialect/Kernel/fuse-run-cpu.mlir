// Fused and unfused host programs give identical results when run whole by
// `gpuinit-run run` on the CPU device (kernels compiled for the host, one
// call per workgroup): host memrefs are copied to device buffers, the
// structured ops run as their launches (one per op unfused, one per
// function fused), the result is copied back. Every element printed must be
// the same, and match a float64 reference. (The same program on Vulkan:
// fuse-run-program.mlir.)
//
// RUN: gpuinit-opt %S/Inputs/fuse-run/program.mlir --kernel-lower-structured=target=cpu -o %t.unfused.mlir
// RUN: gpuinit-opt %t.unfused.mlir --kernel-fuse -o %t.fused.mlir
// RUN: FileCheck %s --check-prefix=UNFUSED < %t.unfused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t.fused.mlir
//
// RUN: gpuinit-run run --device=cpu --entry=@chain_main --arg 0=1.5 --arg 1=iota=-4,0.0078125 --arg 2=zero --print=2 %t.unfused.mlir > %t.chain-unfused
// RUN: gpuinit-run run --device=cpu --entry=@chain_main --arg 0=1.5 --arg 1=iota=-4,0.0078125 --arg 2=zero --print=2 %t.fused.mlir > %t.chain-fused
// RUN: diff %t.chain-unfused %t.chain-fused
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check chain %t.chain-fused | FileCheck %s --check-prefix=CHAIN
// CHAIN: check chain: ok (1000 elements, 487 positive)
//
// RUN: gpuinit-run run --device=cpu --entry=@matmul_main --arg 0=iota=-16,0.015625 --arg 1=iota=-6,0.0078125 --arg 2=iota=-48,0.03125 --arg 3=zero --print=3 %t.unfused.mlir > %t.mm-unfused
// RUN: gpuinit-run run --device=cpu --entry=@matmul_main --arg 0=iota=-16,0.015625 --arg 1=iota=-6,0.0078125 --arg 2=iota=-48,0.03125 --arg 3=zero --print=3 %t.fused.mlir > %t.mm-fused
// RUN: diff %t.mm-unfused %t.mm-fused
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check matmul %t.mm-fused | FileCheck %s --check-prefix=MATMUL
// MATMUL: check matmul: ok (3072 elements, 2214 positive)
//
// RUN: gpuinit-run run --device=cpu --entry=@rows_main --arg 0=iota=-2,0.000244140625 --arg 1=zero --print=1 %t.unfused.mlir > %t.rows-unfused
// RUN: gpuinit-run run --device=cpu --entry=@rows_main --arg 0=iota=-2,0.000244140625 --arg 1=zero --print=1 %t.fused.mlir > %t.rows-fused
// RUN: diff %t.rows-unfused %t.rows-fused
// RUN: %python %S/Inputs/fuse-run/fuse_run.py check rows %t.rows-fused | FileCheck %s --check-prefix=ROWS
// ROWS: check rows: ok (64 elements, 56 positive)

// UNFUSED-COUNT-6: kernel.launch
// FUSED-LABEL: func.func @chain(
// FUSED-COUNT-1: kernel.launch
// FUSED-NOT:     kernel.launch
// FUSED-LABEL: func.func @matmul_bias_relu(
// FUSED-COUNT-1: kernel.launch
// FUSED-NOT:     kernel.launch
// FUSED-LABEL: func.func @rows(
// FUSED-COUNT-1: kernel.launch
// FUSED-NOT:     kernel.launch

