/* Pre-boot devices: PUT /drives/{id} (a struct vm_drive) and PUT
 * /network-interfaces/{id} (a struct vm_net). A PUT on a known id replaces
 * that device; ids and names that end up in option strings are limited to
 * characters that cannot split them. */
#include "api/json_util.h"
#include "backend/block/blockdev.h"
#include "backend/net/netdev.h"
#include "common/safe_open.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool api_name_ok(const char *s, const char *extra)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && !strchr(extra, *s)) return false;
    return true;
}

/* The id in the path must be the one in the body, as in Firecracker. */
static int api_check_id(const char *path_id, const char *body_id, struct api_reply *r)
{
    if (strlen(path_id) >= API_ID_MAX || !api_name_ok(path_id, ""))
        return api_fault(r, "the id must be 1 to %d letters, digits or '_'", API_ID_MAX - 1);
    if (strcmp(path_id, body_id) != 0)
        return api_fault(r, "The id from the path does not match the id from the body!");
    return 0;
}

void api_put_drive(struct api_server *s, const char *id, struct json_object *body,
                   struct api_reply *r)
{
    static const struct api_field fields[] = {{"drive_id", json_type_string, true},
                                              {"path_on_host", json_type_string, false},
                                              {"is_root_device", json_type_boolean, true},
                                              {"is_read_only", json_type_boolean, false},
                                              {"partuuid", json_type_string, false},
                                              {"cache_type", json_type_string, false},
                                              {"io_engine", json_type_string, false},
                                              {"format", json_type_string, false},
                                              {"rate_limiter", json_type_object, false},
                                              {"socket", json_type_string, false},
                                              {NULL, 0, false}};
    static const char *const cache_types[] = {"Unsafe", "Writeback", NULL};
    static const char *const io_engines[] = {"Sync", "Async", NULL};
    struct api_drive d = {0};
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_check_id(id, api_json_str(body, "drive_id"), r) ||
        api_rate_limiter(body, "rate_limiter", &d.d.rl, NULL, r) ||
        api_json_enum(body, "cache_type", cache_types, &d.cache_type, r) ||
        api_json_enum(body, "io_engine", io_engines, &d.io_engine, r))
        return;
    if (api_json_str(body, "socket")) {
        api_fault(r, "socket: rvmm has no vhost-user-block; give path_on_host");
        return;
    }
    if (!api_json_str(body, "path_on_host")) {
        api_fault(r, "missing field `path_on_host`");
        return;
    }
    if (api_json_copy(body, "partuuid", d.partuuid, sizeof(d.partuuid), r) ||
        api_json_copy(body, "path_on_host", d.d.path, sizeof(d.d.path), r))
        return;
    snprintf(d.d.id, sizeof(d.d.id), "%s", id);
    d.root = api_json_bool(body, "is_root_device", false);
    d.d.readonly = api_json_bool(body, "is_read_only", false);
    const char *fmt = api_json_str(body, "format");
    if (!fmt || strcmp(fmt, "auto") == 0)
        d.d.format = BLOCKDEV_AUTO; /* probed when the VM opens it */
    else if (strcmp(fmt, "raw") == 0)
        d.d.format = BLOCKDEV_RAW;
    else if (strcmp(fmt, "qcow2") == 0)
        d.d.format = BLOCKDEV_QCOW2;
    else {
        api_fault(r, "format must be \"raw\", \"qcow2\" or \"auto\"");
        return;
    }
    if (d.partuuid[0] && !api_name_ok(d.partuuid, "-")) {
        api_fault(r, "partuuid must be letters, digits and '-'");
        return;
    }
    char why[PATH_MAX + 100];
    int fd = safe_open(d.d.path, d.d.readonly ? O_RDONLY : O_RDWR, SAFE_REG | SAFE_BLK, 0, NULL,
                       NULL, why, sizeof(why));
    if (fd < 0) {
        api_fault(r, "path_on_host %.512s", why);
        return;
    }
    close(fd);
    unsigned slot = 0;
    while (slot < s->ndrives && strcmp(s->drives[slot].d.id, id) != 0)
        slot++;
    for (unsigned k = 0; k < s->ndrives; k++)
        if (k != slot && d.root && s->drives[k].root) {
            api_fault(r, "A root block device already exists!");
            return;
        }
    if (slot == s->ndrives && s->ndrives == VM_MAX_DRIVES) {
        api_fault(r, "at most %d drives", VM_MAX_DRIVES);
        return;
    }
    s->drives[slot] = d;
    if (slot == s->ndrives) s->ndrives++;
    s->configured = true;
}

