# cpu: rv64,v=on,vlen=128
# The vector loops of tests/diff/vloop.inc at VLEN 128.
#include "vloop.inc"
