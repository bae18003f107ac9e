/* V floating-point estimates (V 13.9 vfrsqrt7, 13.10 vfrec7): rows of the
 * instruction list (columns in insn_list.h), handlers in interp_v_fest.c.
 * The vs1 field picks the operation within VFUNARY1 (funct6 010011). */
RV_INSN(vfrsqrt7_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x4c021057)
RV_INSN(vfrec7_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x4c029057)
