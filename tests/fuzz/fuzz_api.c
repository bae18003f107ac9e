/* libFuzzer target for the control API's request path (src/api: routing,
 * strict JSON checks, the configuration handlers) without HTTP: arbitrary
 * methods, paths and bodies go to api_route() on a server with no VM.
 * Every reply must be a well-formed status with a JSON object body (a 400
 * or 404/405 with a fault_message) or none (204), and the configuration
 * must stay within its limits (the balloon's included).
 *
 * Input: byte 0 picks a request from the table below (or, past its end,
 * takes "METHOD URL\n" from the input); the rest is the body. Requests
 * that open host files (boot-source, drives, snapshot load, logger,
 * metrics, serial) are left out:
 * a fuzzer must not open arbitrary host paths read-write. Without a boot
 * source InstanceStart always fails, so no VM is ever built, and the VMM
 * functions the handlers would call on one are never reached here. */
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/handlers.h"
#include "backend/net/netdev.h"
#include "common/stream.h"
#include "vmm/migration.h"
#include "vmm/balloon.h"
#include "vmm/memstat.h"
#include "vmm/snapshot.h"

/* The VMM functions the API calls on a VM; this harness never builds one. */
static _Noreturn void unreached(void)
{
    abort();
}
int vm_create(struct vm **out, const struct vm_config *cfg, char *err, size_t errlen)
{
    unreached();
}
enum vm_state vm_state(struct vm *vm)
{
    unreached();
}
int vm_pause(struct vm *vm)
{
    unreached();
}
int vm_resume(struct vm *vm)
{
    unreached();
}
int vm_snapshot_create(struct vm *vm, const char *s, const char *m, char *e, size_t n)
{
    unreached();
}
int vm_snapshot_create_type(struct vm *vm, const char *s, const char *m, bool d, char *e, size_t n)
{
    unreached();
}
int vm_restore(struct vm **o, const struct vm_config *c, const char *s, const char *m, char *e,
               size_t n)
{
    unreached();
}
void vm_stats_read(struct vm *vm, struct vm_totals *out)
{
    unreached();
}
/* Migration: what a request reaches without a VM is the URL check (the
 * real one, migration_stream.c) and a receive, which must not bind the
 * fuzzer's URLs: refused here. */
int mig_send_start(struct vm *vm, const struct mig_params *p, char *err, size_t errlen)
{
    unreached();
}
void mig_status_get(struct vm *vm, struct mig_status *out)
{
    unreached();
}
int mig_cancel(struct vm *vm)
{
    unreached();
}
int mig_incoming_listen(struct mig_incoming **out, const char *url,
                        const struct vm_config *overrides, char *err, size_t errlen)
{
    snprintf(err, errlen, "not in the fuzzer");
    return -EINVAL;
}
int mig_incoming_run(struct mig_incoming *in, struct vm **out, char *err, size_t errlen)
{
    unreached();
}
void mig_incoming_status(struct mig_incoming *in, struct mig_status *out)
{
    unreached();
}
bool mig_incoming_source_paused(const struct mig_incoming *in)
{
    unreached();
}
void mig_incoming_free(struct mig_incoming *in)
{
    unreached();
}
int vm_memory_read(struct vm *vm, struct vm_memory *out)
{
    unreached();
}
int vm_balloon_set_target(struct vm *vm, uint32_t pages)
{
    unreached();
}
int vm_balloon_set_stats_interval(struct vm *vm, uint32_t seconds)
{
    unreached();
}
int vm_balloon_info(struct vm *vm, struct virtio_balloon_info *out)
{
    unreached();
}
void vm_wait_started(struct vm *vm)
{
    unreached();
}
const struct vm_config *vm_get_config(const struct vm *vm)
{
    unreached();
}
int vm_net_stats(struct vm *vm, unsigned k, struct netdev_stats *out)
{
    unreached();
}
const char *vm_trap_name(unsigned c)
{
    unreached();
}
const char *vm_irq_name(unsigned c)
{
    unreached();
}
char vm_mode_name(unsigned m)
{
    unreached();
}
const char *hart_exit_name(enum hart_exit e)
{
    unreached();
}
const char *sbi_ext_name(enum sbi_ext_index i)
{
    unreached();
}
void netdev_get_stats(struct netdev *nd, struct netdev_stats *out)
{
    unreached();
}
int snap_state_read(const char *path, struct stream *body, char *err, size_t errlen)
{
    unreached();
}
int snap_config_load(struct stream *s, struct vm_config *cfg, char **strings, char *err,
                     size_t errlen)
{
    unreached();
}
int vm_drive_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *c,
                           char *err, size_t errlen)
{
    return -ENOENT;
}

