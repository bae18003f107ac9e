/* The `rvmm api` client (see cli_apicall.h): HTTP/1.1 with
 * "Connection: close", so the answer ends where the socket does. */
#include "cli/cli_apicall.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define APICALL_MAX_REPLY (1 << 20)

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int cli_api_call(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "rvmm: usage: rvmm api SOCKET METHOD PATH [BODY]\n");
        return 2;
    }
    const char *sock = argv[2], *method = argv[3], *path = argv[4];
    const char *body = argc == 6 ? argv[5] : "";
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "rvmm: api %s: socket path too long\n", sock);
        return 2;
    }
    if (strpbrk(method, " \r\n") || strpbrk(path, " \r\n") || path[0] != '/') {
        fprintf(stderr, "rvmm: api: bad method or path (want e.g. PUT /snapshot/create)\n");
        return 2;
    }
    strcpy(sa.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "rvmm: api %s: cannot connect: %s\n", sock, strerror(errno));
        if (fd >= 0) close(fd);
        return 2;
    }
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                     method, path, strlen(body));
    char *reply = malloc(APICALL_MAX_REPLY + 1);
    size_t got = 0;
    if (!reply || n < 0 || (size_t)n >= sizeof(head) || write_all(fd, head, (size_t)n) ||
        write_all(fd, body, strlen(body))) {
        fprintf(stderr, "rvmm: api %s: cannot send the request\n", sock);
        free(reply);
        close(fd);
        return 2;
    }
    for (;;) {
        ssize_t r = read(fd, reply + got, APICALL_MAX_REPLY - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
        if (got == APICALL_MAX_REPLY) break;
    }
    close(fd);
    reply[got] = 0;
    int status = 0;
    if (sscanf(reply, "HTTP/1.%*d %d", &status) != 1) {
        fprintf(stderr, "rvmm: api %s: no HTTP answer\n", sock);
        free(reply);
        return 2;
    }
    char *payload = strstr(reply, "\r\n\r\n");
    payload = payload ? payload + 4 : reply + got;
    bool ok = status >= 200 && status < 300;
    fprintf(ok ? stdout : stderr, "%s%s", payload,
            *payload && payload[strlen(payload) - 1] != '\n' ? "\n" : "");
    if (!ok) fprintf(stderr, "rvmm: api %s %s: HTTP %d\n", method, path, status);
    free(reply);
    return ok ? 0 : 1;
}
