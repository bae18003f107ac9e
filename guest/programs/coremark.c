/* coremark: a CoreMark-like CPU benchmark for bench/cpu.sh, built static
 * into the guest (/usr/bin/coremark) and natively on the host, so the same
 * work runs under rvmm (both engines), QEMU and bare x86-64. One iteration
 * does what CoreMark does: linked-list find/reverse/sort, a small integer
 * matrix multiply, a state machine scanning a numeric string, and a CRC-16
 * over every result. Only fixed-width unsigned arithmetic, so the checksum
 * is the same on every architecture; it is checked against the known value
 * for the fixed seed, and a mismatch exits 1.
 * Usage: coremark [iterations, default 10000]
 * Prints: "coremark: N iterations in S s, I iterations/s, checksum 0xC, OK". */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LIST_LEN 64
#define MAT_N    16
#define STR_LEN  256
#define SEED     0x3415u
/* The checksum of 10000 iterations from SEED (the default run). */
#define CHECK_ITER 10000u
#define CHECK_CRC  0x6759u

static uint16_t crc16_byte(uint16_t crc, uint8_t b)
{
    crc ^= b;
    for (int k = 0; k < 8; k++)
        crc = (uint16_t)((crc & 1) ? (crc >> 1) ^ 0xa001u : crc >> 1);
    return crc;
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        crc = crc16_byte(crc, (uint8_t)(v >> (8 * k)));
    return crc;
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* ---- linked list ---------------------------------------------------- */
struct node {
    struct node *next;
    uint32_t key, val;
};

static struct node *list_reverse(struct node *n)
{
    struct node *prev = NULL;
    while (n) {
        struct node *next = n->next;
        n->next = prev;
        prev = n;
        n = next;
    }
    return prev;
}

static const struct node *list_find(const struct node *n, uint32_t key)
{
    for (; n; n = n->next)
        if (n->key == key) return n;
    return NULL;
}

/* Merge sort by key (stable), as CoreMark's core_list_mergesort. */
static struct node *list_sort(struct node *list)
{
    for (unsigned width = 1;; width *= 2) {
        struct node *p = list, *tail = NULL;
        list = NULL;
        unsigned merges = 0;
        while (p) {
            merges++;
            struct node *q = p;
            unsigned psize = 0, qsize = width;
            for (unsigned k = 0; k < width && q; k++, psize++)
                q = q->next;
            while (psize || (qsize && q)) {
                struct node *e;
                if (!psize) {
                    e = q, q = q->next, qsize--;
                } else if (!qsize || !q || p->key <= q->key) {
                    e = p, p = p->next, psize--;
                } else {
                    e = q, q = q->next, qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
    }
}

static uint16_t bench_list(struct node *pool, uint32_t *seed, uint16_t crc)
{
    for (unsigned k = 0; k < LIST_LEN; k++) {
        pool[k].key = lcg(seed) & 0xff;
        pool[k].val = lcg(seed);
        pool[k].next = k + 1 < LIST_LEN ? &pool[k + 1] : NULL;
    }
    struct node *list = &pool[0];
    for (unsigned k = 0; k < 8; k++) {
        const struct node *f = list_find(list, lcg(seed) & 0xff);
        crc = crc16_u32(crc, f ? f->val : 0xffffffffu);
        list = list_reverse(list);
    }
    list = list_sort(list);
    for (const struct node *n = list; n; n = n->next)
        crc = crc16_u32(crc, n->key ^ (n->val << 3));
    return crc;
}

/* ---- matrix ---------------------------------------------------------- */
static uint16_t bench_matrix(uint32_t *seed, uint16_t crc)
{
    static uint32_t a[MAT_N][MAT_N], b[MAT_N][MAT_N], c[MAT_N][MAT_N];
    for (unsigned i = 0; i < MAT_N; i++)
        for (unsigned j = 0; j < MAT_N; j++) {
            a[i][j] = lcg(seed) & 0xffff;
            b[i][j] = lcg(seed) & 0xffff;
        }
    for (unsigned i = 0; i < MAT_N; i++)
        for (unsigned j = 0; j < MAT_N; j++) {
            uint32_t s = 0;
            for (unsigned k = 0; k < MAT_N; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    uint32_t acc = 0;
    for (unsigned i = 0; i < MAT_N; i++)
        for (unsigned j = 0; j < MAT_N; j++)
            acc += (c[i][j] >> 3) ^ (i * j);
    return crc16_u32(crc, acc);
}

/* ---- state machine ---------------------------------------------------- */
enum state { S_START, S_INT, S_FRAC, S_EXP, S_SEXP, S_INVALID, S_COUNT };

static uint16_t bench_state(uint32_t *seed, uint16_t crc)
{
    static const char alphabet[] = "0123456789.,+-eE#";
    char s[STR_LEN];
    for (unsigned k = 0; k < STR_LEN; k++)
        s[k] = alphabet[lcg(seed) % (sizeof(alphabet) - 1)];
    uint32_t counts[S_COUNT] = {0};
    enum state st = S_START;
    for (unsigned k = 0; k < STR_LEN; k++) {
        char ch = s[k];
        if (ch == ',') {
            counts[st]++;
            st = S_START;
            continue;
        }
        bool digit = ch >= '0' && ch <= '9';
        switch (st) {
        case S_START: st = digit ? S_INT : (ch == '+' || ch == '-') ? S_INT : S_INVALID; break;
        case S_INT: st = digit ? S_INT : ch == '.' ? S_FRAC : S_INVALID; break;
        case S_FRAC: st = digit ? S_FRAC : (ch == 'e' || ch == 'E') ? S_EXP : S_INVALID; break;
        case S_EXP: st = (digit || ch == '+' || ch == '-') ? S_SEXP : S_INVALID; break;
        case S_SEXP: st = digit ? S_SEXP : S_INVALID; break;
        default: break;
        }
    }
    for (unsigned k = 0; k < S_COUNT; k++)
        crc = crc16_u32(crc, counts[k]);
    return crc;
}

/* The system call, not the vDSO: under rvmm's builtin SBI (no PMU
 * extension) Linux 6.1 leaves scounteren.TM clear, so the vDSO's rdtime is
 * an illegal instruction in U-mode; OpenSBI boots do not have the problem. */
static double now(void)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    unsigned long iters = CHECK_ITER;
    if (argc > 2 || (argc == 2 && (iters = strtoul(argv[1], NULL, 10)) == 0)) {
        fprintf(stderr, "usage: coremark [iterations]\n");
        return 2;
    }
    static struct node pool[LIST_LEN];
    uint32_t seed = SEED;
    uint16_t crc = 0;
    double t0 = now();
    for (unsigned long k = 0; k < iters; k++) {
        crc = bench_list(pool, &seed, crc);
        crc = bench_matrix(&seed, crc);
        crc = bench_state(&seed, crc);
    }
    double dt = now() - t0;
    bool checked = iters == CHECK_ITER;
    bool ok = !checked || crc == CHECK_CRC;
    printf("coremark: %lu iterations in %.3f s, %.0f iterations/s, checksum 0x%04x, %s\n", iters,
           dt, dt > 0 ? (double)iters / dt : 0.0, crc,
           !checked ? "unchecked"
           : ok     ? "OK"
                    : "WRONG");
    return ok ? 0 : 1;
}
