/* GDB remote protocol framing (gdb manual, "Overview" and "Packets"):
 * packets are $payload#xx with xx the modulo-256 sum of the payload as
 * sent; '}' escapes the next byte (xor 0x20). Outside a packet only '+',
 * '-' and Ctrl-C mean something; anything else is skipped. No VM here:
 * tests/unit/test_gdbstub_proto.c and tests/fuzz/fuzz_gdbstub.c drive it. */
#include "vmm/gdbstub_proto.h"

#include <string.h>

enum { RX_IDLE, RX_DATA, RX_CSUM1, RX_CSUM2 };

void gdb_rx_init(struct gdb_rx *rx)
{
    memset(rx, 0, sizeof(*rx));
}

int gdb_hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c)
{
    switch (rx->state) {
    case RX_IDLE:
        if (c == '$') {
            rx->state = RX_DATA;
            rx->len = 0;
            rx->sum = 0;
            rx->escape = rx->overflow = rx->bad = false;
            return GDB_RX_NONE;
        }
        return c == 0x03  ? GDB_RX_INTERRUPT
               : c == '+' ? GDB_RX_ACK
               : c == '-' ? GDB_RX_NACK
                          : GDB_RX_NONE;
    case RX_DATA:
        if (c == '#' && !rx->escape) {
            rx->state = RX_CSUM1;
            return GDB_RX_NONE;
        }
        if (c == '$' && !rx->escape) { /* a new packet: the old one is dropped */
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = rx->bad = false;
            return GDB_RX_BAD;
        }
        rx->sum = (uint8_t)(rx->sum + c);
        if (rx->escape) {
            c ^= 0x20;
            rx->escape = false;
        } else if (c == '}') {
            rx->escape = true;
            return GDB_RX_NONE;
        }
        if (rx->len >= GDB_PACKET_MAX)
            rx->overflow = true; /* keeps summing, stores nothing more */
        else
            rx->buf[rx->len++] = (char)c;
        return GDB_RX_NONE;
    case RX_CSUM1:
        if (gdb_hexval((char)c) < 0) rx->bad = true;
        rx->csum_hi = c;
        rx->state = RX_CSUM2;
        return GDB_RX_NONE;
    default: {
        rx->state = RX_IDLE;
        int hi = gdb_hexval((char)rx->csum_hi), lo = gdb_hexval((char)c);
        if (rx->bad || hi < 0 || lo < 0 || rx->escape || (uint8_t)(hi * 16 + lo) != rx->sum)
            return GDB_RX_BAD;
        if (rx->overflow) return GDB_RX_TOO_LONG;
        rx->buf[rx->len] = '\0';
        return GDB_RX_PACKET;
    }
    }
}

size_t gdb_frame(char *out, size_t cap, const char *payload, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    uint8_t sum = 0;
    if (cap < 4) return 0;
    out[n++] = '$';
    for (size_t k = 0; k < len; k++) {
        uint8_t c = (uint8_t)payload[k];
        bool esc = c == '$' || c == '#' || c == '}' || c == '*';
        if (n + (esc ? 2 : 1) + 3 > cap) return 0;
        if (esc) {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            c ^= 0x20;
        }
        out[n++] = (char)c;
        sum = (uint8_t)(sum + c);
    }
    out[n++] = '#';
    out[n++] = hex[sum >> 4];
    out[n++] = hex[sum & 15];
    return n;
}

int gdb_parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    int n = 0;
    for (int d; n < 17 && (d = gdb_hexval(s[n])) >= 0; n++)
        x = x << 4 | (uint64_t)d;
    if (n == 0 || n > 16) return -1;
    *p = s + n;
    *v = x;
    return 0;
}

int gdb_hex_to_bytes(const char *hex, size_t n, uint8_t *out)
{
    for (size_t k = 0; k < n; k++) {
        int hi = gdb_hexval(hex[2 * k]);
        if (hi < 0) return -1;
        int lo = gdb_hexval(hex[2 * k + 1]);
        if (lo < 0) return -1;
        out[k] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

void gdb_bytes_to_hex(const uint8_t *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = hex[in[k] >> 4];
        out[2 * k + 1] = hex[in[k] & 15];
    }
    out[2 * n] = '\0';
}

void gdb_reg_to_hex(uint64_t v, unsigned bytes, char *out)
{
    uint8_t b[8];
    for (unsigned k = 0; k < bytes && k < 8; k++)
        b[k] = (uint8_t)(v >> (8 * k));
    gdb_bytes_to_hex(b, bytes > 8 ? 8 : bytes, out);
}

int gdb_hex_to_reg(const char *hex, unsigned bytes, uint64_t *v)
{
    uint8_t b[8];
    if (bytes > 8 || gdb_hex_to_bytes(hex, bytes, b)) return -1;
    uint64_t x = 0;
    for (unsigned k = 0; k < bytes; k++)
        x |= (uint64_t)b[k] << (8 * k);
    *v = x;
    return 0;
}
