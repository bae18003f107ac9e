/* A hostile virtio guest: a bare-metal M-mode program (run with --bios none,
 * -m 64M, --console virtio, --rng, a --drive of zeros, --net user and
 * --balloon) that
 * drives each
 * virtio-mmio device's registers itself and posts malformed queues and
 * descriptor chains: loops, addresses outside RAM or wrapping around,
 * huge lengths, bad indices, broken indirect tables, readable after
 * writable, queue sizes that are not a power of two, rings outside RAM, and
 * device writes asked of driver-only buffers. For each case it asserts the
 * device's reaction (DEVICE_NEEDS_RESET, or the request failed or ignored),
 * that the guard bytes around every buffer are untouched, and that after a
 * reset the device works again. The balloon also gets page numbers outside
 * RAM, on MMIO (its own registers), repeated, cut short or misaligned, of
 * its own rings and of the page list itself: each request completes, only
 * the pages named in RAM read as zeroes afterwards, and nothing else
 * changes. Every slot is also read and written at every width and offset;
 * rings and buffers aimed at MMIO (the device's own registers too), queue
 * registers rewritten after DRIVER_OK and out-of-order status writes must
 * change nothing; and hart 1 rewrites a blk request's descriptors while
 * the device serves it. Progress is written to the virtio-console
 * ("hostile: ... ok"); a failed check ends the run through the sifive test
 * finisher with the case number as exit code (run.sh prints it). */
#include <stdint.h>

#define RAM_BASE    0x80000000UL
#define RAM_END     (RAM_BASE + (64UL << 20))
#define OUTSIDE_RAM 0x1000UL /* the boot ROM area: not RAM */
#define MMIO(n)     (0x10001000UL + 0x1000UL * (n))
#define NSLOTS      8
#define FINISHER    ((volatile uint32_t *)0x100000UL)
#define MTIME       ((volatile uint64_t *)0x200bff8UL)
#define TICKS_1S    10000000UL
/* How long a reaction may take: generous, the host may be busy. */
#define WAIT_TICKS (10 * TICKS_1S)

/* virtio-mmio registers (virtio 1.x section 4.2.2). */
enum {
    R_MAGIC = 0x000,
    R_DEVICE_ID = 0x008,
    R_DRV_FEATURES = 0x020,
    R_DRV_FEATURES_SEL = 0x024,
    R_QUEUE_SEL = 0x030,
    R_QUEUE_NUM_MAX = 0x034,
    R_QUEUE_NUM = 0x038,
    R_QUEUE_READY = 0x044,
    R_QUEUE_NOTIFY = 0x050,
    R_INT_ACK = 0x064,
    R_STATUS = 0x070,
    R_DESC_LO = 0x080,
    R_DESC_HI = 0x084,
    R_AVAIL_LO = 0x090,
    R_AVAIL_HI = 0x094,
    R_USED_LO = 0x0a0,
    R_USED_HI = 0x0a4,
};

#define ST_NEEDS_RESET 0x40
#define F_NEXT         1
#define F_WRITE        2
#define F_INDIRECT     4
#define NUM            8

enum { ID_NET = 1, ID_BLK = 2, ID_CONSOLE = 3, ID_RNG = 4, ID_BALLOON = 5 };

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct vq {
    struct desc *desc;
    volatile uint16_t *avail, *used;
    uint16_t avail_idx;
};

struct dev {
    unsigned long base;
    uint32_t id;
    unsigned nq;
    const char *name;
    struct vq q[2];
};

/* Three pages per queue (desc, avail, used), two queues per slot. */
static uint8_t ring_mem[NSLOTS][2][3][4096] __attribute__((aligned(4096)));
/* Buffers live in `arena` between guard bytes nobody may write. */
#define GUARD      256
#define GUARD_BYTE 0x5a
static uint8_t arena[GUARD + 8192 + GUARD] __attribute__((aligned(4096)));
#define BUF  (arena + GUARD)
#define BUF2 (arena + GUARD + 4096)
static struct desc table[4] __attribute__((aligned(16)));
/* Pages the balloon is given (victim), and its page lists. */
static uint8_t victim[2][4096] __attribute__((aligned(4096)));
static uint32_t pfn_list[1024] __attribute__((aligned(4096)));
static struct desc table2[4] __attribute__((aligned(16)));

uint32_t probe32(unsigned long addr);
uint64_t probe_rd8(unsigned long addr), probe_rd16(unsigned long addr);
uint64_t probe_rd32(unsigned long addr), probe_rd64(unsigned long addr);
void probe_wr8(unsigned long addr, uint64_t v), probe_wr16(unsigned long addr, uint64_t v);
void probe_wr32(unsigned long addr, uint64_t v), probe_wr64(unsigned long addr, uint64_t v);
#define PLIC_BASE 0x0c000000UL

