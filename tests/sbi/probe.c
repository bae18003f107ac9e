/* SBI probe: a bare-metal S-mode program that calls every function of the
 * SBI extensions rvmm serves (`--bios builtin`) and checks each result
 * against the SBI 2.0 specification (riscv-non-isa/riscv-sbi-doc). Run
 * with --smp 2. A failed check writes (code << 16) | 0x3333 to the sifive
 * test finisher, so rvmm exits with the check's code; when every check
 * passes, the last call is SRST shutdown, and rvmm exits 0. It must not
 * use anything but SBI, the finisher and its own RAM. On a hart with the
 * H extension it also acts as a small hypervisor (test_hypervisor): what
 * Linux KVM needs of the SBI and of the delegation firmware sets up. */
#include <stdint.h>

#define EXT_BASE   0x10
#define EXT_TIME   0x54494d45
#define EXT_IPI    0x735049
#define EXT_RFENCE 0x52464e43
#define EXT_HSM    0x48534d
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434e
#define EXT_PMU    0x504d55
#define EXT_SUSP   0x53555350 /* not implemented by rvmm */

#define ERR_NOT_SUPPORTED     (-2)
#define ERR_INVALID_PARAM     (-3)
#define ERR_INVALID_ADDRESS   (-5)
#define ERR_ALREADY_AVAILABLE (-6)

#define SIP_SSIP    (1UL << 1)
#define SIP_STIP    (1UL << 5)
#define SIP_LCOFIP  (1UL << 13)
#define SSTATUS_SIE (1UL << 1)
#define SCAUSE_IRQ  (1UL << 63)

#define FINISHER     ((volatile uint32_t *)0x100000UL)
#define TICKS_PER_MS 10000UL  /* timebase 10 MHz, as the device tree says */
#define OUTSIDE_RAM  0x1000UL /* the boot ROM area: not RAM */
#define OPAQUE       0x5eed0123abcdULL

struct sbiret {
    long error;
    unsigned long value;
};

extern char secondary_entry[], resume_entry[], trap_entry[];
/* Hypervisor side (start.S): runs VS-mode code until it traps to HS. */
extern char vs_ecall[], vs_hcsr[], vs_load2[];
extern volatile unsigned long vs_saved[4], vs_vals[2];
unsigned long vs_run(char *entry);
void probe_hang(void) __attribute__((noreturn));

/* Shared with hart 1 and the trap handler. */
static volatile unsigned long sec_flag, sec_hartid, sec_opaque, sec_sstatus, sec_satp;
static volatile unsigned long sec_ready, sec_got_ipi, sec_run;
static volatile unsigned long irq_count, irq_cause;
/* Set while probing a CSR: an illegal instruction then skips it. */
static volatile unsigned long probing_csr, probe_trapped;
static int has_h; /* the hart has the hypervisor extension */

static struct sbiret sbi_call(long eid, long fid, unsigned long a0, unsigned long a1,
                              unsigned long a2, unsigned long a3, unsigned long a4,
                              unsigned long a5)
{
    register unsigned long r0 __asm__("a0") = a0;
    register unsigned long r1 __asm__("a1") = a1;
    register unsigned long r2 __asm__("a2") = a2;
    register unsigned long r3 __asm__("a3") = a3;
    register unsigned long r4 __asm__("a4") = a4;
    register unsigned long r5 __asm__("a5") = a5;
    register unsigned long r6 __asm__("a6") = (unsigned long)fid;
    register unsigned long r7 __asm__("a7") = (unsigned long)eid;
    __asm__ volatile("ecall"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
                     : "memory");
    return (struct sbiret){(long)r0, r1};
}

#define SBI0(e, f)             sbi_call(e, f, 0, 0, 0, 0, 0, 0)
#define SBI1(e, f, a)          sbi_call(e, f, a, 0, 0, 0, 0, 0)
#define SBI2(e, f, a, b)       sbi_call(e, f, a, b, 0, 0, 0, 0)
#define SBI3(e, f, a, b, c)    sbi_call(e, f, a, b, c, 0, 0, 0)
#define SBI4(e, f, a, b, c, d) sbi_call(e, f, a, b, c, d, 0, 0)

/* Legacy calls return one value in a0. */
static long sbi_legacy(long eid, unsigned long a0)
{
    return sbi_call(eid, 0, a0, 0, 0, 0, 0, 0).error;
}

static unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

