/* Control and status registers (priv spec 1.12 chapter 2 and 3/4 for each
 * register). The CSR file is one table (csr.c), as QEMU keeps it: a row per
 * CSR, or per numbered run (pmpaddr0..63), with its number, name, access
 * predicate and read/write functions. The privilege and read-only rules
 * encoded in the number (priv spec 2.1) are applied to every row first;
 * the predicate adds the CSR's own conditions (mstatus.FS, counter
 * enables, TVM, Sstc) and is where "illegal" versus "virtual instruction"
 * is decided. */
#ifndef RVMM_CPU_CSR_H
#define RVMM_CPU_CSR_H

#include "cpu/hart.h"

/* The numbers of the CSRs rvmm implements (priv spec 1.12 tables 2.2-2.6). */
enum {
    CSR_FFLAGS = 0x001,
    CSR_FRM = 0x002,
    CSR_FCSR = 0x003,
    /* V (unpriv spec V chapter 3) */
    CSR_VSTART = 0x008,
    CSR_VXSAT = 0x009,
    CSR_VXRM = 0x00a,
    CSR_VCSR = 0x00f,
    CSR_VL = 0xc20,
    CSR_VTYPE = 0xc21,
    CSR_VLENB = 0xc22,
    CSR_SSTATUS = 0x100,
    CSR_SIE = 0x104,
    CSR_STVEC = 0x105,
    CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a,
    CSR_SSTATEEN0 = 0x10c,
    CSR_SSCRATCH = 0x140,
    CSR_SEPC = 0x141,
    CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143,
    CSR_SIP = 0x144,
    CSR_STIMECMP = 0x14d,
    CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300,
    CSR_MISA = 0x301,
    CSR_MEDELEG = 0x302,
    CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304,
    CSR_MTVEC = 0x305,
    CSR_MCOUNTEREN = 0x306,
    CSR_MENVCFG = 0x30a,
    CSR_MSTATEEN0 = 0x30c,
    CSR_MCOUNTINHIBIT = 0x320,
    CSR_MHPMEVENT3 = 0x323, /* ..mhpmevent31 = 0x33f */
    CSR_MSCRATCH = 0x340,
    CSR_MEPC = 0x341,
    CSR_MCAUSE = 0x342,
    CSR_MTVAL = 0x343,
    CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0,  /* ..pmpcfg15 = 0x3af, the odd ones absent on RV64 */
    CSR_PMPADDR0 = 0x3b0, /* ..pmpaddr63 = 0x3ef */
    CSR_MSECCFG = 0x747,
    CSR_TSELECT = 0x7a0,
    CSR_TDATA1 = 0x7a1,
    CSR_TDATA2 = 0x7a2,
    CSR_TDATA3 = 0x7a3,
    CSR_MCYCLE = 0xb00,
    CSR_MINSTRET = 0xb02,
    CSR_MHPMCOUNTER3 = 0xb03, /* ..mhpmcounter31 = 0xb1f */
    CSR_CYCLE = 0xc00,
    CSR_TIME = 0xc01,
    CSR_INSTRET = 0xc02,
    CSR_HPMCOUNTER3 = 0xc03, /* ..hpmcounter31 = 0xc1f */
    CSR_SCOUNTOVF = 0xda0,   /* Sscofpmf */
    CSR_MVENDORID = 0xf11,
    CSR_MARCHID = 0xf12,
    CSR_MIMPID = 0xf13,
    CSR_MHARTID = 0xf14,
    CSR_MCONFIGPTR = 0xf15,
    /* Hypervisor extension (priv spec 1.12 tables 2.3 and 2.5) */
    CSR_VSSTATUS = 0x200,
    CSR_VSIE = 0x204,
    CSR_VSTVEC = 0x205,
    CSR_VSSCRATCH = 0x240,
    CSR_VSEPC = 0x241,
    CSR_VSCAUSE = 0x242,
    CSR_VSTVAL = 0x243,
    CSR_VSIP = 0x244,
    CSR_VSTIMECMP = 0x24d,
    CSR_VSATP = 0x280,
    CSR_MTINST = 0x34a,
    CSR_MTVAL2 = 0x34b,
    CSR_HSTATUS = 0x600,
    CSR_HEDELEG = 0x602,
    CSR_HIDELEG = 0x603,
    CSR_HIE = 0x604,
    CSR_HTIMEDELTA = 0x605,
    CSR_HCOUNTEREN = 0x606,
    CSR_HGEIE = 0x607,
    CSR_HENVCFG = 0x60a,
    CSR_HSTATEEN0 = 0x60c,
    CSR_HTVAL = 0x643,
    CSR_HIP = 0x644,
    CSR_HVIP = 0x645,
    CSR_HTINST = 0x64a,
    CSR_HGATP = 0x680,
    CSR_HGEIP = 0xe12,
};

/* hstatus fields (priv spec 1.12, 8.2.1). */
#define HSTATUS_GVA  (1ULL << 6)
#define HSTATUS_SPV  (1ULL << 7)
#define HSTATUS_SPVP (1ULL << 8)
#define HSTATUS_HU   (1ULL << 9)
#define HSTATUS_VTVM (1ULL << 20)
#define HSTATUS_VTW  (1ULL << 21)
#define HSTATUS_VTSR (1ULL << 22)

enum csr_op { CSR_OP_WRITE, CSR_OP_SET, CSR_OP_CLEAR };

/* What an access may raise instead of completing. */
enum { CSR_ILLEGAL = -1, CSR_VIRTUAL = -2 };

/* Performs a Zicsr access: reads the old value, then (if do_write) writes
 * old op operand. Returns 0, CSR_ILLEGAL for an illegal-instruction
 * exception or CSR_VIRTUAL for a virtual-instruction one. Every CSR
 * instruction ends its block, so side effects on translation and
 * interrupts are seen before the next instruction. */
int csr_access(struct rv_hart *h, unsigned csr, enum csr_op op, uint64_t operand, bool do_write,
               uint64_t *old);

/* The name of CSR number csr ("pmpaddr5"), or NULL if rvmm has no such
 * CSR. buf holds at least 16 bytes. */
const char *csr_name(unsigned csr, char *buf, size_t len);

/* Stores v in CSR csr as an M-mode write at V=0 would (the row's WARL
 * write: read-only bits get their fixed values, unwritable ones zero); a
 * CSR the model lacks is left zero. For state that did not come through
 * an instruction (a restored snapshot). Returns 0, or -EINVAL for a number
 * rvmm has no CSR for. */
int csr_legalize(struct rv_hart *h, unsigned csr, uint64_t v);

/* mstatus as read by software (SD, UXL, SXL filled in). */
uint64_t csr_read_mstatus(const struct rv_hart *h);

#endif
