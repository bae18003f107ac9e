/* Unit tests for the vector unit's base (V, RVV 1.0): element and mask
 * access in the register file at every EEW and VLEN (interp_v.h), the
 * register-group and overlap rules, vtype support and VLMAX (hart_vec.c),
 * --cpu's vlen= and the snapshot's model list, and the vector state's
 * save/restore: a round trip, and refusals of a state saved under another
 * VLEN or holding values no instruction leaves. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/hart_vec.h"
#include "cpu/interp_v.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL

static int bus_read(void *o, gpa_t pa, unsigned size, uint64_t *v)
{
    *v = 0;
    return -1;
}

static int bus_write(void *o, gpa_t pa, unsigned size, uint64_t v)
{
    return -1;
}

struct rig {
    struct guest_ram ram;
    struct vclock clock;
    struct rv_hart *h;
};

static void rig_init(struct rig *r, const char *cpu)
{
    char err[256];
    struct cpu_model m;
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, RAM_BASE, 1 << 20), 0);
    r->h = calloc(1, sizeof(*r->h));
    struct hart_bus hb = {NULL, bus_read, bus_write};
    UT_EQ(hart_init(r->h, 0, &r->ram, &hb, &r->clock), 0);
    UT_EQ(cpu_model_parse(&m, cpu, err, sizeof(err)), 0);
    hart_set_model(r->h, &m);
}

static void rig_destroy(struct rig *r)
{
    hart_destroy(r->h);
    free(r->h);
    ram_destroy(&r->ram);
}

/* Element k of EEW e of group vd is at byte vd * vlenb + k * e, little
 * endian, so one group's elements continue across its registers. */
static void test_element_layout(void)
{
    static const unsigned vlens[] = {128, 256, 512, 1024};
    for (size_t n = 0; n < sizeof(vlens) / sizeof(vlens[0]); n++) {
        char cpu[64];
        snprintf(cpu, sizeof(cpu), "rv64,v=on,vlen=%u", vlens[n]);
        struct rig r;
        rig_init(&r, cpu);
        struct rv_hart *h = r.h;
        unsigned vlenb = vlens[n] / 8;
        UT_EQ(h->vec.vlenb, vlenb);
        for (unsigned esz = 1; esz <= 8; esz *= 2) {
            memset(h->vec.reg, 0, sizeof(h->vec.reg));
            /* Fill v8..v15 (LMUL 8) element by element. */
            uint64_t count = 8ULL * vlenb / esz;
            for (uint64_t k = 0; k < count; k++)
                v_set(h, 8, k, esz, 0x8070605040302010ULL + k);
            for (uint64_t k = 0; k < count; k++) {
                uint64_t want =
                    (0x8070605040302010ULL + k) & (esz == 8 ? ~0ULL : (1ULL << (8 * esz)) - 1);
                UT_EQ(v_get(h, 8, k, esz), want);
                /* The same element read as part of its register. */
                UT_EQ(v_get(h, 8 + (unsigned)(k * esz / vlenb), k % (vlenb / esz), esz), want);
            }
            UT_EQ(h->vec.reg[8 * vlenb], 0x10);  /* v8 element 0, low byte first */
            UT_EQ(h->vec.reg[8 * vlenb - 1], 0); /* v7 untouched */
            UT_EQ(h->vec.reg[16 * vlenb], 0);    /* v16 untouched */
            v_set(h, 1, 0, esz, (uint64_t)-2);
            UT_EQ(v_gets(h, 1, 0, esz), -2);
            UT_EQ(v_get(h, 1, 0, esz), esz == 8 ? ~1ULL : (1ULL << (8 * esz)) - 2);
        }
        /* Offsets wrap inside the register file: no index reaches past it. */
        UT_CHECK(v_elem(h, 31, 8ULL * vlenb, 8) >= h->vec.reg);
        UT_CHECK(v_elem(h, 31, ~0ULL / 8, 8) + 8 <= h->vec.reg + sizeof(h->vec.reg));
        rig_destroy(&r);
    }
}

/* Mask bit k is bit k of the register (4.5); v_active follows v0 unless
 * vm = 1. */
static void test_masks(void)
{
    struct rig r;
    rig_init(&r, "rv64,v=on,vlen=256");
    struct rv_hart *h = r.h;
    for (unsigned k = 0; k < 256; k += 3)
        v_mask_set(h, 0, k, true);
    v_mask_set(h, 0, 3, false);
    UT_EQ(h->vec.reg[0], 0x41); /* bits 0 and 6 */
    UT_EQ(v_mask(h, 0, 255), true);
    UT_EQ(v_mask(h, 0, 254), false);
    UT_EQ(h->vec.reg[32], 0); /* v1 untouched */
    struct rv_insn masked = {.raw = 0x00000057}, unmasked = {.raw = 0x02000057};
    UT_CHECK(v_active(h, &masked, 6));
    UT_CHECK(!v_active(h, &masked, 7));
    UT_CHECK(!v_active(h, &masked, 3));
    UT_CHECK(v_active(h, &unmasked, 7));
    rig_destroy(&r);
}

