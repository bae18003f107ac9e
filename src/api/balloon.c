/* The balloon resources, in Firecracker's shape: PUT /balloon (before the
 * start), PATCH /balloon (the target, at run time), GET /balloon, GET and
 * PATCH /balloon/statistics. Before the start they read and write the
 * configuration InstanceStart builds from; afterwards they go to the VM
 * through vmm/balloon.h. */
#include "api/json_util.h"

#include "vmm/balloon.h"

#include <errno.h>

#define MIB_PAGES 256 /* 4 KiB pages in a MiB */

static const char *const api_stat_names[VIRTIO_BALLOON_S_NR] = {
    "swap_in",      "swap_out",         "major_faults", "minor_faults",        "free_memory",
    "total_memory", "available_memory", "disk_caches",  "hugetlb_allocations", "hugetlb_failures"};

/* The running VM's balloon, or a 400 (no VM, no balloon). */
static struct vm *api_balloon_vm(struct api_server *s, struct virtio_balloon_info *info,
                                 struct api_reply *r)
{
    struct vm *vm = api_vm(s);
    if (!vm) {
        api_fault(r, "The requested operation is not supported before starting the microVM.");
        return NULL;
    }
    if (vm_balloon_info(vm, info)) {
        api_fault(r, "No balloon device configured.");
        return NULL;
    }
    return vm;
}

void api_put_balloon(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    static const struct api_field fields[] = {{"amount_mib", json_type_int, true},
                                              {"deflate_on_oom", json_type_boolean, true},
                                              {"stats_polling_interval_s", json_type_int, false},
                                              {"free_page_reporting", json_type_boolean, false},
                                              {"free_page_hinting", json_type_boolean, false},
                                              {NULL, 0, false}};
    if (!api_preboot(s, r) || api_json_check(body, fields, r)) return;
    int64_t mib = api_json_int(body, "amount_mib", 0);
    int64_t interval = api_json_int(body, "stats_polling_interval_s", 0);
    if (mib < 0 || (uint64_t)mib > s->cfg.board.ram_size >> 20) {
        api_fault(r, "amount_mib must be from 0 to the guest's %llu MiB",
                  (unsigned long long)(s->cfg.board.ram_size >> 20));
        return;
    }
    if (interval < 0 || interval > VIRTIO_BALLOON_MAX_INTERVAL) {
        api_fault(r, "stats_polling_interval_s must be from 0 to %d", VIRTIO_BALLOON_MAX_INTERVAL);
        return;
    }
    if (api_json_bool(body, "free_page_hinting", false)) {
        api_fault(r, "free_page_hinting is not supported by rvmm: use free_page_reporting");
        return;
    }
    s->cfg.board.balloon = true;
    s->cfg.board.balloon_cfg = (struct virtio_balloon_config){
        .target_pages = (uint32_t)mib * MIB_PAGES,
        .deflate_on_oom = api_json_bool(body, "deflate_on_oom", false),
        .free_page_reporting = api_json_bool(body, "free_page_reporting", false),
        .stats_interval_s = (uint32_t)interval,
    };
    s->configured = true;
}

void api_patch_balloon(struct api_server *s, const char *id, struct json_object *body,
                       struct api_reply *r)
{
    static const struct api_field fields[] = {{"amount_mib", json_type_int, true},
                                              {NULL, 0, false}};
    struct virtio_balloon_info info;
    if (api_json_check(body, fields, r)) return;
    struct vm *vm = api_balloon_vm(s, &info, r);
    if (!vm) return;
    int64_t mib = api_json_int(body, "amount_mib", 0);
    if (mib < 0 || mib > UINT32_MAX / MIB_PAGES ||
        vm_balloon_set_target(vm, (uint32_t)mib * MIB_PAGES))
        api_fault(r, "amount_mib %lld is more than the guest's memory", (long long)mib);
}

struct json_object *api_balloon_json(struct api_server *s)
{
    struct virtio_balloon_config c = s->cfg.board.balloon_cfg;
    struct vm *vm = api_vm(s);
    struct virtio_balloon_info info;
    if (vm) {
        if (vm_balloon_info(vm, &info)) return NULL;
        c = (struct virtio_balloon_config){.target_pages = info.target_pages,
                                           .deflate_on_oom = info.deflate_on_oom,
                                           .free_page_reporting = info.free_page_reporting,
                                           .stats_interval_s = info.stats_interval_s};
    } else if (!s->cfg.board.balloon) {
        return NULL;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "amount_mib", json_object_new_int64(c.target_pages / MIB_PAGES));
    json_object_object_add(o, "deflate_on_oom", json_object_new_boolean(c.deflate_on_oom));
    json_object_object_add(o, "stats_polling_interval_s",
                           json_object_new_int64(c.stats_interval_s));
    json_object_object_add(o, "free_page_reporting",
                           json_object_new_boolean(c.free_page_reporting));
    return o;
}

void api_get_balloon(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    struct json_object *o = api_balloon_json(s);
    if (o)
        api_reply_json(r, o);
    else
        api_fault(r, "No balloon device configured.");
}

void api_get_balloon_stats(struct api_server *s, const char *id, struct json_object *body,
                           struct api_reply *r)
{
    struct virtio_balloon_info info;
    if (!api_balloon_vm(s, &info, r)) return;
    if (!info.stats_interval_s) {
        api_fault(r, "Statistics for the balloon device are not enabled "
                     "(stats_polling_interval_s is 0).");
        return;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "target_pages", json_object_new_int64(info.target_pages));
    json_object_object_add(o, "actual_pages", json_object_new_int64(info.actual_pages));
    json_object_object_add(o, "target_mib", json_object_new_int64(info.target_pages / MIB_PAGES));
    json_object_object_add(o, "actual_mib", json_object_new_int64(info.actual_pages / MIB_PAGES));
    for (unsigned k = 0; k < VIRTIO_BALLOON_S_NR; k++)
        if (info.stats_valid[k])
            json_object_object_add(o, api_stat_names[k],
                                   json_object_new_int64((int64_t)info.stats[k]));
    api_reply_json(r, o);
}

void api_patch_balloon_stats(struct api_server *s, const char *id, struct json_object *body,
                             struct api_reply *r)
{
    static const struct api_field fields[] = {{"stats_polling_interval_s", json_type_int, true},
                                              {NULL, 0, false}};
    struct virtio_balloon_info info;
    if (api_json_check(body, fields, r)) return;
    struct vm *vm = api_balloon_vm(s, &info, r);
    if (!vm) return;
    int64_t v = api_json_int(body, "stats_polling_interval_s", 0);
    if (!info.stats_interval_s) {
        api_fault(r, "Cannot enable the balloon statistics after boot.");
        return;
    }
    if (v == 0) {
        api_fault(r, "Cannot disable the balloon statistics after boot.");
        return;
    }
    if (v < 0 || v > VIRTIO_BALLOON_MAX_INTERVAL || vm_balloon_set_stats_interval(vm, (uint32_t)v))
        api_fault(r, "stats_polling_interval_s must be from 1 to %d", VIRTIO_BALLOON_MAX_INTERVAL);
}
