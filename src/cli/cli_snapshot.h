/* The command line's snapshot tools: --snapshot-merge writes a Diff
 * snapshot's memory file over its base's (Firecracker leaves that to its
 * rebase-snap tool), so the Diff snapshot restores with --restore or PUT
 * /snapshot/load. */
#ifndef RVMM_CLI_CLI_SNAPSHOT_H
#define RVMM_CLI_CLI_SNAPSHOT_H

/* --snapshot-merge base=BASE.mem,diff=DIFF.mem: 0 with a line on stderr,
 * or 2 with one line (bad option, files that are not a base and its
 * diff, an I/O error). A process exit status. */
int cli_snapshot_merge(const char *arg);

#endif
