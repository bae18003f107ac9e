/* Parser of Firecracker's compiled seccomp filters (see seccomp_file.h).
 * Owns the file's layout and every check on it; installs nothing.
 *
 * The layout is what seccompiler-bin writes and Firecracker reads back
 * (bincode 1 with fixed-width little-endian integers, its DefaultOptions
 * .with_fixint_encoding()): a HashMap<String, Vec<sock_filter>> is
 *   u64 count, then count times { u64 name length, the name's bytes,
 *                                 u64 instruction count,
 *                                 count times { u16 code, u8 jt, u8 jf, u32 k } }
 * (a sock_filter is 8 bytes; Firecracker 1.6+ writes the same bytes as a
 * u64 per instruction). Every length is checked against what is left of
 * the file before it is used, so no count can make us allocate or read
 * past the buffer. Firecracker's rules are kept (all of "vmm", "api",
 * "vcpu" present, no other category, names in any case), and rvmm's are
 * stricter where it costs a user nothing: no empty program (Firecracker
 * would leave that thread unfiltered), no trailing bytes, and the jumps
 * and final return the kernel would check, so a bad file is a one-line
 * usage error rather than a failure at install time. */
#include "vmm/seccomp_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/safe_open.h"

/* Category names, indexed by enum seccomp_kind. */
static const char *const seccomp_file_names[SECCOMP_FILE_KINDS] = {
    [SECCOMP_KIND_MAIN] = "api",
    [SECCOMP_KIND_IO] = "vmm",
    [SECCOMP_KIND_VCPU] = "vcpu",
};

struct sf_cursor {
    const uint8_t *p;
    size_t left;
};

static bool sf_u64(struct sf_cursor *c, uint64_t *v)
{
    if (c->left < 8) return false;
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = (x << 8) | c->p[i];
    *v = x;
    c->p += 8;
    c->left -= 8;
    return true;
}

/* The checks the kernel makes that a file can fail by its bytes alone
 * (kernel/bpf/core.c bpf_check_classic): every jump lands inside the
 * program and the last instruction returns. */
static int sf_check_prog(const struct sock_filter *f, unsigned n, const char *name, char *err,
                         size_t errlen)
{
    for (unsigned i = 0; i < n; i++) {
        if (BPF_CLASS(f[i].code) != BPF_JMP) continue;
        unsigned rest = n - i - 1;
        bool bad =
            BPF_OP(f[i].code) == BPF_JA ? f[i].k >= rest : f[i].jt >= rest || f[i].jf >= rest;
        if (bad) {
            snprintf(err, errlen, "program \"%s\": instruction %u jumps past the end", name, i);
            return -EINVAL;
        }
    }
    if (BPF_CLASS(f[n - 1].code) != BPF_RET) {
        snprintf(err, errlen, "program \"%s\": the last instruction is not a return", name);
        return -EINVAL;
    }
    return 0;
}

/* Firecracker lowercases the names it reads (its deserialize_binary, and
 * its test that "VcpU" is the vcpu category), so case does not matter. */
static int sf_kind_of(const uint8_t *name, uint64_t len)
{
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        if (strlen(seccomp_file_names[k]) == len &&
            strncasecmp(seccomp_file_names[k], (const char *)name, len) == 0)
            return k;
    return -1;
}

/* The category name as printable text for a message (bytes from the file). */
static void sf_printable(char *out, size_t outlen, const uint8_t *s, uint64_t len)
{
    size_t n = 0;
    for (uint64_t i = 0; i < len && n + 1 < outlen; i++)
        out[n++] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? (char)s[i] : '?';
    out[n] = '\0';
}

