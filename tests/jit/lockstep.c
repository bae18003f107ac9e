/* Lockstep test: runs one bare-metal ELF on two independent boards (one hart
 * each, one per engine, normally interp and jit) and compares their
 * architectural state whenever both have retired the same number of
 * instructions, plus the RAM the program occupies. The first divergence
 * prints both states with the differing fields marked and fails.
 *
 * Stepping: each hart_run() call uses budget 0, which runs exactly one block
 * (a block that traps still ends the call, with the pc at the handler), so a
 * count can be visited by several states (before a trap and after it). What
 * is compared at a count is the last state there, just before the next
 * instruction retires; that state does not depend on where an engine cut
 * its blocks. The side that is behind always steps; a side leaving a count
 * the other side also visited compares its last state there with the
 * other's. --coarse N lets the second side run N instructions per call, so
 * the JIT's chained native jumps between blocks run too; states are then
 * compared only where both sides have taken the same number of traps.
 *
 * --self-check runs the first program with one register (then one RAM byte)
 * of the second board perturbed and passes only if a divergence is reported,
 * so a harness that cannot fail is caught.
 *
 * Owns nothing of the product: it drives the board and harts through their
 * public headers only. Usage: lockstep [options] ELF... (see usage()). */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/board.h"
#include "machine/loader.h"

#define LK_RAM_SIZE    (16ULL << 20) /* small: the final compare reads all of it */
#define LK_MAX_INSNS   20000000ULL   /* per program: a runaway guest fails */
#define LK_STUCK_STEPS 100000        /* steps without retiring anything */
#define LK_TRAIL       8             /* block pcs remembered per side */
#define LK_UART_MAX    65536
#define LK_STACK_SLACK (64 * 1024) /* stack and page tables beyond the image */

/* ---- which engine a board runs ----------------------------------------- */
/* The one place that knows the engine seam. Until hart.h has it, both sides
 * run the interpreter (the harness still checks itself). */
enum lk_engine { LK_INTERP, LK_JIT };

static const char *engine_name(enum lk_engine e)
{
    return e == LK_JIT ? "jit" : "interp";
}

static int engine_select(struct rv_hart *h, enum lk_engine e)
{
#ifdef HAVE_HART_ENGINE
    return hart_set_engine(h, e == LK_JIT ? HART_ENGINE_JIT : HART_ENGINE_INTERP, NULL);
#else
    (void)h;
    return e == LK_JIT ? -ENOSYS : 0;
#endif
}

/* ---- architectural state --------------------------------------------- */
struct lk_field {
    const char *name;
    size_t off;
    unsigned size;
};

#define F64(n)                                                                                     \
    {                                                                                              \
#n, offsetof(struct rv_hart, n), 8                                                         \
    }
#define FSZ(n)                                                                                     \
    {                                                                                              \
#n, offsetof(struct rv_hart, n), sizeof(((struct rv_hart *)0)->n)                          \
    }
#define FARR(n, k)                                                                                 \
    {                                                                                              \
#n "[" #k "]", offsetof(struct rv_hart, n[k]), 8                                           \
    }
#define FX(k)           FARR(x, k)
#define FF(k)           FARR(f, k)
#define FP(k)           FARR(pmpaddr, k)
#define FX4(a, b, c, d) FX(a), FX(b), FX(c), FX(d)
#define FF4(a, b, c, d) FF(a), FF(b), FF(c), FF(d)

/* Everything an engine could get wrong that software can observe; engine
 * caches (TLB, blocks, stats) are left out on purpose. */
