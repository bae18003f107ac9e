/* Unit tests for snapshot persistence below the VMM's threads: the board's
 * save/restore round trip (harts and every device, virtio-rng included) and
 * its refusal of a board built differently; the state file envelope
 * (every truncation and every flipped byte is refused); the sparse memory
 * file (contents, holes, identity checks) mapped back copy-on-write; the
 * configuration encoding and the override rules. */
#include "vmm/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/block/blockdev.h"
#include "common/ioloop.h"
#include "machine/memmap.h"
#include "ut.h"
#include "vmm/vcpu.h"

UT_MAIN_STATE

#define RAM (16ULL << 20)

static char dir[] = "/tmp/rvmm-ut-snapXXXXXX";

static void path_of(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static void tx(void *opaque, uint8_t byte) {}

/* A board over a zero memory file, so no image is needed. */
static struct board *board_new(bool rng, struct vclock *clock)
{
    char ram[256];
    path_of(ram, sizeof(ram), "zero-ram");
    int fd = open(ram, O_RDWR | O_CREAT, 0600);
    UT_CHECK(fd >= 0 && ftruncate(fd, RAM) == 0);
    close(fd);
    struct board_config cfg = {
        .ram_size = RAM, .nharts = 2, .sbi_builtin = true, .rng = rng, .ram_file = ram};
    static struct ioloop *loop; /* not started: the devices' events just queue */
    if (!loop) UT_EQ(ioloop_create(&loop), 0);
    struct board_io io = {.console_tx = tx, .loop = loop};
    struct board *b = NULL;
    char err[256];
    UT_EQ(board_create(&b, &cfg, &io, clock, err, sizeof(err)), 0);
    return b;
}

static void save(struct board *b, struct stream *s)
{
    stream_init_writer(s);
    UT_EQ(board_save(b, s), 0);
}

static void test_board_round_trip(void)
{
    struct vclock clock = {0};
    struct board *a = board_new(true, &clock), *b = board_new(true, &clock);
    a->harts[0].x[5] = 1234;
    a->harts[1].pc = 0x80200000;
    a->harts[1].stimecmp = 99;
    gpa_t plic = memmap_get(MEMMAP_PLIC)->base, clint = memmap_get(MEMMAP_CLINT)->base;
    gpa_t uart = memmap_get(MEMMAP_UART0)->base, vio = memmap_virtio(0)->base;
    UT_EQ(bus_write(&a->bus, plic + 4 * 10, 4, 5), 0);    /* source 10 priority */
    UT_EQ(bus_write(&a->bus, clint + 0x4008, 8, 777), 0); /* hart 1 mtimecmp */
    UT_EQ(bus_write(&a->bus, uart + 7, 1, 0x5a), 0);      /* scratch */
    UT_EQ(bus_write(&a->bus, vio + 0x70, 4, 3), 0);       /* ACKNOWLEDGE | DRIVER */
    struct stream s1, s2;
    save(a, &s1);
    struct stream r;
    stream_init_reader(&r, s1.buf, s1.len);
    UT_EQ(board_restore(b, &r), 0);
    UT_EQ(r.pos, s1.len);
    save(b, &s2);
    UT_EQ(s2.len, s1.len);
    UT_CHECK(s1.len == s2.len && !memcmp(s1.buf, s2.buf, s1.len));
    uint64_t v = 0;
    UT_EQ(b->harts[0].x[5], 1234);
    UT_EQ(b->harts[1].pc, 0x80200000);
    UT_EQ(bus_read(&b->bus, plic + 4 * 10, 4, &v), 0);
    UT_EQ(v, 5);
    UT_EQ(bus_read(&b->bus, clint + 0x4008, 8, &v), 0);
    UT_EQ(v, 777);
    UT_EQ(bus_read(&b->bus, uart + 7, 1, &v), 0);
    UT_EQ(v, 0x5a);
    UT_EQ(bus_read(&b->bus, vio + 0x70, 4, &v), 0);
    UT_EQ(v, 3);
    stream_free(&s1);
    stream_free(&s2);
    board_destroy(a);
    board_destroy(b);
}

static void test_board_restore_refuses_other_devices(void)
{
    struct vclock clock = {0};
    struct board *with = board_new(true, &clock), *without = board_new(false, &clock);
    struct stream s;
    save(with, &s);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(board_restore(without, &r), -EINVAL);
    stream_free(&s);
    save(without, &s);
    stream_init_reader(&r, s.buf, s.len);
    UT_EQ(board_restore(with, &r), -EINVAL);
    /* Every truncation of a good save is refused too. */
    for (size_t n = 0; n < s.len; n += 7) {
        struct board *fresh = board_new(false, &clock);
        stream_init_reader(&r, s.buf, n);
        UT_CHECK(board_restore(fresh, &r) != 0);
        board_destroy(fresh);
    }
    stream_free(&s);
    board_destroy(with);
    board_destroy(without);
}

/* A device without a save hook makes board_save fail before it writes
 * anything, so no snapshot that would not restore is ever written. */
static void test_board_save_refuses_unsaveable_device(void)
{
    struct vclock clock = {0};
    struct board *b = board_new(true, &clock);
    UT_CHECK(b->nvirtio >= 1);
    const struct virtio_dev_ops *ops = b->virtio[0].ops;
    struct virtio_dev_ops nosave = *ops;
    nosave.save = NULL;
    b->virtio[0].ops = &nosave;
    struct stream s;
    stream_init_writer(&s);
    UT_EQ(board_save(b, &s), -ENOTSUP);
    UT_EQ(s.len, 0);
    stream_free(&s);
    b->virtio[0].ops = ops;
    board_destroy(b);
}

static void test_state_file_envelope(void)
{
    char path[256], err[512];
    path_of(path, sizeof(path), "state");
    struct stream body;
    stream_init_writer(&body);
    size_t mark = stream_begin_section(&body, STREAM_TAG('T', 'E', 'S', 'T'), 1);
    stream_put_u64(&body, 0x0123456789abcdefULL);
    stream_end_section(&body, mark);
    UT_EQ(snap_state_write(path, &body, err, sizeof(err)), 0);
    struct stream got;
    UT_EQ(snap_state_read(path, &got, err, sizeof(err)), 0);
    UT_CHECK(got.len == body.len && !memcmp(got.buf, body.buf, body.len));
    stream_free(&got);

    int fd = open(path, O_RDONLY);
    uint8_t file[512];
    ssize_t n = read(fd, file, sizeof(file));
    close(fd);
    UT_CHECK(n > 0);
    char bad[256];
    path_of(bad, sizeof(bad), "bad");
    for (ssize_t len = 0; len < n; len++) { /* every truncation */
        fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        UT_EQ(write(fd, file, (size_t)len), len);
        close(fd);
        UT_EQ(snap_state_read(bad, &got, err, sizeof(err)), -EINVAL);
    }
    for (ssize_t pos = 0; pos < n; pos++) { /* every flipped byte */
        file[pos] ^= 0x01;
        fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        UT_EQ(write(fd, file, (size_t)n), n);
        close(fd);
        UT_EQ(snap_state_read(bad, &got, err, sizeof(err)), -EINVAL);
        file[pos] ^= 0x01;
    }
    UT_CHECK(snap_state_read("/nonexistent/state", &got, err, sizeof(err)) == -ENOENT);
    stream_free(&body);
}

static void test_memory_file(void)
{
    struct guest_ram ram, back;
    UT_EQ(ram_create(&ram, 0x80000000, RAM), 0);
    memset(ram.host + 5 * RAM_PAGE_SIZE, 0xa5, 3 * RAM_PAGE_SIZE);
    ram.host[RAM - 1] = 7;
    uint8_t id[SNAP_ID_LEN] = {1, 2, 3}, other[SNAP_ID_LEN] = {1, 2, 4};
    char path[256], err[512];
    path_of(path, sizeof(path), "mem");
    UT_EQ(snap_mem_write(&ram, path, id, err, sizeof(err)), 0);
    struct stat st;
    UT_EQ(stat(path, &st), 0);
    UT_EQ((uint64_t)st.st_size, RAM + RAM_PAGE_SIZE);
    UT_CHECK((uint64_t)st.st_blocks * 512 < RAM / 4); /* zero pages are holes */
    UT_EQ(snap_mem_check(path, RAM, id, err, sizeof(err)), 0);
    UT_EQ(snap_mem_check(path, RAM, other, err, sizeof(err)), -EINVAL);
    UT_EQ(snap_mem_check(path, RAM * 2, id, err, sizeof(err)), -EINVAL);
    UT_EQ(ram_create_from_file(&back, 0x80000000, RAM, path), 0);
    UT_CHECK(!memcmp(back.host, ram.host, RAM));
    back.host[0] = 9; /* copy-on-write: the file does not change */
    ram_destroy(&back);
    UT_EQ(ram_create_from_file(&back, 0x80000000, RAM, path), 0);
    UT_EQ(back.host[0], 0);
    ram_destroy(&back);
    UT_EQ(truncate(path, RAM / 2), 0);
    UT_EQ(snap_mem_check(path, RAM, id, err, sizeof(err)), -EINVAL);
    UT_EQ(ram_create_from_file(&back, 0x80000000, RAM, path), -EINVAL);
    ram_destroy(&ram);
}

/* A Diff memory file holds the dirtied pages (a zero one too) and their
 * bitmap; a restore refuses it; merged onto its base, the base becomes
 * the Diff snapshot's RAM byte for byte, with the Diff's identity. */
static void test_diff_memory_file(void)
{
    struct guest_ram ram, back;
    UT_EQ(ram_create(&ram, 0x80000000, RAM), 0);
    memset(ram.host + 5 * RAM_PAGE_SIZE, 0xa5, 3 * RAM_PAGE_SIZE);
    uint8_t bid[SNAP_ID_LEN] = {1}, did[SNAP_ID_LEN] = {2};
    char base[256], diff[256], err[512];
    path_of(base, sizeof(base), "base");
    path_of(diff, sizeof(diff), "diff");
    UT_EQ(snap_mem_write(&ram, base, bid, err, sizeof(err)), 0);
    /* After the base: page 5 cleared, page 9 and the last page written. */
    uint64_t words = (RAM / RAM_PAGE_SIZE + 63) / 64;
    uint64_t *dirty = calloc(words * 2, 8); /* room for the RAM * 2 case below */
    memset(ram.host + 5 * RAM_PAGE_SIZE, 0, RAM_PAGE_SIZE);
    memset(ram.host + 9 * RAM_PAGE_SIZE, 0x3c, RAM_PAGE_SIZE);
    ram.host[RAM - 1] = 7;
    uint64_t last = RAM / RAM_PAGE_SIZE - 1;
    dirty[0] = 1u << 5 | 1u << 9;
    dirty[last / 64] |= 1ULL << (last % 64);
    UT_EQ(snap_mem_write_diff(&ram, diff, did, dirty, err, sizeof(err)), 0);
    struct stat st;
    UT_EQ(stat(diff, &st), 0);
    UT_EQ((uint64_t)st.st_size, RAM + RAM_PAGE_SIZE + SNAP_MEM_DIFF_MAP(RAM / RAM_PAGE_SIZE));
    UT_CHECK((uint64_t)st.st_blocks * 512 <= 8 * RAM_PAGE_SIZE); /* 3 pages, trailer, map */
    UT_EQ(snap_mem_check(diff, RAM, did, err, sizeof(err)), -EINVAL);
    UT_CHECK(strstr(err, "--snapshot-merge") != NULL);
    /* Wrong way round, or a file merged onto itself: refused, base intact. */
    UT_EQ(snap_mem_merge(diff, base, err, sizeof(err)), -EINVAL);
    UT_EQ(snap_mem_merge(base, base, err, sizeof(err)), -EINVAL);
    UT_EQ(snap_mem_check(base, RAM, bid, err, sizeof(err)), 0);
    UT_EQ(snap_mem_merge(base, diff, err, sizeof(err)), 0);
    UT_EQ(snap_mem_check(base, RAM, did, err, sizeof(err)), 0);
    UT_EQ(snap_mem_check(base, RAM, bid, err, sizeof(err)), -EINVAL);
    UT_EQ(ram_create_from_file(&back, 0x80000000, RAM, base), 0);
    UT_CHECK(!memcmp(back.host, ram.host, RAM));
    ram_destroy(&back);
    /* A diff of another RAM size. */
    struct guest_ram big;
    UT_EQ(ram_create(&big, 0x80000000, RAM * 2), 0);
    UT_EQ(snap_mem_write_diff(&big, diff, did, dirty, err, sizeof(err)), 0);
    UT_EQ(snap_mem_merge(base, diff, err, sizeof(err)), -EINVAL);
    UT_EQ(snap_mem_check(base, RAM, did, err, sizeof(err)), 0); /* untouched */
    ram_destroy(&big);
    free(dirty);
    ram_destroy(&ram);
}

static void test_config_round_trip_and_overrides(void)
{
    struct vm_config cfg = {.board = {.ram_size = 64ULL << 20,
                                      .nharts = 3,
                                      .sbi_builtin = true,
                                      .kernel = "/k",
                                      .append = "console=ttyS0",
                                      .rng = true},
                            .ndrives = 1,
                            .nnets = 1};
    cpu_model_default(&cfg.board.cpu);
    strcpy(cfg.drives[0].id, "root");
    strcpy(cfg.drives[0].path, "/img");
    cfg.drives[0].format = BLOCKDEV_QCOW2;
    strcpy(cfg.nets[0].id, "eth0");
    strcpy(cfg.nets[0].spec, "user");
    struct stream s;
    stream_init_writer(&s);
    snap_config_save(&cfg, &s);
    struct stream r;
    stream_init_reader(&r, s.buf, s.len);
    struct vm_config got;
    char *strings = NULL, err[256];
    UT_EQ(snap_config_load(&r, &got, &strings, err, sizeof(err)), 0);
    UT_EQ(got.board.ram_size, cfg.board.ram_size);
    UT_EQ(got.board.nharts, 3);
    UT_CHECK(got.board.kernel && !strcmp(got.board.kernel, "/k"));
    UT_CHECK(!got.board.initrd && !got.board.bios);
    UT_CHECK(got.board.rng && !strcmp(got.drives[0].path, "/img"));
    UT_EQ(got.drives[0].format, BLOCKDEV_QCOW2);

    struct vm_config over = {.ndrives = 1};
    strcpy(over.drives[0].id, "root");
    strcpy(over.drives[0].path, "/overlay");
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), 0);
    UT_CHECK(!strcmp(got.drives[0].path, "/overlay"));
    strcpy(over.drives[0].id, "nope");
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    /* The command line's positional ids map by position onto a snapshot
     * whose ids differ (an API-made one), and the drive keeps its id. */
    strcpy(over.drives[0].id, "drive0");
    strcpy(over.drives[0].path, "/by-position");
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), 0);
    UT_CHECK(!strcmp(got.drives[0].path, "/by-position") && !strcmp(got.drives[0].id, "root"));
    strcpy(over.drives[0].id, "drive1"); /* the first --drive is never "drive1" */
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    over.ndrives = 2; /* "root" by id, then "drive1": position 1, which it lacks */
    strcpy(over.drives[0].id, "root");
    strcpy(over.drives[1].id, "drive1");
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    strcpy(over.drives[1].id, "root"); /* the same drive twice */
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    UT_CHECK(strstr(err, "two --drive") != NULL);
    over = (struct vm_config){.nnets = 1};
    strcpy(over.nets[0].id, "net0");
    strcpy(over.nets[0].spec, "user,hostfwd=tcp::1-:2");
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), 0);
    UT_CHECK(!strcmp(got.nets[0].id, "eth0") && !strcmp(got.nets[0].spec, over.nets[0].spec));
    over = (struct vm_config){.board = {.ram_size = 128ULL << 20}};
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    over = (struct vm_config){.board = {.nharts = 2}};
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    /* The CPU model is recorded; restoring under another one is refused
     * with a line naming both, the same one is accepted. */
    UT_EQ(got.board.cpu.ext, cfg.board.cpu.ext);
    over = (struct vm_config){0};
    UT_EQ(cpu_model_parse(&over.board.cpu, "rv64,d=off", err, sizeof(err)), 0);
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), -EINVAL);
    UT_CHECK(strstr(err, "the snapshot's CPU is rv64, not rv64,d=off") != NULL);
    cpu_model_default(&over.board.cpu);
    UT_EQ(snap_config_override(&got, &over, err, sizeof(err)), 0);
    free(strings);

    for (size_t n = 0; n < s.len; n++) { /* every truncation */
        stream_init_reader(&r, s.buf, n);
        UT_CHECK(snap_config_load(&r, &got, &strings, err, sizeof(err)) != 0);
        UT_CHECK(strings == NULL);
    }
    stream_free(&s);
}

