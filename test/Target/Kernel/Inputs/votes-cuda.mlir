// Input of ptx.test: ballot, any, all and match_any for CUDA; see votes.mlir;
// a[i] becomes 2*any + 4*all, out[i] the ballot xor the match mask.
kernel.module @v {
  kernel.func @votes(%a: memref<?xi32>, %out: memref<?xi32>) kind custom target cuda sm_90 ptx 80 workgroup(32, 1, 1) {
    %t = kernel.thread_id x
    %v = memref.load %a[%t] : memref<?xi32>
    %c0 = arith.constant 0 : i32
    %p = arith.cmpi sgt, %v, %c0 : i32
    %b = kernel.vote ballot %p
    %any = kernel.vote any %p
    %all = kernel.vote all %p
    %anyi = arith.extui %any : i1 to i32
    %alli = arith.extui %all : i1 to i32
    %c2 = arith.constant 2 : i32
    %c4 = arith.constant 4 : i32
    %x = arith.muli %anyi, %c2 : i32
    %y = arith.muli %alli, %c4 : i32
    %z = arith.addi %x, %y : i32
    %m = kernel.match_any %v : i32
    %bm = arith.xori %b, %m : i32
    memref.store %bm, %out[%t] : memref<?xi32>
    memref.store %z, %a[%t] : memref<?xi32>
    kernel.return
  }
}
