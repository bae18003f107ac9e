/* Unit tests for src/vmm/seccomp_file.c, the parser of seccompiler-bin's
 * output: files written here byte by byte in bincode's fixed-width layout
 * parse into the programs they hold, whatever the category order; every
 * truncation, an unknown, missing or repeated category, an empty or
 * oversized program, trailing bytes, a jump past the end and a program
 * that does not end in a return are refused with a message; a fixture
 * written from seccompiler's sources and bincode's specification parses
 * (names in any case, as Firecracker lowercases them); the loader
 * reads a real file and refuses one over Firecracker's size bound. */
#include "vmm/seccomp_file.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ut.h"

UT_MAIN_STATE

struct wbuf {
    uint8_t b[200000];
    size_t n;
};

static void w_u64(struct wbuf *w, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void w_insn(struct wbuf *w, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
    w->b[w->n++] = (uint8_t)code;
    w->b[w->n++] = (uint8_t)(code >> 8);
    w->b[w->n++] = jt;
    w->b[w->n++] = jf;
    for (int i = 0; i < 4; i++)
        w->b[w->n++] = (uint8_t)(k >> (8 * i));
}

static void w_name(struct wbuf *w, const char *s)
{
    w_u64(w, strlen(s));
    memcpy(w->b + w->n, s, strlen(s));
    w->n += strlen(s);
}

/* A category whose program is "load nr; nr == k ? kill : allow". */
static void w_cat(struct wbuf *w, const char *name, uint32_t k)
{
    w_name(w, name);
    w_u64(w, 4);
    w_insn(w, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0);
    w_insn(w, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, k);
    w_insn(w, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
    w_insn(w, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
}

static struct wbuf *w_new(void)
{
    struct wbuf *w = calloc(1, sizeof(*w));
    return w;
}

static int parse(const struct wbuf *w, char *err, size_t len)
{
    struct seccomp_filters f;
    int rc = seccomp_file_parse(w->b, w->n, &f, err, len);
    if (!rc)
        for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
            free(f.prog[k]);
    return rc;
}

static void test_valid_any_order(void)
{
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "vcpu", 59);
    w_cat(w, "api", 43);
    w_cat(w, "vmm", 288);
    struct seccomp_filters f;
    char err[256] = "";
    UT_EQ(seccomp_file_parse(w->b, w->n, &f, err, sizeof(err)), 0);
    UT_EQ(f.len[SECCOMP_KIND_MAIN], 4);
    UT_EQ(f.len[SECCOMP_KIND_IO], 4);
    UT_EQ(f.len[SECCOMP_KIND_VCPU], 4);
    UT_EQ(f.prog[SECCOMP_KIND_MAIN][1].k, 43);
    UT_EQ(f.prog[SECCOMP_KIND_IO][1].k, 288);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].k, 59);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].code, BPF_JMP | BPF_JEQ | BPF_K);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].jf, 1);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][2].k, SECCOMP_RET_KILL_PROCESS);
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        free(f.prog[k]);
    free(w);
}

/* seccompiler-bin's file, byte by byte as its sources and bincode's
 * specification give it, not through the writer above. Firecracker's
 * seccompiler (src/seccompiler/src/lib.rs, compile_bpf) collects a
 * BTreeMap<String, Vec<u64>> (one u64 per instruction, read from
 * libseccomp's export as raw bytes, so the u64's little-endian bytes are
 * the sock_filter's) and writes it with bincode's
 * config::standard().with_fixed_int_encoding().with_little_endian(). The
 * bincode spec (docs/spec.md): with fixed-int encoding, lengths are u64;
 * a collection (a map too, each entry a (key, value) tuple) is its length
 * then its entries; a String is a Vec<u8>. A BTreeMap is written in key
 * order: "api" < "vcpu" < "vmm". Older seccompiler-bin (bincode 1's
 * serialize, fixed-int little-endian too, Vec<sock_filter> with serde's
 * {u16 code, u8 jt, u8 jf, u32 k}) writes the same bytes. */
