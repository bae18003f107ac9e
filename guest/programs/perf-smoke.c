/* perf-smoke: the guest's perf events on rvmm's counters (the SBI PMU
 * extension and Sscofpmf), without a perf binary. Counts cycles and
 * instructions (user only where the PMU can filter) around a loop of known length through
 * perf_event_open and read(): both must be non-zero and instructions at
 * least the loop's. Then samples instructions every SAMPLE_PERIOD: the
 * kernel gets the counter's overflow interrupt (LCOFI), so the mmap'd ring
 * must hold PERF_RECORD_SAMPLE records; without overflow interrupts the
 * kernel refuses a sampling event. Prints one line, "perf-smoke: PASS
 * ..." or "perf-smoke: FAIL ...", and exits non-zero on any failure. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOOP_ITERS    2000000UL /* two instructions each: addi, bnez */
#define SAMPLE_PERIOD 100000UL
#define RING_PAGES    8

static int fail(const char *what)
{
    printf("perf-smoke: FAIL %s: %s\n", what, strerror(errno));
    return 1;
}

static int open_event(uint32_t type, uint64_t config, uint64_t period)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof(a));
    a.size = sizeof(a);
    a.type = type;
    a.config = config;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    if (period) {
        a.sample_period = period;
        a.sample_type = PERF_SAMPLE_IP;
        a.wakeup_events = 1;
    }
    int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
    if (fd < 0 && errno == EINVAL && !period) {
        /* A PMU without mode filtering (no Sscofpmf) refuses the exclusion:
         * count everything, which still counts the loop. */
        a.exclude_kernel = a.exclude_hv = 0;
        fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
    }
    return fd;
}

/* The loop whose instructions are counted: 2 * n of them, all in U-mode. */
static void loop(unsigned long n)
{
    __asm__ volatile("1: addi %0, %0, -1\n"
                     "   bnez %0, 1b\n"
                     : "+r"(n));
}

static int read_count(int fd, uint64_t *v)
{
    return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v) ? 0 : -1;
}

int main(void)
{
    int cyc = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0);
    if (cyc < 0) return fail("open cycles");
    int ins = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0);
    if (ins < 0) return fail("open instructions");
    ioctl(cyc, PERF_EVENT_IOC_RESET, 0);
    ioctl(ins, PERF_EVENT_IOC_RESET, 0);
    ioctl(cyc, PERF_EVENT_IOC_ENABLE, 0);
    ioctl(ins, PERF_EVENT_IOC_ENABLE, 0);
    loop(LOOP_ITERS);
    ioctl(ins, PERF_EVENT_IOC_DISABLE, 0);
    ioctl(cyc, PERF_EVENT_IOC_DISABLE, 0);
    uint64_t ncyc = 0, nins = 0;
    if (read_count(cyc, &ncyc) || read_count(ins, &nins)) return fail("read counts");
    if (ncyc == 0 || nins < 2 * LOOP_ITERS) {
        printf("perf-smoke: FAIL counts cycles=%llu instructions=%llu (want > 0, >= %lu)\n",
               (unsigned long long)ncyc, (unsigned long long)nins, 2 * LOOP_ITERS);
        return 1;
    }

    int smp = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, SAMPLE_PERIOD);
    if (smp < 0) return fail("open sampling instructions");
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size_t)page * (1 + RING_PAGES);
    void *ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, smp, 0);
    if (ring == MAP_FAILED) return fail("mmap ring");
    ioctl(smp, PERF_EVENT_IOC_ENABLE, 0);
    loop(LOOP_ITERS);
    ioctl(smp, PERF_EVENT_IOC_DISABLE, 0);
    struct perf_event_mmap_page *meta = ring;
    uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
    const unsigned char *data = (const unsigned char *)ring + page;
    uint64_t samples = 0, size = (uint64_t)page * RING_PAGES;
    for (uint64_t off = meta->data_tail; off < head;) {
        struct perf_event_header hdr;
        for (size_t k = 0; k < sizeof(hdr); k++) /* may wrap around the ring */
            ((unsigned char *)&hdr)[k] = data[(off + k) % size];
        if (hdr.size == 0) break;
        if (hdr.type == PERF_RECORD_SAMPLE) samples++;
        off += hdr.size;
    }
    if (samples == 0) {
        printf("perf-smoke: FAIL no samples (data_head %llu)\n", (unsigned long long)head);
        return 1;
    }
    printf("perf-smoke: PASS cycles=%llu instructions=%llu samples=%llu\n",
           (unsigned long long)ncyc, (unsigned long long)nins, (unsigned long long)samples);
    return 0;
}
