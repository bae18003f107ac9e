/* Unit tests for the split virtqueue walker: rings built by hand in guest RAM;
 * normal and indirect chains, used ring and event-idx notification, and
 * hostile rings (loops, addresses outside RAM, huge lengths, readable after
 * writable, bad sizes, nested indirect) refused without stray accesses. */
#include "machine/virtio/virtqueue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ut.h"

UT_MAIN_STATE

#define BASE  0x80000000ULL
#define SIZE  (1ULL << 20)
#define DESC  (BASE + 0x1000)
#define AVAIL (BASE + 0x2000)
#define USED  (BASE + 0x3000)
#define IND   (BASE + 0x4000)
#define BUF   (BASE + 0x10000)
#define NUM   8

struct rig {
    struct guest_ram ram;
    struct vq q;
    struct vq_chain *c;
    uint16_t avail_idx;
};

static void *at(struct rig *r, gpa_t pa)
{
    return r->ram.host + (pa - BASE);
}

static void rig_init(struct rig *r)
{
    memset(r, 0, sizeof(*r));
    UT_EQ(ram_create(&r->ram, BASE, SIZE), 0);
    r->c = calloc(1, sizeof(*r->c));
    vq_reset(&r->q);
    r->q.num = NUM;
    r->q.desc = DESC;
    r->q.avail = AVAIL;
    r->q.used = USED;
    r->q.indirect = true;
    UT_EQ(vq_check(&r->q, &r->ram), 0);
}

static void rig_fini(struct rig *r)
{
    free(r->c);
    ram_destroy(&r->ram);
}

static void set_desc(struct rig *r, gpa_t table, unsigned i, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
    uint8_t *p = at(r, table + 16ULL * i);
    memcpy(p, &addr, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &flags, 2);
    memcpy(p + 14, &next, 2);
}

static void offer(struct rig *r, uint16_t head)
{
    uint16_t *ring = at(r, AVAIL + 4);
    ring[r->avail_idx % NUM] = head;
    r->avail_idx++;
    *(uint16_t *)at(r, AVAIL + 2) = r->avail_idx;
}

static void test_normal_chain(void)
{
    struct rig r;
    rig_init(&r);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 0); /* empty */
    set_desc(&r, DESC, 3, BUF, 16, VIRTQ_DESC_F_NEXT, 5);
    set_desc(&r, DESC, 5, BUF + 0x100, 32, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
    set_desc(&r, DESC, 1, BUF + 0x200, 64, VIRTQ_DESC_F_WRITE, 0);
    offer(&r, 3);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
    UT_EQ(r.c->head, 3);
    UT_EQ(r.c->nout, 1);
    UT_EQ(r.c->nin, 2);
    UT_EQ(r.c->out_len, 16);
    UT_EQ(r.c->in_len, 96);
    UT_CHECK(r.c->iov[0].base == at(&r, BUF));
    UT_CHECK(r.c->iov[2].base == at(&r, BUF + 0x200));
    UT_EQ(r.c->iov[1].gpa, BUF + 0x100);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 0);

    uint8_t src[40];
    memset(src, 0xab, sizeof(src));
    UT_EQ(vq_chain_write(&r.ram, r.c, src, sizeof(src)), 40);
    UT_EQ(((uint8_t *)at(&r, BUF + 0x100))[31], 0xab);
    UT_EQ(((uint8_t *)at(&r, BUF + 0x200))[7], 0xab);
    UT_EQ(((uint8_t *)at(&r, BUF + 0x200))[8], 0);

    UT_EQ(vq_push(&r.q, &r.ram, 3, 40), 0);
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 1);
    UT_EQ(*(uint32_t *)at(&r, USED + 4), 3);
    UT_EQ(*(uint32_t *)at(&r, USED + 8), 40);
    UT_CHECK(vq_should_notify(&r.q, &r.ram));
    *(uint16_t *)at(&r, AVAIL) = 1; /* VRING_AVAIL_F_NO_INTERRUPT */
    UT_EQ(vq_push(&r.q, &r.ram, 3, 0), 0);
    UT_CHECK(!vq_should_notify(&r.q, &r.ram));
    rig_fini(&r);
}

