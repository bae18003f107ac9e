/* The VM configuration inside a snapshot (section "CONF"): what the board
 * is built from on restore (RAM, harts, firmware mode, devices) and the
 * host resources it used (images, drives, nets), plus the rules for what a
 * restore may override. Every field read is checked: the file is input. */
#include "vmm/snapshot.h"

#include "cpu/hart.h"

#include "backend/block/blockdev.h"
#include "common/errmsg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONF_TAG STREAM_TAG('C', 'O', 'N', 'F')
/* Version 2 adds the CPU model, as the list of its extensions' names (bit
 * positions would change as extensions are added); version 3 the balloon;
 * version 4 each drive's backing_dir; version 5 the vsock device. Older
 * versions still load. */
#define CONF_VERSION 5
/* The only model rvmm had before the CPU model was recorded. */
#define CONF_V1_CPU "i,m,a,f,d,c,s,u,zicsr,zifencei,zicntr,sstc"
#define STR_MAX     4096
#define RAM_MIN     (16ULL << 20)
#define RAM_MAX     (256ULL << 30)

static void put_str(struct stream *s, const char *str)
{
    size_t n = str ? strlen(str) : 0;
    stream_put_u32(s, (uint32_t)n);
    stream_put(s, str ? str : "", n);
}

void snap_config_save(const struct vm_config *cfg, struct stream *s)
{
    const struct board_config *b = &cfg->board;
    size_t mark = stream_begin_section(s, CONF_TAG, CONF_VERSION);
    stream_put_u64(s, b->ram_size);
    stream_put_u32(s, b->nharts);
    stream_put_u8(s, b->sbi_builtin);
    put_str(s, b->bios);
    put_str(s, b->kernel);
    put_str(s, b->initrd);
    put_str(s, b->append);
    stream_put_u8(s, b->rng);
    stream_put_u32(s, (uint32_t)cfg->console);
    stream_put_u32(s, cfg->ndrives);
    for (unsigned k = 0; k < cfg->ndrives; k++) {
        const struct vm_drive *d = &cfg->drives[k];
        put_str(s, d->id);
        put_str(s, d->path);
        stream_put_u32(s, (uint32_t)d->format);
        stream_put_u8(s, d->readonly);
        put_str(s, d->backing_dir);
    }
    stream_put_u32(s, cfg->nnets);
    for (unsigned k = 0; k < cfg->nnets; k++) {
        const struct vm_net *n = &cfg->nets[k];
        put_str(s, n->id);
        put_str(s, n->spec);
        stream_put_u8(s, n->has_mac);
        stream_put(s, n->mac, sizeof(n->mac));
    }
    char cpu[1024];
    struct cpu_model m = b->cpu;
    if (!m.ext) cpu_model_default(&m);
    if (cpu_model_list(&m, cpu, sizeof(cpu)) >= (int)sizeof(cpu) && !s->err) s->err = -ENOSPC;
    put_str(s, cpu);
    stream_put_u8(s, b->balloon);
    stream_put_u32(s, b->balloon_cfg.target_pages);
    stream_put_u8(s, b->balloon_cfg.deflate_on_oom);
    stream_put_u8(s, b->balloon_cfg.free_page_reporting);
    stream_put_u32(s, b->balloon_cfg.stats_interval_s);
    stream_put_u8(s, cfg->vsock.on);
    stream_put_u32(s, cfg->vsock.cid);
    put_str(s, cfg->vsock.uds_path);
    for (unsigned k = 0; k < cfg->nnets; k++)
        stream_put_u32(s, cfg->nets[k].mtu);
    stream_end_section(s, mark);
}

/* Reads a string of at most max-1 bytes, without NULs, into dst[max]. */
static int get_str(struct stream *s, char *dst, size_t max)
{
    uint32_t n = stream_get_u32(s);
    if (s->err) return s->err;
    if (n >= max) return s->err = -EINVAL;
    stream_get(s, dst, n);
    dst[n] = 0;
    if (!s->err && strlen(dst) != n) s->err = -EINVAL;
    return s->err;
}

/* A path for board_config: NULL when empty, else a copy in the arena. */
static const char *arena_str(struct stream *s, char **next)
{
    char *dst = *next;
    if (get_str(s, dst, STR_MAX)) return NULL;
    if (!*dst) return NULL;
    *next += strlen(dst) + 1;
    return dst;
}

static bool get_bool(struct stream *s)
{
    uint8_t v = stream_get_u8(s);
    if (v > 1 && !s->err) s->err = -EINVAL;
    return v;
}

