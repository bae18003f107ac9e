/* The SBI PMU extension of the built-in SBI (SBI 2.0 chapter 11), served
 * the way OpenSBI's sbi_pmu.c serves it so a guest sees the same
 * behaviour under either firmware: counter_idx 0..31 are the hart's
 * counters (the CSR number is 0xc00 + idx; 1, time, is no counter),
 * 32..47 firmware counters. A free programmable counter is stopped
 * (mcountinhibit set); config_matching hands out the first free one in
 * the caller's set that counts the event, programmable ones before
 * mcycle/minstret, as OpenSBI does so sampling events get a counter with
 * an overflow interrupt. Every guest index, mask and flag is checked. */
#include "vmm/sbi_pmu.h"

#include "common/stream.h"
#include "cpu/hart.h"
#include "vmm/vm_impl.h"

#include <errno.h>
#include <string.h>

enum {
    ERR_FAILED = -1,
    ERR_NOT_SUPPORTED = -2,
    ERR_INVALID_PARAM = -3,
    ERR_ALREADY_STARTED = -7,
    ERR_ALREADY_STOPPED = -8,
};

/* Function ids (SBI 2.0, 11.5-11.11). */
enum {
    FID_NUM_COUNTERS,
    FID_GET_INFO,
    FID_CONFIG_MATCHING,
    FID_START,
    FID_STOP,
    FID_FW_READ,
    FID_FW_READ_HI,
};

/* config_matching flags (11.7). */
#define CFG_SKIP_MATCH  (1ULL << 0)
#define CFG_CLEAR_VALUE (1ULL << 1)
#define CFG_AUTO_START  (1ULL << 2)
#define CFG_SET_VUINH   (1ULL << 3)
#define CFG_SET_VSINH   (1ULL << 4)
#define CFG_SET_UINH    (1ULL << 5)
#define CFG_SET_SINH    (1ULL << 6)
#define CFG_SET_MINH    (1ULL << 7)
#define CFG_FLAGS       0xffULL
#define START_INIT      (1ULL << 0) /* counter_start: SET_INIT_VALUE */
#define STOP_RESET      (1ULL << 0) /* counter_stop: RESET */

#define NCOUNTERS (SBI_PMU_HW_COUNTERS + SBI_PMU_FW_COUNTERS)

enum { TYPE_HW = 0, TYPE_CACHE = 1, TYPE_RAW = 2, TYPE_FW = 15 };

/* The set (counter_idx_base, counter_idx_mask) names, or false when it
 * names a counter that does not exist (11.5: SBI_ERR_INVALID_PARAM). */
static bool counter_set(uint64_t base, uint64_t mask, uint64_t *set)
{
    if (base >= NCOUNTERS) return false;
    if (mask && base + 63 - (unsigned)__builtin_clzll(mask) >= NCOUNTERS) return false;
    *set = (mask << base) & ~2ULL; /* time is not a counter: never picked */
    return true;
}

/* The mhpmevent selector for an event, or 0 when rvmm has no such event. */
static uint64_t hw_selector(uint64_t event_idx, uint64_t data)
{
    unsigned type = (event_idx >> 16) & 0xf;
    uint64_t sel = type == TYPE_RAW ? (data & ((1ULL << 48) - 1)) : event_idx;
    if (event_idx >> 20 || (type == TYPE_RAW && (event_idx & 0xffff))) return 0;
    switch (sel) {
    case PMU_SEL_CYCLES:
    case PMU_SEL_INSTRUCTIONS: return type == TYPE_CACHE ? 0 : sel;
    case PMU_SEL_DTLB_READ_MISS:
    case PMU_SEL_DTLB_WRITE_MISS:
    case PMU_SEL_ITLB_READ_MISS: return type == TYPE_HW ? 0 : sel;
    case PMU_SEL_EXCEPTIONS:
    case PMU_SEL_INTERRUPTS: return type == TYPE_RAW ? sel : 0;
    default: return 0;
    }
}