static const struct lk_field fields[] = {
    F64(pc),
    F64(instret),
    FSZ(priv),
    FX(1),
    FX(2),
    FX(3),
    FX4(4, 5, 6, 7),
    FX4(8, 9, 10, 11),
    FX4(12, 13, 14, 15),
    FX4(16, 17, 18, 19),
    FX4(20, 21, 22, 23),
    FX4(24, 25, 26, 27),
    FX4(28, 29, 30, 31),
    FF4(0, 1, 2, 3),
    FF4(4, 5, 6, 7),
    FF4(8, 9, 10, 11),
    FF4(12, 13, 14, 15),
    FF4(16, 17, 18, 19),
    FF4(20, 21, 22, 23),
    FF4(24, 25, 26, 27),
    FF4(28, 29, 30, 31),
    FSZ(fflags),
    FSZ(frm),
    F64(mstatus),
    F64(misa),
    F64(medeleg),
    F64(mideleg),
    F64(mie),
    F64(mip),
    F64(mtvec),
    F64(mscratch),
    F64(mepc),
    F64(mcause),
    F64(mtval),
    F64(mcounteren),
    F64(mcountinhibit),
    F64(menvcfg),
    F64(mseccfg),
    FARR(pmpcfg, 0),
    FARR(pmpcfg, 1),
    FP(0),
    FP(1),
    FP(2),
    FP(3),
    FP(4),
    FP(5),
    FP(6),
    FP(7),
    FP(8),
    FP(9),
    FP(10),
    FP(11),
    FP(12),
    FP(13),
    FP(14),
    FP(15),
    F64(pmu.ctr[0]),
    F64(pmu.ctr[2]),
    F64(stvec),
    F64(sscratch),
    F64(sepc),
    F64(scause),
    F64(stval),
    F64(satp),
    F64(scounteren),
    F64(senvcfg),
    F64(stimecmp),
    FSZ(virt), /* H extension: the V bit and the HS/VS CSRs (zero without H) */
    F64(hstatus),
    F64(hedeleg),
    F64(hideleg),
    F64(hcounteren),
    F64(htval),
    F64(htinst),
    F64(hgatp),
    F64(htimedelta),
    F64(henvcfg),
    F64(vsstatus),
    F64(vstvec),
    F64(vsscratch),
    F64(vsepc),
    F64(vscause),
    F64(vstval),
    F64(vsatp),
    F64(vstimecmp),
    F64(mtval2),
    F64(mtinst),
    FSZ(resv_valid),
    FSZ(wfi),
    /* V: the CSRs, and the register file as one digest (size 0) */
    F64(vec.vl),
    F64(vec.vtype),
    F64(vec.vstart),
    FSZ(vec.vxrm),
    FSZ(vec.vxsat),
    {"vregs digest", offsetof(struct rv_hart, vec.reg), 0},
    F64(resv_addr), /* last: only meaningful while resv_valid (state_take) */
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

struct lk_state {
    uint64_t v[NFIELDS];
    /* Traps taken so far: not compared, but two states are only at the
     * same point when they agree on it (see check_pair). */
    uint64_t traps;
};

static void state_take(struct lk_state *s, const struct rv_hart *h)
{
    s->traps = h->traps;
    const uint8_t *base = (const uint8_t *)h;
    for (size_t k = 0; k < NFIELDS; k++) {
        uint64_t v = 0;
        memcpy(&v, base + fields[k].off, fields[k].size); /* little-endian host */
        if (!fields[k].size) /* the vector registers: FNV-1a of their bytes */
            for (size_t b = 0, n = 32u * h->vec.vlenb; b < n; b++)
                v = (v ^ h->vec.reg[b]) * 0x100000001b3ULL;
        s->v[k] = v;
    }
    if (!h->resv_valid) s->v[NFIELDS - 1] = 0;
}

/* ---- one side of the comparison ----------------------------------------- */
struct lk_side {
    enum lk_engine engine;
    struct board *board;
    struct rv_hart *h;
    struct lk_state cur;  /* state now */
    struct lk_state last; /* last state at a count this side has left */
    uint64_t last_count;  /* that count, or UINT64_MAX */
    uint64_t budget;      /* per hart_run() call: 0 is one block */
    bool done;            /* the guest wrote the test finisher */
    uint64_t stuck;       /* consecutive steps that retired nothing */
    uint64_t trail[LK_TRAIL];
    unsigned ntrail;
    char uart[LK_UART_MAX];
    size_t nuart;
};

static void side_tx(void *opaque, uint8_t byte)
{
    struct lk_side *s = opaque;
    if (s->nuart < sizeof(s->uart) - 1) s->uart[s->nuart++] = (char)byte;
}

static int side_create(struct lk_side *s, enum lk_engine e, const char *elf, struct vclock *clock,
                       const struct cpu_model *cpu)
{
    char err[256];
    struct board_config cfg = {.ram_size = LK_RAM_SIZE, .nharts = 1, .kernel = elf, .cpu = *cpu};
    struct board_io io = {.console_tx = side_tx, .opaque = s};
    memset(s, 0, sizeof(*s));
    s->engine = e;
    s->last_count = UINT64_MAX;
    if (board_create(&s->board, &cfg, &io, clock, err, sizeof(err))) {
        fprintf(stderr, "lockstep: %s\n", err);
        return -1;
    }
    s->h = &s->board->harts[0];
    if (engine_select(s->h, e)) {
        fprintf(stderr, "lockstep: engine %s is not built in\n", engine_name(e));
        return -1;
    }
    state_take(&s->cur, s->h);
    return 0;
}

static void side_destroy(struct lk_side *s)
{
    board_destroy(s->board);
    s->board = NULL;
}

static uint64_t count_of(const struct lk_state *s)
{
    return s->v[1]; /* fields[1] is instret */
}

/* Runs one block. Returns true when the side left its count. */
static bool side_step(struct lk_side *s)
{
    struct lk_state before = s->cur;
    s->trail[s->ntrail++ % LK_TRAIL] = s->h->pc;
    hart_run(s->h, s->budget); /* every exit is a block boundary here */
    if (__atomic_load_n(&s->board->request, __ATOMIC_ACQUIRE)) s->done = true;
    /* A bare-metal program has no VMM to serve WFI: it continues as a nop. */
    state_take(&s->cur, s->h);
    if (count_of(&s->cur) == count_of(&before)) {
        s->stuck++;
        return false;
    }
    s->stuck = 0;
    s->last = before;
    s->last_count = count_of(&before);
    return true;
}

/* ---- reporting ----------------------------------------------------------- */
static void print_states(const struct lk_side *a, const struct lk_state *sa,
                         const struct lk_side *b, const struct lk_state *sb)
{
    printf("  %-14s %-18s %-18s\n", "field", engine_name(a->engine), engine_name(b->engine));
    for (size_t k = 0; k < NFIELDS; k++)
        printf("%c %-14s %016" PRIx64 "   %016" PRIx64 "\n", sa->v[k] != sb->v[k] ? '*' : ' ',
               fields[k].name, sa->v[k], sb->v[k]);
    for (const struct lk_side *s = a; s; s = s == a ? b : NULL) {
        printf("  %s: last blocks:", engine_name(s->engine));
        unsigned n = s->ntrail < LK_TRAIL ? s->ntrail : LK_TRAIL;
        for (unsigned k = s->ntrail - n; k < s->ntrail; k++)
            printf(" %" PRIx64, s->trail[k % LK_TRAIL]);
        printf("\n");
    }
}

static bool states_differ(const struct lk_state *a, const struct lk_state *b)
{
    return memcmp(a->v, b->v, sizeof(a->v)) != 0;
}

/* First differing offset of RAM [base, base+len), or -1. */
static int64_t ram_differs(const struct lk_side *a, const struct lk_side *b, uint64_t len)
{
    const uint8_t *pa = a->board->ram.host, *pb = b->board->ram.host;
    if (!memcmp(pa, pb, len)) return -1;
    for (uint64_t k = 0; k < len; k++)
        if (pa[k] != pb[k]) return (int64_t)k;
    return -1;
}

static void print_ram_diff(const struct lk_side *a, const struct lk_side *b, int64_t off)
{
    gpa_t pa = a->board->ram.base + (uint64_t)off;
    printf("  RAM differs at %#" PRIx64 ": %s %02x, %s %02x\n", pa, engine_name(a->engine),
           a->board->ram.host[off], engine_name(b->engine), b->board->ram.host[off]);
}

/* ---- one program --------------------------------------------------------- */
struct lk_opts {
    enum lk_engine engines[2];
    uint64_t coarse; /* budget of the second side's calls (0: block by block) */
    uint64_t max_insns;
    int perturb; /* 0 none, 1 a register, 2 a RAM byte: the self-check */
    bool verbose;
    struct cpu_model cpu; /* --cpu: both boards' model (ext 0: the default) */
};

/* RAM the program image occupies plus room for its stack and page tables:
 * compared at every common boundary (all of RAM below the device tree is
 * compared at the end). */
static uint64_t image_window(struct lk_side *s, const char *elf)
{
    char err[256];
    struct loaded_image img;
    /* Loading again writes the same bytes to the same place before anything
     * ran: only the extent is wanted. */
    if (loader_load(&s->board->ram, elf, s->board->ram.base, &img, err, sizeof(err))) return 0;
    uint64_t len = ((img.end - s->board->ram.base + 4095) & ~4095ULL) + LK_STACK_SLACK;
    return len < s->board->ram.size ? len : s->board->ram.size;
}

/* Compares the last states two sides had at one count. Returns 0, 1 when
 * they are not at the same point (not compared), or -1 after printing the
 * divergence. */
static int check_pair(const char *name, struct lk_side *a, const struct lk_state *sa,
                      struct lk_side *b, const struct lk_state *sb)
{
    /* A side that ran several blocks in one call (a coarse budget) can be
     * seen at a count before a trap the other side is seen after: not the
     * same point, so nothing to compare. A real extra or missing trap
     * shows up at the next common count or at the end. */
    if (sa->traps != sb->traps) return 1;
    if (!states_differ(sa, sb)) return 0;
    printf("lockstep %s: divergence after %" PRIu64 " instructions at pc %" PRIx64
           " (%s) / %" PRIx64 " (%s)\n",
           name, count_of(sa), sa->v[0], engine_name(a->engine), sb->v[0], engine_name(b->engine));
    print_states(a, sa, b, sb);
    return -1;
}

/* The image RAM of two sides at the same instruction count (RAM depends on
 * the count only: trap entry writes none). 0, or -1 after printing. */
static int check_ram(const char *name, struct lk_side *a, struct lk_side *b, uint64_t window)
{
    int64_t off = ram_differs(a, b, window);
    if (off < 0) return 0;
    printf("lockstep %s: RAM divergence after %" PRIu64 " instructions, pc %" PRIx64
           " (%s) / %" PRIx64 " (%s)\n",
           name, count_of(&a->cur), a->h->pc, engine_name(a->engine), b->h->pc,
           engine_name(b->engine));
    print_ram_diff(a, b, off);
    print_states(a, &a->cur, b, &b->cur);
    return -1;
}

/* Perturbs side b once both sides first reach the same count past 16. */
static void maybe_perturb(struct lk_side *b, int *perturb, uint64_t count, uint64_t window)
{
    if (!*perturb || count < 16) return;
    if (*perturb == 1) {
        b->h->x[5] ^= 1ULL << 17;
    } else {
        b->board->ram.host[window / 2] ^= 0x40;
    }
    state_take(&b->cur, b->h);
    *perturb = 0;
}

static int final_check(const char *name, struct lk_side *a, struct lk_side *b, uint64_t window)
{
    int rc = 0;
    if (a->board->request != b->board->request ||
        a->board->request_code != b->board->request_code) {
        printf("lockstep %s: finisher: %s request %d code %d, %s request %d code %d\n", name,
               engine_name(a->engine), a->board->request, a->board->request_code,
               engine_name(b->engine), b->board->request, b->board->request_code);
        rc = -1;
    }
    if (a->nuart != b->nuart || memcmp(a->uart, b->uart, a->nuart)) {
        printf("lockstep %s: console output differs (%zu vs %zu bytes)\n", name, a->nuart,
               b->nuart);
        rc = -1;
    }
    if (a->cur.traps != b->cur.traps) {
        printf("lockstep %s: %s took %" PRIu64 " traps, %s %" PRIu64 "\n", name,
               engine_name(a->engine), a->cur.traps, engine_name(b->engine), b->cur.traps);
        rc = -1;
    }
    if (count_of(&a->cur) == count_of(&b->cur) && check_pair(name, a, &a->cur, b, &b->cur) < 0)
        rc = -1;
    /* Everything below the device tree (whose RNG seed differs by design). */
    uint64_t below_fdt = a->board->fdt_addr - 4096 - a->board->ram.base;
    int64_t off = ram_differs(a, b, below_fdt);
    if (off >= 0) {
        printf("lockstep %s: final RAM differs\n", name);
        print_ram_diff(a, b, off);
        rc = -1;
    }
    return rc;
}

/* 0 when the two engines agree all the way, -1 on a divergence or error. */
static int run_program(const char *elf, const struct lk_opts *o)
{
    const char *name = strrchr(elf, '/') ? strrchr(elf, '/') + 1 : elf;
    struct vclock clock = {0};
    struct lk_side *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    int rc = -1, perturb = o->perturb;
    uint64_t steps = 0, compares = 0;
    if (!a || !b) goto out;
    if (side_create(a, o->engines[0], elf, &clock, &o->cpu) ||
        side_create(b, o->engines[1], elf, &clock, &o->cpu))
        goto out;
    b->budget = o->coarse;
    uint64_t window = image_window(a, elf);
    if (!window) goto out;
    for (;;) {
        uint64_t ca = count_of(&a->cur), cb = count_of(&b->cur);
        if (a->done && b->done) break;
        if (ca == cb) maybe_perturb(b, &perturb, ca, window);
        /* The side behind steps; on a tie the first one, unless it is done. */
        struct lk_side *s = (a->done || (!b->done && cb < ca)) ? b : a;
        struct lk_side *other = s == a ? b : a;
        bool left = side_step(s);
        steps++;
        int r = 1;
        if (left && other->last_count == s->last_count)
            r = check_pair(name, a, &a->last, b, &b->last);
        else if (left && other->done && count_of(&other->cur) == s->last_count)
            r = check_pair(name, s, &s->last, other, &other->cur);
        if (r < 0) goto out;
        compares += r == 0;
        if (count_of(&a->cur) == count_of(&b->cur) && check_ram(name, a, b, window)) goto out;
        if (s->stuck > LK_STUCK_STEPS) {
            printf("lockstep %s: %s makes no progress at pc %" PRIx64 "\n", name,
                   engine_name(s->engine), s->h->pc);
            goto out;
        }
        if (count_of(&s->cur) > o->max_insns) {
            printf("lockstep %s: %s ran over %" PRIu64 " instructions without finishing\n", name,
                   engine_name(s->engine), o->max_insns);
            goto out;
        }
    }
    if (final_check(name, a, b, window)) goto out;
    if (!compares) {
        printf("lockstep %s: no common boundary was compared\n", name);
        goto out;
    }
    if (o->verbose)
        printf("lockstep %s: %" PRIu64 " instructions, %" PRIu64 " steps, %" PRIu64
               " states compared; %s side: %" PRIu64 " blocks translated to host code, %" PRIu64
               " entries from the run loop\n",
               name, count_of(&a->cur), steps, compares, engine_name(b->engine),
               b->h->stats.jit_blocks, b->h->stats.jit_lookups);
    rc = 0;
out:
    if (a && a->board) side_destroy(a);
    if (b && b->board) side_destroy(b);
    free(a);
    free(b);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: lockstep [--engines A,B] [--cpu MODEL] [--coarse N] [--max-insns N] "
               "[--self-check] [-v] "
               "ELF...\n"
               "  engines: interp or jit (default interp,jit when the JIT is built in)\n"
               "  --coarse N: B runs N instructions per call (chained blocks), A block by block\n"
               "  --cpu MODEL: both boards' CPU model, as rvmm --cpu (default rv64)\n"
               "  prints PASS/FAIL jit/lockstep/NAME per program; exit 1 on any failure\n");
}