int snap_config_load(struct stream *s, struct vm_config *cfg, char **strings, char *err,
                     size_t errlen)
{
    memset(cfg, 0, sizeof(*cfg));
    *strings = NULL;
    size_t end;
    uint32_t version;
    char cpu[1024] = CONF_V1_CPU;
    int rc = stream_open_section(s, CONF_TAG, CONF_VERSION, &version, &end);
    if (rc) return errmsg_set(err, errlen, rc, "no configuration section");
    char *arena = malloc(4 * STR_MAX);
    if (!arena) return errmsg_set(err, errlen, -ENOMEM, "out of memory");
    char *next = arena;
    struct board_config *b = &cfg->board;
    b->ram_size = stream_get_u64(s);
    b->nharts = stream_get_u32(s);
    b->sbi_builtin = get_bool(s);
    b->bios = arena_str(s, &next);
    b->kernel = arena_str(s, &next);
    b->initrd = arena_str(s, &next);
    b->append = arena_str(s, &next);
    b->rng = get_bool(s);
    cfg->console = (int)stream_get_u32(s);
    cfg->ndrives = stream_get_u32(s);
    if (!s->err && cfg->ndrives > VM_MAX_DRIVES) s->err = -EINVAL;
    for (unsigned k = 0; k < cfg->ndrives && !s->err; k++) {
        struct vm_drive *d = &cfg->drives[k];
        get_str(s, d->id, sizeof(d->id));
        get_str(s, d->path, sizeof(d->path));
        d->format = (int)stream_get_u32(s);
        d->readonly = get_bool(s);
        if (version >= 4) get_str(s, d->backing_dir, sizeof(d->backing_dir));
    }
    cfg->nnets = stream_get_u32(s);
    if (!s->err && cfg->nnets > VM_MAX_NETS) s->err = -EINVAL;
    for (unsigned k = 0; k < cfg->nnets && !s->err; k++) {
        struct vm_net *n = &cfg->nets[k];
        get_str(s, n->id, sizeof(n->id));
        get_str(s, n->spec, sizeof(n->spec));
        n->has_mac = get_bool(s);
        stream_get(s, n->mac, sizeof(n->mac));
    }
    if (version >= 2) get_str(s, cpu, sizeof(cpu));
    if (version >= 3) {
        b->balloon = get_bool(s);
        b->balloon_cfg.target_pages = stream_get_u32(s);
        b->balloon_cfg.deflate_on_oom = get_bool(s);
        b->balloon_cfg.free_page_reporting = get_bool(s);
        b->balloon_cfg.stats_interval_s = stream_get_u32(s);
    }
    if (version >= 5) {
        cfg->vsock.on = get_bool(s);
        cfg->vsock.cid = stream_get_u32(s);
        get_str(s, cfg->vsock.uds_path, sizeof(cfg->vsock.uds_path));
        for (unsigned k = 0; k < cfg->nnets && !s->err; k++) {
            uint32_t mtu = stream_get_u32(s);
            if (mtu > 65535 && !s->err) s->err = -EINVAL;
            cfg->nets[k].mtu = (uint16_t)mtu;
        }
    }
    rc = stream_close_section(s, end);
    const char *bad = NULL;
    char cpu_err[256];
    if (rc)
        bad = "malformed configuration section";
    else if (cpu_model_from_list(&b->cpu, cpu, cpu_err, sizeof(cpu_err)))
        bad = cpu_err;
    else if (b->ram_size < RAM_MIN || b->ram_size > RAM_MAX || b->ram_size % RAM_PAGE_SIZE)
        bad = "RAM size out of range";
    else if (b->nharts < 1 || b->nharts > BOARD_MAX_HARTS)
        bad = "hart count out of range";
    else if (b->sbi_builtin && b->bios)
        bad = "both firmware and the builtin SBI";
    else if (!b->kernel && !b->bios)
        bad = "neither kernel nor firmware";
    else if (cfg->console != VM_CONSOLE_UART && cfg->console != VM_CONSOLE_VIRTIO)
        bad = "unknown console kind";
    else if (b->balloon_cfg.target_pages > b->ram_size / RAM_PAGE_SIZE ||
             b->balloon_cfg.stats_interval_s > VIRTIO_BALLOON_MAX_INTERVAL)
        bad = "balloon target or statistics interval out of range";
    else if (cfg->vsock.on &&
             (cfg->vsock.cid < 3 || cfg->vsock.cid == UINT32_MAX || !cfg->vsock.uds_path[0]))
        bad = "vsock CID or socket path out of range";
    for (unsigned k = 0; !bad && k < cfg->nnets; k++)
        if (cfg->nets[k].mtu && cfg->nets[k].mtu < 68) bad = "network interface MTU out of range";
    for (unsigned k = 0; !bad && k < cfg->ndrives; k++)
        if (cfg->drives[k].format < BLOCKDEV_AUTO || cfg->drives[k].format > BLOCKDEV_QCOW2)
            bad = "unknown drive format";
    if (bad) {
        free(arena);
        return errmsg_set(err, errlen, rc ? rc : -EINVAL, "%s", bad);
    }
    *strings = arena;
    return 0;
}

/* Whether id is the one the command line gives the k-th --drive or --net
 * when the user names none ("drive0", "net1"): such an override replaces
 * the snapshot's k-th device whatever its id (an API-made snapshot has
 * ids like "rootfs"); an id the user named must be the snapshot's. */
