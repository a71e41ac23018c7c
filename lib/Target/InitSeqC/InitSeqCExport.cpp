//===- InitSeqCExport.cpp - initseq.sequence to a C99 replay header -------===//
//
// Flattens a sequence into a const table (a condition is an entry followed
// by its body, which the replay skips when the condition fails, then, with
// an else, an ELSE entry followed by the else body, which the replay skips
// when the condition held) and writes it with a replay routine that needs
// nothing but <stdint.h> and the hooks.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/InitSeqC.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::initseq;

namespace {

/// The replay routine. `@P@` is the identifier prefix and `@U@` the macro
/// prefix; it only uses the table, the value pool and the hooks.
constexpr const char *kReplay = R"(
/* Reads the register `op` names at `addr`; sets *err when a hook is missing. */
static inline uint64_t @P@_read_reg(const struct @P@_hooks *h, void *ctx,
                                    const struct @P@_op *op, uint64_t addr,
                                    int *err) {
  switch (op->space) {
  case @U@_SPACE_CFG:
    if (!h->cfg_read)
      break;
    return h->cfg_read(ctx, (uint32_t)addr, op->width);
  case @U@_SPACE_MMIO:
    if (!h->mmio_read)
      break;
    return h->mmio_read(ctx, op->bar, addr, op->width);
  case @U@_SPACE_IO:
    if (!h->io_read)
      break;
    return h->io_read(ctx, (uint16_t)addr, op->width);
  default: /* indexed I/O: select the index, then read the data port */
    if (!h->io_write || !h->io_read)
      break;
    h->io_write(ctx, (uint16_t)addr, 8, op->index);
    return h->io_read(ctx, op->data_port, 8);
  }
  *err = @U@_ERR_MISSING_HOOK;
  return 0;
}

/* Writes `value` to the register `op` names at `addr`. */
static inline void @P@_write_reg(const struct @P@_hooks *h, void *ctx,
                                 const struct @P@_op *op, uint64_t addr,
                                 uint64_t value, int *err) {
  switch (op->space) {
  case @U@_SPACE_CFG:
    if (!h->cfg_write)
      break;
    h->cfg_write(ctx, (uint32_t)addr, op->width, (uint32_t)value);
    return;
  case @U@_SPACE_MMIO:
    if (!h->mmio_write)
      break;
    h->mmio_write(ctx, op->bar, addr, op->width, value);
    return;
  case @U@_SPACE_IO:
    if (!h->io_write)
      break;
    h->io_write(ctx, (uint16_t)addr, op->width, (uint32_t)value);
    return;
  default: /* indexed I/O: select the index, then write the data port */
    if (!h->io_write)
      break;
    h->io_write(ctx, (uint16_t)addr, 8, op->index);
    h->io_write(ctx, op->data_port, 8, (uint32_t)value);
    return;
  }
  *err = @U@_ERR_MISSING_HOOK;
}

/* Replays the sequence. Returns @U@_OK, or an @U@_ERR_* code with the index
   of the failing table entry in *failed_op (when failed_op is not NULL). */
static inline int @P@_replay_ex(const struct @P@_hooks *h, void *ctx,
                                uint32_t *failed_op) {
  uint32_t i;
  for (i = 0; i < @U@_NUM_OPS; ++i) {
    const struct @P@_op *op = &@P@_ops[i];
    uint64_t all = op->width >= 64 ? ~(uint64_t)0
                                   : (((uint64_t)1 << op->width) - 1u);
    int err = @U@_OK;
    switch (op->kind) {
    case @U@_OP_WRITE:
      @P@_write_reg(h, ctx, op, op->addr, op->a, &err);
      break;
    case @U@_OP_RMW: {
      /* The read is an access of its own, then the write. */
      uint64_t old = @P@_read_reg(h, ctx, op, op->addr, &err);
      if (err == @U@_OK)
        @P@_write_reg(h, ctx, op, op->addr, ((old & op->a) | op->b) & all,
                      &err);
      break;
    }
    case @U@_OP_READ:
      (void)@P@_read_reg(h, ctx, op, op->addr, &err);
      break;
    case @U@_OP_BLOCK: {
      uint32_t k;
      for (k = 0; k < op->count && err == @U@_OK; ++k)
        @P@_write_reg(h, ctx, op, op->addr + (uint64_t)k * op->b,
                      @P@_values[op->a + k], &err);
      break;
    }
    case @U@_OP_POLL: {
      uint64_t start;
      int want_equal = (op->flags & @U@_FLAG_NE) == 0;
      if (!h->now_ns) {
        err = @U@_ERR_MISSING_HOOK;
        break;
      }
      start = h->now_ns(ctx);
      for (;;) {
        uint64_t v = @P@_read_reg(h, ctx, op, op->addr, &err) & op->a;
        if (err != @U@_OK || (v == op->b) == want_equal)
          break;
        if (h->now_ns(ctx) - start >= op->c) {
          err = @U@_ERR_POLL_TIMEOUT;
          break;
        }
      }
      break;
    }
    case @U@_OP_DELAY:
      if (!h->delay_ns)
        err = @U@_ERR_MISSING_HOOK;
      else
        h->delay_ns(ctx, op->a);
      break;
    case @U@_OP_COND: {
      int holds;
      if (!h->condition) {
        err = @U@_ERR_MISSING_HOOK;
        break;
      }
      holds = h->condition(ctx, op->cond_kind, op->a) != 0;
      if (holds == ((op->flags & @U@_FLAG_NEGATED) != 0)) {
        /* Skip the body, and the ELSE entry after it: run the else body. */
        i += op->count;
        if (op->flags & @U@_FLAG_ELSE)
          ++i;
      }
      break;
    }
    case @U@_OP_ELSE:
      /* Reached only at the end of a body that ran: skip the else body. */
      i += op->count;
      break;
    default:
      break;
    }
    if (err != @U@_OK) {
      if (failed_op)
        *failed_op = i;
      return err;
    }
  }
  return @U@_OK;
}

/* Replays the sequence: @U@_OK (0) on success, else an @U@_ERR_* code. */
static inline int @P@_replay(const struct @P@_hooks *h, void *ctx) {
  return @P@_replay_ex(h, ctx, (uint32_t *)0);
}
)";

