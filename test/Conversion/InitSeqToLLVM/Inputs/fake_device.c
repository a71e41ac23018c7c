/*===- fake_device.c - a fake GPU for replay-function execution tests ------===*
 *
 * Runs a function made by convert-initseq-to-llvm (compile with
 * -DREPLAY=<sequence name>) against a fake device and prints the exact
 * access log: the replay hooks of docs/InitSeqToLLVM.md log configuration
 * space, I/O, delays, clock reads and conditions, and every MMIO access is
 * trapped: BAR memory is PROT_NONE, a fault unprotects the BAR and
 * single-steps the faulting instruction with the x86 trap flag (the way
 * Linux mmiotrace does), and the trap re-protects it. Each trapped
 * instruction is decoded to know whether it reads, writes or both, and how
 * wide it is, because the compiler may fold a volatile load, an operation
 * and a volatile store into one instruction (`orl $1, (%rax)`).
 *
 * The device: a clock that advances 1000 ns per gpuinit_time_ns call and by
 * the requested amount per delay; BOOT0 at bar0+0x0; a STATUS register at
 * bar0+0xe100 whose bit 1 reads set 2500 ns after 1 is written to GO at
 * bar0+0xe104; a register at bar0+0xe200 that never becomes ready; an
 * interrupt status at bar0+0xe300 that reads 0x5 once and then 0 (read to
 * clear); VGA CRTC registers behind ports 0x3d4 (index) / 0x3d5 (data);
 * straps = 3 and RAM configuration = 2. Everything else is plain storage.
 *
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "fake_device.c traps MMIO by single-stepping, which needs x86-64 Linux"
#endif
#ifndef REPLAY
#error "compile with -DREPLAY=<name of the replay function>"
#endif

/* The replay function under test (docs/InitSeqToLLVM.md). */
int32_t REPLAY(void *const *bars, void *ctx);

/*===-------------------------- the log ---------------------------------===*/

static char logBuf[1 << 20];
static size_t logLen;

/* Appends one line to the log (also from the signal handlers: they only run
 * while the replay function executes an MMIO instruction, never inside
 * libc, so formatting there is safe in practice). */
static void logf_(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(logBuf + logLen, sizeof logBuf - logLen, fmt, ap);
  va_end(ap);
  if (n > 0 && (size_t)n < sizeof logBuf - logLen)
    logLen += (size_t)n;
}

/*===------------------------- the device --------------------------------===*/

#define NUM_BARS 6
#define STATUS 0xe100
#define GO 0xe104
#define NEVER 0xe200
#define INTR 0xe300

struct device {
  uint8_t *bar[NUM_BARS];
  size_t barSize[NUM_BARS];
  uint8_t cfg[4096];
  uint8_t io[0x10000];
  uint8_t crtcIndex, crtc[256];
  uint64_t now, goAt;
  int go, intrPending;
};
static struct device dev;

static uint64_t get(const uint8_t *p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; ++i)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static void put(uint8_t *p, unsigned bytes, uint64_t v) {
  for (unsigned i = 0; i < bytes; ++i)
    p[i] = (uint8_t)(v >> (8 * i));
}

static void checkCtx(void *ctx, const char *hook) {
  if (ctx != &dev) {
    printf("FAIL: %s got ctx %p, expected %p\n", hook, ctx, (void *)&dev);
    exit(1);
  }
}

/* Before an MMIO read: registers whose value depends on device state. */
static void beforeRead(unsigned bar, uint64_t off) {
  if (bar != 0)
    return;
  if (off == STATUS)
    put(dev.bar[0] + STATUS, 4, dev.go && dev.now - dev.goAt >= 2500 ? 2 : 0);
  if (off == INTR)
    put(dev.bar[0] + INTR, 4, dev.intrPending ? 5 : 0);
}

/* After an MMIO access: read and write side effects. */
static void afterAccess(unsigned bar, uint64_t off, int wrote, uint64_t v) {
  if (bar != 0)
    return;
  if (off == INTR && !wrote)
    dev.intrPending = 0;
  if (off == GO && wrote && (v & 1)) {
    dev.go = 1;
    dev.goAt = dev.now;
  }
}

/*===------------------------- the hooks ---------------------------------===*/

static const char *const kindNames[] = {"strap", "ramcfg", "condition",
                                        "io_condition", "io_flag_condition"};

void gpuinit_cfg_write(void *ctx, uint32_t offset, uint32_t bits,
                       uint64_t value) {
  checkCtx(ctx, "gpuinit_cfg_write");
  logf_("cfg.w%u 0x%03x <- 0x%0*llx\n", bits, offset, (int)(bits / 4),
        (unsigned long long)value);
  put(dev.cfg + offset, bits / 8, value);
}

