/* PUT /snapshot/create and PUT /snapshot/load, with Firecracker's shapes:
 * a full snapshot of a paused VM into a state file and a memory file, and
 * a VM built from one, in place of configuring and booting. */
#include "api/json_util.h"
#include "common/stream.h"
#include "vmm/snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void api_put_snapshot_create(struct api_server *s, const char *id, struct json_object *body,
                             struct api_reply *r)
{
    static const struct api_field fields[] = {{"snapshot_path", json_type_string, true},
                                              {"mem_file_path", json_type_string, true},
                                              {"snapshot_type", json_type_string, false},
                                              {NULL, 0, false}};
    char state[PATH_MAX], mem[PATH_MAX];
    if (api_json_check(body, fields, r) ||
        api_json_copy(body, "snapshot_path", state, sizeof(state), r) ||
        api_json_copy(body, "mem_file_path", mem, sizeof(mem), r))
        return;
    const char *type = api_json_str(body, "snapshot_type");
    bool diff = type && strcmp(type, "Diff") == 0;
    if (type && !diff && strcmp(type, "Full") != 0) {
        api_fault(r, "snapshot_type must be `Full` or `Diff`, not `%.32s`", type);
        return;
    }
    struct vm *vm = api_vm(s);
    if (!vm) {
        api_fault(r, "the microVM was never started: there is nothing to snapshot");
        return;
    }
    if (vm_state(vm) != VM_STATE_PAUSED) {
        api_fault(r, "the microVM must be paused (PATCH /vm {\"state\": \"Paused\"}) first");
        return;
    }
    char err[512];
    if (vm_snapshot_create_type(vm, state, mem, diff, err, sizeof(err)))
        api_fault(r, "cannot create the snapshot: %s", err);
}

/* network_overrides: [{"iface_id", "host_dev_name"}] put a restored
 * interface on another tap device. */
int api_net_overrides(struct json_object *list, struct vm_config *over, struct api_reply *r)
{
    static const struct api_field fields[] = {{"iface_id", json_type_string, true},
                                              {"host_dev_name", json_type_string, true},
                                              {NULL, 0, false}};
    size_t n = list ? json_object_array_length(list) : 0;
    if (n > VM_MAX_NETS) return api_fault(r, "at most %d network_overrides", VM_MAX_NETS);
    for (size_t k = 0; k < n; k++) {
        struct json_object *o = json_object_array_get_idx(list, k);
        struct vm_net *net = &over->nets[over->nnets];
        char dev[16] = "";
        if (!json_object_is_type(o, json_type_object))
            return api_fault(r, "network_overrides holds objects");
        if (api_json_check(o, fields, r) ||
            api_json_copy(o, "iface_id", net->id, sizeof(net->id), r) ||
            api_json_copy(o, "host_dev_name", dev, sizeof(dev), r))
            return -EINVAL;
        if (!api_name_ok(dev, "-."))
            return api_fault(r, "host_dev_name must be a network interface name");
        snprintf(net->spec, sizeof(net->spec), "tap,ifname=%s", dev);
        over->nnets++;
    }
    return 0;
}

void api_put_snapshot_load(struct api_server *s, const char *id, struct json_object *body,
                           struct api_reply *r)
{
    static const struct api_field fields[] = {{"snapshot_path", json_type_string, true},
                                              {"mem_file_path", json_type_string, false},
                                              {"mem_backend", json_type_object, false},
                                              {"resume_vm", json_type_boolean, false},
                                              {"enable_diff_snapshots", json_type_boolean, false},
                                              {"track_dirty_pages", json_type_boolean, false},
                                              {"network_overrides", json_type_array, false},
                                              {"vsock_override", json_type_object, false},
                                              {"clock_realtime", json_type_boolean, false},
                                              {NULL, 0, false}};
    static const struct api_field backend_fields[] = {{"backend_type", json_type_string, true},
                                                      {"backend_path", json_type_string, true},
                                                      {NULL, 0, false}};
    char state[PATH_MAX], mem[PATH_MAX] = "";
    struct vm_config over = {.stats = s->cfg.stats,
                             .board.engine = s->cfg.board.engine,
                             .board.jit = s->cfg.board.jit,
                             .mem_merge = s->cfg.mem_merge};
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_json_copy(body, "snapshot_path", state, sizeof(state), r) ||
        api_json_copy(body, "mem_file_path", mem, sizeof(mem), r) ||
        api_net_overrides(json_object_object_get(body, "network_overrides"), &over, r) ||
        api_vsock_override(body, &over, r))
        return;
    /* The restored VM tracks dirty pages from its snapshot on (that one is
     * its first Diff's base). */
    over.track_dirty = api_json_bool(body, "track_dirty_pages", false) ||
                       api_json_bool(body, "enable_diff_snapshots", false);
    /* Guest time resumes from the snapshot's instant (README, "Time"). */
    if (api_json_bool(body, "clock_realtime", false)) {
        api_fault(r, "clock_realtime: x86 kvmclock only; rvmm's restored guest clock resumes "
                     "where it was paused and the RTC keeps the host's wall time");
        return;
    }
    if (s->configured) {
        api_fault(r, "Loading a microVM snapshot not allowed after configuring boot-specific "
                     "resources.");
        return;
    }
    struct json_object *backend = json_object_object_get(body, "mem_backend");
    if (!backend == !mem[0]) {
        api_fault(r, "give exactly one of mem_backend and mem_file_path");
        return;
    }
    if (backend) {
        if (api_json_check(backend, backend_fields, r) ||
            api_json_copy(backend, "backend_path", mem, sizeof(mem), r))
            return;
        if (strcmp(api_json_str(backend, "backend_type"), "File") != 0) {
            api_fault(r, "backend_type must be `File` (rvmm has no `Uffd` backend)");
            return;
        }
    }
    struct vm *vm;
    char err[1024];
    if (vm_restore(&vm, &over, state, mem, err, sizeof(err))) {
        api_fault(r, "cannot load the snapshot: %s", err);
        return;
    }
    /* Resumed before vm_run() begins, it starts running; otherwise its
     * vCPUs stay parked until PATCH /vm {"state": "Resumed"}. */
    if (api_json_bool(body, "resume_vm", false)) vm_resume(vm);
    api_adopt_config(s, vm);
    api_handoff(s, vm);
}