/// The declarations before the table.
constexpr const char *kDecls = R"(
#include <stdint.h>

/* Table entry kinds. */
#define @U@_OP_WRITE 0u
#define @U@_OP_RMW 1u
#define @U@_OP_READ 2u
#define @U@_OP_BLOCK 3u
#define @U@_OP_POLL 4u
#define @U@_OP_DELAY 5u
#define @U@_OP_COND 6u
#define @U@_OP_ELSE 7u

/* Address spaces. */
#define @U@_SPACE_CFG 0u
#define @U@_SPACE_MMIO 1u
#define @U@_SPACE_IO 2u
#define @U@_SPACE_IDXIO 3u

/* Condition kinds passed to the condition hook. */
#define @U@_COND_STRAP 0u
#define @U@_COND_RAMCFG 1u
#define @U@_COND_CONDITION 2u
#define @U@_COND_IO_CONDITION 3u
#define @U@_COND_IO_FLAG_CONDITION 4u

/* Entry flags. */
#define @U@_FLAG_NE 1u      /* POLL: wait until the masked value differs */
#define @U@_FLAG_NEGATED 2u /* COND: run the body when the condition fails */
#define @U@_FLAG_ELSE 4u    /* COND: an ELSE entry and an else body follow */

/* Results of @P@_replay. */
#define @U@_OK 0
#define @U@_ERR_POLL_TIMEOUT 1 /* a poll did not match before its timeout */
#define @U@_ERR_MISSING_HOOK 2 /* an entry needs a hook that is NULL */

/* What the replay needs from the platform. Widths are in bits; a hook that
   the sequence never needs may be NULL. */
struct @P@_hooks {
  /* PCI configuration space of the device: offset 0..4095, width 8/16/32. */
  uint32_t (*cfg_read)(void *ctx, uint32_t offset, unsigned width);
  void (*cfg_write)(void *ctx, uint32_t offset, unsigned width, uint32_t value);
  /* MMIO: BAR 0..5, byte offset in the BAR, width 8/16/32/64. */
  uint64_t (*mmio_read)(void *ctx, unsigned bar, uint64_t offset,
                        unsigned width);
  void (*mmio_write)(void *ctx, unsigned bar, uint64_t offset, unsigned width,
                     uint64_t value);
  /* x86 I/O ports, width 8/16/32 (indexed I/O uses 8-bit accesses). */
  uint32_t (*io_read)(void *ctx, uint16_t port, unsigned width);
  void (*io_write)(void *ctx, uint16_t port, unsigned width, uint32_t value);
  /* Waits at least `ns` nanoseconds. */
  void (*delay_ns)(void *ctx, uint64_t ns);
  /* A monotonic clock in nanoseconds; bounds every poll. */
  uint64_t (*now_ns)(void *ctx);
  /* Non-zero when run-time condition `kind` (@U@_COND_*) number `index`
     holds. */
  int (*condition)(void *ctx, unsigned kind, uint64_t index);
};

