/* libFuzzer target for the GDB stub's framing (src/vmm/gdbstub_proto.c):
 * any byte stream fed to the receiver must keep it in bounds (a packet's
 * length within GDB_PACKET_MAX, NUL-terminated), and every packet it
 * accepts must frame back into bytes the receiver accepts as the same
 * packet. The hex parsers get each packet too. Aborts on any violation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/gdbstub_proto.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_gdbstub: %s failed\n", #cond);                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static struct gdb_rx rx, again;
static char frame[2 * GDB_PACKET_MAX + 8];

static void check_packet(void)
{
    CHECK(rx.len <= GDB_PACKET_MAX);
    CHECK(rx.buf[rx.len] == '\0');
    size_t n = gdb_frame(frame, sizeof(frame), rx.buf, rx.len);
    CHECK(n > 0);
    gdb_rx_init(&again);
    enum gdb_rx_event e = GDB_RX_NONE;
    for (size_t k = 0; k < n; k++) {
        CHECK(e == GDB_RX_NONE);
        e = gdb_rx_byte(&again, (uint8_t)frame[k]);
    }
    CHECK(e == GDB_RX_PACKET);
    CHECK(again.len == rx.len && !memcmp(again.buf, rx.buf, rx.len));
    /* The parsers the handlers use must stay inside the NUL-terminated buffer. */
    const char *p = rx.buf;
    uint64_t v;
    while (*p) {
        if (gdb_parse_hex(&p, &v)) p++;
    }
    uint8_t bytes[GDB_PACKET_MAX / 2];
    size_t half = strlen(rx.buf) / 2;
    if (!gdb_hex_to_bytes(rx.buf, half, bytes)) {
        char hex[GDB_PACKET_MAX + 1];
        gdb_bytes_to_hex(bytes, half, hex);
        CHECK(strlen(hex) == 2 * half);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gdb_rx_init(&rx);
    for (size_t k = 0; k < size; k++) {
        enum gdb_rx_event e = gdb_rx_byte(&rx, data[k]);
        CHECK(rx.len <= GDB_PACKET_MAX);
        if (e == GDB_RX_PACKET) check_packet();
    }
    return 0;
}
