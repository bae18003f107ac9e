/* The route table: which handler serves a method on a path, as in
 * Firecracker's swagger file (plus GET /stats). A path that names no
 * resource is a 404, a method the resource lacks a 405; PUT and PATCH
 * bodies are parsed here, so handlers get a checked JSON object. */
#include "api/json_util.h"

#include <string.h>

struct api_route {
    const char *method;
    const char *path; /* a trailing '/' takes one {id} segment */
    api_handler *fn;
};

static const struct api_route routes[] = {
    {"GET", "/", api_get_instance},
    {"PUT", "/actions", api_put_actions},
    {"GET", "/machine-config", api_get_machine_config},
    {"PUT", "/machine-config", api_put_machine_config},
    {"PATCH", "/machine-config", api_patch_machine_config},
    {"PUT", "/boot-source", api_put_boot_source},
    {"PUT", "/drives/", api_put_drive},
    {"PUT", "/network-interfaces/", api_put_net},
    {"PATCH", "/vm", api_patch_vm},
    {"GET", "/vm/config", api_get_vm_config},
    {"PUT", "/snapshot/create", api_put_snapshot_create},
    {"PUT", "/snapshot/load", api_put_snapshot_load},
    {"GET", "/stats", api_get_stats},
    {"GET", "/version", api_get_version},
    {"PUT", "/logger", api_put_logger},
    {"PUT", "/metrics", api_put_metrics},
    {"PUT", "/entropy", api_put_entropy},
    {"PUT", "/serial", api_put_serial},
    {"PATCH", "/drives/", api_patch_drive},
    {"PATCH", "/network-interfaces/", api_patch_net},
    {"PUT", "/migration/send", api_put_migration_send},
    {"PUT", "/migration/receive", api_put_migration_receive},
    {"GET", "/migration", api_get_migration},
    {"PATCH", "/migration", api_patch_migration},
    {"PUT", "/balloon", api_put_balloon},
    {"PATCH", "/balloon", api_patch_balloon},
    {"GET", "/balloon", api_get_balloon},
    {"GET", "/balloon/statistics", api_get_balloon_stats},
    {"PUT", "/vsock", api_put_vsock},
    {"PATCH", "/balloon/statistics", api_patch_balloon_stats},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Does url name the resource of route path? Sets *id for an {id} route. */
static bool api_path_match(const char *path, const char *url, const char **id)
{
    size_t n = strlen(path);
    *id = NULL;
    if (n > 1 && path[n - 1] == '/') {
        if (strncmp(url, path, n) != 0 || !url[n] || strchr(url + n, '/')) return false;
        *id = url + n;
        return true;
    }
    return strcmp(url, path) == 0;
}

bool api_route_exists(const char *method, const char *url)
{
    const char *id;
    for (size_t k = 0; k < NROUTES; k++)
        if (strcmp(routes[k].method, method) == 0 && api_path_match(routes[k].path, url, &id))
            return true;
    return false;
}

static void api_route_one(struct api_server *s, const char *method, const char *url,
                          const char *body, size_t len, struct api_reply *r)
{
    const struct api_route *hit = NULL;
    const char *id = NULL;
    bool known = false;
    for (size_t k = 0; k < NROUTES; k++) {
        const char *rid;
        if (!api_path_match(routes[k].path, url, &rid)) continue;
        known = true;
        size_t n = strlen(r->allow);
        snprintf(r->allow + n, sizeof(r->allow) - n, "%s%s", n ? ", " : "", routes[k].method);
        if (strcmp(routes[k].method, method) == 0) {
            hit = &routes[k];
            id = rid;
        }
    }
    if (!hit) {
        if (known) {
            api_fault(r, "%.16s is not allowed on %.200s", method, url);
            r->status = 405;
        } else {
            api_fault(r, "no resource at %.200s", url);
            r->status = 404;
        }
        return;
    }
    struct json_object *obj = NULL;
    if (strcmp(method, "GET") != 0) {
        obj = api_json_parse(body, len, r);
        if (!obj) return;
    }
    r->status = 204;
    hit->fn(s, id, obj, r);
    json_object_put(obj);
}

void api_route(struct api_server *s, const char *method, const char *url, const char *body,
               size_t len, struct api_reply *r)
{
    api_route_one(s, method, url, body, len, r);
    struct json_object *m =
        r->status >= 300 && r->body ? json_object_object_get(r->body, "fault_message") : NULL;
    api_log(&s->log, m ? API_LOG_ERROR : API_LOG_INFO, "%.16s %.200s: %u%s%s", method, url,
            r->status, m ? " " : "", m ? json_object_get_string(m) : "");
}
