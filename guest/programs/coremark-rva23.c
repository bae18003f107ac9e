/* coremark-rva23: coremark.c built for the RVA23 profile as far as Debian's
 * gcc 12 generates code for it, for bench/cpu.sh's rva23 row beside the
 * rv64gc build (/usr/bin/coremark): the same work and checksum, with Zba
 * (sh1add..), Zbb (andn, rev8, clz/ctz/cpop, min/max, sext, rol/ror) and Zbs
 * (bset/bclr/binv/bext) where the compiler finds a use. gcc 12 has no
 * Zicond (its assembler does not know czero.*) and does not vectorise for V,
 * so those are left out: -march=rv64gcv gives the same code. The march line
 * below is read by guest/build-initramfs.sh (rvmm-cflags).
 * rvmm-cflags: -march=rv64gc_zba_zbb_zbs */
#include "coremark.c"
