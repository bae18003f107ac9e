/* V mask instructions (V chapter 15): rows of the instruction list
 * (columns in insn_list.h), handlers in interp_v_mask.c. The .mm forms
 * need vm = 1; vcpop.m and vfirst.m write x[rd]. */
RV_INSN(vmandn_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x62002057)
RV_INSN(vmand_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x66002057)
RV_INSN(vmor_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x6a002057)
RV_INSN(vmxor_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x6e002057)
RV_INSN(vmorn_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x72002057)
RV_INSN(vmnand_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x76002057)
RV_INSN(vmnor_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x7a002057)
RV_INSN(vmxnor_mm, R, X(v), VEC, HELP, 0xfe00707f, 0x7e002057)
RV_INSN(vcpop_m, R, X(v), NO, HELP, 0xfc0ff07f, 0x40082057)
RV_INSN(vfirst_m, R, X(v), NO, HELP, 0xfc0ff07f, 0x4008a057)
RV_INSN(vmsbf_m, R, X(v), VEC, HELP, 0xfc0ff07f, 0x5000a057)
RV_INSN(vmsof_m, R, X(v), VEC, HELP, 0xfc0ff07f, 0x50012057)
RV_INSN(vmsif_m, R, X(v), VEC, HELP, 0xfc0ff07f, 0x5001a057)
RV_INSN(viota_m, R, X(v), VEC, HELP, 0xfc0ff07f, 0x50082057)
RV_INSN(vid_v, R, X(v), VEC, HELP, 0xfdfff07f, 0x5008a057)
