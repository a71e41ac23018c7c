// The shape of the header: an include guard, <stdint.h> as the only include,
// identifiers prefixed with the sequence name (or --initseq-c-prefix), the
// operation table, and the replay routine. Every header compiles as strict
// C99, an empty sequence included.
// RUN: gpuinit-translate --export-initseq-c --initseq-c-sequence=@gk107.boot %s -o %t.boot.h
// RUN: FileCheck %s --input-file=%t.boot.h
// RUN: gpuinit-translate --export-initseq-c --initseq-c-sequence=@empty %s -o %t.empty.h
// RUN: FileCheck %s --input-file=%t.empty.h --check-prefix=EMPTY
// RUN: gpuinit-translate --export-initseq-c --initseq-c-sequence=9lives %s -o %t.digit.h
// RUN: FileCheck %s --input-file=%t.digit.h --check-prefix=DIGIT
// Headers of several sequences can be included in one translation unit (and
// the guard makes a second inclusion harmless).
// RUN: printf '#include "%%s"\n#include "%%s"\n#include "%%s"\n#include "%%s"\nint main(void) { return 0; }\n' %t.boot.h %t.empty.h %t.digit.h %t.boot.h > %t.all.c
// RUN: %clang -std=c99 -Wall -Wextra -Werror -pedantic-errors -c %t.all.c -o %t.all.o

// CHECK:      /* gk107_boot.h - replays initseq sequence @gk107.boot.
// CHECK:         Source ROM SHA-1: 0123456789abcdef0123456789abcdef01234567
// CHECK-NEXT:    PCI device: 10de:0fc6
// CHECK:      #ifndef GPUINIT_INITSEQ_GK107_BOOT_H
// CHECK-NEXT: #define GPUINIT_INITSEQ_GK107_BOOT_H
// CHECK-NOT:  #include
// CHECK:      #include <stdint.h>
// CHECK-NOT:  #include
// CHECK:      struct gk107_boot_hooks {
// CHECK:      #define GK107_BOOT_NUM_OPS 10u
// CHECK:      /* The operations, in order; a COND entry is followed by the `count`
// CHECK-NEXT:    entries of its body, then, with GK107_BOOT_FLAG_ELSE, by an ELSE entry and the
// CHECK-NEXT:    `count` entries of its else body. */
// CHECK-NEXT: static const struct gk107_boot_op gk107_boot_ops[10] = {
// CHECK-NEXT:   /* 0 */ {.kind = GK107_BOOT_OP_WRITE, .space = GK107_BOOT_SPACE_CFG, .width = 16, .addr = UINT64_C(0x4), .a = UINT64_C(0x7)},
// CHECK-NEXT:   /* 1 */ {.kind = GK107_BOOT_OP_COND, .flags = GK107_BOOT_FLAG_NEGATED, .cond_kind = GK107_BOOT_COND_IO_FLAG_CONDITION, .count = 1, .a = UINT64_C(2)}, /* bit * / 1 ? ?/ */
// CHECK-NEXT:     /* note: a comment-safe * / note / * ? ?) . */
// CHECK-NEXT:     /* 2 */ {.kind = GK107_BOOT_OP_BLOCK, .space = GK107_BOOT_SPACE_MMIO, .width = 64, .bar = 3, .count = 2, .addr = UINT64_C(0x10), .a = UINT64_C(0), .b = UINT64_C(0x8)},
// CHECK-NEXT:   /* 3 */ {.kind = GK107_BOOT_OP_POLL, .space = GK107_BOOT_SPACE_IDXIO, .width = 8, .flags = GK107_BOOT_FLAG_NE, .index = 0x1, .data_port = 0x3c5, .addr = UINT64_C(0x3c4), .a = UINT64_C(0x80), .b = UINT64_C(0x0), .c = UINT64_C(1000000000)},
// CHECK-NEXT:   /* 4 */ {.kind = GK107_BOOT_OP_DELAY, .a = UINT64_C(0)},
// An else body follows its ELSE entry, whose count is the else body's size;
// the COND's count stays its body's.
// CHECK-NEXT:   /* 5 */ {.kind = GK107_BOOT_OP_COND, .flags = GK107_BOOT_FLAG_NEGATED | GK107_BOOT_FLAG_ELSE, .cond_kind = GK107_BOOT_COND_STRAP, .count = 1, .a = UINT64_C(1)},
// CHECK-NEXT:     /* 6 */ {.kind = GK107_BOOT_OP_DELAY, .a = UINT64_C(1000)},
// CHECK-NEXT:   /* 7 */ {.kind = GK107_BOOT_OP_ELSE, .count = 2},
// CHECK-NEXT:     /* 8 */ {.kind = GK107_BOOT_OP_COND, .flags = GK107_BOOT_FLAG_ELSE, .cond_kind = GK107_BOOT_COND_RAMCFG, .count = 0, .a = UINT64_C(0)},
// CHECK-NEXT:     /* 9 */ {.kind = GK107_BOOT_OP_ELSE, .count = 0},
// CHECK-NEXT: };
// CHECK:      static const uint64_t gk107_boot_values[2] = {
// CHECK-NEXT:   UINT64_C(0xffffffffffffffff), UINT64_C(0x1),
// CHECK-NEXT: };
// CHECK:      static inline int gk107_boot_replay_ex(const struct gk107_boot_hooks *h, void *ctx,
// CHECK:      static inline int gk107_boot_replay(const struct gk107_boot_hooks *h, void *ctx) {
// CHECK:      #endif /* GPUINIT_INITSEQ_GK107_BOOT_H */
initseq.sequence @gk107.boot origin rom pci 0x10de:0x0fc6 sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i16 = 0x7
  initseq.condition not io_flag_condition 2 "bit */ 1 ??/" {
    initseq.note "a comment-safe */ note /* ??) \0A"
    initseq.block_write mmio[bar3 + 0x10] : i64 stride 8 = [0xffffffffffffffff, 0x1]
  }
  initseq.poll idxio[0x3c4:0x3c5][0x1] : i8 mask 0x80 ne 0x0 timeout 1 s
  initseq.delay 0 ns
  initseq.condition not strap 1 {
    initseq.delay 1 us
  } else {
    initseq.condition ramcfg 0 {
    } else {
    }
  }
}

// EMPTY:      #define EMPTY_NUM_OPS 0u
// EMPTY:      static const struct empty_op empty_ops[1] = {
// EMPTY-NEXT:   {.kind = 0} /* unused: the sequence is empty */
// EMPTY-NEXT: };
// EMPTY:      static const uint64_t empty_values[1] = {0 /* unused */};
initseq.sequence @empty {
}

// DIGIT: static inline int seq_9lives_replay(
initseq.sequence @"9lives" {
  initseq.delay 1 us
}
