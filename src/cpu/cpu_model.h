/* The CPU model: which ISA extensions the virtual harts offer. It is parsed
 * from a QEMU-style --cpu string ("rv64[,EXT=on|off]..."), and from it come
 * misa, the device tree's riscv,isa and riscv,isa-extensions, and which
 * instructions the decoder accepts. The extensions themselves are the rows
 * of cpu_ext_list.h. A model is a plain value: boards and snapshots copy it. */
#ifndef RVMM_CPU_CPU_MODEL_H
#define RVMM_CPU_CPU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpu_ext {
#define CPU_EXT(name, letter, flags, needs) CPU_EXT_##name,
#include "cpu/cpu_ext_list.h"
#undef CPU_EXT
    CPU_EXT_COUNT
};

_Static_assert(CPU_EXT_COUNT <= 64, "the extension set is one 64-bit word");

/* The bit of an extension in cpu_model.ext. */
#define CPU_X(name) (1ULL << CPU_EXT_##name)

/* The cache-block size of Zicbom/Zicboz: what cbo.zero writes, what the
 * device tree reports. */
#define CPU_CBO_BLOCK 64

/* VLEN, the bits of a vector register (V): a power of two in this range,
 * ELEN being 64 (unpriv spec, V chapter 2). QEMU 7.2 takes 128..1024 too. */
#define CPU_VLEN_MIN     128
#define CPU_VLEN_MAX     1024
#define CPU_VLEN_DEFAULT 128

struct cpu_model {
    uint64_t ext;  /* CPU_X() bits; 0 means "no model given" in overrides */
    uint32_t vlen; /* VLEN with V (0 reads as CPU_VLEN_DEFAULT) */
};

/* VLEN of a model, whatever built it (a zero vlen is the default). */
static inline unsigned cpu_model_vlen(const struct cpu_model *m)
{
    return m->vlen ? m->vlen : CPU_VLEN_DEFAULT;
}

/* The model rvmm gives when none is asked for. */
void cpu_model_default(struct cpu_model *m);
/* Parses "rv64[,EXT=on|off|true|false]...[,vlen=N]". On error returns
 * -EINVAL with one line in err (unknown extension, malformed item, an
 * extension rvmm cannot change, a combination the spec forbids, a VLEN
 * that is not a power of two in range) and leaves m alone. */
int cpu_model_parse(struct cpu_model *m, const char *spec, char *err, size_t errlen);
/* The shortest spec that parses back to m: "rv64" plus what differs from
 * the default. Returns the length snprintf would (truncated if >= len). */
int cpu_model_format(const struct cpu_model *m, char *buf, size_t len);
/* The extensions turned on, as a comma-separated list of names, with
 * "vlen=N" after them when V is on (the snapshot's record of the model);
 * cpu_model_from_list reads it back and refuses unknown names. */
int cpu_model_list(const struct cpu_model *m, char *buf, size_t len);
int cpu_model_from_list(struct cpu_model *m, const char *list, char *err, size_t errlen);

static inline bool cpu_model_has(const struct cpu_model *m, enum cpu_ext e)
{
    return (m->ext >> e) & 1;
}

/* misa (priv spec 3.1.1): MXL = 64 and one bit per letter extension on. */
uint64_t cpu_model_misa(const struct cpu_model *m);
/* The device tree's riscv,isa string, e.g. "rv64imafdc_zicsr_zifencei". */
int cpu_model_isa_string(const struct cpu_model *m, char *buf, size_t len);
/* riscv,isa-extensions: the names as a device-tree string list (each
 * NUL-terminated, one after the other). Returns its length in bytes, or
 * -ENOSPC. */
int cpu_model_isa_extensions(const struct cpu_model *m, char *buf, size_t len);
/* Whether the decoder may accept instruction op (enum rv_op) under m. */
bool cpu_model_allows_op(uint64_t ext, unsigned op);
/* The name of an extension, as --cpu spells it. */
const char *cpu_ext_name(enum cpu_ext e);

#endif
