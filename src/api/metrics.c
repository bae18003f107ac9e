/* PUT /metrics and the metrics it starts, as Firecracker writes them: one
 * JSON object per line to a file or named pipe, every API_METRICS_PERIOD
 * seconds from a thread of its own, on the FlushMetrics action, and once
 * more when the API ends. A line holds `utc_timestamp_ms` and the counters
 * of GET /stats (api_stats_json), so the two never disagree. */
#include "api/json_util.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Firecracker's metrics period. */
#define API_METRICS_PERIOD 60

/* Writes one line; s->mlock held. */
static int api_metrics_write(struct api_server *s)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct vm *vm = api_vm(s);
    struct json_object *o = vm ? api_stats_json(vm) : json_object_new_object();
    if (!o) return -ENOMEM;
    json_object_object_add(
        o, "utc_timestamp_ms",
        json_object_new_uint64((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000));
    size_t len;
    const char *text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
    /* One write per line: a reader of a pipe never sees half of one. */
    struct iovec iov[2] = {{(void *)text, len}, {"\n", 1}};
    ssize_t n = writev(s->metrics_fd, iov, 2);
    int rc = n == (ssize_t)len + 1 ? 0 : n < 0 ? -errno : -EIO;
    json_object_put(o);
    return rc;
}

static void *api_metrics_main(void *arg)
{
    struct api_server *s = arg;
    pthread_mutex_lock(&s->mlock);
    while (!s->metrics_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += API_METRICS_PERIOD;
        int rc = 0;
        while (!s->metrics_stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&s->mcond, &s->mlock, &ts);
        if (!s->metrics_stop) api_metrics_write(s);
    }
    pthread_mutex_unlock(&s->mlock);
    return NULL;
}

void api_put_metrics(struct api_server *s, const char *id, struct json_object *body,
                     struct api_reply *r)
{
    static const struct api_field fields[] = {{"metrics_path", json_type_string, true},
                                              {NULL, 0, false}};
    char path[PATH_MAX];
    if (api_json_check(body, fields, r) ||
        api_json_copy(body, "metrics_path", path, sizeof(path), r))
        return;
    pthread_mutex_lock(&s->mlock);
    bool have = s->metrics_fd >= 0;
    pthread_mutex_unlock(&s->mlock);
    if (have) {
        api_fault(r, "Reinitialization of metrics not allowed.");
        return;
    }
    int fd = api_output_open(path);
    if (fd < 0) {
        api_fault(r, "metrics_path %.256s: %s", path, strerror(-fd));
        return;
    }
    pthread_mutex_lock(&s->mlock);
    s->metrics_fd = fd;
    snprintf(s->metrics_path, sizeof(s->metrics_path), "%s", path);
    s->metrics_stop = false;
    s->metrics_thread_on = pthread_create(&s->metrics_thread, NULL, api_metrics_main, s) == 0;
    pthread_mutex_unlock(&s->mlock);
    if (!s->metrics_thread_on)
        api_log(&s->log, API_LOG_WARNING, "no metrics thread: metrics only on FlushMetrics");
    api_log(&s->log, API_LOG_INFO, "metrics go to %s", path);
}

int api_metrics_flush(struct api_server *s, struct api_reply *r)
{
    pthread_mutex_lock(&s->mlock);
    int rc = s->metrics_fd < 0 ? -ENOENT : api_metrics_write(s);
    pthread_mutex_unlock(&s->mlock);
    if (rc == -ENOENT) return api_fault(r, "The metrics system is not initialized (PUT /metrics).");
    if (rc) return api_fault(r, "cannot write the metrics: %s", strerror(-rc));
    return 0;
}

void api_metrics_stop(struct api_server *s)
{
    pthread_mutex_lock(&s->mlock);
    bool join = s->metrics_thread_on;
    s->metrics_stop = true;
    s->metrics_thread_on = false;
    pthread_cond_broadcast(&s->mcond);
    pthread_mutex_unlock(&s->mlock);
    if (join) pthread_join(s->metrics_thread, NULL);
    pthread_mutex_lock(&s->mlock);
    if (s->metrics_fd >= 0) {
        api_metrics_write(s);
        close(s->metrics_fd);
        s->metrics_fd = -1;
    }
    pthread_mutex_unlock(&s->mlock);
}