/* The VCPU section: version 2 carries what the SBI PMU extension handed
 * out (a running firmware counter, a stopped one, mcycle) and loads it
 * back exactly; a version 1 section (older snapshots) loads with nothing
 * handed out; an event code beyond the firmware events, a counter beyond
 * the set, time (1) or a running counter never handed out is refused. */
static void put_vcpu_hsm(struct stream *s)
{
    stream_put_u8(s, VCPU_STARTED);
    stream_put_u8(s, 0);
    stream_put_u64(s, 0x80200000);
    stream_put_u64(s, 7);
    stream_put_u32(s, 0);
    stream_put_u64(s, 0);
    stream_put_u64(s, 0);
}

static int load_vcpu(uint32_t version, const struct sbi_pmu_hart *p, struct snap_vcpu *out)
{
    struct stream w, r;
    stream_init_writer(&w);
    size_t mark = stream_begin_section(&w, STREAM_TAG('V', 'C', 'P', 'U'), version);
    stream_put_u32(&w, 1);
    put_vcpu_hsm(&w);
    if (p) sbi_pmu_save(p, &w);
    stream_end_section(&w, mark);
    stream_init_reader(&r, w.buf, w.len);
    int rc = snap_vcpus_load(&r, 1, out);
    stream_free(&w);
    return rc;
}

