/* Compression of a migration's PAGE frames (zstd or lz4, the source's
 * choice, which the destination reads from the hello). A compressed PAGE
 * payload is {u32 word, bytes}: the word's low 31 bits are the plain
 * payload's length, its top bit says the bytes are that payload as is (a
 * batch of random pages does not shrink; sending it plain costs 4 bytes,
 * not a bigger frame). Decompression trusts nothing from the wire: the
 * length is bounded, and the output must come out exactly that long, or
 * the frame is corrupt (-EBADMSG). Knows nothing of VMs or sockets. */
#include "vmm/migration_impl.h"

#include <errno.h>
#include <lz4.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* zstd's fastest levels: the point is to beat the link, not to archive. */
#define MIG_ZSTD_LEVEL 1
#define MIG_STORED     0x80000000u

int mig_codec_init(struct mig_codec *c, int alg)
{
    memset(c, 0, sizeof(*c));
    c->alg = alg;
    if (alg == MIG_COMPRESS_ZSTD) {
        c->cctx = ZSTD_createCCtx();
        c->dctx = ZSTD_createDCtx();
        if (!c->cctx || !c->dctx) {
            mig_codec_free(c);
            return -ENOMEM;
        }
        ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel, MIG_ZSTD_LEVEL);
        /* The frame's CRC covers the wire; this covers a source that
         * compressed garbage (an xxhash of the content, checked on
         * decompression). */
        ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1);
    }
    return 0;
}

void mig_codec_free(struct mig_codec *c)
{
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    c->cctx = c->dctx = NULL;
}

size_t mig_codec_bound(int alg, size_t n)
{
    size_t b = alg == MIG_COMPRESS_ZSTD  ? ZSTD_compressBound(n)
               : alg == MIG_COMPRESS_LZ4 ? (size_t)LZ4_compressBound((int)n)
                                         : n;
    return 4 + (b > n ? b : n);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

int mig_codec_pack(struct mig_codec *c, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                   size_t *out)
{
    if (n >= MIG_STORED || cap < mig_codec_bound(c->alg, n)) return -EINVAL;
    size_t z = 0;
    if (c->alg == MIG_COMPRESS_ZSTD) {
        z = ZSTD_compress2(c->cctx, dst + 4, cap - 4, src, n);
        if (ZSTD_isError(z)) z = 0;
    } else if (c->alg == MIG_COMPRESS_LZ4) {
        int r = LZ4_compress_default((const char *)src, (char *)dst + 4, (int)n, (int)(cap - 4));
        z = r > 0 ? (size_t)r : 0;
    }
    if (z == 0 || z >= n) { /* did not shrink: as is */
        memcpy(dst + 4, src, n);
        put32(dst, (uint32_t)n | MIG_STORED);
        *out = 4 + n;
        return 0;
    }
    put32(dst, (uint32_t)n);
    *out = 4 + z;
    return 0;
}

int mig_codec_unpack(struct mig_codec *c, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                     size_t *out)
{
    if (n < 4) return -EBADMSG;
    uint32_t w =
        (uint32_t)src[0] | (uint32_t)src[1] << 8 | (uint32_t)src[2] << 16 | (uint32_t)src[3] << 24;
    size_t want = w & ~MIG_STORED;
    src += 4;
    n -= 4;
    if (want > cap) return -EBADMSG;
    if (w & MIG_STORED) {
        if (n != want) return -EBADMSG;
        memcpy(dst, src, n);
        *out = n;
        return 0;
    }
    size_t got;
    if (c->alg == MIG_COMPRESS_ZSTD) {
        got = ZSTD_decompressDCtx(c->dctx, dst, want, src, n);
        if (ZSTD_isError(got)) return -EBADMSG;
    } else if (c->alg == MIG_COMPRESS_LZ4) {
        if (n > (size_t)LZ4_MAX_INPUT_SIZE) return -EBADMSG;
        int r = LZ4_decompress_safe((const char *)src, (char *)dst, (int)n, (int)want);
        if (r < 0) return -EBADMSG;
        got = (size_t)r;
    } else {
        return -EBADMSG; /* a compressed frame in a plain stream */
    }
    if (got != want) return -EBADMSG;
    *out = got;
    return 0;
}
