# cpu: rv64,v=on,vlen=512
# Vector integer arithmetic at VLEN 512 (tests/diff/vint.h).
#include "vint.h"
