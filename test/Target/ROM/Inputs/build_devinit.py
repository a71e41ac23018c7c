#!/usr/bin/env python3
"""Writes the NVIDIA devinit fixtures of test/Target/ROM/devinit-*.test.

Usage: build_devinit.py OUTDIR

Each ROM is one x86 image holding a BIT whose 'I' token points at a script
table, macro tables, condition tables and scripts assembled here from the
opcode table of shared/specs/nvidia-devinit.md §7 (nothing comes from a real
ROM). Layout of the 16-block image (offsets = BIT pointers):

  0x100 BIT     0x180 'I' data   0x1c0 'M' data (version 2, 4 RAM configs)
  0x200 script table      0x240 macro index table   0x260 macro table
  0x280 condition table   0x300 I/O condition table
  0x340 I/O flag condition table                    0x380 data arrays
  0x400... scripts, in the order given
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_rom import BLOCK, bit, image, u16s  # noqa: E402

IMAGE_BLOCKS = 16
SCRIPTS_AT = 0x400


def op(code, fmt="", *args):
    return bytes([code]) + struct.pack("<" + fmt, *args)


# One function per opcode used by the fixtures (§7 layouts).
def zm_reg(reg, value): return op(0x7A, "II", reg, value)
def zm_reg16(reg, value): return op(0x77, "IH", reg, value)
def nv_reg(reg, keep, orv): return op(0x6E, "III", reg, keep, orv)
def andn_reg(reg, bits): return op(0x47, "II", reg, bits)
def or_reg(reg, bits): return op(0x48, "II", reg, bits)
def time_us(us): return op(0x74, "H", us)
def time_ms(ms): return op(0x57, "H", ms)
def macro(n): return op(0x6F, "B", n)
def zm_io(port, value): return op(0x61, "HB", port, value)
def zm_index_io(port, index, value): return op(0x62, "HBB", port, index, value)
def io_rmw(port, andm, orv): return op(0x69, "HBB", port, andm, orv)
def index_io(port, index, andm, orv):
    return op(0x78, "HBBB", port, index, andm, orv)
def crtc(index, andm, orv): return op(0x52, "BBB", index, andm, orv)
def zm_crtc(index, value): return op(0x53, "BB", index, value)
def condition(n): return op(0x75, "B", n)
def io_condition(n): return op(0x76, "B", n)
def io_flag_condition(n): return op(0x39, "B", n)
def strap_condition(mask, value): return op(0x73, "II", mask, value)
def ram_condition(mask, value): return op(0x6D, "BB", mask, value)
def reg_condition(reg, mask, value): return op(0xAC, "III", reg, mask, value)
def poll_nv(cond, timeout): return op(0x56, "BB", cond, timeout)
def poll_io(cond, timeout): return op(0x55, "BB", cond, timeout)
def sub(index): return op(0x6B, "B", index)
def sub_direct(ptr): return op(0x5B, "H", ptr)
def jump(ptr): return op(0x5C, "H", ptr)
def repeat(n): return op(0x33, "B", n)
def pll(reg, freq): return op(0x79, "IH", reg, freq)
def function(n): return op(0x35, "B", n)
def generic_condition(ident, size): return op(0x3A, "BB", ident, size)


NOT = op(0x38)
RESUME = op(0x72)
DONE = op(0x71)
END_REPEAT = op(0x36)
DONE_CONDITION = op(0x5D)
COMPUTE_MEM = op(0x63)
RESET_BEGUN = op(0x8C)


def reg_sequence(first, values):
    return op(0x58, "IB", first, len(values)) + struct.pack(
        "<%dI" % len(values), *values)


def reg_group(reg, values):
    return op(0x91, "IB", reg, len(values)) + struct.pack(
        "<%dI" % len(values), *values)


def crtc_array(pairs):
    return op(0x54, "B", len(pairs)) + b"".join(bytes(p) for p in pairs)


def index_address_latched(ctrl, data, keep, orv, pairs):
    return op(0x49, "IIIIB", ctrl, data, keep, orv, len(pairs)) + b"".join(
        bytes(p) for p in pairs)


def reg_array_reiterate(regs, blocks):
    data = op(0xAF, "BB", len(blocks), len(regs))
    data += struct.pack("<%dI" % len(regs), *regs)
    for block in blocks:
        data += struct.pack("<%dI" % len(block), *block)
    return data


def xmemsel_array(first, stride, values_per_reg):
    """0x8F: values_per_reg[i] holds the 4 RAM-config values of register i."""
    data = op(0x8F, "IBB", first, stride, len(values_per_reg))
    for values in values_per_reg:
        data += struct.pack("<4I", *values)
    return data


def xmemsel_screen(reg, screen, values):
    return op(0x85, "IB", reg, screen) + struct.pack("<4I", *values)


def gpio_exclude(ids):
    return op(0xA9, "B", len(ids)) + bytes(ids)


def rom(scripts, table=None, boot=None, ram_configs=4, patch=None,
        conditions=None):
    """Assembles a ROM. `scripts` is a list of byte strings laid out from
    0x400; `table` lists the script indices of the script table (default:
    all but `boot`); `boot` is the index of the private boot script."""
    data = bytearray(IMAGE_BLOCKS * BLOCK)
    offsets = []
    at = SCRIPTS_AT
    for script in scripts:
        offsets.append(at)
        data[at:at + len(script)] = script
        at += len(script) + (-len(script) % 16)
    if table is None:
        table = [i for i in range(len(scripts)) if i != boot]
    script_table = u16s(*[offsets[i] for i in table], 0)
    init = u16s(0x200, 0x240, 0x260, 0x280, 0x300, 0x340, 0,
                offsets[boot] if boot is not None else 0, 0x380, 0,
                0x200, 0x200, SCRIPTS_AT, at - SCRIPTS_AT)
    patches = [
        (0x100, bit([("I", 1, len(init), 0x180), ("M", 2, 3, 0x1C0)])),
        (0x180, init),
        (0x1C0, bytes([ram_configs, 0, 0])),
        (0x200, script_table),
        # Macro index: macro 0 = (0, 1), macro 1 = (1, 2).
        (0x240, bytes([0, 1, 1, 2])),
        (0x260, struct.pack("<6I", 0x1540, 0xAA, 0x1544, 0xBB,
                            0x1548, 0xCC)),
        # Conditions: 0 tests a register, 1 the strap, 2 a poll target.
        (0x280, b"".join(struct.pack("<III", *c) for c in (conditions or [
            (0x88000, 0x1, 0x1), (0x101000, 0x3C, 0x08),
            (0x2240C, 0x10, 0x10)]))),
        # I/O conditions: 0 = CR 0x3f, 1 = a direct port (index 0xff).
        (0x300, struct.pack("<HBBB", 0x3D4, 0x3F, 0x80, 0x80) +
         struct.pack("<HBBB", 0x3DA, 0xFF, 0x08, 0x00)),
        # I/O flag condition 0: CR 0x44 bits 3:2 index the array at 0x380.
        (0x340, struct.pack("<HBBBHBB", 0x3D4, 0x44, 0x0C, 2, 0x380, 0x01,
                            0x01)),
        (0x380, bytes([0, 1, 1, 0])),
    ]
    for offset, chunk in patches + list(patch or []):
        data[offset:offset + len(chunk)] = chunk
    out = bytearray(image(0, IMAGE_BLOCKS, vendor=0x10DE, device=0x0FC6))
    # Copy everything after the PCIR (the image builder wrote the header and
    # the checksum); then recompute the checksum.
    out[0x40:] = data[0x40:]
    out[-1] = 0
    out[-1] = (-sum(out)) & 0xFF
    return bytes(out), offsets


def families():
    """Every opcode family of the issue, one script each, plus a boot
    script; returns (rom bytes, script offsets)."""
    s0 = b"".join([
        zm_reg(0x000200, 0xFFFFFFFF), zm_reg16(0x001540, 0xBEEF),
        reg_sequence(0x001000, [1, 2, 3]), reg_group(0x00E100, [5, 6]),
        macro(0), macro(1),
        nv_reg(0x002000, 0xFFFF00FF, 0x00001200), andn_reg(0x002004, 0x0F),
        or_reg(0x002008, 0xF0),
        index_address_latched(0x00C000, 0x00C004, 0xFFFFFF00, 0x100,
                              [(0x10, 0x55), (0x11, 0x66)]),
        reg_array_reiterate([0x3000, 0x3004], [[1, 2], [3, 4]]),
        time_us(50), time_ms(2),
        zm_io(0x3C2, 0x67), zm_index_io(0x3C4, 0x01, 0x21),
        io_rmw(0x3C3, 0xFE, 0x01), index_io(0x3CE, 0x06, 0xF0, 0x05),
        crtc(0x11, 0x7F, 0x00), zm_crtc(0x38, 0x48),
        crtc_array([(0x39, 0xA5), (0x3A, 0x5A)]),
        RESET_BEGUN, DONE])
    s1 = b"".join([
        condition(0), zm_reg(0x4000, 1), NOT, zm_reg(0x4000, 2), RESUME,
        condition(0), condition(1), zm_reg(0x4004, 3), NOT,
        zm_reg(0x4004, 4), RESUME,
        strap_condition(0x3C, 0x08), zm_reg(0x4008, 5), RESUME,
        io_condition(0), io_flag_condition(0), zm_reg(0x400C, 6), RESUME,
        ram_condition(0x03, 0x01), reg_condition(0x4010, 0xFF, 0x12),
        zm_reg(0x4014, 7), RESUME,
        poll_nv(2, 5), poll_io(1, 1),
        DONE])
    return s0, s1


def fixtures():
    f = {}
    s0, s1 = families()
    # Script 2 calls script 3 by index and the block at index 4 directly,
    # repeats a write 3 times and jumps to the tail at index 5.
    s3 = zm_reg(0x5000, 0x30) + DONE
    s4 = zm_reg(0x5004, 0x40) + DONE
    s5 = zm_reg(0x500C, 0x50) + DONE
    # Offsets are known only after layout: lay out once, then patch s2.
    placeholder = sub(3) + sub_direct(0) + repeat(3) + zm_reg(0x5008, 1) + \
        END_REPEAT + jump(0) + zm_reg(0xDEAD0, 0) + DONE
    boot = b"".join([
        xmemsel_array(0x6000, 4, [(0xA0, 0xA1, 0xA2, 0xA3),
                                  (0xB0, 0xB1, 0xB2, 0xB3)]),
        xmemsel_screen(0x6100, 0x05, (0xC0, 0xC1, 0xC2, 0xC3)),
        pll(0x00E800, 0x61A8), COMPUTE_MEM, gpio_exclude([0x10, 0x11]),
        function(2), generic_condition(9, 9), zm_reg(0x6200, 1), RESUME,
        DONE])
    scripts = [s0, s1, placeholder, s3, s4, s5, boot]
    _, offsets = rom(scripts, table=[0, 1, 2, 3], boot=6)
    scripts[2] = sub(3) + sub_direct(offsets[4]) + repeat(3) + \
        zm_reg(0x5008, 1) + END_REPEAT + jump(offsets[5]) + \
        zm_reg(0xDEAD0, 0) + DONE
    f["devinit.rom"], _ = rom(scripts, table=[0, 1, 2, 3], boot=6)

    # A conditional JUMP: paths that pass the condition continue at the
    # target (laid out first, at 0x400), the others fall through.
    tail = zm_reg(0x7004, 2) + DONE
    head = condition(0) + jump(SCRIPTS_AT) + zm_reg(0x7000, 1) + RESUME + \
        zm_reg(0x7008, 3) + DONE
    f["devinit-cond-jump.rom"], _ = rom([tail, head], table=[1])

    # Malformed, one fault each.
    f["devinit-unknown.rom"], _ = rom(
        [zm_reg(0x100, 1) + bytes([0x01, 0x02]) + DONE])
    a = sub_direct(0) + DONE
    _, offsets = rom([a, a])
    f["devinit-sub-cycle.rom"], _ = rom(
        [sub_direct(offsets[1]) + DONE, sub_direct(offsets[0]) + DONE],
        table=[0])
    f["devinit-pointer.rom"], _ = rom([zm_reg(0x100, 1) + sub_direct(0xF000)
                                       + DONE])
    loop = condition(0) + jump(0)
    _, offsets = rom([loop])
    f["devinit-jump-loop.rom"], _ = rom(
        [condition(0) + jump(offsets[0]) + DONE])
    f["devinit-no-done.rom"], _ = rom([zm_reg(0x100, 1)])
    # The last opcode is cut by the end of the file: put the script at the
    # very end of the image (the checksum byte is part of the cut opcode).
    data, _ = rom([DONE])
    cut = bytearray(data)
    end = len(cut)
    cut[end - 4:end] = bytes([0x7A, 0x00, 0x02, 0x00])
    init_script_table = 0x200
    struct.pack_into("<H", cut, init_script_table, end - 4)
    f["devinit-truncated.rom"] = bytes(cut)
    # Nesting deeper than a limit of 1: script 0 -> 1 -> 2.
    f["devinit-deep.rom"], _ = rom([sub(1) + DONE, sub(2) + DONE,
                                    zm_reg(0x100, 1) + DONE])
    # Without a RAM-config count (no 'M' token) 0x8F has no length.
    data, _ = rom([xmemsel_array(0x6000, 4, [(1, 2, 3, 4)]) + DONE])
    no_m = bytearray(data)
    no_m[0x100 + 12 + 6] = ord("N")  # the 'M' token becomes a NOP token
    no_m[-1] = 0
    no_m[-1] = (-sum(no_m)) & 0xFF
    f["devinit-no-ramcount.rom"] = bytes(no_m)
    # IO_CONDITION in a ROM whose BIT 'I' has no I/O condition table (+0x08).
    f["devinit-no-io-table.rom"], _ = rom([io_condition(0) + RESUME + DONE],
                                          patch=[(0x188, u16s(0))])
    # SUB by an index past the end of a one-entry script table.
    f["devinit-sub-index.rom"], _ = rom([zm_reg(0x100, 1) + sub(9) + DONE])
    # A poll on a test that can never hold (value bits outside the mask; the
    # devinit fuzzer's first finding): opaque with a warning, never a poll op
    # the verifier would reject.
    f["devinit-poll-never.rom"], _ = rom(
        [poll_nv(3, 2) + DONE],
        conditions=[(0x88000, 1, 1), (0x101000, 0x3C, 0x08),
                    (0x2240C, 0x10, 0x10), (0x2240C, 0x0F, 0x10)])
    return f


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in fixtures().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