#define CSR_READ(name)                                                                             \
    ({                                                                                             \
        unsigned long v_;                                                                          \
        __asm__ volatile("csrr %0, " #name : "=r"(v_));                                            \
        v_;                                                                                        \
    })
#define CSR_SET(name, v)   __asm__ volatile("csrs " #name ", %0" ::"r"(v) : "memory")
#define CSR_CLEAR(name, v) __asm__ volatile("csrc " #name ", %0" ::"r"(v) : "memory")
#define CSR_WRITE(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"(v) : "memory")

static void puts_legacy(const char *s)
{
    while (*s)
        sbi_legacy(1, (unsigned char)*s++);
}

static void put_hex(unsigned long v)
{
    char buf[19] = "0x";
    for (int k = 0; k < 16; k++)
        buf[2 + k] = "0123456789abcdef"[(v >> (60 - 4 * k)) & 15];
    buf[18] = 0;
    puts_legacy(buf);
}

static void __attribute__((noreturn)) fail(unsigned code, long got)
{
    puts_legacy("sbi probe: FAIL check ");
    put_hex(code);
    puts_legacy(" got ");
    put_hex((unsigned long)got);
    puts_legacy("\n");
    *FINISHER = (code << 16) | 0x3333;
    probe_hang();
}

static void check(unsigned code, int ok, long got)
{
    if (!ok) fail(code, got);
}

/* Checks an SBI result: the error code, and the value when `value` >= 0. */
static void expect(unsigned code, struct sbiret r, long error, long value)
{
    check(code, r.error == error, r.error);
    if (value >= 0) check(code, r.value == (unsigned long)value, (long)r.value);
}

static int wait_until(volatile unsigned long *flag, unsigned long want, unsigned long ms)
{
    unsigned long end = rdtime() + ms * TICKS_PER_MS;
    while (*flag != want)
        if (rdtime() > end) return 0;
    return 1;
}

void probe_trap(unsigned long cause, unsigned long epc, unsigned long tval)
{
    if (cause == 2 && probing_csr) {
        probe_trapped = 1;
        CSR_WRITE(sepc, epc + 4);
        return;
    }
    if (!(cause & SCAUSE_IRQ)) {
        puts_legacy("sbi probe: unexpected exception at ");
        put_hex(epc);
        puts_legacy(" tval ");
        put_hex(tval);
        puts_legacy("\n");
        fail(200 + (unsigned)(cause & 0xff), (long)epc);
    }
    irq_cause = cause & ~SCAUSE_IRQ;
    irq_count++;
    if (irq_cause == 5)
        CSR_CLEAR(sie, SIP_STIP); /* taken once; the test re-arms it */
    else if (irq_cause == 1)
        CSR_CLEAR(sip, SIP_SSIP);
    else if (irq_cause == 13)
        CSR_CLEAR(sip, SIP_LCOFIP); /* OF stays set: no second one */
    else
        fail(199, (long)cause);
}

/* Hart 1, started by hart_start: records its entry state, then (second
 * run) waits for an IPI from hart 0, then stops itself. */
void secondary_main(unsigned long hartid, unsigned long opaque)
{
    sec_hartid = hartid;
    sec_opaque = opaque;
    sec_sstatus = CSR_READ(sstatus);
    sec_satp = CSR_READ(satp);
    if (sec_run == 1) {
        /* SIE stays 0: wfi wakes on a pending enabled interrupt, no trap. */
        CSR_SET(sie, SIP_SSIP);
        sec_ready = 1;
        unsigned long end = rdtime() + 5000 * TICKS_PER_MS;
        while (!(CSR_READ(sip) & SIP_SSIP) && rdtime() < end)
            __asm__ volatile("wfi");
        sec_got_ipi = (CSR_READ(sip) & SIP_SSIP) != 0;
        CSR_CLEAR(sip, SIP_SSIP);
        CSR_CLEAR(sie, SIP_SSIP);
    }
    __atomic_store_n(&sec_flag, sec_flag + 1, __ATOMIC_RELEASE);
    struct sbiret r = SBI0(EXT_HSM, 1); /* hart_stop: does not return */
    fail(190, r.error);
}

static void test_base(void)
{
    struct sbiret r = SBI0(EXT_BASE, 0);
    check(1, r.error == 0 && r.value == (2UL << 24), (long)r.value); /* 2.0 */
    r = SBI0(EXT_BASE, 1);
    check(2, r.error == 0, r.error);
    puts_legacy("sbi probe: impl id ");
    put_hex(r.value);
    r = SBI0(EXT_BASE, 2);
    check(3, r.error == 0, r.error);
    puts_legacy(" version ");
    put_hex(r.value);
    puts_legacy("\n");
    static const unsigned long exts[] = {EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM, EXT_SRST,
                                         EXT_DBCN, EXT_PMU,  0,       1,          2,       3,
                                         4,        5,        6,       7,          8};
    for (unsigned k = 0; k < sizeof(exts) / sizeof(exts[0]); k++) {
        r = SBI1(EXT_BASE, 3, exts[k]);
        check(4, r.error == 0 && r.value != 0, (long)exts[k]);
    }
    expect(5, SBI1(EXT_BASE, 3, 0x12345678), 0, 0);
    expect(5, SBI1(EXT_BASE, 3, EXT_SUSP), 0, 0);
    expect(5, SBI1(EXT_BASE, 3, 9), 0, 0);
    for (long f = 4; f <= 6; f++) /* mvendorid, marchid, mimpid */
        check(6, SBI0(EXT_BASE, f).error == 0, f);
    expect(7, SBI0(EXT_BASE, 7), ERR_NOT_SUPPORTED, -1);
}

static void test_unknown(void)
{
    expect(8, SBI0(0x12345678, 0), ERR_NOT_SUPPORTED, -1);
    expect(8, SBI0(EXT_SUSP, 0), ERR_NOT_SUPPORTED, -1);
    expect(8, SBI0(9, 0), ERR_NOT_SUPPORTED, -1);
    /* Unknown FIDs in known extensions. */
    expect(9, SBI0(EXT_TIME, 1), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_IPI, 1), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_RFENCE, 7), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_HSM, 4), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_SRST, 1), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_DBCN, 3), ERR_NOT_SUPPORTED, -1);
    expect(9, SBI0(EXT_BASE, 0x1000), ERR_NOT_SUPPORTED, -1);
}

