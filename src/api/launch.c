/* Firecracker's launch flags and the small resources they share with the
 * API: GET /version, PUT /logger, and api_server_launch(), which turns
 * --log-path/--level/..., --metrics-path and --config-file into the very
 * requests they stand for, so the command line, a config file and a
 * client's requests are checked by one code path. */
#include "api/json_util.h"
#include "common/version.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void api_get_version(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "firecracker_version", json_object_new_string(RVMM_FC_VERSION));
    api_reply_json(r, o);
}

void api_put_logger(struct api_server *s, const char *id, struct json_object *body,
                    struct api_reply *r)
{
    static const struct api_field fields[] = {
        {"log_path", json_type_string, false},    {"level", json_type_string, false},
        {"show_level", json_type_boolean, false}, {"show_log_origin", json_type_boolean, false},
        {"module", json_type_string, false},      {NULL, 0, false}};
    char path[PATH_MAX] = "";
    if (api_json_check(body, fields, r) || api_json_copy(body, "log_path", path, sizeof(path), r))
        return;
    const char *ltext = api_json_str(body, "level");
    int level = ltext ? api_log_level_parse(ltext) : API_LOG_INFO;
    if (level < 0) {
        api_fault(r, "level `%.32s` is not one of Error, Warning, Info, Debug, Trace, Off", ltext);
        return;
    }
    if (api_json_str(body, "module")) {
        api_fault(r, "module: rvmm cannot filter its log by module; leave the field out");
        return;
    }
    /* Without a path the log goes where it went (stderr if nowhere yet). */
    int fd = path[0] ? api_output_open(path) : -1;
    if (path[0] && fd < 0) {
        api_fault(r, "log_path %.256s: %s", path, strerror(-fd));
        return;
    }
    struct api_logger *l = &s->log;
    pthread_mutex_lock(&l->lock);
    if (fd >= 0 || l->fd < 0) {
        if (l->fd >= 0) close(l->fd);
        l->fd = fd >= 0 ? fd : fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    }
    l->level = level;
    l->show_level = api_json_bool(body, "show_level", false);
    l->show_origin = api_json_bool(body, "show_log_origin", false);
    if (path[0]) snprintf(s->log_path, sizeof(s->log_path), "%s", path);
    pthread_mutex_unlock(&l->lock);
    api_log(l, API_LOG_INFO, "Running rvmm %s (Firecracker API %s)", RVMM_VERSION, RVMM_FC_VERSION);
}

/* Firecracker's line for its boot timer (its logger, Info level). */
static void api_boot_timer_log(void *opaque, uint64_t us, uint64_t cpu_us)
{
    struct api_server *s = opaque;
    api_log(&s->log, API_LOG_INFO, "Guest-boot-time = %6llu us %llu ms, %6llu CPU us %llu CPU ms",
            (unsigned long long)us, (unsigned long long)(us / 1000), (unsigned long long)cpu_us,
            (unsigned long long)(cpu_us / 1000));
}

void api_boot_timer_attach(struct api_server *s, struct vm *vm)
{
    if (vm_get_config(vm)->board.boot_timer) vm_set_boot_timer_hook(vm, api_boot_timer_log, s);
}

int api_run_request(struct api_server *s, const char *method, const char *url,
                    struct json_object *body, const char *what, char *err, size_t errlen)
{
    struct api_reply r = {.status = 204};
    size_t len;
    const char *text = json_object_to_json_string_length(body, JSON_C_TO_STRING_PLAIN, &len);
    api_route(s, method, url, text, len, &r);
    int rc = 0;
    if (r.status >= 300) {
        struct json_object *m = r.body ? json_object_object_get(r.body, "fault_message") : NULL;
        snprintf(err, errlen, "%s: %s", what, m ? json_object_get_string(m) : "refused");
        rc = -EINVAL;
    }
    json_object_put(r.body);
    return rc;
}

int api_server_launch(struct api_server *s, const struct api_launch *l, char *err, size_t errlen)
{
    if (l->id) {
        if (!api_instance_id_ok(l->id)) {
            snprintf(err, errlen, "--id %.80s: 1 to %d letters, digits or '-'", l->id,
                     API_INSTANCE_ID_MAX);
            return -EINVAL;
        }
        snprintf(s->log.id, sizeof(s->log.id), "%s", l->id);
    }
    int rc = 0;
    if (l->log_path || l->level || l->show_level || l->show_log_origin) {
        struct json_object *o = json_object_new_object();
        if (l->log_path) json_object_object_add(o, "log_path", json_object_new_string(l->log_path));
        if (l->level) json_object_object_add(o, "level", json_object_new_string(l->level));
        json_object_object_add(o, "show_level", json_object_new_boolean(l->show_level));
        json_object_object_add(o, "show_log_origin", json_object_new_boolean(l->show_log_origin));
        rc = api_run_request(s, "PUT", "/logger", o, "--log-path/--level", err, errlen);
        json_object_put(o);
        if (rc) return rc;
    }
    if (l->metrics_path) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "metrics_path", json_object_new_string(l->metrics_path));
        rc = api_run_request(s, "PUT", "/metrics", o, "--metrics-path", err, errlen);
        json_object_put(o);
        if (rc) return rc;
    }
    if (l->boot_timer) {
        s->cfg.board.boot_timer = true;
        if (s->vm) api_boot_timer_attach(s, s->vm);
    }
    return l->config_file ? api_config_file(s, l->config_file, err, errlen) : 0;
}
