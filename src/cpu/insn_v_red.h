/* V integer reductions (V chapter 14.1, 14.2): rows of the instruction
 * list (columns in insn_list.h), handlers in interp_v_red.c. */
RV_INSN(vredsum_vs, R, X(v), VEC, N(vred, ADD, 0, 0), 0xfc00707f, 0x00002057)
RV_INSN(vredand_vs, R, X(v), VEC, N(vred, AND, 0, 0), 0xfc00707f, 0x04002057)
RV_INSN(vredor_vs, R, X(v), VEC, N(vred, OR, 0, 0), 0xfc00707f, 0x08002057)
RV_INSN(vredxor_vs, R, X(v), VEC, N(vred, XOR, 0, 0), 0xfc00707f, 0x0c002057)
RV_INSN(vredminu_vs, R, X(v), VEC, N(vred, MINU, 0, 0), 0xfc00707f, 0x10002057)
RV_INSN(vredmin_vs, R, X(v), VEC, N(vred, MIN, 0, 0), 0xfc00707f, 0x14002057)
RV_INSN(vredmaxu_vs, R, X(v), VEC, N(vred, MAXU, 0, 0), 0xfc00707f, 0x18002057)
RV_INSN(vredmax_vs, R, X(v), VEC, N(vred, MAX, 0, 0), 0xfc00707f, 0x1c002057)
RV_INSN(vwredsumu_vs, R, X(v), VEC, HELP, 0xfc00707f, 0xc0000057)
RV_INSN(vwredsum_vs, R, X(v), VEC, HELP, 0xfc00707f, 0xc4000057)
