/* Unit tests for the image loader (src/machine/loader.c): ELF64 RISC-V
 * images built in memory (placement by p_paddr, bss zeroing, entry), every
 * malformed-header case the loader must refuse with a message and without
 * writing RAM, the Linux `Image` header (2 MiB alignment, image_size), raw
 * binaries, the file-based entry points and read-only files mapped into
 * RAM copy-on-write. Each error case compares all
 * of guest RAM before and after. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/loader.h"
#include "ut.h"

UT_MAIN_STATE

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (4ULL << 20)
#define FILL     0xcc

static struct guest_ram ram;
static uint8_t *snapshot;

static void ram_reset(void)
{
    if (!ram.host) {
        UT_EQ(ram_create(&ram, RAM_BASE, RAM_SIZE), 0);
        snapshot = malloc(RAM_SIZE);
    }
    memset(ram.host, FILL, RAM_SIZE);
}

static uint8_t *at(gpa_t pa)
{
    return ram.host + (pa - RAM_BASE);
}

/* A two-segment RISC-V ELF: .text (16 bytes of file, 64 of memory: the
 * rest is bss) and .data (8 bytes), plus a PT_NOTE that must be ignored.
 * Virtual addresses differ from physical ones: loading follows p_paddr. */
struct elf_img {
    uint8_t b[0x400];
    Elf64_Ehdr *eh;
    Elf64_Phdr *ph; /* 3 entries */
};

static void elf_build(struct elf_img *e)
{
    memset(e->b, 0, sizeof(e->b));
    e->eh = (Elf64_Ehdr *)e->b;
    e->ph = (Elf64_Phdr *)(e->b + sizeof(Elf64_Ehdr));
    Elf64_Ehdr *eh = e->eh;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_RISCV;
    eh->e_version = EV_CURRENT;
    eh->e_entry = RAM_BASE + 0x1004;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 3;

    e->ph[0] = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_X,
                            .p_offset = 0x200,
                            .p_vaddr = 0xffffffff80001000ULL,
                            .p_paddr = RAM_BASE + 0x1000,
                            .p_filesz = 16,
                            .p_memsz = 64,
                            .p_align = 0x1000};
    e->ph[1] = (Elf64_Phdr){.p_type = PT_NOTE,
                            .p_offset = 0x3f0,
                            .p_paddr = 0x10,
                            .p_filesz = 0x1000,
                            .p_memsz = 0x1000};
    e->ph[2] = (Elf64_Phdr){.p_type = PT_LOAD,
                            .p_flags = PF_R | PF_W,
                            .p_offset = 0x300,
                            .p_vaddr = 0xffffffff80003000ULL,
                            .p_paddr = RAM_BASE + 0x3000,
                            .p_filesz = 8,
                            .p_memsz = 8};
    for (int k = 0; k < 16; k++)
        e->b[0x200 + k] = (uint8_t)(0x10 + k);
    for (int k = 0; k < 8; k++)
        e->b[0x300 + k] = (uint8_t)(0xd0 + k);
}

static void test_elf_ok(void)
{
    ram_reset();
    struct elf_img e;
    elf_build(&e);
    struct loaded_image out;
    char err[128] = "";
    UT_EQ(loader_load_buffer(&ram, e.b, 0x308, 0, &out, err, sizeof(err)), 0);
    UT_EQ(err[0], 0);
    UT_CHECK(out.is_elf);
    UT_EQ(out.entry, RAM_BASE + 0x1004);
    UT_EQ(out.start, RAM_BASE + 0x1000);
    UT_EQ(out.end, RAM_BASE + 0x3008);
    for (int k = 0; k < 16; k++)
        UT_EQ(*at(RAM_BASE + 0x1000 + k), 0x10 + k);
    for (int k = 16; k < 64; k++)
        UT_EQ(*at(RAM_BASE + 0x1000 + k), 0); /* bss */
    UT_EQ(*at(RAM_BASE + 0x1000 + 64), FILL);
    UT_EQ(*at(RAM_BASE + 0xfff), FILL);
    for (int k = 0; k < 8; k++)
        UT_EQ(*at(RAM_BASE + 0x3000 + k), 0xd0 + k);
    UT_EQ(*at(RAM_BASE + 0x3008), FILL);
    UT_EQ(*at(RAM_BASE + 0x10), FILL); /* the PT_NOTE was not loaded */

    /* Zero-size PT_LOAD segments are skipped, wherever they point. */
    ram_reset();
    e.ph[2].p_paddr = 0x1000;
    e.ph[2].p_memsz = e.ph[2].p_filesz = 0;
    UT_EQ(loader_load_buffer(&ram, e.b, 0x308, 0, &out, err, sizeof(err)), 0);
    UT_EQ(out.end, RAM_BASE + 0x1040);
}

