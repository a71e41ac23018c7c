// Votes and warp match on the CPU backend's 32-lane warps, in a workgroup of
// 40 threads (a full warp and a partial one of 8 lanes). With a = iota:
// p = a > 5; ballot[i], anyall[i] = 2 * any + all; match[i] = the lanes of
// i's warp with the same a / 4.
kernel.module @k {
  kernel.func @votes(%a: memref<40xi32>, %ballot: memref<40xi32>,
                     %anyall: memref<40xi32>, %match: memref<40xi32>)
      kind custom target cpu workgroup(40, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<40xi32>
    %c5 = arith.constant 5 : i32
    %c4 = arith.constant 4 : i32
    %c2 = arith.constant 2 : i32
    %p = arith.cmpi sgt, %v, %c5 : i32
    %b = kernel.vote ballot %p
    %any = kernel.vote any %p
    %all = kernel.vote all %p
    %anyi = arith.extui %any : i1 to i32
    %alli = arith.extui %all : i1 to i32
    %x = arith.muli %anyi, %c2 : i32
    %z = arith.addi %x, %alli : i32
    %q = arith.divui %v, %c4 : i32
    %m = kernel.match_any %q : i32
    memref.store %b, %ballot[%t] : memref<40xi32>
    memref.store %z, %anyall[%t] : memref<40xi32>
    memref.store %m, %match[%t] : memref<40xi32>
    kernel.return
  }
}

func.func @votes(%ha: memref<40xi32>, %hb: memref<40xi32>, %hc: memref<40xi32>, %hd: memref<40xi32>) {
  %c1 = arith.constant 1 : index
  %c40 = arith.constant 40 : index
  %a = kernel.alloc : memref<40xi32, #gpu.address_space<global>>
  %b = kernel.alloc : memref<40xi32, #gpu.address_space<global>>
  %c = kernel.alloc : memref<40xi32, #gpu.address_space<global>>
  %d = kernel.alloc : memref<40xi32, #gpu.address_space<global>>
  kernel.copy %ha to %a : memref<40xi32> to memref<40xi32, #gpu.address_space<global>>
  kernel.launch @k::@votes grid(%c1, %c1, %c1) block(%c40, %c1, %c1)
      args(%a, %b, %c, %d : memref<40xi32, #gpu.address_space<global>>,
           memref<40xi32, #gpu.address_space<global>>,
           memref<40xi32, #gpu.address_space<global>>,
           memref<40xi32, #gpu.address_space<global>>)
  kernel.wait
  kernel.copy %b to %hb : memref<40xi32, #gpu.address_space<global>> to memref<40xi32>
  kernel.copy %c to %hc : memref<40xi32, #gpu.address_space<global>> to memref<40xi32>
  kernel.copy %d to %hd : memref<40xi32, #gpu.address_space<global>> to memref<40xi32>
  kernel.free %a : memref<40xi32, #gpu.address_space<global>>
  kernel.free %b : memref<40xi32, #gpu.address_space<global>>
  kernel.free %c : memref<40xi32, #gpu.address_space<global>>
  kernel.free %d : memref<40xi32, #gpu.address_space<global>>
  return
}
