/* The GDB stub's packet handlers (gdb manual, "Packets", "General Query
 * Packets", "Target Description Format"): registers by gdb's RISC-V
 * numbering (x0-x31, pc, f0-f31, CSRs at 65 + number, priv at 4161),
 * memory at virtual addresses as the selected hart translates them (no TLB
 * fill, no A/D update, RAM only: MMIO is never touched), breakpoints and
 * watchpoints into the CPU's debug table, threads (one per hart), vCont,
 * qXfer target.xml and monitor commands (physical memory). Runs on the
 * stub's thread while the VM is paused; run control is gdbstub.c's. */
#include "vmm/gdbstub_int.h"

#include "cpu/csr.h"
#include "cpu/mmu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG_PC     32
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

static void reply(struct gdbstub *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->reply, sizeof(g->reply), fmt, ap);
    va_end(ap);
    g->reply_len = n < 0 ? 0 : (size_t)n >= sizeof(g->reply) ? sizeof(g->reply) - 1 : (size_t)n;
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

static int reg_set(struct rv_hart *h, unsigned n, uint64_t v)
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

/* Guest RAM at a virtual address of hart h, up to the end of its page:
 * NULL when unmapped or not RAM. */
static uint8_t *mem_at(struct rv_hart *h, uint64_t va, uint64_t len, gpa_t *pa)
{
    if (mmu_translate_debug(h, va, pa)) return NULL;
    return ram_dma(h->ram, *pa, len);
}

/* Copies between gdb and guest memory, a page at a time; returns the bytes
 * done (stops at the first page that is not mapped RAM). */
static size_t mem_copy(struct rv_hart *h, uint64_t va, uint8_t *buf, size_t len, bool write)
{
    size_t done = 0;
    while (done < len) {
        uint64_t a = va + done;
        size_t chunk = 4096 - (a & 0xfff);
        if (chunk > len - done) chunk = len - done;
        gpa_t pa;
        uint8_t *p = mem_at(h, a, chunk, &pa);
        if (!p) break;
        if (write) {
            memcpy(p, buf + done, chunk);
            ram_note_write(h->ram, pa, chunk); /* translated code of the page goes */
        } else {
            memcpy(buf + done, p, chunk);
        }
        done += chunk;
    }
    return done;
}

static struct rv_hart *cur(struct gdbstub *g)
{
    unsigned k = g->g_hart >= 0 && (unsigned)g->g_hart < gdb_nharts(g) ? (unsigned)g->g_hart : 0;
    return gdb_hart(g, k);
}

void gdb_stop_reply(struct gdbstub *g, unsigned hart, int signal)
{
    const struct rv_hart *h = gdb_hart(g, hart);
    if (h->debug_stop == HART_STOP_WATCH) {
        const char *kind = h->debug_watch_kind == HART_WATCH_READ     ? "rwatch"
                           : h->debug_watch_kind == HART_WATCH_ACCESS ? "awatch"
                                                                      : "watch";
        reply(g, "T05%s:%" PRIx64 ";thread:%x;", kind, h->debug_watch_addr, hart + 1);
    } else {
        reply(g, "T%02xthread:%x;", h->debug_stop ? 5 : signal, hart + 1);
    }
}

/* A thread id: hex, "-1" (all) or "0" (any); "pPID." prefix skipped.
 * Returns the hart index, -1 for all/any, or -2 if invalid. */
static int parse_thread(struct gdbstub *g, const char **p)
{
    const char *s = *p;
    if (*s == 'p') {
        s = strchr(s, '.');
        if (!s) return -2;
        s++;
    }
    if (s[0] == '-' && s[1] == '1') {
        *p = s + 2;
        return -1;
    }
    uint64_t t;
    if (gdb_parse_hex(&s, &t)) return -2;
    *p = s;
    if (t == 0) return -1;
    return t <= gdb_nharts(g) ? (int)(t - 1) : -2;
}

/* vCont;ACTION[:THREAD]...: all-stop, so every hart resumes; the first
 * step action names the hart that steps. */
