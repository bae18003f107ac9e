/* Diagnostics. Library code reports errors by return value; these only print. */
#ifndef RVMM_COMMON_LOG_H
#define RVMM_COMMON_LOG_H

#include <stdio.h>

#define log_err(...)                                                                               \
    do {                                                                                           \
        fprintf(stderr, "rvmm: " __VA_ARGS__);                                                     \
        fputc('\n', stderr);                                                                       \
    } while (0)

#endif
