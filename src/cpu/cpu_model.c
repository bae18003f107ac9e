/* CPU models: the --cpu parser and everything derived from a model's
 * extension set (misa, the device tree's ISA properties, the instructions
 * the decoder accepts). Knows extensions only through cpu_ext_list.h and
 * instructions only through the instruction list's extension column
 * (decode_op_ext); it changes no hart. */
#include "cpu/cpu_model.h"

#include "common/errmsg.h"
#include "common/types.h"
#include "cpu/decode.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { CPU_DEFAULT_ON = 1, CPU_FIXED = 2, CPU_MISA_ONLY = 4 };

struct cpu_ext_desc {
    const char *name;
    char letter;
    uint8_t flags;
    uint64_t needs;
};

static const struct cpu_ext_desc ext_table[] = {
#define CPU_EXT(name, letter, flags, needs) {#name, letter, flags, needs},
#include "cpu/cpu_ext_list.h"
#undef CPU_EXT
};

_Static_assert(ARRAY_SIZE(ext_table) == CPU_EXT_COUNT, "table matches enum");

/* The models --cpu starts from: rv64 (the default extensions) and the
 * RVA22/RVA23 profiles (RISC-V profiles spec 1.0, RVA22U64/S64 and
 * RVA23U64/S64) with the mandatory extensions rvmm implements added. A
 * profile never turns on an extension rvmm lacks: what it still misses
 * (README.md, "CPU models") is simply absent from misa and the device
 * tree, so software probing for it sees the truth. */
#define RVA22_EXT                                                                                  \
    (CPU_X(zihintpause) | CPU_X(zba) | CPU_X(zbb) | CPU_X(zbs) | CPU_X(zicbom) | CPU_X(zicbop) |   \
     CPU_X(zicboz) | CPU_X(zkt) | CPU_X(zfhmin) | CPU_X(svpbmt) | CPU_X(svinval))
#define RVA23_EXT                                                                                  \
    (RVA22_EXT | CPU_X(zicond) | CPU_X(zimop) | CPU_X(zcmop) | CPU_X(zcb) | CPU_X(zawrs) |         \
     CPU_X(zihintntl) | CPU_X(zfa) | CPU_X(svnapot) | CPU_X(ssstateen) | CPU_X(sscofpmf) |         \
     CPU_X(v) | CPU_X(zvbb) | CPU_X(zvkt) | CPU_X(zvfhmin))

struct cpu_profile {
    const char *name;
    uint64_t ext; /* turned on beyond the default */
};

static const struct cpu_profile profiles[] = {
    {"rv64", 0},
    {"rva22", RVA22_EXT},
    {"rva23", RVA23_EXT},
};

const char *cpu_ext_name(enum cpu_ext e)
{
    return (unsigned)e < CPU_EXT_COUNT ? ext_table[e].name : "?";
}

void cpu_model_default(struct cpu_model *m)
{
    m->ext = 0;
    m->vlen = CPU_VLEN_DEFAULT;
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++)
        if (ext_table[e].flags & CPU_DEFAULT_ON) m->ext |= 1ULL << e;
}

static int find_ext(const char *name, size_t len)
{
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++)
        if (strlen(ext_table[e].name) == len && !strncasecmp(ext_table[e].name, name, len))
            return (int)e;
    return -1;
}

/* "N" of a vlen=N item: a power of two in [CPU_VLEN_MIN, CPU_VLEN_MAX],
 * else 0. */
static unsigned parse_vlen(const char *val, size_t len)
{
    unsigned v = 0;
    if (!len || len > 5) return 0;
    for (size_t k = 0; k < len; k++) {
        if (val[k] < '0' || val[k] > '9') return 0;
        v = v * 10 + (unsigned)(val[k] - '0');
    }
    if (v < CPU_VLEN_MIN || v > CPU_VLEN_MAX || (v & (v - 1))) return 0;
    return v;
}

/* The first extension on in ext that lacks one it needs, with that one. */
static bool missing_need(uint64_t ext, unsigned *who, unsigned *need)
{
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++) {
        if (!((ext >> e) & 1)) continue;
        uint64_t lack = ext_table[e].needs & ~ext;
        if (lack) {
            *who = e;
            *need = (unsigned)__builtin_ctzll(lack);
            return true;
        }
    }
    return false;
}

