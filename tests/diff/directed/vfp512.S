# cpu: rv64,v=on,vlen=512
# Vector floating point at VLEN 512 (tests/diff/vfp.inc).
#include "vfp.inc"