/* Every register but a0 and a1 survives an SBI call (SBI 2.0, 3). */
static void test_preserved(void)
{
    register unsigned long a0 __asm__("a0") = 0;
    register unsigned long a1 __asm__("a1") = 0;
    register unsigned long a2 __asm__("a2") = 0x2222;
    register unsigned long a3 __asm__("a3") = 0x3333;
    register unsigned long a4 __asm__("a4") = 0x4444;
    register unsigned long a5 __asm__("a5") = 0x5555;
    register unsigned long a6 __asm__("a6") = 0;
    register unsigned long a7 __asm__("a7") = EXT_BASE;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
                       "+r"(a7)
                     :
                     : "memory");
    check(10,
          a2 == 0x2222 && a3 == 0x3333 && a4 == 0x4444 && a5 == 0x5555 && a6 == 0 && a7 == EXT_BASE,
          (long)a2);
}

static void test_time(void)
{
    CSR_WRITE(stvec, (unsigned long)trap_entry);
    /* A timer 10 ms ahead arrives as a supervisor timer interrupt. */
    unsigned long target = rdtime() + 10 * TICKS_PER_MS;
    irq_count = 0;
    expect(11, SBI1(EXT_TIME, 0, target), 0, 0);
    check(12, !(CSR_READ(sip) & SIP_STIP), (long)CSR_READ(sip));
    CSR_SET(sie, SIP_STIP);
    CSR_SET(sstatus, SSTATUS_SIE);
    unsigned long end = rdtime() + 2000 * TICKS_PER_MS;
    while (irq_count == 0 && rdtime() < end)
        __asm__ volatile("wfi");
    CSR_CLEAR(sstatus, SSTATUS_SIE);
    check(13, irq_count == 1 && irq_cause == 5, (long)irq_count);
    check(14, rdtime() >= target, (long)rdtime());

    /* A deadline in the past makes STIP pending; one far in the future
     * clears it. */
    expect(15, SBI1(EXT_TIME, 0, rdtime() - 1), 0, 0);
    check(15, (CSR_READ(sip) & SIP_STIP) != 0, (long)CSR_READ(sip));
    expect(16, SBI1(EXT_TIME, 0, ~0UL), 0, 0);
    check(16, !(CSR_READ(sip) & SIP_STIP), (long)CSR_READ(sip));
    expect(16, SBI1(EXT_TIME, 0, rdtime() - 1), 0, 0);
    check(16, (CSR_READ(sip) & SIP_STIP) != 0, (long)CSR_READ(sip));
    expect(16, SBI1(EXT_TIME, 0, rdtime() + 1000000 * TICKS_PER_MS), 0, 0);
    check(16, !(CSR_READ(sip) & SIP_STIP), (long)CSR_READ(sip));

    /* Legacy set_timer (EID 0) works the same way. */
    check(17, sbi_legacy(0, rdtime() - 1) == 0, 0);
    check(17, (CSR_READ(sip) & SIP_STIP) != 0, (long)CSR_READ(sip));
    check(17, sbi_legacy(0, ~0UL) == 0, 0);
    check(17, !(CSR_READ(sip) & SIP_STIP), (long)CSR_READ(sip));
}

static void test_ipi(void)
{
    /* SIE is 0: the IPI stays pending in sip. */
    CSR_CLEAR(sip, SIP_SSIP);
    expect(20, SBI2(EXT_IPI, 0, 1, 0), 0, 0);
    check(21, (CSR_READ(sip) & SIP_SSIP) != 0, (long)CSR_READ(sip));
    CSR_CLEAR(sip, SIP_SSIP);
    check(21, !(CSR_READ(sip) & SIP_SSIP), (long)CSR_READ(sip));
    /* The same IPI, delivered through the trap handler. */
    irq_count = 0;
    CSR_SET(sie, SIP_SSIP);
    CSR_SET(sstatus, SSTATUS_SIE);
    expect(22, SBI2(EXT_IPI, 0, 1, 0), 0, 0);
    unsigned long end = rdtime() + 1000 * TICKS_PER_MS;
    while (irq_count == 0 && rdtime() < end)
        ;
    CSR_CLEAR(sstatus, SSTATUS_SIE);
    CSR_CLEAR(sie, SIP_SSIP);
    check(22, irq_count == 1 && irq_cause == 1, (long)irq_count);
    /* Hart ids that do not exist (2 harts). */
    expect(23, SBI2(EXT_IPI, 0, 1, 2), ERR_INVALID_PARAM, -1);
    expect(23, SBI2(EXT_IPI, 0, 1, 99), ERR_INVALID_PARAM, -1);
    expect(23, SBI2(EXT_IPI, 0, 4, 0), ERR_INVALID_PARAM, -1);
    expect(23, SBI2(EXT_IPI, 0, 2, 1), ERR_INVALID_PARAM, -1);
    /* Legacy send_ipi (EID 4): a0 points at the mask; clear_ipi (EID 3). */
    static unsigned long mask_self = 1;
    check(24, sbi_legacy(4, (unsigned long)&mask_self) == 0, 0);
    check(24, (CSR_READ(sip) & SIP_SSIP) != 0, (long)CSR_READ(sip));
    check(25, sbi_legacy(3, 0) == 0, 0);
    check(25, !(CSR_READ(sip) & SIP_SSIP), (long)CSR_READ(sip));
}