int cpu_model_parse(struct cpu_model *m, const char *spec, char *err, size_t errlen)
{
    struct cpu_model def;
    cpu_model_default(&def);
    const char *p = spec;
    size_t base = strcspn(p, ",");
    const struct cpu_profile *prof = NULL;
    for (size_t k = 0; k < ARRAY_SIZE(profiles); k++)
        if (strlen(profiles[k].name) == base && !strncasecmp(p, profiles[k].name, base))
            prof = &profiles[k];
    if (!prof)
        return errmsg_set(err, errlen, -EINVAL,
                          "--cpu %.200s: the model must start with rv64, rva22 or rva23 (e.g. "
                          "rv64,d=off)",
                          spec);
    uint64_t ext = def.ext | prof->ext;
    unsigned vlen = 0; /* given with vlen=N */
    p += base;
    while (*p) {
        p++; /* the comma */
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (!len || !eq)
            return errmsg_set(err, errlen, -EINVAL, "--cpu %.200s: expected EXT=on|off, got '%.*s'",
                              spec, (int)len, p);
        if (eq - p == 4 && !strncasecmp(p, "vlen", 4)) {
            vlen = parse_vlen(eq + 1, len - 5);
            if (!vlen)
                return errmsg_set(err, errlen, -EINVAL,
                                  "--cpu %.200s: vlen= must be a power of two from %d to %d, not "
                                  "'%.*s'",
                                  spec, CPU_VLEN_MIN, CPU_VLEN_MAX, (int)(len - 5), eq + 1);
            p += len;
            continue;
        }
        int e = find_ext(p, (size_t)(eq - p));
        if (e < 0) {
            char known[512];
            size_t n = 0;
            known[0] = 0;
            for (unsigned k = 0; k < CPU_EXT_COUNT && n < sizeof(known); k++)
                n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", k ? ", " : "",
                                      ext_table[k].name);
            return errmsg_set(err, errlen, -EINVAL,
                              "--cpu %.200s: unknown extension '%.*s' (known: %s)", spec,
                              (int)(eq - p), p, known);
        }
        const char *val = eq + 1;
        size_t vlen = len - (size_t)(val - p);
        bool on;
        if ((vlen == 2 && !strncasecmp(val, "on", 2)) ||
            (vlen == 4 && !strncasecmp(val, "true", 4)))
            on = true;
        else if ((vlen == 3 && !strncasecmp(val, "off", 3)) ||
                 (vlen == 5 && !strncasecmp(val, "false", 5)))
            on = false;
        else
            return errmsg_set(err, errlen, -EINVAL,
                              "--cpu %.200s: %s= must be on or off, not '%.*s'", spec,
                              ext_table[e].name, (int)vlen, val);
        const struct cpu_ext_desc *d = &ext_table[e];
        if ((d->flags & CPU_FIXED) && on != !!(d->flags & CPU_DEFAULT_ON))
            return errmsg_set(err, errlen, -EINVAL,
                              on ? "--cpu %.200s: %s is not implemented in rvmm yet"
                                 : "--cpu %.200s: %s cannot be turned off in rvmm",
                              spec, d->name);
        ext = on ? ext | (1ULL << e) : ext & ~(1ULL << e);
        p += len;
    }
    unsigned who, need;
    if (missing_need(ext, &who, &need))
        return errmsg_set(err, errlen, -EINVAL, "--cpu %.200s: %s needs %s (add %s=on or %s=off)",
                          spec, ext_table[who].name, ext_table[need].name, ext_table[need].name,
                          ext_table[who].name);
    if (vlen && !((ext >> CPU_EXT_v) & 1))
        return errmsg_set(err, errlen, -EINVAL,
                          "--cpu %.200s: vlen= needs the vector extension "
                          "(add v=on)",
                          spec);
    m->ext = ext;
    m->vlen = vlen ? vlen : CPU_VLEN_DEFAULT;
    return 0;
}