static struct dev devs[NSLOTS];
static unsigned ndevs;
static struct dev *con; /* the console, for messages */
static unsigned cur_case;
static unsigned cases_ok;

static uint32_t rd(const struct dev *d, unsigned off)
{
    return *(volatile uint32_t *)(d->base + off);
}

static void wr(const struct dev *d, unsigned off, uint32_t v)
{
    __sync_synchronize();
    *(volatile uint32_t *)(d->base + off) = v;
}

static void fill(volatile uint8_t *p, uint8_t v, unsigned long n)
{
    for (unsigned long k = 0; k < n; k++)
        p[k] = v;
}

static unsigned long slen(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

static void ready_arena(void)
{
    fill(arena, GUARD_BYTE, sizeof(arena));
}

/* Whether [from, to) of the arena still holds only guard bytes. */
static int untouched(unsigned long from, unsigned long to)
{
    volatile uint8_t *a = arena;
    for (unsigned long k = from; k < to; k++)
        if (a[k] != GUARD_BYTE) return 0;
    return 1;
}

static int guards_ok(void)
{
    return untouched(0, GUARD) && untouched(sizeof(arena) - GUARD, sizeof(arena));
}

static void finish(uint32_t v)
{
    for (;;)
        *FINISHER = v;
}

/* Sets up queues 0..nq-1 with `num` entries and the rings at their pages
 * (or at desc_at when it is not 0); returns the status read back. */
static uint32_t dev_setup(struct dev *d, unsigned slot, uint32_t num, uint64_t desc_at)
{
    wr(d, R_STATUS, 0);
    wr(d, R_STATUS, 1);
    wr(d, R_STATUS, 3);
    wr(d, R_DRV_FEATURES_SEL, 1);
    wr(d, R_DRV_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
    wr(d, R_DRV_FEATURES_SEL, 0);
    wr(d, R_DRV_FEATURES, 1u << 28); /* VIRTIO_RING_F_INDIRECT_DESC */
    wr(d, R_STATUS, 0xb);
    for (unsigned q = 0; q < d->nq; q++) {
        struct vq *v = &d->q[q];
        uint8_t(*m)[4096] = ring_mem[slot][q];
        fill(m[0], 0, 3 * 4096);
        v->desc = (struct desc *)m[0];
        v->avail = (volatile uint16_t *)m[1];
        v->used = (volatile uint16_t *)m[2];
        v->avail_idx = 0;
        uint64_t da = desc_at ? desc_at : (uint64_t)(unsigned long)m[0];
        wr(d, R_QUEUE_SEL, q);
        wr(d, R_QUEUE_NUM, num);
        wr(d, R_DESC_LO, (uint32_t)da);
        wr(d, R_DESC_HI, (uint32_t)(da >> 32));
        wr(d, R_AVAIL_LO, (uint32_t)(unsigned long)m[1]);
        wr(d, R_AVAIL_HI, 0);
        wr(d, R_USED_LO, (uint32_t)(unsigned long)m[2]);
        wr(d, R_USED_HI, 0);
        wr(d, R_QUEUE_READY, 1);
    }
    wr(d, R_STATUS, 0xf);
    return rd(d, R_STATUS);
}

static unsigned slot_of(const struct dev *d)
{
    return (unsigned)((d->base - MMIO(0)) / 0x1000);
}

static int dev_init(struct dev *d)
{
    return dev_setup(d, slot_of(d), NUM, 0) == 0xf;
}

static void post(struct dev *d, unsigned q, uint16_t head)
{
    struct vq *v = &d->q[q];
    v->avail[2 + v->avail_idx % NUM] = head;
    __sync_synchronize();
    v->avail[1] = ++v->avail_idx;
    wr(d, R_QUEUE_NOTIFY, q);
}

/* Waits up to 10 s for the device to use `want` buffers of queue q. */
static int wait_used(struct dev *d, unsigned q, uint16_t want)
{
    uint64_t end = *MTIME + WAIT_TICKS;
    while (d->q[q].used[1] != want)
        if (*MTIME > end) return 0;
    __sync_synchronize();
    return 1;
}

static int wait_needs_reset(struct dev *d)
{
    uint64_t end = *MTIME + WAIT_TICKS;
    while (!(rd(d, R_STATUS) & ST_NEEDS_RESET))
        if (*MTIME > end) return 0;
    return 1;
}

static uint32_t used_len(struct dev *d, unsigned q, unsigned k)
{
    return ((volatile uint32_t *)(d->q[q].used + 2))[2 * k + 1];
}

static void say(const char *a, const char *b, const char *c);

static void fail(const char *what)
{
    /* The console may be what broke: bring it back to say why. */
    if (con && dev_init(con)) say("FAIL ", what, "");
    finish(((cur_case & 0xff) << 16) | 0x3333);
}

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) fail(what);                                                                   \
    } while (0)

