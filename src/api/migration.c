/* Live migration through the API (vmm/migration.h): PUT /migration/send
 * on the source, PUT /migration/receive on a fresh destination (the VM it
 * receives is handed over like a loaded snapshot), GET /migration for the
 * progress on either side, PATCH /migration to cancel. */
#include "api/json_util.h"
#include "vmm/migration.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct api_incoming {
    struct api_server *s;
    struct mig_incoming *in;
    pthread_t thread;
    int resume; /* resume_vm: 1, 0, or -1 (not given: as the VM was on the source) */
};

static struct json_object *u64(uint64_t v)
{
    return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

void api_get_migration(struct api_server *s, const char *id, struct json_object *body,
                       struct api_reply *r)
{
    struct mig_status st = {.state = MIG_IDLE};
    pthread_mutex_lock(&s->lock);
    struct api_incoming *ai = s->incoming;
    struct vm *vm = s->vm;
    pthread_mutex_unlock(&s->lock);
    if (ai)
        mig_incoming_status(ai->in, &st);
    else if (vm && (vm = api_vm(s)))
        mig_status_get(vm, &st);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "state", json_object_new_string(mig_state_name(st.state)));
    json_object_object_add(o, "round", u64(st.round));
    json_object_object_add(o, "bytes_sent", u64(st.bytes_sent));
    json_object_object_add(o, "bytes_remaining", u64(st.bytes_remaining));
    json_object_object_add(o, "dirty_rate_bytes_per_s", u64(st.dirty_rate));
    json_object_object_add(o, "bandwidth_bytes_per_s", u64(st.bandwidth));
    json_object_object_add(o, "expected_downtime_ms", u64(st.expected_downtime_ms));
    json_object_object_add(o, "downtime_ms", u64(st.downtime_ms));
    /* QEMU's measure of the same pause: until the source sent its last byte. */
    json_object_object_add(o, "source_downtime_us", u64(st.source_downtime_us));
    json_object_object_add(o, "total_time_ms", u64(st.total_ms));
    json_object_object_add(o, "throttle_percent", u64(st.throttle_pct));
    if (st.error[0]) json_object_object_add(o, "error", json_object_new_string(st.error));
    api_reply_json(r, o);
}

void api_put_migration_send(struct api_server *s, const char *id, struct json_object *body,
                            struct api_reply *r)
{
    static const struct api_field fields[] = {{"destination_url", json_type_string, true},
                                              {"downtime_ms", json_type_int, false},
                                              {"timeout_s", json_type_int, false},
                                              {"timeout_strategy", json_type_string, false},
                                              {"compression", json_type_string, false},
                                              {"auto_converge", json_type_boolean, false},
                                              {NULL, 0, false}};
    char url[PATH_MAX + 16], err[512];
    if (api_json_check(body, fields, r) ||
        api_json_copy(body, "destination_url", url, sizeof(url), r))
        return;
    if (mig_url_check(url, err, sizeof(err))) {
        api_fault(r, "destination_url %s", err);
        return;
    }
    int64_t downtime = api_json_int(body, "downtime_ms", MIG_DEFAULT_DOWNTIME_MS);
    int64_t timeout = api_json_int(body, "timeout_s", 0);
    if (downtime < 1 || downtime > 600000) {
        api_fault(r, "downtime_ms must be 1 to 600000");
        return;
    }
    if (timeout < 0 || timeout > 604800) {
        api_fault(r, "timeout_s must be 0 (none) to 604800");
        return;
    }
    struct mig_params p = {.url = url,
                           .downtime_ms = (uint32_t)downtime,
                           .timeout_s = (uint32_t)timeout,
                           .no_auto_converge = !api_json_bool(body, "auto_converge", true)};
    const char *strategy = json_object_object_get(body, "timeout_strategy")
                               ? api_json_str(body, "timeout_strategy")
                               : "Cancel";
    if (!strcmp(strategy, "Switchover")) {
        p.timeout_strategy = MIG_TIMEOUT_SWITCHOVER;
    } else if (strcmp(strategy, "Cancel")) {
        api_fault(r, "timeout_strategy must be `Cancel` or `Switchover`, not `%.64s`", strategy);
        return;
    }
    if (json_object_object_get(body, "compression")) {
        const char *c = api_json_str(body, "compression");
        if ((p.compression = mig_compression_parse(c)) < 0) {
            api_fault(r, "compression must be `none`, `zstd` or `lz4`, not `%.64s`", c);
            return;
        }
    }
    struct vm *vm = api_vm(s);
    if (!vm) {
        api_fault(r, "the microVM is not started: there is nothing to migrate");
        return;
    }
    if (mig_send_start(vm, &p, err, sizeof(err))) api_fault(r, "cannot migrate: %s", err);
}

