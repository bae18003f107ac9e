/* --engine: which CPU engine runs the harts (jit, interp, kvm). Asking for
 * kvm probes /dev/kvm at once, so a host without it, or whose KVM lacks a
 * capability the engine needs, gets one line naming it and exit status 2
 * before anything is built. */
#ifndef RVMM_CLI_CLI_ENGINE_H
#define RVMM_CLI_CLI_ENGINE_H

#include "machine/board.h"

#include <stddef.h>

/* Parses NAME into *engine (enum hart_engine). 0, or -EINVAL / -ENOTSUP
 * with one line in msg. */
int cli_parse_engine(const char *arg, int *engine, char *msg, size_t msglen);
/* After every option: what the engine needs of the rest of the machine
 * (KVM runs the kernel in S-mode, so the SBI is the built-in one), and
 * under KVM the CPU model when none was given (the default without h). */
int cli_engine_check(struct board_config *b, char *msg, size_t msglen);

#endif
