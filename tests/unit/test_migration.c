/* Migration pieces that need no second process: the convergence policy
 * (rounds, auto-converge steps, when to switch over), URL checks, the
 * frame format (a flipped bit is caught, a length too large refused) and
 * the RAM dirty log both engines and devices feed. */
#include "ut.h"

#include "mem/ram.h"
#include "vmm/migration_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

UT_MAIN_STATE

#define MB (1ULL << 20)
#define S  1000000000ULL

static void test_policy(void)
{
    struct mig_policy p = {.downtime_ms = 300, .auto_converge = true};
    /* The first pass: 64 MiB in a second, 2 MiB dirtied meanwhile: 2 MiB
     * at 64 MiB/s is 31 ms, under the limit. */
    struct mig_round r = {.round = 0, .sent = 64 * MB, .dirty = 2 * MB, .ns = S};
    UT_CHECK(mig_policy_round(&p, &r));
    UT_EQ(r.bandwidth, 64 * MB);
    UT_EQ(r.expected_ms, 31);
    UT_EQ(p.throttle, 0);

    /* A guest dirtying 40 MiB per 64 MiB sent: over half the link, too
     * much to stop for. Two such rounds take the first step (20%), every
     * two more another 10%, up to 99%. */
    p = (struct mig_policy){.downtime_ms = 300, .auto_converge = true};
    r = (struct mig_round){.round = 0, .sent = 64 * MB, .dirty = 40 * MB, .ns = S};
    UT_CHECK(!mig_policy_round(&p, &r));
    UT_EQ(p.throttle, 0); /* the first pass never counts */
    unsigned want[] = {0, 20, 20, 30, 30, 40};
    for (unsigned k = 0; k < 6; k++) {
        r = (struct mig_round){.round = 1 + k, .sent = 64 * MB, .dirty = 40 * MB, .ns = S};
        UT_CHECK(!mig_policy_round(&p, &r));
        UT_EQ(p.throttle, want[k]);
    }
    for (unsigned k = 0; k < 40; k++) {
        r = (struct mig_round){.round = 10 + k, .sent = 64 * MB, .dirty = 40 * MB, .ns = S};
        mig_policy_round(&p, &r);
    }
    UT_EQ(p.throttle, 99);
    /* A slow round between two others starts the count again. */
    p = (struct mig_policy){.downtime_ms = 300, .auto_converge = true};
    struct mig_round fast = {.round = 1, .sent = 64 * MB, .dirty = 40 * MB, .ns = S};
    struct mig_round calm = {.round = 2, .sent = 64 * MB, .dirty = 30 * MB, .ns = S};
    mig_policy_round(&p, &fast);
    mig_policy_round(&p, &calm); /* 30 of 64: under half */
    fast.round = 3;
    mig_policy_round(&p, &fast);
    UT_EQ(p.throttle, 0);
    /* Without auto-converge, never. */
    p = (struct mig_policy){.downtime_ms = 300, .auto_converge = false};
    for (unsigned k = 1; k < 10; k++) {
        r = (struct mig_round){.round = k, .sent = 64 * MB, .dirty = 40 * MB, .ns = S};
        mig_policy_round(&p, &r);
    }
    UT_EQ(p.throttle, 0);
    /* Nothing left dirty: switch over whatever the link. */
    p = (struct mig_policy){.downtime_ms = 1, .auto_converge = true};
    r = (struct mig_round){.round = 3, .sent = 0, .dirty = 0, .ns = 10};
    UT_CHECK(mig_policy_round(&p, &r));
}

static void test_urls(void)
{
    char err[256];
    UT_EQ(mig_url_check("unix:/tmp/x.sock", err, sizeof(err)), 0);
    UT_EQ(mig_url_check("tcp:127.0.0.1:4444", err, sizeof(err)), 0);
    UT_EQ(mig_url_check("tcp:[::1]:4444", err, sizeof(err)), 0);
    const char *bad[] = {"unix:",    "tcp:127.0.0.1", "tcp::80", "tcp:h:0", "tcp:h:65536",
                         "tcp:h:8x", "http://h",      "",        "tcp:h:"};
    for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        UT_EQ(mig_url_check(bad[k], err, sizeof(err)), -EINVAL);
        UT_CHECK(strchr(err, '\n') == NULL && err[0]);
    }
}

