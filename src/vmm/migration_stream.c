/* The migration wire: frames with a CRC-32 each (zlib), URL parsing and
 * the unix or TCP socket under it. Knows nothing of VMs. Writes use
 * MSG_NOSIGNAL: a peer that went away is an error, never a SIGPIPE. */
#include "vmm/migration_impl.h"

#include "common/errmsg.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

const char *mig_state_name(enum mig_state s)
{
    static const char *const names[] = {"Idle", "Active", "Completed", "Failed", "Cancelled"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *const mig_compression_names[MIG_COMPRESS_COUNT] = {"none", "zstd", "lz4"};

int mig_compression_parse(const char *name)
{
    for (int k = 0; k < MIG_COMPRESS_COUNT; k++)
        if (!strcasecmp(name, mig_compression_names[k])) return k;
    return -EINVAL;
}

const char *mig_compression_name(int c)
{
    return c >= 0 && c < MIG_COMPRESS_COUNT ? mig_compression_names[c] : "?";
}

struct mig_addr {
    bool unix_sock;
    struct sockaddr_un un;
    char host[256], port[8];
};

static int mig_parse_url(const char *url, struct mig_addr *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    if (!strncmp(url, "unix:", 5)) {
        const char *path = url + 5;
        a->unix_sock = true;
        a->un.sun_family = AF_UNIX;
        if (!*path || strlen(path) >= sizeof(a->un.sun_path))
            return errmsg_set(err, errlen, -EINVAL, "'%.64s': a unix socket path is 1 to %zu bytes",
                              url, sizeof(a->un.sun_path) - 1);
        strcpy(a->un.sun_path, path);
        return 0;
    }
    if (!strncmp(url, "tcp:", 4)) {
        const char *hp = url + 4, *colon = strrchr(hp, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        size_t hl = colon ? (size_t)(colon - hp) : 0;
        if (!colon || !hl || hl >= sizeof(a->host) || *end || colon[1] == '\0' || port < 1 ||
            port > 65535)
            return errmsg_set(err, errlen, -EINVAL,
                              "'%.64s': expected tcp:HOST:PORT with a port in 1..65535", url);
        memcpy(a->host, hp, hl);
        if (a->host[0] == '[' && a->host[hl - 1] == ']') { /* [v6]:port */
            memmove(a->host, a->host + 1, hl - 2);
            a->host[hl - 2] = '\0';
        }
        snprintf(a->port, sizeof(a->port), "%ld", port);
        return 0;
    }
    return errmsg_set(err, errlen, -EINVAL, "'%.64s': expected unix:PATH or tcp:HOST:PORT", url);
}

int mig_url_check(const char *url, char *err, size_t errlen)
{
    struct mig_addr a;
    return mig_parse_url(url, &a, err, errlen);
}

static int mig_resolve(const struct mig_addr *a, bool passive, struct addrinfo **res, char *err,
                       size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    if (passive) hints.ai_flags = AI_PASSIVE;
    int g = getaddrinfo(a->host, a->port, &hints, res);
    if (g)
        return errmsg_set(err, errlen, -EINVAL, "cannot resolve %s: %s", a->host, gai_strerror(g));
    return 0;
}

int mig_connect(const char *url, int *fd, char *err, size_t errlen)
{
    struct mig_addr a;
    int rc = mig_parse_url(url, &a, err, errlen);
    if (rc) return rc;
    if (a.unix_sock) {
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&a.un, sizeof(a.un))) {
            rc = -errno;
            if (s >= 0) close(s);
            return errmsg_set(err, errlen, rc, "cannot connect to %s: %s", url, strerror(-rc));
        }
        *fd = s;
        return 0;
    }
    struct addrinfo *res;
    if ((rc = mig_resolve(&a, false, &res, err, errlen))) return rc;
    rc = -ECONNREFUSED;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) continue;
        if (!connect(s, ai->ai_addr, ai->ai_addrlen)) {
            *fd = s;
            rc = 0;
            break;
        }
        rc = -errno;
        close(s);
    }
    freeaddrinfo(res);
    if (rc) return errmsg_set(err, errlen, rc, "cannot connect to %s: %s", url, strerror(-rc));
    return 0;
}