/* Runs the loader on a corrupt image and checks the error contract: a
 * negative errno, a message, and guest RAM untouched. */
static void expect_error(const uint8_t *buf, size_t len, gpa_t addr, const char *what)
{
    ram_reset();
    memcpy(snapshot, ram.host, RAM_SIZE);
    struct loaded_image out;
    char err[128] = "";
    int rc = loader_load_buffer(&ram, buf, len, addr, &out, err, sizeof(err));
    if (rc >= 0 || err[0] == 0) fprintf(stderr, "  %s: rc %d, err '%s'\n", what, rc, err);
    UT_CHECK(rc < 0);
    UT_CHECK(err[0] != 0);
    UT_CHECK(memchr(err, 0, sizeof(err)) != NULL);
    if (memcmp(snapshot, ram.host, RAM_SIZE) != 0) {
        fprintf(stderr, "  %s: RAM was written\n", what);
        UT_CHECK(0);
    }
}

static void test_elf_errors(void)
{
    struct elf_img e;
    elf_build(&e);
    /* Header cut short, at every length that still has the magic. */
    for (size_t len = 4; len < sizeof(Elf64_Ehdr); len++)
        expect_error(e.b, len, RAM_BASE, "truncated ELF header");

    elf_build(&e);
    e.eh->e_ident[EI_CLASS] = ELFCLASS32;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "ELFCLASS32");
    elf_build(&e);
    e.eh->e_ident[EI_DATA] = ELFDATA2MSB;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "big-endian");
    elf_build(&e);
    e.eh->e_machine = EM_X86_64;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "wrong machine");

    /* Program headers beyond the file, or absurd. */
    elf_build(&e);
    expect_error(e.b, sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) + 10, RAM_BASE,
                 "phdrs cut short");
    elf_build(&e);
    e.eh->e_phoff = sizeof(e.b) - 8;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "e_phoff near the end");
    elf_build(&e);
    e.eh->e_phoff = ~0ULL - 8;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "e_phoff huge");
    elf_build(&e);
    e.eh->e_phnum = 0xffff;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "e_phnum huge");
    elf_build(&e);
    e.eh->e_phnum = 0;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "no program headers");
    elf_build(&e);
    e.eh->e_phentsize = sizeof(Elf64_Phdr) - 8;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "e_phentsize");

    /* Segments: the first one is valid each time, and must not be written
     * when a later one is refused. */
    elf_build(&e);
    e.ph[2].p_filesz = 16;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "p_filesz > p_memsz");
    elf_build(&e);
    e.ph[2].p_memsz = 0; /* and p_filesz 8: still invalid, not an empty segment */
    expect_error(e.b, sizeof(e.b), RAM_BASE, "p_filesz > p_memsz == 0");
    elf_build(&e);
    e.ph[2].p_offset = sizeof(e.b) - 4;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "segment data past the file");
    elf_build(&e);
    e.ph[2].p_offset = ~0ULL - 4;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "p_offset huge");
    elf_build(&e);
    e.ph[2].p_filesz = e.ph[2].p_memsz = ~0ULL;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "p_filesz huge");
    elf_build(&e);
    e.ph[2].p_paddr = RAM_BASE + RAM_SIZE - 4;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "segment past the end of RAM");
    elf_build(&e);
    e.ph[2].p_paddr = RAM_BASE - 4;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "segment below RAM");
    elf_build(&e);
    e.ph[2].p_paddr = 0x1000;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "segment outside RAM");
    elf_build(&e);
    e.ph[2].p_paddr = ~0ULL - 3;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "p_paddr + p_memsz wraps");
    elf_build(&e);
    e.ph[0].p_type = e.ph[2].p_type = PT_NULL;
    expect_error(e.b, sizeof(e.b), RAM_BASE, "no PT_LOAD");
}

