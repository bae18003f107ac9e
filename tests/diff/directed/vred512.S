# cpu: rv64,v=on,vlen=512
# Vector integer reductions at VLEN 512 (tests/diff/vred.inc).
#include "vred.inc"
