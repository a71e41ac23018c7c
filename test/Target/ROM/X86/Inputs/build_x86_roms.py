#!/usr/bin/env python3
"""Writes the x86 option ROM fixtures of test/Target/ROM/X86.

Usage: build_x86_roms.py OUTDIR

Each fixture is one x86 image (55 AA header, PCIR for 5333:8a01, class
03 00 00, last-image bit, a correct checksum) whose INIT entry at +3 jumps to
real-mode code assembled here, byte by byte, with the small assembler below.
None is derived from a real ROM. The code starts at CODE (0x40), so an
instruction's file offset is CODE plus its position; the tests check those
offsets in `at 0x...`.
"""
import os
import struct
import sys

BLOCK = 512
CODE = 0x40
VENDOR, DEVICE = 0x5333, 0x8A01


class Asm:
    """Real-mode machine code with labels and forward jumps."""

    def __init__(self, origin=CODE):
        self.origin = origin
        self.code = bytearray()
        self.labels = {}
        self.fixups = []  # (position, label, kind)

    def here(self):
        return self.origin + len(self.code)

    def label(self, name):
        self.labels[name] = self.here()

    def db(self, *data):
        for d in data:
            self.code += bytes([d]) if isinstance(d, int) else bytes(d)

    def dw(self, value):
        self.code += struct.pack("<H", value & 0xFFFF)

    def dd(self, value):
        self.code += struct.pack("<I", value & 0xFFFFFFFF)

    # Registers: mov r16/r32, imm; mov r8, imm.
    REG = {"ax": 0, "cx": 1, "dx": 2, "bx": 3, "sp": 4, "bp": 5, "si": 6,
           "di": 7}
    REG8 = {"al": 0, "cl": 1, "dl": 2, "bl": 3, "ah": 4, "ch": 5, "dh": 6,
            "bh": 7}

    def mov16(self, reg, value):
        self.db(0xB8 + self.REG[reg])
        self.dw(value)

    def mov32(self, reg, value):
        self.db(0x66, 0xB8 + self.REG[reg])
        self.dd(value)

    def mov8(self, reg, value):
        self.db(0xB0 + self.REG8[reg], value)

    def out_dx(self, bits):  # out dx, al/ax/eax
        self.db({8: [0xEE], 16: [0xEF], 32: [0x66, 0xEF]}[bits])

    def in_dx(self, bits):  # in al/ax/eax, dx
        self.db({8: [0xEC], 16: [0xED], 32: [0x66, 0xED]}[bits])

    def out_imm(self, port, bits=8):
        self.db({8: [0xE6], 16: [0xE7], 32: [0x66, 0xE7]}[bits])
        self.db(port)

    def in_imm(self, port, bits=8):
        self.db({8: [0xE4], 16: [0xE5], 32: [0x66, 0xE5]}[bits])
        self.db(port)

    def int_(self, number):
        self.db(0xCD, number)

    def retf(self):
        self.db(0xCB)

    def jmp(self, target):  # jmp near rel16
        self.db(0xE9)
        self.fixups.append((len(self.code), target, 2))
        self.dw(0)

    def jmp_short(self, target):
        self.db(0xEB)
        self.fixups.append((len(self.code), target, 1))
        self.db(0)

    def jnz_short(self, target):
        self.db(0x75)
        self.fixups.append((len(self.code), target, 1))
        self.db(0)

    def addr16(self, target):
        """The label's offset in the ROM segment (C000)."""
        self.fixups.append((len(self.code), target, "abs16"))
        self.dw(0)

    def linear32(self, target):
        """The label's linear address once the ROM sits at 0xC0000."""
        self.fixups.append((len(self.code), target, "lin32"))
        self.dd(0)

    def mov_seg(self, seg, reg):  # mov sreg, r16
        sreg = {"es": 0, "ss": 2, "ds": 3, "fs": 4, "gs": 5}[seg]
        self.db(0x8E, 0xC0 | (sreg << 3) | self.REG[reg])

    def finish(self):
        for position, target, size in self.fixups:
            if size == "abs16":
                struct.pack_into("<H", self.code, position,
                                 self.labels[target])
                continue
            if size == "lin32":
                struct.pack_into("<I", self.code, position,
                                 0xC0000 + self.labels[target])
                continue
            end = self.origin + position + size
            delta = self.labels[target] - end
            if size == 1:
                assert -128 <= delta < 128, target
                self.code[position] = delta & 0xFF
            else:
                struct.pack_into("<h", self.code, position, delta)
        return bytes(self.code)


