/* The API's transport: the unix socket, libmicrohttpd serving it on its own
 * thread (one request at a time, so handlers never race each other), the
 * request body collected, the reply sent, and the hand-over of a built VM
 * to the thread that runs it. Knows nothing of the resources. */
#include "api/handlers.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bodies are small JSON objects; anything larger is refused unread. */
#define API_BODY_MAX 65536
/* A client that connects and goes quiet holds a slot this long; one past
 * the limit is turned away. */
#define API_IDLE_SECONDS 30u
#define API_MAX_CLIENTS  64u

struct api_conn {
    char *buf;
    size_t len;
    bool too_big;
};

int api_fault(struct api_reply *r, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_object_put(r->body);
    r->status = 400;
    r->body = json_object_new_object();
    json_object_object_add(r->body, "fault_message", json_object_new_string(msg));
    return -EINVAL;
}

void api_reply_json(struct api_reply *r, struct json_object *body)
{
    json_object_put(r->body);
    r->status = 200;
    r->body = body;
}

static enum MHD_Result api_send(struct MHD_Connection *c, const struct api_reply *r)
{
    const char *text =
        r->body ? json_object_to_json_string_ext(r->body, JSON_C_TO_STRING_PLAIN) : "";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    if (r->body) MHD_add_response_header(resp, "Content-Type", "application/json");
    if (r->status == 405) MHD_add_response_header(resp, "Allow", r->allow);
    enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* What a URL that decodes to a NUL byte becomes: no route starts with it. */
#define API_NUL_URL "\x7f\x7f"

static int api_hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes the path in place, as libmicrohttpd's own unescaper
 * does, except that a %00 would cut the C string the handlers see short
 * ("/drives/a%00b" read as "/drives/a"): such a URL becomes API_NUL_URL,
 * which api_on_request answers with a 400. */
static size_t api_unescape(void *cls, struct MHD_Connection *c, char *uri)
{
    (void)cls, (void)c;
    char *w = uri;
    for (const char *p = uri; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = api_hex(p[1])) >= 0 && (lo = api_hex(p[2])) >= 0) {
            char v = (char)(hi << 4 | lo);
            if (!v) {
                /* uri holds at least "%00" and its NUL: room for the marker. */
                memcpy(uri, API_NUL_URL, sizeof(API_NUL_URL));
                return sizeof(API_NUL_URL) - 1;
            }
            *w++ = v;
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    return (size_t)(w - uri);
}

/* libmicrohttpd calls this once for the headers, once per chunk of body,
 * and once more when the body is complete. */
static enum MHD_Result api_on_request(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, void **ctx)
{
    struct api_server *s = cls;
    struct api_conn *conn = *ctx;
    if (!conn) {
        conn = calloc(1, sizeof(*conn));
        if (!conn) return MHD_NO;
        *ctx = conn;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (conn->too_big || conn->len + n > API_BODY_MAX) {
            conn->too_big = true;
            return MHD_YES;
        }
        char *nb = realloc(conn->buf, conn->len + n + 1);
        if (!nb) return MHD_NO;
        memcpy(nb + conn->len, upload_data, n);
        conn->buf = nb;
        conn->len += n;
        conn->buf[conn->len] = '\0';
        return MHD_YES;
    }
    struct api_reply r = {.status = 204};
    if (conn->too_big)
        api_fault(&r, "the request body is larger than %d bytes", API_BODY_MAX);
    else if (strcmp(url, API_NUL_URL) == 0)
        api_fault(&r, "the URL holds a NUL byte (%%00)");
    else
        api_route(s, method, url, conn->buf ? conn->buf : "", conn->len, &r);
    enum MHD_Result ok = api_send(c, &r);
    json_object_put(r.body);
    return ok;
}

static void api_on_done(void *cls, struct MHD_Connection *c, void **ctx,
                        enum MHD_RequestTerminationCode why)
{
    struct api_conn *conn = *ctx;
    if (conn) free(conn->buf);
    free(conn);
    *ctx = NULL;
}

/* A socket file nobody listens on is what a killed rvmm leaves behind:
 * replace it. Anything else at the path is not ours to remove. */
static int api_clear_path(const char *path, const struct sockaddr_un *sa, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) return 0;
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "%s exists and is not a socket", path);
        return -EEXIST;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    int live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
    close(fd);
    if (live) {
        snprintf(err, errlen, "%s is in use by another process", path);
        return -EADDRINUSE;
    }
    unlink(path);
    return 0;
}

static int api_listen(struct api_server *s, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!*path || strlen(path) >= sizeof(sa.sun_path)) {
        snprintf(err, errlen, "socket path '%.64s%s' must be 1 to %zu bytes", path,
                 strlen(path) > 64 ? "..." : "", sizeof(sa.sun_path) - 1);
        return -ENAMETOOLONG;
    }
    strcpy(sa.sun_path, path);
    int rc = api_clear_path(path, &sa, err, errlen);
    if (rc) return rc;
    s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    /* The socket controls the VM: its owner only, whatever the umask. The
     * umask makes bind create it so (no window with wider rights); no
     * other thread creates files while the API starts. */
    mode_t mask = umask(0177);
    int bound = s->fd >= 0 ? bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) : -1;
    umask(mask);
    if (bound == 0 && chmod(path, 0600) != 0) bound = -1;
    if (bound != 0 || listen(s->fd, 16) != 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
        return rc;
    }
    strcpy(s->path, path); /* ours to remove from now on */
    return 0;
}

