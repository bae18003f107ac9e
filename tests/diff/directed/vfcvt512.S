# cpu: rv64,v=on,vlen=512
# Vector floating-point conversions at VLEN 512 (tests/diff/vfcvt.inc).
#include "vfcvt.inc"
