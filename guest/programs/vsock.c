/* vsock: the guest end of the vsock tests and benchmark. Stream sockets on
 * AF_VSOCK ("vsock:CID:PORT", listening "vsock:PORT") or TCP
 * ("tcp:HOST:PORT", listening "tcp:PORT"), so one program measures both
 * transports the same way. Bytes sent are a pattern the host can check
 * (byte i of a stream seeded s is pattern(s, i)).
 *   vsock echo LISTEN            accept forever, echo each connection
 *                                back until EOF (a process per connection)
 *   vsock client ADDR N SEED     send N pattern bytes, shut the write
 *                                side, read until EOF; prints "client sent N
 *                                got M ok" when the answer is the same bytes
 *   vsock sink LISTEN            accept forever; read each connection to EOF,
 *                                then answer "sink N\n"
 *   vsock source ADDR N          send N pattern bytes (seed 0) and close
 * Exit status 0 on success, 1 on an error, 2 on bad usage. Built static for
 * the rvmm guest (/usr/bin/vsock). */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
struct sockaddr_vm_compat {
    unsigned short svm_family;
    unsigned short svm_reserved1;
    unsigned int svm_port;
    unsigned int svm_cid;
    unsigned char svm_zero[4];
};
#define VMADDR_CID_ANY 0xffffffffu

static unsigned char pattern(unsigned seed, uint64_t i)
{
    uint64_t x = (i >> 8) * 0x9e3779b97f4a7c15ULL + seed;
    return (unsigned char)((x >> 29) ^ i);
}

static int usage(void)
{
    fprintf(stderr, "usage: vsock echo|sink LISTEN | client ADDR N SEED | source ADDR N\n");
    return 2;
}

/* Makes a socket bound (listen) or connected (!listen) to spec. */
static int open_spec(const char *spec, int listen_mode)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", spec);
    char *a = strchr(buf, ':');
    if (!a) return -1;
    *a++ = 0;
    char *b = strrchr(a, ':');
    if (b) *b++ = 0;
    int fd;
    if (strcmp(buf, "vsock") == 0) {
        struct sockaddr_vm_compat sa = {.svm_family = AF_VSOCK};
        sa.svm_cid = listen_mode ? VMADDR_CID_ANY : (unsigned)strtoul(a, NULL, 0);
        sa.svm_port = (unsigned)strtoul(listen_mode ? a : (b ? b : ""), NULL, 0);
        if ((fd = socket(AF_VSOCK, SOCK_STREAM, 0)) < 0) return -1;
        if (listen_mode ? bind(fd, (void *)&sa, sizeof(sa)) || listen(fd, 16)
                        : connect(fd, (void *)&sa, sizeof(sa))) {
            close(fd);
            return -1;
        }
        return fd;
    }
    if (strcmp(buf, "tcp") == 0) {
        struct sockaddr_in sa = {.sin_family = AF_INET};
        int one = 1;
        if (listen_mode) {
            sa.sin_port = htons((unsigned short)atoi(a));
        } else {
            if (!b || inet_pton(AF_INET, a, &sa.sin_addr) != 1) return -1;
            sa.sin_port = htons((unsigned short)atoi(b));
        }
        if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) return -1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (listen_mode ? bind(fd, (void *)&sa, sizeof(sa)) || listen(fd, 16)
                        : connect(fd, (void *)&sa, sizeof(sa))) {
            close(fd);
            return -1;
        }
        return fd;
    }
    return -1;
}

static int write_all(int fd, const unsigned char *p, size_t n)
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

/* Writes n pattern bytes of seed. */
static int send_pattern(int fd, unsigned seed, uint64_t n)
{
    static unsigned char buf[65536];
    for (uint64_t off = 0; off < n;) {
        size_t chunk = n - off < sizeof(buf) ? (size_t)(n - off) : sizeof(buf);
        for (size_t k = 0; k < chunk; k++)
            buf[k] = pattern(seed, off + k);
        if (write_all(fd, buf, chunk)) return -1;
        off += chunk;
    }
    return 0;
}

static void serve(int lfd, int echo)
{
    signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
    for (;;) {
        int c = accept(lfd, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            perror("accept");
            exit(1);
        }
        if (fork() == 0) {
            static unsigned char buf[65536];
            uint64_t total = 0;
            ssize_t n;
            while ((n = read(c, buf, sizeof(buf))) > 0) {
                total += (uint64_t)n;
                if (echo && write_all(c, buf, (size_t)n)) _exit(1);
            }
            if (!echo) {
                char line[64];
                int len = snprintf(line, sizeof(line), "sink %llu\n", (unsigned long long)total);
                write_all(c, (unsigned char *)line, (size_t)len);
            }
            close(c);
            _exit(n < 0);
        }
        close(c);
    }
}

/* client: a child writes while the parent reads, so neither side's buffers
 * need to hold the whole stream. */
static int client(const char *spec, uint64_t n, unsigned seed)
{
    int fd = open_spec(spec, 0);
    if (fd < 0) {
        fprintf(stderr, "vsock: connect %s: %s\n", spec, strerror(errno));
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) _exit(send_pattern(fd, seed, n) || shutdown(fd, SHUT_WR) ? 1 : 0);
    static unsigned char buf[65536];
    uint64_t got = 0, bad = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t k = 0; k < r; k++)
            bad += buf[k] != pattern(seed, got + (uint64_t)k);
        got += (uint64_t)r;
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int ok = r == 0 && got == n && !bad && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    printf("client sent %llu got %llu %s\n", (unsigned long long)n, (unsigned long long)got,
           ok ? "ok" : "BAD");
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) return usage();
    signal(SIGPIPE, SIG_IGN);
    if (!strcmp(argv[1], "echo") || !strcmp(argv[1], "sink")) {
        int lfd = open_spec(argv[2], 1);
        if (lfd < 0) {
            fprintf(stderr, "vsock: listen %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        printf("listening %s\n", argv[2]);
        fflush(stdout);
        serve(lfd, argv[1][0] == 'e');
        return 0;
    }
    if (!strcmp(argv[1], "client") && argc == 5)
        return client(argv[2], strtoull(argv[3], NULL, 0), (unsigned)strtoul(argv[4], NULL, 0));
    if (!strcmp(argv[1], "source") && argc == 4) {
        int fd = open_spec(argv[2], 0);
        if (fd < 0) {
            fprintf(stderr, "vsock: connect %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        int rc = send_pattern(fd, 0, strtoull(argv[3], NULL, 0));
        close(fd);
        return rc ? 1 : 0;
    }
    return usage();
}
