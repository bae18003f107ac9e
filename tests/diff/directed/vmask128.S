# cpu: rv64,v=on,vlen=128
# Vector mask instructions at VLEN 128 (tests/diff/vmask.inc).
#include "vmask.inc"
