/* The GDB stub's registers: the target description (gdb's own RISC-V
 * features: cpu, fpu, virtual priv, csr) and g/G/p/P by gdb's numbering
 * (x0-x31, pc 32, f0-f31 at 33, CSRs at 65 + number, priv at 4161). The
 * debugger reads and writes CSRs as M-mode would, whatever the hart's
 * privilege, through the CSR file's own rules (cpu/csr.c). Runs on the
 * stub's thread while the VM is paused. */
#include "vmm/gdbstub_int.h"

#include "cpu/csr.h"
#include "cpu/mmu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG_PC     GDB_REG_PC
#define REG_F0     33
#define REG_CSR0   65
#define REG_PRIV   (REG_CSR0 + 4096)
#define CSR_FFLAGS 0x001
#define CSR_FRM    0x002
#define CSR_FCSR   0x003

/* The CSRs offered to gdb, by the names gdb knows them by. */
static const struct {
    const char *name;
    uint16_t num;
} csrs[] = {
    {"cycle", 0xc00},     {"time", 0xc01},       {"instret", 0xc02},    {"sstatus", 0x100},
    {"sie", 0x104},       {"stvec", 0x105},      {"scounteren", 0x106}, {"senvcfg", 0x10a},
    {"sscratch", 0x140},  {"sepc", 0x141},       {"scause", 0x142},     {"stval", 0x143},
    {"sip", 0x144},       {"stimecmp", 0x14d},   {"satp", 0x180},       {"mvendorid", 0xf11},
    {"marchid", 0xf12},   {"mimpid", 0xf13},     {"mhartid", 0xf14},    {"mstatus", 0x300},
    {"misa", 0x301},      {"medeleg", 0x302},    {"mideleg", 0x303},    {"mie", 0x304},
    {"mtvec", 0x305},     {"mcounteren", 0x306}, {"menvcfg", 0x30a},    {"mcountinhibit", 0x320},
    {"mscratch", 0x340},  {"mepc", 0x341},       {"mcause", 0x342},     {"mtval", 0x343},
    {"mip", 0x344},       {"pmpcfg0", 0x3a0},    {"pmpcfg2", 0x3a2},    {"pmpaddr0", 0x3b0},
    {"pmpaddr1", 0x3b1},  {"pmpaddr2", 0x3b2},   {"pmpaddr3", 0x3b3},   {"pmpaddr4", 0x3b4},
    {"pmpaddr5", 0x3b5},  {"pmpaddr6", 0x3b6},   {"pmpaddr7", 0x3b7},   {"pmpaddr8", 0x3b8},
    {"pmpaddr9", 0x3b9},  {"pmpaddr10", 0x3ba},  {"pmpaddr11", 0x3bb},  {"pmpaddr12", 0x3bc},
    {"pmpaddr13", 0x3bd}, {"pmpaddr14", 0x3be},  {"pmpaddr15", 0x3bf},  {"mseccfg", 0x747},
    {"mcycle", 0xb00},    {"minstret", 0xb02},
};

