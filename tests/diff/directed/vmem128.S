# cpu: rv64,v=on,vlen=128
# Vector loads and stores at VLEN 128 (tests/diff/vmem.inc).
#include "vmem.inc"