int seccomp_file_parse(const uint8_t *buf, size_t len, struct seccomp_filters *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct sf_cursor c = {buf, len};
    uint64_t count;
    int rc = -EINVAL;
    if (!sf_u64(&c, &count)) {
        snprintf(err, errlen, "truncated: no category count (not seccompiler-bin output?)");
        goto fail;
    }
    /* No bound on count needed: each entry is at least 16 bytes of the
     * file, and a fourth is necessarily unknown or repeated. */
    for (uint64_t e = 0; e < count; e++) {
        uint64_t nlen, ninsn;
        if (!sf_u64(&c, &nlen) || nlen > c.left) {
            snprintf(err, errlen,
                     "truncated in category %llu's name (or not seccompiler-bin output)",
                     (unsigned long long)e);
            goto fail;
        }
        const uint8_t *name = c.p;
        c.p += nlen;
        c.left -= nlen;
        int kind = sf_kind_of(name, nlen);
        if (kind < 0) {
            char shown[40];
            sf_printable(shown, sizeof(shown), name, nlen);
            snprintf(err, errlen,
                     "unknown thread category \"%s\" (rvmm has \"vmm\", \"api\", \"vcpu\")", shown);
            goto fail;
        }
        const char *kname = seccomp_file_names[kind];
        if (out->prog[kind]) {
            snprintf(err, errlen, "category \"%s\" given twice", kname);
            goto fail;
        }
        if (!sf_u64(&c, &ninsn)) {
            snprintf(err, errlen, "truncated before program \"%s\"'s length", kname);
            goto fail;
        }
        if (ninsn == 0) {
            snprintf(err, errlen, "program \"%s\" is empty (it would let every call through)",
                     kname);
            goto fail;
        }
        if (ninsn > BPF_MAXINSNS) {
            snprintf(err, errlen, "program \"%s\" has %llu instructions, more than the kernel's %d",
                     kname, (unsigned long long)ninsn, BPF_MAXINSNS);
            goto fail;
        }
        if (ninsn * 8 > c.left) {
            snprintf(err, errlen, "truncated in program \"%s\" (%llu instructions announced)",
                     kname, (unsigned long long)ninsn);
            goto fail;
        }
        struct sock_filter *f = calloc(ninsn, sizeof(*f));
        if (!f) {
            snprintf(err, errlen, "out of memory");
            rc = -ENOMEM;
            goto fail;
        }
        for (uint64_t i = 0; i < ninsn; i++, c.p += 8) {
            f[i].code = (uint16_t)(c.p[0] | c.p[1] << 8);
            f[i].jt = c.p[2];
            f[i].jf = c.p[3];
            f[i].k = (uint32_t)c.p[4] | (uint32_t)c.p[5] << 8 | (uint32_t)c.p[6] << 16 |
                     (uint32_t)c.p[7] << 24;
        }
        c.left -= ninsn * 8;
        out->prog[kind] = f;
        out->len[kind] = (unsigned short)ninsn;
        if (sf_check_prog(f, (unsigned)ninsn, kname, err, errlen)) goto fail;
    }
    if (c.left) {
        snprintf(err, errlen, "%zu bytes after the last program (not seccompiler-bin output?)",
                 c.left);
        goto fail;
    }
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        if (!out->prog[k]) {
            snprintf(err, errlen, "no program for thread category \"%s\"", seccomp_file_names[k]);
            goto fail;
        }
    return 0;
fail:
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++) {
        free(out->prog[k]);
        out->prog[k] = NULL;
        out->len[k] = 0;
    }
    return rc;
}

int seccomp_file_load(const char *path, struct seccomp_filters **out, char *err, size_t errlen)
{
    *out = NULL;
    uint8_t *buf;
    size_t len;
    char why[256];
    int rc = safe_read_file(path, SECCOMP_FILE_MAX_BYTES, &buf, &len, why, sizeof(why));
    if (rc) {
        snprintf(err, errlen, "%s", why);
        return rc;
    }
    struct seccomp_filters *f = calloc(1, sizeof(*f));
    if (!f) {
        free(buf);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    rc = seccomp_file_parse(buf, len, f, why, sizeof(why));
    free(buf);
    if (rc) {
        free(f);
        snprintf(err, errlen, "%s: %s", path, why);
        return rc;
    }
    *out = f;
    return 0;
}

void seccomp_filters_free(struct seccomp_filters *f)
{
    if (!f) return;
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++)
        free(f->prog[k]);
    free(f);
}
