/* Parsers of the command line's value syntax (QEMU's shapes): sizes,
 * --drive and --net specs, and the one-line usage error they share with
 * main.c. Each returns 0, or prints one line and returns the usage exit
 * status (cli_usage_error), or a negative errno where it says so. */
#ifndef RVMM_CLI_PARSE_H
#define RVMM_CLI_PARSE_H

#include "vmm/vm.h"

#include <stddef.h>
#include <stdint.h>

/* Prints "rvmm: " fmt (with arg) " (see rvmm --help)" and returns 2. */
int cli_usage_error(const char *fmt, const char *arg);
/* A size as QEMU's -m: a number with an optional K/M/G/T/P/E suffix, MiB
 * without one; -EINVAL when malformed. */
int cli_parse_size(const char *s, uint64_t *out);
/* --drive file=PATH[,format=..][,readonly=..][,id=..][,bps=..][,iops=..]:
 * nonzero with the message in msg when bad. */
int cli_parse_drive(const char *arg, struct vm_drive *d, char *msg, size_t msglen);
/* --net user|tap,...: appends one NIC to cfg. */
int cli_parse_net(const char *arg, struct vm_config *cfg);

#endif