static void test_frames(void)
{
    int sv[2];
    UT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    uint8_t payload[1000], *buf = NULL;
    for (unsigned k = 0; k < sizeof(payload); k++)
        payload[k] = (uint8_t)k;
    size_t cap = 0, len = 0;
    uint32_t tag = 0;
    UT_EQ(mig_send_frame(sv[0], MIG_TAG_PAGE, payload, sizeof(payload)), 0);
    UT_EQ(mig_recv_frame(sv[1], &tag, &buf, &cap, &len), 0);
    UT_EQ(tag, MIG_TAG_PAGE);
    UT_EQ(len, sizeof(payload));
    UT_CHECK(!memcmp(buf, payload, len));
    /* One bit flipped anywhere in the frame: refused. */
    for (unsigned at = 0; at < 8 + sizeof(payload) + 4; at += 97) {
        uint8_t raw[8 + sizeof(payload) + 4];
        int p2[2];
        UT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, p2), 0);
        UT_EQ(mig_send_frame(p2[0], MIG_TAG_PAGE, payload, sizeof(payload)), 0);
        UT_EQ(read(p2[1], raw, sizeof(raw)), (ssize_t)sizeof(raw));
        raw[at] ^= 4;
        UT_EQ(write(p2[0], raw, sizeof(raw)), (ssize_t)sizeof(raw));
        close(p2[0]);
        int rc = mig_recv_frame(p2[1], &tag, &buf, &cap, &len);
        UT_CHECK(rc == -EBADMSG || rc == -EPIPE); /* a longer length runs into the end */
        close(p2[1]);
    }
    /* A length beyond the limit is refused before anything is allocated. */
    uint8_t hdr[8] = {'P', 'A', 'G', 'E', 0xff, 0xff, 0xff, 0x7f};
    UT_EQ(write(sv[0], hdr, sizeof(hdr)), 8);
    UT_EQ(mig_recv_frame(sv[1], &tag, &buf, &cap, &len), -EBADMSG);
    /* The peer gone: -EPIPE either way, no SIGPIPE. */
    close(sv[1]);
    UT_EQ(mig_send_frame(sv[0], MIG_TAG_CANC, NULL, 0), -EPIPE);
    close(sv[0]);
    free(buf);
}

static void test_dirty_log(void)
{
    struct guest_ram ram;
    UT_EQ(ram_create(&ram, 0x80000000, 1 << 20), 0);
    ram_note_write(&ram, 0x80000000, 8); /* not logging: no bit */
    UT_EQ(ram_dirty_count(&ram), 0);
    ram_dirty_log_start(&ram);
    ram_note_write(&ram, 0x80000000 + 4095, 2); /* straddles pages 0 and 1 */
    ram_note_write(&ram, 0x80000000 + 200 * 4096, 1);
    ram_note_write(&ram, 0x70000000, 8); /* outside RAM: ignored */
    UT_EQ(ram_dirty_count(&ram), 3);
    uint64_t bits[(256 + 63) / 64];
    UT_EQ(ram_dirty_take(&ram, bits), 3);
    UT_EQ(bits[0], 3);
    UT_EQ(bits[3], 1ULL << (200 - 192));
    UT_EQ(ram_dirty_count(&ram), 0); /* taken means cleared */
    ram_dirty_log_stop(&ram);
    ram_note_write(&ram, 0x80000000, 8);
    UT_EQ(ram_dirty_count(&ram), 0);
    ram_destroy(&ram);
}

/* A second dirty source, as the KVM engine's log is: pages it reports
 * (here page 5 each time it is asked) join the bitmap before it is read. */
struct fake_source {
    bool on;
    int fail; /* set_logging's result */
    unsigned collects;
};

static int fake_set(void *opaque, bool on)
{
    struct fake_source *f = opaque;
    if (f->fail) return f->fail;
    f->on = on;
    return 0;
}

static void fake_collect(void *opaque, uint64_t *bits)
{
    struct fake_source *f = opaque;
    f->collects++;
    if (f->on) __atomic_fetch_or(&bits[0], 1ULL << 5, __ATOMIC_RELAXED);
}

static void test_dirty_source(void)
{
    static const struct ram_dirty_ops ops = {.set_logging = fake_set, .collect = fake_collect};
    struct fake_source f = {.fail = -ENOMEM};
    struct guest_ram ram;
    UT_EQ(ram_create(&ram, 0x80000000, 1 << 20), 0);
    ram.dirty_ops = &ops;
    ram.dirty_opaque = &f;
    UT_EQ(ram_dirty_log_start(&ram), -ENOMEM); /* the source cannot log: neither does RAM */
    UT_CHECK(!ram.dirty_logging);
    f.fail = 0;
    UT_EQ(ram_dirty_log_start(&ram), 0);
    UT_CHECK(f.on && ram.dirty_logging);
    /* What the source had before the start is not a write after it. */
    uint64_t bits[(256 + 63) / 64];
    memset(bits, 0, sizeof(bits));
    unsigned before = f.collects;
    ram_note_write(&ram, 0x80000000, 1); /* page 0 through rvmm's own path */
    UT_EQ(ram_dirty_count(&ram), 2);     /* the source asked first: page 5 joins */
    UT_CHECK(f.collects > before);
    UT_EQ(ram_dirty_take(&ram, bits), 2);
    UT_EQ(bits[0], 1ULL | 1ULL << 5);
    ram_dirty_log_stop(&ram);
    UT_CHECK(!f.on);
    UT_EQ(ram_dirty_count(&ram), 0); /* stopped: the source is not asked */
    ram_destroy(&ram);
}

