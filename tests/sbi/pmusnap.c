/* pmusnap: a bare-metal S-mode program whose SBI PMU counters must survive
 * a snapshot and restore (tests/sbi/pmusnap_test.py). It has the built-in
 * SBI hand it a running firmware counter (set_timer calls), a configured
 * but stopped one (IPIs sent), mcycle through its fixed slot and
 * instructions on a programmable counter, counts three set_timer calls,
 * prints "pmusnap: ready" and waits for a byte on the UART; the test
 * snapshots it there and restores it in a new process before sending the
 * byte. Then every counter must still be the guest's: the firmware count
 * goes on from 3, the stopped counter starts, mcycle stops, and reset
 * counters are freed. A failed check prints its code and writes
 * (code << 16) | 0x3333 to the test finisher (rvmm exits with the code);
 * success prints "pmusnap: PASS" and shuts down through SRST (exit 0). */
#include <stdint.h>

#define EXT_TIME 0x54494d45
#define EXT_IPI  0x735049
#define EXT_SRST 0x53525354
#define EXT_PMU  0x504d55

#define PMU_NUM_COUNTERS    0
#define PMU_CONFIG_MATCHING 2
#define PMU_START           3
#define PMU_STOP            4
#define PMU_FW_READ         5
#define PMU_ALL             0xffffffffffffUL /* counters 0..47 */
#define CFG_CLEAR_VALUE     2
#define CFG_AUTO_START      4
#define STOP_RESET          1
#define EV_HW_CYCLES        1
#define EV_HW_INSTRUCTIONS  2
#define EV_FW_SET_TIMER     0xf0005
#define EV_FW_IPI_SENT      0xf0006

#define ERR_INVALID_PARAM   (-3)
#define ERR_ALREADY_STOPPED (-8)

#define FINISHER ((volatile uint32_t *)0x100000UL)
#define UART     ((volatile uint8_t *)0x10000000UL)
#define UART_LSR 5
#define LSR_DR   1

struct sbiret {
    long error;
    unsigned long value;
};

static struct sbiret sbi(long eid, long fid, unsigned long a0, unsigned long a1, unsigned long a2,
                         unsigned long a3)
{
    register unsigned long r0 __asm__("a0") = a0;
    register unsigned long r1 __asm__("a1") = a1;
    register unsigned long r2 __asm__("a2") = a2;
    register unsigned long r3 __asm__("a3") = a3;
    register unsigned long r4 __asm__("a4") = 0;
    register unsigned long r6 __asm__("a6") = (unsigned long)fid;
    register unsigned long r7 __asm__("a7") = (unsigned long)eid;
    __asm__ volatile("ecall"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
                     : "memory");
    return (struct sbiret){(long)r0, r1};
}

static void puts_uart(const char *s)
{
    while (*s)
        *UART = (uint8_t)*s++; /* rvmm's UART takes a byte at any time */
}

static void put_hex(unsigned long v)
{
    char buf[19] = "0x";
    for (int k = 0; k < 16; k++)
        buf[2 + k] = "0123456789abcdef"[(v >> (60 - 4 * k)) & 15];
    buf[18] = 0;
    puts_uart(buf);
}

static void __attribute__((noreturn)) hang(void)
{
    for (;;)
        __asm__ volatile("wfi");
}

/* Checks an SBI result: the error code, and the value when value >= 0. */
static void expect(unsigned code, struct sbiret r, long error, long value)
{
    if (r.error == error && (value < 0 || r.value == (unsigned long)value)) return;
    puts_uart("pmusnap: FAIL check ");
    put_hex(code);
    puts_uart(" error ");
    put_hex((unsigned long)r.error);
    puts_uart(" value ");
    put_hex(r.value);
    puts_uart("\n");
    *FINISHER = (code << 16) | 0x3333;
    hang();
}

static void set_timers(int n)
{
    for (int k = 0; k < n; k++)
        expect(1, sbi(EXT_TIME, 0, ~0UL, 0, 0, 0), 0, 0);
}

void pmusnap_main(unsigned long hartid)
{
    expect(2, sbi(EXT_PMU, PMU_NUM_COUNTERS, 0, 0, 0, 0), 0, 48);
    expect(3, sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, PMU_ALL, CFG_AUTO_START, EV_FW_SET_TIMER), 0,
           32);
    expect(4, sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, PMU_ALL, 0, EV_FW_IPI_SENT), 0, 33);
    /* Base 0, mask 1: only mcycle will do. */
    expect(5,
           sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, 1, CFG_CLEAR_VALUE | CFG_AUTO_START, EV_HW_CYCLES),
           0, 0);
    expect(6,
           sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, PMU_ALL, CFG_CLEAR_VALUE | CFG_AUTO_START,
               EV_HW_INSTRUCTIONS),
           0, 3);
    set_timers(3);
    expect(7, sbi(EXT_PMU, PMU_FW_READ, 32, 0, 0, 0), 0, 3);
    puts_uart("pmusnap: ready\n");
    while (!(UART[UART_LSR] & LSR_DR))
        ;
    (void)UART[0];
    /* The restored hart: the same counters, in the same states. */
    set_timers(2);
    expect(10, sbi(EXT_PMU, PMU_FW_READ, 32, 0, 0, 0), 0, 5);
    expect(11, sbi(EXT_PMU, PMU_FW_READ, 33, 0, 0, 0), 0, 0);
    expect(12, sbi(EXT_PMU, PMU_STOP, 33, 1, 0, 0), ERR_ALREADY_STOPPED, -1);
    expect(13, sbi(EXT_PMU, PMU_START, 33, 1, 0, 0), 0, 0);
    expect(14, sbi(EXT_IPI, 0, 1, hartid, 0, 0), 0, 0); /* to itself: SSIP, never enabled */
    expect(15, sbi(EXT_PMU, PMU_FW_READ, 33, 0, 0, 0), 0, 1);
    expect(16, sbi(EXT_PMU, PMU_STOP, 0, 1, 0, 0), 0, 0); /* mcycle was handed out, running */
    expect(17, sbi(EXT_PMU, PMU_STOP, 0, 1, 0, 0), ERR_ALREADY_STOPPED, -1);
    expect(18, sbi(EXT_PMU, PMU_STOP, 3, 1, STOP_RESET, 0), 0, 0);
    expect(19, sbi(EXT_PMU, PMU_STOP, 32, 3, STOP_RESET, 0), 0, 0);
    expect(20, sbi(EXT_PMU, PMU_FW_READ, 32, 0, 0, 0), ERR_INVALID_PARAM, -1);
    /* Freed: the next firmware counter is 32 again, and mcycle is free. */
    expect(21, sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, PMU_ALL, 0, EV_FW_SET_TIMER), 0, 32);
    expect(22, sbi(EXT_PMU, PMU_STOP, 0, 1, STOP_RESET, 0), ERR_ALREADY_STOPPED, -1);
    expect(23, sbi(EXT_PMU, PMU_CONFIG_MATCHING, 0, 1, 0, EV_HW_CYCLES), 0, 0);
    puts_uart("pmusnap: PASS\n");
    sbi(EXT_SRST, 0, 0, 0, 0, 0); /* shutdown, no reason */
    hang();
}

/* rvmm's built-in SBI enters here in S-mode, a0 = hartid. */
__asm__(".section .text.init, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "    la gp, __global_pointer$\n"
        ".option pop\n"
        "    la sp, pmusnap_stack + 4096\n"
        "    call pmusnap_main\n"
        "1:  wfi\n"
        "    j 1b\n"
        ".text\n");

unsigned char pmusnap_stack[4096] __attribute__((aligned(16)));