/* Writes a message through the console's transmit queue and waits for it. */
static void say(const char *a, const char *b, const char *c)
{
    static char line[160];
    unsigned long n = 0;
    for (const char *s = "hostile: "; *s; s++)
        line[n++] = *s;
    for (const char *p[3] = {a, b, c}, **s = p; s < p + 3; s++)
        for (const char *t = *s; *t && n < sizeof(line) - 2; t++)
            line[n++] = *t;
    line[n++] = '\n';
    struct vq *v = &con->q[1];
    v->desc[0] = (struct desc){(unsigned long)line, (uint32_t)n, 0, 0};
    uint16_t want = (uint16_t)(v->used[1] + 1);
    post(con, 1, 0);
    if (!wait_used(con, 1, want)) finish(((cur_case & 0xff) << 16) | 0x3333);
}

static char *utoa(unsigned v)
{
    static char b[12];
    char *p = b + sizeof(b) - 1;
    *p = 0;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    return p;
}

/* A virtio-blk read of sector 0: header at BUF (readable), 512 bytes of data
 * at BUF2 and the status byte at BUF+64, with the flags given. */
static void blk_request(struct dev *d, unsigned sector, uint16_t data_flags, uint16_t st_flags)
{
    struct vq *v = &d->q[0];
    fill(BUF, 0, 16);
    BUF[8] = (uint8_t)sector;
    v->desc[0] = (struct desc){(unsigned long)BUF, 16, F_NEXT, 1};
    v->desc[1] = (struct desc){(unsigned long)BUF2, 512, F_NEXT | data_flags, 2};
    v->desc[2] = (struct desc){(unsigned long)BUF + 64, 1, st_flags, 0};
    post(d, 0, 0);
}

/* A request that must succeed on a healthy device set up by dev_init;
 * checks what it wrote. */
static void serve_one(struct dev *d)
{
    ready_arena();
    switch (d->id) {
    case ID_RNG:
        d->q[0].desc[0] = (struct desc){(unsigned long)BUF, 64, F_WRITE, 0};
        post(d, 0, 0);
        CHECK(wait_used(d, 0, 1), "rng: request not served after reset");
        CHECK(used_len(d, 0, 0) == 64, "rng: wrong used length");
        CHECK(!untouched(GUARD, GUARD + 64), "rng: no random bytes");
        CHECK(untouched(GUARD + 64, sizeof(arena)), "rng: wrote past its buffer");
        break;
    case ID_CONSOLE: say(d->name, " works after reset", ""); break;
    case ID_BLK: /* read sector 0 (the disk is zeros) */
        blk_request(d, 0, F_WRITE, F_WRITE);
        CHECK(wait_used(d, 0, 1), "blk: read not served after reset");
        CHECK(used_len(d, 0, 0) == 513, "blk: wrong used length");
        CHECK(BUF[64] == 0, "blk: read failed");
        for (unsigned k = 0; k < 512; k++)
            CHECK(BUF2[k] == 0, "blk: wrong data");
        CHECK(untouched(GUARD + 65, GUARD + 4096), "blk: wrote next to the status");
        CHECK(untouched(GUARD + 4096 + 512, sizeof(arena)), "blk: wrote past the data");
        break;
    case ID_BALLOON: /* inflate the victim page: it reads as zeroes; deflate it */
        fill(victim[0], 0xab, 4096);
        pfn_list[0] = (uint32_t)((unsigned long)victim[0] >> 12);
        d->q[0].desc[0] = (struct desc){(unsigned long)pfn_list, 4, 0, 0};
        post(d, 0, 0);
        CHECK(wait_used(d, 0, 1), "balloon: inflate not served after reset");
        for (unsigned k = 0; k < 4096; k++)
            CHECK(((volatile uint8_t *)victim[0])[k] == 0, "balloon: page given up not zero");
        d->q[1].desc[0] = (struct desc){(unsigned long)pfn_list, 4, 0, 0};
        post(d, 1, 0);
        CHECK(wait_used(d, 1, 1), "balloon: deflate not served after reset");
        CHECK(untouched(0, sizeof(arena)), "balloon: wrote into memory");
        break;
    case ID_NET: /* send a 12-byte header and a 60-byte frame nobody wants */
        d->q[1].desc[0] = (struct desc){(unsigned long)BUF, 72, 0, 0};
        post(d, 1, 0);
        CHECK(wait_used(d, 1, 1), "net: frame not sent after reset");
        CHECK(used_len(d, 1, 0) == 0, "net: wrote into a transmit buffer");
        CHECK(untouched(0, sizeof(arena)), "net: wrote into memory");
        break;
    default: break;
    }
    CHECK(guards_ok(), "guard bytes changed");
}

