\ Tokens with a known stack effect but an effect the importer cannot
\ express: each becomes an opaque op and the evaluation goes on.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers
: map-bar0 ( -- va ) 0 0 my-space 02000010 or 1000 " map-in" $call-parent ;
map-bar0 constant regs
\ 64-bit register accesses.
5 regs 10 + rx!
regs 18 + rx@ drop
\ A probing store returns a flag.
6 regs 20 + lpoke drop
\ map-low maps config space.
0 0 100 map-low drop
\ Memory copies into a mapping.
100 alloc-mem regs 40 + 10 move
\ I/O BAR (ss=01) and expansion ROM (register 0x30) mappings.
0 0 my-space 01000014 or 100 " map-in" $call-parent 7 swap rb!
0 0 my-space 02000030 or 10000 " map-in" $call-parent rl@ drop
\ A non-relocatable (n=1) address.
0 0 my-space 82000010 or 100 " map-in" $call-parent drop
\ Firmware memory: no ops.
100 alloc-mem dup 55 swap c! 100 free-mem
\ A store through an address read from the device may hit the variable.
variable v
3 v !
4 regs 30 + rl@ !
v @ regs 34 + rl!
\ A byte stored into the variable's cell: the host's byte order decides.
5 v !
1 v c!
v @ regs 38 + rl!
\ +! and a plain store keep it known.
6 v !
2 v +!
v @ regs 3c + rl!
8 regs rl!
fcode-end
pci-header-end
