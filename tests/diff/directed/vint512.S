# cpu: rv64,v=on,vlen=512
# Vector integer arithmetic at VLEN 512 (tests/diff/vint.inc).
# lockstep: no (the jit layer runs the VLEN 128 program; the JIT defers V to the interpreter)
#include "vint.inc"