static void works(struct dev *d)
{
    CHECK(dev_init(d), "device does not come back after a reset");
    serve_one(d);
}

enum attack {
    A_LOOP,
    A_OUTSIDE,
    A_STRADDLE,
    A_PAST_END,
    A_WRAP,
    A_HUGE,
    A_HEAD,
    A_NEXT,
    A_AVAIL_JUMP,
    A_IND_LEN,
    A_IND_NESTED,
    A_IND_OUTSIDE,
    A_IND_NEXT,
    A_RW_ORDER,
    A_OWN_REGS,
    A_OTHER_MMIO,
    A_IND_OWN_REGS,
    A_COUNT
};

static const char *const attack_name[A_COUNT] = {
    "descriptor loop",
    "buffer outside RAM",
    "buffer across RAM end",
    "buffer past RAM end",
    "address wraps around",
    "huge length",
    "head index >= size",
    "next index >= size",
    "avail index jumps",
    "indirect length",
    "nested indirect",
    "indirect table outside RAM",
    "indirect with next",
    "readable after writable",
    "buffer on its own registers",
    "buffer on the PLIC",
    "indirect table on its own registers",
};

/* Builds chain 0 (or a bad head) of queue q for attack a and posts it. */
static void post_attack(struct dev *d, unsigned q, enum attack a, uint16_t wf)
{
    struct vq *v = &d->q[q];
    unsigned long b = (unsigned long)BUF;
    uint16_t head = 0;
    switch (a) {
    case A_LOOP:
        v->desc[0] = (struct desc){b, 16, F_NEXT | wf, 1};
        v->desc[1] = (struct desc){b + 16, 16, F_NEXT | wf, 0};
        break;
    case A_OUTSIDE: v->desc[0] = (struct desc){OUTSIDE_RAM, 16, wf, 0}; break;
    case A_STRADDLE: v->desc[0] = (struct desc){RAM_END - 8, 64, wf, 0}; break;
    case A_PAST_END: v->desc[0] = (struct desc){RAM_END + 0x1000, 16, wf, 0}; break;
    case A_WRAP: v->desc[0] = (struct desc){0xfffffffffffffff0ULL, 0x20, wf, 0}; break;
    case A_HUGE: v->desc[0] = (struct desc){b, 0xffffffffu, wf, 0}; break;
    case A_HEAD: head = NUM + 3; break;
    case A_NEXT: v->desc[0] = (struct desc){b, 16, F_NEXT | wf, 200}; break;
    case A_AVAIL_JUMP:
        v->avail_idx += NUM + 4; /* post() adds the last one */
        break;
    case A_IND_LEN:
        table[0] = (struct desc){b, 16, wf, 0};
        v->desc[0] = (struct desc){(unsigned long)table, 20, F_INDIRECT, 0};
        break;
    case A_IND_NESTED:
        table2[0] = (struct desc){b, 16, wf, 0};
        table[0] = (struct desc){(unsigned long)table2, 16, F_INDIRECT, 0};
        v->desc[0] = (struct desc){(unsigned long)table, 16, F_INDIRECT, 0};
        break;
    case A_IND_OUTSIDE: v->desc[0] = (struct desc){OUTSIDE_RAM, 32, F_INDIRECT, 0}; break;
    case A_IND_NEXT:
        table[0] = (struct desc){b, 16, wf, 0};
        v->desc[0] = (struct desc){(unsigned long)table, 16, F_INDIRECT | F_NEXT, 1};
        v->desc[1] = (struct desc){b + 16, 16, wf, 0};
        break;
    case A_RW_ORDER:
        v->desc[0] = (struct desc){b, 16, F_NEXT | F_WRITE, 1};
        v->desc[1] = (struct desc){b + 16, 16, 0, 0};
        break;
    case A_OWN_REGS: v->desc[0] = (struct desc){d->base, 0x100, wf, 0}; break;
    case A_OTHER_MMIO: v->desc[0] = (struct desc){PLIC_BASE, 64, wf, 0}; break;
    case A_IND_OWN_REGS: v->desc[0] = (struct desc){d->base, 64, F_INDIRECT, 0}; break;
    default: break;
    }
    post(d, q, head);
}

static void begin(struct dev *d, const char *what)
{
    cur_case++;
    (void)d;
    (void)what;
    ready_arena();
}

static void passed(struct dev *d, const char *what)
{
    cases_ok++;
    works(d);
    say(d->name, ": ok: ", what);
}

/* Attack a on queue q: the device must need a reset, use nothing and write
 * nothing. */
