/* libFuzzer target for src/vmm/seccomp_file.c: any bytes as a
 * --seccomp-filter file. A parse either fails with a message or yields
 * three non-empty programs of at most BPF_MAXINSNS instructions that end
 * in a return, with every jump inside the program. */
#include <stdlib.h>
#include <string.h>

#include "vmm/seccomp_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seccomp_filters f;
    char err[256];
    err[0] = 0;
    if (seccomp_file_parse(data, size, &f, err, sizeof(err))) {
        if (!err[0]) abort();
        return 0;
    }
    for (int k = 0; k < SECCOMP_FILE_KINDS; k++) {
        unsigned n = f.len[k];
        if (!f.prog[k] || n == 0 || n > BPF_MAXINSNS) abort();
        if (BPF_CLASS(f.prog[k][n - 1].code) != BPF_RET) abort();
        for (unsigned i = 0; i < n; i++) {
            const struct sock_filter *s = &f.prog[k][i];
            if (BPF_CLASS(s->code) != BPF_JMP) continue;
            unsigned rest = n - i - 1;
            if (BPF_OP(s->code) == BPF_JA ? s->k >= rest : (s->jt >= rest || s->jf >= rest))
                abort();
        }
        free(f.prog[k]);
    }
    return 0;
}
