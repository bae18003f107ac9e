/* The rvmm release, shown by --version and recorded in snapshots. */
#ifndef RVMM_COMMON_VERSION_H
#define RVMM_COMMON_VERSION_H

#define RVMM_VERSION "0.1.0"
/* The Firecracker release whose API and launch flags rvmm serves (the
 * subset README.md lists): what `rvmm --version` and GET /version report
 * in Firecracker's numbering, for clients that check it (Kata wants at
 * least 0.21.1). */
#define RVMM_FC_VERSION "1.17.0"

#endif
