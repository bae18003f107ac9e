/* Unit tests for save/restore streams (src/common/stream.c): writer/reader
 * round trips, the little-endian layout, sections {tag, version, length}
 * and every way a reader must refuse a stream (wrong tag, newer version,
 * truncation, length mismatch), and reads past the end, which must set the
 * sticky error, return zeros and never touch memory past the buffer (the
 * reader buffers here are heap copies of exact size, so ASan sees any
 * overread). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/stream.h"
#include "ut.h"

UT_MAIN_STATE

#define TAG_A STREAM_TAG('T', 'S', 'T', 'A')
#define TAG_B STREAM_TAG('T', 'S', 'T', 'B')

/* A reader over an exact-size heap copy of the writer's bytes. */
static uint8_t *reader_over(struct stream *r, const struct stream *w, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, w->buf, len);
    stream_init_reader(r, copy, len);
    return copy;
}

static void test_round_trip(void)
{
    struct stream w;
    stream_init_writer(&w);
    uint8_t blob[1000];
    for (size_t k = 0; k < sizeof(blob); k++)
        blob[k] = (uint8_t)(k * 7 + 3);
    stream_put_u8(&w, 0xa5);
    stream_put_u32(&w, 0xdeadbeef);
    stream_put_u64(&w, 0x0123456789abcdefULL);
    stream_put(&w, blob, sizeof(blob)); /* grows past the first allocation */
    stream_put_u64(&w, ~0ULL);
    UT_EQ(w.err, 0);
    UT_EQ(w.len, 1 + 4 + 8 + sizeof(blob) + 8);

    struct stream r;
    uint8_t *copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_get_u8(&r), 0xa5);
    UT_EQ(stream_get_u32(&r), 0xdeadbeef);
    UT_EQ(stream_get_u64(&r), 0x0123456789abcdefULL);
    uint8_t back[sizeof(blob)];
    UT_EQ(stream_get(&r, back, sizeof(back)), 0);
    UT_CHECK(memcmp(back, blob, sizeof(blob)) == 0);
    UT_EQ(stream_get_u64(&r), ~0ULL);
    UT_EQ(r.err, 0);
    UT_EQ(r.pos, r.len);
    stream_free(&r); /* must not free the caller's buffer */
    free(copy);
    stream_free(&w);
    UT_CHECK(w.buf == NULL);
}

static void test_little_endian(void)
{
    struct stream w;
    stream_init_writer(&w);
    stream_put_u32(&w, 0x11223344);
    stream_put_u64(&w, 0x0102030405060708ULL);
    static const uint8_t want[] = {0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1};
    UT_EQ(w.len, sizeof(want));
    UT_CHECK(memcmp(w.buf, want, sizeof(want)) == 0);
    stream_free(&w);
}

/* Writes two sections: A (version 2) holding a u32 and a u64, B (v1)
 * holding one byte. */
static void write_two(struct stream *w)
{
    stream_init_writer(w);
    size_t m = stream_begin_section(w, TAG_A, 2);
    stream_put_u32(w, 0xcafe);
    stream_put_u64(w, 42);
    stream_end_section(w, m);
    m = stream_begin_section(w, TAG_B, 1);
    stream_put_u8(w, 9);
    stream_end_section(w, m);
}

static void test_sections(void)
{
    struct stream w, r;
    write_two(&w);
    /* Header layout: tag, version, 64-bit length of the body. */
    UT_EQ(w.len, 16 + 12 + 16 + 1);
    uint32_t tag;
    memcpy(&tag, w.buf, 4);
    UT_EQ(tag, TAG_A);
    UT_EQ(w.buf[4], 2);
    UT_EQ(w.buf[8], 12);
    UT_EQ(w.buf[28 + 8], 1);

    uint8_t *copy = reader_over(&r, &w, w.len);
    uint32_t version = 0;
    size_t end = 0;
    UT_EQ(stream_open_section(&r, TAG_A, 5, &version, &end), 0);
    UT_EQ(version, 2);
    UT_EQ(end, 28);
    UT_EQ(stream_get_u32(&r), 0xcafe);
    UT_EQ(stream_get_u64(&r), 42);
    UT_EQ(stream_close_section(&r, end), 0);
    UT_EQ(stream_open_section(&r, TAG_B, 1, NULL, &end), 0);
    UT_EQ(stream_get_u8(&r), 9);
    UT_EQ(stream_close_section(&r, end), 0);
    UT_EQ(r.err, 0);
    UT_EQ(r.pos, r.len);
    free(copy);
    stream_free(&w);
}

