# cpu: rv64,v=on,vlen=128
# Vector integer arithmetic at VLEN 128 (tests/diff/vint.inc).
#include "vint.inc"
