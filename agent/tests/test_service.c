/* Unit tests for what services add to the pure modules: request parsing of the
 * service ops, service names, the record log with its cursors, tails and stream
 * filters, and the readiness targets (addresses, URLs, HTTP status lines). */
#define _GNU_SOURCE
#include "check.h"
#include "probe.h"
#include "request.h"
#include "request_service.h"
#include "svclog.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static int req(const char *s, struct request *r)
{
    char err[256];
    return request_parse((const uint8_t *)s, strlen(s), r, err, sizeof err);
}

void test_service_requests(void)
{
    struct request r;
    CHECK(req("{\"op\":\"service_start\",\"name\":\"web\",\"argv\":[\"perl\",\"s.pl\"],\"cwd\":\"app\","
              "\"env\":{\"PORT\":\"8080\"},\"readiness\":{\"kind\":\"http\",\"url\":\"http://127.0.0.1:8080/\"},"
              "\"ready_timeout_ms\":5000,\"ready_interval_ms\":100}", &r) == REQ_OK);
    CHECK(r.op == OP_SERVICE_START && !strcmp(r.service->name, "web") && r.argc == 2 && !strcmp(r.cwd, "app") &&
          r.envc == 1 && !strcmp(r.env[0], "PORT=8080") && !strcmp(r.service->ready_kind, "http") &&
          !strcmp(r.service->ready_target, "http://127.0.0.1:8080/") && !r.service->ready_conflict &&
          r.service->ready_timeout_ms == 5000 && r.service->ready_interval_ms == 100);
    request_free(&r);
    /* no readiness, defaults absent: the op decides */
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":null}", &r) == REQ_OK &&
          !r.service->ready_kind && r.service->ready_timeout_ms == REQ_ABSENT);
    request_free(&r);
    /* a command is required, and must be strings */
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[1]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"argv\":[\"true\"]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":7,\"argv\":[\"true\"]}", &r) == REQ_BAD); request_free(&r);
    /* names are read, not judged, here: a bad one is the op's invalid_argument */
    CHECK(req("{\"op\":\"service_start\",\"name\":\"-x y\",\"argv\":[\"true\"]}", &r) == REQ_OK &&
          !strcmp(r.service->name, "-x y"));
    request_free(&r);
    /* readiness shapes */
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":\"http\"}", &r) == REQ_BAD);
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{}}", &r) == REQ_BAD);
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"tcp\","
              "\"address\":7}}", &r) == REQ_BAD);
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"file\","
              "\"path\":\"a\",\"url\":\"http://x/\"}}", &r) == REQ_OK && r.service->ready_conflict &&
          !strcmp(r.service->ready_target, "a"));
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"smoke\","
              "\"path\":\"a\"}}", &r) == REQ_OK && !strcmp(r.service->ready_kind, "smoke") &&
          !r.service->ready_target && r.service->ready_conflict);
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"readiness\":{\"kind\":\"command\"}}",
              &r) == REQ_OK && !r.service->ready_target);
    request_free(&r);
    CHECK(req("{\"op\":\"service_start\",\"name\":\"w\",\"argv\":[\"true\"],\"ready_timeout_ms\":\"5\"}", &r) ==
          REQ_BAD);
    request_free(&r);
    /* the others */
    CHECK(req("{\"op\":\"service_list\"}", &r) == REQ_OK && r.op == OP_SERVICE_LIST); request_free(&r);
    CHECK(req("{\"op\":\"service_status\",\"name\":\"web\"}", &r) == REQ_OK && r.op == OP_SERVICE_STATUS);
    request_free(&r);
    CHECK(req("{\"op\":\"service_status\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_stop\",\"name\":\"web\",\"timeout_ms\":0}", &r) == REQ_OK &&
          r.op == OP_SERVICE_STOP && r.service->timeout_ms == 0);
    request_free(&r);
    CHECK(req("{\"op\":\"service_stop\",\"name\":\"web\",\"timeout_ms\":1.5}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_logs\",\"name\":\"web\",\"tail_lines\":20,\"stream\":\"stderr\",\"max_bytes\":100}",
              &r) == REQ_OK && r.service->tail_lines == 20 && !strcmp(r.service->stream, "stderr") &&
          r.service->max_bytes == 100 && r.service->cursor == REQ_ABSENT);
    request_free(&r);
    CHECK(req("{\"op\":\"service_logs\",\"name\":\"web\",\"stream\":2}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"service_restart\",\"name\":\"web\"}", &r) == REQ_UNKNOWN_OP); request_free(&r);
    CHECK(req("{\"op\":\"service_\"}", &r) == REQ_UNKNOWN_OP); request_free(&r);

    CHECK(service_name_valid("web") && service_name_valid("a") && service_name_valid("db-1.primary_x") &&
          service_name_valid("9lives"));
    char longest[65];
    memset(longest, 'x', 64);
    longest[64] = 0;
    CHECK(service_name_valid(longest));
    char too_long[66];
    memset(too_long, 'x', 65);
    too_long[65] = 0;
    CHECK(!service_name_valid(too_long));
    CHECK(!service_name_valid("") && !service_name_valid(NULL) && !service_name_valid("-web") &&
          !service_name_valid(".hidden") && !service_name_valid("a b") && !service_name_valid("a/b") &&
          !service_name_valid("caf\xc3\xa9") && !service_name_valid("x\n"));
}

