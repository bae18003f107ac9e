# cpu: rv64,v=on,vlen=512
# Vector mask instructions at VLEN 512 (tests/diff/vmask.inc).
#include "vmask.inc"
