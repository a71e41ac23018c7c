\ An image that is not the last one of its ROM: one delay.
hex
tokenizer[ 10de 0fc6 030000 ]tokenizer pci-header
not-last-image
fcode-version2
1 ms
fcode-end
pci-header-end
