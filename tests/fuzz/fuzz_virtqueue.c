/* libFuzzer target for the split virtqueue walker (src/machine/virtio/
 * virtqueue.c): the first 32 input bytes choose the ring parameters
 * (size, addresses, features), the rest is guest RAM. The walker pops and
 * pushes until the ring is empty or refused; it must never touch memory
 * outside RAM (ASan), loop forever or return inconsistent chains. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machine/virtio/virtqueue.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (64ULL << 10)

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vq_chain chain;
    struct guest_ram ram;
    struct vq q;
    if (size < 32) return 0;
    if (ram_create(&ram, RAM_BASE, RAM_SIZE)) abort();
    memcpy(ram.host, data + 32, size - 32 < RAM_SIZE ? size - 32 : RAM_SIZE);

    vq_reset(&q);
    q.num = (uint16_t)(data[0] | (data[1] << 8));
    q.indirect = data[2] & 1;
    q.event_idx = data[2] & 2;
    bool unchecked = data[2] & 4;
    /* addresses mostly near RAM so the walker gets somewhere */
    q.desc = RAM_BASE + (get64(data + 8) % (RAM_SIZE + 64)) - 32;
    q.avail = RAM_BASE + (get64(data + 16) % (RAM_SIZE + 64)) - 32;
    q.used = RAM_BASE + (get64(data + 24) % (RAM_SIZE + 64)) - 32;
    if (data[3] & 1) q.desc = get64(data + 8);
    q.last_avail = data[4];

    if (vq_check(&q, &ram) == 0 || unchecked) {
        for (int n = 0; n < 2 * VQ_MAX_SIZE; n++) {
            int r = vq_pop(&q, &ram, &chain);
            if (r <= 0) break;
            if (chain.head >= q.num || chain.nout + chain.nin > VQ_MAX_IOV) abort();
            uint64_t total = 0;
            for (unsigned k = 0; k < chain.nout + chain.nin; k++) {
                const struct vq_iov *v = &chain.iov[k];
                if ((uint8_t *)v->base < ram.host ||
                    (uint8_t *)v->base + v->len > ram.host + RAM_SIZE)
                    abort();
                total += v->len;
            }
            if (total != chain.out_len + chain.in_len || total > VQ_MAX_TOTAL) abort();
            uint8_t fill[64];
            memset(fill, 0x5a, sizeof(fill));
            uint32_t w = vq_chain_write(&ram, &chain, fill, sizeof(fill));
            if (vq_push(&q, &ram, chain.head, w)) break;
            (void)vq_should_notify(&q, &ram);
        }
    }
    ram_destroy(&ram);
    return 0;
}
