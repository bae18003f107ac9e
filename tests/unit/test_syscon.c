/* Unit tests for the test finisher: pass, reset and fail requests with
 * their exit codes, values and offsets that must be ignored, and access
 * size checks. */
#include "machine/syscon.h"

#include <errno.h>
#include <string.h>

#include "ut.h"

UT_MAIN_STATE

struct log {
    int count;
    enum syscon_request req;
    int code;
};

static void record(void *opaque, enum syscon_request req, int code)
{
    struct log *l = opaque;
    l->count++;
    l->req = req;
    l->code = code;
}

static void test_requests(void)
{
    struct syscon *sc;
    struct log l = {0};
    UT_EQ(syscon_create(&sc, record, &l), 0);

    UT_EQ(syscon_ops.write(sc, 0, 4, 0x5555), 0);
    UT_EQ(l.count, 1);
    UT_EQ(l.req, SYSCON_POWEROFF);
    UT_EQ(l.code, 0);

    UT_EQ(syscon_ops.write(sc, 0, 4, 0x7777), 0);
    UT_EQ(l.count, 2);
    UT_EQ(l.req, SYSCON_RESET);

    UT_EQ(syscon_ops.write(sc, 0, 4, (42u << 16) | 0x3333), 0);
    UT_EQ(l.count, 3);
    UT_EQ(l.req, SYSCON_FAIL);
    UT_EQ(l.code, 42);
    UT_EQ(syscon_ops.write(sc, 0, 4, 0xffff3333), 0);
    UT_EQ(l.code, 0xffff);

    /* QEMU decodes only the low half as the status. */
    UT_EQ(syscon_ops.write(sc, 0, 4, 0x00015555), 0);
    UT_EQ(l.count, 5);
    UT_EQ(l.req, SYSCON_POWEROFF);
    UT_EQ(syscon_ops.write(sc, 0, 2, 0x7777), 0);
    UT_EQ(l.req, SYSCON_RESET);
    UT_EQ(l.count, 6);
    syscon_destroy(sc);
}

static void test_ignored(void)
{
    struct syscon *sc;
    struct log l = {0};
    uint64_t v = 1;
    UT_EQ(syscon_create(&sc, record, &l), 0);
    UT_EQ(syscon_ops.write(sc, 0, 4, 0), 0);
    UT_EQ(syscon_ops.write(sc, 0, 4, 0x5554), 0);
    UT_EQ(syscon_ops.write(sc, 0, 4, 0x12340000), 0);
    UT_EQ(syscon_ops.write(sc, 4, 4, 0x5555), 0); /* only offset 0 */
    UT_EQ(syscon_ops.write(sc, 0xffc, 4, 0x7777), 0);
    UT_EQ(syscon_ops.read(sc, 0, 4, &v), 0);
    UT_EQ(v, 0);
    UT_EQ(l.count, 0);
    /* Sizes QEMU rejects fault and do nothing. */
    UT_EQ(syscon_ops.write(sc, 0, 1, 0x55), -EINVAL);
    UT_EQ(syscon_ops.write(sc, 0, 8, 0x5555), -EINVAL);
    UT_EQ(syscon_ops.read(sc, 0, 8, &v), -EINVAL);
    UT_EQ(l.count, 0);
    syscon_destroy(sc);
}

static void test_create_errors(void)
{
    struct syscon *sc = (struct syscon *)1;
    UT_EQ(syscon_create(&sc, NULL, NULL), -EINVAL);
    UT_CHECK(sc == NULL);
    syscon_destroy(NULL);
}

int main(void)
{
    ut_run("syscon_requests", test_requests);
    ut_run("syscon_ignored", test_ignored);
    ut_run("syscon_create_errors", test_create_errors);
    return ut_exit();
}
