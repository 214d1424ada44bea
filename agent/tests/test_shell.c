/* Unit tests for what the shells add to the pure modules: request parsing of the
 * shell ops, the output ring with absolute cursors, UTF-8 read boundaries, base64,
 * and the session id of a /proc stat line. */
#define _GNU_SOURCE
#include "check.h"
#include "json.h"
#include "request.h"
#include "ring.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static int req(const char *s, struct request *r)
{
    char err[256];
    return request_parse((const uint8_t *)s, strlen(s), r, err, sizeof err);
}

void test_shell_requests(void)
{
    struct request r;
    CHECK(req("{\"op\":\"shell_open\"}", &r) == REQ_OK && r.op == OP_SHELL_OPEN && !r.argv && r.cols == REQ_ABSENT &&
          r.rows == REQ_ABSENT);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"cwd\":\"sub\",\"cols\":80,\"rows\":24,\"env\":{\"A\":\"b\"},"
              "\"argv\":[\"sh\",\"-i\"]}", &r) == REQ_OK);
    CHECK(r.cols == 80 && r.rows == 24 && r.argc == 2 && !strcmp(r.argv[1], "-i") && r.envc == 1 &&
          !strcmp(r.cwd, "sub"));
    request_free(&r);
    /* sizes are only type-checked here: their ranges are the op's (invalid_argument) */
    CHECK(req("{\"op\":\"shell_open\",\"cols\":-5,\"rows\":0}", &r) == REQ_OK && r.cols == -5 && r.rows == 0);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"cols\":\"80\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"cols\":1.5}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"argv\":[]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"argv\":null}", &r) == REQ_OK && !r.argv); request_free(&r);
    CHECK(req("{\"op\":\"shell_open\",\"env\":{\"A=B\":\"c\"}}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_read\",\"shell_id\":\"0a1b2c3d\",\"cursor\":17,\"max_bytes\":4096,"
              "\"wait_for_idle_ms\":300,\"max_wait_ms\":5000}", &r) == REQ_OK);
    CHECK(r.op == OP_SHELL_READ && !strcmp(r.shell_id, "0a1b2c3d") && r.cursor == 17 && r.max_bytes == 4096 &&
          r.idle_ms == 300 && r.max_wait_ms == 5000);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_read\",\"shell_id\":\"x\"}", &r) == REQ_OK && r.cursor == REQ_ABSENT &&
          r.max_bytes == REQ_ABSENT && r.idle_ms == REQ_ABSENT);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_read\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_read\",\"shell_id\":7}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_read\",\"shell_id\":\"x\",\"cursor\":true}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_write\",\"shell_id\":\"x\"}", &r) == REQ_OK && r.op == OP_SHELL_WRITE); request_free(&r);
    CHECK(req("{\"op\":\"shell_signal\",\"shell_id\":\"x\",\"signal\":\"INT\"}", &r) == REQ_OK &&
          !strcmp(r.signame, "INT"));
    request_free(&r);
    CHECK(req("{\"op\":\"shell_signal\",\"shell_id\":\"x\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_signal\",\"shell_id\":\"x\",\"signal\":2}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"shell_resize\",\"shell_id\":\"x\",\"cols\":100,\"rows\":40}", &r) == REQ_OK &&
          r.cols == 100 && r.rows == 40);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_list\"}", &r) == REQ_OK && r.op == OP_SHELL_LIST); request_free(&r);
    CHECK(req("{\"op\":\"shell_close\",\"shell_id\":\"x\"}", &r) == REQ_OK && r.op == OP_SHELL_CLOSE); request_free(&r);
    CHECK(req("{\"op\":\"shell_attach\",\"shell_id\":\"x\",\"cursor\":0}", &r) == REQ_OK && r.op == OP_SHELL_ATTACH &&
          r.cursor == 0);
    request_free(&r);
    CHECK(req("{\"op\":\"shell_frob\",\"shell_id\":\"x\"}", &r) == REQ_UNKNOWN_OP); request_free(&r);
    CHECK(req("{\"op\":\"shell_\"}", &r) == REQ_UNKNOWN_OP); request_free(&r);
}

