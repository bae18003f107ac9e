/* Unit tests for the GDB remote protocol framing (src/vmm/gdbstub_proto.c):
 * packets with good and bad checksums, escapes, a packet over the size
 * limit, Ctrl-C and acks outside packets, a '$' that restarts a packet,
 * the framer's escaping and checksum (round trip through the receiver),
 * and the hex helpers' refusals. */
#include <string.h>

#include "ut.h"
#include "vmm/gdbstub_proto.h"

UT_MAIN_STATE

/* Feeds s; returns the last event that was not NONE (NONE if none). */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s, size_t n)
{
    enum gdb_rx_event last = GDB_RX_NONE;
    for (size_t k = 0; k < n; k++) {
        enum gdb_rx_event e = gdb_rx_byte(rx, (uint8_t)s[k]);
        if (e != GDB_RX_NONE) last = e;
    }
    return last;
}

static void test_packets(void)
{
    struct gdb_rx rx;
    gdb_rx_init(&rx);
    UT_EQ(feed(&rx, "$g#67", 5), GDB_RX_PACKET);
    UT_CHECK(rx.len == 1 && !strcmp(rx.buf, "g"));
    UT_EQ(feed(&rx, "$g#68", 5), GDB_RX_BAD);    /* wrong checksum */
    UT_EQ(feed(&rx, "$g#6z", 5), GDB_RX_BAD);    /* not hex */
    UT_EQ(feed(&rx, "$?#3F", 5), GDB_RX_PACKET); /* upper-case checksum digits */
    UT_EQ(feed(&rx, "+", 1), GDB_RX_ACK);
    UT_EQ(feed(&rx, "-", 1), GDB_RX_NACK);
    UT_EQ(feed(&rx, "\x03", 1), GDB_RX_INTERRUPT);
    UT_EQ(feed(&rx, "xyz\r\n", 5), GDB_RX_NONE);    /* noise between packets */
    UT_EQ(feed(&rx, "$qC$?#3f", 8), GDB_RX_PACKET); /* '$' drops the first */
    UT_CHECK(!strcmp(rx.buf, "?"));
    UT_EQ(feed(&rx, "$#00", 4), GDB_RX_PACKET); /* empty */
    UT_EQ(rx.len, 0);
}

static void test_escape(void)
{
    struct gdb_rx rx;
    gdb_rx_init(&rx);
    /* "X}" with } sent as "}]": the sum covers the bytes as sent. */
    char pkt[32];
    size_t n = gdb_frame(pkt, sizeof(pkt), "a}b#c$d*e", 9);
    UT_CHECK(n > 0);
    UT_EQ(feed(&rx, pkt, n), GDB_RX_PACKET);
    UT_EQ(rx.len, 9);
    UT_CHECK(!memcmp(rx.buf, "a}b#c$d*e", 9));
    /* After '}', even '#' is data (0x03 here): the packet goes on. */
    UT_EQ(feed(&rx, "$a}#", 4), GDB_RX_NONE);
    UT_EQ(feed(&rx, "#01", 3), GDB_RX_PACKET);
    UT_CHECK(rx.len == 2 && rx.buf[1] == 0x03);
}

static void test_too_long(void)
{
    static struct gdb_rx rx;
    static char big[GDB_PACKET_MAX + 16];
    gdb_rx_init(&rx);
    unsigned sum = 0;
    size_t len = GDB_PACKET_MAX + 1;
    for (size_t k = 0; k < len; k++) {
        big[k] = 'a';
        sum += 'a';
    }
    UT_EQ(gdb_rx_byte(&rx, '$'), GDB_RX_NONE);
    UT_EQ(feed(&rx, big, len), GDB_RX_NONE);
    char tail[4];
    snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
    UT_EQ(feed(&rx, tail, 3), GDB_RX_TOO_LONG);
    UT_CHECK(rx.len <= GDB_PACKET_MAX);
    /* Exactly the limit is fine. */
    sum -= 'a';
    gdb_rx_byte(&rx, '$');
    feed(&rx, big, len - 1);
    snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
    UT_EQ(feed(&rx, tail, 3), GDB_RX_PACKET);
    UT_EQ(rx.len, GDB_PACKET_MAX);
}

static void test_frame(void)
{
    char out[16];
    UT_EQ(gdb_frame(out, sizeof(out), "OK", 2), 6);
    UT_CHECK(!memcmp(out, "$OK#9a", 6));
    UT_EQ(gdb_frame(out, 5, "OK", 2), 0); /* does not fit */
    UT_EQ(gdb_frame(out, sizeof(out), "", 0), 4);
    UT_CHECK(!memcmp(out, "$#00", 4));
}

static void test_hex(void)
{
    const char *p = "1f,";
    uint64_t v;
    UT_EQ(gdb_parse_hex(&p, &v), 0);
    UT_EQ(v, 0x1f);
    UT_EQ(*p, ',');
    p = ",";
    UT_EQ(gdb_parse_hex(&p, &v), -1);
    p = "11112222333344445"; /* 17 digits: more than 64 bits */
    UT_EQ(gdb_parse_hex(&p, &v), -1);
    uint8_t b[4];
    UT_EQ(gdb_hex_to_bytes("0aFf", 2, b), 0);
    UT_CHECK(b[0] == 0x0a && b[1] == 0xff);
    UT_EQ(gdb_hex_to_bytes("0g", 1, b), -1);
    UT_EQ(gdb_hex_to_bytes("0", 1, b), -1); /* short: the NUL is not a digit */
    char hex[17];
    gdb_reg_to_hex(0x1122334455667788ULL, 8, hex);
    UT_CHECK(!strcmp(hex, "8877665544332211"));
    UT_EQ(gdb_hex_to_reg(hex, 8, &v), 0);
    UT_EQ(v, 0x1122334455667788ULL);
    gdb_reg_to_hex(0xabcd, 4, hex);
    UT_CHECK(!strcmp(hex, "cdab0000"));
    UT_EQ(gdb_hex_to_reg("cdab", 4, &v), -1);
}

int main(void)
{
    ut_run("gdbstub_proto_packets", test_packets);
    ut_run("gdbstub_proto_escape", test_escape);
    ut_run("gdbstub_proto_too_long", test_too_long);
    ut_run("gdbstub_proto_frame", test_frame);
    ut_run("gdbstub_proto_hex", test_hex);
    return ut_exit();
}