void api_patch_migration(struct api_server *s, const char *id, struct json_object *body,
                         struct api_reply *r)
{
    static const struct api_field fields[] = {{"state", json_type_string, true}, {NULL, 0, false}};
    if (api_json_check(body, fields, r)) return;
    if (strcmp(api_json_str(body, "state"), "Cancelled")) {
        api_fault(r, "state must be `Cancelled`, not `%.64s`", api_json_str(body, "state"));
        return;
    }
    struct vm *vm = api_vm(s);
    if (!vm || mig_cancel(vm))
        api_fault(r, "no migration is in progress that can still be cancelled");
}

static void *api_receive_thread(void *arg)
{
    struct api_incoming *ai = arg;
    struct vm *vm;
    char err[512], why[600];
    if (mig_incoming_run(ai->in, &vm, err, sizeof(err))) {
        snprintf(why, sizeof(why), "incoming migration failed: %s", err);
        api_handoff_fail(ai->s, why);
        return NULL;
    }
    /* A VM paused on the source stays paused unless asked otherwise. */
    if (ai->resume > 0 || (ai->resume < 0 && !mig_incoming_source_paused(ai->in))) vm_resume(vm);
    api_handoff(ai->s, vm);
    return NULL;
}

void api_put_migration_receive(struct api_server *s, const char *id, struct json_object *body,
                               struct api_reply *r)
{
    static const struct api_field fields[] = {{"receiver_url", json_type_string, true},
                                              {"resume_vm", json_type_boolean, false},
                                              {"network_overrides", json_type_array, false},
                                              {NULL, 0, false}};
    char url[PATH_MAX + 16], err[512];
    struct vm_config over = {
        .stats = s->cfg.stats, .board.engine = s->cfg.board.engine, .board.jit = s->cfg.board.jit};
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_json_copy(body, "receiver_url", url, sizeof(url), r) ||
        api_net_overrides(json_object_object_get(body, "network_overrides"), &over, r))
        return;
    if (s->incoming) {
        api_fault(r, "a migration is already being received");
        return;
    }
    if (s->configured) {
        api_fault(r, "receiving a migration is not allowed after configuring boot-specific "
                     "resources");
        return;
    }
    struct api_incoming *ai = calloc(1, sizeof(*ai));
    if (!ai) {
        api_fault(r, "out of memory");
        return;
    }
    ai->s = s;
    ai->resume =
        json_object_object_get(body, "resume_vm") ? api_json_bool(body, "resume_vm", true) : -1;
    if (mig_incoming_listen(&ai->in, url, &over, err, sizeof(err))) {
        free(ai);
        api_fault(r, "cannot receive: %s", err);
        return;
    }
    if (pthread_create(&ai->thread, NULL, api_receive_thread, ai)) {
        mig_incoming_free(ai->in);
        free(ai);
        api_fault(r, "cannot start the receiving thread");
        return;
    }
    pthread_mutex_lock(&s->lock);
    s->incoming = ai;
    pthread_mutex_unlock(&s->lock);
}

void api_incoming_free(struct api_server *s)
{
    struct api_incoming *ai = s->incoming;
    if (!ai) return;
    pthread_join(ai->thread, NULL);
    mig_incoming_free(ai->in);
    free(ai);
    s->incoming = NULL;
}
