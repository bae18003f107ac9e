/* The one list of ISA extensions a CPU model can name, in the canonical
 * order of the ISA string (unpriv spec, "ISA Extension Naming Conventions":
 * single letters in IMAFDQLCBKJTPVH order, then Z extensions, then S
 * extensions). The enum, the --cpu parser, misa, the device tree's
 * riscv,isa and riscv,isa-extensions, the decoder's acceptance and the
 * snapshot all come from these rows: an extension is added here, once.
 * Columns: name (as --cpu and the ISA string spell it), misa letter (0 for
 * none), flags (CPU_DEFAULT_ON, CPU_FIXED: --cpu cannot change it,
 * CPU_MISA_ONLY: a misa bit that the ISA string leaves out), and the
 * extensions it needs (CPU_X(name) | ...). Data only. */
CPU_EXT(i, 'I', CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(m, 'M', CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(a, 'A', CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(f, 'F', CPU_DEFAULT_ON, CPU_X(zicsr))
CPU_EXT(d, 'D', CPU_DEFAULT_ON, CPU_X(f))
CPU_EXT(c, 'C', CPU_DEFAULT_ON | CPU_FIXED, 0)
/* Privileged modes: misa bits, not part of the ISA string. */
CPU_EXT(s, 'S', CPU_DEFAULT_ON | CPU_FIXED | CPU_MISA_ONLY, CPU_X(u))
CPU_EXT(u, 'U', CPU_DEFAULT_ON | CPU_FIXED | CPU_MISA_ONLY, 0)
/* The hypervisor extension (priv spec 1.12 chapter 8): off by default
 * until all of it (VS interrupts through vstimecmp, the JIT's guest fast
 * path, SBI for a guest hypervisor) is there. */
CPU_EXT(h, 'H', 0, CPU_X(s))
CPU_EXT(zicsr, 0, CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(zifencei, 0, CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(zicntr, 0, CPU_DEFAULT_ON | CPU_FIXED, CPU_X(zicsr))
CPU_EXT(sstc, 0, CPU_DEFAULT_ON | CPU_FIXED, CPU_X(s))
