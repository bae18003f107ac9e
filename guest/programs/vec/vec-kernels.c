/* vec-kernels: the loops vec-smoke checks, written as plain C for the
 * compiler to vectorise. guest/build-initramfs.sh compiles this file twice
 * with clang: -march=rv64gc with VK_SUFFIX=scalar and -march=rv64gcv with
 * VK_SUFFIX=vector (checking with objdump that the vector object has vector
 * instructions and the scalar one none), so one source gives the reference
 * and the vectorised code. No headers: the file must build without the
 * target's C library headers, and it calls nothing. */
#define VK_CAT2(a, b) a##_##b
#define VK_CAT(a, b)  VK_CAT2(a, b)
#define VK(name)      VK_CAT(name, VK_SUFFIX)

/* y[i] = a * x[i] + y[i] (vmacc / vmadd) */
void VK(vk_saxpy)(long n, int a, const int *restrict x, int *restrict y)
{
    for (long i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

/* The sum of x widened to 64 bits (vsext/vwadd and vredsum). */
long VK(vk_sum)(long n, const int *x)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += x[i];
    return s;
}

/* z[i] = x[i] * s + y[i] in single precision (vfmacc / vfmadd.vf). */
void VK(vk_fma)(long n, float s, const float *restrict x, const float *restrict y,
                float *restrict z)
{
    for (long i = 0; i < n; i++)
        z[i] = x[i] * s + y[i];
}

/* Bytes: d[i] = src[i] ^ k, and the count of src[i] below lim (vxor at
 * SEW 8, a compare feeding a reduction). */
long VK(vk_bytes)(long n, const unsigned char *restrict src, unsigned char *restrict d,
                  unsigned char k, unsigned char lim)
{
    long below = 0;
    for (long i = 0; i < n; i++) {
        d[i] = src[i] ^ k;
        below += src[i] < lim;
    }
    return below;
}
