/* Goldfish RTC register model: guest wall-clock offset, the TIME_HIGH latch,
 * the alarm and its interrupt. Must not sleep or own a timer thread. Register
 * semantics follow QEMU's hw/rtc/goldfish_rtc.c, the reference that Linux's
 * rtc-goldfish driver runs against on virt (there is no written spec). */
#include "machine/rtc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum {
    RTC_TIME_LOW = 0x00, /* reading latches TIME_HIGH */
    RTC_TIME_HIGH = 0x04,
    RTC_ALARM_LOW = 0x08, /* writing arms the alarm */
    RTC_ALARM_HIGH = 0x0c,
    RTC_IRQ_ENABLED = 0x10,
    RTC_CLEAR_ALARM = 0x14,
    RTC_ALARM_STATUS = 0x18,
    RTC_CLEAR_INTERRUPT = 0x1c,
};

#define RTC_SAVE_TAG     STREAM_TAG('G', 'R', 'T', 'C')
#define RTC_SAVE_VERSION 1

struct rtc {
    pthread_mutex_t lock;
    struct irq_line irq;
    int64_t offset;      /* guest ns - host CLOCK_REALTIME ns */
    uint32_t time_high;  /* latched by a TIME_LOW read */
    uint64_t alarm_next; /* guest ns */
    bool alarm_running;
    bool irq_enabled;
    bool irq_pending;
    bool irq_level;
    void (*notify)(void *opaque); /* the alarm's deadline may have moved */
    void *notify_opaque;
};

static pthread_mutex_t *rtc_lock_of(const struct rtc *r)
{
    return (pthread_mutex_t *)&r->lock;
}

static uint64_t rtc_host_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t rtc_now(const struct rtc *r)
{
    return rtc_host_ns(CLOCK_REALTIME) + (uint64_t)r->offset;
}

static void rtc_set_now(struct rtc *r, uint64_t ns)
{
    r->offset = (int64_t)(ns - rtc_host_ns(CLOCK_REALTIME));
}

static void rtc_update_irq(struct rtc *r, bool force)
{
    bool level = r->irq_pending && r->irq_enabled;
    if (level != r->irq_level || force) {
        r->irq_level = level;
        irq_set(&r->irq, level);
    }
}

/* The alarm fires once: it stops running and latches the interrupt, which
 * stays pending until CLEAR_INTERRUPT, whether or not it is enabled. */
static void rtc_check_alarm(struct rtc *r)
{
    if (r->alarm_running && rtc_now(r) >= r->alarm_next) {
        r->alarm_running = false;
        r->irq_pending = true;
        rtc_update_irq(r, false);
    }
}

int rtc_create(struct rtc **out, const struct irq_line *irq)
{
    *out = NULL;
    if (!irq) return -EINVAL;
    struct rtc *r = calloc(1, sizeof(*r));
    if (!r) return -ENOMEM;
    int err = pthread_mutex_init(&r->lock, NULL);
    if (err) {
        free(r);
        return -err;
    }
    r->irq = *irq;
    *out = r;
    return 0;
}

void rtc_destroy(struct rtc *r)
{
    if (!r) return;
    pthread_mutex_destroy(&r->lock);
    free(r);
}

void rtc_update(struct rtc *r)
{
    pthread_mutex_lock(&r->lock);
    rtc_check_alarm(r);
    pthread_mutex_unlock(&r->lock);
}

uint64_t rtc_next_deadline_ns(const struct rtc *r)
{
    uint64_t when = UINT64_MAX;

    pthread_mutex_lock(rtc_lock_of(r));
    if (r->alarm_running) {
        uint64_t mono = rtc_host_ns(CLOCK_MONOTONIC);
        uint64_t now = rtc_now(r);
        uint64_t left = r->alarm_next > now ? r->alarm_next - now : 0;
        when = left > UINT64_MAX - mono ? UINT64_MAX - 1 : mono + left;
    }
    pthread_mutex_unlock(rtc_lock_of(r));
    return when;
}

static uint32_t rtc_read_reg(struct rtc *r, uint64_t off)
{
    uint64_t now;

    switch (off) {
    case RTC_TIME_LOW:
        /* Latch the high half so a LOW-then-HIGH read pair is consistent. */
        now = rtc_now(r);
        r->time_high = (uint32_t)(now >> 32);
        return (uint32_t)now;
    case RTC_TIME_HIGH: return r->time_high;
    case RTC_ALARM_LOW: return (uint32_t)r->alarm_next;
    case RTC_ALARM_HIGH: return (uint32_t)(r->alarm_next >> 32);
    case RTC_IRQ_ENABLED: return r->irq_enabled;
    case RTC_ALARM_STATUS: return r->alarm_running;
    default: return 0;
    }
}

