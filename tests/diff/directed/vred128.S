# cpu: rv64,v=on,vlen=128
# Vector integer reductions at VLEN 128 (tests/diff/vred.inc).
#include "vred.inc"
