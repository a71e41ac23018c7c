/* replay-main.c - fake hooks for a header from --export-initseq-c (prefix
   "seq", included with -include): every access is logged, so a test can
   check the exact order of what the replay does.

   The fake device: configuration space and I/O ports are plain memory;
   indexed I/O has a register file per index port (0x3c4 and 0x3d4); MMIO is
   plain memory except a status register at BAR0 + 0xe100 whose bit 1 sets on
   the third read, a busy register at BAR0 + 0xe104 that never becomes ready,
   and I/O port 0x3da, whose bit 3 sets on the second read. The clock
   advances 1 us per call and by every delay. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct fake {
  uint8_t cfg[4096];
  uint8_t io[65536];
  uint8_t idx[2][256];
  uint64_t mmio[64];
  uint64_t mmio_addr[64];
  unsigned mmio_used;
  unsigned status_reads, port_3da_reads;
  uint64_t clock;
};

static uint64_t *mmio_reg(struct fake *f, unsigned bar, uint64_t offset) {
  uint64_t key = ((uint64_t)bar << 48) | offset;
  unsigned i;
  for (i = 0; i < f->mmio_used; ++i)
    if (f->mmio_addr[i] == key)
      return &f->mmio[i];
  f->mmio_addr[f->mmio_used] = key;
  f->mmio[f->mmio_used] = 0;
  return &f->mmio[f->mmio_used++];
}

static uint32_t cfg_read(void *ctx, uint32_t offset, unsigned width) {
  struct fake *f = ctx;
  uint32_t v = 0;
  unsigned i;
  for (i = 0; i < width / 8; ++i)
    v |= (uint32_t)f->cfg[offset + i] << (8 * i);
  printf("cfg_read  0x%03x w%u -> 0x%x\n", (unsigned)offset, width, (unsigned)v);
  return v;
}

static void cfg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value) {
  struct fake *f = ctx;
  unsigned i;
  for (i = 0; i < width / 8; ++i)
    f->cfg[offset + i] = (uint8_t)(value >> (8 * i));
  printf("cfg_write 0x%03x w%u = 0x%x\n", (unsigned)offset, width, (unsigned)value);
}

static uint64_t mmio_read(void *ctx, unsigned bar, uint64_t offset, unsigned width) {
  struct fake *f = ctx;
  uint64_t v = *mmio_reg(f, bar, offset);
  if (bar == 0 && offset == 0xe100)
    v = ++f->status_reads >= 3 ? 0x2 : 0x0;
  printf("mmio_read  bar%u 0x%06llx w%u -> 0x%llx\n", bar,
         (unsigned long long)offset, width, (unsigned long long)v);
  return v;
}

static void mmio_write(void *ctx, unsigned bar, uint64_t offset, unsigned width, uint64_t value) {
  struct fake *f = ctx;
  *mmio_reg(f, bar, offset) = value;
  printf("mmio_write bar%u 0x%06llx w%u = 0x%llx\n", bar,
         (unsigned long long)offset, width, (unsigned long long)value);
}

static uint8_t *indexed(struct fake *f, uint16_t data_port) {
  int file = data_port == 0x3c5 ? 0 : data_port == 0x3d5 ? 1 : -1;
  return file < 0 ? 0 : &f->idx[file][f->io[data_port - 1]];
}

static uint32_t io_read(void *ctx, uint16_t port, unsigned width) {
  struct fake *f = ctx;
  uint8_t *reg = indexed(f, port);
  uint32_t v = reg ? *reg : f->io[port];
  if (port == 0x3da)
    v = ++f->port_3da_reads >= 2 ? 0x8 : 0x0;
  printf("io_read  0x%x w%u -> 0x%x\n", port, width, (unsigned)v);
  return v;
}

static void io_write(void *ctx, uint16_t port, unsigned width, uint32_t value) {
  struct fake *f = ctx;
  uint8_t *reg = indexed(f, port);
  if (reg)
    *reg = (uint8_t)value;
  else
    f->io[port] = (uint8_t)value;
  printf("io_write 0x%x w%u = 0x%x\n", port, width, (unsigned)value);
}

static void delay_ns(void *ctx, uint64_t ns) {
  struct fake *f = ctx;
  f->clock += ns;
  printf("delay %llu ns\n", (unsigned long long)ns);
}

static uint64_t now_ns(void *ctx) {
  struct fake *f = ctx;
  f->clock += 1000;
  return f->clock;
}

/* strap 3 and ramcfg 1 hold; everything else does not. */
static int condition(void *ctx, unsigned kind, uint64_t index) {
  int holds = (kind == SEQ_COND_STRAP && index == 3) ||
              (kind == SEQ_COND_RAMCFG && index == 1);
  (void)ctx;
  printf("condition %u %llu -> %d\n", kind, (unsigned long long)index, holds);
  return holds;
}

int main(void) {
  static struct fake f;
  struct seq_hooks h;
  uint32_t failed = 0;
  int rc;
  memset(&h, 0, sizeof(h));
  h.cfg_read = cfg_read;
  h.cfg_write = cfg_write;
  h.mmio_read = mmio_read;
  h.mmio_write = mmio_write;
  h.io_read = io_read;
  h.io_write = io_write;
  h.delay_ns = delay_ns;
  h.now_ns = now_ns;
  h.condition = condition;
  printf("ops %u\n", (unsigned)SEQ_NUM_OPS);
  rc = seq_replay_ex(&h, &f, &failed);
  printf("replay -> %d at entry %u\n", rc, (unsigned)failed);

  /* Without a configuration-write hook the first entry fails. */
  memset(&f, 0, sizeof(f));
  h.cfg_write = 0;
  rc = seq_replay(&h, &f);
  printf("replay without cfg_write -> %d\n", rc);
  return 0;
}