static void expect_needs_reset(struct dev *d, unsigned q, enum attack a, uint16_t wf)
{
    begin(d, attack_name[a]);
    CHECK(dev_init(d), "device setup failed");
    post_attack(d, q, a, wf);
    CHECK(wait_needs_reset(d), attack_name[a]);
    CHECK(d->q[q].used[1] == 0, "a broken chain was used");
    CHECK(untouched(0, sizeof(arena)), "a broken chain was written");
    /* A notify on a device that needs a reset is ignored. */
    wr(d, R_QUEUE_NOTIFY, q);
    CHECK(d->q[q].used[1] == 0, "used after needs-reset");
    passed(d, attack_name[a]);
}

/* Queue setups the device must refuse at QueueReady. */
static void bad_setup(struct dev *d, uint32_t num, uint64_t desc_at, const char *what)
{
    begin(d, what);
    dev_setup(d, slot_of(d), num, desc_at);
    wr(d, R_QUEUE_SEL, 0);
    CHECK(rd(d, R_QUEUE_READY) == 0, "bad queue accepted");
    CHECK(rd(d, R_STATUS) & ST_NEEDS_RESET, "bad queue without needs-reset");
    CHECK(untouched(0, sizeof(arena)), "memory written");
    passed(d, what);
}

/* Every register and config byte of the slot, read and written (zeroes)
 * at every width and alignment: an access the transport refuses faults
 * (the probe skips it), none may crash rvmm or write guest memory, config
 * reads past the end read 0, and after a reset the device works. */
/* Hart 1's job (start.S): asleep in WFI until hart 0 sets cmd and sends it
 * a software interrupt, then rewriting the blk queue's descriptors as fast
 * as it can (lengths, addresses inside and outside RAM, next indices and
 * flags) until cmd is cleared; it counts its rounds in `done`. */
#define CLINT_MSIP(h) ((volatile uint32_t *)(0x2000000UL + 4 * (h)))
static volatile struct {
    uint32_t cmd;
    uint32_t done;
    uint32_t alive;   /* hart 1 runs (set before its first WFI) */
    uint32_t started; /* rewriting rounds begun */
    struct desc *desc;
} h1;

void hostile_hart1(void);
void hostile_hart1(void)
{
    __asm__ volatile("csrs mie, %0" ::"r"(8)); /* MSIE: WFI wakes on MSIP */
    h1.alive = 1;
    for (;;) {
        while (!h1.cmd) {
            __asm__ volatile("wfi");
            *CLINT_MSIP(1) = 0;
        }
        volatile struct desc *t = h1.desc;
        unsigned long b2 = (unsigned long)BUF2;
        h1.started++;
        for (uint32_t k = 0; h1.cmd; k++) {
            t[1].addr = (k & 1) ? b2 : (k & 2) ? RAM_END - 8 : OUTSIDE_RAM;
            t[1].len = (k & 4) ? 512 : (k & 8) ? 0xffffffffu : 8;
            t[0].next = (k & 16) ? 1 : 200;
            t[1].flags = (k & 32) ? (F_NEXT | F_WRITE) : (F_NEXT | F_WRITE | F_INDIRECT);
            t[2].len = (k & 64) ? 1 : 0;
        }
        h1.done++;
    }
}

/* Requests served while hart 1 rewrites their descriptors: each one is
 * completed or breaks the queue (needs reset); none writes outside the
 * buffers a descriptor ever named (the arena's guards), and the device
 * works afterwards. */
static void second_hart_rewrites(struct dev *d)
{
    const char *what = "a second hart rewrites descriptors being served";
    begin(d, what);
    uint32_t done = h1.done, started = h1.started;
    unsigned served = 0, broken = 0;
    CHECK(h1.alive, "hart 1 is not running (run.sh gives --smp 2)");
    for (unsigned round = 0; round < 64; round++) {
        CHECK(dev_init(d), "device setup failed");
        h1.desc = d->q[0].desc;
        blk_request(d, 0, F_WRITE, F_WRITE);
        __sync_synchronize();
        h1.cmd = 1;
        *CLINT_MSIP(1) = 1;
        /* Hart 1 is rewriting before the device is told: no round ends
         * before it began (it would sleep through it). */
        uint64_t t0 = *MTIME + WAIT_TICKS;
        while (h1.started == started)
            CHECK(*MTIME < t0, "hart 1 does not start");
        started = h1.started;
        for (unsigned k = 1; k < 4 && !(rd(d, R_STATUS) & ST_NEEDS_RESET); k++)
            post(d, 0, 0); /* the same chain again, rewritten meanwhile */
        uint64_t end = *MTIME + WAIT_TICKS;
        while (d->q[0].used[1] != d->q[0].avail_idx && !(rd(d, R_STATUS) & ST_NEEDS_RESET))
            CHECK(*MTIME < end, "requests neither served nor refused");
        h1.cmd = 0;
        while (h1.done == done)
            CHECK(*MTIME < end + WAIT_TICKS, "hart 1 does not stop");
        done = h1.done;
        if (rd(d, R_STATUS) & ST_NEEDS_RESET)
            broken++;
        else
            served++;
        CHECK(guards_ok(), "a request wrote outside its buffers");
        CHECK(untouched(GUARD + 65, GUARD + 4096), "a request wrote next to the status");
    }
    say("blk: rewritten under the device, rounds served: ", utoa(served), "");
    say("blk: rewritten under the device, rounds broken: ", utoa(broken), "");
    passed(d, what);
}