/* One table entry. */
struct @P@_op {
  uint8_t kind;       /* @U@_OP_* */
  uint8_t space;      /* @U@_SPACE_* */
  uint8_t width;      /* access width in bits */
  uint8_t flags;      /* @U@_FLAG_* */
  uint8_t bar;        /* MMIO BAR */
  uint8_t index;      /* indexed I/O: register index */
  uint8_t cond_kind;  /* COND: @U@_COND_* */
  uint16_t data_port; /* indexed I/O: data port */
  uint32_t count;     /* BLOCK: values; COND: entries in its body (the ELSE
                         entry not included); ELSE: entries in the else
                         body */
  uint64_t addr;      /* offset, port or index port; BLOCK: first register */
  uint64_t a;         /* WRITE value, RMW and-mask, POLL mask, DELAY ns,
                         COND index, BLOCK first value in @P@_values */
  uint64_t b;         /* RMW or-mask, POLL expected value, BLOCK stride */
  uint64_t c;         /* POLL timeout in ns */
};
)";

/// Replaces @P@ and @U@ in a template.
static void expand(raw_ostream &os, StringRef text, StringRef prefix,
                   StringRef upper) {
  while (!text.empty()) {
    size_t at = text.find('@');
    if (at == StringRef::npos || at + 2 >= text.size() || text[at + 2] != '@' ||
        (text[at + 1] != 'P' && text[at + 1] != 'U')) {
      size_t n = at == StringRef::npos ? text.size() : at + 1;
      os << text.take_front(n);
      text = text.drop_front(n);
      continue;
    }
    os << text.take_front(at) << (text[at + 1] == 'P' ? prefix : upper);
    text = text.drop_front(at + 3);
  }
}

/// Text safe inside a C block comment on one line.
static std::string commentSafe(StringRef s) {
  std::string out;
  for (char c : s) {
    if (c < 0x20 || c > 0x7e)
      c = '.';
    // Neither close the comment, open a nested one, nor form a trigraph.
    if (!out.empty() &&
        ((out.back() == '*' && c == '/') || (out.back() == '/' && c == '*') ||
         (out.back() == '?' && c == '?')))
      out += ' ';
    out += c;
  }
  return out;
}

static std::string hexU64(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "UINT64_C(" << llvm::format_hex(v, 0) << ")";
  return s;
}

class CExporter {
public:
  CExporter(SequenceOp seq, StringRef prefix) : seq(seq), prefix(prefix) {
    upper = StringRef(prefix).upper();
  }

  LogicalResult run(raw_ostream &os);

private:
  /// Checks that everything in `block` can be replayed and counts the table
  /// entries of every condition body (then and else).
  LogicalResult check(Block &block, const std::string &path, uint64_t &count);
  void entries(raw_ostream &os, Block &block, unsigned indent);

  SequenceOp seq;
  std::string prefix, upper;
  /// Table entries of each condition body, by block.
  llvm::DenseMap<Block *, uint64_t> bodySize;
  uint64_t numEntries = 0;
  /// Next table index while writing.
  uint64_t nextEntry = 0;
  /// The values of the BLOCK entries written so far.
  std::vector<int64_t> values;
};

} // namespace

LogicalResult CExporter::check(Block &block, const std::string &path,
                               uint64_t &count) {
  uint64_t index = 0;
  for (Operation &op : block.without_terminator()) {
    std::string where = path + std::to_string(index++);
    LogicalResult r = success();
    llvm::TypeSwitch<Operation *>(&op)
        .Case<WriteOp, RmwOp, ReadOp, PollOp, DelayOp>([&](auto) { ++count; })
        .Case<BlockWriteOp>([&](BlockWriteOp) { ++count; })
        .Case<NoteOp>([](NoteOp) {})
        .Case<ConditionOp>([&](ConditionOp c) {
          ++count;
          uint64_t inner = 0;
          r = check(c.getThenBlock(), where + ".", inner);
          bodySize[&c.getThenBlock()] = inner;
          count += inner;
          if (Block *elseBlock = c.getElseBlock(); elseBlock && succeeded(r)) {
            ++count; // the ELSE entry
            uint64_t other = 0;
            r = check(*elseBlock, where + ".else.", other);
            bodySize[elseBlock] = other;
            count += other;
          }
        })
        .Case<OpaqueOp>([&](OpaqueOp o) {
          r = o.emitError()
              << "operation " << where << " ('initseq.opaque' \"" << o.getKind()
              << "\") cannot be replayed: the importer could not resolve "
                 "it, so there is nothing to perform; the C header export "
                 "fails";
        })
        .Default([&](Operation *other) {
          r = other->emitError()
              << "operation " << where << " is not an initseq operation "
              << "and cannot be replayed";
        });
    if (failed(r))
      return failure();
    if (count > UINT32_MAX)
      return op.emitError() << "more than " << UINT32_MAX << " table entries";
  }
  return success();
}

