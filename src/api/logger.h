/* The API front end's log and metrics outputs, as Firecracker has them:
 * human-readable log lines (`--log-path`/`PUT /logger`) and JSON metrics
 * lines (`--metrics-path`/`PUT /metrics`), each to a file or a named pipe.
 * Owned by the api_server; knows nothing of the resources. */
#ifndef RVMM_API_LOGGER_H
#define RVMM_API_LOGGER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Firecracker's levels (its Logger schema's enum), most severe first. */
enum api_log_level {
    API_LOG_OFF,
    API_LOG_ERROR,
    API_LOG_WARNING,
    API_LOG_INFO,
    API_LOG_DEBUG,
    API_LOG_TRACE
};

#define API_INSTANCE_ID_MAX 64 /* Firecracker's limit on --id */

struct api_logger {
    pthread_mutex_t lock;
    int fd; /* -1: nothing is logged */
    int level;
    bool show_level, show_origin;
    char id[API_INSTANCE_ID_MAX + 1];
    uint64_t missed; /* lines a full pipe would not take */
};

void api_logger_init(struct api_logger *l);
void api_logger_close(struct api_logger *l);
/* Opens path for appending (a named pipe is opened read-write and
 * non-blocking, so neither the open nor a write waits for a reader; a
 * file is created if missing; a device node or a directory is refused
 * without being opened: safe_open_output). Returns the fd or a negative
 * errno. */
int api_output_open(const char *path);
/* The level named (case-insensitively) by text, or -EINVAL. */
int api_log_level_parse(const char *text);
/* Firecracker's instance-id rule: 1 to 64 letters, digits or '-'. */
bool api_instance_id_ok(const char *id);
/* One line: "TIMESTAMP [ID:THREAD(:LEVEL)(:FILE:LINE)] message". */
void api_log_at(struct api_logger *l, enum api_log_level level, const char *file, int line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define api_log(l, level, ...) api_log_at((l), (level), __FILE__, __LINE__, __VA_ARGS__)

#endif
