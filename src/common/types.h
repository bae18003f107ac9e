/* Scalar types shared by every layer. Address kinds get their own names so a
 * guest physical address is never silently used where a virtual one belongs. */
#ifndef RVMM_COMMON_TYPES_H
#define RVMM_COMMON_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t gpa_t; /* guest physical address */
typedef uint64_t gva_t; /* guest virtual address */

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