static size_t read_all(const struct svclog *l, uint64_t cursor, int mask, char *out, size_t max,
                       struct svclog_read *rd)
{
    size_t n = svclog_read(l, cursor, mask, (uint8_t *)out, max, rd);
    out[n] = 0;
    return n;
}

static void add(struct svclog *l, int stream, const char *text)
{
    svclog_append(l, stream, (const uint8_t *)text, strlen(text));
}

void test_svclog(void)
{
    struct svclog l;
    char out[8192];
    struct svclog_read rd;
    CHECK(svclog_init(&l, 1000) == -1);   /* smaller than two maximal records */
    CHECK(svclog_init(&l, 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD)) == 0);
    add(&l, SVCLOG_STDOUT, "one\n");
    add(&l, SVCLOG_STDOUT, "two\n");      /* grows the same record */
    add(&l, SVCLOG_STDERR, "err1\n");
    add(&l, SVCLOG_STDOUT, "three");
    CHECK(l.end == 3 * SVCLOG_HDR + 8 + 5 + 5 && l.written[SVCLOG_STDOUT] == 13 && l.written[SVCLOG_STDERR] == 5);
    CHECK(read_all(&l, 0, SVCLOG_BOTH, out, sizeof out, &rd) == 18 && !strcmp(out, "one\ntwo\nerr1\nthree") &&
          rd.next == l.end && !rd.truncated && rd.from == 0);
    CHECK(read_all(&l, 0, SVCLOG_STDOUT, out, sizeof out, &rd) == 13 && !strcmp(out, "one\ntwo\nthree"));
    CHECK(read_all(&l, 0, SVCLOG_STDERR, out, sizeof out, &rd) == 5 && !strcmp(out, "err1\n") && rd.next == l.end);
    /* paging: a read that stops inside a record continues exactly there */
    CHECK(read_all(&l, 0, SVCLOG_BOTH, out, 6, &rd) == 6 && !strcmp(out, "one\ntw") && rd.last_run == 6);
    uint64_t next = rd.next;
    CHECK(read_all(&l, next, SVCLOG_BOTH, out, 5, &rd) == 5 && !strcmp(out, "o\nerr") && rd.last_run == 3);
    CHECK(read_all(&l, rd.next, SVCLOG_BOTH, out, 100, &rd) == 7 && !strcmp(out, "1\nthree") && rd.next == l.end);
    /* a cursor on a header reads from that record's payload; the end reads nothing */
    CHECK(read_all(&l, SVCLOG_HDR + 8, SVCLOG_BOTH, out, 100, &rd) == 10 && !strcmp(out, "err1\nthree"));
    CHECK(read_all(&l, SVCLOG_HDR + 9, SVCLOG_BOTH, out, 100, &rd) == 10);
    CHECK(read_all(&l, l.end, SVCLOG_BOTH, out, 100, &rd) == 0 && rd.next == l.end);
    /* growth keeps earlier cursors valid: more stdout lands after "three" */
    uint64_t end_before = l.end;
    add(&l, SVCLOG_STDOUT, "!\n");
    CHECK(read_all(&l, end_before, SVCLOG_BOTH, out, 100, &rd) == 2 && !strcmp(out, "!\n"));
    /* tails: last lines of the chosen streams; an unterminated last line counts */
    CHECK(read_all(&l, svclog_tail(&l, SVCLOG_BOTH, 2), SVCLOG_BOTH, out, 100, &rd) && !strcmp(out, "err1\nthree!\n"));
    CHECK(read_all(&l, svclog_tail(&l, SVCLOG_STDOUT, 1), SVCLOG_STDOUT, out, 100, &rd) && !strcmp(out, "three!\n"));
    CHECK(read_all(&l, svclog_tail(&l, SVCLOG_STDERR, 5), SVCLOG_STDERR, out, 100, &rd) && !strcmp(out, "err1\n"));
    CHECK(svclog_tail(&l, SVCLOG_BOTH, 0) == l.end);
    CHECK(svclog_tail(&l, SVCLOG_BOTH, 100) == l.start);
    add(&l, SVCLOG_STDERR, "partial");
    CHECK(read_all(&l, svclog_tail(&l, SVCLOG_BOTH, 1), SVCLOG_BOTH, out, 100, &rd) && !strcmp(out, "partial"));
    CHECK(svclog_tail(&l, SVCLOG_STDOUT, 1) < svclog_tail(&l, SVCLOG_STDERR, 1));
    svclog_free(&l);

    /* bounded: the oldest whole records go, positions keep counting, a stale cursor says so */
    CHECK(svclog_init(&l, 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD)) == 0);
    static uint8_t big[SVCLOG_MAX_RECORD * 5];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)('a' + i % 26);
    for (int i = 0; i < 6; i++)
        svclog_append(&l, i % 2 ? SVCLOG_STDERR : SVCLOG_STDOUT, big, sizeof big / 5 + (size_t)i);
    CHECK(l.end - l.start <= l.cap && l.start > 0 && l.written[SVCLOG_STDOUT] + l.written[SVCLOG_STDERR] ==
          6 * (sizeof big / 5) + 15);
    static uint8_t got[SVCLOG_MAX_RECORD * 3];
    size_t n = svclog_read(&l, 0, SVCLOG_BOTH, got, sizeof got, &rd);
    /* every kept byte but the record headers, ending with the last append's last bytes */
    CHECK(rd.truncated && rd.from == l.start && rd.next == l.end && (l.end - l.start - n) % SVCLOG_HDR == 0 &&
          (l.end - l.start - n) / SVCLOG_HDR >= 2 && !memcmp(got + n - 50, big + sizeof big / 5 + 5 - 50, 50));
    /* one huge append keeps its newest bytes, split into records */
    svclog_append(&l, SVCLOG_STDOUT, big, sizeof big);
    n = svclog_read(&l, l.start, SVCLOG_STDOUT, got, sizeof got, &rd);
    CHECK(n > 0 && !memcmp(got + n - 100, big + sizeof big - 100, 100) && rd.next == l.end);
    CHECK(svclog_read(&l, l.start, SVCLOG_STDERR, got, sizeof got, &rd) == 0 && rd.next == l.end);
    /* many tiny alternating writes: one record each, all readable in order */
    svclog_free(&l);
    CHECK(svclog_init(&l, 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD)) == 0);
    for (int i = 0; i < 30000; i++)
        svclog_append(&l, i % 2 ? SVCLOG_STDERR : SVCLOG_STDOUT, (const uint8_t *)(i % 2 ? "e" : "o"), 1);
    n = svclog_read(&l, 0, SVCLOG_BOTH, got, sizeof got, &rd);
    CHECK(rd.truncated && n == (l.end - l.start) / (SVCLOG_HDR + 1) && got[0] != got[1] && got[1] == got[3]);
    svclog_free(&l);
}