/* The Linux RISC-V Image header (Documentation/arch/riscv/boot-image-
 * header.rst): image_size at 0x10, magic "RISCV" at 0x30 and "RSC\x05" at
 * 0x38. */
static void image_build(uint8_t *b, size_t len, uint64_t image_size)
{
    memset(b, 0, len);
    for (size_t k = 0x40; k < len; k++)
        b[k] = (uint8_t)(k * 3);
    b[0] = 0x6f; /* j 0x40 (anything will do) */
    memcpy(b + 0x10, &image_size, 8);
    memcpy(b + 0x30, "RISCV\0\0\0", 8);
    memcpy(b + 0x38, "RSC\x05", 4);
}

static void test_linux_image(void)
{
    static uint8_t img[0x2000];
    struct loaded_image out;
    char err[128] = "";

    /* Loaded at the next 2 MiB boundary; bss up to image_size is zeroed. */
    ram_reset();
    image_build(img, sizeof(img), 0x3000);
    UT_EQ(loader_load_buffer(&ram, img, sizeof(img), RAM_BASE + 0x1000, &out, err, sizeof(err)), 0);
    gpa_t base = RAM_BASE + 0x200000;
    UT_CHECK(!out.is_elf);
    UT_EQ(out.start, base);
    UT_EQ(out.entry, base);
    UT_EQ(out.end, base + 0x3000);
    UT_CHECK(memcmp(at(base), img, sizeof(img)) == 0);
    UT_EQ(*at(base + 0x2000), 0);
    UT_EQ(*at(base + 0x2fff), 0);
    UT_EQ(*at(base + 0x3000), FILL);
    UT_EQ(*at(RAM_BASE + 0x1000), FILL);

    /* An aligned address is used as is; image_size below the file size
     * still loads the whole file. */
    ram_reset();
    image_build(img, sizeof(img), 0x100);
    UT_EQ(loader_load_buffer(&ram, img, sizeof(img), RAM_BASE, &out, err, sizeof(err)), 0);
    UT_EQ(out.start, RAM_BASE);
    UT_EQ(out.end, RAM_BASE + sizeof(img));
    UT_CHECK(memcmp(at(RAM_BASE), img, sizeof(img)) == 0);

    /* Errors: bigger than RAM, past the end of RAM once aligned, and a
     * huge image_size. */
    image_build(img, sizeof(img), RAM_SIZE + 0x1000);
    expect_error(img, sizeof(img), RAM_BASE, "image_size > RAM");
    image_build(img, sizeof(img), 0x300000);
    expect_error(img, sizeof(img), RAM_BASE + 1, "image past the end of RAM once aligned");
    image_build(img, sizeof(img), ~0ULL);
    expect_error(img, sizeof(img), RAM_BASE, "image_size huge");
    image_build(img, sizeof(img), 0x1000);
    expect_error(img, sizeof(img), RAM_BASE + RAM_SIZE, "image above RAM");

    /* The magic alone in a file shorter than the header is not an Image. */
    ram_reset();
    image_build(img, 0x3c, 0);
    memcpy(img + 0x38, "RSC", 3);
    UT_EQ(loader_load_buffer(&ram, img, 0x3b, RAM_BASE + 0x10, &out, err, sizeof(err)), 0);
    UT_EQ(out.start, RAM_BASE + 0x10);
}

