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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

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

/* The file's bytes in an anonymous mapping of their own, not the heap:
 * freed, a multi-MiB buffer would stay in the heap's top, resident for
 * the life of the VM (glibc raises its trim threshold after such frees). */
static int read_fd(int fd, const char *path, uint64_t size, uint8_t **buf, size_t *len,
                   size_t *maplen, char *err, size_t errlen)
{
    *maplen = (size_t)((size + RAM_PAGE_SIZE) & ~(RAM_PAGE_SIZE - 1)); /* never 0 */
    uint8_t *b = mmap(NULL, *maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED) return errmsg_set(err, errlen, -ENOMEM, "%s: out of memory", path);
    /* Only the size fstat gave: a file growing meanwhile is not followed. */
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, b + got, (size_t)size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int rc = errmsg_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
            munmap(b, *maplen);
            return rc;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    *buf = b;
    *len = got;
    return 0;
}

/* Reads `path` and loads it as an image (detected format) or raw bytes;
 * errors name the file. An Image or raw file nobody may write (no w bit in
 * its mode: the user's promise that it stays as it is) is then mapped over
 * the copy in RAM (ram_share_file), so VMs booted from it share the pages
 * their guests never write. */
static int load_path(struct guest_ram *ram, const char *path, gpa_t addr, bool raw,
                     struct loaded_image *out, char *err, size_t errlen)
{
    uint64_t size;
    struct stat st;
    /* Nothing larger than guest RAM can be loaded into it: refused by its
     * size before a byte is read (a sparse 20 GiB file costs nothing). */
    int fd = safe_open(path, O_RDONLY, SAFE_REG, ram->size, &size, &st, err, errlen);
    if (fd == -EFBIG)
        return errmsg_set(err, errlen, fd, "'%s' is larger than guest RAM (%llu MiB)", path,
                          (unsigned long long)(ram->size >> 20));
    if (fd < 0) return fd;
    uint8_t *buf = NULL;
    size_t len = 0, maplen = 0;
    int rc = read_fd(fd, path, size, &buf, &len, &maplen, err, errlen);
    if (rc) {
        close(fd);
        return rc;
    }
    char inner[200];
    memset(out, 0, sizeof(*out));
    rc = raw ? place(ram, addr, buf, len, len, out, inner, sizeof(inner))
             : loader_load_buffer(ram, buf, len, addr, out, inner, sizeof(inner));
    if (rc) errmsg_set(err, errlen, rc, "'%s': %s", path, inner);
    /* An ELF's segments sit at file offsets of their own: copied only. */
    if (!rc && !out->is_elf && !(st.st_mode & 0222)) {
        rc = ram_share_file(ram, out->start, fd, buf, len);
        if (rc < 0)
            errmsg_set(err, errlen, rc, "'%s': cannot map it into guest RAM: %s", path,
                       strerror(-rc));
        else
            rc = 0;
    }
    munmap(buf, maplen);
    close(fd);
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
