/* Snapshot persistence of the virt board: the harts and every device, in
 * one section, in a fixed order (harts, PLIC, CLINT, UART, RTC, then the
 * virtio slots in slot order, each tagged with its device id). Guest RAM is
 * not here: the VMM writes it to its own file. Knows nothing of threads:
 * the caller keeps the harts still. */
#include "machine/board.h"

#include "machine/clint.h"
#include "machine/plic.h"
#include "machine/rtc.h"
#include "machine/uart.h"
#include "machine/virtio/virtio_mmio.h"

#include <errno.h>

#define BOARD_SAVE_TAG     STREAM_TAG('B', 'O', 'R', 'D')
#define BOARD_SAVE_VERSION 1

int board_save(const struct board *b, struct stream *s)
{
    for (unsigned k = 0; k < b->nvirtio; k++)
        if (!b->virtio[k].ops->save) return -ENOTSUP;
    size_t mark = stream_begin_section(s, BOARD_SAVE_TAG, BOARD_SAVE_VERSION);
    stream_put_u32(s, b->nharts);
    stream_put_u32(s, b->nvirtio);
    for (unsigned h = 0; h < b->nharts; h++)
        hart_save(&b->harts[h], s);
    plic_save(b->plic, s);
    clint_save(b->clint, s);
    uart_save(b->uart, s);
    rtc_save(b->rtc, s);
    for (unsigned k = 0; k < b->nvirtio; k++) {
        const struct board_virtio *v = &b->virtio[k];
        stream_put_u32(s, v->ops->device_id);
        virtio_mmio_save(v->mmio, s);
        v->ops->save(v->dev, s);
    }
    stream_end_section(s, mark);
    return s->err;
}

int board_restore(struct board *b, struct stream *s)
{
    size_t end;
    int rc = stream_open_section(s, BOARD_SAVE_TAG, BOARD_SAVE_VERSION, NULL, &end);
    if (rc) return rc;
    uint32_t nharts = stream_get_u32(s), nvirtio = stream_get_u32(s);
    if (s->err) return s->err;
    if (nharts != b->nharts || nvirtio != b->nvirtio) return -EINVAL;
    for (unsigned h = 0; h < b->nharts; h++)
        if ((rc = hart_restore(&b->harts[h], s))) return rc;
    if ((rc = plic_restore(b->plic, s)) || (rc = clint_restore(b->clint, s)) ||
        (rc = uart_restore(b->uart, s)) || (rc = rtc_restore(b->rtc, s)))
        return rc;
    for (unsigned k = 0; k < b->nvirtio; k++) {
        const struct board_virtio *v = &b->virtio[k];
        uint32_t id = stream_get_u32(s);
        if (s->err) return s->err;
        if (id != v->ops->device_id || !v->ops->restore) return -EINVAL;
        if ((rc = virtio_mmio_restore(v->mmio, s)) || (rc = v->ops->restore(v->dev, s))) return rc;
    }
    return stream_close_section(s, end);
}
