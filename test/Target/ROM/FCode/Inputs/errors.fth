\ Small programs for the error tests; toke -d NAME selects one variant.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
fcode-version2
headers
[ifdef] UNDERFLOW
1 + drop drop
[then]
[ifdef] FOREVER
begin again
[then]
[ifdef] DEEP
: one 1 drop ;
: two one ;
: three two ;
three
[then]
[ifdef] STRING
" abc" 2drop
[then]
[ifdef] DELAYS
1 ms 2 ms 3 ms
[then]
[ifdef] BODY
: one 1 drop ;
0 if 2 drop then
[then]
[ifdef] DIVIDE
1 0 /
[then]
12345678 drop
fcode-end
pci-header-end
