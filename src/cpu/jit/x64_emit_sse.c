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
    if (sse_prefix(op)) x64_byte(b, sse_prefix(op));
    x64_enc_rr(b, false, sse_opcode(op), xd, xs);
}

void x64_sse_rm(struct x64_buf *b, enum x64_sse op, unsigned x, struct x64_mem m)
{
    if (sse_prefix(op)) x64_byte(b, sse_prefix(op));
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

/* The three-byte VEX prefix (C4), valid for every VEX instruction: R, X, B
 * inverted, the opcode map, W = 0, vvvv inverted, L, pp; then the opcode. */
static void vex(struct x64_buf *b, enum x64_sse op, bool l256, unsigned reg, unsigned index,
                unsigned base, unsigned vvvv)
{
    unsigned pfx = sse_prefix(op), o = sse_opcode(op);
    unsigned map = (o >> 8) == 0x0f ? 1 : (o >> 8) == 0x0f38 ? 2 : 3;
    unsigned pp = pfx == 0x66 ? 1 : pfx == 0xf3 ? 2 : pfx == 0xf2 ? 3 : 0;
    x64_byte(b, 0xc4);
    x64_byte(b, (~reg >> 3 & 1) << 7 | (~index >> 3 & 1) << 6 | (~base >> 3 & 1) << 5 | map);
    x64_byte(b, (~vvvv & 15) << 3 | (l256 ? 4u : 0u) | pp);
    x64_byte(b, o & 0xff);
}

void x64_vex_rr(struct x64_buf *b, enum x64_sse op, bool l256, unsigned xd, unsigned xv,
                unsigned xs)
{
    vex(b, op, l256, xd, 0, xs, xv);
    x64_modrm_rr(b, xd, xs);
}

void x64_vex_rm(struct x64_buf *b, enum x64_sse op, bool l256, unsigned x, unsigned xv,
                struct x64_mem m)
{
    vex(b, op, l256, x, m.has_index ? m.index : 0, m.base, xv);
    x64_modrm_m(b, x, m);
}

void x64_vextracti128(struct x64_buf *b, unsigned xd, unsigned ys, uint8_t imm)
{
    vex(b, X64_VEXTRACTI128, true, ys, 0, xd, 0);
    x64_modrm_rr(b, ys, xd);
    x64_byte(b, imm);
}

void x64_vzeroupper(struct x64_buf *b)
{
    x64_byte(b, 0xc5);
    x64_byte(b, 0xf8);
    x64_byte(b, 0x77);
}