static void test_raw(void)
{
    struct loaded_image out;
    char err[128] = "";
    uint8_t raw[100];
    for (size_t k = 0; k < sizeof(raw); k++)
        raw[k] = (uint8_t)(k + 1);
    ram_reset();
    UT_EQ(loader_load_buffer(&ram, raw, sizeof(raw), RAM_BASE + 0x1234, &out, err, sizeof(err)), 0);
    UT_CHECK(!out.is_elf);
    UT_EQ(out.start, RAM_BASE + 0x1234);
    UT_EQ(out.entry, RAM_BASE + 0x1234);
    UT_EQ(out.end, RAM_BASE + 0x1234 + sizeof(raw));
    UT_CHECK(memcmp(at(RAM_BASE + 0x1234), raw, sizeof(raw)) == 0);
    UT_EQ(*at(RAM_BASE + 0x1234 + sizeof(raw)), FILL);
    /* Exactly at the end of RAM fits; one byte more does not. */
    ram_reset();
    UT_EQ(loader_load_buffer(&ram, raw, sizeof(raw), RAM_BASE + RAM_SIZE - sizeof(raw), &out, err,
                             sizeof(err)),
          0);
    expect_error(raw, sizeof(raw), RAM_BASE + RAM_SIZE - sizeof(raw) + 1, "raw past RAM end");
    expect_error(raw, sizeof(raw), 0x1000, "raw below RAM");
    expect_error(raw, 0, RAM_BASE, "empty file");
    expect_error((const uint8_t *)"", 0, RAM_BASE, "empty file");
    /* A 3-byte file cannot hold the ELF magic: it is raw. */
    ram_reset();
    UT_EQ(loader_load_buffer(&ram, (const uint8_t *)ELFMAG, 3, RAM_BASE, &out, err, sizeof(err)),
          0);
    UT_CHECK(!out.is_elf);
}

/* A message longer than the caller's buffer is cut, never overflowed. */
static void test_small_error_buffer(void)
{
    struct elf_img e;
    elf_build(&e);
    e.ph[2].p_paddr = 0x1000;
    char err[8];
    memset(err, 'x', sizeof(err));
    struct loaded_image out;
    ram_reset();
    UT_CHECK(loader_load_buffer(&ram, e.b, sizeof(e.b), RAM_BASE, &out, err, sizeof(err)) < 0);
    UT_CHECK(memchr(err, 0, sizeof(err)) != NULL);
}

static void test_files(void)
{
    char path[] = "/tmp/rvmm-test-loader-XXXXXX";
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    struct elf_img e;
    elf_build(&e);
    UT_EQ(write(fd, e.b, sizeof(e.b)), sizeof(e.b));
    close(fd);

    struct loaded_image out;
    char err[256] = "";
    ram_reset();
    UT_EQ(loader_load(&ram, path, RAM_BASE, &out, err, sizeof(err)), 0);
    UT_CHECK(out.is_elf);
    UT_EQ(out.entry, RAM_BASE + 0x1004);
    /* loader_load_raw takes the bytes verbatim, ELF or not. */
    ram_reset();
    UT_EQ(loader_load_raw(&ram, path, RAM_BASE + 0x8000, &out, err, sizeof(err)), 0);
    UT_EQ(out.start, RAM_BASE + 0x8000);
    UT_EQ(out.end, RAM_BASE + 0x8000 + sizeof(e.b));
    UT_CHECK(memcmp(at(RAM_BASE + 0x8000), e.b, sizeof(e.b)) == 0);
    /* Errors name the file. */
    ram_reset();
    UT_CHECK(loader_load_raw(&ram, path, RAM_BASE + RAM_SIZE - 4, &out, err, sizeof(err)) < 0);
    UT_CHECK(strstr(err, path) != NULL);
    e.eh->e_machine = EM_386;
    fd = open(path, O_WRONLY | O_TRUNC);
    UT_EQ(write(fd, e.b, sizeof(e.b)), sizeof(e.b));
    close(fd);
    UT_CHECK(loader_load(&ram, path, RAM_BASE, &out, err, sizeof(err)) < 0);
    UT_CHECK(strstr(err, path) != NULL);
    unlink(path);
    UT_EQ(loader_load(&ram, path, RAM_BASE, &out, err, sizeof(err)), -ENOENT);
    UT_CHECK(loader_load(&ram, "/tmp", RAM_BASE, &out, err, sizeof(err)) < 0);
    UT_CHECK(loader_load_raw(&ram, "/tmp", RAM_BASE, &out, err, sizeof(err)) < 0);
}