def rom(asm, blocks=1):
    """An x86 image around the assembled code: 55 AA, init size, `jmp near
    CODE` at +3, PCIR at +0x1C, checksum in the last byte."""
    code = asm.finish()
    data = bytearray(blocks * BLOCK)
    data[0:2] = b"\x55\xaa"
    data[2] = blocks
    data[3] = 0xE9
    struct.pack_into("<h", data, 4, CODE - 6)
    struct.pack_into("<H", data, 0x18, 0x1C)
    data[0x1C:0x1C + 0x18] = b"PCIR" + struct.pack(
        "<HHHHB", VENDOR, DEVICE, 0, 0x18, 0) + bytes([0, 0, 3]) + \
        struct.pack("<HHBBH", blocks, 1, 0, 0x80, 0)
    assert CODE + len(code) < len(data) - 1, "code too long"
    data[CODE:CODE + len(code)] = code
    data[-1] = (-sum(data[:-1])) & 0xFF
    return bytes(data)


def io_rom():
    """Port writes and reads of each width and the register model."""
    a = Asm()
    a.mov16("dx", 0x3C4)
    a.mov8("al", 0x01)
    a.out_dx(8)                 # write io[0x3c4] : i8 = 0x1
    a.mov16("ax", 0x0302)
    a.out_dx(16)                # write io[0x3c4] : i16 = 0x302 (index 2 = 3)
    a.mov16("dx", 0x3C5)
    a.in_dx(8)                  # read io[0x3c5] : i8 -> 0x3
    a.mov16("dx", 0x3C4)
    a.in_dx(8)                  # read io[0x3c4] : i8 -> 0x2 (the index)
    a.mov32("ax", 0xDEADBEEF)
    a.mov16("dx", 0x1234)
    a.out_dx(32)                # write io[0x1234] : i32 = 0xdeadbeef
    a.in_dx(32)                 # read io[0x1234] : i32 -> 0xdeadbeef
    a.mov16("dx", 0x1240)
    a.in_dx(16)                 # read io[0x1240] : i16 -> 0xffff
    a.mov8("al", 0x42)
    a.out_imm(0x80)             # write io[0x80] : i8 = 0x42
    a.in_imm(0x61)              # read io[0x61] : i8 -> 0x10
    a.in_imm(0x61)              # read io[0x61] : i8 -> 0x0
    a.mov16("dx", 0x3DA)
    a.in_dx(8)                  # read io[0x3da] : i8 -> 0x9
    a.in_dx(8)                  # read io[0x3da] : i8 -> 0x0
    a.retf()
    return rom(a)


def cfg_rom():
    """PCI configuration mechanism #1 through CF8/CFC."""
    a = Asm()
    a.mov32("ax", 0x80001004)   # bus 0, device 2, function 0, register 4
    a.mov16("dx", 0xCF8)
    a.out_dx(32)                # (address latch: not an op)
    a.mov16("dx", 0xCFC)
    a.mov16("ax", 0x0007)
    a.out_dx(16)                # write cfg[0x004] : i16 = 0x7
    a.in_dx(32)                 # read cfg[0x004] : i32 -> 0x7
    a.mov32("ax", 0x80001000)
    a.mov16("dx", 0xCF8)
    a.out_dx(32)
    a.mov16("dx", 0xCFE)
    a.in_dx(16)                 # read cfg[0x002] : i16 -> 0x8a01
    a.mov32("ax", 0x80001010)   # BAR0: size it
    a.mov16("dx", 0xCF8)
    a.out_dx(32)
    a.mov16("dx", 0xCFC)
    a.mov32("ax", 0xFFFFFFFF)
    a.out_dx(32)                # write cfg[0x010] : i32 = 0xffffffff
    a.in_dx(32)                 # read cfg[0x010] : i32 -> 0xfc000000
    a.mov32("ax", 0x80001800)   # device 3: nobody there
    a.mov16("dx", 0xCF8)
    a.out_dx(32)
    a.mov16("dx", 0xCFC)
    a.in_dx(32)                 # write io[0xcf8] = 0x80001800, read io[0xcfc]
    a.retf()
    return rom(a)


