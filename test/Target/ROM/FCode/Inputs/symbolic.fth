\ Values the importer cannot know: opaque ops, then a branch on a flag read
\ from the device stops the evaluation.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers

: map-bar0 ( -- va ) 0 0 my-space 02000010 or 10000 " map-in" $call-parent ;
map-bar0 constant regs
" NVDA,Display" device-name
" display" device-type
0 encode-int " vendor-id" property
\ A delay computed from a register value.
regs 10 + rl@ 3 and ms
\ A write through an address read from the device.
5 regs 14 + rl@ rl!
\ A delay after the opaque ones: evaluation goes on.
1 ms
\ Stop: the flag comes from the device.
regs 20 + rl@ 1 and if 1 regs 24 + rl! then
2 regs 28 + rl!
fcode-end
pci-header-end