static const uint8_t fixture_seccompiler[] = {
    0x03, 0,    0,    0,    0,    0,    0,    0,                        /* map: 3 entries */
    0x03, 0,    0,    0,    0,    0,    0,    0,    'a', 'p', 'i',      /* key "api" */
    0x01, 0,    0,    0,    0,    0,    0,    0,                        /* 1 instruction */
    0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f,                     /* ret ALLOW (0x7fff0000) */
    0x04, 0,    0,    0,    0,    0,    0,    0,    'v', 'c', 'p', 'u', /* key "vcpu" */
    0x04, 0,    0,    0,    0,    0,    0,    0,                        /* 4 instructions */
    0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                     /* ld [0] (nr) */
    0x15, 0x00, 0x00, 0x01, 0x3b, 0x00, 0x00, 0x00,                     /* jeq 59 (execve), 0, 1 */
    0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, /* ret KILL_PROCESS (0x80000000) */
    0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f, /* ret ALLOW */
    0x03, 0,    0,    0,    0,    0,    0,    0,    'v', 'm', 'm', /* key "vmm" */
    0x02, 0,    0,    0,    0,    0,    0,    0,                   /* 2 instructions */
    0x20, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,                /* ld [4] (arch) */
    0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f,                /* ret ALLOW */
};

static void test_seccompiler_fixture(void)
{
    struct seccomp_filters f;
    char err[256] = "";
    UT_EQ(
        seccomp_file_parse(fixture_seccompiler, sizeof(fixture_seccompiler), &f, err, sizeof(err)),
        0);
    UT_EQ(f.len[SECCOMP_KIND_MAIN], 1);
    UT_EQ(f.len[SECCOMP_KIND_VCPU], 4);
    UT_EQ(f.len[SECCOMP_KIND_IO], 2);
    UT_EQ(f.prog[SECCOMP_KIND_MAIN][0].code, BPF_RET | BPF_K);
    UT_EQ(f.prog[SECCOMP_KIND_MAIN][0].k, SECCOMP_RET_ALLOW);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][0].code, BPF_LD | BPF_W | BPF_ABS);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].code, BPF_JMP | BPF_JEQ | BPF_K);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].jt, 0);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].jf, 1);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].k, 59);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][2].k, SECCOMP_RET_KILL_PROCESS);
    UT_EQ(f.prog[SECCOMP_KIND_IO][0].k, 4);
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        free(f.prog[k]);
}

/* Firecracker lowercases category names (its test: "VcpU" is "vcpu"). */
static void test_category_case(void)
{
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "API", 1);
    w_cat(w, "VcpU", 2);
    w_cat(w, "Vmm", 3);
    struct seccomp_filters f;
    char err[256] = "";
    UT_EQ(seccomp_file_parse(w->b, w->n, &f, err, sizeof(err)), 0);
    UT_EQ(f.prog[SECCOMP_KIND_MAIN][1].k, 1);
    UT_EQ(f.prog[SECCOMP_KIND_VCPU][1].k, 2);
    UT_EQ(f.prog[SECCOMP_KIND_IO][1].k, 3);
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        free(f.prog[k]);
    w->n = 0; /* "api" and "API" are the same category */
    w_u64(w, 4);
    w_cat(w, "api", 1);
    w_cat(w, "API", 1);
    w_cat(w, "vcpu", 2);
    w_cat(w, "vmm", 3);
    err[0] = 0;
    UT_EQ(seccomp_file_parse(w->b, w->n, &f, err, sizeof(err)), -EINVAL);
    UT_CHECK(strstr(err, "given twice") != NULL);
    free(w);
}

static void test_every_truncation_refused(void)
{
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_cat(w, "vmm", 2);
    w_cat(w, "vcpu", 3);
    size_t full = w->n;
    int refused = 0;
    char err[256];
    for (size_t n = 0; n < full; n++) {
        w->n = n;
        err[0] = 0;
        if (parse(w, err, sizeof(err)) == -EINVAL && err[0]) refused++;
    }
    UT_EQ(refused, full);
    free(w);
}