static void test_codec(void)
{
    UT_EQ(mig_compression_parse("none"), MIG_COMPRESS_NONE);
    UT_EQ(mig_compression_parse("None"), MIG_COMPRESS_NONE);
    UT_EQ(mig_compression_parse("ZSTD"), MIG_COMPRESS_ZSTD);
    UT_EQ(mig_compression_parse("lz4"), MIG_COMPRESS_LZ4);
    UT_EQ(mig_compression_parse("gzip"), -EINVAL);
    UT_EQ(mig_compression_parse(""), -EINVAL);
    size_t n = MIG_PAGE_MAX;
    uint8_t *plain = malloc(n), *out = malloc(n);
    /* Half text-like (compresses), the rest pseudo-random (does not). */
    uint64_t x = 88172645463325252ull;
    for (size_t k = 0; k < n; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        plain[k] = k < n / 2 ? (uint8_t)("count 12345\n"[k % 12]) : (uint8_t)x;
    }
    for (int alg = MIG_COMPRESS_ZSTD; alg <= MIG_COMPRESS_LZ4; alg++) {
        struct mig_codec c;
        UT_EQ(mig_codec_init(&c, alg), 0);
        size_t cap = mig_codec_bound(alg, n), len, got;
        uint8_t *packed = malloc(cap);
        /* Compressible: smaller, and back byte for byte. */
        UT_EQ(mig_codec_pack(&c, plain, n / 2, packed, cap, &len), 0);
        UT_CHECK(len < n / 8);
        UT_EQ(mig_codec_unpack(&c, packed, len, out, n, &got), 0);
        UT_EQ(got, n / 2);
        UT_CHECK(!memcmp(out, plain, got));
        /* Random: stored as is, 4 bytes more. */
        UT_EQ(mig_codec_pack(&c, plain + n / 2, n / 2, packed, cap, &len), 0);
        UT_EQ(len, n / 2 + 4);
        UT_EQ(mig_codec_unpack(&c, packed, len, out, n, &got), 0);
        UT_CHECK(got == n / 2 && !memcmp(out, plain + n / 2, got));
        /* Hostile input: every kind of damage is -EBADMSG, never more
         * than cap bytes written. */
        UT_EQ(mig_codec_pack(&c, plain, n / 2, packed, cap, &len), 0);
        UT_EQ(mig_codec_unpack(&c, packed, 3, out, n, &got), -EBADMSG);
        UT_EQ(mig_codec_unpack(&c, packed, len - 1, out, n, &got), -EBADMSG);
        UT_EQ(mig_codec_unpack(&c, packed, len, out, n / 4, &got), -EBADMSG); /* too long */
        uint8_t *bad = malloc(len);
        int refused = 0;
        for (size_t at = 4; at < len; at += len / 16 + 1) {
            memcpy(bad, packed, len);
            bad[at] ^= 0x55;
            int rc = mig_codec_unpack(&c, bad, len, out, n, &got);
            /* A flipped literal may still decode to n / 2 bytes of other
             * data: the frame's CRC is what catches that on the wire. */
            UT_CHECK(rc == -EBADMSG || (rc == 0 && got == n / 2));
            refused += rc == -EBADMSG;
        }
        UT_CHECK(refused > 0);
        memcpy(bad, packed, len);
        bad[0] ^= 1; /* a length one off */
        UT_EQ(mig_codec_unpack(&c, bad, len, out, n, &got), -EBADMSG);
        free(bad);
        mig_codec_free(&c);
        free(packed);
    }
    /* A plain stream given a compressed frame. */
    struct mig_codec none;
    UT_EQ(mig_codec_init(&none, MIG_COMPRESS_NONE), 0);
    uint8_t w[8] = {16, 0, 0, 0, 1, 2, 3, 4};
    size_t got;
    UT_EQ(mig_codec_unpack(&none, w, sizeof(w), out, n, &got), -EBADMSG);
    mig_codec_free(&none);
    free(plain);
    free(out);
}

int main(void)
{
    ut_run("migration_policy", test_policy);
    ut_run("migration_urls", test_urls);
    ut_run("migration_frames", test_frames);
    ut_run("migration_dirty_log", test_dirty_log);
    ut_run("migration_dirty_source", test_dirty_source);
    ut_run("migration_codec", test_codec);
    return ut_exit();
}
