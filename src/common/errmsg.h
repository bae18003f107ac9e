/* One-line error messages for functions that report failures to a front
 * end: the message goes into the caller's buffer, the errno is returned. */
#ifndef RVMM_COMMON_ERRMSG_H
#define RVMM_COMMON_ERRMSG_H

#include <stddef.h>

/* Formats the message into err (errlen bytes) and returns rc. */
int errmsg_set(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
