#!/usr/bin/env python3
"""Writes the synthetic PCI option ROM fixtures of test/Target/ROM.

Usage: build_rom.py OUTDIR

Every fixture is assembled here from the layout of
shared/specs/pci-option-rom.md (ROM header, PCIR rev 0/3, NPDE, NVGI IFR
header); none is derived from a real ROM. The valid ones cover the walker's
features, the malformed ones one error or warning class each.
"""
import os
import struct
import sys

BLOCK = 512


def pcir(vendor=0x10DE, device=0x1234, rev=0, cls=(0, 0, 3), blocks=1,
         level=0x0001, code_type=0, last=True, sig=b"PCIR", length=None,
         word8=0, extra=(0, 0, 0)):
    """A PCI data structure; rev 3 appends three words."""
    size = 0x1C if rev == 3 else 0x18
    data = sig + struct.pack("<HHHHB", vendor, device, word8,
                             size if length is None else length, rev)
    data += bytes(cls) + struct.pack("<HHBBH", blocks, level, code_type,
                                     0x80 if last else 0, extra[0])
    if rev == 3:
        data += struct.pack("<HH", extra[1], extra[2])
    return data


def npde(blocks, last, version=0x100, length=0x0C):
    return b"NPDE" + struct.pack("<HHHB", version, length, blocks,
                                 0x80 if last else 0) + b"\0"


def image(code_type=0, blocks=1, pcir_offset=0x1C, sig=b"\x55\xaa",
          ds_sig=b"PCIR", header=b"", checksum=True, init_blocks=None,
          tail=b"", patches=(), **kw):
    """One image: ROM header, data structure at `pcir_offset`, then `tail`
    (NPDE, device list, ...) right after the structure; x86 images get their
    init size and a correct checksum unless told otherwise."""
    data = bytearray(blocks * BLOCK if blocks else BLOCK)
    data[0:2] = sig
    data[2:2 + len(header)] = header
    struct.pack_into("<H", data, 0x18, pcir_offset)
    ds = pcir(blocks=blocks, code_type=code_type, sig=ds_sig, **kw) + tail
    data[pcir_offset:pcir_offset + len(ds)] = ds
    for offset, chunk in patches:
        data[offset:offset + len(chunk)] = chunk
    if code_type == 0:
        data[2] = blocks if init_blocks is None else init_blocks
        data[3:6] = b"\xeb\x10\x90"
        # The checksum covers header byte 2's blocks, not the PCIR length;
        # bytes after them make the whole image's sum non-zero.
        size = data[2] * BLOCK
        if size < len(data):
            data[-1] = 0x5A
        fix = size - 1
        data[fix] = (-sum(data[:fix]) + (0 if checksum else 1)) & 0xFF
    return bytes(data)


def efi_header(blocks):
    return struct.pack("<HIHHH", blocks, 0xEF1, 11, 0x8664, 1) + bytes(8) + \
        struct.pack("<H", 0x60)


def nvgi(rom_offset=0x400):
    """An IFR version 1 header: fixed data size 0x10, ROM offset at 0x14."""
    data = bytearray(rom_offset)
    data[0:4] = b"NVGI"
    struct.pack_into("<III", data, 4, 0x001001F4, 0x800003A0, 0)
    struct.pack_into("<I", data, 0x14, rom_offset)
    return bytes(data)


def bit(tokens, count=None, checksum=True):
    """An NVIDIA BIT (shared/specs/nvidia-devinit.md §1.1): 12-byte header,
    then 6-byte tokens (id, version, data size, data pointer)."""
    header = bytearray(b"\xff\xb8BIT\x00" + struct.pack(
        "<HBBBB", 0x100, 12, 6, len(tokens) if count is None else count, 0))
    header[11] = (-sum(header) + (0 if checksum else 1)) & 0xFF
    return bytes(header) + b"".join(
        struct.pack("<BBHH", ord(t) if isinstance(t, str) else t, v, size, ptr)
        for t, v, size, ptr in tokens)


def u16s(*values):
    return struct.pack("<%dH" % len(values), *values)


def nvidia_bit(init=None, extra=(), init_size=0x1C, script_table=0x300):
    """Patches for a 4-block x86 image (0x800 bytes) with a BIT at 0x100,
    'I' data at 0x180 (pointers into 0x300..0x480), 'M' data at 0x1c0 and
    a script table of three scripts at 0x300."""
    if init is None:
        init = u16s(script_table, 0x320, 0x330, 0x340, 0x350, 0x360, 0, 0x430,
                    0x370, 0x440, 0x300, 0x100, 0x400, 0x80)
    tokens = [("2", 1, 4, 0x1F0), ("I", 1, init_size, 0x180),
              ("M", 2, 3, 0x1C0), ("N", 0, 0, 0), (0x07, 1, 2, 0x1F4)]
    tokens += list(extra)
    return [(0x100, bit(tokens)), (0x180, init[:init_size]),
            (0x1C0, bytes([4, 0, 0])),
            (0x300, u16s(0x400, 0x410, 0x420, 0))]


