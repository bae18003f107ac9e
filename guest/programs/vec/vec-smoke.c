/* vec-smoke: runs the loops of vec-kernels.c as compiled for rv64gcv (clang
 * auto-vectorised: vsetvli, vle/vse, vmacc, vfmacc, vredsum...) when the
 * kernel gives user space V (AT_HWCAP bit 'V'), and always as compiled for
 * rv64gc, on lengths that exercise the vector loop, its tail and the scalar
 * epilogue. Each result is checked against a closed form, so a wrong vector
 * instruction fails whichever path ran. Without V (a kernel before 6.5, as
 * the 6.1 guest, or --cpu without v) it runs the scalar build only and says
 * so instead of dying with SIGILL. Prints one line, "vec-smoke: PASS vector
 * vlenb=N ..." or "vec-smoke: PASS scalar (V absent) ..." or "vec-smoke:
 * FAIL ...", and exits non-zero on a failure. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>

#define NMAX 10007L /* a prime: no vector length divides it */

/* vec-kernels.c, built twice (guest/build-initramfs.sh). */
#define VK_DECL(sfx)                                                                               \
    void vk_saxpy_##sfx(long n, int a, const int *restrict x, int *restrict y);                    \
    long vk_sum_##sfx(long n, const int *x);                                                       \
    void vk_fma_##sfx(long n, float s, const float *restrict x, const float *restrict y,           \
                      float *restrict z);                                                          \
    long vk_bytes_##sfx(long n, const unsigned char *restrict src, unsigned char *restrict d,      \
                        unsigned char k, unsigned char lim);
VK_DECL(scalar)
VK_DECL(vector)

struct vk_ops {
    const char *name;
    void (*saxpy)(long, int, const int *restrict, int *restrict);
    long (*sum)(long, const int *);
    void (*fma)(long, float, const float *restrict, const float *restrict, float *restrict);
    long (*bytes)(long, const unsigned char *restrict, unsigned char *restrict, unsigned char,
                  unsigned char);
};

static const struct vk_ops scalar_ops = {"scalar", vk_saxpy_scalar, vk_sum_scalar, vk_fma_scalar,
                                         vk_bytes_scalar};
static const struct vk_ops vector_ops = {"vector", vk_saxpy_vector, vk_sum_vector, vk_fma_vector,
                                         vk_bytes_vector};

static int x[NMAX], y[NMAX];
static float fx[NMAX], fy[NMAX], fz[NMAX];
static unsigned char bs[NMAX], bd[NMAX];

static int failf(const char *ops, const char *what, long n, long i, long got, long want)
{
    printf("vec-smoke: FAIL %s %s n=%ld i=%ld got %ld want %ld\n", ops, what, n, i, got, want);
    return 1;
}

/* One length through every loop of ops; 0 when all results are right. */
static int check_len(const struct vk_ops *ops, long n)
{
    for (long i = 0; i < n; i++) {
        x[i] = (int)(i - 5000);
        y[i] = (int)(3 * i + 1);
        fx[i] = (float)(i % 1024);
        fy[i] = (float)(i % 7);
        fz[i] = -1.0f;
        bs[i] = (unsigned char)(i * 7);
        bd[i] = 0;
    }
    long sum = ops->sum(n, x);
    long want = n * (n - 1) / 2 - 5000 * n;
    if (sum != want) return failf(ops->name, "sum", n, -1, sum, want);
    ops->saxpy(n, 7, x, y);
    for (long i = 0; i < n; i++)
        if (y[i] != 10 * i - 34999) return failf(ops->name, "saxpy", n, i, y[i], 10 * i - 34999);
    ops->fma(n, 0.5f, fx, fy, fz);
    for (long i = 0; i < n; i++) {
        float w = (float)(i % 1024) * 0.5f + (float)(i % 7); /* exact in binary32 */
        if (fz[i] != w) return failf(ops->name, "fma", n, i, (long)(fz[i] * 2), (long)(w * 2));
    }
    long below = ops->bytes(n, bs, bd, 0x5a, 100);
    long wbelow = 0;
    for (long i = 0; i < n; i++) {
        unsigned char b = (unsigned char)(i * 7);
        wbelow += b < 100;
        if (bd[i] != (b ^ 0x5a)) return failf(ops->name, "xor", n, i, bd[i], b ^ 0x5a);
    }
    if (below != wbelow) return failf(ops->name, "count", n, -1, below, wbelow);
    return 0;
}

static int check_all(const struct vk_ops *ops)
{
    static const long lens[] = {0,  1,  2,  3,  4,  5,   7,   8,   9,   15,  16,  17,   31,
                                32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, NMAX};
    for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++)
        if (check_len(ops, lens[k])) return 1;
    return 0;
}

int main(void)
{
    /* Linux's AT_HWCAP has bit (letter - 'A') for each single-letter
     * extension it gives user space; V only from 6.5 on. */
    int has_v = (getauxval(AT_HWCAP) >> ('V' - 'A')) & 1;
    if (check_all(&scalar_ops)) return 1;
    if (!has_v) {
        printf("vec-smoke: PASS scalar (V absent) n=%ld\n", NMAX);
        return 0;
    }
    if (check_all(&vector_ops)) return 1;
    unsigned long vlenb;
    __asm__ volatile("csrr %0, 0xc22" : "=r"(vlenb)); /* vlenb */
    printf("vec-smoke: PASS vector vlenb=%lu n=%ld\n", vlenb, NMAX);
    return 0;
}