static void test_section_errors(void)
{
    struct stream w, r;
    uint8_t *copy;
    size_t end;
    write_two(&w);

    /* Wrong tag. */
    copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_open_section(&r, TAG_B, 9, NULL, &end), -EINVAL);
    UT_EQ(r.err, -EINVAL);
    UT_EQ(stream_open_section(&r, TAG_A, 9, NULL, &end), -EINVAL); /* sticky */
    free(copy);

    /* Newer than the reader understands. */
    copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_open_section(&r, TAG_A, 1, NULL, &end), -EINVAL);
    free(copy);

    /* Truncated: the header promises more than is left, at every cut. */
    for (size_t cut = 0; cut < 28; cut++) {
        copy = reader_over(&r, &w, cut);
        int rc = stream_open_section(&r, TAG_A, 2, NULL, &end);
        if (rc == 0) {
            stream_get_u32(&r);
            stream_get_u64(&r);
            rc = stream_close_section(&r, end);
        }
        UT_EQ(rc, -EINVAL);
        UT_CHECK(r.pos <= r.len);
        free(copy);
    }

    /* Reading less than the section holds. */
    copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_open_section(&r, TAG_A, 2, NULL, &end), 0);
    stream_get_u32(&r);
    UT_EQ(stream_close_section(&r, end), -EINVAL);
    free(copy);

    /* Reading more than the section holds (into the next one). */
    copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_open_section(&r, TAG_A, 2, NULL, &end), 0);
    stream_get_u64(&r);
    stream_get_u64(&r);
    UT_EQ(r.err, 0);
    UT_EQ(stream_close_section(&r, end), -EINVAL);
    free(copy);

    /* A length field that does not match the body: one byte short. */
    copy = reader_over(&r, &w, w.len);
    copy[8] = 11;
    UT_EQ(stream_open_section(&r, TAG_A, 2, NULL, &end), 0);
    stream_get_u32(&r);
    stream_get_u64(&r);
    UT_EQ(stream_close_section(&r, end), -EINVAL);
    free(copy);

    /* A huge length (would overflow pos + n). */
    copy = reader_over(&r, &w, w.len);
    memset(copy + 8, 0xff, 8);
    UT_EQ(stream_open_section(&r, TAG_A, 2, NULL, &end), -EINVAL);
    free(copy);
    stream_free(&w);
}

/* Past the end: the read fails, the error sticks, values read as zero and
 * the cursor never moves past the buffer. */
static void test_read_past_end(void)
{
    struct stream w, r;
    stream_init_writer(&w);
    stream_put_u32(&w, 0x01020304);
    stream_put_u8(&w, 0x55);
    stream_put_u8(&w, 0x66);

    uint8_t *copy = reader_over(&r, &w, w.len);
    UT_EQ(stream_get_u32(&r), 0x01020304);
    UT_EQ(stream_get_u32(&r), 0); /* only 2 bytes left */
    UT_EQ(r.err, -EINVAL);
    UT_CHECK(r.pos <= r.len);
    UT_EQ(stream_get_u8(&r), 0); /* sticky: even though a byte is left */
    UT_EQ(stream_get_u64(&r), 0);
    uint8_t buf[16];
    memset(buf, 0xaa, sizeof(buf));
    UT_EQ(stream_get(&r, buf, sizeof(buf)), -EINVAL);
    UT_CHECK(r.pos <= r.len);
    free(copy);

    /* A failed raw read zero-fills its destination. */
    copy = reader_over(&r, &w, w.len);
    memset(buf, 0xaa, sizeof(buf));
    UT_EQ(stream_get(&r, buf, sizeof(buf)), -EINVAL);
    for (size_t k = 0; k < sizeof(buf); k++)
        UT_EQ(buf[k], 0);
    free(copy);

    /* Empty and NULL-backed readers. */
    stream_init_reader(&r, NULL, 0);
    UT_EQ(stream_get_u8(&r), 0);
    UT_EQ(r.err, -EINVAL);
    size_t end;
    stream_init_reader(&r, NULL, 0);
    UT_EQ(stream_open_section(&r, TAG_A, 1, NULL, &end), -EINVAL);
    stream_free(&w);
}

int main(void)
{
    ut_run("stream_round_trip", test_round_trip);
    ut_run("stream_little_endian", test_little_endian);
    ut_run("stream_sections", test_sections);
    ut_run("stream_section_errors", test_section_errors);
    ut_run("stream_read_past_end", test_read_past_end);
    return ut_exit();
}
