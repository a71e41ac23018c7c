\ PCI config-space accesses through the parent's config-* methods.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers

: cfg-b! ( byte reg -- ) my-space + " config-b!" $call-parent ;
: cfg-w! ( word reg -- ) my-space + " config-w!" $call-parent ;
: cfg-l! ( quad reg -- ) my-space + " config-l!" $call-parent ;
: cfg-w@ ( reg -- word ) my-space + " config-w@" $call-parent ;
: cfg-l@ ( reg -- quad ) my-space + " config-l@" $call-parent ;

\ One write of each width.
40 3c cfg-b!
6 4 cfg-w!
fe000000 10 cfg-l!
\ my-space or-ed with the register, without a colon definition.
12345678 my-space 14 or " config-l!" $call-parent
\ A read whose value is dropped.
0 cfg-l@ drop
\ A read-modify-write: set bits 1 and 2 of the command register.
4 cfg-w@ 6 or 4 cfg-w!
\ Clear bit 0 of 0x44, then set bit 4.
44 cfg-l@ fffffffe and 10 or 44 cfg-l!
\ A read whose value is written elsewhere: not a read-modify-write.
8 cfg-l@ 48 cfg-l!
\ Misaligned and out-of-range config addresses are not this device's.
1 5 cfg-w!
2 0 " config-b!" $call-parent
fcode-end
pci-header-end