static void test_rfence(void)
{
    expect(30, SBI2(EXT_RFENCE, 0, 1, 0), 0, 0);          /* remote_fence_i */
    expect(31, SBI4(EXT_RFENCE, 1, 1, 0, 0, ~0UL), 0, 0); /* remote_sfence_vma */
    expect(31, SBI4(EXT_RFENCE, 1, 1, 0, 0x80000000, 4096), 0, 0);
    expect(32, sbi_call(EXT_RFENCE, 2, 1, 0, 0, ~0UL, 1, 0), 0, 0); /* ..._asid */
    expect(33, SBI2(EXT_RFENCE, 0, 0, ~0UL), 0, 0);                 /* every hart */
    expect(33, SBI4(EXT_RFENCE, 1, 0, ~0UL, 0, ~0UL), 0, 0);
    expect(34, SBI2(EXT_RFENCE, 0, 1, 5), ERR_INVALID_PARAM, -1);
    expect(34, SBI4(EXT_RFENCE, 1, 8, 0, 0, ~0UL), ERR_INVALID_PARAM, -1);
    /* The HFENCE calls (3: gvma_vmid, 4: gvma, 5: vvma_asid, 6: vvma)
     * exist with the H extension only. */
    for (long f = 3; f <= 6; f++) {
        if (!has_h) {
            expect(35, sbi_call(EXT_RFENCE, f, 1, 0, 0, ~0UL, 0, 0), ERR_NOT_SUPPORTED, -1);
            continue;
        }
        expect(37, sbi_call(EXT_RFENCE, f, 1, 0, 0, ~0UL, 5, 0), 0, 0);
        expect(37, sbi_call(EXT_RFENCE, f, 1, 0, 0x80000000, 4096, 0, 0), 0, 0);
        expect(37, sbi_call(EXT_RFENCE, f, 0, ~0UL, 0, ~0UL, 1, 0), 0, 0);
        expect(38, sbi_call(EXT_RFENCE, f, 1, 5, 0, ~0UL, 0, 0), ERR_INVALID_PARAM, -1);
        expect(38, sbi_call(EXT_RFENCE, f, 4, 0, 0, ~0UL, 0, 0), ERR_INVALID_PARAM, -1);
    }
    /* Legacy remote fences (EIDs 5, 6, 7): a0 points at the mask. */
    static unsigned long mask_self = 1;
    check(36, sbi_legacy(5, (unsigned long)&mask_self) == 0, 5);
    check(36, sbi_call(6, 0, (unsigned long)&mask_self, 0, ~0UL, 0, 0, 0).error == 0, 6);
    check(36, sbi_call(7, 0, (unsigned long)&mask_self, 0, ~0UL, 1, 0, 0).error == 0, 7);
    check(36, sbi_legacy(5, 0) == 0, 0); /* a0 = 0: all harts */
}

/* Whether the hart has H: hstatus (0x600) reads, or is illegal. */
/* The PMU extension (SBI 2.0 chapter 11) over rvmm's counters
 * (src/cpu/pmu.h): 32 hardware counter slots (1, time, is none) and 16
 * firmware ones; instructions counted exactly; an overflow raising LCOFI
 * (Sscofpmf); stop/start state errors; a firmware counter of set_timer. */
#define PMU_ALL             0xffffffffffffUL /* counters 0..47 */
#define CFG_CLEAR_VALUE     2
#define CFG_AUTO_START      4
#define START_SET_INIT      1
#define STOP_RESET          1
#define ERR_ALREADY_STARTED (-7)
#define ERR_ALREADY_STOPPED (-8)

static unsigned long read_hpm3(void)
{
    unsigned long v;
    __asm__ volatile("csrr %0, 0xc03" : "=r"(v));
    return v;
}

