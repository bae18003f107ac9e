/* Firecracker's vsock resource: PUT /vsock {guest_cid, uds_path} before
 * boot (the deprecated vsock_id is accepted and ignored, as Firecracker
 * does), its echo in GET /vm/config, and the uds_path of a snapshot load's
 * vsock_override. The device and its host side are the VMM's
 * (machine/virtio/virtio_vsock.c, backend/vsock/vsock_mux.c). */
#include "api/json_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/un.h>

/* Room for "<uds_path>_<port>" (the guest's connections to host ports). */
#define API_UDS_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 12)

static int api_vsock_path(struct json_object *body, char *dst, size_t size, struct api_reply *r)
{
    if (api_json_copy(body, "uds_path", dst, size, r)) return -1;
    if (!dst[0] || strlen(dst) > API_UDS_MAX)
        return api_fault(r,
                         "uds_path must be 1 to %zu characters (a unix socket path, with "
                         "room for \"_<port>\")",
                         API_UDS_MAX);
    return 0;
}

void api_put_vsock(struct api_server *s, const char *id, struct json_object *body,
                   struct api_reply *r)
{
    static const struct api_field fields[] = {{"guest_cid", json_type_int, true},
                                              {"uds_path", json_type_string, true},
                                              {"vsock_id", json_type_string, false},
                                              {NULL, 0, false}};
    char path[sizeof(s->cfg.vsock.uds_path)];
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_vsock_path(body, path, sizeof(path), r))
        return;
    /* 0-2 are the hypervisor, the local loopback and the host (vsock(7)). */
    int64_t cid = api_json_int(body, "guest_cid", 0);
    if (cid < 3 || cid > UINT32_MAX - 1) {
        api_fault(r, "guest_cid must be from 3 to 4294967294 (0-2 are reserved)");
        return;
    }
    s->cfg.vsock.on = true;
    s->cfg.vsock.cid = (uint32_t)cid;
    snprintf(s->cfg.vsock.uds_path, sizeof(s->cfg.vsock.uds_path), "%s", path);
    s->configured = true;
}

struct json_object *api_vsock_json(const struct vm_config *c)
{
    if (!c->vsock.on) return NULL;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "guest_cid", json_object_new_int64(c->vsock.cid));
    json_object_object_add(o, "uds_path", json_object_new_string(c->vsock.uds_path));
    return o;
}

int api_vsock_override(struct json_object *body, struct vm_config *over, struct api_reply *r)
{
    static const struct api_field fields[] = {{"uds_path", json_type_string, true},
                                              {NULL, 0, false}};
    struct json_object *o = json_object_object_get(body, "vsock_override");
    if (!o) return 0;
    if (api_json_check(o, fields, r) ||
        api_vsock_path(o, over->vsock.uds_path, sizeof(over->vsock.uds_path), r))
        return -1;
    over->vsock.on = true;
    return 0;
}