uint64_t gpuinit_cfg_read(void *ctx, uint32_t offset, uint32_t bits) {
  checkCtx(ctx, "gpuinit_cfg_read");
  uint64_t v = get(dev.cfg + offset, bits / 8);
  logf_("cfg.r%u 0x%03x -> 0x%0*llx\n", bits, offset, (int)(bits / 4),
        (unsigned long long)v);
  /* Garbage above the access width: the replay function must ignore it. */
  return v | (~0ull << bits);
}

void gpuinit_io_write(void *ctx, uint32_t port, uint32_t bits,
                      uint64_t value) {
  checkCtx(ctx, "gpuinit_io_write");
  logf_("io.w%u 0x%04x <- 0x%0*llx\n", bits, port, (int)(bits / 4),
        (unsigned long long)value);
  if (port == 0x3d4 && bits == 8)
    dev.crtcIndex = (uint8_t)value;
  else if (port == 0x3d5 && bits == 8)
    dev.crtc[dev.crtcIndex] = (uint8_t)value;
  else
    put(dev.io + port, bits / 8, value);
}

uint64_t gpuinit_io_read(void *ctx, uint32_t port, uint32_t bits) {
  checkCtx(ctx, "gpuinit_io_read");
  uint64_t v = port == 0x3d5 && bits == 8 ? dev.crtc[dev.crtcIndex]
                                          : get(dev.io + port, bits / 8);
  logf_("io.r%u 0x%04x -> 0x%0*llx\n", bits, port, (int)(bits / 4),
        (unsigned long long)v);
  return v | (~0ull << bits);
}

void gpuinit_delay_ns(void *ctx, uint64_t ns) {
  checkCtx(ctx, "gpuinit_delay_ns");
  logf_("delay %llu\n", (unsigned long long)ns);
  dev.now += ns;
}

uint64_t gpuinit_time_ns(void *ctx) {
  checkCtx(ctx, "gpuinit_time_ns");
  uint64_t t = dev.now;
  logf_("time -> %llu\n", (unsigned long long)t);
  dev.now += 1000;
  return t;
}

int32_t gpuinit_condition(void *ctx, uint32_t kind, uint64_t index) {
  checkCtx(ctx, "gpuinit_condition");
  int holds = kind == 0 ? index == 3 : kind == 1 ? index == 2 : (index & 1);
  logf_("cond %s 0x%llx -> %d\n", kind < 5 ? kindNames[kind] : "?",
        (unsigned long long)index, holds);
  return holds;
}

/*===--------------------- trapping MMIO accesses -------------------------===*/

/* What an instruction does to its memory operand. */
struct access {
  int reads, writes;
  unsigned bytes;
};

/* Decodes the integer instructions that can access memory (mov, movzx,
 * movsx, the ALU group, test, xchg, inc/dec/not/neg) well enough to know
 * the access kind and width; 0 if the instruction is not one of those. */
static int decode(const uint8_t *p, struct access *a) {
  int opsize16 = 0, rexW = 0;
  for (;; ++p) {
    if (*p == 0x66)
      opsize16 = 1;
    else if (*p == 0x67 || *p == 0xf0 || *p == 0xf2 || *p == 0xf3 ||
             *p == 0x2e || *p == 0x36 || *p == 0x3e || *p == 0x26 ||
             *p == 0x64 || *p == 0x65)
      continue;
    else
      break;
  }
  if ((*p & 0xf0) == 0x40) {
    rexW = (*p & 8) != 0;
    ++p;
  }
  uint8_t op = p[0];
  unsigned reg = (p[1] >> 3) & 7;
  unsigned full = rexW ? 8 : opsize16 ? 2 : 4;
  unsigned bytes = (op & 1) ? full : 1;
  a->reads = a->writes = 0;
  if (op == 0x0f) {
    if (p[1] == 0xb6 || p[1] == 0xbe || p[1] == 0xb7 || p[1] == 0xbf) {
      a->reads = 1;
      a->bytes = (p[1] & 1) ? 2 : 1;
      return 1;
    }
    return 0;
  }
  a->bytes = bytes;
  if (op < 0x40 && (op & 7) < 4) { /* add/or/adc/sbb/and/sub/xor/cmp */
    int isCmp = (op >> 3) == 7;
    a->reads = 1;
    a->writes = !isCmp && (op & 2) == 0; /* r/m, reg forms write memory */
    return 1;
  }
  switch (op) {
  case 0x88: case 0x89: case 0xc6: case 0xc7:
    a->writes = 1;
    return 1;
  case 0x8a: case 0x8b: case 0x84: case 0x85:
    a->reads = 1;
    return 1;
  case 0x86: case 0x87:
    a->reads = a->writes = 1;
    return 1;
  case 0x80: case 0x81: case 0x83:
    a->bytes = op == 0x80 ? 1 : full;
    a->reads = 1;
    a->writes = reg != 7; /* cmp only reads */
    return 1;
  case 0xf6: case 0xf7:
    a->reads = 1;
    a->writes = reg == 2 || reg == 3; /* not, neg */
    return 1;
  case 0xfe: case 0xff:
    a->reads = 1;
    a->writes = reg == 0 || reg == 1; /* inc, dec */
    return 1;
  }
  return 0;
}

