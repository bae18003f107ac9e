/* The command line's memory options: --balloon (a virtio-balloon and its
 * features, Firecracker's PUT /balloon on the command line) and --mem-merge
 * (QEMU's name: guest RAM offered to the host's KSM). */
#ifndef RVMM_CLI_CLI_MEMORY_H
#define RVMM_CLI_CLI_MEMORY_H

#include "vmm/vm.h"

/* Whether arg reads as --balloon's value (a key=value list of its keys),
 * so "--balloon amount=64" takes it although the value is optional. */
bool cli_balloon_arg(const char *arg);
/* --balloon [amount=MIB][,deflate_on_oom=on|off][,free_page_reporting=on|off]
 * [,stats_polling_interval_s=S]; arg may be NULL (all defaults). The
 * amount is checked against RAM later (cli_balloon_check). 0, or -EINVAL
 * with one line in msg. */
int cli_parse_balloon(const char *arg, struct board_config *b, char *msg, size_t msglen);
/* After every option: the balloon's amount must fit the RAM. */
int cli_balloon_check(const struct board_config *b, char *msg, size_t msglen);
/* --mem-merge on|off. */
int cli_parse_mem_merge(const char *arg, bool *on, char *msg, size_t msglen);

#endif
