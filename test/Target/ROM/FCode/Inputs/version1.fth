\ An obsolete version1 program: 8-bit branch offsets until offset16.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version1
headers
: map-bar0 ( -- va ) 0 0 my-space 02000010 or 1000 " map-in" $call-parent ;
map-bar0 constant regs
1 if 11 else 12 then regs rl!
0 if 21 else 22 then regs 4 + rl!
offset16
1 if 31 else 32 then regs 8 + rl!
0 if 41 else 42 then regs c + rl!
fcode-end
pci-header-end