static void test_pmu(void)
{
    expect(140, SBI0(EXT_PMU, 0), 0, 48);
    expect(141, SBI1(EXT_PMU, 1, 0), 0, 0xc00 | 63 << 12);
    expect(141, SBI1(EXT_PMU, 1, 3), 0, 0xc03 | 63 << 12);
    expect(141, SBI1(EXT_PMU, 1, 1), ERR_INVALID_PARAM, -1);
    expect(141, SBI1(EXT_PMU, 1, 48), ERR_INVALID_PARAM, -1);
    check(141, (long)SBI1(EXT_PMU, 1, 32).value < 0, 32); /* type: firmware */
    /* Instructions (hardware event 2): the first programmable counter. */
    expect(142, SBI4(EXT_PMU, 2, 0, PMU_ALL, CFG_CLEAR_VALUE | CFG_AUTO_START, 2), 0, 3);
    unsigned long a, b;
    __asm__ volatile("csrr %0, 0xc03\n .rept 50\n nop\n .endr\n csrr %1, 0xc03"
                     : "=&r"(a), "=r"(b));
    check(143, b - a == 51, (long)(b - a)); /* the first csrr and the 50 nops */
    expect(144, SBI3(EXT_PMU, 4, 3, 1, 0), 0, 0);
    expect(144, SBI3(EXT_PMU, 4, 3, 1, 0), ERR_ALREADY_STOPPED, -1);
    /* Stopping "all": the counters not handed out are passed over. */
    expect(144, SBI3(EXT_PMU, 4, 0, PMU_ALL, 0), ERR_ALREADY_STOPPED, -1);
    expect(144, SBI3(EXT_PMU, 4, 20, 0xf, 0), ERR_INVALID_PARAM, -1);
    unsigned long a2 = read_hpm3();
    __asm__ volatile(".rept 20\n nop\n .endr");
    check(145, read_hpm3() == a2, (long)a2);
    /* 30 instructions before the wrap; LCOFI enabled: taken once. */
    irq_count = 0;
    CSR_SET(sie, SIP_LCOFIP);
    CSR_SET(sstatus, SSTATUS_SIE);
    expect(146, SBI4(EXT_PMU, 3, 3, 1, START_SET_INIT, -30UL), 0, 0);
    for (volatile int k = 0; k < 100 && !irq_count; k++)
        ;
    CSR_CLEAR(sstatus, SSTATUS_SIE);
    CSR_CLEAR(sie, SIP_LCOFIP);
    check(146, irq_count == 1 && irq_cause == 13, (long)irq_count);
    unsigned long ovf;
    __asm__ volatile("csrr %0, 0xda0" : "=r"(ovf)); /* scountovf */
    check(147, ovf == 8, (long)ovf);
    expect(148, SBI4(EXT_PMU, 3, 3, 1, 0, 0), ERR_ALREADY_STARTED, -1);
    expect(149, SBI3(EXT_PMU, 4, 3, 1, STOP_RESET), 0, 0);
    expect(150, SBI4(EXT_PMU, 3, 3, 1, 0, 0), ERR_INVALID_PARAM, -1);
    /* A firmware counter of SET_TIMER calls. */
    expect(151, SBI4(EXT_PMU, 2, 0, PMU_ALL, CFG_AUTO_START, 0xf0005), 0, 32);
    expect(152, SBI1(EXT_TIME, 0, ~0UL), 0, 0);
    expect(152, SBI1(EXT_TIME, 0, ~0UL), 0, 0);
    expect(152, SBI1(EXT_PMU, 5, 32), 0, 2);
    expect(153, SBI3(EXT_PMU, 4, 32, 1, STOP_RESET), 0, 0);
    expect(153, SBI1(EXT_PMU, 5, 32), ERR_INVALID_PARAM, -1);
    expect(154, SBI1(EXT_PMU, 5, 3), ERR_INVALID_PARAM, -1);
    /* What rvmm cannot count, and counter sets that do not exist. */
    expect(155, SBI4(EXT_PMU, 2, 0, PMU_ALL, 0, 3), ERR_NOT_SUPPORTED, -1);
    expect(156, SBI4(EXT_PMU, 2, 40, 0xffff, 0, 2), ERR_INVALID_PARAM, -1);
    expect(156, SBI4(EXT_PMU, 2, 48, 1, 0, 2), ERR_INVALID_PARAM, -1);
    /* The raw event 0x100 (exceptions taken) on the freed counter. */
    expect(157, sbi_call(EXT_PMU, 2, 0, PMU_ALL, CFG_CLEAR_VALUE, 0x20000, 0x100, 0), 0, 3);
    expect(157, SBI3(EXT_PMU, 4, 3, 1, STOP_RESET), ERR_ALREADY_STOPPED, -1);
}

static void detect_h(void)
{
    probing_csr = 1;
    probe_trapped = 0;
    (void)CSR_READ(0x600);
    probing_csr = 0;
    has_h = !probe_trapped;
    puts_legacy(has_h ? "sbi probe: H extension present\n" : "sbi probe: H extension absent\n");
}

/* What a hypervisor in S-mode (Linux KVM) needs of the SBI beside the
 * calls: the guest's ecalls, guest-page faults and virtual instructions
 * reach HS-mode (delegated past M), and an HFENCE.GVMA call drops a
 * G-stage translation the hart may have cached. */
static unsigned long gstage_root[2048] __attribute__((aligned(16384)));