/// The fields of one table entry, written in declaration order (so that the
/// initializer is also valid C++20) with zero fields left out.
struct Entry {
  std::string kind, space, flags, condKind;
  unsigned width = 0, bar = 0, index = 0, dataPort = 0;
  uint64_t count = 0;
  std::optional<std::string> addr, a, b, c;

  void print(raw_ostream &os, StringRef upper) const {
    os << "{.kind = " << upper << "_OP_" << kind;
    if (!space.empty())
      os << ", .space = " << upper << "_SPACE_" << space;
    if (width)
      os << ", .width = " << width;
    if (!flags.empty())
      os << ", .flags = " << upper << "_FLAG_" << flags;
    if (bar)
      os << ", .bar = " << bar;
    if (index)
      os << ", .index = " << llvm::format_hex(index, 0);
    if (!condKind.empty())
      os << ", .cond_kind = " << upper << "_COND_" << condKind;
    if (dataPort)
      os << ", .data_port = " << llvm::format_hex(dataPort, 0);
    if (kind == "BLOCK" || kind == "COND" || kind == "ELSE")
      os << ", .count = " << count;
    for (auto [name, value] : {std::pair{".addr", &addr}, std::pair{".a", &a},
                               std::pair{".b", &b}, std::pair{".c", &c}})
      if (*value)
        os << ", " << name << " = " << **value;
    os << "}";
  }
};

static void setAccess(Entry &e, RegAttr loc, unsigned bits) {
  static const char *spaces[] = {"CFG", "MMIO", "IO", "IDXIO"};
  e.space = spaces[unsigned(loc.getSpace())];
  e.width = bits;
  e.bar = loc.getBar();
  e.index = loc.getIndex();
  e.dataPort = loc.getDataPort();
  e.addr = hexU64(loc.getOffset());
}

static std::string decU64(uint64_t v) {
  return "UINT64_C(" + std::to_string(v) + ")";
}

void CExporter::entries(raw_ostream &os, Block &block, unsigned indent) {
  for (Operation &op : block.without_terminator()) {
    if (auto note = dyn_cast<NoteOp>(op)) {
      os.indent(indent) << "/* note: " << commentSafe(note.getText())
                        << " */\n";
      continue;
    }
    Entry e;
    llvm::TypeSwitch<Operation *>(&op)
        .Case<WriteOp>([&](WriteOp w) {
          e.kind = "WRITE";
          setAccess(e, w.getLocation(), w.getWidth().getWidth());
          e.a = hexU64(w.getValue());
        })
        .Case<RmwOp>([&](RmwOp w) {
          e.kind = "RMW";
          setAccess(e, w.getLocation(), w.getWidth().getWidth());
          e.a = hexU64(w.getAndMask());
          e.b = hexU64(w.getOrMask());
        })
        .Case<ReadOp>([&](ReadOp r) {
          e.kind = "READ";
          setAccess(e, r.getLocation(), r.getWidth().getWidth());
        })
        .Case<PollOp>([&](PollOp p) {
          e.kind = "POLL";
          setAccess(e, p.getLocation(), p.getWidth().getWidth());
          if (p.getCompare() == Compare::ne)
            e.flags = "NE";
          e.a = hexU64(p.getMask());
          e.b = hexU64(p.getExpected());
          e.c = decU64(p.getTimeoutNs());
        })
        .Case<BlockWriteOp>([&](BlockWriteOp bw) {
          e.kind = "BLOCK";
          setAccess(e, bw.getLocation(), bw.getWidth().getWidth());
          e.count = bw.getValues().size();
          e.a = decU64(values.size());
          e.b = hexU64(bw.getStride());
          values.insert(values.end(), bw.getValues().begin(),
                        bw.getValues().end());
        })
        .Case<DelayOp>([&](DelayOp d) {
          e.kind = "DELAY";
          e.a = decU64(d.getNs());
        })
        .Case<ConditionOp>([&](ConditionOp c) {
          e.kind = "COND";
          e.condKind = stringifyConditionKind(c.getKind()).upper();
          if (c.getNegated() && c.hasElse())
            e.flags = "NEGATED | " + upper + "_FLAG_ELSE";
          else if (c.getNegated())
            e.flags = "NEGATED";
          else if (c.hasElse())
            e.flags = "ELSE";
          e.count = bodySize.lookup(&c.getThenBlock());
          e.a = decU64(c.getIndex());
        });
    os.indent(indent) << "/* " << nextEntry++ << " */ ";
    e.print(os, upper);
    os << ",";
    if (auto c = dyn_cast<ConditionOp>(op)) {
      if (auto label = c.getLabel())
        os << " /* " << commentSafe(*label) << " */";
      os << "\n";
      entries(os, c.getThenBlock(), indent + 2);
      if (Block *elseBlock = c.getElseBlock()) {
        Entry elseEntry;
        elseEntry.kind = "ELSE";
        elseEntry.count = bodySize.lookup(elseBlock);
        os.indent(indent) << "/* " << nextEntry++ << " */ ";
        elseEntry.print(os, upper);
        os << ",\n";
        entries(os, *elseBlock, indent + 2);
      }
      continue;
    }
    os << "\n";
  }
}