static int api_parse_mac(const char *text, uint8_t mac[6], struct api_reply *r)
{
    unsigned b[6];
    char end;
    if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) !=
            6 ||
        strlen(text) != 17)
        return api_fault(r, "guest_mac must look like 06:00:ac:10:00:02");
    if (b[0] & 1) return api_fault(r, "guest_mac must be a unicast address");
    for (int k = 0; k < 6; k++)
        mac[k] = (uint8_t)b[k];
    return 0;
}

/* host_dev_name names a tap device; rvmm's own "user_mode": true asks for
 * user-mode NAT instead (libslirp), with optional "hostfwd" rules such as
 * "tcp::2222-:22". */
void api_put_net(struct api_server *s, const char *id, struct json_object *body,
                 struct api_reply *r)
{
    static const struct api_field fields[] = {{"iface_id", json_type_string, true},
                                              {"host_dev_name", json_type_string, false},
                                              {"guest_mac", json_type_string, false},
                                              {"user_mode", json_type_boolean, false},
                                              {"hostfwd", json_type_array, false},
                                              {"mtu", json_type_int, false},
                                              {"rx_rate_limiter", json_type_object, false},
                                              {"tx_rate_limiter", json_type_object, false},
                                              {NULL, 0, false}};
    struct api_net n = {0};
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_check_id(id, api_json_str(body, "iface_id"), r) ||
        api_rate_limiter(body, "rx_rate_limiter", &n.n.rx_rl, NULL, r) ||
        api_rate_limiter(body, "tx_rate_limiter", &n.n.tx_rl, NULL, r) ||
        api_json_copy(body, "host_dev_name", n.host_dev_name, sizeof(n.host_dev_name), r))
        return;
    snprintf(n.n.id, sizeof(n.n.id), "%s", id);
    n.mtu = api_json_int(body, "mtu", 0);
    if (json_object_object_get(body, "mtu") && (n.mtu < 68 || n.mtu > 65535)) {
        api_fault(r, "mtu must be from 68 to 65535");
        return;
    }
    n.n.mtu = (uint16_t)n.mtu; /* offered with VIRTIO_NET_F_MTU */
    n.user_mode = api_json_bool(body, "user_mode", false);
    const char *mac = api_json_str(body, "guest_mac");
    if (mac) {
        if (api_parse_mac(mac, n.n.mac, r)) return;
        n.n.has_mac = true;
    }
    if (n.user_mode == (n.host_dev_name[0] != '\0')) {
        api_fault(r, "give either host_dev_name (a tap device) or \"user_mode\": true");
        return;
    }
    struct json_object *fwd = json_object_object_get(body, "hostfwd");
    if (fwd && !n.user_mode) {
        api_fault(r, "hostfwd needs \"user_mode\": true");
        return;
    }
    if (n.user_mode && n.mtu > NET_SLIRP_MTU_MAX) {
        api_fault(r, "mtu: user-mode NAT (libslirp) takes at most %d", NET_SLIRP_MTU_MAX);
        return;
    }
    if (n.user_mode) {
        size_t len = (size_t)snprintf(n.n.spec, sizeof(n.n.spec), "user");
        for (size_t k = 0; fwd && k < json_object_array_length(fwd); k++) {
            struct json_object *rule = json_object_array_get_idx(fwd, k);
            const char *t = json_object_get_string(rule);
            if (!json_object_is_type(rule, json_type_string) || !api_name_ok(t, ":-.")) {
                api_fault(r, "hostfwd rules look like \"tcp::2222-:22\"");
                return;
            }
            char why[512];
            if (net_slirp_check_hostfwd(t, why, sizeof(why))) {
                api_fault(r, "%s", why);
                return;
            }
            len += (size_t)snprintf(n.n.spec + len, sizeof(n.n.spec) - len, ",hostfwd=%s", t);
            if (len >= sizeof(n.n.spec)) {
                api_fault(r, "too many hostfwd rules");
                return;
            }
        }
    } else {
        if (!api_name_ok(n.host_dev_name, "-.")) {
            api_fault(r, "host_dev_name must be a network interface name");
            return;
        }
        snprintf(n.n.spec, sizeof(n.n.spec), "tap,ifname=%s", n.host_dev_name);
    }
    unsigned slot = 0;
    while (slot < s->nnets && strcmp(s->nets[slot].n.id, id) != 0)
        slot++;
    if (slot == s->nnets && s->nnets == VM_MAX_NETS) {
        api_fault(r, "at most %d network interfaces", VM_MAX_NETS);
        return;
    }
    s->nets[slot] = n;
    if (slot == s->nnets) s->nnets++;
    s->configured = true;
}