static void test_hypervisor(void)
{
    if (!has_h) return;
    CSR_WRITE(0x280, 0UL);                                      /* vsatp: Bare */
    CSR_WRITE(0x680, 0UL);                                      /* hgatp: Bare */
    check(120, vs_run(vs_ecall) == 10, (long)CSR_READ(scause)); /* ecall from VS */
    unsigned long insn = *(volatile unsigned int *)vs_hcsr;
    check(121, vs_run(vs_hcsr) == 22, (long)CSR_READ(scause)); /* virtual instruction */
    check(121, vs_saved[3] == insn, (long)vs_saved[3]);

    /* G-stage Sv39x4 mapping RAM's first GiB 1:1: guest code runs. */
    unsigned long ram = 0x80000000UL;
    gstage_root[ram >> 30] = ((ram >> 12) << 10) | 0xdf; /* V R W X U A D */
    CSR_WRITE(0x680, (8UL << 60) | ((unsigned long)gstage_root >> 12));
    expect(122, SBI2(EXT_RFENCE, 4, 1, 0), 0, 0);
    check(123, vs_run(vs_ecall) == 10, (long)CSR_READ(scause));
    /* Unmapped and fenced: the guest's first fetch is a guest-page fault
     * (cause 20) with htval = the guest physical address >> 2. */
    gstage_root[ram >> 30] = 0;
    expect(124, sbi_call(EXT_RFENCE, 3, 1, 0, 0, ~0UL, 0, 0), 0, 0);
    check(125, vs_run(vs_ecall) == 20, (long)CSR_READ(scause));
    check(126, vs_saved[2] == (unsigned long)vs_ecall >> 2, (long)vs_saved[2]);
    check(126, vs_saved[3] == (unsigned long)vs_ecall, (long)vs_saved[3]);
    CSR_WRITE(0x680, 0UL);
    expect(127, SBI2(EXT_RFENCE, 4, 1, 0), 0, 0);
    check(128, vs_run(vs_ecall) == 10, (long)CSR_READ(scause));

    /* A VS-level interrupt the hypervisor keeps (hideleg clear) is taken in
     * HS-mode from V=1 (mideleg's VS bits are read-only one): raised
     * through hvip, then by vstimecmp as Linux KVM sets its guests' timer
     * (henvcfg.STCE). */
    CSR_WRITE(0x603, 0UL);      /* hideleg */
    CSR_WRITE(0x604, 1UL << 6); /* hie.VSTIE */
    CSR_WRITE(0x645, 1UL << 6); /* hvip.VSTIP */
    check(129, vs_run(vs_ecall) == (SCAUSE_IRQ | 6), (long)CSR_READ(scause));
    CSR_WRITE(0x645, 0UL);
    check(130, vs_run(vs_ecall) == 10, (long)CSR_READ(scause));
    CSR_SET(0x60a, 1UL << 63); /* henvcfg.STCE */
    CSR_WRITE(0x24d, 0UL);     /* vstimecmp: due */
    check(131, vs_run(vs_ecall) == (SCAUSE_IRQ | 6), (long)CSR_READ(scause));
    CSR_WRITE(0x24d, ~0UL);
    CSR_WRITE(0x604, 0UL);
    CSR_CLEAR(0x60a, 1UL << 63);
}

/* The HFENCE calls drop what they name and keep the rest (a VMID, an
 * ASID, a range of guest addresses). rvmm keeps a guest's translations
 * across guest entry and exit, so a kept entry shows when its page is
 * mapped elsewhere with no fence: the guest still reads the old page. The
 * guest (VMID 1, vsatp Bare, ASID 0) reads guest pages A and B, which the
 * G-stage maps with 4 KiB pages to data pages holding 0x11, 0x22, 0x33. */
static unsigned long g_l1[512] __attribute__((aligned(4096)));
static unsigned long g_l0[512] __attribute__((aligned(4096)));
static unsigned long g_data[3][512] __attribute__((aligned(4096)));
#define GPA_A 0xC0000000UL
#define GPA_B 0xC0001000UL

static void g_map(unsigned page, unsigned data)
{
    g_l0[page] = (((unsigned long)g_data[data] >> 12) << 10) | 0xdf; /* V R W X U A D */
}

static void guest_reads(unsigned code, unsigned long a, unsigned long b)
{
    check(code, vs_run(vs_load2) == 10, (long)CSR_READ(scause));
    check(code, vs_vals[0] == a, (long)vs_vals[0]);
    check(code, vs_vals[1] == b, (long)vs_vals[1]);
}

static struct sbiret hfence(long fid, unsigned long start, unsigned long size, unsigned long id)
{
    return sbi_call(EXT_RFENCE, fid, 1, 0, start, size, id, 0);
}

static void test_hfence_narrow(void)
{
    if (!has_h) return;
    for (unsigned k = 0; k < 3; k++)
        g_data[k][0] = 0x11 * (k + 1);
    unsigned long ram = 0x80000000UL;
    gstage_root[ram >> 30] = ((ram >> 12) << 10) | 0xdf;
    gstage_root[GPA_A >> 30] = (((unsigned long)g_l1 >> 12) << 10) | 1;
    g_l1[0] = (((unsigned long)g_l0 >> 12) << 10) | 1;
    g_map(0, 0);
    g_map(1, 1);
    CSR_WRITE(0x280, 0UL); /* vsatp: Bare, ASID 0 */
    CSR_WRITE(0x680, (8UL << 60) | (1UL << 44) | ((unsigned long)gstage_root >> 12));
    expect(140, hfence(4, 0, 0, 0), 0, 0);
    guest_reads(141, 0x11, 0x22);
    g_map(0, 2);
    g_map(1, 2);
    guest_reads(142, 0x11, 0x22); /* no fence: both cached */

    /* HFENCE.GVMA_VMID: another VMID keeps both; VMID 1 over B drops B. */
    expect(143, hfence(3, GPA_A, 0x2000, 2), 0, 0);
    guest_reads(143, 0x11, 0x22);
    expect(144, hfence(3, GPA_B, 0x1000, 1), 0, 0);
    guest_reads(144, 0x11, 0x33);
    /* HFENCE.GVMA over one byte of A: every VMID's A. */
    expect(145, hfence(4, GPA_A + 8, 1, 0), 0, 0);
    guest_reads(145, 0x33, 0x33);

    /* HFENCE.VVMA_ASID: another ASID keeps both; HFENCE.VVMA over B drops
     * B; the guest's ASID over A drops A. */
    g_map(0, 0);
    g_map(1, 1);
    expect(146, hfence(5, GPA_A, 0x2000, 7), 0, 0);
    guest_reads(146, 0x33, 0x33);
    expect(147, hfence(6, GPA_B, 0x1000, 0), 0, 0);
    guest_reads(147, 0x33, 0x22);
    expect(148, hfence(5, GPA_A, 0x1000, 0), 0, 0);
    guest_reads(148, 0x11, 0x22);
    /* start 0 and size 0: every address. */
    g_map(0, 2);
    g_map(1, 2);
    expect(149, hfence(6, 0, 0, 0), 0, 0);
    guest_reads(149, 0x33, 0x33);

    CSR_WRITE(0x680, 0UL);
    gstage_root[GPA_A >> 30] = 0;
    expect(150, hfence(4, 0, 0, 0), 0, 0);
}