static void every_width(struct dev *d)
{
    const char *what = "MMIO of every width at every offset";
    begin(d, what);
    CHECK(dev_init(d), "device setup failed");
    for (unsigned long off = 0; off < 0x1000; off++) {
        unsigned long a = d->base + off;
        probe_rd8(a);
        if (!(off & 1)) probe_rd16(a);
        if (!(off & 3)) probe_rd32(a);
        if (!(off & 7)) probe_rd64(a);
    }
    /* The largest config space (blk, 60 bytes) ends far before 0x200. */
    CHECK(probe_rd32(d->base + 0x200) == 0 && probe_rd8(d->base + 0xfff) == 0,
          "config read past the end is not 0");
    for (unsigned long off = 0; off < 0x1000; off++) {
        unsigned long a = d->base + off;
        probe_wr8(a, 0);
        if (!(off & 1)) probe_wr16(a, 0);
        if (!(off & 3)) probe_wr32(a, 0);
        if (!(off & 7)) probe_wr64(a, 0);
    }
    CHECK(untouched(0, sizeof(arena)), "an MMIO access wrote into memory");
    passed(d, what);
}

/* Queue registers rewritten after DRIVER_OK (size, rings on the device's
 * own registers, outside RAM, ready again): 4.2.2.3 lets a driver change
 * them only while the queue is not ready, so they change nothing and the
 * device goes on serving the rings it checked. */
static void queue_changes_after_ok(struct dev *d)
{
    const char *what = "queue registers rewritten after DRIVER_OK";
    begin(d, what);
    CHECK(dev_init(d), "device setup failed");
    for (unsigned q = 0; q < d->nq; q++) {
        wr(d, R_QUEUE_SEL, q);
        wr(d, R_QUEUE_NUM, 3);
        wr(d, R_DESC_LO, (uint32_t)d->base);
        wr(d, R_AVAIL_LO, (uint32_t)OUTSIDE_RAM);
        wr(d, R_USED_LO, (uint32_t)PLIC_BASE);
        wr(d, R_USED_HI, 1);
        wr(d, R_QUEUE_READY, 1);
    }
    CHECK(!(rd(d, R_STATUS) & ST_NEEDS_RESET), "ignored queue writes broke the device");
    serve_one(d);
    passed(d, what);
}

/* Status written out of order: DRIVER_OK or FEATURES_OK without the steps
 * before, DRIVER_OK dropped without a reset; then every queue notified.
 * Nothing is served, nothing written, and the device works after a reset. */
static void status_out_of_order(struct dev *d)
{
    const char *what = "status written out of order";
    begin(d, what);
    static const uint32_t seq[][3] = {{4, 0, 0}, {8, 0xf, 0}, {1, 7, 0xf}, {1, 3, 0x4}};
    for (unsigned k = 0; k < sizeof(seq) / sizeof(seq[0]); k++) {
        wr(d, R_STATUS, 0);
        for (unsigned j = 0; j < 3 && seq[k][j]; j++)
            wr(d, R_STATUS, seq[k][j]);
        CHECK(!(rd(d, R_STATUS) & 4), "DRIVER_OK without FEATURES_OK");
        for (unsigned q = 0; q < 2; q++)
            wr(d, R_QUEUE_NOTIFY, q);
    }
    /* Set up properly, then DRIVER_OK taken back, and a notify for a
     * request on every queue: the transport does not pass it on. */
    CHECK(dev_init(d), "device setup failed");
    wr(d, R_STATUS, 0xb);
    CHECK(!(rd(d, R_STATUS) & 4), "DRIVER_OK taken back is still set");
    for (unsigned q = 0; q < d->nq; q++)
        post(d, q, 0);
    CHECK(untouched(0, sizeof(arena)), "memory written without DRIVER_OK");
    passed(d, what);
}

