\ Each variant (toke -d NAME) ends with something the importer cannot
\ evaluate; the write after it must not appear.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers
: map-bar0 ( -- va ) 0 0 my-space 02000010 or 1000 " map-in" $call-parent ;
map-bar0 constant regs
1 regs rl!
[ifdef] UNMODELLED
" vendor-id" get-my-property
[then]
[ifdef] METHOD
0 " dma-frob" $call-parent
[then]
[ifdef] CALLMETHOD
" close" my-parent $call-method
[then]
[ifdef] EXECUTE
regs 4 + rl@ execute
[then]
[ifdef] DEFER
defer hook
hook
[then]
[ifdef] LOOP
regs 8 + rl@ 0 do i drop loop
[then]
[ifdef] RFROM
: caller-address r> drop ;
caller-address
[then]
[ifdef] CASE
regs c + rl@ case 1 of 11 endof 22 swap endcase drop
[then]
[ifdef] NAME
regs 10 + rl@ 1 $call-parent
[then]
2 regs rl!
fcode-end
pci-header-end