static int parse_engine(const char *s, size_t n, enum lk_engine *e)
{
    if (n == 6 && !strncmp(s, "interp", 6))
        *e = LK_INTERP;
    else if (n == 3 && !strncmp(s, "jit", 3))
        *e = LK_JIT;
    else
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
#ifdef HAVE_HART_ENGINE
    struct lk_opts o = {{LK_INTERP, LK_JIT}, 0, LK_MAX_INSNS, 0, false, {0}};
#else
    struct lk_opts o = {{LK_INTERP, LK_INTERP}, 0, LK_MAX_INSNS, 0, false, {0}};
#endif
    bool self_check = false;
    int k = 1;
    for (; k < argc && argv[k][0] == '-'; k++) {
        if (!strcmp(argv[k], "--engines") && k + 1 < argc) {
            const char *v = argv[++k], *comma = strchr(v, ',');
            if (!comma || parse_engine(v, (size_t)(comma - v), &o.engines[0]) ||
                parse_engine(comma + 1, strlen(comma + 1), &o.engines[1])) {
                fprintf(stderr, "lockstep: --engines %s: want A,B with A and B interp or jit\n", v);
                return 2;
            }
        } else if (!strcmp(argv[k], "--max-insns") && k + 1 < argc) {
            o.max_insns = strtoull(argv[++k], NULL, 0);
        } else if (!strcmp(argv[k], "--coarse") && k + 1 < argc) {
            o.coarse = strtoull(argv[++k], NULL, 0);
        } else if (!strcmp(argv[k], "--cpu") && k + 1 < argc) {
            char err[512];
            if (cpu_model_parse(&o.cpu, argv[++k], err, sizeof(err))) {
                fprintf(stderr, "lockstep: %s\n", err);
                return 2;
            }
        } else if (!strcmp(argv[k], "--self-check")) {
            self_check = true;
        } else if (!strcmp(argv[k], "-v")) {
            o.verbose = true;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (k == argc) {
        usage(stderr);
        return 2;
    }
    printf("lockstep: %s vs %s\n", engine_name(o.engines[0]), engine_name(o.engines[1]));
    if (self_check) {
        /* Both kinds of perturbation must be reported, and the unperturbed
         * run must pass, or the harness proves nothing. */
        int fails = 0;
        for (int p = 0; p <= 2; p++) {
            o.perturb = p;
            int r = run_program(argv[k], &o);
            bool ok = p ? r != 0 : r == 0;
            printf("%s jit/lockstep-selfcheck/%s\n", ok ? "PASS" : "FAIL",
                   p == 0   ? "clean"
                   : p == 1 ? "register"
                            : "ram");
            fails += !ok;
        }
        return fails ? 1 : 0;
    }
    int fails = 0;
    for (; k < argc; k++) {
        const char *name = strrchr(argv[k], '/') ? strrchr(argv[k], '/') + 1 : argv[k];
        int r = run_program(argv[k], &o);
        printf("%s jit/lockstep/%s\n", r ? "FAIL" : "PASS", name);
        fflush(stdout);
        fails += r != 0;
    }
    return fails ? 1 : 0;
}