static void rtc_write_reg(struct rtc *r, uint64_t off, uint32_t val)
{
    uint64_t now;

    switch (off) {
    case RTC_TIME_LOW:
        now = rtc_now(r);
        rtc_set_now(r, (now & ~0xffffffffULL) | val);
        break;
    case RTC_TIME_HIGH:
        now = rtc_now(r);
        rtc_set_now(r, (now & 0xffffffffULL) | ((uint64_t)val << 32));
        break;
    case RTC_ALARM_LOW:
        /* Linux writes ALARM_HIGH then ALARM_LOW; the low write arms. An
         * alarm already due fires at once (rtc_check_alarm below). */
        r->alarm_next = (r->alarm_next & ~0xffffffffULL) | val;
        r->alarm_running = true;
        break;
    case RTC_ALARM_HIGH:
        r->alarm_next = (r->alarm_next & 0xffffffffULL) | ((uint64_t)val << 32);
        break;
    case RTC_IRQ_ENABLED:
        r->irq_enabled = val & 1;
        rtc_update_irq(r, false);
        break;
    case RTC_CLEAR_ALARM: r->alarm_running = false; break;
    case RTC_CLEAR_INTERRUPT:
        r->irq_pending = false;
        rtc_update_irq(r, false);
        break;
    default: break;
    }
}

static int rtc_mmio_read(void *opaque, uint64_t off, unsigned size, uint64_t *val)
{
    struct rtc *r = opaque;
    if (size != 4 || (off & 3)) return -EINVAL;
    pthread_mutex_lock(&r->lock);
    rtc_check_alarm(r);
    *val = rtc_read_reg(r, off);
    pthread_mutex_unlock(&r->lock);
    return 0;
}

static int rtc_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct rtc *r = opaque;
    if (size != 4 || (off & 3)) return -EINVAL;
    pthread_mutex_lock(&r->lock);
    rtc_write_reg(r, off, (uint32_t)val);
    rtc_check_alarm(r);
    void (*notify)(void *) = r->notify;
    void *opaque_n = r->notify_opaque;
    pthread_mutex_unlock(&r->lock);
    if (notify) notify(opaque_n);
    return 0;
}

void rtc_set_notify(struct rtc *r, void (*fn)(void *opaque), void *opaque)
{
    pthread_mutex_lock(&r->lock);
    r->notify = fn;
    r->notify_opaque = opaque;
    pthread_mutex_unlock(&r->lock);
}

const struct bus_dev_ops rtc_ops = {.read = rtc_mmio_read, .write = rtc_mmio_write};

int rtc_save(const struct rtc *r, struct stream *s)
{
    pthread_mutex_lock(rtc_lock_of(r));
    size_t mark = stream_begin_section(s, RTC_SAVE_TAG, RTC_SAVE_VERSION);
    stream_put_u64(s, (uint64_t)r->offset);
    stream_put_u32(s, r->time_high);
    stream_put_u64(s, r->alarm_next);
    stream_put_u8(s, r->alarm_running);
    stream_put_u8(s, r->irq_enabled);
    stream_put_u8(s, r->irq_pending);
    stream_end_section(s, mark);
    pthread_mutex_unlock(rtc_lock_of(r));
    return s->err;
}

int rtc_restore(struct rtc *r, struct stream *s)
{
    size_t end;
    int err = stream_open_section(s, RTC_SAVE_TAG, RTC_SAVE_VERSION, NULL, &end);
    if (err) return err;
    int64_t offset = (int64_t)stream_get_u64(s);
    uint32_t time_high = stream_get_u32(s);
    uint64_t alarm_next = stream_get_u64(s);
    uint8_t flags[3];
    stream_get(s, flags, sizeof(flags));
    for (unsigned i = 0; i < 3 && !s->err; i++)
        if (flags[i] > 1) s->err = -EINVAL;
    err = stream_close_section(s, end);
    if (err) return err;
    pthread_mutex_lock(&r->lock);
    r->offset = offset;
    r->time_high = time_high;
    r->alarm_next = alarm_next;
    r->alarm_running = flags[0];
    r->irq_enabled = flags[1];
    r->irq_pending = flags[2];
    rtc_update_irq(r, true);
    pthread_mutex_unlock(&r->lock);
    return 0;
}
