/* The rvmm release, shown by --version and recorded in snapshots. */
#ifndef RVMM_COMMON_VERSION_H
#define RVMM_COMMON_VERSION_H

#define RVMM_VERSION "0.1.0"

#endif