static enum gdb_action do_vcont(struct gdbstub *g, const char *p)
{
    int step = -2;
    while (*p == ';') {
        char a = *++p;
        if (a != 'c' && a != 'C' && a != 's' && a != 'S') goto bad;
        p++;
        if (a == 'C' || a == 'S') {
            uint64_t sig;
            if (gdb_parse_hex(&p, &sig)) goto bad;
        }
        int t = -1;
        if (*p == ':') {
            p++;
            t = parse_thread(g, &p);
            if (t == -2) goto bad;
        }
        if ((a == 's' || a == 'S') && step == -2)
            step = t < 0 ? (g->c_hart >= 0 ? g->c_hart : 0) : t;
    }
    if (*p) goto bad;
    g->step_hart = step >= 0 ? step : -1;
    return GDB_RESUME;
bad:
    reply(g, "E22");
    return GDB_REPLY;
}

static enum gdb_action do_breakpoint(struct gdbstub *g, const char *p, bool insert)
{
    uint64_t type, addr, kind;
    p++;
    if (gdb_parse_hex(&p, &type) || *p++ != ',' || gdb_parse_hex(&p, &addr) || *p++ != ',' ||
        gdb_parse_hex(&p, &kind) || type > 4) {
        reply(g, "E22");
        return GDB_REPLY;
    }
    int rc;
    if (type <= 1) { /* software and hardware breakpoints are one thing here */
        if (addr & 1) {
            reply(g, "E22");
            return GDB_REPLY;
        }
        rc = insert ? hart_debug_add_bp(&g->dbg, addr) : hart_debug_del_bp(&g->dbg, addr);
    } else {
        static const unsigned kinds[5] = {0, 0, HART_WATCH_WRITE, HART_WATCH_READ,
                                          HART_WATCH_ACCESS};
        rc = insert ? hart_debug_add_wp(&g->dbg, addr, kind, kinds[type])
                    : hart_debug_del_wp(&g->dbg, addr, kind, kinds[type]);
    }
    if (rc == -ENOENT) rc = 0; /* removing what is gone is fine for gdb */
    reply(g, rc ? "E%02x" : "OK", -rc & 0xff);
    return GDB_REPLY;
}

/* monitor xp /[N][b|h|w|g][x] ADDR: physical memory, as QEMU's monitor. */
static void monitor_xp(struct gdbstub *g, const char *args)
{
    unsigned count = 1, size = 4;
    const char *p = args;
    while (*p == ' ')
        p++;
    if (*p == '/') {
        p++;
        char *end;
        unsigned long c = strtoul(p, &end, 10);
        if (end != p) count = c ? (unsigned)c : 1;
        for (p = end; *p && *p != ' '; p++) {
            if (*p == 'b')
                size = 1;
            else if (*p == 'h')
                size = 2;
            else if (*p == 'w')
                size = 4;
            else if (*p == 'g')
                size = 8;
            else if (*p != 'x')
                goto usage;
        }
    }
    while (*p == ' ')
        p++;
    char *end;
    uint64_t pa = strtoull(p, &end, 0);
    if (end == p || count > 512) goto usage;
    char line[256];
    size_t n = 0;
    const struct rv_hart *h = cur(g);
    for (unsigned k = 0; k < count; k++) {
        uint64_t a = pa + (uint64_t)k * size;
        const uint8_t *m = ram_dma(h->ram, a, size);
        if (!m) {
            n += (size_t)snprintf(line + n, sizeof(line) - n, "\nCannot access memory\n");
            gdb_send_output(g, line);
            return;
        }
        uint64_t v = 0;
        memcpy(&v, m, size);
        if (k % (16 / size) == 0)
            n += (size_t)snprintf(line + n, sizeof(line) - n, "%016" PRIx64 ":", a);
        n += (size_t)snprintf(line + n, sizeof(line) - n, " 0x%0*" PRIx64, (int)size * 2, v);
        if (k % (16 / size) == 16 / size - 1 || k == count - 1) {
            snprintf(line + n, sizeof(line) - n, "\n");
            gdb_send_output(g, line);
            n = 0;
        }
    }
    return;
usage:
    gdb_send_output(g, "usage: xp /[COUNT][b|h|w|g] PHYSADDR\n");
}

static void do_monitor(struct gdbstub *g, const char *hex)
{
    char cmd[512];
    size_t n = strlen(hex) / 2;
    if (n >= sizeof(cmd) || gdb_hex_to_bytes(hex, n, (uint8_t *)cmd)) {
        reply(g, "E22");
        return;
    }
    cmd[n] = '\0';
    if (!strncmp(cmd, "xp", 2) && (cmd[2] == ' ' || cmd[2] == '/')) {
        monitor_xp(g, cmd + 2);
    } else if (!strcmp(cmd, "help")) {
        gdb_send_output(g, "xp /[COUNT][b|h|w|g] PHYSADDR  -- physical memory (RAM)\n"
                           "help                            -- this text\n");
    } else {
        gdb_send_output(g, "unknown command; try 'monitor help'\n");
    }
    reply(g, "OK");
}

