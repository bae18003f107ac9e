/* The SBI PMU extension (EID 0x504D55, SBI 2.0 chapter 11) of the
 * built-in SBI: the supervisor's way to find, configure, start and stop
 * the hart's counters (cpu/pmu.h), and the firmware counters of what the
 * SBI itself does (set_timer, IPIs, remote fences). The per-hart state
 * lives in struct vcpu; the hardware counters' own state is the hart's. */
#ifndef RVMM_VMM_SBI_PMU_H
#define RVMM_VMM_SBI_PMU_H

#include <stdint.h>

/* Firmware events (SBI 2.0, 11.4: type 15). */
enum {
    SBI_PMU_FW_SET_TIMER = 5,
    SBI_PMU_FW_IPI_SENT = 6,
    SBI_PMU_FW_IPI_RECEIVED = 7,
    /* The fences: each code SENT, the next one RECEIVED. */
    SBI_PMU_FW_FENCE_I_SENT = 8,
    SBI_PMU_FW_SFENCE_VMA_SENT = 10,
    SBI_PMU_FW_SFENCE_VMA_ASID_SENT = 12,
    SBI_PMU_FW_HFENCE_GVMA_SENT = 14,
    SBI_PMU_FW_HFENCE_GVMA_VMID_SENT = 16,
    SBI_PMU_FW_HFENCE_VVMA_SENT = 18,
    SBI_PMU_FW_HFENCE_VVMA_ASID_SENT = 20,
    SBI_PMU_FW_MAX = 22 /* codes 0..21 */
};

#define SBI_PMU_HW_COUNTERS 32 /* counter_idx 0..31: mcycle, (time: none), minstret, hpm3..31 */
#define SBI_PMU_FW_COUNTERS 16 /* counter_idx 32..47 */

struct sbi_pmu_fw_ctr {
    uint32_t code; /* firmware event code */
    uint64_t base; /* value at the last stop, or the initial value */
    uint64_t mark; /* the event count when started */
};

/* One hart's SBI PMU state. events[] is added to from other vCPU threads
 * (a received IPI or fence), atomically; the rest is the hart's own. */
struct sbi_pmu_hart {
    uint64_t events[SBI_PMU_FW_MAX];
    uint64_t hw_used; /* counters handed out by config_matching */
    uint32_t fw_used, fw_running;
    struct sbi_pmu_fw_ctr fw[SBI_PMU_FW_COUNTERS];
};

struct vm;
struct vcpu;
struct rv_hart;

/* Serves one PMU call; returns the SBI error and sets *value. */
int64_t sbi_pmu_call(struct vcpu *v, struct rv_hart *h, unsigned fid, const uint64_t *a,
                     uint64_t *value);
/* Counts a firmware event on a hart (any thread). */
void sbi_pmu_fw_event(struct vcpu *v, unsigned code);

struct stream;
/* What the guest was handed (counters configured, firmware counters
 * started or stopped, and the firmware event counts they read) for
 * snapshots and migration, saved from a paused hart. load fills *p only
 * from a record whose every index checks (a firmware counter's event code
 * indexes events[]), else it leaves s->err set. */
void sbi_pmu_save(const struct sbi_pmu_hart *p, struct stream *s);
void sbi_pmu_load(struct sbi_pmu_hart *p, struct stream *s);

#endif
