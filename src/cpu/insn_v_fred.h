/* V floating-point reductions (V chapter 14.3, 14.4): rows of the
 * instruction list (columns in insn_list.h), handlers in interp_v_fred.c. */
RV_INSN(vfredusum_vs, R, X(v), VEC, HELP, 0xfc00707f, 0x04001057)
RV_INSN(vfredosum_vs, R, X(v), VEC, HELP, 0xfc00707f, 0x0c001057)
RV_INSN(vfredmin_vs, R, X(v), VEC, HELP, 0xfc00707f, 0x14001057)
RV_INSN(vfredmax_vs, R, X(v), VEC, HELP, 0xfc00707f, 0x1c001057)
RV_INSN(vfwredusum_vs, R, X(v), VEC, HELP, 0xfc00707f, 0xc4001057)
RV_INSN(vfwredosum_vs, R, X(v), VEC, HELP, 0xfc00707f, 0xcc001057)
