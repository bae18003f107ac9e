# cpu: rv64,v=on,vlen=128
# Vector fixed-point arithmetic at VLEN 128 (tests/diff/vfix.inc).
#include "vfix.inc"