/* Device writes asked of a driver-only (readable) buffer. */
static void driver_only(struct dev *d)
{
    const char *what = "device write into a driver-only buffer";
    begin(d, what);
    CHECK(dev_init(d), "device setup failed");
    switch (d->id) {
    case ID_RNG: /* the request fails: nothing written */
        d->q[0].desc[0] = (struct desc){(unsigned long)BUF, 64, 0, 0};
        post(d, 0, 0);
        CHECK(wait_used(d, 0, 1), "rng: driver-only request not completed");
        CHECK(used_len(d, 0, 0) == 0, "rng: wrote into a driver-only buffer");
        break;
    case ID_CONSOLE: /* a readable receive buffer breaks the queue */
        d->q[0].desc[0] = (struct desc){(unsigned long)BUF, 64, 0, 0};
        post(d, 0, 0);
        CHECK(wait_needs_reset(d), "console: readable receive buffer accepted");
        break;
    case ID_BLK: /* a read into a readable buffer: nothing but the status */
        blk_request(d, 0, 0, F_WRITE);
        CHECK(wait_used(d, 0, 1), "blk: request not completed");
        CHECK(used_len(d, 0, 0) <= 1, "blk: wrote into a driver-only buffer");
        CHECK(untouched(GUARD + 4096, sizeof(arena)), "blk: wrote into a driver-only buffer");
        CHECK(untouched(GUARD + 65, GUARD + 4096), "blk: wrote next to the status");
        passed(d, what);
        begin(d, "request without a writable status byte");
        CHECK(dev_init(d), "device setup failed");
        blk_request(d, 0, F_WRITE, 0);
        CHECK(wait_needs_reset(d), "blk: request without a status byte accepted");
        CHECK(untouched(GUARD + 4096, sizeof(arena)), "blk: wrote into memory");
        what = "request without a writable status byte";
        break;
    case ID_NET: /* a transmit chain with a device-writable part */
        d->q[1].desc[0] = (struct desc){(unsigned long)BUF, 72, F_NEXT, 1};
        d->q[1].desc[1] = (struct desc){(unsigned long)BUF2, 64, F_WRITE, 0};
        post(d, 1, 0);
        CHECK(wait_needs_reset(d), "net: writable transmit buffer accepted");
        CHECK(untouched(0, sizeof(arena)), "net: wrote into memory");
        break;
    default: break;
    }
    if (d->id != ID_BLK) CHECK(untouched(0, sizeof(arena)), "a driver-only buffer was written");
    passed(d, what);
}

/* The console's receive queue gets the "ping" run.sh types into stdin (and
 * the dots it keeps typing after it, so the device always has input to put
 * into the receive chains the attacks post). */
static void console_rx(struct dev *d)
{
    begin(d, "receive");
    CHECK(dev_init(d), "console setup failed");
    d->q[0].desc[0] = (struct desc){(unsigned long)BUF, 16, F_WRITE, 0};
    post(d, 0, 0);
    CHECK(wait_used(d, 0, 1), "console: no input received");
    uint32_t n = used_len(d, 0, 0);
    CHECK(n >= 4 && n <= 16, "console: wrong input length");
    CHECK(BUF[0] == 'p' && BUF[1] == 'i' && BUF[2] == 'n' && BUF[3] == 'g', "console: input");
    CHECK(untouched(GUARD + n, sizeof(arena)), "console: wrote past the input");
    cases_ok++;
    say(d->name, ": ok: ", "receive");
}

static void attack_device(struct dev *d)
{
    /* The queue the device serves on its own: the one it writes (rng, blk,
     * console receive) or, for net, transmit (receive waits for frames). */
    unsigned q = d->id == ID_NET ? 1 : 0;
    uint16_t wf = d->id == ID_NET ? 0 : F_WRITE;
    for (int a = 0; a < A_COUNT; a++)
        expect_needs_reset(d, q, (enum attack)a, wf);
    if (d->id == ID_CONSOLE) /* and the one it reads */
        for (int a = 0; a < A_COUNT; a++)
            expect_needs_reset(d, 1, (enum attack)a, 0);
    bad_setup(d, 3, 0, "queue size 3");
    bad_setup(d, 0, 0, "queue size 0");
    bad_setup(d, 512, 0, "queue size above the maximum");
    bad_setup(d, NUM, 0x20000000ULL, "rings outside RAM");
    bad_setup(d, NUM, (uint64_t)(unsigned long)ring_mem[slot_of(d)][0][0] + 8,
              "misaligned descriptor table");
    bad_setup(d, NUM, d->base, "descriptor table on its own registers");
    bad_setup(d, NUM, PLIC_BASE, "descriptor table on the PLIC");
    driver_only(d);
    every_width(d);
    queue_changes_after_ok(d);
    status_out_of_order(d);
    if (d->id == ID_BLK) second_hart_rewrites(d);
}

/* Hostile page lists for the balloon's inflate (q 0) and deflate (q 1)
 * queues: every request completes (no reset needed), the page numbers that
 * name no RAM change nothing, and the device works afterwards. */