static void test_hsm(void)
{
    unsigned long entry = (unsigned long)secondary_entry;
    expect(40, SBI1(EXT_HSM, 2, 0), 0, 0); /* hart 0: STARTED */
    expect(41, SBI1(EXT_HSM, 2, 1), 0, 1); /* hart 1: STOPPED */
    expect(42, SBI1(EXT_HSM, 2, 99), ERR_INVALID_PARAM, -1);
    expect(42, SBI1(EXT_HSM, 2, ~0UL), ERR_INVALID_PARAM, -1);
    expect(43, SBI3(EXT_HSM, 0, 0, entry, 0), ERR_ALREADY_AVAILABLE, -1);
    expect(44, SBI3(EXT_HSM, 0, 1, OUTSIDE_RAM, 0), ERR_INVALID_ADDRESS, -1);
    expect(44, SBI3(EXT_HSM, 0, 1, 0x80000000UL + (1UL << 40), 0), ERR_INVALID_ADDRESS, -1);
    expect(45, SBI3(EXT_HSM, 0, 99, entry, 0), ERR_INVALID_PARAM, -1);
    expect(41, SBI1(EXT_HSM, 2, 1), 0, 1); /* the failed starts left it stopped */

    /* Start hart 1: it records its entry state, then stops. */
    sec_run = 0;
    sec_flag = 0;
    expect(46, SBI3(EXT_HSM, 0, 1, entry, OPAQUE), 0, 0);
    struct sbiret r = SBI1(EXT_HSM, 2, 1);
    check(47, r.error == 0 && r.value <= 2, (long)r.value); /* started, stopped or pending */
    check(48, wait_until(&sec_flag, 1, 5000), (long)sec_flag);
    check(49, sec_hartid == 1, (long)sec_hartid);
    check(50, sec_opaque == OPAQUE, (long)sec_opaque);
    check(51, !(sec_sstatus & SSTATUS_SIE) && sec_satp == 0, (long)sec_sstatus);
    unsigned long end = rdtime() + 5000 * TICKS_PER_MS;
    do
        r = SBI1(EXT_HSM, 2, 1);
    while (r.error == 0 && r.value != 1 && rdtime() < end);
    expect(52, r, 0, 1); /* stopped */

    /* Start it again: it waits in wfi for an IPI from this hart. */
    sec_run = 1;
    sec_ready = 0;
    sec_got_ipi = 0;
    expect(53, SBI3(EXT_HSM, 0, 1, entry, 7), 0, 0);
    check(54, wait_until(&sec_ready, 1, 5000), (long)sec_ready);
    expect(55, SBI1(EXT_HSM, 2, 1), 0, 0); /* started */
    expect(55, SBI3(EXT_HSM, 0, 1, entry, 7), ERR_ALREADY_AVAILABLE, -1);
    expect(56, SBI4(EXT_RFENCE, 1, 2, 0, 0, ~0UL), 0, 0); /* sfence.vma on hart 1 */
    expect(56, SBI2(EXT_RFENCE, 0, 3, 0), 0, 0);
    if (has_h) /* hfence.gvma and hfence.vvma on hart 1 while it runs */
        for (long f = 3; f <= 6; f++)
            expect(56, sbi_call(EXT_RFENCE, f, 2, 0, 0, ~0UL, 0, 0), 0, 0);
    expect(57, SBI2(EXT_IPI, 0, 1, 1), 0, 0); /* mask 1 from base 1: hart 1 */
    check(58, wait_until(&sec_flag, 2, 5000), (long)sec_flag);
    check(58, sec_got_ipi == 1 && sec_opaque == 7, (long)sec_got_ipi);
    end = rdtime() + 5000 * TICKS_PER_MS;
    do
        r = SBI1(EXT_HSM, 2, 1);
    while (r.error == 0 && r.value != 1 && rdtime() < end);
    expect(59, r, 0, 1);

    /* hart_suspend: reserved and unimplemented platform types. */
    expect(60, SBI3(EXT_HSM, 3, 1, 0, 0), ERR_INVALID_PARAM, -1);
    expect(60, SBI3(EXT_HSM, 3, 0x0fffffff, 0, 0), ERR_INVALID_PARAM, -1);
    expect(60, SBI3(EXT_HSM, 3, 0x80000001, 0, 0), ERR_INVALID_PARAM, -1);
    expect(61, SBI3(EXT_HSM, 3, 0x10000000, 0, 0), ERR_INVALID_PARAM, -1);
    expect(61, SBI3(EXT_HSM, 3, 0x7fffffff, 0, 0), ERR_INVALID_PARAM, -1);
    expect(61, SBI3(EXT_HSM, 3, 0x90000000, 0, 0), ERR_INVALID_PARAM, -1);
    expect(61, SBI3(EXT_HSM, 3, 0xf0000000, 0, 0), ERR_INVALID_PARAM, -1);
    expect(62, SBI3(EXT_HSM, 3, 0x80000000, OUTSIDE_RAM, 0), ERR_INVALID_ADDRESS, -1);

    /* Retentive suspend returns 0 after the timer (enabled in sie, SIE 0). */
    unsigned long target = rdtime() + 20 * TICKS_PER_MS;
    expect(63, SBI1(EXT_TIME, 0, target), 0, 0);
    CSR_SET(sie, SIP_STIP);
    r = SBI3(EXT_HSM, 3, 0, 0, 0);
    unsigned long now = rdtime();
    CSR_CLEAR(sie, SIP_STIP);
    expect(64, r, 0, -1);
    check(65, now >= target, (long)(target - now));
    expect(66, SBI1(EXT_TIME, 0, ~0UL), 0, 0);
}

