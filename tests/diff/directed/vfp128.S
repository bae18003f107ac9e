# cpu: rv64,v=on,vlen=128
# Vector floating point at VLEN 128 (tests/diff/vfp.inc).
#include "vfp.inc"
