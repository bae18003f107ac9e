/* Dump of a differential-test program's final state as text on the UART:
 * x1..x31, f0..f31 (raw 64 bits), fcsr, mscratch, mstatus, the trap record
 * (mcause, mepc, mtval or "none"), a checksum and the words of the scratch
 * area. Called by rt.S once all registers are saved; the runner compares these
 * lines between QEMU and rvmm. It must print nothing that varies between runs. */
#include <stdint.h>

#define DIFF_UART         0x10000000UL
#define DIFF_SCRATCH_SIZE 512

extern uint64_t diff_save_x[32];
extern uint64_t diff_save_f[32];
extern uint64_t diff_save_csr[8];
extern uint8_t diff_scratch[DIFF_SCRATCH_SIZE];

void diff_dump(void);

static void dump_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)DIFF_UART;

    while (!(uart[5] & 0x20)) /* LSR.THRE */
        ;
    uart[0] = (uint8_t)c;
}

static void dump_puts(const char *s)
{
    while (*s)
        dump_putc(*s++);
}

static void dump_line(const char *name, unsigned idx, int with_idx, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";

    dump_puts(name);
    if (with_idx) {
        dump_putc((char)('0' + idx / 10));
        dump_putc((char)('0' + idx % 10));
    }
    dump_putc(' ');
    for (int sh = 60; sh >= 0; sh -= 4)
        dump_putc(hex[(v >> sh) & 15]);
    dump_putc('\n');
}

void diff_dump(void)
{
    uint64_t sum = 0xcbf29ce484222325ULL; /* FNV-1a 64 */

    dump_puts("\nDIFF-BEGIN\n");
    for (unsigned i = 1; i < 32; i++)
        dump_line("x", i, 1, diff_save_x[i]);
    for (unsigned i = 0; i < 32; i++)
        dump_line("f", i, 1, diff_save_f[i]);
    dump_line("fcsr", 0, 0, diff_save_csr[4]);
    dump_line("mscratch", 0, 0, diff_save_csr[5]);
    dump_line("mstatus", 0, 0, diff_save_csr[6]);
    if (diff_save_csr[0]) {
        dump_line("mcause", 0, 0, diff_save_csr[1]);
        dump_line("mepc", 0, 0, diff_save_csr[2]);
        dump_line("mtval", 0, 0, diff_save_csr[3]);
    } else {
        dump_puts("trap none\n");
    }
    for (unsigned i = 0; i < DIFF_SCRATCH_SIZE; i++)
        sum = (sum ^ diff_scratch[i]) * 0x100000001b3ULL;
    dump_line("csum", 0, 0, sum);
    for (unsigned i = 0; i < DIFF_SCRATCH_SIZE / 8; i++) {
        uint64_t w = 0;
        for (unsigned b = 0; b < 8; b++)
            w |= (uint64_t)diff_scratch[i * 8 + b] << (8 * b);
        dump_line("m", i, 1, w);
    }
    dump_puts("DIFF-END\n");
}