static uint64_t fw_value(const struct sbi_pmu_hart *p, unsigned i)
{
    const struct sbi_pmu_fw_ctr *c = &p->fw[i];
    uint64_t v = c->base;
    if ((p->fw_running >> i) & 1)
        v += __atomic_load_n(&p->events[c->code], __ATOMIC_RELAXED) - c->mark;
    return v;
}

static void hw_stop(struct rv_hart *h, unsigned k)
{
    pmu_write_inhibit(h, h->mcountinhibit | 1ULL << k);
}

/* Starting a programmable counter clears its OF only when no overflow
 * interrupt is pending, as OpenSBI does (pmu_ctr_enable_irq_hw): software
 * has not handled the last one yet otherwise. */
static void hw_start(struct rv_hart *h, unsigned k)
{
    if (k >= 3 && !(h->mip & MIP_LCOFIP) && (h->pmu.event[k] & MHPMEVENT_OF))
        pmu_write_event(h, k, h->pmu.event[k] & ~MHPMEVENT_OF);
    pmu_write_inhibit(h, h->mcountinhibit & ~(1ULL << k));
}

static uint64_t mode_bits(uint64_t flags)
{
    return (flags & CFG_SET_VUINH ? MHPMEVENT_VUINH : 0) |
           (flags & CFG_SET_VSINH ? MHPMEVENT_VSINH : 0) |
           (flags & CFG_SET_UINH ? MHPMEVENT_UINH : 0) |
           (flags & CFG_SET_SINH ? MHPMEVENT_SINH : 0) |
           (flags & CFG_SET_MINH ? MHPMEVENT_MINH : 0);
}

static int64_t config_matching(struct sbi_pmu_hart *p, struct rv_hart *h, const uint64_t *a,
                               uint64_t *value)
{
    uint64_t set, flags = a[2], event_idx = a[3], data = a[4];
    if (!counter_set(a[0], a[1], &set) || (flags & ~CFG_FLAGS)) return ERR_INVALID_PARAM;
    unsigned type = (event_idx >> 16) & 0xf;
    int idx = -1;
    if (flags & CFG_SKIP_MATCH) {
        /* The caller names a counter it was given before (11.7). */
        if (!set) return ERR_INVALID_PARAM;
        idx = __builtin_ctzll(set);
        bool used = idx < SBI_PMU_HW_COUNTERS ? (p->hw_used >> idx) & 1
                                              : (p->fw_used >> (idx - SBI_PMU_HW_COUNTERS)) & 1;
        if (!used) return ERR_INVALID_PARAM;
    } else if (type == TYPE_FW) {
        unsigned code = event_idx & 0xffff;
        if (event_idx >> 20 || code >= SBI_PMU_FW_MAX) return ERR_NOT_SUPPORTED;
        uint64_t free = (set >> SBI_PMU_HW_COUNTERS) & ~(uint64_t)p->fw_used;
        if (!free) return ERR_NOT_SUPPORTED;
        unsigned i = (unsigned)__builtin_ctzll(free);
        p->fw_used |= 1u << i;
        p->fw[i] = (struct sbi_pmu_fw_ctr){code, 0, 0};
        idx = (int)(SBI_PMU_HW_COUNTERS + i);
    } else {
        uint64_t sel = hw_selector(event_idx, data);
        if (!sel) return ERR_NOT_SUPPORTED;
        uint64_t hw = set & 0xffffffffULL & ~p->hw_used;
        uint64_t fixed = sel == PMU_SEL_CYCLES ? 1 : sel == PMU_SEL_INSTRUCTIONS ? 4 : 0;
        uint64_t pick = (hw & PMU_HPM_MASK) ? hw & PMU_HPM_MASK : hw & fixed;
        if (!pick) return ERR_NOT_SUPPORTED;
        unsigned k = (unsigned)__builtin_ctzll(pick);
        p->hw_used |= 1ULL << k;
        if (k >= 3) {
            hw_stop(h, k);
            pmu_write_event(h, k, sel | mode_bits(flags));
        }
        idx = (int)k;
    }
    if (idx < SBI_PMU_HW_COUNTERS) {
        if (flags & CFG_CLEAR_VALUE) pmu_write_counter(h, (unsigned)idx, 0);
        if (flags & CFG_AUTO_START) hw_start(h, (unsigned)idx);
    } else {
        unsigned i = (unsigned)idx - SBI_PMU_HW_COUNTERS;
        if (flags & CFG_CLEAR_VALUE) {
            p->fw[i].base = 0;
            p->fw[i].mark = __atomic_load_n(&p->events[p->fw[i].code], __ATOMIC_RELAXED);
        }
        if ((flags & CFG_AUTO_START) && !((p->fw_running >> i) & 1)) {
            p->fw[i].mark = __atomic_load_n(&p->events[p->fw[i].code], __ATOMIC_RELAXED);
            p->fw_running |= 1u << i;
        }
    }
    *value = (uint64_t)idx;
    return 0;
}

