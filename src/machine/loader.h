/* Loads guest images into RAM: ELF (by program headers' physical
 * addresses), the Linux RISC-V `Image` format (Documentation/riscv/boot-
 * image-header.rst), and raw binaries. Every offset and size read from a
 * file is checked against the file and against RAM. Errors are returned as
 * a negative errno with a one-line message in err. */
#ifndef RVMM_MACHINE_LOADER_H
#define RVMM_MACHINE_LOADER_H

#include "mem/ram.h"

struct loaded_image {
    gpa_t start, end; /* guest physical range written */
    gpa_t entry;
    bool is_elf;
};

/* Loads `path`. ELF files go where their headers say; an Image goes at
 * `addr` rounded up to its 2 MiB alignment; raw files go at `addr`. */
int loader_load(struct guest_ram *ram, const char *path, gpa_t addr, struct loaded_image *out,
                char *err, size_t errlen);

/* Loads a file's bytes verbatim at addr (initrd, raw firmware). */
int loader_load_raw(struct guest_ram *ram, const char *path, gpa_t addr, struct loaded_image *out,
                    char *err, size_t errlen);

/* Same, from memory: for parsing tests and fuzzing. */
int loader_load_buffer(struct guest_ram *ram, const uint8_t *buf, size_t len, gpa_t addr,
                       struct loaded_image *out, char *err, size_t errlen);

#endif