static void test_vcpu_section_pmu(void)
{
    struct sbi_pmu_hart p;
    memset(&p, 0, sizeof(p));
    p.events[SBI_PMU_FW_SET_TIMER] = 12;
    p.events[SBI_PMU_FW_IPI_SENT] = 3;
    p.hw_used = 1 | 1ULL << 5;
    p.fw_used = 3;
    p.fw_running = 1;
    p.fw[0] = (struct sbi_pmu_fw_ctr){SBI_PMU_FW_SET_TIMER, 4, 9};
    p.fw[1] = (struct sbi_pmu_fw_ctr){SBI_PMU_FW_IPI_SENT, 2, 0};
    struct snap_vcpu v;
    memset(&v, 0xa5, sizeof(v));
    UT_EQ(load_vcpu(2, &p, &v), 0);
    UT_EQ(v.start_addr, 0x80200000);
    UT_CHECK(!memcmp(&v.pmu, &p, sizeof(p)));
    /* An older snapshot: the HSM state, and no counter handed out. */
    memset(&v, 0xa5, sizeof(v));
    UT_EQ(load_vcpu(1, NULL, &v), 0);
    UT_EQ(v.start_arg, 7);
    UT_CHECK(v.pmu.hw_used == 0 && v.pmu.fw_used == 0 && v.pmu.fw_running == 0);
    UT_CHECK(v.pmu.events[SBI_PMU_FW_SET_TIMER] == 0);
    /* A version 1 section with the PMU record appended is not exact. */
    UT_EQ(load_vcpu(1, &p, &v), -EINVAL);
    UT_EQ(load_vcpu(3, &p, &v), -EINVAL);
    struct sbi_pmu_hart bad = p;
    bad.fw[1].code = SBI_PMU_FW_MAX; /* would index past events[] */
    UT_EQ(load_vcpu(2, &bad, &v), -EINVAL);
    bad = p;
    bad.hw_used |= 2; /* time is no counter */
    UT_EQ(load_vcpu(2, &bad, &v), -EINVAL);
    bad = p;
    bad.hw_used |= 1ULL << SBI_PMU_HW_COUNTERS;
    UT_EQ(load_vcpu(2, &bad, &v), -EINVAL);
    bad = p;
    bad.fw_running |= 4; /* running, never handed out */
    UT_EQ(load_vcpu(2, &bad, &v), -EINVAL);
    bad = p;
    bad.fw_used |= 1u << SBI_PMU_FW_COUNTERS;
    bad.fw[15].code = 0;
    UT_EQ(load_vcpu(2, &bad, &v), -EINVAL);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    ut_run("snapshot_board_round_trip", test_board_round_trip);
    ut_run("snapshot_board_restore_refuses_other_devices",
           test_board_restore_refuses_other_devices);
    ut_run("snapshot_board_save_refuses_unsaveable_device",
           test_board_save_refuses_unsaveable_device);
    ut_run("snapshot_state_file_envelope", test_state_file_envelope);
    ut_run("snapshot_memory_file", test_memory_file);
    ut_run("snapshot_diff_memory_file", test_diff_memory_file);
    ut_run("snapshot_config_round_trip_and_overrides", test_config_round_trip_and_overrides);
    ut_run("snapshot_vcpu_section_pmu", test_vcpu_section_pmu);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd)) return 1;
    return ut_exit();
}