/* Register groups (5.2): alignment, EMUL <= 8, and the overlaps allowed. */
static void test_groups(void)
{
    UT_CHECK(v_group_ok(3, 0));
    UT_CHECK(v_group_ok(3, -3));
    UT_CHECK(v_group_ok(4, 2));
    UT_CHECK(!v_group_ok(6, 2));
    UT_CHECK(v_group_ok(24, 3));
    UT_CHECK(!v_group_ok(0, 4)); /* EMUL 16 */
    UT_CHECK(v_overlap(2, 2, 3, 1));
    UT_CHECK(!v_overlap(2, 2, 4, 4));
    /* Same EEW: any overlap. */
    UT_CHECK(v_overlap_ok(4, 4, 1, 5, 4, 0));
    /* Narrowing (vd EEW 2, vs EEW 4 at EMUL 2): only the lowest part. */
    UT_CHECK(v_overlap_ok(4, 2, 0, 4, 4, 1));
    UT_CHECK(!v_overlap_ok(5, 2, 0, 4, 4, 1));
    /* Widening (vd EEW 4 EMUL 2, vs EEW 2 EMUL 1): only the highest part. */
    UT_CHECK(v_overlap_ok(4, 4, 1, 5, 2, 0));
    UT_CHECK(!v_overlap_ok(4, 4, 1, 4, 2, 0));
    /* ... and not with a fractional source EMUL. */
    UT_CHECK(!v_overlap_ok(4, 4, 0, 4, 2, -1));
    UT_CHECK(v_overlap_ok(4, 4, 0, 6, 2, -1));
}

/* vtype support, VLMAX and vsetvl's vl at VLEN 512. */
static void test_vtype(void)
{
    struct rig r;
    rig_init(&r, "rv64,v=on,vlen=512");
    struct rv_hart *h = r.h;
    UT_EQ(h->vec.vtype, VTYPE_VILL);
    for (unsigned vsew = 0; vsew < 4; vsew++)
        for (unsigned vlmul = 0; vlmul < 8; vlmul++) {
            uint64_t vt = vsew << 3 | vlmul;
            int lmul = vlmul >= 4 ? (int)vlmul - 8 : (int)vlmul;
            bool ok = vlmul != 4 && (lmul >= 0 || (64 >> -lmul) >= (8 << vsew));
            UT_EQ(vec_vtype_ok(h, vt), ok);
            if (!ok) continue;
            uint64_t vlmax = lmul >= 0 ? (64u >> vsew) << lmul : (64u >> vsew) >> -lmul;
            UT_EQ(vec_vlmax(h, vt), vlmax);
            UT_EQ(vec_setvl(h, vt | VTYPE_VTA, 3, false, false), vlmax < 3 ? vlmax : 3);
            UT_EQ(vec_setvl(h, vt, 0, true, false), vlmax);
            UT_EQ(h->vec.vtype, vt);
        }
    UT_CHECK(!vec_vtype_ok(h, 0x20));      /* SEW 128 */
    UT_CHECK(!vec_vtype_ok(h, 1ULL << 8)); /* reserved bit */
    h->vec.vstart = 5;
    UT_EQ(vec_setvl(h, 0x20, 8, false, false), 0);
    UT_EQ(h->vec.vtype, VTYPE_VILL);
    UT_EQ(h->vec.vstart, 0);
    UT_EQ(h->mstatus & MSTATUS_VS, MSTATUS_VS); /* Dirty */
    rig_destroy(&r);
}