static bool snap_positional_id(const char *id, const char *prefix, unsigned k)
{
    char want[32];
    snprintf(want, sizeof(want), "%s%u", prefix, k);
    return strcmp(id, want) == 0;
}

int snap_config_override(struct vm_config *cfg, const struct vm_config *over, char *err,
                         size_t errlen)
{
    /* The CPU engine is the host's choice, not the snapshot's: both engines
     * keep the same architectural state, so a snapshot taken under one
     * restores under the other. */
    cfg->board.engine = over ? over->board.engine : (int)hart_default_engine();
    cfg->track_dirty = over && over->track_dirty; /* a choice of the restoring side */
    cfg->board.jit = over ? over->board.jit : (struct jit_options){0};
    if (!over) return 0;
    if (over->board.ram_size && over->board.ram_size != cfg->board.ram_size)
        return errmsg_set(err, errlen, -EINVAL,
                          "the snapshot has %llu MiB of RAM, not %llu MiB: RAM cannot change",
                          (unsigned long long)(cfg->board.ram_size >> 20),
                          (unsigned long long)(over->board.ram_size >> 20));
    if (over->board.cpu.ext &&
        (over->board.cpu.ext != cfg->board.cpu.ext ||
         cpu_model_vlen(&over->board.cpu) != cpu_model_vlen(&cfg->board.cpu))) {
        char have[512], want[512];
        cpu_model_format(&cfg->board.cpu, have, sizeof(have));
        cpu_model_format(&over->board.cpu, want, sizeof(want));
        return errmsg_set(err, errlen, -EINVAL,
                          "the snapshot's CPU is %s, not %s: the CPU model cannot change", have,
                          want);
    }
    if (over->board.nharts && over->board.nharts != cfg->board.nharts)
        return errmsg_set(err, errlen, -EINVAL,
                          "the snapshot has %u harts, not %u: the hart count cannot change",
                          cfg->board.nharts, over->board.nharts);
    bool taken[VM_MAX_DRIVES > VM_MAX_NETS ? VM_MAX_DRIVES : VM_MAX_NETS] = {0};
    for (unsigned k = 0; k < over->ndrives; k++) {
        const struct vm_drive *o = &over->drives[k];
        unsigned j = 0;
        while (j < cfg->ndrives && strcmp(cfg->drives[j].id, o->id))
            j++;
        if (j == cfg->ndrives && snap_positional_id(o->id, "drive", k) && k < cfg->ndrives) j = k;
        if (j == cfg->ndrives)
            return errmsg_set(err, errlen, -EINVAL, "the snapshot has no drive '%s'", o->id);
        if (taken[j])
            return errmsg_set(err, errlen, -EINVAL, "two --drive options replace drive '%s'",
                              cfg->drives[j].id);
        taken[j] = true;
        char id[sizeof(o->id)];
        memcpy(id, cfg->drives[j].id, sizeof(id)); /* the guest's serial stays */
        cfg->drives[j] = *o;
        memcpy(cfg->drives[j].id, id, sizeof(id));
    }
    memset(taken, 0, sizeof(taken));
    for (unsigned k = 0; k < over->nnets; k++) {
        const struct vm_net *o = &over->nets[k];
        unsigned j = 0;
        while (j < cfg->nnets && strcmp(cfg->nets[j].id, o->id))
            j++;
        if (j == cfg->nnets && snap_positional_id(o->id, "net", k) && k < cfg->nnets) j = k;
        if (j == cfg->nnets)
            return errmsg_set(err, errlen, -EINVAL, "the snapshot has no network interface '%s'",
                              o->id);
        if (taken[j])
            return errmsg_set(err, errlen, -EINVAL,
                              "two --net options replace network interface '%s'", cfg->nets[j].id);
        taken[j] = true;
        /* An override moves the interface to another backend; the guest's
         * NIC keeps its MAC unless the override names one. */
        struct vm_net keep = cfg->nets[j];
        cfg->nets[j] = *o;
        memcpy(cfg->nets[j].id, keep.id, sizeof(keep.id));
        if (!o->has_mac) {
            cfg->nets[j].has_mac = keep.has_mac;
            memcpy(cfg->nets[j].mac, keep.mac, sizeof(keep.mac));
        }
        cfg->nets[j].mtu = keep.mtu; /* the driver read it already */
    }
    /* vsock_override: the same device (CID) on another host socket, since
     * the snapshotted VM may still hold the first. */
    if (over->vsock.on && !cfg->vsock.on)
        return errmsg_set(err, errlen, -EINVAL, "the snapshot has no vsock device to override");
    if (over->vsock.on)
        snprintf(cfg->vsock.uds_path, sizeof(cfg->vsock.uds_path), "%s", over->vsock.uds_path);
    cfg->stats = over->stats;
    cfg->mem_merge = over->mem_merge; /* host policy, not the snapshot's */
    return 0;
}