static void api_copy_str(char *dst, size_t size, const char **field)
{
    if (!*field) return;
    snprintf(dst, size, "%s", *field);
    *field = dst;
}

int api_server_create(struct api_server **out, const char *path, const struct vm_config *defaults,
                      struct vm *vm, const char *version, char *err, size_t errlen)
{
    struct api_server *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    s->fd = -1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    api_logger_init(&s->log);
    pthread_mutex_init(&s->mlock, NULL);
    pthread_cond_init(&s->mcond, NULL);
    s->metrics_fd = -1;
    snprintf(s->version, sizeof(s->version), "%s", version);
    s->cfg = *defaults;
    api_copy_str(s->kernel, sizeof(s->kernel), &s->cfg.board.kernel);
    api_copy_str(s->initrd, sizeof(s->initrd), &s->cfg.board.initrd);
    api_copy_str(s->bios, sizeof(s->bios), &s->cfg.board.bios);
    api_copy_str(s->boot_args, sizeof(s->boot_args), &s->cfg.board.append);
    snprintf(s->default_args, sizeof(s->default_args), "%s", s->boot_args);
    for (unsigned k = 0; k < defaults->ndrives; k++)
        s->drives[k].d = defaults->drives[k];
    s->ndrives = defaults->ndrives;
    for (unsigned k = 0; k < defaults->nnets; k++)
        s->nets[k].n = defaults->nets[k];
    s->nnets = defaults->nnets;
    s->vm = vm;
    s->starting = vm != NULL;
    if (!path) { /* --no-api */
        *out = s;
        return 0;
    }
    int rc = api_listen(s, path, err, errlen);
    if (rc) goto fail;
    s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, api_on_request, s,
                              MHD_OPTION_LISTEN_SOCKET, s->fd, MHD_OPTION_NOTIFY_COMPLETED,
                              api_on_done, s, MHD_OPTION_CONNECTION_TIMEOUT, API_IDLE_SECONDS,
                              MHD_OPTION_CONNECTION_LIMIT, API_MAX_CLIENTS,
                              MHD_OPTION_UNESCAPE_CALLBACK, api_unescape, NULL, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errlen, "cannot start the HTTP server on %s", path);
        rc = -EIO;
        goto fail;
    }
    *out = s;
    return 0;
fail:
    api_server_destroy(s);
    return rc;
}

struct vm *api_vm(struct api_server *s)
{
    pthread_mutex_lock(&s->lock);
    struct vm *vm = s->vm;
    bool starting = s->starting && !s->run_done;
    pthread_mutex_unlock(&s->lock);
    /* The caller's thread runs a handed VM at once: from vm_run() on, the
     * VM's state is the lifecycle's. */
    if (starting) vm_wait_started(vm);
    pthread_mutex_lock(&s->lock);
    s->starting = false;
    pthread_mutex_unlock(&s->lock);
    return vm;
}

void api_handoff(struct api_server *s, struct vm *vm)
{
    pthread_mutex_lock(&s->lock);
    s->vm = vm;
    s->starting = s->handed = true;
    api_boot_timer_attach(s, vm);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    /* A config file's InstanceStart runs on the thread that runs the VM. */
    if (!s->file_boot) api_vm(s);
}

void api_handoff_fail(struct api_server *s, const char *why)
{
    pthread_mutex_lock(&s->lock);
    snprintf(s->failure, sizeof(s->failure), "%s", why);
    s->vm = NULL;
    s->handed = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

const char *api_server_failure(struct api_server *s)
{
    return s->failure;
}

struct vm *api_server_wait_vm(struct api_server *s)
{
    pthread_mutex_lock(&s->lock);
    while (!s->handed)
        pthread_cond_wait(&s->cond, &s->lock);
    struct vm *vm = s->vm;
    pthread_mutex_unlock(&s->lock);
    return vm;
}

void api_server_cancel_wait(struct api_server *s)
{
    pthread_mutex_lock(&s->lock);
    s->handed = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void api_server_destroy(struct api_server *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->lock);
    s->run_done = true;
    pthread_mutex_unlock(&s->lock);
    if (s->mhd)
        MHD_stop_daemon(s->mhd); /* closes the listening socket too */
    else if (s->fd >= 0)
        close(s->fd);
    if (s->path[0]) unlink(s->path);
    api_incoming_free(s);
    api_metrics_stop(s); /* a last line, with the VM's final counters */
    api_log(&s->log, API_LOG_INFO, "rvmm exiting");
    api_logger_close(&s->log);
    pthread_mutex_destroy(&s->mlock);
    pthread_cond_destroy(&s->mcond);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    free(s);
}