static void expect_refused(struct wbuf *w, const char *needle)
{
    char err[256] = "";
    UT_EQ(parse(w, err, sizeof(err)), -EINVAL);
    if (!strstr(err, needle)) {
        fprintf(stderr, "  message %s lacks %s\n", err, needle);
        UT_CHECK(0);
    }
    free(w);
}

static void test_categories_checked(void)
{
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_cat(w, "vmm", 2);
    w_cat(w, "main", 3);
    expect_refused(w, "unknown thread category \"main\"");

    w = w_new();
    w_u64(w, 2);
    w_cat(w, "api", 1);
    w_cat(w, "vcpu", 3);
    expect_refused(w, "no program for thread category \"vmm\"");

    w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_cat(w, "api", 2);
    w_cat(w, "vcpu", 3);
    expect_refused(w, "\"api\" given twice");

    w = w_new();
    w_u64(w, 0);
    expect_refused(w, "no program for thread category");

    w = w_new();
    w_u64(w, 1ULL << 62);
    expect_refused(w, "truncated in category 0");
}

static void test_programs_checked(void)
{
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_name(w, "vmm");
    w_u64(w, 0);
    expect_refused(w, "program \"vmm\" is empty");

    w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_name(w, "vmm");
    w_u64(w, BPF_MAXINSNS + 1);
    for (int i = 0; i <= BPF_MAXINSNS; i++)
        w_insn(w, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
    expect_refused(w, "more than the kernel's");

    w = w_new();
    w_u64(w, 1);
    w_name(w, "vcpu");
    w_u64(w, 2);
    w_insn(w, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 5);
    w_insn(w, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
    expect_refused(w, "instruction 0 jumps past the end");

    w = w_new();
    w_u64(w, 1);
    w_name(w, "vcpu");
    w_u64(w, 1);
    w_insn(w, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0);
    expect_refused(w, "not a return");

    w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_cat(w, "vmm", 2);
    w_cat(w, "vcpu", 3);
    w->b[w->n++] = 0;
    expect_refused(w, "1 bytes after the last program");

    /* A name length past the end of the file. */
    w = w_new();
    w_u64(w, 1);
    w_u64(w, ~0ULL);
    expect_refused(w, "truncated");

    /* An instruction count whose byte size wraps. */
    w = w_new();
    w_u64(w, 1);
    w_name(w, "vcpu");
    w_u64(w, 1ULL << 61);
    expect_refused(w, "more than the kernel's");
}

static void test_load(void)
{
    char path[] = "/tmp/rvmm-sf-XXXXXX";
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    struct wbuf *w = w_new();
    w_u64(w, 3);
    w_cat(w, "api", 1);
    w_cat(w, "vmm", 2);
    w_cat(w, "vcpu", 3);
    UT_EQ(write(fd, w->b, w->n), w->n);
    struct seccomp_filters *f = NULL;
    char err[512] = "";
    UT_EQ(seccomp_file_load(path, &f, err, sizeof(err)), 0);
    UT_CHECK(f && f->len[SECCOMP_KIND_IO] == 4 && f->prog[SECCOMP_KIND_IO][1].k == 2);
    seccomp_filters_free(f);
    /* Past Firecracker's 100000-byte bound: refused before parsing. */
    UT_EQ(ftruncate(fd, SECCOMP_FILE_MAX_BYTES + 1), 0);
    f = NULL;
    UT_CHECK(seccomp_file_load(path, &f, err, sizeof(err)) < 0);
    UT_CHECK(f == NULL && strstr(err, path));
    close(fd);
    unlink(path);
    UT_CHECK(seccomp_file_load(path, &f, err, sizeof(err)) < 0);
    free(w);
}

int main(void)
{
    ut_run("seccomp_file_valid_any_order", test_valid_any_order);
    ut_run("seccomp_file_seccompiler_fixture", test_seccompiler_fixture);
    ut_run("seccomp_file_category_case", test_category_case);
    ut_run("seccomp_file_every_truncation_refused", test_every_truncation_refused);
    ut_run("seccomp_file_categories_checked", test_categories_checked);
    ut_run("seccomp_file_programs_checked", test_programs_checked);
    ut_run("seccomp_file_load", test_load);
    return ut_exit();
}
