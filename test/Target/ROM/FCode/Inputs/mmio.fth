\ Device registers through map-in mappings of BAR 0 and BAR 2.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers

\ phys.hi: 32-bit memory space (ss=10), register 0x10 = BAR 0.
: map-bar0 ( -- va ) 0 0 my-space 02000010 or 1000000 " map-in" $call-parent ;
\ 64-bit memory (ss=11) at register 0x18 = BAR 2, from offset 0x1000 on.
: map-bar2 ( -- va ) 1000 0 my-space 03000018 + 100 " map-in" $call-parent ;
map-bar0 constant regs
map-bar2 constant fb

12345678 regs 200 + rl!
beef regs 4 + rw!
5a regs 10 + rb!
regs rl@ drop
\ Read-modify-write of 0x1540: clear bits 7:0, set 0x11.
regs 1540 + dup rl@ ffffff00 and 11 or swap rl!
\ The second BAR's window starts at offset 0x1000.
1 fb 8 + rl!
\ Plain stores: c! is exact, l! only for values that read the same in
\ either byte order.
7 regs 20 + c!
0 regs 24 + l!
ffffffff regs 28 + !
11223344 regs 2c + l!
\ Outside the mapped window.
2 fb 100 + rl!
\ A value read back from the device, written elsewhere.
regs 300 + rl@ regs 304 + rl!
\ After map-out the mapping is gone.
regs 1000000 " map-out" $call-parent
3 regs rl!
fcode-end
pci-header-end