static void do_xfer(struct gdbstub *g, const char *p)
{
    uint64_t off, len;
    if (gdb_parse_hex(&p, &off) || *p++ != ',' || gdb_parse_hex(&p, &len) || *p) {
        reply(g, "E22");
        return;
    }
    if (off > g->xml_len) {
        reply(g, "E22");
        return;
    }
    size_t left = g->xml_len - off;
    size_t n = len < left ? (size_t)len : left;
    if (n > GDB_PACKET_MAX - 1) n = GDB_PACKET_MAX - 1;
    g->reply[0] = n < left ? 'm' : 'l';
    memcpy(g->reply + 1, g->xml + off, n);
    g->reply_len = n + 1;
}

static enum gdb_action do_query(struct gdbstub *g, const char *p)
{
    if (!strncmp(p, "qSupported", 10)) {
        reply(g, "PacketSize=%x;qXfer:features:read+;vContSupported+;QStartNoAckMode+",
              GDB_PACKET_MAX);
    } else if (!strncmp(p, "qXfer:features:read:target.xml:", 31)) {
        do_xfer(g, p + 31);
    } else if (!strncmp(p, "qXfer:features:read:", 20)) {
        reply(g, "E00");
    } else if (!strcmp(p, "qfThreadInfo")) {
        size_t n = 0;
        g->reply[n++] = 'm';
        for (unsigned k = 0; k < gdb_nharts(g); k++)
            n += (size_t)snprintf(g->reply + n, sizeof(g->reply) - n, "%s%x", k ? "," : "", k + 1);
        g->reply_len = n;
    } else if (!strcmp(p, "qsThreadInfo")) {
        reply(g, "l");
    } else if (!strcmp(p, "qC")) {
        reply(g, "QC%x", (unsigned)(g->g_hart >= 0 ? g->g_hart : 0) + 1);
    } else if (!strcmp(p, "qAttached")) {
        reply(g, "1");
    } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
        const char *t = p + 17;
        int k = parse_thread(g, &t);
        if (k == -2 || *t) {
            reply(g, "E22");
            return GDB_REPLY;
        }
        char text[32];
        snprintf(text, sizeof(text), "hart %d", k < 0 ? 0 : k);
        g->reply_len = 2 * strlen(text);
        gdb_bytes_to_hex((const uint8_t *)text, strlen(text), g->reply);
    } else if (!strncmp(p, "qRcmd,", 6)) {
        do_monitor(g, p + 6);
    } else if (!strcmp(p, "QStartNoAckMode")) {
        reply(g, "OK");
        g->noack = true; /* after this reply, which gdb still acknowledges */
    }
    return GDB_REPLY; /* anything else: the empty reply */
}

static enum gdb_action do_mem(struct gdbstub *g, const char *p, bool write)
{
    uint64_t addr, len;
    p++;
    if (gdb_parse_hex(&p, &addr) || *p++ != ',' || gdb_parse_hex(&p, &len) ||
        (write ? *p++ != ':' : *p != '\0')) {
        reply(g, "E22");
        return GDB_REPLY;
    }
    uint8_t buf[GDB_PACKET_MAX / 2];
    if (len > sizeof(buf) - 1) {
        if (write) {
            reply(g, "E22");
            return GDB_REPLY;
        }
        len = sizeof(buf) - 1; /* gdb asks again for the rest */
    }
    if (write) {
        if (strlen(p) != 2 * len || gdb_hex_to_bytes(p, len, buf)) {
            reply(g, "E22");
            return GDB_REPLY;
        }
        reply(g, mem_copy(cur(g), addr, buf, len, true) == len ? "OK" : "E14");
        return GDB_REPLY;
    }
    size_t n = mem_copy(cur(g), addr, buf, len, false);
    if (!n && len) {
        reply(g, "E14");
        return GDB_REPLY;
    }
    gdb_bytes_to_hex(buf, n, g->reply);
    g->reply_len = 2 * n;
    return GDB_REPLY;
}

