/* SSE encoding (Intel SDM vol. 2, 2.1: the mandatory prefix comes before
 * REX, then the 0F / 0F 38 opcode and ModR/M). Only the forms the JIT's
 * vector emitters use. */
#include "cpu/jit/x64_emit_sse.h"

static unsigned sse_prefix(enum x64_sse op)
{
    return (unsigned)op >> 24;
}

static unsigned sse_opcode(enum x64_sse op)
{
    return (unsigned)op & 0xffffff;
}

void x64_sse_rr(struct x64_buf *b, enum x64_sse op, unsigned xd, unsigned xs)
{
    x64_byte(b, sse_prefix(op));
    x64_enc_rr(b, false, sse_opcode(op), xd, xs);
}

void x64_sse_rm(struct x64_buf *b, enum x64_sse op, unsigned x, struct x64_mem m)
{
    x64_byte(b, sse_prefix(op));
    x64_enc_rm(b, false, sse_opcode(op), x, m);
}

void x64_movq_xr(struct x64_buf *b, unsigned x, enum x64_reg r)
{
    x64_byte(b, 0x66);
    x64_enc_rr(b, true, 0x0f6e, x, r);
}

void x64_movq_rx(struct x64_buf *b, enum x64_reg r, unsigned x)
{
    x64_byte(b, 0x66);
    x64_enc_rr(b, true, 0x0f7e, x, r);
}

void x64_psrldq(struct x64_buf *b, unsigned x, uint8_t imm)
{
    x64_byte(b, 0x66);
    x64_enc_rr(b, false, 0x0f73, 3, x);
    x64_byte(b, imm);
}