void test_probe_targets(void)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char err[160];
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    CHECK(probe_parse_address("127.0.0.1:8080", &ss, &len, err, sizeof err) == 0 && ss.ss_family == AF_INET &&
          ntohs(a4->sin_port) == 8080 && a4->sin_addr.s_addr == htonl(0x7f000001) && len == sizeof *a4);
    CHECK(probe_parse_address("localhost:1", &ss, &len, err, sizeof err) == 0 &&
          a4->sin_addr.s_addr == htonl(0x7f000001));
    CHECK(probe_parse_address("[::1]:443", &ss, &len, err, sizeof err) == 0 && ss.ss_family == AF_INET6 &&
          ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) == 443);
    const char *bad[] = { "", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x",
                          "example.com:80", "::1:80", "[::1]80", "[::1", ":80", "127.0.0.1:+80", "[nope]:1",
                          "127.0.0.1:000080" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(probe_parse_address(bad[i], &ss, &len, err, sizeof err) == -1 && err[0]);

    struct probe_url u;
    CHECK(probe_parse_url("http://127.0.0.1:8080/health?x=1#frag", &u, err, sizeof err) == 0 &&
          !strcmp(u.host, "127.0.0.1:8080") && !strcmp(u.path, "/health?x=1") &&
          ntohs(((struct sockaddr_in *)&u.addr)->sin_port) == 8080);
    CHECK(probe_parse_url("http://localhost", &u, err, sizeof err) == 0 && !strcmp(u.path, "/") &&
          ntohs(((struct sockaddr_in *)&u.addr)->sin_port) == 80);
    CHECK(probe_parse_url("http://[::1]:9000?q", &u, err, sizeof err) == 0 && !strcmp(u.path, "/?q") &&
          u.addr.ss_family == AF_INET6);
    CHECK(probe_parse_url("https://127.0.0.1/", &u, err, sizeof err) == -1 && strstr(err, "https"));
    const char *bad_urls[] = { "127.0.0.1:80/", "ftp://127.0.0.1/", "http://", "http:///x", "http://a b/",
                               "http://127.0.0.1/a b", "http://user@127.0.0.1/", "http://example.com/",
                               "http://127.0.0.1:0/", "http://127.0.0.1/\r\nX: y" };
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++)
        CHECK(probe_parse_url(bad_urls[i], &u, err, sizeof err) == -1 && err[0]);

#define ST(s) probe_http_status((const uint8_t *)(s), strlen(s))
    CHECK(ST("HTTP/1.0 200 OK\r\n") == 200 && ST("HTTP/1.1 302 Found") == 302 && ST("HTTP/1.1 404\r\n") == 404);
    CHECK(ST("HTTP/1.1 204") == 204 && ST("") == 0 && ST("HTTP/1") == 0 && ST("HTTP/1.1 20") == 0);
    CHECK(ST("HTTP/2 200 OK") == -1 && ST("SSH-2.0-OpenSSH") == -1 && ST("HTTP/1.1 2x0") == -1 &&
          ST("HTTP/1.1 099 x") == -1 && ST("HTTP/1.1 2000") == -1 && ST("hello") == -1);
#undef ST
    CHECK(probe_kind_of("http") == PROBE_HTTP && probe_kind_of("command") == PROBE_COMMAND &&
          probe_kind_of("HTTP") == PROBE_NONE && probe_kind_of(NULL) == PROBE_NONE &&
          !strcmp(probe_kind_name(PROBE_TCP), "tcp"));
}