struct json_object *api_drives_json(const struct api_server *s)
{
    static const char *const formats[] = {
        [BLOCKDEV_AUTO] = "auto", [BLOCKDEV_RAW] = "raw", [BLOCKDEV_QCOW2] = "qcow2"};
    struct json_object *a = json_object_new_array();
    for (unsigned k = 0; k < s->ndrives; k++) {
        const struct api_drive *d = &s->drives[k];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "drive_id", json_object_new_string(d->d.id));
        json_object_object_add(o, "path_on_host", json_object_new_string(d->d.path));
        json_object_object_add(o, "is_root_device", json_object_new_boolean(d->root));
        json_object_object_add(o, "is_read_only", json_object_new_boolean(d->d.readonly));
        if (d->partuuid[0])
            json_object_object_add(o, "partuuid", json_object_new_string(d->partuuid));
        if (d->d.format >= 0 && d->d.format < 3)
            json_object_object_add(o, "format", json_object_new_string(formats[d->d.format]));
        json_object_object_add(o, "cache_type",
                               json_object_new_string(d->cache_type ? d->cache_type : "Unsafe"));
        json_object_object_add(o, "io_engine",
                               json_object_new_string(d->io_engine ? d->io_engine : "Sync"));
        api_rate_limiter_json(o, "rate_limiter", &d->d.rl);
        json_object_array_add(a, o);
    }
    return a;
}

struct json_object *api_nets_json(const struct api_server *s)
{
    struct json_object *a = json_object_new_array();
    for (unsigned k = 0; k < s->nnets; k++) {
        const struct api_net *n = &s->nets[k];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "iface_id", json_object_new_string(n->n.id));
        if (n->host_dev_name[0])
            json_object_object_add(o, "host_dev_name", json_object_new_string(n->host_dev_name));
        if (n->user_mode) json_object_object_add(o, "user_mode", json_object_new_boolean(true));
        if (n->mtu) json_object_object_add(o, "mtu", json_object_new_int64(n->mtu));
        if (n->n.has_mac) {
            char mac[18];
            const uint8_t *m = n->n.mac;
            snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
                     m[4], m[5]);
            json_object_object_add(o, "guest_mac", json_object_new_string(mac));
        }
        api_rate_limiter_json(o, "rx_rate_limiter", &n->n.rx_rl);
        api_rate_limiter_json(o, "tx_rate_limiter", &n->n.tx_rl);
        json_object_array_add(a, o);
    }
    return a;
}
