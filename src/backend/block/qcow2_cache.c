/* The qcow2 metadata cache: a few cluster-sized tables kept in memory so
 * sequential I/O reads an L2 table or refcount block once, not per request.
 * It is write-through (see qcow2.h), so it never writes anything itself. */
#include "backend/block/qcow2.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int qcow2_cache_init(struct qcow2_cache *c, unsigned n, uint64_t cluster_size)
{
    c->e = calloc(n, sizeof(*c->e));
    if (!c->e) return -ENOMEM;
    c->n = n;
    c->tick = 0;
    for (unsigned i = 0; i < n; i++) {
        c->e[i].data = malloc(cluster_size);
        if (!c->e[i].data) return -ENOMEM; /* qcow2_cache_free copes */
    }
    return 0;
}

void qcow2_cache_free(struct qcow2_cache *c)
{
    for (unsigned i = 0; c->e && i < c->n; i++)
        free(c->e[i].data);
    free(c->e);
    c->e = NULL;
}

/* The entry holding off, or the least recently used one (emptied). */
static struct qcow2_cache_entry *slot(struct qcow2_cache *c, uint64_t off, bool *hit)
{
    struct qcow2_cache_entry *victim = &c->e[0];
    for (unsigned i = 0; i < c->n; i++) {
        struct qcow2_cache_entry *e = &c->e[i];
        if (e->off == off) {
            *hit = true;
            e->used = ++c->tick;
            return e;
        }
        if (e->used < victim->used) victim = e;
    }
    *hit = false;
    victim->off = 0;
    victim->used = ++c->tick;
    return victim;
}

int qcow2_cache_get(struct qcow2 *q, struct qcow2_cache *c, uint64_t off, uint8_t **out)
{
    bool hit;
    struct qcow2_cache_entry *e = slot(c, off, &hit);
    if (!hit) {
        int rc = qcow2_pread(q, off, e->data, q->cluster_size);
        if (rc) return rc;
        e->off = off;
    }
    *out = e->data;
    return 0;
}

uint8_t *qcow2_cache_new(struct qcow2 *q, struct qcow2_cache *c, uint64_t off)
{
    bool hit;
    struct qcow2_cache_entry *e = slot(c, off, &hit);
    memset(e->data, 0, q->cluster_size);
    e->off = off;
    return e->data;
}

void qcow2_cache_drop(struct qcow2_cache *c, uint64_t off)
{
    for (unsigned i = 0; i < c->n; i++)
        if (c->e[i].off == off) c->e[i].off = 0;
}