int vm_net_set_ratelimit(struct vm *vm, const char *id, const struct ratelimit_config *rx,
                         const struct ratelimit_config *tx, char *err, size_t errlen)
{
    return -ENOENT;
}

/* The rule syntax is net_slirp.c's, which needs libslirp: any rule passes. */
int net_slirp_check_hostfwd(const char *rule, char *err, size_t errlen)
{
    return 0;
}

int vm_drive_swap(struct vm *vm, const char *id, const char *path, char *err, size_t errlen)
{
    unreached();
}
void vm_set_boot_timer_hook(struct vm *vm, void (*fn)(void *, uint64_t, uint64_t), void *opaque)
{
    unreached();
}

static const struct {
    const char *method, *url;
} requests[] = {
    {"GET", "/"},
    {"GET", "/machine-config"},
    {"PUT", "/machine-config"},
    {"PUT", "/network-interfaces/eth0"},
    {"PUT", "/network-interfaces/x"},
    {"PUT", "/actions"},
    {"PATCH", "/vm"},
    {"GET", "/vm/config"},
    {"PUT", "/snapshot/create"},
    {"GET", "/stats"},
    {"PATCH", "/machine-config"},
    {"GET", "/version"},
    {"PUT", "/entropy"},
    {"PATCH", "/network-interfaces/eth0"},
    {"PUT", "/balloon"},
    {"PATCH", "/balloon"},
    {"GET", "/balloon"},
    {"GET", "/balloon/statistics"},
    {"PATCH", "/balloon/statistics"},
    {"PUT", "/vsock"},
};
#define NREQ (sizeof(requests) / sizeof(requests[0]))

static struct api_server *srv;
static char dir[] = "/tmp/rvmm-fuzz-api-XXXXXX";
static char sock[64];

static void cleanup(void)
{
    api_server_destroy(srv);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (!mkdtemp(dir)) abort();
    snprintf(sock, sizeof(sock), "%s/s", dir);
    struct vm_config defaults = {
        .board = {.ram_size = 256ULL << 20, .nharts = 1, .sbi_builtin = true, .append = "x"}};
    char err[256];
    if (api_server_create(&srv, sock, &defaults, NULL, "fuzz", err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    atexit(cleanup);
    return 0;
}

/* Routes that would open host files. */
static bool touches_files(const char *url)
{
    return !strncmp(url, "/drives/", 8) || !strcmp(url, "/boot-source") ||
           !strcmp(url, "/snapshot/load") || !strcmp(url, "/logger") || !strcmp(url, "/metrics") ||
           !strcmp(url, "/serial");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char method[16], url[256];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    if (data[0] < NREQ) {
        snprintf(method, sizeof(method), "%s", requests[data[0]].method);
        snprintf(url, sizeof(url), "%s", requests[data[0]].url);
    } else {
        const char *nl = memchr(body, '\n', len);
        if (!nl || (size_t)(nl - body) >= sizeof(url) || !memchr(body, ' ', (size_t)(nl - body)))
            return 0;
        char line[256];
        memcpy(line, body, (size_t)(nl - body));
        line[nl - body] = '\0';
        if (sscanf(line, "%15s %255s", method, url) != 2) return 0;
        len -= (size_t)(nl - body) + 1;
        body = nl + 1;
        if (touches_files(url)) return 0;
    }
    char *copy = malloc(len + 1); /* MHD hands handlers a NUL-terminated body */
    if (!copy) return 0;
    memcpy(copy, body, len);
    copy[len] = '\0';
    struct api_reply r = {0};
    api_route(srv, method, url, copy, len, &r);
    free(copy);
    bool ok = r.status == 204
                  ? r.body == NULL
                  : (r.status == 200 || r.status == 400 || r.status == 404 || r.status == 405) &&
                        r.body && json_object_is_type(r.body, json_type_object);
    if (r.status >= 400)
        ok = ok &&
             json_object_is_type(json_object_object_get(r.body, "fault_message"), json_type_string);
    if (!ok) {
        fprintf(stderr, "bad reply %u to %s %s\n", r.status, method, url);
        abort();
    }
    /* The limits PUT /machine-config and the device handlers enforce. */
    if (srv->cfg.board.nharts < 1 || srv->cfg.board.nharts > BOARD_MAX_HARTS ||
        srv->nnets > VM_MAX_NETS || srv->ndrives > VM_MAX_DRIVES || srv->vm ||
        srv->cfg.board.balloon_cfg.stats_interval_s > VIRTIO_BALLOON_MAX_INTERVAL ||
        (!srv->cfg.board.balloon && srv->cfg.board.balloon_cfg.target_pages))
        abort();
    json_object_put(r.body);
    return 0;
}
