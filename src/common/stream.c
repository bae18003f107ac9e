/* Save/restore byte streams. Owns buffer growth and bounds checks; knows
 * nothing of what the bytes mean. */
#include "common/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void stream_init_writer(struct stream *s)
{
    memset(s, 0, sizeof(*s));
}

void stream_init_reader(struct stream *s, const void *data, size_t len)
{
    memset(s, 0, sizeof(*s));
    s->buf = (uint8_t *)data;
    s->len = len;
}

void stream_free(struct stream *s)
{
    if (s->cap) free(s->buf);
    memset(s, 0, sizeof(*s));
}

void stream_put(struct stream *s, const void *p, size_t n)
{
    if (s->err) return;
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + n)
            cap *= 2;
        uint8_t *nb = realloc(s->buf, cap);
        if (!nb) {
            s->err = -ENOMEM;
            return;
        }
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

void stream_put_u8(struct stream *s, uint8_t v)
{
    stream_put(s, &v, 1);
}

void stream_put_u32(struct stream *s, uint32_t v)
{
    uint8_t b[4] = {v, v >> 8, v >> 16, v >> 24};
    stream_put(s, b, 4);
}

void stream_put_u64(struct stream *s, uint64_t v)
{
    stream_put_u32(s, (uint32_t)v);
    stream_put_u32(s, (uint32_t)(v >> 32));
}

int stream_get(struct stream *s, void *p, size_t n)
{
    if (s->err) return s->err;
    if (n > s->len - s->pos) {
        s->err = -EINVAL;
        memset(p, 0, n);
        return s->err;
    }
    memcpy(p, s->buf + s->pos, n);
    s->pos += n;
    return 0;
}

uint8_t stream_get_u8(struct stream *s)
{
    uint8_t v = 0;
    stream_get(s, &v, 1);
    return v;
}

uint32_t stream_get_u32(struct stream *s)
{
    uint8_t b[4] = {0};
    stream_get(s, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t stream_get_u64(struct stream *s)
{
    uint64_t lo = stream_get_u32(s);
    return lo | (uint64_t)stream_get_u32(s) << 32;
}

size_t stream_begin_section(struct stream *s, uint32_t tag, uint32_t version)
{
    stream_put_u32(s, tag);
    stream_put_u32(s, version);
    size_t mark = s->len;
    stream_put_u64(s, 0);
    return mark;
}

void stream_end_section(struct stream *s, size_t mark)
{
    if (s->err) return;
    uint64_t n = s->len - mark - 8;
    for (int i = 0; i < 8; i++)
        s->buf[mark + i] = (uint8_t)(n >> (8 * i));
}

int stream_open_section(struct stream *s, uint32_t tag, uint32_t max_version, uint32_t *version,
                        size_t *end)
{
    uint32_t t = stream_get_u32(s);
    uint32_t v = stream_get_u32(s);
    uint64_t n = stream_get_u64(s);
    if (s->err) return s->err;
    if (t != tag || v > max_version || n > s->len - s->pos) {
        s->err = -EINVAL;
        return s->err;
    }
    if (version) *version = v;
    *end = s->pos + n;
    return 0;
}

int stream_close_section(struct stream *s, size_t end)
{
    if (s->err) return s->err;
    if (s->pos != end) s->err = -EINVAL;
    return s->err;
}
