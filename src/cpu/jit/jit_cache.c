/* Code cache memory and the enter/exit trampolines (see jit_cache.h). The
 * mapping is writable and executable at once: new code is written where
 * no hart runs yet, under the block cache's mutex, and published by a
 * release store of its pointer; a published jump is repointed only by an
 * aligned atomic store (x64_relink). */
#include "cpu/jit/jit_cache.h"

#include "cpu/jit/jit_regcache.h"
#include "cpu/jit/x64_emit.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define JIT_HUGE_PAGE (2u << 20)
#define JIT_HUGE_SPAN (4u << 20)
#define JT_BYTES      (sizeof(struct jit_jt_entry) << JIT_JT_BITS)

/* The callee-saved registers native code may use: rbx holds the hart. */
static const enum x64_reg saved[] = {X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};

/* A call from native code to fn(h, rsi) with instret stored first and
 * reloaded after, the stack 16-byte aligned again (the call to the stub
 * pushed 8 bytes), eax = fn's result. */
static void emit_c_call(struct x64_buf *b, uintptr_t fn)
{
    x64_mov_rr(b, true, X64_RDI, X64_RBX);
    x64_store(b, true, x64_m(X64_RBX, (int32_t)offsetof(struct rv_hart, instret)), JIT_INSTRET);
    x64_alu_ri(b, true, X64_SUB, X64_RSP, 8);
    x64_mov_imm(b, X64_RAX, fn);
    x64_call_r(b, X64_RAX);
    x64_alu_ri(b, true, X64_ADD, X64_RSP, 8);
    x64_load(b, true, JIT_INSTRET, x64_m(X64_RBX, (int32_t)offsetof(struct rv_hart, instret)));
}

static struct x64_mem spill(unsigned s)
{
    return x64_m(X64_RBX, (int32_t)(offsetof(struct rv_hart, jit_spill) + 8 * s));
}

/* The helper stubs native code calls with rsi = a record (jit_cache.h):
 * one copy of the call sequence instead of one per call site. */
static void emit_stubs(struct jit_code *j, struct x64_buf *b)
{
    j->call_stub = b->p;
    emit_c_call(b, (uintptr_t)jit_call);
    rc_load_globals(b); /* the handler may have written one */
    x64_ret(b);
    j->rcall_stub = b->p;
    emit_c_call(b, (uintptr_t)jit_rcall);
    rc_load_globals(b);
    x64_ret(b);
    j->cold_stub = b->p;
    for (unsigned s = 0; s < RC_NPOOL; s++)
        x64_store(b, true, spill(s), rc_host(s));
    emit_c_call(b, (uintptr_t)jit_cold_call);
    for (unsigned s = 0; s < RC_NPOOL; s++)
        x64_load(b, true, rc_host(s), spill(s));
    x64_ret(b);
    const int32_t from = (int32_t)offsetof(struct rv_hart, jit_from);
    for (unsigned k = 0; k < 2; k++) {
        j->exit_chain[k] = b->p;
        x64_test_rr(b, true, X64_RAX, X64_RAX);
        x64_patch_rel32(b->start + x64_jcc(b, X64_CC_E), j->exit_plain);
        x64_store(b, true, x64_m(X64_RBX, from), X64_RAX);
        x64_mov_imm(b, X64_RAX, JIT_RET_CHAIN0 + k);
        x64_patch_rel32(b->start + x64_jmp(b), j->exit);
    }
    j->exit_site = b->p;
    x64_store(b, true, x64_m(X64_RBX, from), X64_RAX);
    x64_store(b, true, x64_m(X64_RBX, (int32_t)offsetof(struct rv_hart, jit_site)), X64_RCX);
    x64_mov_imm(b, X64_RAX, JIT_RET_SITE);
    x64_patch_rel32(b->start + x64_jmp(b), j->exit);
}

/* enter(h, code): saves callee-saved registers, keeps the stack 16-byte
 * aligned for helper calls (6 pushes + 8 after the return address), loads
 * the hart into rbx and jumps to the block. exit: the reverse, returning
 * eax. */
