/* The GDB stub's packet handlers (gdb manual, "Packets", "General Query
 * Packets") but the registers' (gdbstub_regs.c): memory at virtual addresses as the selected hart
 * translates them (no TLB fill, no A/D update, RAM only: MMIO is never touched), breakpoints and
 * watchpoints into the CPU's debug table, threads (one per hart), vCont,
 * qXfer target.xml and monitor commands (physical memory). Runs on the
 * stub's thread while the VM is paused; run control is gdbstub.c's. */
#include "vmm/gdbstub_int.h"

#include "cpu/mmu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gdb_reply(struct gdbstub *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->reply, sizeof(g->reply), fmt, ap);
    va_end(ap);
    g->reply_len = n < 0 ? 0 : (size_t)n >= sizeof(g->reply) ? sizeof(g->reply) - 1 : (size_t)n;
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

struct rv_hart *gdb_cur_hart(struct gdbstub *g)
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
        gdb_reply(g, "T05%s:%" PRIx64 ";thread:%x;", kind, h->debug_watch_addr, hart + 1);
    } else {
        gdb_reply(g, "T%02xthread:%x;", h->debug_stop ? 5 : signal, hart + 1);
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
    gdb_reply(g, "E22");
    return GDB_REPLY;
}

static enum gdb_action do_breakpoint(struct gdbstub *g, const char *p, bool insert)
{
    uint64_t type, addr, kind;
    p++;
    if (gdb_parse_hex(&p, &type) || *p++ != ',' || gdb_parse_hex(&p, &addr) || *p++ != ',' ||
        gdb_parse_hex(&p, &kind) || type > 4) {
        gdb_reply(g, "E22");
        return GDB_REPLY;
    }
    int rc;
    if (type <= 1) { /* software and hardware breakpoints are one thing here */
        if (addr & 1) {
            gdb_reply(g, "E22");
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
    gdb_reply(g, rc ? "E%02x" : "OK", -rc & 0xff);
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
    const struct rv_hart *h = gdb_cur_hart(g);
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
        gdb_reply(g, "E22");
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
    gdb_reply(g, "OK");
}

static void do_xfer(struct gdbstub *g, const char *p)
{
    uint64_t off, len;
    if (gdb_parse_hex(&p, &off) || *p++ != ',' || gdb_parse_hex(&p, &len) || *p) {
        gdb_reply(g, "E22");
        return;
    }
    if (off > g->xml_len) {
        gdb_reply(g, "E22");
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
        gdb_reply(g, "PacketSize=%x;qXfer:features:read+;vContSupported+;QStartNoAckMode+",
                  GDB_PACKET_MAX);
    } else if (!strncmp(p, "qXfer:features:read:target.xml:", 31)) {
        do_xfer(g, p + 31);
    } else if (!strncmp(p, "qXfer:features:read:", 20)) {
        gdb_reply(g, "E00");
    } else if (!strcmp(p, "qfThreadInfo")) {
        size_t n = 0;
        g->reply[n++] = 'm';
        for (unsigned k = 0; k < gdb_nharts(g); k++)
            n += (size_t)snprintf(g->reply + n, sizeof(g->reply) - n, "%s%x", k ? "," : "", k + 1);
        g->reply_len = n;
    } else if (!strcmp(p, "qsThreadInfo")) {
        gdb_reply(g, "l");
    } else if (!strcmp(p, "qC")) {
        gdb_reply(g, "QC%x", (unsigned)(g->g_hart >= 0 ? g->g_hart : 0) + 1);
    } else if (!strcmp(p, "qAttached")) {
        gdb_reply(g, "1");
    } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
        const char *t = p + 17;
        int k = parse_thread(g, &t);
        if (k == -2 || *t) {
            gdb_reply(g, "E22");
            return GDB_REPLY;
        }
        char text[32];
        snprintf(text, sizeof(text), "hart %d", k < 0 ? 0 : k);
        g->reply_len = 2 * strlen(text);
        gdb_bytes_to_hex((const uint8_t *)text, strlen(text), g->reply);
    } else if (!strncmp(p, "qRcmd,", 6)) {
        do_monitor(g, p + 6);
    } else if (!strcmp(p, "QStartNoAckMode")) {
        gdb_reply(g, "OK");
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
        gdb_reply(g, "E22");
        return GDB_REPLY;
    }
    uint8_t buf[GDB_PACKET_MAX / 2];
    if (len > sizeof(buf) - 1) {
        if (write) {
            gdb_reply(g, "E22");
            return GDB_REPLY;
        }
        len = sizeof(buf) - 1; /* gdb asks again for the rest */
    }
    if (write) {
        if (strlen(p) != 2 * len || gdb_hex_to_bytes(p, len, buf)) {
            gdb_reply(g, "E22");
            return GDB_REPLY;
        }
        gdb_reply(g, mem_copy(gdb_cur_hart(g), addr, buf, len, true) == len ? "OK" : "E14");
        return GDB_REPLY;
    }
    size_t n = mem_copy(gdb_cur_hart(g), addr, buf, len, false);
    if (!n && len) {
        gdb_reply(g, "E14");
        return GDB_REPLY;
    }
    gdb_bytes_to_hex(buf, n, g->reply);
    g->reply_len = 2 * n;
    return GDB_REPLY;
}

enum gdb_action gdb_handle_packet(struct gdbstub *g, const char *pkt, size_t len)
{
    if (strlen(pkt) != len) { /* a NUL inside: nothing we parse takes one */
        gdb_reply(g, "E22");
        return GDB_REPLY;
    }
    switch (pkt[0]) {
    case '?': gdb_stop_reply(g, (unsigned)(g->g_hart >= 0 ? g->g_hart : 0), 5); break;
    case 'g': return gdb_regs_packet(g, pkt);
    case 'G': return gdb_regs_packet(g, pkt);
    case 'p': return gdb_regs_packet(g, pkt);
    case 'P': return gdb_regs_packet(g, pkt);
    case 'm': return do_mem(g, pkt, false);
    case 'M': return do_mem(g, pkt, true);
    case 'c':
    case 's':
        if (pkt[1]) { /* c ADDR / s ADDR: resume at ADDR */
            const char *p = pkt + 1;
            uint64_t a;
            if (gdb_parse_hex(&p, &a) || *p) {
                gdb_reply(g, "E22");
                break;
            }
            gdb_reg_set(gdb_hart(g, (unsigned)(g->c_hart >= 0 ? g->c_hart : 0)), GDB_REG_PC, a);
        }
        g->step_hart = pkt[0] == 's' ? (g->c_hart >= 0 ? g->c_hart : 0) : -1;
        return GDB_RESUME;
    case 'H': {
        const char *p = pkt + 2;
        int t = parse_thread(g, &p);
        if ((pkt[1] != 'g' && pkt[1] != 'c') || t == -2 || *p) {
            gdb_reply(g, "E22");
            break;
        }
        if (pkt[1] == 'g')
            g->g_hart = t < 0 ? 0 : t;
        else
            g->c_hart = t;
        gdb_reply(g, "OK");
        break;
    }
    case 'T': {
        const char *p = pkt + 1;
        int t = parse_thread(g, &p);
        gdb_reply(g, t >= 0 && !*p ? "OK" : "E22");
        break;
    }
    case 'Z':
    case 'z': return do_breakpoint(g, pkt, pkt[0] == 'Z');
    case 'D': gdb_reply(g, "OK"); return GDB_DETACH;
    case 'k': return GDB_KILL;
    case 'q':
    case 'Q': return do_query(g, pkt);
    case 'v':
        if (!strcmp(pkt, "vCont?"))
            gdb_reply(g, "vCont;c;C;s;S");
        else if (!strncmp(pkt, "vCont;", 6))
            return do_vcont(g, pkt + 5);
        /* vMustReplyEmpty and the rest: the empty reply */
        break;
    default: break; /* unsupported: the empty reply */
    }
    return GDB_REPLY;
}