/* --cpu's vlen= and the snapshot's list keep VLEN. */
static void test_model_vlen(void)
{
    struct cpu_model m, back;
    char buf[512], err[256];
    UT_EQ(cpu_model_parse(&m, "rv64,v=on", err, sizeof(err)), 0);
    UT_EQ(cpu_model_vlen(&m), 128);
    UT_CHECK(cpu_model_misa(&m) & (1ULL << ('V' - 'A')));
    cpu_model_isa_string(&m, buf, sizeof(buf));
    UT_CHECK(!strncmp(buf, "rv64imafdcvh_", 13));
    UT_EQ(cpu_model_parse(&m, "rv64,vlen=512,v=on", err, sizeof(err)), 0);
    UT_EQ(cpu_model_vlen(&m), 512);
    cpu_model_format(&m, buf, sizeof(buf));
    UT_CHECK(!strcmp(buf, "rv64,v=on,vlen=512"));
    UT_EQ(cpu_model_parse(&back, buf, err, sizeof(err)), 0);
    UT_EQ(back.ext, m.ext);
    UT_EQ(back.vlen, 512);
    cpu_model_list(&m, buf, sizeof(buf));
    UT_CHECK(strstr(buf, ",v,") != NULL);
    UT_CHECK(strstr(buf, ",vlen=512") != NULL);
    UT_EQ(cpu_model_from_list(&back, buf, err, sizeof(err)), 0);
    UT_EQ(back.ext, m.ext);
    UT_EQ(back.vlen, 512);
    UT_EQ(cpu_model_from_list(&back, "i,m,a,f,d,c,v,vlen=96", err, sizeof(err)), -EINVAL);
    UT_EQ(cpu_model_parse(&m, "rva23", err, sizeof(err)), 0);
    UT_CHECK(cpu_model_has(&m, CPU_EXT_v) && cpu_model_has(&m, CPU_EXT_zvkt));
    UT_CHECK(cpu_model_has(&m, CPU_EXT_zvfhmin)); /* RVA23U64 mandates Zvfhmin */
    UT_EQ(cpu_model_parse(&m, "rva23,zvfhmin=off", err, sizeof(err)), 0);
    UT_CHECK(cpu_model_has(&m, CPU_EXT_v) && !cpu_model_has(&m, CPU_EXT_zvfhmin));
    UT_EQ(cpu_model_parse(&m, "rva23,v=off", err, sizeof(err)), -EINVAL); /* zvfhmin needs v */
    static const char *const bad[] = {
        "rv64,v=on,vlen=96",   "rv64,v=on,vlen=2048", "rv64,v=on,vlen=0", "rv64,v=on,vlen=",
        "rv64,v=on,vlen=-128", "rv64,vlen=256",       "rv64,v=on,d=off"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        err[0] = 0;
        UT_EQ(cpu_model_parse(&m, bad[k], err, sizeof(err)), -EINVAL);
        UT_CHECK(err[0] && !strchr(err, '\n'));
    }
}

static void fill(struct rv_hart *h)
{
    for (size_t k = 0; k < 32u * h->vec.vlenb; k++)
        h->vec.reg[k] = (uint8_t)(k * 7 + 3);
    vec_setvl(h, 0x11 | VTYPE_VMA, 5, false, false); /* e32, m2 */
    h->vec.vstart = 3;
    h->vec.vxrm = 2;
    h->vec.vxsat = 1;
}

/* The vector state round-trips in the hart's section; a VLEN or a value
 * the hart cannot hold is refused, leaving the hart alone. */
static void test_save_restore(void)
{
    struct rig a, b, c, d;
    rig_init(&a, "rv64,v=on,vlen=256");
    rig_init(&b, "rv64,v=on,vlen=256");
    rig_init(&c, "rv64,v=on,vlen=512");
    rig_init(&d, "rv64,v=on,vlen=256");
    fill(a.h);
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(hart_save(a.h, &s), 0);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(b.h, &r), 0);
    UT_CHECK(!memcmp(&a.h->vec, &b.h->vec, sizeof(a.h->vec)));
    UT_EQ(b.h->vec.vl, 5);
    UT_EQ(b.h->vec.vstart, 3);
    /* Another VLEN: refused (the misa check passes: both have V). */
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(c.h, &r), -EINVAL);
    UT_EQ(c.h->vec.vlenb, 64);
    /* vl beyond VLMAX, vxrm, vstart out of range: refused. */
    size_t at = s.len - 32u * 32 - 2 - 3 * 8; /* vstart, vl, vtype, vxrm, vxsat, registers */
    static const struct {
        size_t off;
        uint8_t val;
    } bad[] = {{8, 17}, {1, 0x01}, {24, 4}, {25, 2}, {16, 0x04}};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        uint8_t *copy = malloc(s.len);
        memcpy(copy, s.buf, s.len);
        UT_EQ(copy[at + 16], 0x91); /* the layout is as expected: vtype's low byte */
        copy[at + bad[k].off] = bad[k].val;
        d.h->x[5] = 0x55;
        stream_init_reader(&r, copy, s.len);
        UT_EQ(hart_restore(d.h, &r), -EINVAL);
        UT_EQ(d.h->x[5], 0x55);
        UT_EQ(d.h->vec.vtype, VTYPE_VILL);
        free(copy);
    }
    stream_free(&s);
    /* A hart without V saves no vector state and refuses one with it. */
    struct rig e;
    rig_init(&e, "rv64");
    stream_init_writer(&s);
    UT_EQ(hart_save(e.h, &s), 0);
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(hart_restore(d.h, &r), -EINVAL);
    stream_free(&s);
    rig_destroy(&a);
    rig_destroy(&b);
    rig_destroy(&c);
    rig_destroy(&d);
    rig_destroy(&e);
}

int main(void)
{
    ut_run("vec_element_layout", test_element_layout);
    ut_run("vec_masks", test_masks);
    ut_run("vec_groups", test_groups);
    ut_run("vec_vtype_vlmax", test_vtype);
    ut_run("vec_model_vlen", test_model_vlen);
    ut_run("vec_save_restore", test_save_restore);
    return ut_exit();
}