static void emit_trampolines(struct jit_code *j)
{
    struct x64_buf b = {j->code, j->code, j->code + 1024, false};
    j->enter = (jit_enter_fn)(void *)b.p;
    for (size_t k = 0; k < ARRAY_SIZE(saved); k++)
        x64_push(&b, saved[k]);
    x64_alu_ri(&b, true, X64_SUB, X64_RSP, 8);
    x64_mov_rr(&b, true, X64_RBX, X64_RDI);
    x64_load(&b, true, JIT_INSTRET, x64_m(X64_RBX, (int32_t)offsetof(struct rv_hart, instret)));
    rc_load_globals(&b);
    x64_jmp_r(&b, X64_RSI);
    j->exit_plain = b.p;
    x64_mov_imm(&b, X64_RAX, JIT_RET_PLAIN);
    j->exit = b.p;
    x64_store(&b, true, x64_m(X64_RBX, (int32_t)offsetof(struct rv_hart, instret)), JIT_INSTRET);
    rc_store_globals(&b);
    x64_alu_ri(&b, true, X64_ADD, X64_RSP, 8);
    for (size_t k = ARRAY_SIZE(saved); k-- > 0;)
        x64_pop(&b, saved[k]);
    x64_ret(&b);
    emit_stubs(j, &b);
    j->fixed = (x64_offset(&b) + 63) & ~(size_t)63;
}

int jit_code_create(struct jit_code **out)
{
    struct jit_code *j = calloc(1, sizeof(*j));
    if (!j) return -ENOMEM;
    /* Reserved with room to start on a huge-page boundary: see below. */
    size_t span = JIT_CODE_SIZE + JIT_HUGE_PAGE;
    uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        free(j);
        return -ENOMEM;
    }
    uint8_t *code =
        (uint8_t *)(((uintptr_t)p + JIT_HUGE_PAGE - 1) & ~(uintptr_t)(JIT_HUGE_PAGE - 1));
    if (code > p) munmap(p, (size_t)(code - p));
    if (code + JIT_CODE_SIZE < p + span)
        munmap(code + JIT_CODE_SIZE, (size_t)(p + span - code - JIT_CODE_SIZE));
    /* A guest's rarely run paths (a timer tick's handler, every 4 ms) are
     * spread over the kernel's code and run with the host's caches cold:
     * on 4 KiB pages each block costs an instruction-TLB miss too. Huge
     * pages make that code a few TLB entries, but are resident in 2 MiB
     * steps: only the first JIT_HUGE_SPAN, which the kernel's code
     * (translated first) fills, is on huge pages; the rest costs what the
     * bump allocator reached, to the 4 KiB page (on bench/cpu.sh's
     * workload, 7.0 MiB of code was 8.0 resident all on huge pages).
     * Advice only: a host without transparent huge pages runs the same
     * code. */
    madvise(code, JIT_HUGE_SPAN, MADV_HUGEPAGE);
    j->code = code;
    /* Untouched pages cost nothing. */
    void *d = mmap(NULL, JIT_DATA_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (d == MAP_FAILED) {
        jit_code_destroy(j);
        return -ENOMEM;
    }
    j->data = d;
    emit_trampolines(j);
    j->used = j->fixed;
    *out = j;
    return 0;
}

void jit_code_destroy(void *p)
{
    struct jit_code *j = p;
    if (!j) return;
    if (j->code) munmap(j->code, JIT_CODE_SIZE);
    if (j->data) munmap(j->data, JIT_DATA_SIZE);
    free(j);
}

int jit_cache_init(struct jit *j)
{
    /* Zero pages until used: a fresh or reset table costs no memory. */
    void *jt = mmap(NULL, JT_BYTES, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    j->jt = jt == MAP_FAILED ? NULL : jt;
    j->scratch = malloc(JIT_SCRATCH_BLOCKS * JIT_SCRATCH_BLOCK);
    if (!j->jt || !j->scratch) {
        jit_cache_free(j);
        return -ENOMEM;
    }
    return 0;
}

void jit_cache_free(struct jit *j)
{
    if (j->jt) munmap(j->jt, JT_BYTES);
    free(j->scratch);
    j->scratch = NULL;
    j->jt = NULL;
}

void jit_jt_reset(struct jit *j)
{
    /* An empty entry is all zero: it matches only a jump to 0 whose fetch
     * TLB entry is valid (tag 0) with an addend of 0, which would map page
     * 0 to host address 0, so never. Dropping the pages makes them zero
     * again without touching them. */
    madvise(j->jt, JT_BYTES, MADV_DONTNEED);
}

bool jit_cache_room(const struct jit_code *j, unsigned n)
{
    /* An instruction makes at most two helper calls (an FP access). */
    return j->used + sizeof(struct jit_hdr) + JIT_BLOCK_MAX <= JIT_CODE_SIZE &&
           j->data_used + 2 * n * sizeof(struct jit_rec) <= JIT_DATA_SIZE;
}
