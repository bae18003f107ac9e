/* Image loaders. Parses untrusted files: nothing read from a file is used
 * as an offset or size before it is checked. Must not leave a partly
 * written RAM range unreported: on error nothing is considered loaded. */
#include "machine/loader.h"

#include <elf.h>
#include "common/errmsg.h"
#include "common/safe_open.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_MAGIC2_OFF 0x38
#define IMAGE_HDR_SIZE   0x40
#define IMAGE_ALIGN      0x200000ULL

static int put(struct guest_ram *ram, gpa_t addr, const void *src, uint64_t filesz, uint64_t memsz,
               char *err, size_t errlen)
{
    uint8_t *dst = ram_dma(ram, addr, memsz);
    if (!dst)
        return errmsg_set(err, errlen, -EINVAL,
                          "image range 0x%llx+0x%llx does not fit in guest RAM (0x%llx-0x%llx)",
                          (unsigned long long)addr, (unsigned long long)memsz,
                          (unsigned long long)ram->base,
                          (unsigned long long)(ram->base + ram->size));
    memcpy(dst, src, filesz);
    memset(dst + filesz, 0, memsz - filesz);
    ram_note_write(ram, addr, memsz);
    return 0;
}

/* Copies an image to `at` (memsz bytes, the tail zeroed) and records it as
 * loaded there with its entry at the start. */
static int place(struct guest_ram *ram, gpa_t at, const uint8_t *buf, size_t len, uint64_t memsz,
                 struct loaded_image *out, char *err, size_t errlen)
{
    int rc = put(ram, at, buf, len, memsz, err, errlen);
    if (rc) return rc;
    out->start = at;
    out->end = at + memsz;
    out->entry = at;
    return 0;
}

static int load_elf(struct guest_ram *ram, const uint8_t *buf, size_t len, struct loaded_image *out,
                    char *err, size_t errlen)
{
    if (len < sizeof(Elf64_Ehdr)) return errmsg_set(err, errlen, -EINVAL, "truncated ELF header");
    Elf64_Ehdr eh;
    memcpy(&eh, buf, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return errmsg_set(err, errlen, -EINVAL, "not a 64-bit little-endian ELF");
    if (eh.e_machine != EM_RISCV)
        return errmsg_set(err, errlen, -EINVAL, "ELF is not for RISC-V (e_machine %u)",
                          eh.e_machine);
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > len ||
        (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
        return errmsg_set(err, errlen, -EINVAL, "truncated or corrupt ELF program headers");
    /* Check every segment before writing any. */
    gpa_t lo = ~0ULL, hi = 0;
    for (unsigned k = 0; k < 2; k++) {
        for (unsigned n = 0; n < eh.e_phnum; n++) {
            Elf64_Phdr ph;
            memcpy(&ph, buf + eh.e_phoff + n * sizeof(ph), sizeof(ph));
            /* Empty segments are skipped; p_filesz > p_memsz never is. */
            if (ph.p_type != PT_LOAD || (ph.p_memsz == 0 && ph.p_filesz == 0)) continue;
            if (ph.p_filesz > ph.p_memsz || ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
                return errmsg_set(err, errlen, -EINVAL, "truncated or corrupt ELF segment %u", n);
            if (!ram_contains(ram, ph.p_paddr, ph.p_memsz))
                return errmsg_set(err, errlen, -EINVAL,
                                  "ELF segment %u at 0x%llx+0x%llx is outside guest RAM", n,
                                  (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz);
            if (k == 1) {
                int rc =
                    put(ram, ph.p_paddr, buf + ph.p_offset, ph.p_filesz, ph.p_memsz, err, errlen);
                if (rc) return rc;
            }
            if (ph.p_paddr < lo) lo = ph.p_paddr;
            if (ph.p_paddr + ph.p_memsz > hi) hi = ph.p_paddr + ph.p_memsz;
        }
    }
    if (hi == 0) return errmsg_set(err, errlen, -EINVAL, "ELF has no loadable segment");
    out->start = lo;
    out->end = hi;
    out->entry = eh.e_entry;
    out->is_elf = true;
    return 0;
}

static bool is_linux_image(const uint8_t *buf, size_t len)
{
    return len >= IMAGE_HDR_SIZE && memcmp(buf + IMAGE_MAGIC2_OFF, "RSC\x05", 4) == 0;
}

int loader_load_buffer(struct guest_ram *ram, const uint8_t *buf, size_t len, gpa_t addr,
                       struct loaded_image *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (len >= 4 && memcmp(buf, ELFMAG, SELFMAG) == 0)
        return load_elf(ram, buf, len, out, err, errlen);
    if (is_linux_image(buf, len)) {
        uint64_t image_size;
        memcpy(&image_size, buf + 0x10, 8);
        if (image_size < len)
            image_size = len; /* image_size covers bss; never copy less than the file */
        gpa_t at = (addr + IMAGE_ALIGN - 1) & ~(IMAGE_ALIGN - 1);
        if (image_size > ram->size)
            return errmsg_set(err, errlen, -EINVAL, "kernel image size 0x%llx exceeds guest RAM",
                              (unsigned long long)image_size);
        return place(ram, at, buf, len, image_size, out, err, errlen);
    }
    if (len == 0) return errmsg_set(err, errlen, -EINVAL, "image file is empty");
    return place(ram, addr, buf, len, len, out, err, errlen);
}

/* Reads `path` and loads it as an image (detected format) or raw bytes;
 * errors name the file. */
static int load_path(struct guest_ram *ram, const char *path, gpa_t addr, bool raw,
                     struct loaded_image *out, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    /* Nothing larger than guest RAM can be loaded into it: refused by its
     * size before a byte is read (a sparse 20 GiB file costs nothing). */
    int rc = safe_read_file(path, ram->size, &buf, &len, err, errlen);
    if (rc == -EFBIG)
        return errmsg_set(err, errlen, rc, "'%s' is larger than guest RAM (%llu MiB)", path,
                          (unsigned long long)(ram->size >> 20));
    if (rc) return rc;
    char inner[200];
    memset(out, 0, sizeof(*out));
    rc = raw ? place(ram, addr, buf, len, len, out, inner, sizeof(inner))
             : loader_load_buffer(ram, buf, len, addr, out, inner, sizeof(inner));
    if (rc) errmsg_set(err, errlen, rc, "'%s': %s", path, inner);
    free(buf);
    return rc;
}

int loader_load(struct guest_ram *ram, const char *path, gpa_t addr, struct loaded_image *out,
                char *err, size_t errlen)
{
    return load_path(ram, path, addr, false, out, err, errlen);
}

int loader_load_raw(struct guest_ram *ram, const char *path, gpa_t addr, struct loaded_image *out,
                    char *err, size_t errlen)
{
    return load_path(ram, path, addr, true, out, err, errlen);
}