static const char *const xnames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                       "fp",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                       "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                       "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
static const char *const fnames[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                       "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                       "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                       "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

/* gdb's own feature names (gdb/features/riscv/64bit-*.xml), so it maps
 * every register to its internal number by name. */
int gdb_build_xml(struct gdbstub *g)
{
    size_t cap = 16384, n = 0;
    char *x = malloc(cap);
    if (!x) return -ENOMEM;
#define ADD(...) n += (size_t)snprintf(x + n, n < cap ? cap - n : 0, __VA_ARGS__)
    ADD("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
        "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int k = 0; k < 32; k++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n", xnames[k],
            k == 1                         ? "code_ptr"
            : (k >= 2 && k <= 4) || k == 8 ? "data_ptr"
                                           : "int",
            k);
    ADD("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%d\"/>\n</feature>\n", REG_PC);
    ADD("<feature name=\"org.gnu.gdb.riscv.fpu\">\n<union id=\"riscv_double\">"
        "<field name=\"float\" type=\"ieee_single\"/>"
        "<field name=\"double\" type=\"ieee_double\"/></union>\n");
    for (int k = 0; k < 32; k++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%d\"/>\n", fnames[k],
            REG_F0 + k);
    ADD("<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
        "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
        "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n</feature>\n",
        REG_CSR0 + CSR_FFLAGS, REG_CSR0 + CSR_FRM, REG_CSR0 + CSR_FCSR);
    ADD("<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
        "<reg name=\"priv\" bitsize=\"64\" regnum=\"%d\"/>\n</feature>\n"
        "<feature name=\"org.gnu.gdb.riscv.csr\">\n",
        REG_PRIV);
    for (size_t k = 0; k < sizeof(csrs) / sizeof(csrs[0]); k++)
        ADD("<reg name=\"%s\" bitsize=\"64\" regnum=\"%d\" group=\"csr\"/>\n", csrs[k].name,
            REG_CSR0 + csrs[k].num);
    ADD("</feature>\n</target>\n");
#undef ADD
    if (n >= cap) {
        free(x);
        return -ENOSPC;
    }
    g->xml = x;
    g->xml_len = n;
    return 0;
}

static bool is_listed_csr(unsigned num)
{
    for (size_t k = 0; k < sizeof(csrs) / sizeof(csrs[0]); k++)
        if (csrs[k].num == num) return true;
    return false;
}

/* A CSR as M-mode reads it (the debugger is not bound by the hart's
 * privilege); reads have no side effects. */
static int csr_get(struct rv_hart *h, unsigned num, uint64_t *v)
{
    uint8_t priv = h->priv;
    h->priv = PRV_M;
    int rc = csr_access(h, num, CSR_OP_WRITE, 0, false, v);
    h->priv = priv;
    return rc ? -EINVAL : 0;
}

static int csr_set(struct rv_hart *h, unsigned num, uint64_t v)
{
    uint8_t priv = h->priv;
    uint64_t old;
    h->priv = PRV_M;
    int rc = csr_access(h, num, CSR_OP_WRITE, v, true, &old);
    h->priv = priv;
    mmu_update_mode(h); /* an mstatus write chose its TLB sets for M */
    return rc ? -EINVAL : 0;
}

/* Register n of hart h: its value and size in bytes. `time` reads the
 * guest time the pause took hold at: the guest resumes from it (vm_resume
 * sets the clock back), so for the debugger too time stands still. */
static int reg_get(struct gdbstub *g, struct rv_hart *h, unsigned n, uint64_t *v, unsigned *bytes)
{
    if (n == REG_CSR0 + 0xc01 && vm_state(g->vm) == VM_STATE_PAUSED) {
        *bytes = 8;
        *v = __atomic_load_n(&g->vm->paused_ticks, __ATOMIC_ACQUIRE);
        return 0;
    }
    *bytes = 8;
    if (n < 32)
        *v = n ? h->x[n] : 0;
    else if (n == REG_PC)
        *v = h->pc;
    else if (n >= REG_F0 && n < REG_F0 + 32)
        *v = h->f[n - REG_F0];
    else if (n == REG_PRIV)
        *v = h->priv;
    else if (n == REG_CSR0 + CSR_FFLAGS || n == REG_CSR0 + CSR_FRM || n == REG_CSR0 + CSR_FCSR) {
        /* Raw, whatever mstatus.FS says: the debugger looks at the state. */
        *bytes = 4;
        unsigned c = n - REG_CSR0;
        *v = c == CSR_FFLAGS ? h->fflags : c == CSR_FRM ? h->frm : h->fflags | h->frm << 5;
    } else if (n > REG_CSR0 && n < REG_PRIV && is_listed_csr(n - REG_CSR0))
        return csr_get(h, n - REG_CSR0, v);
    else
        return -EINVAL;
    return 0;
}

int gdb_reg_set(struct rv_hart *h, unsigned n, uint64_t v)
{
    if (n < 32) {
        if (n) h->x[n] = v;
    } else if (n == REG_PC) {
        h->pc = v & ~1ULL;
    } else if (n >= REG_F0 && n < REG_F0 + 32) {
        h->f[n - REG_F0] = v;
    } else if (n == REG_PRIV) {
        if (v != PRV_U && v != PRV_S && v != PRV_M) return -EINVAL;
        h->priv = (uint8_t)v;
        mmu_update_mode(h);
    } else if (n == REG_CSR0 + CSR_FFLAGS) {
        h->fflags = (uint32_t)v & 31;
    } else if (n == REG_CSR0 + CSR_FRM) {
        h->frm = (uint32_t)v & 7;
    } else if (n == REG_CSR0 + CSR_FCSR) {
        h->fflags = (uint32_t)v & 31;
        h->frm = (uint32_t)(v >> 5) & 7;
    } else if (n > REG_CSR0 && n < REG_PRIV && is_listed_csr(n - REG_CSR0)) {
        return csr_set(h, n - REG_CSR0, v);
    } else {
        return -EINVAL;
    }
    return 0;
}

static unsigned reg_bytes(unsigned n)
{
    return n >= REG_CSR0 + CSR_FFLAGS && n <= REG_CSR0 + CSR_FCSR ? 4 : 8;
}

static enum gdb_action do_regs(struct gdbstub *g, const char *p, bool write)
{
    struct rv_hart *h = gdb_cur_hart(g);
    if (!write) {
        for (unsigned k = 0; k <= REG_PC; k++)
            gdb_reg_to_hex(k == REG_PC ? h->pc : k ? h->x[k] : 0, 8, g->reply + 16 * k);
        g->reply_len = 16 * (REG_PC + 1);
        return GDB_REPLY;
    }
    p++;
    if (strlen(p) != 16 * (REG_PC + 1)) {
        gdb_reply(g, "E22");
        return GDB_REPLY;
    }
    uint64_t v[REG_PC + 1];
    for (unsigned k = 0; k <= REG_PC; k++)
        if (gdb_hex_to_reg(p + 16 * k, 8, &v[k])) {
            gdb_reply(g, "E22");
            return GDB_REPLY;
        }
    for (unsigned k = 1; k <= REG_PC; k++)
        gdb_reg_set(h, k, v[k]);
    gdb_reply(g, "OK");
    return GDB_REPLY;
}

static enum gdb_action do_reg(struct gdbstub *g, const char *p, bool write)
{
    uint64_t n, v;
    unsigned bytes;
    p++;
    if (gdb_parse_hex(&p, &n) || n > REG_PRIV || (write && *p++ != '=') || (!write && *p)) {
        gdb_reply(g, "E22");
        return GDB_REPLY;
    }
    struct rv_hart *h = gdb_cur_hart(g);
    if (!write) {
        if (reg_get(g, h, (unsigned)n, &v, &bytes)) {
            gdb_reply(g, "E14");
            return GDB_REPLY;
        }
        gdb_reg_to_hex(v, bytes, g->reply);
        g->reply_len = 2 * bytes;
        return GDB_REPLY;
    }
    bytes = reg_bytes((unsigned)n);
    if (strlen(p) != 2 * bytes || gdb_hex_to_reg(p, bytes, &v) || gdb_reg_set(h, (unsigned)n, v))
        gdb_reply(g, "E22");
    else
        gdb_reply(g, "OK");
    return GDB_REPLY;
}

enum gdb_action gdb_regs_packet(struct gdbstub *g, const char *pkt)
{
    switch (pkt[0]) {
    case 'g': return do_regs(g, pkt, false);
    case 'G': return do_regs(g, pkt, true);
    case 'p': return do_reg(g, pkt, false);
    default: return do_reg(g, pkt, true);
    }
}
