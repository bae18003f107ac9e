/* What the API's request handlers share: the server's state (the
 * configuration being built, the VM once it exists), the reply a handler
 * fills in, and the handlers the route table points at. Internal to api/. */
#ifndef RVMM_API_HANDLERS_H
#define RVMM_API_HANDLERS_H

#include "api/api.h"
#include "api/logger.h"

#include <json-c/json.h>
#include <limits.h>
#include <pthread.h>
#include <sys/un.h>

#define API_ID_MAX   32 /* vm_drive.id and vm_net.id hold 31 characters */
#define API_ARGS_MAX 4096

/* A drive as PUT /drives/{id} gave it: the VM's part and what only the
 * boot arguments use (the root device). */
struct api_drive {
    struct vm_drive d;
    bool root;
    char partuuid[64];
    const char *cache_type, *io_engine; /* Firecracker's enums, echoed */
};

/* A network interface as PUT /network-interfaces/{id} gave it. */
struct api_net {
    struct vm_net n;
    int64_t mtu;            /* 0: not given */
    char host_dev_name[16]; /* IFNAMSIZ */
    bool user_mode;
};

struct api_server {
    struct MHD_Daemon *mhd;
    int fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char version[32];
    /* Guards vm, handed and run_done against the thread running the VM. */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct vm *vm; /* set once, by InstanceStart, a snapshot load or attach */
    bool handed;   /* vm is the caller's to run */
    bool starting; /* vm_run() may not have begun yet */
    bool run_done; /* the caller's vm_run() returned */
    /* The configuration PUT requests build (only the API thread touches it
     * before the VM exists; the board's strings point at the buffers). */
    struct vm_config cfg;
    char kernel[PATH_MAX], initrd[PATH_MAX], bios[PATH_MAX], boot_args[API_ARGS_MAX];
    char default_args[API_ARGS_MAX];     /* boot_args when a boot source gives none */
    char start_args[API_ARGS_MAX + 128]; /* what the VM boots with, root= added */
    bool configured; /* a PUT changed the configuration: no snapshot load then */
    struct api_drive drives[VM_MAX_DRIVES];
    unsigned ndrives;
    struct api_net nets[VM_MAX_NETS];
    unsigned nnets;
    /* Firecracker's launch flags and small resources (launch.c, metrics.c). */
    struct api_logger log;
    char log_path[PATH_MAX];
    bool file_boot;        /* the config file's InstanceStart: the caller runs the VM next */
    pthread_mutex_t mlock; /* guards the metrics below against the metrics thread */
    pthread_cond_t mcond;
    int metrics_fd;
    char metrics_path[PATH_MAX];
    char serial_path[PATH_MAX];
    bool metrics_thread_on, metrics_stop;
    pthread_t metrics_thread;
    struct api_incoming *incoming; /* PUT /migration/receive (migration.c) */
    char failure[512];             /* why no VM came (a failed incoming migration) */
};

/* A handler's answer: the status, and the JSON body or NULL (204). */
struct api_reply {
    unsigned status;
    struct json_object *body;
    char allow[64]; /* the resource's methods, for a 405 */
};

