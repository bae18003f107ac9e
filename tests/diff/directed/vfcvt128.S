# cpu: rv64,v=on,vlen=128
# Vector floating-point conversions at VLEN 128 (tests/diff/vfcvt.inc).
#include "vfcvt.inc"
