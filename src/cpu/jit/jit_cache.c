/* Code cache memory and the enter/exit trampolines (see jit_cache.h). The
 * mapping is writable and executable at once: only this hart's thread
 * writes or runs it, and it patches code only while not running it. */
#include "cpu/jit/jit_cache.h"

#include "cpu/jit/jit_regcache.h"
#include "cpu/jit/x64_emit.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define JIT_HUGE_PAGE (2u << 20)

/* The callee-saved registers native code may use: rbx holds the hart. */
static const enum x64_reg saved[] = {X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};

/* enter(h, code): saves callee-saved registers, keeps the stack 16-byte
 * aligned for helper calls (6 pushes + 8 after the return address), loads
 * the hart into rbx and jumps to the block. exit: the reverse, returning
 * eax. */
static void emit_trampolines(struct jit *j)
{
    struct x64_buf b = {j->code, j->code, j->code + 256, false};
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
    j->fixed = (x64_offset(&b) + 63) & ~(size_t)63;
}

int jit_cache_init(struct jit *j)
{
    /* Reserved with room to start on a huge-page boundary: see below. */
    size_t span = JIT_CODE_SIZE + JIT_HUGE_PAGE;
    uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return -errno;
    uint8_t *code =
        (uint8_t *)(((uintptr_t)p + JIT_HUGE_PAGE - 1) & ~(uintptr_t)(JIT_HUGE_PAGE - 1));
    if (code > p) munmap(p, (size_t)(code - p));
    if (code + JIT_CODE_SIZE < p + span)
        munmap(code + JIT_CODE_SIZE, (size_t)(p + span - code - JIT_CODE_SIZE));
    /* A guest's rarely run paths (a timer tick's handler, every 4 ms) are
     * spread over the whole cache and run with the host's caches cold:
     * on 4 KiB pages each block costs an instruction-TLB miss too. Huge
     * pages make the cache a few TLB entries; only the 2 MiB chunks the
     * bump allocator has reached become resident. Advice only: a host
     * without transparent huge pages runs the same code. */
    madvise(code, JIT_CODE_SIZE, MADV_HUGEPAGE);
    j->code = code;
    j->data = calloc(JIT_DATA_SLOTS, sizeof(*j->data));
    j->jt = calloc(1u << JIT_JT_BITS, sizeof(*j->jt));
    j->scratch = malloc(JIT_SCRATCH_BLOCKS * JIT_SCRATCH_BLOCK);
    if (!j->data || !j->jt || !j->scratch) {
        jit_cache_free(j);
        return -ENOMEM;
    }
    emit_trampolines(j);
    jit_cache_reset(j);
    return 0;
}

void jit_cache_free(struct jit *j)
{
    if (j->code) munmap(j->code, JIT_CODE_SIZE);
    free(j->data);
    free(j->jt);
    free(j->scratch);
    j->scratch = NULL;
    j->code = NULL;
    j->data = NULL;
    j->jt = NULL;
}

void jit_cache_reset(struct jit *j)
{
    j->used = j->fixed;
    j->data_used = 0;
    /* No jalr target is odd: an all-ones va never matches. */
    memset(j->jt, 0xff, (sizeof(*j->jt)) << JIT_JT_BITS);
}

bool jit_cache_room(const struct jit *j, unsigned n)
{
    /* An instruction makes at most two helper calls (an FP access). */
    return j->used + JIT_BLOCK_MAX <= JIT_CODE_SIZE && j->data_used + 2 * n <= JIT_DATA_SLOTS;
}