def pcibios_rom():
    """int 1Ah PCI BIOS calls, int 15h wait, and an int 10h handler the ROM
    installs itself."""
    a = Asm()
    a.mov16("ax", 0xB101)
    a.int_(0x1A)                # installation check: BX = 0x0210
    a.mov_seg("ds", "bx")       # (keeps BX observable below)
    a.mov16("ax", 0)
    a.db(0x8C, 0xD8)            # mov ax, ds
    a.mov16("dx", 0x84)
    a.out_dx(16)                # write io[0x84] : i16 = 0x210
    a.mov16("ax", 0xB102)       # find device 5333:8a01
    a.mov16("cx", DEVICE)
    a.mov16("dx", VENDOR)
    a.mov16("si", 0)
    a.int_(0x1A)
    a.db(0x89, 0xD8)            # mov ax, bx
    a.mov16("dx", 0x86)
    a.out_dx(16)                # write io[0x86] : i16 = 0x10 (bus 0, dev 2)
    a.mov16("ax", 0xB10C)       # write config word
    a.mov16("bx", 0x0010)
    a.mov16("di", 0x0004)
    a.mov16("cx", 0x0003)
    a.int_(0x1A)                # write cfg[0x004] : i16 = 0x3
    a.mov16("ax", 0xB10A)       # read config dword
    a.mov16("di", 0x0000)
    a.int_(0x1A)                # read cfg[0x000] : i32 -> 0x8a015333
    a.mov16("ax", 0xB10D)       # write config dword of device 3
    a.mov16("bx", 0x0018)
    a.mov16("di", 0x0040)
    a.mov32("cx", 0x11223344)
    a.int_(0x1A)                # opaque "x86-pci-bios-write"
    a.mov16("ax", 0xB10C)       # misaligned register: CF set, AH = 0x87
    a.mov16("bx", 0x0010)
    a.mov16("di", 0x0003)
    a.int_(0x1A)
    a.db(0x0F, 0x92, 0xC0)      # setc al
    a.out_imm(0x80)             # write io[0x80] : i8 = 0x1
    a.mov16("ax", 0x8600)       # int 15h: wait CX:DX = 100000 us
    a.mov16("cx", 0x0001)
    a.mov16("dx", 0x86A0)
    a.int_(0x15)                # delay 100 ms
    # Install an int 10h handler at 0000:0040 and call it.
    a.mov16("ax", 0)
    a.mov_seg("ds", "ax")
    a.db(0xC7, 0x06, 0x40, 0x00)  # mov word [0x40], handler
    a.addr16("handler")
    a.db(0x8C, 0x0E, 0x42, 0x00)  # mov word [0x42], cs
    a.mov16("ax", 0x1234)
    a.int_(0x10)                # handler: write io[0x3c8] : i16 = 0x1234
    a.retf()
    a.label("handler")
    a.mov16("dx", 0x3C8)
    a.out_dx(16)
    a.db(0xCF)                  # iret
    return rom(a)


