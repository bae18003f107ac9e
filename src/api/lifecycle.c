/* The instance and its lifecycle: GET / (state), PUT /actions
 * (InstanceStart builds the VM and hands it to the thread that runs it)
 * and PATCH /vm (pause, resume). A request invalid in the current state is
 * a 400 that leaves the VM as it was. */
#include "api/json_util.h"

#include <errno.h>
#include <string.h>

static const char *api_state_name(struct api_server *s)
{
    struct vm *vm = api_vm(s);
    if (!vm) return "Not started";
    /* Firecracker's three states: a pause or a migration on its way is
     * still running; a finished VM is not started (again). */
    switch (vm_state(vm)) {
    case VM_STATE_RUNNING:
    case VM_STATE_PAUSING:
    case VM_STATE_MIGRATING: return "Running";
    case VM_STATE_PAUSED: return "Paused";
    default: return "Not started";
    }
}

void api_get_instance(struct api_server *s, const char *id, struct json_object *body,
                      struct api_reply *r)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(s->log.id));
    json_object_object_add(o, "state", json_object_new_string(api_state_name(s)));
    json_object_object_add(o, "vmm_version", json_object_new_string(s->version));
    json_object_object_add(o, "app_name", json_object_new_string("rvmm"));
    api_reply_json(r, o);
}

static void api_instance_start(struct api_server *s, struct api_reply *r)
{
    struct vm_config cfg;
    if (!api_preboot(s, r) || api_build_config(s, &cfg, r)) return;
    struct vm *vm;
    char err[512];
    if (vm_create(&vm, &cfg, err, sizeof(err))) {
        api_fault(r, "cannot start the microVM: %s", err);
        return;
    }
    api_handoff(s, vm);
}

void api_put_actions(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    static const struct api_field fields[] = {{"action_type", json_type_string, true},
                                              {NULL, 0, false}};
    if (api_json_check(body, fields, r)) return;
    const char *action = api_json_str(body, "action_type");
    if (strcmp(action, "InstanceStart") == 0)
        api_instance_start(s, r);
    else if (strcmp(action, "FlushMetrics") == 0)
        api_metrics_flush(s, r);
    else if (strcmp(action, "SendCtrlAltDel") == 0)
        /* As on Firecracker's aarch64: there is no i8042 to send it through. */
        api_fault(r, "SendCtrlAltDel is not supported: the RISC-V virt board has no keyboard "
                     "controller (i8042) to send Ctrl+Alt+Del through, as on Firecracker's "
                     "aarch64");
    else
        api_fault(r,
                  "unknown action_type `%.64s`, expected one of `InstanceStart`, "
                  "`SendCtrlAltDel`, `FlushMetrics`",
                  action);
}

void api_patch_vm(struct api_server *s, const char *id, struct json_object *body,
                  struct api_reply *r)
{
    static const struct api_field fields[] = {{"state", json_type_string, true}, {NULL, 0, false}};
    if (api_json_check(body, fields, r)) return;
    const char *want = api_json_str(body, "state");
    bool pause = strcmp(want, "Paused") == 0;
    if (!pause && strcmp(want, "Resumed") != 0) {
        api_fault(r, "state must be `Paused` or `Resumed`, not `%.64s`", want);
        return;
    }
    struct vm *vm = api_vm(s);
    if (!vm) {
        api_fault(r, "the microVM is not started");
        return;
    }
    int rc = pause ? vm_pause(vm) : vm_resume(vm);
    if (rc == -EBUSY)
        api_fault(r, "the microVM is being migrated, it cannot be %s until the migration ends",
                  pause ? "paused" : "resumed");
    else if (rc)
        api_fault(r, pause ? "the microVM is not running, it cannot be paused"
                           : "the microVM is not paused, it cannot be resumed");
}