/* The access being single-stepped. */
static struct {
  unsigned bar;
  uint64_t off;
  struct access a;
} pending;

static void protectBars(int prot) {
  for (unsigned i = 0; i < NUM_BARS; ++i)
    if (dev.bar[i])
      mprotect(dev.bar[i], dev.barSize[i], prot);
}

static void onSegv(int sig, siginfo_t *si, void *uctx) {
  ucontext_t *uc = uctx;
  uint8_t *addr = si->si_addr;
  for (unsigned i = 0; i < NUM_BARS; ++i) {
    if (!dev.bar[i] || addr < dev.bar[i] || addr >= dev.bar[i] + dev.barSize[i])
      continue;
    const uint8_t *pc = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
    pending.bar = i;
    pending.off = (uint64_t)(addr - dev.bar[i]);
    if (!decode(pc, &pending.a)) {
      printf("FAIL: cannot decode the instruction at %p accessing bar%u+0x%llx "
             "(%02x %02x %02x %02x)\n",
             (void *)pc, i, (unsigned long long)pending.off, pc[0], pc[1],
             pc[2], pc[3]);
      exit(1);
    }
    protectBars(PROT_READ | PROT_WRITE);
    if (pending.a.reads) {
      beforeRead(i, pending.off);
      logf_("mmio.r%u bar%u+0x%06llx -> 0x%0*llx\n", pending.a.bytes * 8, i,
            (unsigned long long)pending.off, (int)(pending.a.bytes * 2),
            (unsigned long long)get(addr, pending.a.bytes));
    }
    uc->uc_mcontext.gregs[REG_EFL] |= 0x100; /* trap after one instruction */
    return;
  }
  /* Not a BAR: a real crash. */
  signal(SIGSEGV, SIG_DFL);
  (void)sig;
}

static void onTrap(int sig, siginfo_t *si, void *uctx) {
  ucontext_t *uc = uctx;
  uint8_t *addr = dev.bar[pending.bar] + pending.off;
  uint64_t v = get(addr, pending.a.bytes);
  if (pending.a.writes)
    logf_("mmio.w%u bar%u+0x%06llx <- 0x%0*llx\n", pending.a.bytes * 8,
          pending.bar, (unsigned long long)pending.off,
          (int)(pending.a.bytes * 2), (unsigned long long)v);
  afterAccess(pending.bar, pending.off, pending.a.writes, v);
  protectBars(PROT_NONE);
  uc->uc_mcontext.gregs[REG_EFL] &= ~0x100;
  (void)sig;
  (void)si;
}

/*===--------------------------- main -------------------------------------===*/

static uint8_t *mapBar(unsigned i, size_t size) {
  uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  dev.bar[i] = p;
  dev.barSize[i] = size;
  return p;
}

/* Prints every non-zero aligned 32-bit word of a memory range. */
static void dumpNonZero(const char *what, const uint8_t *p, size_t size) {
  for (size_t off = 0; off + 4 <= size; off += 4)
    if (get(p + off, 4))
      printf("final %s+0x%06zx = 0x%08llx\n", what, off,
             (unsigned long long)get(p + off, 4));
}

int main(void) {
  mapBar(0, 16u << 20);
  mapBar(2, 64u << 10);
  put(dev.bar[0] + 0x0, 4, 0x0e63a0a1); /* BOOT0 */
  put(dev.cfg + 0x0, 4, 0x0fc610de);    /* vendor, device */
  dev.intrPending = 1;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_SIGINFO;
  sa.sa_sigaction = onSegv;
  sigaction(SIGSEGV, &sa, NULL);
  sa.sa_sigaction = onTrap;
  sigaction(SIGTRAP, &sa, NULL);

  void *bars[NUM_BARS];
  for (unsigned i = 0; i < NUM_BARS; ++i)
    bars[i] = dev.bar[i];
  protectBars(PROT_NONE);
  int32_t rc = REPLAY(bars, &dev);
  protectBars(PROT_READ | PROT_WRITE);

  fputs(logBuf, stdout);
  printf("return %d\n", rc);
  dumpNonZero("bar0", dev.bar[0], dev.barSize[0]);
  dumpNonZero("bar2", dev.bar[2], dev.barSize[2]);
  dumpNonZero("cfg", dev.cfg, sizeof dev.cfg);
  for (unsigned i = 0; i < 256; ++i)
    if (dev.crtc[i])
      printf("final crtc[0x%02x] = 0x%02x\n", i, dev.crtc[i]);
  return 0;
}
