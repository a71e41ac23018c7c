\ Constants, values, variables, colon definitions and control flow whose
\ outcome the importer knows.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers

: map-bar0 ( -- va ) 0 0 my-space 02000010 or 10000 " map-in" $call-parent ;
map-bar0 constant regs
100 constant base-reg
3 value mode
variable scratch
: reg! ( value offset -- ) regs + rl! ;
: pair! ( value offset -- ) 2dup reg! swap 1 + swap 4 + reg! ;
: nested ( -- ) 11 base-reg pair! ;

\ Nested colon definitions: two writes.
nested
\ A branch on a constant, both outcomes.
mode 3 = if 21 else 22 then 200 reg!
mode 4 = if 31 else 32 then 204 reg!
\ b(to) changes the value.
5 to mode
mode 208 reg!
\ A variable holds what was stored.
7 scratch !
scratch @ 2 * 20c reg!
1 scratch +!
scratch @ 210 reg!
\ A counted loop: three writes.
3 0 do i 300 i 4 * + reg! loop
\ ?do with equal bounds runs zero times.
0 0 ?do 99 400 reg! loop
\ case/of on a constant.
mode case 4 of 41 endof 5 of 51 endof 61 swap endcase 500 reg!
\ A deferred word set with to, executed.
defer hook
: the-hook ( -- ) 77 600 reg! ;
['] the-hook to hook
hook
\ execute of an execution token.
['] nested execute
\ Delays in milliseconds.
a ms
mode ms
fcode-end
pci-header-end
