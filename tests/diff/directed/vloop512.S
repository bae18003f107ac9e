# cpu: rv64,v=on,vlen=512
# The vector loops of tests/diff/vloop.inc at VLEN 512.
#include "vloop.inc"
