/* Log lines in Firecracker's layout (see logger.h). A line is written with
 * one write() so lines from the API thread and the VM's thread never mix;
 * a pipe nobody drains drops lines (counted) instead of stalling rvmm. */
#include "api/logger.h"

#include "common/safe_open.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {
    [API_LOG_OFF] = "Off",   [API_LOG_ERROR] = "Error", [API_LOG_WARNING] = "Warn",
    [API_LOG_INFO] = "Info", [API_LOG_DEBUG] = "Debug", [API_LOG_TRACE] = "Trace"};

void api_logger_init(struct api_logger *l)
{
    memset(l, 0, sizeof(*l));
    pthread_mutex_init(&l->lock, NULL);
    l->fd = -1;
    l->level = API_LOG_INFO;
    snprintf(l->id, sizeof(l->id), "anonymous-instance");
}

void api_logger_close(struct api_logger *l)
{
    if (l->fd >= 0) close(l->fd);
    l->fd = -1;
    pthread_mutex_destroy(&l->lock);
}

int api_output_open(const char *path)
{
    char err[PATH_MAX + 100];
    return safe_open_output(path, err, sizeof(err));
}

int api_log_level_parse(const char *text)
{
    /* Firecracker takes its names case-insensitively, and "Warning". */
    if (strcasecmp(text, "warning") == 0) return API_LOG_WARNING;
    for (size_t k = 0; k < sizeof(level_names) / sizeof(level_names[0]); k++)
        if (strcasecmp(text, level_names[k]) == 0) return (int)k;
    return -EINVAL;
}

bool api_instance_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > API_INSTANCE_ID_MAX) return false;
    for (; *id; id++)
        if (!isalnum((unsigned char)*id) && *id != '-') return false;
    return true;
}

void api_log_at(struct api_logger *l, enum api_log_level level, const char *file, int line,
                const char *fmt, ...)
{
    pthread_mutex_lock(&l->lock);
    if (l->fd < 0 || level == API_LOG_OFF || (int)level > l->level) {
        pthread_mutex_unlock(&l->lock);
        return;
    }
    char buf[2048], thread[16] = "?";
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    pthread_getname_np(pthread_self(), thread, sizeof(thread));
    int n = (int)strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    n += snprintf(buf + n, sizeof(buf) - (size_t)n, ".%09ld [%s:%s", ts.tv_nsec, l->id, thread);
    if (l->show_level) n += snprintf(buf + n, sizeof(buf) - (size_t)n, ":%s", level_names[level]);
    if (l->show_origin) {
        const char *base = strrchr(file, '/');
        n += snprintf(buf + n, sizeof(buf) - (size_t)n, ":%s:%d", base ? base + 1 : file, line);
    }
    n += snprintf(buf + n, sizeof(buf) - (size_t)n, "] ");
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    n = (m < 0 || (size_t)(n + m) >= sizeof(buf) - 1) ? (int)sizeof(buf) - 2 : n + m;
    buf[n++] = '\n';
    if (write(l->fd, buf, (size_t)n) != n) l->missed++;
    pthread_mutex_unlock(&l->lock);
}
