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
/* The vector extension (unpriv spec chapter "V", RVV 1.0): ELEN 64, VLEN
 * from the model's vlen (--cpu rv64,v=on,vlen=N); off by default, as in
 * QEMU 7.2's rv64. */
CPU_EXT(v, 'V', 0, CPU_X(d))
/* Privileged modes: misa bits, not part of the ISA string. */
CPU_EXT(s, 'S', CPU_DEFAULT_ON | CPU_FIXED | CPU_MISA_ONLY, CPU_X(u))
CPU_EXT(u, 'U', CPU_DEFAULT_ON | CPU_FIXED | CPU_MISA_ONLY, 0)
/* The hypervisor extension (priv spec 1.12 chapter 8): on by default, as
 * in QEMU's rv64; h=off gives a hart without it. */
CPU_EXT(h, 'H', CPU_DEFAULT_ON, CPU_X(s))
CPU_EXT(zicsr, 0, CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(zifencei, 0, CPU_DEFAULT_ON | CPU_FIXED, 0)
CPU_EXT(zicntr, 0, CPU_DEFAULT_ON | CPU_FIXED, CPU_X(zicsr))
/* Unprivileged extensions of RVA22/RVA23 (unpriv spec chapters named).
 * Default on: what QEMU 7.2's rv64 has (zihintpause, zba, zbb, zbc, zbs). */
CPU_EXT(zicbom, 0, 0, CPU_X(zicsr))        /* CMO 1.0.1: cbo.clean/flush/inval */
CPU_EXT(zicbop, 0, 0, 0)                   /* CMO: prefetch.i/r/w, hints (ori x0) */
CPU_EXT(zicboz, 0, 0, CPU_X(zicsr))        /* CMO: cbo.zero, 64-byte blocks */
CPU_EXT(zicond, 0, 0, 0)                   /* ch. 12: czero.eqz, czero.nez */
CPU_EXT(zihintntl, 0, 0, 0)                /* ch. 9: ntl.* hints (add x0, ...) */
CPU_EXT(zihintpause, 0, CPU_DEFAULT_ON, 0) /* ch. 8: pause, a fence hint */
CPU_EXT(zimop, 0, 0, 0)                    /* ch. 10: mop.r.n, mop.rr.n write 0 */
CPU_EXT(zawrs, 0, 0, CPU_X(a))             /* ch. 14: wrs.nto, wrs.sto */
CPU_EXT(zfa, 0, 0, CPU_X(f))               /* ch. 22: fli, fminm, fround, fleq, ... */
CPU_EXT(zfh, 0, 0, CPU_X(f))               /* ch. 20: half-precision arithmetic */
CPU_EXT(zfhmin, 0, 0, CPU_X(f))            /* ch. 20: half-precision moves, conversions */
CPU_EXT(zcb, 0, 0, CPU_X(c))               /* 29.13: more 16-bit forms */
CPU_EXT(zcmop, 0, 0, CPU_X(c))             /* 29.14: c.mop.n */
CPU_EXT(zba, 0, CPU_DEFAULT_ON, 0)         /* 28.4.1: address generation */
CPU_EXT(zbb, 0, CPU_DEFAULT_ON, 0)         /* 28.4.2: basic bit manipulation */
CPU_EXT(zbc, 0, CPU_DEFAULT_ON, 0)         /* 28.4.3: carry-less multiply */
CPU_EXT(zbkb, 0, 0, 0)                     /* 28.4.5: bit manipulation for crypto */
CPU_EXT(zbs, 0, CPU_DEFAULT_ON, 0)         /* 28.4.4: single-bit operations */
CPU_EXT(zkt, 0, 0, 0)                      /* data-independent timing of the listed instructions */
CPU_EXT(zvbb, 0, 0, CPU_X(v))    /* vector crypto spec: vector basic bit manipulation (with Zvkb) */
CPU_EXT(zvfhmin, 0, 0, CPU_X(v)) /* V spec, Zvfhmin: vfwcvt.f.f.v/vfncvt.f.f.w with binary16 */
CPU_EXT(zvkt, 0, 0, CPU_X(v))    /* vector crypto spec: data-independent timing */
/* State enables (priv spec chapter "Smstateen"): Ssstateen is the S/H
 * view (sstateen, hstateen), Smstateen adds mstateen. */
CPU_EXT(smstateen, 0, 0, CPU_X(ssstateen))
/* Count overflow and mode-based filtering (Sscofpmf 1.0): mhpmevent's
 * OF/xINH bits, scountovf and the LCOFI interrupt. On by default: it costs
 * nothing until a counter is armed, and gives guests perf sampling. */
CPU_EXT(sscofpmf, 0, CPU_DEFAULT_ON, CPU_X(s))
CPU_EXT(ssstateen, 0, 0, CPU_X(s))
CPU_EXT(sstc, 0, CPU_DEFAULT_ON | CPU_FIXED, CPU_X(s))
/* Address translation (priv spec chapters "Svnapot", "Svpbmt", "Svinval"
 * and the Svadu extension): off by default, as in QEMU 7.2's rv64. */
CPU_EXT(svadu, 0, 0, CPU_X(s))   /* hardware A/D updates switched by envcfg.ADUE */
CPU_EXT(svinval, 0, 0, CPU_X(s)) /* sinval.vma, sfence.w.inval, sfence.inval.ir */
CPU_EXT(svnapot, 0, 0, CPU_X(s)) /* 64 KiB NAPOT leaves (PTE bit N) */
CPU_EXT(svpbmt, 0, 0, CPU_X(s))  /* PTE memory types, envcfg.PBMTE */