LogicalResult CExporter::run(raw_ostream &os) {
  // Everything that can fail is checked before the first byte is written.
  if (failed(check(seq.getBodyBlock(), "#", numEntries)))
    return failure();

  std::string guard = "GPUINIT_INITSEQ_" + upper + "_H";
  os << "/* " << prefix << ".h - replays initseq sequence @"
     << commentSafe(seq.getSymName()) << ".\n"
     << "   Generated by gpuinit-translate --export-initseq-c; do not edit.\n";
  if (auto sha = seq.getSha1())
    os << "   Source ROM SHA-1: " << *sha << "\n";
  if (seq.getVendor() && seq.getDevice())
    os << "   PCI device: " << llvm::format_hex_no_prefix(*seq.getVendor(), 4)
       << ":" << llvm::format_hex_no_prefix(*seq.getDevice(), 4) << "\n";
  if (seq.getIncomplete())
    os << "   INCOMPLETE: the source of this sequence lost events.\n";
  os << "\n   Fill a struct " << prefix << "_hooks and call " << prefix
     << "_replay(&hooks, ctx).\n   C99, needs only <stdint.h>. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n";
  expand(os, kDecls, prefix, upper);

  os << "\n#define " << upper << "_NUM_OPS " << numEntries << "u\n\n"
     << "/* The operations, in order; a COND entry is followed by the "
        "`count`\n   entries of its body, then, with "
     << upper << "_FLAG_ELSE, by an ELSE entry and the\n   `count` entries "
        "of its else body. */\n"
     << "static const struct " << prefix << "_op " << prefix << "_ops["
     << std::max<uint64_t>(numEntries, 1) << "] = {\n";
  entries(os, seq.getBodyBlock(), 2);
  if (numEntries == 0)
    os << "  {.kind = 0} /* unused: the sequence is empty */\n";
  os << "};\n\n/* Values of the BLOCK entries. */\nstatic const uint64_t "
     << prefix << "_values[" << std::max<uint64_t>(values.size(), 1) << "] = {";
  if (values.empty())
    os << "0 /* unused */";
  for (size_t i = 0; i < values.size(); ++i)
    os << (i % 4 == 0 ? "\n  " : " ") << hexU64(uint64_t(values[i])) << ",";
  os << (values.empty() ? "};\n" : "\n};\n");
  expand(os, kReplay, prefix, upper);
  os << "\n#endif /* " << guard << " */\n";
  return success();
}

/// A C identifier from a sequence name.
static std::string prefixFromName(StringRef name) {
  std::string p;
  for (char c : name)
    p += llvm::isAlnum(c) ? c : '_';
  if (p.empty() || llvm::isDigit(p[0]))
    p = "seq_" + p;
  return p;
}

LogicalResult gpuinit::exportInitSeqC(Operation *op, raw_ostream &os,
                                      const InitSeqCExportOptions &options) {
  FailureOr<SequenceOp> selected =
      selectSequence(op, options.sequence, "--initseq-c-sequence");
  if (failed(selected))
    return failure();
  SequenceOp seq = *selected;

  std::string prefix = options.prefix;
  if (prefix.empty())
    prefix = prefixFromName(seq.getSymName());
  if (!llvm::isAlpha(prefix[0]) && prefix[0] != '_')
    return seq.emitError() << "C prefix '" << prefix
                           << "' must start with a letter or '_'";
  if (!llvm::all_of(prefix,
                    [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return seq.emitError() << "C prefix '" << prefix
                           << "' is not a C identifier";

  return CExporter(seq, prefix).run(os);
}
