#!/usr/bin/env python3
"""Patches the FCode program of a PCI option ROM built by toke, for the
importer's error tests.

    patch_fcode.py IN OUT [--shift N] [--set OFF=BYTE[,BYTE...]]...
                          [--length N] [--checksum]

OFF is a stream offset: relative to the FCode header (the start token), as
`detok -o` numbers it; the header is found through the start word at +2 of
the ROM header. --length rewrites the header's program length, --checksum
recomputes the header checksum after every other change (without it the
stored checksum is kept). --shift moves the FCode N bytes further into the
image (into its zero padding) and clears the start word, so that the
importer has to search for the program.
"""
import argparse
import struct


def number(text):
    return int(text, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--shift", type=number, default=0)
    parser.add_argument("--set", action="append", default=[],
                        metavar="OFF=BYTE[,BYTE...]")
    parser.add_argument("--length", type=number)
    parser.add_argument("--checksum", action="store_true")
    args = parser.parse_args()

    data = bytearray(open(args.input, "rb").read())
    if data[0:2] != b"\x55\xaa":
        raise SystemExit("not a PCI option ROM: " + args.input)
    header = struct.unpack_from("<H", data, 2)[0]
    if args.shift:
        if any(data[len(data) - args.shift:]):
            raise SystemExit("not enough padding to shift by %d" % args.shift)
        data[header:] = bytes(args.shift) + data[header:len(data) - args.shift]
        header += args.shift
        struct.pack_into("<H", data, 2, 0)
    for item in args.set:
        offset, values = item.split("=", 1)
        position = header + number(offset)
        for i, value in enumerate(values.split(",")):
            data[position + i] = number(value)
    if args.length is not None:
        struct.pack_into(">I", data, header + 4, args.length)
    if args.checksum:
        length = struct.unpack_from(">I", data, header + 4)[0]
        end = min(header + length, len(data))
        total = sum(data[header + 8:end]) & 0xFFFF
        struct.pack_into(">H", data, header + 2, total)
    open(args.output, "wb").write(data)


if __name__ == "__main__":
    main()
