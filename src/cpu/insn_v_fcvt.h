/* V floating-point conversions (V 13.17-13.19: single-width, widening and
 * narrowing, with the rtz and rod forms; Zvfhmin's binary16 ones): rows of
 * the instruction list (columns in insn_list.h), handlers in
 * interp_v_fcvt.c. The vs1 field picks the operation within VFUNARY0
 * (funct6 010010). */
RV_INSN(vfcvt_xu_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48001057)
RV_INSN(vfcvt_x_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48009057)
RV_INSN(vfcvt_f_xu_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48011057)
RV_INSN(vfcvt_f_x_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48019057)
RV_INSN(vfcvt_rtz_xu_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48031057)
RV_INSN(vfcvt_rtz_x_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48039057)
RV_INSN(vfwcvt_xu_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48041057)
RV_INSN(vfwcvt_x_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48049057)
RV_INSN(vfwcvt_f_xu_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48051057)
RV_INSN(vfwcvt_f_x_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48059057)
RV_INSN(vfwcvt_f_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48061057)
RV_INSN(vfwcvt_rtz_xu_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48071057)
RV_INSN(vfwcvt_rtz_x_f_v, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48079057)
RV_INSN(vfncvt_xu_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48081057)
RV_INSN(vfncvt_x_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48089057)
RV_INSN(vfncvt_f_xu_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48091057)
RV_INSN(vfncvt_f_x_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x48099057)
RV_INSN(vfncvt_f_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x480a1057)
RV_INSN(vfncvt_rod_f_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x480a9057)
RV_INSN(vfncvt_rtz_xu_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x480b1057)
RV_INSN(vfncvt_rtz_x_f_w, R, X(v), VEC, HELP, 0xfc0ff07f, 0x480b9057)
