/* A command-line driver for rvmm's block backends, for the interop and
 * crash tests in tests/block: opens an image through blockdev_open and runs
 * operations given as arguments, in order:
 *   w:OFF:LEN:BYTE   write LEN bytes of BYTE at OFF
 *   r:OFF:LEN:BYTE   read and check that every byte is BYTE
 *   z:OFF:LEN        write zeroes (unmap)     k:OFF:LEN  write zeroes (keep)
 *   d:OFF:LEN        discard                  f          flush
 *   s                print the disk size
 *   sleep:N          print "OPEN", then hold the image open for N seconds
 *   crash:SLOT[:N]   writer loop for the crash test from slot SLOT (N slots
 *                    at most, so rounds on one image can keep apart)
 *   verify:LOG       checks what the crash log says was flushed
 * Options before the image: -r read-only, -f raw|qcow2, -b DIR (backing
 * files may also live under DIR).
 * Exit status: 0 all passed, 1 a check failed, 2 the open failed. */
#include "backend/block/blockdev.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CRASH_SLOT (16 * 1024) /* slot i of the crash loop starts at i * CRASH_SLOT */

static int check_bytes(const uint8_t *p, size_t len, uint8_t want, uint64_t off)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] != want) {
            fprintf(stderr, "blkcheck: byte at 0x%" PRIx64 " is 0x%02x, want 0x%02x\n", off + i,
                    p[i], want);
            return 1;
        }
    }
    return 0;
}

static int rw(struct blockdev *bd, char op, uint64_t off, uint64_t len, unsigned byte)
{
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) return 1;
    int rc;
    if (op == 'w') {
        memset(buf, (int)byte, len);
        rc = blockdev_write(bd, off, buf, len);
    } else {
        rc = blockdev_read(bd, off, buf, len);
        if (!rc) rc = check_bytes(buf, len, (uint8_t)byte, off) ? -1 : 0;
    }
    free(buf);
    if (rc < -1) fprintf(stderr, "blkcheck: %c at 0x%" PRIx64 ": %s\n", op, off, strerror(-rc));
    return rc ? 1 : 0;
}

/* Slot i of the crash loop: a length, a fill byte (0: write zeroes). */
static void crash_op(uint64_t i, uint64_t *len, uint8_t *byte)
{
    *len = 512 * (1 + i % 24);
    *byte = i % 5 == 4 ? 0 : (uint8_t)(1 + i % 251);
}

/* Writes slot after slot from slot first, flushing every few, and logs
 * "S first" then "F n" once slots below n are flushed. Runs until killed,
 * the disk ends or count slots are written (so a later round starting at
 * first + count meets only slots no earlier round touched). */
static int crash_loop(struct blockdev *bd, uint64_t first, uint64_t count)
{
    srand((unsigned)first);
    uint8_t *buf = malloc(CRASH_SLOT);
    if (!buf) return 1;
    uint64_t slots = bd->size / CRASH_SLOT;
    if (count && first + count < slots) slots = first + count;
    printf("S %" PRIu64 "\n", first);
    int status = 0;
    for (uint64_t i = first; i < slots && !status; i++) {
        uint64_t len;
        uint8_t byte;
        crash_op(i, &len, &byte);
        uint64_t off = i * CRASH_SLOT + (uint64_t)(rand() % 8) * 512;
        int rc;
        if (byte) {
            memset(buf, byte, len);
            rc = blockdev_write(bd, off, buf, len);
        } else {
            /* Data first, so zeroing it frees clusters (or keeps them as
             * preallocated zero clusters). */
            memset(buf, 0xee, CRASH_SLOT);
            rc = blockdev_write(bd, i * CRASH_SLOT, buf, CRASH_SLOT);
            if (!rc) rc = blockdev_write_zeroes(bd, i * CRASH_SLOT, CRASH_SLOT, i % 2);
        }
        if (!rc && i % 7 == 6) {
            rc = blockdev_flush(bd);
            if (!rc) printf("F %" PRIu64 "\n", i + 1);
            fflush(stdout);
        }
        if (rc) {
            fprintf(stderr, "blkcheck: crash loop: %s\n", strerror(-rc));
            status = 1;
        }
    }
    if (!status) printf("DONE\n");
    fflush(stdout);
    free(buf);
    return status;
}

/* After a kill: every slot below the last "F n" holds what was written.
 * The offset inside the slot came from rand(), so check the slot holds
 * exactly len bytes of the byte and zeroes around them (written slots
 * started as zeroes). */