def fixtures():
    f = {}
    f["single-x86.rom"] = image(0, 2, last=True, vendor=0x1234, device=0x1111)
    # x86 (rev 0) + EFI (rev 3, device list) + FCode (last), then padding.
    f["multi.rom"] = (
        image(0, 2, last=False, pcir_offset=0x40, level=0x0F32) +
        image(3, 3, rev=3, last=False, header=efi_header(3), word8=0x1C,
              tail=struct.pack("<HHH", 0x1235, 0x1236, 0), extra=(2, 0x10, 0)) +
        image(1, 1, last=True, header=struct.pack("<H", 0x34)) +
        b"\xff" * 1024)
    # NVIDIA layout: NVGI prefix, NPDE everywhere, images after the last bit.
    f["nvgi.rom"] = (
        nvgi() +
        image(0, 2, last=False, pcir_offset=0x40, tail=bytes(8) + npde(2, False)) +
        image(3, 1, rev=3, last=True, header=efi_header(1),
              tail=bytes(8) + npde(1, False, length=0x10)) +
        image(0xE0, 2, sig=b"\x56\x4e", ds_sig=b"NPDS", pcir_offset=0x20,
              last=False, cls=(0, 0, 0), tail=bytes(8) + npde(2, False)) +
        image(0x70, 1, sig=b"\x56\x4e", ds_sig=b"NPDS", pcir_offset=0x20,
              last=True, cls=(0, 0, 0)))
    # Unknown code type and PA-RISC; the chain starts after 0x800 bytes of
    # unrelated data and is found by the 512-byte scan.
    f["scan.rom"] = (b"\x12\x34" * 0x400 +
                     image(0x42, 1, last=False, cls=(3, 0, 0)) +
                     image(2, 1, last=True))
    f["no-last.rom"] = image(0, 1, last=False)
    f["bad-checksum.rom"] = image(0, 2, checksum=False)
    # Init size (byte 2) smaller than the PCIR length: checksum over byte 2.
    f["short-init.rom"] = image(0, 4, init_blocks=1)
    f["padded.rom"] = image(0, 1) + b"\0" * 3 * BLOCK
    # Malformed.
    f["truncated.rom"] = image(0, 4)[:2 * BLOCK]
    f["pcir-range.rom"] = image(0, 1, pcir_offset=0x1F0)[:0x1F8]
    f["pcir-misaligned.rom"] = image(0, 1, pcir_offset=0x1E)
    second = bytearray(image(0, 1))
    second[0:2] = b"\x00\x00"
    f["bad-signature.rom"] = image(0, 1, last=False) + bytes(second)
    f["no-image.rom"] = bytes(1024)
    f["zero-length.rom"] = image(0, 0)
    f["pcir-outside.rom"] = image(0, 1, pcir_offset=0x1F8) + bytes(BLOCK)
    no_pcir = bytearray(image(0, 1))
    no_pcir[0x1C:0x20] = b"PCIX"
    f["no-pcir.rom"] = bytes(no_pcir)
    f["short-header.rom"] = b"\x55\xaa" + bytes(14)
    # A broken image-like block after the last image: a warning only.
    f["after-broken.rom"] = image(0, 1) + image(0xE0, 0, sig=b"\x56\x4e",
                                                 ds_sig=b"NPDS")
    # NVIDIA BIT in the x86 image (4 blocks).
    f["bit.rom"] = image(0, 4, patches=nvidia_bit())
    # 'I' pointers past the end of the file (macro table, boot scripts with
    # its size), a token whose data runs past the end.
    f["bit-pointer-range.rom"] = image(0, 4, patches=nvidia_bit(
        init=u16s(0x300, 0x320, 0xF000, 0x340, 0x350, 0x360, 0, 0x430,
                  0x370, 0x440, 0x300, 0x100, 0x7C0, 0x80),
        extra=[("P", 2, 0x40, 0x7F0)]))
    f["bit-script-range.rom"] = image(0, 4, patches=nvidia_bit(
        script_table=0x1000))
    # Token count 9 but only 2 tokens fit before the end of the file.
    at = 4 * BLOCK - 12 - 2 * 6 - 1
    f["bit-truncated.rom"] = image(0, 4, patches=[(at, bit(
        [("2", 1, 4, 0x1F0), ("M", 1, 5, 0x1C0)], count=9)),
        (0x1C0, bytes([1, 2, 6, 0, 0]))])
    # Pointers past the x86 image continue behind the 0xE0 image (§2):
    # x86 (2 blocks, NPDE) + EFI + 0xE0 holding the script table.
    init = u16s(0x410, 0, 0, 0, 0, 0, 0, 0, 0)
    f["bit-relocated.rom"] = (
        image(0, 2, last=False, pcir_offset=0x40,
              tail=bytes(8) + npde(2, False),
              patches=[(0x100, bit([("I", 1, 0x12, 0x180)])),
                       (0x180, init)]) +
        image(3, 1, rev=3, last=True, header=efi_header(1)) +
        image(0xE0, 1, sig=b"\x56\x4e", ds_sig=b"NPDS", pcir_offset=0x20,
              cls=(0, 0, 0), patches=[(0x10, u16s(0x100, 0x120, 0))]))
    # A bad BIT header checksum: a warning.
    f["bit-checksum.rom"] = image(0, 4, patches=[(0x100, bit(
        [("N", 0, 0, 0)], checksum=False))])
    return f


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in fixtures().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
