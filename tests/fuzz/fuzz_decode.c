/* libFuzzer target for the decoder (src/cpu/decode.c, src/cpu/rvc.c): every
 * 32-bit and 16-bit value must decode to something sane (len 2 or 4 as the
 * low bits say, an op inside the enum, register numbers below 33), the same
 * way twice, and a compressed instruction must decode exactly like the
 * 32-bit instruction rvc_expand turns it into. Aborts on any violation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/rvc.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_decode: %s failed for 0x%08x\n", #cond, raw);                    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_one(uint32_t raw)
{
    struct rv_insn a, b;
    int fa = decode_insn(raw, &a);
    int fb = decode_insn(raw, &b);
    CHECK(fa == fb && memcmp(&a, &b, sizeof(a)) == 0);
    CHECK(fa == 0 || fa == INSN_END_YES);
    CHECK(a.len == decode_insn_len(raw & 0xffff));
    CHECK(a.op < RV_OP_COUNT);
    CHECK(a.rd <= RV_REG_SINK && a.rs1 < 32 && a.rs2 < 32 && a.rs3 < 32);
    CHECK(a.rm < 8);
    CHECK(a.raw == (a.len == 2 ? (raw & 0xffff) : raw));
    CHECK(a.fn == NULL); /* the block builder installs handlers */
    CHECK(decode_op_name((enum rv_op)a.op) != NULL);
    if (a.op == RV_OP_illegal) CHECK(fa == INSN_END_YES);
    if (a.len == 2) {
        uint32_t x;
        if (rvc_expand_ext((uint16_t)raw, ~0ULL, &x) != 0) {
            CHECK(a.op == RV_OP_illegal);
            return;
        }
        CHECK((x & 3) == 3);
        decode_insn(x, &b);
        CHECK(b.len == 4 && b.raw == x);
        b.len = 2;
        b.raw = raw & 0xffff;
        CHECK(memcmp(&a, &b, sizeof(a)) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Every 2-byte step is a candidate start, as in an instruction stream. */
    for (size_t k = 0; k + 2 <= size; k += 2) {
        uint32_t raw = 0;
        memcpy(&raw, data + k, size - k >= 4 ? 4 : 2);
        check_one(raw);
        check_one(raw & 0xffff);
    }
    return 0;
}