static int crash_verify(struct blockdev *bd, const char *log)
{
    FILE *f = fopen(log, "r");
    if (!f) return 1;
    uint64_t first = 0, flushed = 0, n;
    char line[64];
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "S %" SCNu64, &n) == 1) first = flushed = n;
        if (sscanf(line, "F %" SCNu64, &n) == 1) flushed = n;
    }
    fclose(f);
    uint8_t *buf = malloc(CRASH_SLOT);
    if (!buf) return 1;
    int bad = 0;
    for (uint64_t i = first; i < flushed && !bad; i++) {
        uint64_t len, count = 0;
        uint8_t byte;
        crash_op(i, &len, &byte);
        if (blockdev_read(bd, i * CRASH_SLOT, buf, CRASH_SLOT)) return 1;
        for (size_t k = 0; k < CRASH_SLOT; k++) {
            if (buf[k] == byte)
                count++;
            else if (buf[k] != 0)
                bad = 1;
        }
        if (byte ? count != len : count != CRASH_SLOT) bad = 1;
        if (bad) fprintf(stderr, "blkcheck: slot %" PRIu64 " lost its data\n", i);
    }
    printf("verified %" PRIu64 " flushed slots\n", flushed - first);
    free(buf);
    return bad;
}

/* "N", "0xN", "Nk", "NM", "NG" */
static bool parse_num(const char **s, uint64_t *out)
{
    char *end;
    *out = strtoull(*s, &end, 0);
    if (end == *s) return false;
    if (*end == 'k')
        *out <<= 10, end++;
    else if (*end == 'M')
        *out <<= 20, end++;
    else if (*end == 'G')
        *out <<= 30, end++;
    *s = *end == ':' ? end + 1 : end;
    return true;
}

/* OFF:LEN[:BYTE], all of them present. */
static bool parse_args(const char *s, uint64_t *off, uint64_t *len, unsigned *byte)
{
    uint64_t b = 0;
    if (!parse_num(&s, off) || !parse_num(&s, len)) return false;
    if (byte && !parse_num(&s, &b)) return false;
    if (byte) *byte = (unsigned)b;
    return *s == 0;
}

int main(int argc, char **argv)
{
    bool ro = false;
    enum blockdev_format fmt = BLOCKDEV_AUTO;
    const char *backing_dir = NULL;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "-r"))
            ro = true;
        else if (!strcmp(argv[a], "-f") && a + 1 < argc)
            fmt = !strcmp(argv[++a], "raw") ? BLOCKDEV_RAW : BLOCKDEV_QCOW2;
        else if (!strcmp(argv[a], "-b") && a + 1 < argc)
            backing_dir = argv[++a];
    }
    if (a >= argc) {
        fprintf(stderr, "usage: blkcheck [-r] [-f fmt] IMAGE OP...\n");
        return 2;
    }
    struct blockdev *bd;
    char err[512];
    if (blockdev_open_dir(&bd, argv[a], fmt, ro, backing_dir, err, sizeof(err))) {
        fprintf(stderr, "blkcheck: %s\n", err);
        return 2;
    }
    int status = 0;
    for (a++; a < argc && !status; a++) {
        char op = argv[a][0];
        uint64_t off = 0, len = 0;
        unsigned byte = 0;
        const char *arg = argv[a] + 2;
        if (!strncmp(argv[a], "crash:", 6)) {
            char *end;
            uint64_t first = strtoull(argv[a] + 6, &end, 0);
            uint64_t count = *end == ':' ? strtoull(end + 1, NULL, 0) : 0;
            status = crash_loop(bd, first, count);
        } else if (!strncmp(argv[a], "verify:", 7)) {
            status = crash_verify(bd, argv[a] + 7);
        } else if (!strncmp(argv[a], "sleep:", 6)) {
            /* The caller waits for this line, not for a time, to know the
             * image is open (and locked). */
            printf("OPEN\n");
            fflush(stdout);
            sleep((unsigned)strtoul(argv[a] + 6, NULL, 0));
        } else if (op == 'f') {
            status = blockdev_flush(bd) ? 1 : 0;
        } else if (op == 's') {
            printf("%" PRIu64 "\n", bd->size);
        } else if ((op == 'w' || op == 'r') && parse_args(arg, &off, &len, &byte)) {
            status = rw(bd, op, off, len, byte);
        } else if ((op == 'z' || op == 'k' || op == 'd') && parse_args(arg, &off, &len, NULL)) {
            int rc = op == 'd' ? blockdev_discard(bd, off, len)
                               : blockdev_write_zeroes(bd, off, len, op == 'z');
            if (rc) fprintf(stderr, "blkcheck: %s: %s\n", argv[a], strerror(-rc));
            status = rc ? 1 : 0;
        } else {
            fprintf(stderr, "blkcheck: bad operation %s\n", argv[a]);
            status = 2;
        }
    }
    blockdev_close(bd);
    return status;
}