static void test_wraparound(void)
{
    struct rig r;
    rig_init(&r);
    set_desc(&r, DESC, 0, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
    for (unsigned i = 0; i < 3 * NUM + 1; i++) {
        offer(&r, 0);
        UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
        UT_EQ(vq_push(&r.q, &r.ram, 0, 8), 0);
    }
    UT_EQ(*(uint16_t *)at(&r, USED + 2), 3 * NUM + 1);
    /* avail idx running more than num ahead is a broken driver */
    *(uint16_t *)at(&r, AVAIL + 2) = r.avail_idx + NUM + 1;
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), -EINVAL);
    rig_fini(&r);
}

static void test_indirect(void)
{
    struct rig r;
    rig_init(&r);
    set_desc(&r, IND, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
    set_desc(&r, IND, 1, BUF + 0x40, 4, VIRTQ_DESC_F_NEXT, 2);
    set_desc(&r, IND, 2, BUF + 0x80, 100, VIRTQ_DESC_F_WRITE, 0);
    set_desc(&r, DESC, 2, BUF + 0x400, 8, VIRTQ_DESC_F_NEXT, 6); /* direct prefix */
    set_desc(&r, DESC, 6, IND, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
    offer(&r, 2);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
    UT_EQ(r.c->nout, 3);
    UT_EQ(r.c->nin, 1);
    UT_EQ(r.c->in_len, 100);
    UT_EQ(r.c->iov[3].gpa, BUF + 0x80);

    /* not negotiated */
    r.q.indirect = false;
    offer(&r, 6);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), -EINVAL);
    rig_fini(&r);
}

static void test_event_idx(void)
{
    struct rig r;
    rig_init(&r);
    r.q.event_idx = true;
    set_desc(&r, DESC, 0, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
    uint16_t *used_event = at(&r, AVAIL + 4 + 2 * NUM);
    uint16_t *avail_event = at(&r, USED + 4 + 8 * NUM);
    offer(&r, 0);
    offer(&r, 0);
    offer(&r, 0);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
    UT_EQ(*avail_event, 1);
    UT_EQ(vq_push(&r.q, &r.ram, 0, 8), 0);
    *used_event = 0;
    UT_CHECK(vq_should_notify(&r.q, &r.ram)); /* first always */
    *used_event = 2;                          /* wake me once used idx passes 2 */
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
    UT_EQ(vq_push(&r.q, &r.ram, 0, 8), 0); /* used idx 2 */
    UT_CHECK(!vq_should_notify(&r.q, &r.ram));
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), 1);
    UT_EQ(*avail_event, 3);
    UT_EQ(vq_push(&r.q, &r.ram, 0, 8), 0); /* used idx 3: crossed 2 */
    UT_CHECK(vq_should_notify(&r.q, &r.ram));
    rig_fini(&r);
}

static void expect_bad(struct rig *r, uint16_t head)
{
    offer(r, head);
    UT_EQ(vq_pop(&r->q, &r->ram, r->c), -EINVAL);
}

