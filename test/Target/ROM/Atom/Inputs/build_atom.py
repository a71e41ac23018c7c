#!/usr/bin/env python3
"""Writes the synthetic AMD AtomBIOS ROM fixtures of test/Target/ROM/Atom.

Usage: build_atom.py OUTDIR

Each fixture is an x86 option-ROM image (build_rom.image) carrying the ATI
magic at +0x30, an ATOM ROM header, a master command table, a master data
table (FirmwareInfo, an IndirectIOAccess table, a data block) and command
tables assembled here from the AtomBIOS bytecode encoding (docs/ROM.md, "AMD
AtomBIOS"). None is derived from a real ROM.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Inputs"))
from build_rom import image  # noqa: E402

# Operand types and alignments of the attribute byte.
REG, PS, WS, FB, ID, IMM, PLL, MC = range(8)
DWORD, WORD0, WORD8, WORD16, BYTE0, BYTE8, BYTE16, BYTE24 = range(8)
IMM_BYTES = [4, 2, 2, 2, 1, 1, 1, 1]
# Special workspace indices.
WS_QUOTIENT, WS_REMAINDER, WS_DATAPTR, WS_SHIFT, WS_OR_MASK, WS_AND_MASK = \
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45

# Opcode families: first opcode, one per destination REG PS WS FB PLL MC.
FAMILIES = {"MOVE": 0x01, "AND": 0x07, "OR": 0x0D, "SHIFT_LEFT": 0x13,
            "SHIFT_RIGHT": 0x19, "MUL": 0x1F, "DIV": 0x25, "ADD": 0x2B,
            "SUB": 0x31, "COMPARE": 0x3C, "TEST": 0x4A, "CLEAR": 0x54,
            "MASK": 0x5C, "XOR": 0x67, "SHL": 0x6D, "SHR": 0x73}
DESTINATIONS = [REG, PS, WS, FB, PLL, MC]
JUMPS = {"JUMP": 0x43, "JUMP_EQUAL": 0x44, "JUMP_BELOW": 0x45,
         "JUMP_ABOVE": 0x46, "JUMP_BELOW_OR_EQUAL": 0x47,
         "JUMP_ABOVE_OR_EQUAL": 0x48, "JUMP_NOT_EQUAL": 0x49}
SET_ATI_PORT, SET_PCI_PORT, SET_SYSIO_PORT, SET_REG_BLOCK = \
    0x37, 0x38, 0x39, 0x3A
SWITCH, DELAY_MS, DELAY_US, CALL_TABLE, REPEAT = 0x42, 0x50, 0x51, 0x52, 0x53
NOP, EOT, POST_CARD, BEEP, SET_DATA_BLOCK = 0x5A, 0x5B, 0x62, 0x63, 0x66
DEBUG, PROCESS_DS, MUL32_WS, DIV32_WS = 0x79, 0x7A, 0x7C, 0x7E


def operand(kind, value, align=DWORD):
    """An operand of `kind`: registers and data offsets are words,
    immediates as wide as their alignment, the rest one byte."""
    if kind in (REG, ID):
        return struct.pack("<H", value)
    if kind == IMM:
        return value.to_bytes(IMM_BYTES[align], "little")
    return bytes([value])


class Code:
    """The code of one command table; jump targets are labels, resolved to
    offsets from the table start (its 6-byte header included)."""

    def __init__(self):
        self.parts = []  # bytes, or (opcode, label) for a jump
        self.labels = {}

    def size(self):
        return sum((2 if p[0] is None else 3) if isinstance(p, tuple)
                   else len(p) for p in self.parts)

    def raw(self, *data):
        self.parts.append(bytes(data))
        return self

    def label(self, name):
        self.labels[name] = 6 + self.size()
        return self

    def op(self, family, dst_kind, dst, src_kind=None, src=0, align=DWORD,
           sel=0, mask=None, shift=None):
        """A data instruction: opcode, attribute (source kind, source
        alignment, destination selector), destination, [mask | shift],
        source."""
        code = FAMILIES[family] + DESTINATIONS.index(dst_kind)
        attr = (src_kind or 0) | align << 3 | sel << 6
        data = bytes([code, attr]) + operand(dst_kind, dst)
        if mask is not None:
            data += mask.to_bytes(IMM_BYTES[align], "little")
        if shift is not None:
            data += bytes([shift])
        if src_kind is not None:
            data += operand(src_kind, src, align)
        self.parts.append(data)
        return self

    def op32(self, opcode, dst, value):
        """MUL32_WS/DIV32_WS: workspace destination, dword immediate."""
        self.parts.append(bytes([opcode, IMM, dst]) +
                          struct.pack("<I", value))
        return self

    def jump(self, name, label):
        self.parts.append((JUMPS[name], label))
        return self

    def switch(self, src_kind, src, align, cases):
        """SWITCH on an operand; cases are (value, label)."""
        data = bytes([SWITCH, src_kind | align << 3]) + \
            operand(src_kind, src, align)
        self.parts.append(data)
        for value, label in cases:
            self.parts.append(bytes([0x63]) +
                              value.to_bytes(IMM_BYTES[align], "little"))
            self.parts.append((None, label))
        self.parts.append(b"\x5a\x5a")
        return self

    def assemble(self):
        out = b""
        for p in self.parts:
            if isinstance(p, tuple):
                opcode, label = p
                target = struct.pack("<H", self.labels[label])
                out += target if opcode is None else bytes([opcode]) + target
            else:
                out += p
        return out


def table(code, ws=0, ps=0, frev=1, crev=1, size=None):
    """A command table: size, format/content revision, WS, PS, code."""
    body = code.assemble() if isinstance(code, Code) else code
    return struct.pack("<HBBBB", 6 + len(body) if size is None else size,
                       frev, crev, ws, ps) + body


def data_table(payload, frev=1, crev=1):
    return struct.pack("<HBB", 4 + len(payload), frev, crev) + payload


def iio_programs():
    """IndirectIOAccess: register index/data pair at dword 0x50/0x51.
    Program 2 reads (index -> 0x50, read 0x51); program 0x82 writes
    (read-modify-write of the index's low 16 bits, data -> 0x51)."""
    read = bytes([1, 2, 6, 32, 0, 0, 3, 0x50, 0, 2, 0x51, 0, 9, 0, 0])
    write = bytes([1, 0x82, 2, 0x50, 0, 6, 16, 0, 0, 3, 0x50, 0,
                   8, 32, 0, 0, 3, 0x51, 0, 9, 0, 0])
    return data_table(read + write)


def atom_rom(tables, blocks=16, header_size=0x24, header_pointer=0x100,
             signature=b"ATOM", command_pointer=0x180, data_pointer=0x240,
             entries=81, extra_patches=()):
    """An AtomBIOS x86 image; `tables` maps command table index -> bytes
    (laid out from 0x400) or, for an int value, a raw pointer."""
    patches = [(0x30, b" 761295520"),
               (0x48, struct.pack("<H", header_pointer))]
    header = struct.pack("<HBB4s", header_size, 1, 1 if header_size < 0x2C
                         else 2, signature)
    header += struct.pack("<13H", 0xC000, 0, 0, 0, 0x140, 0, 0, 0,
                          0x1002, 0x0B36, 0, command_pointer, data_pointer)
    header += bytes([0, 0])
    if header_size >= 0x2C:
        header += struct.pack("<IHH", 0x12345, 0x1002, 0x67DF)
    patches.append((header_pointer, header))
    patches.append((0x140, b"\r\nGPUINIT TEST ATOMBIOS 1.0   \r\n\0"))
    # Data tables: FirmwareInfo (4), a data block (7), IndirectIOAccess (23).
    data = {4: data_table(struct.pack("<III", 0x01000000, 30000, 40000)),
            7: data_table(struct.pack("<II", 0x11111111, 0xCAFEF00D)),
            23: iio_programs()}
    pointers = [0] * 35
    at = 0x300
    for index, payload in sorted(data.items()):
        pointers[index] = at
        patches.append((at, payload))
        at += len(payload) + 2
    patches.append((data_pointer, struct.pack("<HBB", 4 + 2 * 35, 1, 1) +
                    struct.pack("<35H", *pointers)))
    command = [0] * entries
    at = 0x400
    for index, body in sorted(tables.items()):
        if isinstance(body, int):
            command[index] = body
            continue
        command[index] = at
        patches.append((at, body))
        at += len(body) + (len(body) & 1)
    patches.append((command_pointer, struct.pack("<HBB", 4 + 2 * entries,
                                                 1, 1) +
                    struct.pack("<%dH" % entries, *command)))
    patches.extend(extra_patches)
    # Structures a fixture points outside the image are not written.
    size = blocks * 512
    patches = [(at, chunk) for at, chunk in patches
               if at + len(chunk) <= size - 1]
    return image(0, blocks, pcir_offset=0x80, vendor=0x1002, device=0x67DF,
                 patches=patches)


def straight_line():
    """ASIC_Init: register writes of every alignment, delays, parameters
    from FirmwareInfo, a nested call and an absent one."""
    c = Code()
    c.raw(SET_REG_BLOCK, 0x00, 0x01)                          # block 0x100
    c.op("MOVE", REG, 0x10, IMM, 0x12345678)                  # write
    c.op("MOVE", REG, 0x11, IMM, 0xAB, align=BYTE0, sel=1)    # bits 15:8
    c.op("AND", REG, 0x12, IMM, 0x00FF, align=WORD0, sel=2)   # bits 31:16
    c.op("OR", REG, 0x13, IMM, 0x80000000)
    c.op("MASK", REG, 0x14, IMM, 0x05, align=BYTE0, mask=0xF0)
    c.op("CLEAR", REG, 0x15, align=WORD0)
    c.raw(DELAY_MS, 5).raw(DELAY_US, 20)
    c.op("MOVE", WS, 0, PS, 0)                                # engine clock
    c.op("MOVE", REG, 0x16, WS, 0)
    c.op("MOVE", PS, 2, IMM, 0x1111)                          # callee PS[0]
    c.raw(CALL_TABLE, 10)
    c.op("MOVE", REG, 0x17, IMM, 1)                           # block now 0
    c.raw(CALL_TABLE, 6)                                      # absent
    c.op("MOVE", REG, 0x00, IMM, 0x1000)                      # MM_INDEX
    c.raw(EOT)
    return table(c, ws=4, ps=8, crev=2)


def engine_clock():
    """SetEngineClock: its PS[0] is the caller's PS[2]; it resets the
    register block, which the caller keeps."""
    c = Code()
    c.op("MOVE", REG, 0x20, PS, 0)
    c.raw(SET_REG_BLOCK, 0, 0)
    c.raw(EOT)
    return table(c, ps=4)


def arithmetic():
    """ASIC_RegistersInit: workspace arithmetic and data-table operands."""
    c = Code()
    c.raw(NOP, NOP, NOP, NOP)
    c.op("MOVE", WS, 0, IMM, 7)
    c.op("ADD", WS, 0, IMM, 3)                                # 10
    c.op("MUL", WS, 0, IMM, 6)                                # quotient 60
    c.op("MOVE", REG, 0x30, WS, WS_QUOTIENT)
    c.op("DIV", WS, 0, IMM, 3)                                # 3 rem 1
    c.op("MOVE", REG, 0x31, WS, WS_REMAINDER)
    c.op("SHIFT_LEFT", WS, 0, shift=4)                        # 0xa0
    c.op("XOR", WS, 0, IMM, 0xFF)                             # 0x5f
    c.op("SUB", WS, 0, IMM, 0x0F)                             # 0x50
    c.op("SHR", WS, 0, IMM, 4, align=BYTE0)                   # 0x5
    c.op("SHL", WS, 0, IMM, 8)                                # 0x500
    c.op("MOVE", REG, 0x32, WS, 0)
    c.raw(SET_DATA_BLOCK, 7)
    c.op("MOVE", REG, 0x33, ID, 8)                            # 0xcafef00d
    c.raw(SET_DATA_BLOCK, 255)
    c.op("MOVE", REG, 0x34, ID, 6)                            # the NOPs
    c.op("MOVE", WS, 1, IMM, 0x10000)
    c.op32(MUL32_WS, 1, 0x30000)                              # 3 << 32
    c.op("MOVE", REG, 0x35, WS, WS_REMAINDER)                 # high word 3
    c.op32(DIV32_WS, 1, 0x10)
    c.op("MOVE", REG, 0x36, WS, WS_QUOTIENT)                  # 0x30001000
    c.op("MOVE", WS, WS_SHIFT, IMM, 5)
    c.op("MOVE", REG, 0x37, WS, WS_OR_MASK)                   # 0x20
    c.op("MOVE", REG, 0x38, WS, WS_AND_MASK)                  # 0xffffffdf
    c.raw(EOT)
    return table(c, ws=8)


def opaque():
    """MemoryControllerInit: what is kept opaque, notes, indirect I/O."""
    c = Code()
    c.op("MOVE", REG, 0x40, REG, 0x41)                        # reg to reg
    c.op("ADD", REG, 0x42, IMM, 1)
    c.op("MOVE", WS, 0, REG, 0x43)                            # a read
    c.op("MOVE", REG, 0x44, WS, 0)                            # unknown value
    c.op("MOVE", PLL, 5, IMM, 1)
    c.raw(SET_PCI_PORT, 0)
    c.op("MOVE", REG, 0x04, IMM, 1)
    c.raw(SET_ATI_PORT, 0, 0)
    c.raw(POST_CARD, 0x12).raw(DEBUG, 0x34).raw(BEEP).raw(NOP)
    c.raw(PROCESS_DS, 3, 0, 0xFF, 0xFF, 0xFF)
    c.raw(REPEAT)
    c.raw(SET_ATI_PORT, 2, 0)                                 # indirect
    c.op("MOVE", REG, 0x1234, IMM, 0xDEADBEEF)
    c.op("MOVE", WS, 0, REG, 0x1235)
    c.op("OR", REG, 0x1236, IMM, 1)                           # opaque
    c.raw(SET_ATI_PORT, 0, 0)
    c.raw(EOT)
    return table(c, ws=4)


def loops():
    """SetMemoryClock: two polls, a counted loop, a SWITCH on a known value
    and a loop that is kept opaque."""
    c = Code()
    c.label("poll1").raw(DELAY_US, 10)
    c.op("TEST", REG, 0x50, IMM, 0x01, align=BYTE0)
    c.jump("JUMP_EQUAL", "poll1")
    c.label("poll2")
    c.op("COMPARE", REG, 0x51, IMM, 0x1234, align=WORD0, sel=2)
    c.jump("JUMP_NOT_EQUAL", "poll2")
    c.op("CLEAR", WS, 0)
    c.label("count").op("MOVE", REG, 0x52, WS, 0)
    c.op("ADD", WS, 0, IMM, 1)
    c.op("COMPARE", WS, 0, IMM, 3)
    c.jump("JUMP_BELOW", "count")
    c.switch(WS, 0, DWORD, [(1, "one"), (3, "three"), (5, "five")])
    c.op("MOVE", REG, 0x53, IMM, 0xFF)
    c.jump("JUMP", "done")
    c.label("one").op("MOVE", REG, 0x53, IMM, 0x11).jump("JUMP", "done")
    c.label("three").op("MOVE", REG, 0x53, IMM, 0x33).jump("JUMP", "done")
    c.label("five").op("MOVE", REG, 0x53, IMM, 0x55)
    c.label("done")
    c.label("loop").op("MOVE", REG, 0x54, IMM, 1)
    c.op("TEST", REG, 0x55, IMM, 0x01, align=BYTE0)
    c.jump("JUMP_NOT_EQUAL", "loop")
    c.raw(EOT)
    return table(c, ws=4, frev=2, crev=1)


def conditions():
    """SetPixelClock: an if/else on a register, an if on a parameter."""
    c = Code()
    c.op("COMPARE", REG, 0x60, IMM, 5)
    c.jump("JUMP_EQUAL", "else")
    c.op("MOVE", REG, 0x61, IMM, 1)
    c.jump("JUMP", "join")
    c.label("else").op("MOVE", REG, 0x61, IMM, 2)
    c.label("join").op("MOVE", REG, 0x62, IMM, 3)
    c.op("TEST", PS, 0, IMM, 0x80, align=BYTE0)
    c.jump("JUMP_NOT_EQUAL", "skip")
    c.op("MOVE", REG, 0x63, IMM, 4)
    c.label("skip").raw(EOT)
    return table(c, ws=4, ps=4)


def unknown_switch():
    """EnableDispPowerGating: a SWITCH on a register value."""
    c = Code()
    c.op("MOVE", REG, 0x70, IMM, 7)
    c.switch(REG, 0x71, BYTE0, [(1, "a"), (2, "b")])
    c.label("a").label("b").op("MOVE", REG, 0x72, IMM, 1)
    c.raw(EOT)
    return table(c)


def unstructured():
    """ResetMemoryDLL: a jump whose paths do not rejoin forward."""
    c = Code()
    c.label("top").op("MOVE", REG, 0x78, IMM, 1)
    c.op("COMPARE", REG, 0x79, IMM, 0)
    c.jump("JUMP_EQUAL", "out")
    c.op("MOVE", REG, 0x7A, IMM, 2)
    c.jump("JUMP", "top")
    c.label("out").raw(EOT)
    return table(c)


def simple(*instructions, **kw):
    c = Code()
    for i in instructions:
        i(c)
    return table(c, **kw)


def fixtures():
    f = {}
    calls_unknown = simple(lambda c: c.raw(CALL_TABLE, 16),
                           lambda c: c.op("MOVE", REG, 0x80, IMM, 1),
                           lambda c: c.raw(EOT))
    unknown_op = simple(lambda c: c.op("MOVE", REG, 0x81, IMM, 2),
                        lambda c: c.raw(0x7F, EOT))
    cycle_a = simple(lambda c: c.raw(CALL_TABLE, 18), lambda c: c.raw(EOT))
    cycle_b = simple(lambda c: c.raw(CALL_TABLE, 17), lambda c: c.raw(EOT))
    truncated = table(bytes([0x01, 0x05, 0x90, 0x00, 0x78, 0x56, 0x34,
                             0x12, EOT]), size=6 + 5)
    bad_jump = simple(lambda c: c.raw(0x43, 0x00, 0x10), lambda c: c.raw(EOT))
    bad_ws = simple(lambda c: c.op("MOVE", WS, 0, IMM, 1),
                    lambda c: c.raw(EOT))
    forever = simple(lambda c: c.label("l").jump("JUMP", "l"))
    no_eot = simple(lambda c: c.op("MOVE", REG, 0x91, IMM, 1))
    depth_a = simple(lambda c: c.raw(CALL_TABLE, 26), lambda c: c.raw(EOT))
    depth_b = simple(lambda c: c.raw(CALL_TABLE, 27), lambda c: c.raw(EOT))
    depth_c = simple(lambda c: c.op("MOVE", REG, 0x92, IMM, 1),
                     lambda c: c.raw(EOT))
    tables = {0: straight_line(), 2: arithmetic(), 5: opaque(),
              10: engine_clock(), 11: loops(), 12: conditions(),
              13: unknown_switch(), 14: unstructured(),
              15: calls_unknown, 16: unknown_op, 17: cycle_a, 18: cycle_b,
              19: truncated, 20: 0xF000, 21: bad_jump, 22: bad_ws,
              23: forever, 24: no_eot, 25: depth_a, 26: depth_b,
              27: depth_c}
    f["atom.rom"] = atom_rom(tables)
    f["atom-v22.rom"] = atom_rom({0: straight_line(), 10: engine_clock()},
                                 header_size=0x2C, entries=83)
    f["atom-header-range.rom"] = atom_rom({}, header_pointer=0x3FF0)
    f["atom-no-signature.rom"] = atom_rom({}, signature=b"ATOX")
    f["atom-mct-range.rom"] = atom_rom({}, command_pointer=0x7000)
    f["atom-many.rom"] = atom_rom({0: straight_line(), 10: engine_clock()},
                                  command_pointer=0x1000, entries=300)
    return f


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in fixtures().items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
