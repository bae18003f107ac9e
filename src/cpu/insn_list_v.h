/* The vector extension's rows (unpriv spec chapter "V", RVV 1.0), as one
 * list file per instruction family, each with its handlers in
 * src/cpu/interp_v_<family>.c. A family is added by one include line here
 * (see interp_v.h for the contract a family keeps); the families' rows
 * never overlap, so their order does not matter. Included by insn_list.h
 * only. */
#include "cpu/insn_v_cfg.h"
#include "cpu/insn_v_mem.h"
#include "cpu/insn_v_int.h"
#include "cpu/insn_v_fix.h"
#include "cpu/insn_v_mask.h"
#include "cpu/insn_v_perm.h"
#include "cpu/insn_v_red.h"
#include "cpu/insn_v_fp.h"
#include "cpu/insn_v_fred.h"
#include "cpu/insn_v_fcvt.h"
#include "cpu/insn_v_fest.h"