void test_ring(void)
{
    struct ring r;
    CHECK(ring_init(&r, 8) == 0);
    uint8_t out[16];
    CHECK(r.start == 0 && r.end == 0 && ring_copy(&r, 0, out, sizeof out) == 0);
    ring_append(&r, (const uint8_t *)"abcde", 5);
    CHECK(r.start == 0 && r.end == 5);
    CHECK(ring_copy(&r, 0, out, sizeof out) == 5 && !memcmp(out, "abcde", 5));
    CHECK(ring_copy(&r, 3, out, 1) == 1 && out[0] == 'd');
    ring_append(&r, (const uint8_t *)"fghij", 5);   /* wraps: the oldest two fall out */
    CHECK(r.start == 2 && r.end == 10);
    CHECK(ring_copy(&r, 2, out, sizeof out) == 8 && !memcmp(out, "cdefghij", 8));
    CHECK(ring_copy(&r, 1, out, sizeof out) == 0);    /* before start: the caller must clamp */
    CHECK(ring_copy(&r, 10, out, sizeof out) == 0);   /* at the end: nothing yet */
    ring_append(&r, (const uint8_t *)"0123456789ABCDEFGHIJ", 20);   /* more than the ring */
    CHECK(r.end == 30 && r.start == 22);
    CHECK(ring_copy(&r, 22, out, sizeof out) == 8 && !memcmp(out, "CDEFGHIJ", 8));
    /* reading straight into the ring */
    size_t room;
    uint8_t *dst = ring_space(&r, &room);
    CHECK(room > 0 && room <= 8);
    memcpy(dst, "xy", room < 2 ? room : 2);
    ring_commit(&r, room < 2 ? room : 2);
    CHECK(r.end == 30 + (room < 2 ? room : 2) && r.end - r.start <= 8);
    ring_free(&r);
}

void test_utf8(void)
{
    const uint8_t euro[] = { 'a', 0xe2, 0x82, 0xac };   /* "a€" */
    CHECK(utf8_complete_len(euro, 4) == 4);
    CHECK(utf8_complete_len(euro, 3) == 1);   /* half a euro is held back */
    CHECK(utf8_complete_len(euro, 2) == 1);
    CHECK(utf8_complete_len(euro, 1) == 1);
    CHECK(utf8_complete_len(euro, 0) == 0);
    const uint8_t emoji[] = { 0xf0, 0x9f, 0x98, 0x80 };
    CHECK(utf8_complete_len(emoji, 4) == 4 && utf8_complete_len(emoji, 3) == 0 && utf8_complete_len(emoji, 1) == 0);
    const uint8_t two[] = { 'x', 0xc3, 0xa9, 0xc3 };   /* "xé" + half an é */
    CHECK(utf8_complete_len(two, 4) == 3);
    /* invalid bytes are not sequences: kept */
    const uint8_t bad[] = { 'x', 0xff };
    CHECK(utf8_complete_len(bad, 2) == 2);
    const uint8_t stray[] = { 'x', 0x80, 0x80, 0x80, 0x80 };
    CHECK(utf8_complete_len(stray, 5) == 5);
    const uint8_t lead_then_ascii[] = { 0xe2, 'a' };
    CHECK(utf8_complete_len(lead_then_ascii, 2) == 2);
    CHECK(utf8_orphan_len(euro + 1, 3) == 0);
    CHECK(utf8_orphan_len(euro + 2, 2) == 2);
    CHECK(utf8_orphan_len(emoji + 1, 3) == 3);
    CHECK(utf8_orphan_len(stray + 1, 4) == 3);   /* never more than a character's tail */
    CHECK(utf8_orphan_len((const uint8_t *)"abc", 3) == 0);
}

static int b64_is(const char *in, const char *want)
{
    struct jbuf b;
    jb_init(&b, 1024);
    jb_base64(&b, (const uint8_t *)in, strlen(in));
    jb_raw(&b, "");
    int ok = !b.err && b.len == strlen(want) + 2 && !memcmp(b.p + 1, want, strlen(want)) && b.p[0] == '"';
    jb_free(&b);
    return ok;
}

void test_base64(void)
{
    /* RFC 4648 §10 */
    CHECK(b64_is("", ""));
    CHECK(b64_is("f", "Zg=="));
    CHECK(b64_is("fo", "Zm8="));
    CHECK(b64_is("foo", "Zm9v"));
    CHECK(b64_is("foob", "Zm9vYg=="));
    CHECK(b64_is("fooba", "Zm9vYmE="));
    CHECK(b64_is("foobar", "Zm9vYmFy"));
    /* larger than the encoder's chunk, bytes above 0x7f */
    static uint8_t big[10000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    struct jbuf b;
    jb_init(&b, 1 << 20);
    jb_base64(&b, big, sizeof big);
    CHECK(!b.err && b.len == 2 + 4 * ((sizeof big + 2) / 3) && b.p[b.len - 1] == '"');
    jb_free(&b);
    jb_init(&b, 16);   /* over the cap: flagged, never overrun */
    jb_base64(&b, big, 100);
    CHECK(b.err);
    jb_free(&b);
}

void test_proc_stat(void)
{
    long sid = 0;
    CHECK(proc_stat_session("1234 (bash) S 1 1234 1234 34816 1234 4194560", &sid) == 0 && sid == 1234);
    CHECK(proc_stat_session("77 (a b) c (d)) R 5 6 7 0", &sid) == 0 && sid == 7);   /* hostile comm */
    CHECK(proc_stat_session("garbage", &sid) == -1);
    CHECK(proc_stat_session("1 (x) S 1", &sid) == -1);
}