/* A raw file nobody may write is mapped into RAM copy-on-write (whole
 * pages; the tail copied), a writable one copied. Guest writes and balloon
 * discards on the mapped pages never reach the file, and a discarded page
 * reads as zeroes, not as the file's bytes again. */
static void test_shared_file(void)
{
    char path[] = "/tmp/rvmm-test-loader-XXXXXX";
    int fd = mkstemp(path);
    UT_CHECK(fd >= 0);
    enum { LEN = 3 * 4096 + 100 };
    static uint8_t pat[LEN], back[LEN];
    for (size_t k = 0; k < LEN; k++)
        pat[k] = (uint8_t)(k * 7 + 1);
    UT_EQ(write(fd, pat, LEN), LEN);
    close(fd);
    struct guest_ram r;
    struct loaded_image out;
    char err[256] = "";
    const gpa_t pa = RAM_BASE + 0x10000;
    /* Writable: copied, nothing mapped. */
    UT_EQ(chmod(path, 0644), 0);
    UT_EQ(ram_create(&r, RAM_BASE, RAM_SIZE), 0);
    UT_EQ(loader_load_raw(&r, path, pa, &out, err, sizeof(err)), 0);
    UT_EQ(r.nfile_ranges, 0);
    UT_CHECK(memcmp(r.host + 0x10000, pat, LEN) == 0);
    ram_destroy(&r);
    /* Read-only: its three whole pages mapped, the tail copied. */
    UT_EQ(chmod(path, 0444), 0);
    UT_EQ(ram_create(&r, RAM_BASE, RAM_SIZE), 0);
    UT_EQ(loader_load_raw(&r, path, pa, &out, err, sizeof(err)), 0);
    UT_EQ(r.nfile_ranges, 1);
    UT_EQ(r.file_ranges[0].first, 0x10);
    UT_EQ(r.file_ranges[0].npages, 3);
    UT_CHECK(ram_page_on_file(&r, 0x12));
    UT_CHECK(!ram_page_on_file(&r, 0x13));
    UT_CHECK(memcmp(r.host + 0x10000, pat, LEN) == 0);
    r.host[0x10005] ^= 0xff;                    /* a guest store */
    UT_EQ(ram_discard(&r, pa + 4096, 4096), 0); /* the balloon takes page 2 */
    for (size_t k = 0; k < 4096; k++)
        UT_EQ(r.host[0x11000 + k], 0);
    UT_EQ(r.host[0x10005], (uint8_t)(pat[5] ^ 0xff));
    UT_CHECK(memcmp(r.host + 0x12000, pat + 0x2000, LEN - 0x2000) == 0);
    /* The file is as it was. */
    fd = open(path, O_RDONLY);
    UT_EQ(read(fd, back, LEN), LEN);
    close(fd);
    UT_CHECK(memcmp(back, pat, LEN) == 0);
    ram_destroy(&r);
    /* RAM that is not plain anonymous memory (THP asked for) only copies. */
    UT_EQ(ram_create(&r, RAM_BASE, RAM_SIZE), 0);
    r.shareable = false;
    UT_EQ(loader_load_raw(&r, path, pa, &out, err, sizeof(err)), 0);
    UT_EQ(r.nfile_ranges, 0);
    UT_CHECK(memcmp(r.host + 0x10000, pat, LEN) == 0);
    ram_destroy(&r);
    unlink(path);
}

int main(void)
{
    ut_run("loader_elf_ok", test_elf_ok);
    ut_run("loader_elf_errors", test_elf_errors);
    ut_run("loader_linux_image", test_linux_image);
    ut_run("loader_raw", test_raw);
    ut_run("loader_small_error_buffer", test_small_error_buffer);
    ut_run("loader_files", test_files);
    ut_run("loader_shared_file", test_shared_file);
    if (ram.host) ram_destroy(&ram);
    free(snapshot);
    return ut_exit();
}