def mem_rom():
    """Writes to the VGA window, above 1 MiB, and to BAR0 in unreal mode."""
    a = Asm()
    a.mov16("ax", 0xB800)
    a.mov_seg("es", "ax")
    a.mov16("di", 0)
    a.mov16("ax", 0x0720)
    a.mov16("cx", 4)
    a.db(0xF3, 0xAB)            # rep stosw: x86-mem-fill (0xb8000, 0x720, 2, 4)
    a.db(0xAB)                  # stosw: extends the fill (5)
    a.mov16("ax", 0x1111)
    a.db(0xAB)                  # new run at 0xb800a
    a.mov16("ax", 0x2222)
    a.db(0xAB)                  # block of 2 words
    a.mov16("ax", 0xA000)
    a.mov_seg("es", "ax")
    a.db(0x26, 0xC6, 0x06, 0x10, 0x00, 0x5A)  # mov byte es:[0x10], 0x5a
    a.mov16("ax", 0xFFFF)
    a.mov_seg("es", "ax")
    a.db(0x26, 0xC6, 0x06, 0x20, 0x00, 0xA5)  # es:[0x20] -> 0x100010
    # Unreal mode: FS with a 4 GiB limit.
    a.db(0xFA)                  # cli
    a.db(0x2E, 0x0F, 0x01, 0x16)  # lgdt cs:[gdtr]
    a.addr16("gdtr")
    a.db(0x0F, 0x20, 0xC0)      # mov eax, cr0
    a.db(0x0C, 0x01)            # or al, 1
    a.db(0x0F, 0x22, 0xC0)      # mov cr0, eax
    a.mov16("bx", 0x08)
    a.mov_seg("fs", "bx")
    a.db(0x24, 0xFE)            # and al, 0xfe
    a.db(0x0F, 0x22, 0xC0)      # mov cr0, eax
    a.mov16("bx", 0)
    a.mov_seg("fs", "bx")
    a.mov32("di", 0xE0001000)
    a.db(0x64, 0x67, 0x66, 0xC7, 0x07)  # mov dword fs:[edi], 0x12345678
    a.dd(0x12345678)
    a.db(0x64, 0x67, 0x66, 0x8B, 0x07)  # mov eax, fs:[edi]
    a.out_imm(0x80, 32)         # write io[0x80] : i32 = 0x12345678
    a.mov32("di", 0xE0002000)
    a.db(0x64, 0x67, 0x8B, 0x07)  # mov ax, fs:[edi] -> 0xffff
    a.mov32("di", 0xF0000000)
    a.db(0x64, 0x67, 0x8A, 0x07)  # mov al, fs:[edi]: outside BAR0
    a.retf()
    a.db(0x90, 0x90)
    a.label("gdtr")
    a.dw(15)                    # limit: two descriptors
    a.linear32("gdt")
    a.label("gdt")
    a.db(bytes(8))              # null descriptor
    a.db(0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0x8F, 0x00)  # data, 4 GiB
    return rom(a)


def loop_rom():
    """An out, then a loop that never ends (not a jump to itself)."""
    a = Asm()
    a.mov8("al", 0x11)
    a.out_imm(0x80)
    a.label("top")
    a.db(0x40)                  # inc ax
    a.jmp_short("top")
    return rom(a)


def self_loop_rom():
    a = Asm()
    a.label("self")
    a.jmp_short("self")
    return rom(a)


def hlt_rom():
    a = Asm()
    a.mov8("al", 0x22)
    a.out_imm(0x80)
    a.db(0xF4)                  # hlt
    a.retf()
    return rom(a)


def ud_rom():
    a = Asm()
    a.mov8("al", 0x33)
    a.out_imm(0x80)
    a.db(0x0F, 0x0B)            # ud2
    a.retf()
    return rom(a)


def divide_rom():
    a = Asm()
    a.mov16("cx", 0)
    a.db(0xF7, 0xF1)            # div cx
    a.retf()
    return rom(a)


def rep_rom():
    """A32 REP STOSB with ECX = 0xffffffff: stopped before it runs."""
    a = Asm()
    a.mov32("cx", 0xFFFFFFFF)
    a.db(0x67, 0xF3, 0xAA)      # a32 rep stosb
    a.retf()
    return rom(a)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    fixtures = {
        "io.rom": io_rom(),
        "cfg.rom": cfg_rom(),
        "pcibios.rom": pcibios_rom(),
        "mem.rom": mem_rom(),
        "loop.rom": loop_rom(),
        "self-loop.rom": self_loop_rom(),
        "hlt.rom": hlt_rom(),
        "ud.rom": ud_rom(),
        "divide.rom": divide_rom(),
        "rep.rom": rep_rom(),
    }
    for name, data in fixtures.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