/* 400 with {"fault_message": ...}; returns -EINVAL for `return api_fault(...)`. */
int api_fault(struct api_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 200 with `body` (owned by the reply from then on). */
void api_reply_json(struct api_reply *r, struct json_object *body);

/* Runs a request: finds the route, parses the body, calls the handler. */
void api_route(struct api_server *s, const char *method, const char *url, const char *body,
               size_t len, struct api_reply *r);

/* The VM once it exists, or NULL. A VM just handed over is returned once
 * vm_run() has begun, so a request sees it running (or paused), never
 * "not started" again. */
struct vm *api_vm(struct api_server *s);
/* Hands a VM built by a request to the caller of api_server_wait_vm(),
 * and waits until it runs (or already ended), so the next request sees it
 * running or paused. */
void api_handoff(struct api_server *s, struct vm *vm);

typedef void api_handler(struct api_server *s, const char *id, struct json_object *body,
                         struct api_reply *r);
api_handler api_get_instance, api_put_actions, api_patch_vm;
api_handler api_get_machine_config, api_put_machine_config, api_patch_machine_config;
api_handler api_put_boot_source;
api_handler api_get_vm_config, api_put_drive, api_put_net;
api_handler api_put_snapshot_create, api_put_snapshot_load, api_get_stats;
api_handler api_get_version, api_put_logger, api_put_metrics;
api_handler api_put_entropy, api_put_serial, api_patch_drive, api_patch_net;
/* A rate limiter field: absent or null is fine, anything else a 400. */
int api_no_rate_limiter(struct json_object *body, const char *field, struct api_reply *r);
/* A RateLimiter field (ratelimit_json.c): *out is all-zero (no limit)
 * when absent or null; *given (may be NULL) says whether the field was
 * there. 0, or -EINVAL with a 400 in r. */
struct ratelimit_config;
int api_rate_limiter(struct json_object *body, const char *field, struct ratelimit_config *out,
                     bool *given, struct api_reply *r);
/* Adds field: {bandwidth, ops} to o when c limits anything. */
void api_rate_limiter_json(struct json_object *o, const char *field,
                           const struct ratelimit_config *c);
/* The live statistics of GET /stats (NULL without memory). */
struct json_object *api_stats_json(struct vm *vm);
/* Appends one metrics line now (FlushMetrics); 0 or a 400 in r. */
int api_metrics_flush(struct api_server *s, struct api_reply *r);
/* Ends the metrics thread, writing a last line. */
void api_metrics_stop(struct api_server *s);
/* Runs one request as if a client had sent it (the launch flags, the
 * config file); on a refusal err gets `what` and the fault message. */
int api_run_request(struct api_server *s, const char *method, const char *url,
                    struct json_object *body, const char *what, char *err, size_t errlen);
/* Does the route table serve method on url? */
bool api_route_exists(const char *method, const char *url);
/* --config-file: each section as its PUT, then InstanceStart. */
int api_config_file(struct api_server *s, const char *file, char *err, size_t errlen);
api_handler api_put_migration_send, api_put_migration_receive, api_get_migration;
api_handler api_patch_migration;
/* network_overrides of a snapshot load or an incoming migration. */
int api_net_overrides(struct json_object *list, struct vm_config *over, struct api_reply *r);
/* No VM will come (an incoming migration failed): api_server_wait_vm()
 * returns NULL, and api_server_failure() says why. */
void api_handoff_fail(struct api_server *s, const char *why);
/* Ends the incoming migration's thread (api_server_destroy). */
void api_incoming_free(struct api_server *s);
api_handler api_put_balloon, api_patch_balloon, api_get_balloon;
api_handler api_get_balloon_stats, api_patch_balloon_stats;
/* vsock.c: PUT /vsock, its GET /vm/config object (NULL: none), and a
 * snapshot load's vsock_override into over->vsock (uds_path, on). */
api_handler api_put_vsock;
/* --boot-timer: the VM's boot-timer writes become log lines (launch.c). */
void api_boot_timer_attach(struct api_server *s, struct vm *vm);
struct json_object *api_vsock_json(const struct vm_config *c);
int api_vsock_override(struct json_object *body, struct vm_config *over, struct api_reply *r);
/* JSON for GET /machine-config and GET /vm/config. */
struct json_object *api_machine_config_json(const struct api_server *s);
struct json_object *api_drives_json(const struct api_server *s);
struct json_object *api_nets_json(const struct api_server *s);
/* GET /balloon's body: the running VM's balloon, or the configured one. */
struct json_object *api_balloon_json(struct api_server *s);

/* A device or interface name: letters, digits, '_' and the characters in
 * extra, nothing that could split an option string. */
bool api_name_ok(const char *s, const char *extra);
/* After a snapshot load: GET /vm/config and /machine-config describe the
 * restored VM (its harts, RAM, drives and interfaces; no boot source). */
void api_adopt_config(struct api_server *s, struct vm *vm);
/* Pre-boot only: a 400 and false once the VM exists. */
bool api_preboot(struct api_server *s, struct api_reply *r);
/* Builds the vm_config InstanceStart creates the VM from: the root drive
 * first (it becomes /dev/vda) and its root= added to the boot arguments. */
int api_build_config(struct api_server *s, struct vm_config *out, struct api_reply *r);

#endif