static enum gdb_action do_regs(struct gdbstub *g, const char *p, bool write)
{
    struct rv_hart *h = cur(g);
    if (!write) {
        for (unsigned k = 0; k <= REG_PC; k++)
            gdb_reg_to_hex(k == REG_PC ? h->pc : k ? h->x[k] : 0, 8, g->reply + 16 * k);
        g->reply_len = 16 * (REG_PC + 1);
        return GDB_REPLY;
    }
    p++;
    if (strlen(p) != 16 * (REG_PC + 1)) {
        reply(g, "E22");
        return GDB_REPLY;
    }
    uint64_t v[REG_PC + 1];
    for (unsigned k = 0; k <= REG_PC; k++)
        if (gdb_hex_to_reg(p + 16 * k, 8, &v[k])) {
            reply(g, "E22");
            return GDB_REPLY;
        }
    for (unsigned k = 1; k <= REG_PC; k++)
        reg_set(h, k, v[k]);
    reply(g, "OK");
    return GDB_REPLY;
}

static enum gdb_action do_reg(struct gdbstub *g, const char *p, bool write)
{
    uint64_t n, v;
    unsigned bytes;
    p++;
    if (gdb_parse_hex(&p, &n) || n > REG_PRIV || (write && *p++ != '=') || (!write && *p)) {
        reply(g, "E22");
        return GDB_REPLY;
    }
    struct rv_hart *h = cur(g);
    if (!write) {
        if (reg_get(g, h, (unsigned)n, &v, &bytes)) {
            reply(g, "E14");
            return GDB_REPLY;
        }
        gdb_reg_to_hex(v, bytes, g->reply);
        g->reply_len = 2 * bytes;
        return GDB_REPLY;
    }
    bytes = reg_bytes((unsigned)n);
    if (strlen(p) != 2 * bytes || gdb_hex_to_reg(p, bytes, &v) || reg_set(h, (unsigned)n, v))
        reply(g, "E22");
    else
        reply(g, "OK");
    return GDB_REPLY;
}

enum gdb_action gdb_handle_packet(struct gdbstub *g, const char *pkt, size_t len)
{
    if (strlen(pkt) != len) { /* a NUL inside: nothing we parse takes one */
        reply(g, "E22");
        return GDB_REPLY;
    }
    switch (pkt[0]) {
    case '?': gdb_stop_reply(g, (unsigned)(g->g_hart >= 0 ? g->g_hart : 0), 5); break;
    case 'g': return do_regs(g, pkt, false);
    case 'G': return do_regs(g, pkt, true);
    case 'p': return do_reg(g, pkt, false);
    case 'P': return do_reg(g, pkt, true);
    case 'm': return do_mem(g, pkt, false);
    case 'M': return do_mem(g, pkt, true);
    case 'c':
    case 's':
        if (pkt[1]) { /* c ADDR / s ADDR: resume at ADDR */
            const char *p = pkt + 1;
            uint64_t a;
            if (gdb_parse_hex(&p, &a) || *p) {
                reply(g, "E22");
                break;
            }
            reg_set(gdb_hart(g, (unsigned)(g->c_hart >= 0 ? g->c_hart : 0)), REG_PC, a);
        }
        g->step_hart = pkt[0] == 's' ? (g->c_hart >= 0 ? g->c_hart : 0) : -1;
        return GDB_RESUME;
    case 'H': {
        const char *p = pkt + 2;
        int t = parse_thread(g, &p);
        if ((pkt[1] != 'g' && pkt[1] != 'c') || t == -2 || *p) {
            reply(g, "E22");
            break;
        }
        if (pkt[1] == 'g')
            g->g_hart = t < 0 ? 0 : t;
        else
            g->c_hart = t;
        reply(g, "OK");
        break;
    }
    case 'T': {
        const char *p = pkt + 1;
        int t = parse_thread(g, &p);
        reply(g, t >= 0 && !*p ? "OK" : "E22");
        break;
    }
    case 'Z':
    case 'z': return do_breakpoint(g, pkt, pkt[0] == 'Z');
    case 'D': reply(g, "OK"); return GDB_DETACH;
    case 'k': return GDB_KILL;
    case 'q':
    case 'Q': return do_query(g, pkt);
    case 'v':
        if (!strcmp(pkt, "vCont?"))
            reply(g, "vCont;c;C;s;S");
        else if (!strncmp(pkt, "vCont;", 6))
            return do_vcont(g, pkt + 5);
        /* vMustReplyEmpty and the rest: the empty reply */
        break;
    default: break; /* unsupported: the empty reply */
    }
    return GDB_REPLY;
}