int cpu_model_format(const struct cpu_model *m, char *buf, size_t len)
{
    struct cpu_model def;
    cpu_model_default(&def);
    int n = snprintf(buf, len, "rv64");
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++) {
        uint64_t bit = 1ULL << e;
        if ((m->ext ^ def.ext) & bit)
            n += snprintf(buf + ((size_t)n < len ? (size_t)n : len),
                          (size_t)n < len ? len - (size_t)n : 0, ",%s=%s", ext_table[e].name,
                          (m->ext & bit) ? "on" : "off");
    }
    if (cpu_model_has(m, CPU_EXT_v) && cpu_model_vlen(m) != CPU_VLEN_DEFAULT)
        n += snprintf(buf + ((size_t)n < len ? (size_t)n : len),
                      (size_t)n < len ? len - (size_t)n : 0, ",vlen=%u", cpu_model_vlen(m));
    return n;
}

int cpu_model_list(const struct cpu_model *m, char *buf, size_t len)
{
    int n = 0;
    if (len) buf[0] = 0;
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++)
        if (cpu_model_has(m, (enum cpu_ext)e))
            n += snprintf(buf + ((size_t)n < len ? (size_t)n : len),
                          (size_t)n < len ? len - (size_t)n : 0, "%s%s", n ? "," : "",
                          ext_table[e].name);
    if (cpu_model_has(m, CPU_EXT_v))
        n += snprintf(buf + ((size_t)n < len ? (size_t)n : len),
                      (size_t)n < len ? len - (size_t)n : 0, ",vlen=%u", cpu_model_vlen(m));
    return n;
}

int cpu_model_from_list(struct cpu_model *m, const char *list, char *err, size_t errlen)
{
    uint64_t ext = 0;
    unsigned vlen = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len > 5 && !strncmp(p, "vlen=", 5)) {
            if (!(vlen = parse_vlen(p + 5, len - 5)))
                return errmsg_set(err, errlen, -EINVAL, "bad VLEN '%.*s'", (int)len, p);
            p += len;
            if (*p) p++;
            continue;
        }
        int e = find_ext(p, len);
        if (e < 0)
            return errmsg_set(err, errlen, -EINVAL, "unknown CPU extension '%.*s'", (int)len, p);
        ext |= 1ULL << e;
        p += len;
        if (*p) p++;
    }
    unsigned who, need;
    if (!cpu_model_has(&(struct cpu_model){.ext = ext}, CPU_EXT_i) ||
        missing_need(ext, &who, &need))
        return errmsg_set(err, errlen, -EINVAL, "inconsistent CPU model '%.200s'", list);
    m->ext = ext;
    m->vlen = vlen ? vlen : CPU_VLEN_DEFAULT;
    return 0;
}

uint64_t cpu_model_misa(const struct cpu_model *m)
{
    uint64_t misa = 2ULL << 62; /* MXL = 64 */
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++)
        if (ext_table[e].letter && cpu_model_has(m, (enum cpu_ext)e))
            misa |= 1ULL << (ext_table[e].letter - 'A');
    return misa;
}

int cpu_model_isa_string(const struct cpu_model *m, char *buf, size_t len)
{
    int n = snprintf(buf, len, "rv64");
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++) {
        const struct cpu_ext_desc *d = &ext_table[e];
        if (!cpu_model_has(m, (enum cpu_ext)e) || (d->flags & CPU_MISA_ONLY)) continue;
        size_t at = (size_t)n < len ? (size_t)n : len;
        n += snprintf(buf + at, len - at, "%s%s", d->letter ? "" : "_", d->name);
    }
    return n;
}

int cpu_model_isa_extensions(const struct cpu_model *m, char *buf, size_t len)
{
    size_t n = 0;
    for (unsigned e = 0; e < CPU_EXT_COUNT; e++) {
        const struct cpu_ext_desc *d = &ext_table[e];
        if (!cpu_model_has(m, (enum cpu_ext)e) || (d->flags & CPU_MISA_ONLY)) continue;
        size_t k = strlen(d->name) + 1;
        if (n + k > len) return -ENOSPC;
        memcpy(buf + n, d->name, k);
        n += k;
    }
    return (int)n;
}

bool cpu_model_allows_op(uint64_t ext, unsigned op)
{
    return (decode_op_ext(op) & ext) != 0; /* the instruction list's extension column */
}
