/* Firecracker's --seccomp-filter FILE: the output of seccompiler-bin, a
 * bincode map from thread category to BPF program, parsed into one
 * program per rvmm thread kind ("api" -> SECCOMP_KIND_MAIN, "vmm" ->
 * SECCOMP_KIND_IO, "vcpu" -> SECCOMP_KIND_VCPU). Parsing only: seccomp.c
 * installs what it returns. */
#ifndef RVMM_VMM_SECCOMP_FILE_H
#define RVMM_VMM_SECCOMP_FILE_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/seccomp.h"

/* Firecracker's own bound on the file (its DESERIALIZATION_BYTES_LIMIT). */
#define SECCOMP_FILE_MAX_BYTES 100000u
#define SECCOMP_FILE_KINDS     3

struct seccomp_filters {
    struct sock_filter *prog[SECCOMP_FILE_KINDS]; /* indexed by enum seccomp_kind */
    unsigned short len[SECCOMP_FILE_KINDS];
};

/* Parses len bytes of seccompiler-bin output into *out (each program
 * malloc'd; free with seccomp_filters_free). 0, or -EINVAL/-ENOMEM with a
 * one-line reason in err. */
int seccomp_file_parse(const uint8_t *buf, size_t len, struct seccomp_filters *out, char *err,
                       size_t errlen);

/* Reads path through safe_read_file (at most SECCOMP_FILE_MAX_BYTES) and
 * parses it; *out is malloc'd. */
int seccomp_file_load(const char *path, struct seccomp_filters **out, char *err, size_t errlen);

/* Frees the programs and f itself (NULL is fine). */
void seccomp_filters_free(struct seccomp_filters *f);

#endif