int mig_listen(const char *url, int *fd, char *err, size_t errlen)
{
    struct mig_addr a;
    int rc = mig_parse_url(url, &a, err, errlen);
    if (rc) return rc;
    if (a.unix_sock) {
        struct stat st;
        /* A socket file left by a dead process is replaced; anything else
         * at the path is not ours to remove. */
        if (lstat(a.un.sun_path, &st) == 0) {
            if (!S_ISSOCK(st.st_mode))
                return errmsg_set(err, errlen, -EEXIST, "%s exists and is not a socket",
                                  a.un.sun_path);
            unlink(a.un.sun_path);
        }
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *)&a.un, sizeof(a.un)) || listen(s, 1)) {
            rc = -errno;
            if (s >= 0) close(s);
            return errmsg_set(err, errlen, rc, "cannot listen on %s: %s", url, strerror(-rc));
        }
        *fd = s;
        return 0;
    }
    struct addrinfo *res;
    if ((rc = mig_resolve(&a, true, &res, err, errlen))) return rc;
    rc = -EADDRNOTAVAIL;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) continue;
        int one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (!bind(s, ai->ai_addr, ai->ai_addrlen) && !listen(s, 1)) {
            *fd = s;
            rc = 0;
            break;
        }
        rc = -errno;
        close(s);
    }
    freeaddrinfo(res);
    if (rc) return errmsg_set(err, errlen, rc, "cannot listen on %s: %s", url, strerror(-rc));
    return 0;
}

static int mig_write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 && errno != EPIPE && errno != ECONNRESET ? -errno : -EPIPE;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static int mig_read_all(int fd, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        ssize_t r = recv(fd, b, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0 || (r < 0 && errno == ECONNRESET)) return -EPIPE;
        if (r < 0) return -errno;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

static void mig_le32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (uint8_t)(v >> (8 * k));
}

static uint32_t mig_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int mig_send_frame(int fd, uint32_t tag, const void *payload, size_t len)
{
    if (len > MIG_FRAME_MAX) return -E2BIG;
    uint8_t hdr[8], tail[4];
    mig_le32(hdr, tag);
    mig_le32(hdr + 4, (uint32_t)len);
    uLong crc = crc32(crc32(0L, Z_NULL, 0), hdr, sizeof(hdr));
    if (len) crc = crc32(crc, payload, (uInt)len);
    mig_le32(tail, (uint32_t)crc);
    int rc = mig_write_all(fd, hdr, sizeof(hdr));
    if (!rc && len) rc = mig_write_all(fd, payload, len);
    if (!rc) rc = mig_write_all(fd, tail, sizeof(tail));
    return rc;
}

int mig_recv_frame(int fd, uint32_t *tag, uint8_t **buf, size_t *cap, size_t *len)
{
    uint8_t hdr[8], tail[4];
    int rc = mig_read_all(fd, hdr, sizeof(hdr));
    if (rc) return rc;
    uint32_t n = mig_get32(hdr + 4);
    if (n > MIG_FRAME_MAX) return -EBADMSG;
    if (n + 1 > *cap) {
        uint8_t *nb = realloc(*buf, n + 1);
        if (!nb) return -ENOMEM;
        *buf = nb;
        *cap = n + 1;
    }
    if (n && (rc = mig_read_all(fd, *buf, n))) return rc;
    if ((rc = mig_read_all(fd, tail, sizeof(tail)))) return rc;
    uLong crc = crc32(crc32(0L, Z_NULL, 0), hdr, sizeof(hdr));
    if (n) crc = crc32(crc, *buf, n);
    if ((uint32_t)crc != mig_get32(tail)) return -EBADMSG;
    *tag = mig_get32(hdr);
    *len = n;
    return 0;
}

void mig_put_str(struct stream *s, const char *str)
{
    size_t n = strlen(str);
    stream_put_u32(s, (uint32_t)n);
    stream_put(s, str, n);
}

int mig_get_str(struct stream *s, char *out, size_t max)
{
    uint32_t n = stream_get_u32(s);
    if (!s->err && n >= max) s->err = -EINVAL;
    if (s->err) {
        out[0] = '\0';
        return s->err;
    }
    stream_get(s, out, n);
    out[s->err ? 0 : n] = '\0';
    return s->err;
}

int mig_send_status(int fd, uint32_t tag, int status, const char *msg)
{
    struct stream s;
    stream_init_writer(&s);
    stream_put_u32(&s, (uint32_t)status);
    mig_put_str(&s, msg);
    int rc = s.err ? s.err : mig_send_frame(fd, tag, s.buf, s.len);
    stream_free(&s);
    return rc;
}