static void balloon_pfns(struct dev *d, unsigned q, const char *what, const uint32_t *pfns,
                         unsigned n, unsigned long at, uint32_t len)
{
    begin(d, what);
    CHECK(dev_init(d), "device setup failed");
    fill(victim[1], 0xcd, 4096);
    for (unsigned k = 0; k < n; k++)
        pfn_list[k] = pfns[k];
    d->q[q].desc[0] = (struct desc){at ? at : (unsigned long)pfn_list, len ? len : 4 * n, 0, 0};
    post(d, q, 0);
    CHECK(wait_used(d, q, 1), "balloon: page list not completed");
    CHECK(!(rd(d, R_STATUS) & ST_NEEDS_RESET), "balloon: page list broke the device");
    CHECK(untouched(0, sizeof(arena)), "balloon: wrote into memory");
    for (unsigned k = 0; k < 4096; k++)
        CHECK(((volatile uint8_t *)victim[1])[k] == 0xcd, "balloon: a page not given changed");
    passed(d, what);
}

static void attack_balloon(struct dev *d)
{
    uint32_t ram_pfn = (uint32_t)(RAM_BASE >> 12), end_pfn = (uint32_t)(RAM_END >> 12);
    uint32_t v0 = (uint32_t)((unsigned long)victim[0] >> 12);
    const uint32_t outside[] = {0, 1, ram_pfn - 1, end_pfn, end_pfn + 1, 0xffffffffu};
    const uint32_t mmio[] = {(uint32_t)(MMIO(0) >> 12), (uint32_t)(d->base >> 12),
                             (uint32_t)(0x0c000000UL >> 12), (uint32_t)(0x2000000UL >> 12)};
    const uint32_t repeated[] = {v0, v0, v0, v0};
    for (unsigned q = 0; q < 2; q++) {
        balloon_pfns(d, q, q ? "deflate: pages outside RAM" : "inflate: pages outside RAM", outside,
                     6, 0, 0);
        balloon_pfns(d, q, q ? "deflate: pages on MMIO" : "inflate: pages on MMIO", mmio, 4, 0, 0);
        balloon_pfns(d, q, q ? "deflate: one page repeated" : "inflate: one page repeated",
                     repeated, 4, 0, 0);
        /* 7 bytes: one number and three bytes of the next, at an odd address. */
        balloon_pfns(d, q, q ? "deflate: misaligned, cut short" : "inflate: misaligned, cut short",
                     repeated, 4, (unsigned long)pfn_list + 1, 7);
    }
    /* The device's own rings and the page list itself: the guest's loss,
     * not the host's. */
    const uint32_t own[] = {(uint32_t)((unsigned long)ring_mem[slot_of(d)][0][0] >> 12),
                            (uint32_t)((unsigned long)ring_mem[slot_of(d)][0][2] >> 12),
                            (uint32_t)((unsigned long)pfn_list >> 12), v0};
    balloon_pfns(d, 0, "inflate: its own rings and page list", own, 4, 0, 0);
    for (int a = 0; a < A_COUNT; a++)
        expect_needs_reset(d, 0, (enum attack)a, 0);
    bad_setup(d, 3, 0, "queue size 3");
    bad_setup(d, NUM, 0x20000000ULL, "rings outside RAM");
    bad_setup(d, NUM, d->base, "descriptor table on its own registers");
    every_width(d);
    queue_changes_after_ok(d);
    status_out_of_order(d);
}

static const char *dev_name(uint32_t id)
{
    switch (id) {
    case ID_NET: return "net";
    case ID_BLK: return "blk";
    case ID_CONSOLE: return "console";
    case ID_RNG: return "rng";
    case ID_BALLOON: return "balloon";
    default: return "other";
    }
}

void hostile_main(void)
{
    for (unsigned s = 0; s < NSLOTS; s++) {
        struct dev d = {.base = MMIO(s)};
        if (probe32(d.base + R_MAGIC) != 0x74726976) continue;
        d.id = rd(&d, R_DEVICE_ID);
        if (!d.id) continue;
        d.name = dev_name(d.id);
        d.nq = (d.id == ID_RNG || d.id == ID_BLK) ? 1 : 2; /* balloon: inflate, deflate */
        devs[ndevs++] = d;
        if (d.id == ID_CONSOLE && !con) con = &devs[ndevs - 1];
    }
    if (!con) finish((254 << 16) | 0x3333);
    CHECK(dev_init(con), "console setup failed");
    say("devices: ", utoa(ndevs), "");
    console_rx(con);
    for (unsigned k = 0; k < ndevs; k++)
        if (devs[k].id >= ID_NET && devs[k].id <= ID_RNG)
            attack_device(&devs[k]);
        else if (devs[k].id == ID_BALLOON)
            attack_balloon(&devs[k]);
    CHECK(dev_init(con), "console setup failed");
    say("all ", utoa(cases_ok), " cases passed");
    finish(0x5555);
}