/* The counters of the set that were handed out (a programmable counter
 * with an event is: the hand-outs are not in snapshots, the selectors are,
 * in the hart's state). start and stop act on those and pass over the
 * others, as OpenSBI does: Linux stops "all" counters at boot and when it
 * takes an overflow. None of them at all is SBI_ERR_INVALID_PARAM. */
static uint64_t used_of(const struct sbi_pmu_hart *p, const struct rv_hart *h, uint64_t set)
{
    uint64_t used = (p->hw_used & 0xffffffffULL) | (uint64_t)p->fw_used << SBI_PMU_HW_COUNTERS;
    for (unsigned k = 3; k < PMU_COUNTERS; k++)
        if (h->pmu.event[k] & MHPMEVENT_SEL) used |= 1ULL << k;
    return set & used;
}

static int64_t start(struct sbi_pmu_hart *p, struct rv_hart *h, const uint64_t *a)
{
    uint64_t set;
    if (!counter_set(a[0], a[1], &set) || (a[2] & ~START_INIT)) return ERR_INVALID_PARAM;
    set = used_of(p, h, set);
    if (!set) return ERR_INVALID_PARAM;
    int64_t err = 0;
    for (uint64_t m = set; m; m &= m - 1) {
        unsigned idx = (unsigned)__builtin_ctzll(m);
        if (idx < SBI_PMU_HW_COUNTERS) {
            if (!((h->mcountinhibit >> idx) & 1)) {
                err = ERR_ALREADY_STARTED;
                continue;
            }
            if (a[2] & START_INIT) pmu_write_counter(h, idx, a[3]);
            hw_start(h, idx);
        } else {
            unsigned i = idx - SBI_PMU_HW_COUNTERS;
            if ((p->fw_running >> i) & 1) {
                err = ERR_ALREADY_STARTED;
                continue;
            }
            if (a[2] & START_INIT) p->fw[i].base = a[3];
            p->fw[i].mark = __atomic_load_n(&p->events[p->fw[i].code], __ATOMIC_RELAXED);
            p->fw_running |= 1u << i;
        }
    }
    return err;
}

static int64_t stop(struct sbi_pmu_hart *p, struct rv_hart *h, const uint64_t *a)
{
    uint64_t set;
    if (!counter_set(a[0], a[1], &set) || (a[2] & ~STOP_RESET)) return ERR_INVALID_PARAM;
    set = used_of(p, h, set);
    if (!set) return ERR_INVALID_PARAM;
    int64_t err = 0;
    for (uint64_t m = set; m; m &= m - 1) {
        unsigned idx = (unsigned)__builtin_ctzll(m);
        if (idx < SBI_PMU_HW_COUNTERS) {
            if ((h->mcountinhibit >> idx) & 1)
                err = ERR_ALREADY_STOPPED;
            else
                hw_stop(h, idx);
            if (a[2] & STOP_RESET) {
                p->hw_used &= ~(1ULL << idx);
                if (idx >= 3) pmu_write_event(h, idx, 0);
            }
        } else {
            unsigned i = idx - SBI_PMU_HW_COUNTERS;
            if ((p->fw_running >> i) & 1) {
                p->fw[i].base = fw_value(p, i);
                p->fw_running &= ~(1u << i);
            } else {
                err = ERR_ALREADY_STOPPED;
            }
            if (a[2] & STOP_RESET) p->fw_used &= ~(1u << i);
        }
    }
    return err;
}

