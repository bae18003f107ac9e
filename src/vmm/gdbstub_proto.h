/* The GDB remote serial protocol's framing and encodings, with no I/O and
 * no VM: a byte-at-a-time receiver ($payload#cs, acks, Ctrl-C, escapes),
 * the framer for replies, and the hex helpers the command handlers parse
 * and build packets with. Every length is bounded; garbage bytes are
 * skipped, never trusted. */
#ifndef RVMM_VMM_GDBSTUB_PROTO_H
#define RVMM_VMM_GDBSTUB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest packet payload accepted and sent (qSupported PacketSize). */
#define GDB_PACKET_MAX 4096

enum gdb_rx_event {
    GDB_RX_NONE,      /* byte taken, nothing complete yet */
    GDB_RX_PACKET,    /* rx->buf[0..len) holds a packet whose checksum matched */
    GDB_RX_BAD,       /* a packet with a bad checksum or a bad escape: answer '-' */
    GDB_RX_TOO_LONG,  /* a packet over GDB_PACKET_MAX: refused, answer '-' */
    GDB_RX_INTERRUPT, /* Ctrl-C (0x03) outside a packet */
    GDB_RX_ACK,       /* '+' */
    GDB_RX_NACK,      /* '-': resend the last reply */
};

struct gdb_rx {
    int state;
    size_t len;
    uint8_t sum;
    uint8_t csum_hi;
    bool escape, overflow, bad;
    char buf[GDB_PACKET_MAX + 1]; /* NUL-terminated payload */
};

void gdb_rx_init(struct gdb_rx *rx);
/* Feeds one byte. */
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c);

/* Frames payload[0..len) as $...#cs into out (escaping $ # } *), returns
 * the frame's length, or 0 if it does not fit in cap. */
size_t gdb_frame(char *out, size_t cap, const char *payload, size_t len);

/* Hex digits: the value, or -1. */
int gdb_hexval(char c);
/* Parses hex digits at *p (at least one, at most 16) and advances. 0 or -1. */
int gdb_parse_hex(const char **p, uint64_t *v);
/* Decodes 2*n hex digits into n bytes. 0 or -1 (odd, short or not hex). */
int gdb_hex_to_bytes(const char *hex, size_t n, uint8_t *out);
/* Writes n bytes as 2*n lowercase hex digits and a NUL. */
void gdb_bytes_to_hex(const uint8_t *in, size_t n, char *out);
/* A little-endian register value of `bytes` bytes as hex. */
void gdb_reg_to_hex(uint64_t v, unsigned bytes, char *out);
/* Parses exactly 2*bytes hex digits of a little-endian value. 0 or -1. */
int gdb_hex_to_reg(const char *hex, unsigned bytes, uint64_t *v);

#endif
