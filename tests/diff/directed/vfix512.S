# cpu: rv64,v=on,vlen=512
# Vector fixed-point arithmetic at VLEN 512 (tests/diff/vfix.inc).
#include "vfix.inc"
