\ Stack and arithmetic words on known numbers; every result goes to the
\ register 4*n of BAR 0.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers
: map-bar0 ( -- va ) 0 0 my-space 02000010 or 1000 " map-in" $call-parent ;
map-bar0 constant regs
: r! ( value n -- ) 4 * regs + rl! ;

1 2 3 rot 0 r! 1 r! 2 r!
1 2 3 -rot 3 r! 4 r! 5 r!
1 2 tuck 6 r! 7 r! 8 r!
1 2 3 4 2swap 9 r! a r! b r! c r!
1 2 3 4 2over d r! e r! 2drop 2drop
10 20 30 40 2 pick f r! 3 roll 10 r! 2drop drop
-7 2 / 11 r!
7 2 /mod 12 r! 13 r!
-8 2 /mod 14 r! 15 r!
-1 3 u/mod 16 r! 17 r!
1 1f lshift 18 r!
-10 2 rshift 19 r!
-10 2 >>a 1a r!
-5 abs 1b r!
3 -4 min 1c r!
3 -4 max 1d r!
12345678 lbsplit 1e r! 1f r! 20 r! 21 r!
11 22 33 44 bljoin 22 r!
12345678 lbflip 23 r!
12345678 lwsplit 24 r! 25 r!
1234 wbflip 26 r!
5 1 9 between 27 r!
5 1 5 within 28 r!
-1 0 u< 29 r!
-1 0 < 2a r!
10 3 la+ 2b r!
6 2 * 3 - negate invert 2c r!
0 ?dup 2d r!
1 ?dup 2e r! 2f r!
1 20 lshift 30 r!
\ The edges of between (inclusive) and within (half-open).
9 1 9 between 31 r!
1 1 5 within 32 r!
\ A +loop counting down runs down to the limit itself: 3 2 1 0.
0 3 do i 33 r! -1 +loop
\ A +loop counting up stops before it: 0 2 4.
5 0 do i 34 r! 2 +loop
fcode-end
pci-header-end
