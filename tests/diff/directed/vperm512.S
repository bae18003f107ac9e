# cpu: rv64,v=on,vlen=512
# Vector permutation instructions at VLEN 512 (tests/diff/vperm.inc).
#include "vperm.inc"
