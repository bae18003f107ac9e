/* Save/restore streams: a growable byte buffer for writing and a bounds-checked
 * reader for loading. State is written as sections {tag, version, length} so a
 * loader can reject what it does not understand instead of misreading it.
 * Integers are little-endian. Every read checks the remaining length. */
#ifndef RVMM_COMMON_STREAM_H
#define RVMM_COMMON_STREAM_H

#include "common/types.h"

struct stream {
    uint8_t *buf;
    size_t len; /* bytes written, or total bytes when reading */
    size_t cap;
    size_t pos; /* read cursor */
    int err;    /* sticky: first error (negative errno) */
};

void stream_init_writer(struct stream *s);
void stream_init_reader(struct stream *s, const void *data, size_t len);
void stream_free(struct stream *s);

void stream_put(struct stream *s, const void *p, size_t n);
void stream_put_u8(struct stream *s, uint8_t v);
void stream_put_u32(struct stream *s, uint32_t v);
void stream_put_u64(struct stream *s, uint64_t v);

int stream_get(struct stream *s, void *p, size_t n);
uint8_t stream_get_u8(struct stream *s);
uint32_t stream_get_u32(struct stream *s);
uint64_t stream_get_u64(struct stream *s);

/* Sections: begin returns a mark that end patches with the length. */
size_t stream_begin_section(struct stream *s, uint32_t tag, uint32_t version);
void stream_end_section(struct stream *s, size_t mark);
/* Opens the next section; fails with -EINVAL unless it has this tag and a
 * version no newer than max_version. *version receives the version found. */
int stream_open_section(struct stream *s, uint32_t tag, uint32_t max_version, uint32_t *version,
                        size_t *end);
/* Checks that a section was consumed exactly. */
int stream_close_section(struct stream *s, size_t end);

#define STREAM_TAG(a, b, c, d)                                                                     \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))

#endif