static void test_hostile(void)
{
    struct rig r;

    rig_init(&r); /* loop */
    set_desc(&r, DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
    set_desc(&r, DESC, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
    expect_bad(&r, 0);
    rig_fini(&r);

    rig_init(&r); /* self loop */
    set_desc(&r, DESC, 4, BUF, 8, VIRTQ_DESC_F_NEXT, 4);
    expect_bad(&r, 4);
    rig_fini(&r);

    rig_init(&r); /* head out of range */
    expect_bad(&r, NUM);
    rig_fini(&r);

    rig_init(&r); /* next out of range */
    set_desc(&r, DESC, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 0xffff);
    expect_bad(&r, 0);
    rig_fini(&r);

    rig_init(&r); /* buffer outside RAM, straddling its end, wrapping */
    set_desc(&r, DESC, 0, BASE - 8, 8, 0, 0);
    set_desc(&r, DESC, 1, BASE + SIZE - 4, 8, 0, 0);
    set_desc(&r, DESC, 2, 0xfffffffffffffff0ULL, 0x20, VIRTQ_DESC_F_WRITE, 0);
    expect_bad(&r, 0);
    vq_reset(&r.q);
    rig_fini(&r);
    rig_init(&r);
    set_desc(&r, DESC, 1, BASE + SIZE - 4, 8, 0, 0);
    expect_bad(&r, 1);
    rig_fini(&r);
    rig_init(&r);
    set_desc(&r, DESC, 2, 0xfffffffffffffff0ULL, 0x20, VIRTQ_DESC_F_WRITE, 0);
    expect_bad(&r, 2);
    rig_fini(&r);

    rig_init(&r); /* huge length */
    set_desc(&r, DESC, 0, BUF, 0xffffffff, VIRTQ_DESC_F_WRITE, 0);
    expect_bad(&r, 0);
    rig_fini(&r);

    rig_init(&r); /* writable then readable */
    set_desc(&r, DESC, 0, BUF, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    set_desc(&r, DESC, 1, BUF, 8, 0, 0);
    expect_bad(&r, 0);
    rig_fini(&r);

    rig_init(&r); /* nested indirect */
    set_desc(&r, IND, 0, IND + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0);
    set_desc(&r, IND, 16, BUF, 8, 0, 0);
    set_desc(&r, DESC, 0, IND, 16, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(&r, 0);
    rig_fini(&r);

    rig_init(&r); /* indirect with NEXT, bad length, table outside RAM, loop in table */
    set_desc(&r, DESC, 0, IND, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
    expect_bad(&r, 0);
    rig_fini(&r);
    rig_init(&r);
    set_desc(&r, DESC, 0, IND, 15, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(&r, 0);
    rig_fini(&r);
    rig_init(&r);
    set_desc(&r, DESC, 0, BASE + SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(&r, 0);
    rig_fini(&r);
    rig_init(&r);
    set_desc(&r, IND, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
    set_desc(&r, IND, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
    set_desc(&r, DESC, 0, IND, 32, VIRTQ_DESC_F_INDIRECT, 0);
    expect_bad(&r, 0);
    rig_fini(&r);
}

static void test_bad_queue(void)
{
    struct rig r;
    rig_init(&r);
    r.q.num = 6; /* not a power of two */
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    r.q.num = 0;
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), -EINVAL);
    r.q.num = 512; /* above the maximum */
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    r.q.num = NUM;
    r.q.desc = DESC + 8; /* misaligned */
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    r.q.desc = BASE + SIZE - 16; /* table runs past RAM */
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    r.q.desc = DESC;
    r.q.used = BASE - 0x1000;
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    r.q.used = USED;
    r.q.avail = 0xfffffffffffffffeULL;
    UT_EQ(vq_check(&r.q, &r.ram), -EINVAL);
    /* unchecked rings outside RAM: pop and push refuse, never touch */
    UT_EQ(vq_pop(&r.q, &r.ram, r.c), -EINVAL);
    r.q.used = BASE + SIZE;
    UT_EQ(vq_push(&r.q, &r.ram, 0, 0), -EINVAL);
    rig_fini(&r);
}

int main(void)
{
    ut_run("virtqueue_normal_chain", test_normal_chain);
    ut_run("virtqueue_wraparound", test_wraparound);
    ut_run("virtqueue_indirect", test_indirect);
    ut_run("virtqueue_event_idx", test_event_idx);
    ut_run("virtqueue_hostile", test_hostile);
    ut_run("virtqueue_bad_queue", test_bad_queue);
    return ut_exit();
}
