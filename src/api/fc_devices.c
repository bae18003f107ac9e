/* Firecracker's smaller device resources: PUT /entropy (the virtio-rng),
 * PUT /serial (the console's output to a file or named pipe), and the
 * post-boot PATCH /drives/{id} (a new medium, new rate limits) and PATCH
 * /network-interfaces/{id} (new rate limits). The rng and the serial port
 * have no rate limiters: a null one is accepted as "none", any other is
 * refused by name. */
#include "api/json_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int api_no_rate_limiter(struct json_object *body, const char *field, struct api_reply *r)
{
    struct json_object *v = json_object_object_get(body, field);
    if (v && json_object_get_type(v) != json_type_null)
        return api_fault(r, "%s: rvmm has no rate limiters yet; give null or leave it out", field);
    return 0;
}

/* Post-boot only, as Firecracker's PATCH requests. */
static struct vm *api_postboot(struct api_server *s, struct api_reply *r)
{
    struct vm *vm = api_vm(s);
    if (!vm) api_fault(r, "The requested operation is not supported before starting the microVM.");
    return vm;
}

void api_put_entropy(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    static const struct api_field fields[] = {{"rate_limiter", json_type_object, false},
                                              {NULL, 0, false}};
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_no_rate_limiter(body, "rate_limiter", r))
        return;
    s->cfg.board.rng = true;
    s->configured = true;
}

void api_put_serial(struct api_server *s, const char *id, struct json_object *body,
                    struct api_reply *r)
{
    static const struct api_field fields[] = {{"serial_out_path", json_type_string, false},
                                              {"rate_limiter", json_type_object, false},
                                              {NULL, 0, false}};
    char path[PATH_MAX] = "";
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_no_rate_limiter(body, "rate_limiter", r) ||
        api_json_copy(body, "serial_out_path", path, sizeof(path), r))
        return;
    if (!path[0]) return; /* output stays where it is */
    int fd = api_output_open(path);
    if (fd < 0) {
        api_fault(r, "serial_out_path %.256s: %s", path, strerror(-fd));
        return;
    }
    /* The console writes to stdout (the UART) or reopens it (virtio):
     * the file takes its place. A pipe blocks the writer when full, as a
     * slow terminal does, rather than dropping console output. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    fflush(stdout);
    int rc = dup2(fd, STDOUT_FILENO);
    int e = errno;
    close(fd);
    if (rc < 0) {
        api_fault(r, "serial_out_path %.256s: %s", path, strerror(e));
        return;
    }
    snprintf(s->serial_path, sizeof(s->serial_path), "%s", path);
}

void api_patch_drive(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    static const struct api_field fields[] = {{"drive_id", json_type_string, true},
                                              {"path_on_host", json_type_string, false},
                                              {"rate_limiter", json_type_object, false},
                                              {NULL, 0, false}};
    char path[PATH_MAX] = "";
    struct ratelimit_config rl;
    bool has_rl;
    if (api_json_check(body, fields, r) ||
        api_rate_limiter(body, "rate_limiter", &rl, &has_rl, r) ||
        api_json_copy(body, "path_on_host", path, sizeof(path), r))
        return;
    if (strcmp(id, api_json_str(body, "drive_id")) != 0) {
        api_fault(r, "The id from the path does not match the id from the body!");
        return;
    }
    struct vm *vm = api_postboot(s, r);
    if (!vm) return;
    char err[512];
    if (has_rl) {
        if (vm_drive_set_ratelimit(vm, id, &rl, err, sizeof(err))) {
            api_fault(r, "cannot update drive `%.64s`: %s", id, err);
            return;
        }
        for (unsigned k = 0; k < s->ndrives; k++)
            if (strcmp(s->drives[k].d.id, id) == 0) s->drives[k].d.rl = rl;
    }
    if (!path[0]) return;
    if (vm_drive_swap(vm, id, path, err, sizeof(err))) {
        api_fault(r, "cannot update drive `%.64s`: %s", id, err);
        return;
    }
    for (unsigned k = 0; k < s->ndrives; k++)
        if (strcmp(s->drives[k].d.id, id) == 0)
            snprintf(s->drives[k].d.path, sizeof(s->drives[k].d.path), "%s", path);
}

void api_patch_net(struct api_server *s, const char *id, struct json_object *body,
                   struct api_reply *r)
{
    static const struct api_field fields[] = {{"iface_id", json_type_string, true},
                                              {"rx_rate_limiter", json_type_object, false},
                                              {"tx_rate_limiter", json_type_object, false},
                                              {NULL, 0, false}};
    struct ratelimit_config rx, tx;
    bool has_rx, has_tx;
    if (api_json_check(body, fields, r) ||
        api_rate_limiter(body, "rx_rate_limiter", &rx, &has_rx, r) ||
        api_rate_limiter(body, "tx_rate_limiter", &tx, &has_tx, r))
        return;
    if (strcmp(id, api_json_str(body, "iface_id")) != 0) {
        api_fault(r, "The id from the path does not match the id from the body!");
        return;
    }
    struct vm *vm = api_postboot(s, r);
    if (!vm) return;
    char err[512];
    if (vm_net_set_ratelimit(vm, id, has_rx ? &rx : NULL, has_tx ? &tx : NULL, err, sizeof(err))) {
        api_fault(r, "cannot update network interface `%.64s`: %s", id, err);
        return;
    }
    for (unsigned k = 0; k < s->nnets; k++) {
        if (strcmp(s->nets[k].n.id, id) != 0) continue;
        if (has_rx) s->nets[k].n.rx_rl = rx;
        if (has_tx) s->nets[k].n.tx_rl = tx;
    }
}