int64_t sbi_pmu_call(struct vcpu *v, struct rv_hart *h, unsigned fid, const uint64_t *a,
                     uint64_t *value)
{
    struct sbi_pmu_hart *p = &v->pmu;
    *value = 0;
    switch (fid) {
    case FID_NUM_COUNTERS: *value = NCOUNTERS; return 0;
    case FID_GET_INFO:
        /* csr [11:0], width - 1 [17:12], type [XLEN-1] (11.6). */
        if (a[0] >= NCOUNTERS || a[0] == 1) return ERR_INVALID_PARAM;
        *value =
            a[0] < SBI_PMU_HW_COUNTERS ? (0xc00 + a[0]) | 63ULL << 12 : 1ULL << 63 | 63ULL << 12;
        return 0;
    case FID_CONFIG_MATCHING: return config_matching(p, h, a, value);
    case FID_START: return start(p, h, a);
    case FID_STOP: return stop(p, h, a);
    case FID_FW_READ:
    case FID_FW_READ_HI: {
        if (a[0] < SBI_PMU_HW_COUNTERS || a[0] >= NCOUNTERS) return ERR_INVALID_PARAM;
        unsigned i = (unsigned)a[0] - SBI_PMU_HW_COUNTERS;
        if (!((p->fw_used >> i) & 1)) return ERR_INVALID_PARAM;
        *value = fid == FID_FW_READ ? fw_value(p, i) : 0; /* RV64: the high half is 0 */
        return 0;
    }
    default: return ERR_NOT_SUPPORTED;
    }
}

void sbi_pmu_fw_event(struct vcpu *v, unsigned code)
{
    if (code < SBI_PMU_FW_MAX) __atomic_fetch_add(&v->pmu.events[code], 1, __ATOMIC_RELAXED);
}

/* Layout: events[SBI_PMU_FW_MAX], hw_used, fw_used, fw_running, then
 * {code, base, mark} per firmware counter. The counts are saved raw with
 * the marks, so a running firmware counter goes on counting from its
 * value at the pause. */
void sbi_pmu_save(const struct sbi_pmu_hart *p, struct stream *s)
{
    for (unsigned c = 0; c < SBI_PMU_FW_MAX; c++)
        stream_put_u64(s, __atomic_load_n(&p->events[c], __ATOMIC_RELAXED));
    stream_put_u64(s, p->hw_used);
    stream_put_u32(s, p->fw_used);
    stream_put_u32(s, p->fw_running);
    for (unsigned i = 0; i < SBI_PMU_FW_COUNTERS; i++) {
        stream_put_u32(s, p->fw[i].code);
        stream_put_u64(s, p->fw[i].base);
        stream_put_u64(s, p->fw[i].mark);
    }
}

void sbi_pmu_load(struct sbi_pmu_hart *p, struct stream *s)
{
    struct sbi_pmu_hart t;
    memset(&t, 0, sizeof(t));
    for (unsigned c = 0; c < SBI_PMU_FW_MAX; c++)
        t.events[c] = stream_get_u64(s);
    t.hw_used = stream_get_u64(s);
    t.fw_used = stream_get_u32(s);
    t.fw_running = stream_get_u32(s);
    bool ok = !(t.hw_used >> SBI_PMU_HW_COUNTERS) && !(t.hw_used & 2) && /* 1 is time */
              !(t.fw_used >> SBI_PMU_FW_COUNTERS) && !(t.fw_running & ~t.fw_used);
    for (unsigned i = 0; i < SBI_PMU_FW_COUNTERS; i++) {
        t.fw[i].code = stream_get_u32(s);
        t.fw[i].base = stream_get_u64(s);
        t.fw[i].mark = stream_get_u64(s);
        if (((t.fw_used >> i) & 1) && t.fw[i].code >= SBI_PMU_FW_MAX) ok = false;
        if (!((t.fw_used >> i) & 1)) t.fw[i].code = 0; /* never an index out of range */
    }
    if (s->err) return;
    if (!ok) {
        s->err = -EINVAL;
        return;
    }
    *p = t;
}
