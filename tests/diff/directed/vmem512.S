# cpu: rv64,v=on,vlen=512
# Vector loads and stores at VLEN 512 (tests/diff/vmem.inc).
# lockstep: no (the jit layer runs the VLEN 128 program; the JIT defers V to the interpreter)
#include "vmem.inc"
