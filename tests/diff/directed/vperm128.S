# cpu: rv64,v=on,vlen=128
# Vector permutation instructions at VLEN 128 (tests/diff/vperm.inc).
#include "vperm.inc"
