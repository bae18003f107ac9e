/* V configuration-setting instructions (V chapter 6): rows of the
 * instruction list (columns in insn_list.h), handlers in interp_v_cfg.c. */
RV_INSN(vsetvli, R, X(v), NO, N(vset, 0, 0, 0), 0x8000707f, 0x00007057)
RV_INSN(vsetivli, R, X(v), NO, N(vset, 1, 0, 0), 0xc000707f, 0xc0007057)
RV_INSN(vsetvl, R, X(v), NO, HELP, 0xfe00707f, 0x80007057)