static void test_dbcn(void)
{
    static const char msg[] = "sbi probe: dbcn console_write\n";
    unsigned long n = sizeof(msg) - 1;
    expect(70, SBI3(EXT_DBCN, 0, n, (unsigned long)msg, 0), 0, (long)n);
    expect(71, SBI3(EXT_DBCN, 0, 4, OUTSIDE_RAM, 0), ERR_INVALID_PARAM, -1);
    expect(71, SBI3(EXT_DBCN, 0, 4, (unsigned long)msg, 1), ERR_INVALID_PARAM, -1);
    expect(71, SBI3(EXT_DBCN, 0, 1UL << 40, (unsigned long)msg, 0), ERR_INVALID_PARAM, -1);
    static const char bytes[] = "sbi probe: dbcn console_write_byte\n";
    for (const char *p = bytes; *p; p++)
        expect(72, SBI1(EXT_DBCN, 2, (unsigned char)*p), 0, -1);
    /* console_read: stdin is empty, so 0 bytes; bad memory is refused. */
    static char in[16];
    struct sbiret r = SBI3(EXT_DBCN, 1, sizeof(in), (unsigned long)in, 0);
    check(73, r.error == 0 && r.value <= sizeof(in), r.error);
    expect(74, SBI3(EXT_DBCN, 1, 4, OUTSIDE_RAM, 0), ERR_INVALID_PARAM, -1);
}

static void test_srst_invalid(void)
{
    expect(80, SBI2(EXT_SRST, 0, 3, 0), ERR_INVALID_PARAM, -1);
    expect(80, SBI2(EXT_SRST, 0, 0xefffffff, 0), ERR_INVALID_PARAM, -1);
    expect(80, SBI2(EXT_SRST, 0, 0xf0000000, 0), ERR_INVALID_PARAM, -1);
    expect(81, SBI2(EXT_SRST, 0, 0, 2), ERR_INVALID_PARAM, -1);
    expect(81, SBI2(EXT_SRST, 0, 0, 0xe0000000), ERR_INVALID_PARAM, -1);
}

static void test_legacy_console(void)
{
    const char *s = "sbi probe: legacy console_putchar\n";
    while (*s)
        check(90, sbi_legacy(1, (unsigned char)*s++) == 0, 0);
    check(91, sbi_legacy(2, 0) == -1, 0); /* console_getchar: no input */
}

/* After the non-retentive suspend: a fresh entry at resume_entry. */
void __attribute__((noreturn)) probe_resumed(unsigned long hartid, unsigned long opaque)
{
    check(101, hartid == 0, (long)hartid);
    check(102, opaque == OPAQUE, (long)opaque);
    check(103, !(CSR_READ(sstatus) & SSTATUS_SIE) && CSR_READ(satp) == 0, (long)CSR_READ(sstatus));
    CSR_CLEAR(sie, SIP_STIP);
    expect(104, SBI1(EXT_TIME, 0, ~0UL), 0, 0);
    expect(105, SBI1(EXT_HSM, 2, 0), 0, 0);

    puts_legacy("sbi probe: all checks passed; SRST shutdown\n");
    struct sbiret r = SBI2(EXT_SRST, 0, 0, 0);
    fail(110, r.error); /* shutdown returned */
}

void __attribute__((noreturn)) probe_main(unsigned long hartid, unsigned long fdt)
{
    check(100, hartid == 0, (long)hartid);
    (void)fdt;
    puts_legacy("sbi probe: start\n");
    test_base();
    test_unknown();
    test_preserved();
    test_time();
    test_ipi();
    test_pmu();
    detect_h();
    test_rfence();
    test_hypervisor();
    test_hfence_narrow();
    test_hsm();
    test_dbcn();
    test_srst_invalid();
    test_legacy_console();

    /* Non-retentive suspend: resumes at resume_entry once the timer fires. */
    expect(106, SBI1(EXT_TIME, 0, rdtime() + 5 * TICKS_PER_MS), 0, 0);
    CSR_SET(sie, SIP_STIP);
    struct sbiret r = SBI3(EXT_HSM, 3, 0x80000000, (unsigned long)resume_entry, OPAQUE);
    fail(107, r.error); /* a successful non-retentive suspend does not return */
}
