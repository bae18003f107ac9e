/* --config-file: Firecracker's JSON configuration, one section per
 * resource ("boot-source", "machine-config", "drives", ...), applied by
 * sending each section to the API's own handlers as the PUT request it
 * stands for, then InstanceStart. There is no second parser: a section is
 * accepted or refused exactly as the request would be. A section whose
 * resource rvmm does not serve yet is refused, by name, before anything is
 * applied. */
#include "api/json_util.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define API_CONFIG_MAX (1u << 20)

/* Sections that are lists of devices, each PUT on /SECTION/{id}. */
static const struct {
    const char *section, *id_field;
} list_sections[] = {{"drives", "drive_id"}, {"network-interfaces", "iface_id"}, {"pmem", "id"}};

/* Firecracker's order: outputs first (so they see the rest), the machine,
 * then its devices; sections not named here follow in file order. */
static const char *const first_sections[] = {"logger",      "metrics", "machine-config",
                                             "boot-source", "drives",  "network-interfaces"};

static const char *api_list_id(const char *section)
{
    for (size_t k = 0; k < sizeof(list_sections) / sizeof(list_sections[0]); k++)
        if (strcmp(list_sections[k].section, section) == 0) return list_sections[k].id_field;
    return NULL;
}

/* The file through the one safe read (a FIFO or a device is refused, not
 * waited on), bounded before reading; err names the option. */
static char *api_read_config(const char *path, size_t *len, char *err, size_t errlen)
{
    uint8_t *buf;
    char why[PATH_MAX + 128];
    if (safe_read_file(path, API_CONFIG_MAX, &buf, len, why, sizeof(why))) {
        snprintf(err, errlen, "--config-file %s", why);
        return NULL;
    }
    return (char *)buf;
}

/* Runs PUT url with body; err names the file and section on a refusal. */
static int api_config_put(struct api_server *s, const char *file, const char *url,
                          struct json_object *body, const char *what, char *err, size_t errlen)
{
    char where[PATH_MAX + 256];
    snprintf(where, sizeof(where), "--config-file %s: %s", file, what);
    return api_run_request(s, "PUT", url, body, where, err, errlen);
}

static int api_config_section(struct api_server *s, const char *file, const char *name,
                              struct json_object *val, char *err, size_t errlen)
{
    char url[256], what[192];
    const char *id_field = api_list_id(name);
    if (!id_field) {
        snprintf(url, sizeof(url), "/%s", name);
        snprintf(what, sizeof(what), "section `%s`", name);
        if (!json_object_is_type(val, json_type_object)) {
            snprintf(err, errlen, "--config-file %s: %s must be an object", file, what);
            return -EINVAL;
        }
        return api_config_put(s, file, url, val, what, err, errlen);
    }
    if (!json_object_is_type(val, json_type_array)) {
        snprintf(err, errlen, "--config-file %s: section `%s` must be a list", file, name);
        return -EINVAL;
    }
    for (size_t k = 0; k < json_object_array_length(val); k++) {
        struct json_object *item = json_object_array_get_idx(val, k);
        struct json_object *idv = json_object_is_type(item, json_type_object)
                                      ? json_object_object_get(item, id_field)
                                      : NULL;
        if (!json_object_is_type(idv, json_type_string) ||
            strchr(json_object_get_string(idv), '/')) {
            snprintf(err, errlen, "--config-file %s: `%s` item %zu needs a string `%s`", file, name,
                     k, id_field);
            return -EINVAL;
        }
        const char *id = json_object_get_string(idv);
        snprintf(url, sizeof(url), "/%s/%.128s", name, id);
        snprintf(what, sizeof(what), "`%s` item `%.64s`", name, id);
        int rc = api_config_put(s, file, url, item, what, err, errlen);
        if (rc) return rc;
    }
    return 0;
}

int api_config_file(struct api_server *s, const char *file, char *err, size_t errlen)
{
    size_t len;
    char *text = api_read_config(file, &len, err, errlen);
    if (!text) return -EINVAL;
    struct api_reply r = {.status = 204};
    struct json_object *cfg = api_json_parse(text, len, &r);
    free(text);
    if (!cfg) {
        struct json_object *m = json_object_object_get(r.body, "fault_message");
        snprintf(err, errlen, "--config-file %s: %s", file, json_object_get_string(m));
        json_object_put(r.body);
        return -EINVAL;
    }
    int rc = 0;
    /* Every section must name a resource rvmm serves, before any applies. */
    json_object_object_foreach(cfg, name, val)
    {
        (void)val;
        char url[256];
        snprintf(url, sizeof(url), api_list_id(name) ? "/%.200s/x" : "/%.200s", name);
        if (strchr(name, '/') || !api_route_exists("PUT", url)) {
            snprintf(err, errlen, "--config-file %s: section `%.64s` is not supported by rvmm",
                     file, name);
            rc = -EINVAL;
            goto out;
        }
    }
    for (size_t k = 0; k < sizeof(first_sections) / sizeof(first_sections[0]); k++) {
        struct json_object *val = json_object_object_get(cfg, first_sections[k]);
        if (val && (rc = api_config_section(s, file, first_sections[k], val, err, errlen)))
            goto out;
    }
    json_object_object_foreach(cfg, name2, val2)
    {
        bool done = false;
        for (size_t k = 0; k < sizeof(first_sections) / sizeof(first_sections[0]); k++)
            done |= strcmp(first_sections[k], name2) == 0;
        if (!done && (rc = api_config_section(s, file, name2, val2, err, errlen))) goto out;
    }
    /* The VM is the caller's to run once InstanceStart built it. */
    s->file_boot = true;
    struct json_object *start = json_object_new_object();
    json_object_object_add(start, "action_type", json_object_new_string("InstanceStart"));
    rc = api_config_put(s, file, "/actions", start, "InstanceStart", err, errlen);
    json_object_put(start);
    s->file_boot = false;
out:
    json_object_put(cfg);
    return rc;
}
