/* Unit tests for the pure modules: frame codec + resync, JSON, request
 * parsing, path/tar-name validation, tar reader and writer, SHA-256, manifest
 * order, staging path, kernel command line, names as bytes (base64 decoding, UTF-8,
 * text class), the stat cache, symlink resolution of a destination; shell requests,
 * the output ring, UTF-8 boundaries, base64 and /proc parsing in test_shell.c. */
#define _GNU_SOURCE
#include "check.h"
#include "crc32.h"
#include "frame.h"
#include "json.h"
#include "names.h"
#include "netcfg.h"
#include "egress.h"
#include <arpa/inet.h>
#include "paths.h"
#include "request.h"
#include "sha256.h"
#include "statcache.h"
#include "tar.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int failures, checks;

/* ---------------- crc + frames ---------------- */

static void test_crc(void)
{
    CHECK(crc32_buf("123456789", 9) == 0xCBF43926u);
    CHECK(crc32_buf("", 0) == 0);
    CHECK(crc32_update(crc32_buf("1234", 4), "56789", 5) == 0xCBF43926u);
}

static size_t mkframe(uint8_t *out, uint8_t type, uint8_t flags, uint32_t id, const void *p, uint32_t n)
{
    frame_header_encode(out, type, flags, id, n);
    memcpy(out + 16, p, n);
    return 16 + n;
}

static void test_frame_encode(void)
{
    uint8_t h[16];
    frame_header_encode(h, FT_DATA, 2, 0x01020304, 0x00000105);
    uint8_t want[12] = { 'P', 'Y', 0x03, 0x02, 1, 2, 3, 4, 0, 0, 1, 5 };
    CHECK(memcmp(h, want, 12) == 0);
    CHECK(get_be32(h + 12) == crc32_buf(want, 12));
    CHECK(frame_header_check(h, 16) == 1);
    CHECK(frame_header_check(h, 1) == -1);
    CHECK(frame_header_check(h, 2) == -1);
    uint8_t bad[16];
    memcpy(bad, h, 16);
    bad[13] ^= 1;
    CHECK(frame_header_check(bad, 16) == 0);            /* CRC */
    bad[0] = 'X';
    CHECK(frame_header_check(bad, 1) == 0);             /* magic */
    frame_header_encode(bad, FT_DATA, 0, 1, FRAME_MAX_PAYLOAD + 1);
    CHECK(frame_header_check(bad, 16) == 0);            /* length over limit */
    frame_header_encode(bad, FT_DATA, 0, 1, FRAME_MAX_PAYLOAD);
    CHECK(frame_header_check(bad, 16) == 1);
}

static void test_frame_reader(void)
{
    struct frame_reader fr;
    CHECK(fr_init(&fr) == 0);
    uint8_t buf[4096];
    size_t n = 0;
    n += mkframe(buf + n, FT_HELLO, 0, 0, "{}", 2);
    n += mkframe(buf + n, FT_DATA, 1, 7, "abc", 3);
    n += mkframe(buf + n, FT_EOF, 1, 7, "", 0);
    /* byte-at-a-time feeding reassembles the same three frames */
    struct frame f;
    int got = 0;
    for (size_t i = 0; i < n; i++) {
        fr_feed(&fr, buf + i, 1);
        int r;
        while ((r = fr_next(&fr, &f)) == FR_FRAME) {
            got++;
            if (got == 2) {
                CHECK(f.type == FT_DATA && f.flags == 1 && f.stream == 7 && f.len == 3 && !memcmp(f.payload, "abc", 3));
            }
            if (got == 3)
                CHECK(f.type == FT_EOF && f.len == 0);
        }
        CHECK(r == FR_NEED);
    }
    CHECK(got == 3);

    /* garbage, then a valid frame: exactly one FR_BAD, then the frame */
    fr_reset(&fr);
    uint8_t g[600];
    for (int i = 0; i < 500; i++)
        g[i] = (uint8_t)(i * 7 + 3);
    g[100] = 'P'; g[101] = 'Y';   /* a fake magic inside the garbage */
    size_t gl = 500;
    gl += mkframe(g + gl, FT_PING, 0, 0, "x", 1);
    fr_feed(&fr, g, gl);
    int bads = 0, frames = 0, r;
    while ((r = fr_next(&fr, &f)) != FR_NEED) {
        if (r == FR_BAD) bads++;
        if (r == FR_FRAME) { frames++; CHECK(f.type == FT_PING && f.len == 1); }
    }
    CHECK(bads == 1 && frames == 1);

    /* a second garbage run after a good frame is reported again */
    fr_feed(&fr, (const uint8_t *)"zzzz", 4);
    uint8_t one[32];
    size_t ol = mkframe(one, FT_PONG, 0, 0, "", 0);
    fr_feed(&fr, one, ol);
    CHECK(fr_next(&fr, &f) == FR_BAD);
    CHECK(fr_next(&fr, &f) == FR_FRAME && f.type == FT_PONG);
    CHECK(fr_next(&fr, &f) == FR_NEED);

    /* a max-size frame fits the fixed buffer */
    uint8_t *big = calloc(1, FRAME_HDR_LEN + FRAME_MAX_PAYLOAD);
    frame_header_encode(big, FT_OPEN, 0, 9, FRAME_MAX_PAYLOAD);
    size_t fed = 0;
    while (fed < FRAME_HDR_LEN + FRAME_MAX_PAYLOAD)
        fed += fr_feed(&fr, big + fed, MIN((size_t)70000, FRAME_HDR_LEN + FRAME_MAX_PAYLOAD - fed));
    CHECK(fr_next(&fr, &f) == FR_FRAME && f.len == FRAME_MAX_PAYLOAD && f.stream == 9);
    free(big);
    fr_free(&fr);
}

/* ---------------- json ---------------- */

static struct jtok toks[256];

static int parses(const char *s)
{
    size_t nt;
    return json_parse(s, strlen(s), toks, 256, &nt) == 0;
}

static void test_json(void)
{
    CHECK(parses("{}"));
    CHECK(parses(" [1, -2.5e3, true, false, null, \"x\", {\"a\": []}] "));
    CHECK(parses("\"\\u00e9\\n\\\"\""));
    CHECK(!parses(""));
    CHECK(!parses("{"));
    CHECK(!parses("{\"a\":1,}"));
    CHECK(!parses("[1,]"));
    CHECK(!parses("01"));
    CHECK(!parses("1."));
    CHECK(!parses("-"));
    CHECK(!parses("tru"));
    CHECK(!parses("{} x"));
    CHECK(!parses("\"a\nb\""));
    CHECK(!parses("\"\\x\""));
    CHECK(!parses("\"\\u12\""));
    CHECK(!parses("{1:2}"));
    char deep[200];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    deep[80] = 0;
    CHECK(!parses(deep));   /* depth cap */
    memset(deep, '[', 10);
    memset(deep + 10, ']', 10);
    deep[20] = 0;
    CHECK(parses(deep));
    /* token cap */
    size_t nt;
    CHECK(json_parse("[1,2,3,4]", 9, toks, 3, &nt) != 0);

    const char *s = "{\"op\":\"exec\",\"n\":42,\"neg\":-7,\"f\":1.5,\"big\":99999999999999999999,\"s\":\"a\\u00e9\\ud83d\\ude00b\",\"z\":\"x\\u0000\",\"k\\u0065y\":true}";
    CHECK(json_parse(s, strlen(s), toks, 256, &nt) == 0);
    int v = json_obj_get(s, toks, 0, "n");
    int64_t x = 0;
    CHECK(v > 0 && json_get_i64(s, &toks[v], &x) == 0 && x == 42);
    v = json_obj_get(s, toks, 0, "neg");
    CHECK(v > 0 && json_get_i64(s, &toks[v], &x) == 0 && x == -7);
    v = json_obj_get(s, toks, 0, "f");
    CHECK(v > 0 && json_get_i64(s, &toks[v], &x) != 0);
    v = json_obj_get(s, toks, 0, "big");
    CHECK(v > 0 && json_get_i64(s, &toks[v], &x) != 0);
    CHECK(json_obj_get(s, toks, 0, "missing") < 0);
    CHECK(json_obj_get(s, toks, 0, "key") > 0);   /* escaped key */
    char out[64];
    v = json_obj_get(s, toks, 0, "s");
    CHECK(json_str_decode(s, &toks[v], out, sizeof out) == 8 && !strcmp(out, "a\xc3\xa9\xf0\x9f\x98\x80" "b"));
    CHECK(json_str_decode(s, &toks[v], out, 4) < 0);   /* does not fit */
    v = json_obj_get(s, toks, 0, "z");
    CHECK(json_str_decode(s, &toks[v], out, sizeof out) < 0);   /* NUL refused */

    struct jbuf b;
    jb_init(&b, 1024);
    jb_str(&b, "a\"b\\c\n\x01\xff\xc3\xa9");
    CHECK(!b.err && !strcmp(b.p, "\"a\\\"b\\\\c\\n\\u0001\\ufffd\xc3\xa9\""));
    jb_free(&b);
    jb_init(&b, 8);
    jb_raw(&b, "0123456789");
    CHECK(b.err);   /* bounded */
    jb_free(&b);
}

/* ---------------- requests ---------------- */

static int req(const char *s, struct request *r)
{
    char err[256];
    int rc = request_parse((const uint8_t *)s, strlen(s), r, err, sizeof err);
    return rc;
}

static void test_request(void)
{
    struct request r;
    CHECK(req("{\"op\":\"exec\",\"argv\":[\"git\",\"--version\"],\"env\":{\"K\":\"V\"},\"cwd\":\"/workspace\","
              "\"timeout_ms\":30000,\"stdin\":true,\"max_output_bytes\":1048576}", &r) == REQ_OK);
    CHECK(r.op == OP_EXEC && r.argc == 2 && !strcmp(r.argv[1], "--version") && r.argv[2] == NULL);
    CHECK(r.envc == 1 && !strcmp(r.env[0], "K=V") && r.timeout_ms == 30000 && r.want_stdin && r.max_output == 1048576);
    CHECK(!strcmp(r.cwd, "/workspace"));
    request_free(&r);
    CHECK(req("{\"op\":\"exec\",\"argv\":[]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"exec\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"exec\",\"argv\":[1]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"exec\",\"argv\":[\"a\"],\"env\":{\"A=B\":\"c\"}}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"exec\",\"argv\":[\"a\"],\"timeout_ms\":-1}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"exec\",\"argv\":[\"a\"],\"stdin\":1}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"frob\"}", &r) == REQ_UNKNOWN_OP); request_free(&r);
    CHECK(req("{\"argv\":[]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("[1]", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"stat\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"stat\",\"path\":\"a\"}", &r) == REQ_OK && r.op == OP_STAT && !strcmp(r.path, "a")); request_free(&r);
    CHECK(req("{\"op\":\"list\",\"path\":\"a\",\"recursive\":true}", &r) == REQ_OK && r.recursive); request_free(&r);
    CHECK(req("{\"op\":\"archive_import\",\"dest\":\"d\",\"strip_components\":2}", &r) == REQ_OK && r.strip == 2); request_free(&r);
    CHECK(req("{\"op\":\"shutdown\",\"action\":\"reboot\"}", &r) == REQ_OK && r.reboot); request_free(&r);
    CHECK(req("{\"op\":\"shutdown\",\"action\":\"explode\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"ping\"}", &r) == REQ_OK && r.op == OP_PING); request_free(&r);
    CHECK(req("{\"op\":\"workspace_freeze\"}", &r) == REQ_OK && r.op == OP_FREEZE && r.freeze_ms == 10000); request_free(&r);
    CHECK(req("{\"op\":\"workspace_freeze\",\"timeout_ms\":2500}", &r) == REQ_OK && r.freeze_ms == 2500); request_free(&r);
    CHECK(req("{\"op\":\"workspace_freeze\",\"timeout_ms\":0}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"workspace_freeze\",\"timeout_ms\":60001}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"workspace_freeze\",\"timeout_ms\":\"5\"}", &r) == REQ_BAD); request_free(&r);
    /* argv cap */
    size_t cap = 4 * 5000 + 64;
    char *big = malloc(cap);
    strcpy(big, "{\"op\":\"exec\",\"argv\":[");
    for (int i = 0; i < 4097; i++)
        strcat(big, i ? ",\"a\"" : "\"a\"");
    strcat(big, "]}");
    CHECK(req(big, &r) == REQ_BAD);
    request_free(&r);
    free(big);
}

/* ---------------- paths ---------------- */

static int norm(const char *in, char *out)
{
    return paths_normalize_request(in, out, 4096);
}

static void test_paths(void)
{
    char o[4096];
    CHECK(norm("/workspace", o) == 0 && !strcmp(o, ""));
    CHECK(norm("/workspace/", o) == 0 && !strcmp(o, ""));
    CHECK(norm("/workspace/a//b/./c/", o) == 0 && !strcmp(o, "a/b/c"));
    CHECK(norm("a/../b", o) == 0 && !strcmp(o, "b"));
    CHECK(norm("", o) == 0 && !strcmp(o, ""));
    CHECK(norm(".", o) == 0 && !strcmp(o, ""));
    CHECK(norm("..", o) == -1);
    CHECK(norm("a/../../b", o) == -1);
    CHECK(norm("/workspace/../etc", o) == -1);
    CHECK(norm("/etc/passwd", o) == -1);
    CHECK(norm("/workspacex/a", o) == -1);
    CHECK(norm("/", o) == -1);
    char small[4];
    CHECK(paths_normalize_request("abcdef", small, sizeof small) == -2);

    CHECK(tar_name_normalize("a/b", 0, o, sizeof o) == 0 && !strcmp(o, "a/b"));
    CHECK(tar_name_normalize("./a/./b/", 0, o, sizeof o) == 0 && !strcmp(o, "a/b"));
    CHECK(tar_name_normalize("./", 0, o, sizeof o) == 0 && !strcmp(o, ""));
    CHECK(tar_name_normalize("", 0, o, sizeof o) == -1);
    CHECK(tar_name_normalize("/etc/passwd", 0, o, sizeof o) == -1);
    CHECK(tar_name_normalize("../x", 0, o, sizeof o) == -1);
    CHECK(tar_name_normalize("a/../b", 0, o, sizeof o) == -1);   /* any ".." component is refused */
    CHECK(tar_name_normalize("a/..", 0, o, sizeof o) == -1);
    CHECK(tar_name_normalize("a/..b/c..", 0, o, sizeof o) == 0 && !strcmp(o, "a/..b/c.."));
    CHECK(tar_name_normalize("top/a/b", 1, o, sizeof o) == 0 && !strcmp(o, "a/b"));
    CHECK(tar_name_normalize("./top/a", 1, o, sizeof o) == 0 && !strcmp(o, "a"));
    CHECK(tar_name_normalize("top/", 1, o, sizeof o) == 1);
    CHECK(tar_name_normalize("top/a", 5, o, sizeof o) == 1);
    CHECK(tar_name_normalize("top/../a", 1, o, sizeof o) == -1);   /* validated before stripping */

    char buf[64];
    const char *parent, *leaf;
    strcpy(buf, "a/b/c");
    paths_split(buf, &parent, &leaf);
    CHECK(!strcmp(parent, "a/b") && !strcmp(leaf, "c"));
    strcpy(buf, "c");
    paths_split(buf, &parent, &leaf);
    CHECK(!strcmp(parent, "") && !strcmp(leaf, "c"));
}

/* lstat beneath a directory: parent fd + leaf, never following, never leaving */
static void test_lstat_beneath(void)
{
    char dir[] = "/tmp/pyro-agent-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(root >= 0);
    CHECK(mkdirat(root, "d", 0755) == 0);
    int f = openat(root, "d/f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    CHECK(f >= 0 && write(f, "abc", 3) == 3);
    close(f);
    CHECK(symlinkat("d", root, "ln") == 0);
    CHECK(symlinkat("/", root, "out") == 0);
    char buf[64];
    const char *leaf;
    struct stat sb;
    int fd = paths_lstat_beneath(root, "d/f", 0, buf, sizeof buf, &leaf, &sb);
    CHECK(fd >= 0 && !strcmp(leaf, "f") && S_ISREG(sb.st_mode) && sb.st_size == 3);
    if (fd >= 0)
        close(fd);
    fd = paths_lstat_beneath(root, "", 0, buf, sizeof buf, &leaf, &sb);
    CHECK(fd >= 0 && !strcmp(leaf, ".") && S_ISDIR(sb.st_mode));
    if (fd >= 0)
        close(fd);
    fd = paths_lstat_beneath(root, "ln", 0, buf, sizeof buf, &leaf, &sb);   /* the link itself */
    CHECK(fd >= 0 && S_ISLNK(sb.st_mode));
    if (fd >= 0)
        close(fd);
    fd = paths_lstat_beneath(root, "ln/f", 0, buf, sizeof buf, &leaf, &sb);  /* an inside link is followed */
    CHECK(fd >= 0 && S_ISREG(sb.st_mode));
    if (fd >= 0)
        close(fd);
    CHECK(paths_lstat_beneath(root, "ln/f", RESOLVE_NO_SYMLINKS, buf, sizeof buf, &leaf, &sb) == -ELOOP);
    CHECK(paths_lstat_beneath(root, "out/etc", 0, buf, sizeof buf, &leaf, &sb) == -EXDEV);
    CHECK(paths_lstat_beneath(root, "d/missing", 0, buf, sizeof buf, &leaf, &sb) == -ENOENT);
    CHECK(paths_lstat_beneath(root, "d/f/x", 0, buf, sizeof buf, &leaf, &sb) == -ENOTDIR);
    char tiny[3];
    CHECK(paths_lstat_beneath(root, "d/f", 0, tiny, sizeof tiny, &leaf, &sb) == -ENAMETOOLONG);
    unlinkat(root, "out", 0);
    unlinkat(root, "ln", 0);
    unlinkat(root, "d/f", 0);
    unlinkat(root, "d", AT_REMOVEDIR);
    close(root);
    rmdir(dir);
}

/* ---------------- tar ---------------- */

struct collect {
    int n;
    char names[16][5000];
    char links[16][200];
    char types[16];
    uint64_t sizes[16];
    int64_t mtimes[16];
    uint32_t modes[16];
    uint64_t data_bytes;
    int ends;
    uint8_t data[4096];
};

static int c_entry(void *ctx, const struct tar_entry *e)
{
    struct collect *c = ctx;
    if (c->n >= 16)
        return 1;
    snprintf(c->names[c->n], sizeof c->names[0], "%s", e->name);
    snprintf(c->links[c->n], sizeof c->links[0], "%s", e->linkname);
    c->types[c->n] = e->type;
    c->sizes[c->n] = e->size;
    c->mtimes[c->n] = e->mtime;
    c->modes[c->n] = e->mode;
    c->n++;
    return 0;
}

static int c_data(void *ctx, const uint8_t *p, size_t n)
{
    struct collect *c = ctx;
    if (c->data_bytes + n <= sizeof c->data)
        memcpy(c->data + c->data_bytes, p, n);
    c->data_bytes += n;
    return 0;
}

static int c_end(void *ctx)
{
    ((struct collect *)ctx)->ends++;
    return 0;
}

static const struct tar_cb ccb = { c_entry, c_data, c_end };

static size_t add_entry(uint8_t *out, const char *name, const char *link, char type, uint32_t mode,
                        const char *data, size_t dl, int64_t mtime)
{
    long h = tar_build_header(out, 1 << 16, name, link, type, mode, dl, mtime);
    CHECK(h > 0 && h % 512 == 0);
    memcpy(out + h, data, dl);
    size_t padded = (dl + 511) / 512 * 512;
    memset(out + h + dl, 0, padded - dl);
    return (size_t)h + padded;
}

static int feed_all(uint8_t *a, size_t n, size_t chunk, struct collect *c)
{
    struct tar_reader tr;
    tar_reader_init(&tr);
    memset(c, 0, sizeof *c);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i += chunk)
        rc = tar_feed(&tr, a + i, MIN(chunk, n - i), &ccb, c);
    if (!rc)
        rc = tar_finish(&tr);
    tar_reader_free(&tr);
    return rc;
}

static void test_tar(void)
{
    int64_t v;
    CHECK(tar_parse_num((const uint8_t *)"0000644\0", 8, &v) == 0 && v == 0644);
    CHECK(tar_parse_num((const uint8_t *)"  644 \0\0", 8, &v) == 0 && v == 0644);
    CHECK(tar_parse_num((const uint8_t *)"0009\0\0\0\0", 8, &v) != 0);
    uint8_t b256[12] = { 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00 };
    CHECK(tar_parse_num(b256, 12, &v) == 0 && v == 256);
    uint8_t neg[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
    CHECK(tar_parse_num(neg, 12, &v) == 0 && v == -2);

    static uint8_t a[1 << 20];
    char longname[300];
    memset(longname, 'n', 250);
    strcpy(longname + 250, "/f.txt");
    size_t n = 0;
    n += add_entry(a + n, "dir/", NULL, '5', 0755, "", 0, 1000);
    n += add_entry(a + n, "dir/a.txt", NULL, '0', 0644, "hello", 5, 1600000000);
    n += add_entry(a + n, longname, NULL, '0', 04755, "xy", 2, -5);   /* pax path + mtime */
    n += add_entry(a + n, "dir/sl", "a.txt", '2', 0777, "", 0, 1);
    memset(a + n, 0, 1024);
    n += 1024;
    memset(a + n, 0xAB, 512);   /* junk after the end marker is ignored */
    n += 512;
    for (size_t chunk = 1; chunk <= 4096; chunk *= 8) {
        struct collect c;
        CHECK(feed_all(a, n, chunk, &c) == 0);
        CHECK(c.n == 4);
        CHECK(!strcmp(c.names[0], "dir/") && c.types[0] == '5' && c.modes[0] == 0755);
        CHECK(!strcmp(c.names[1], "dir/a.txt") && c.types[1] == '0' && c.sizes[1] == 5 && c.mtimes[1] == 1600000000);
        CHECK(!strcmp(c.names[2], longname) && c.mtimes[2] == -5 && c.modes[2] == 04755);
        CHECK(!strcmp(c.names[3], "dir/sl") && c.types[3] == '2' && !strcmp(c.links[3], "a.txt"));
        CHECK(c.data_bytes == 7 && !memcmp(c.data, "helloxy", 7) && c.ends == 2);
    }
    /* checksum corruption */
    struct collect c;
    a[512 + 20] ^= 0x40;
    CHECK(feed_all(a, n, 512, &c) == TAR_ERR_MALFORMED);
    a[512 + 20] ^= 0x40;
    /* truncation inside a payload and at a header boundary */
    CHECK(feed_all(a, 512 + 512 + 3, 100, &c) == TAR_ERR_MALFORMED);
    CHECK(feed_all(a, 1024 + 512, 512, &c) != 0);
    CHECK(feed_all(a, 0, 512, &c) != 0);   /* empty stream */
    /* one end block only is accepted */
    uint8_t one[1024];
    size_t on = add_entry(one, "x", NULL, '0', 0644, "", 0, 0);
    memset(one + on, 0, 512);
    CHECK(feed_all(one, on + 512, 512, &c) == 0 && c.n == 1 && c.ends == 1);

    /* GNU 'L' long name, built by hand */
    uint8_t g[4096];
    memset(g, 0, sizeof g);
    const char *ln = "gnu/long/name/that/is/long.txt";
    long h = tar_build_header(g, 512, "././@LongLink", NULL, 'L', 0644, strlen(ln) + 1, 0);
    CHECK(h == 512);
    memcpy(g + 512, ln, strlen(ln) + 1);
    h = tar_build_header(g + 1024, 512, "truncated", NULL, '0', 0600, 3, 7);
    memcpy(g + 1536, "abc", 3);
    CHECK(feed_all(g, 2048 + 1024, 77, &c) == 0 && c.n == 1 && !strcmp(c.names[0], ln) && c.data_bytes == 3);

    /* pax: bad record length is malformed */
    uint8_t p[4096];
    memset(p, 0, sizeof p);
    const char *rec = "99 path=x\n";
    tar_build_header(p, 512, "PaxHeaders/x", NULL, 'x', 0644, strlen(rec), 0);
    memcpy(p + 512, rec, strlen(rec));
    tar_build_header(p + 1024, 512, "x", NULL, '0', 0644, 0, 0);
    CHECK(feed_all(p, 1536 + 1024, 512, &c) == TAR_ERR_MALFORMED);
    /* pax size override + linkpath */
    memset(p, 0, sizeof p);
    const char *rec2 = "10 size=4\n16 linkpath=tgt\n";
    tar_build_header(p, 512, "PaxHeaders/y", NULL, 'x', 0644, strlen(rec2), 0);
    memcpy(p + 512, rec2, strlen(rec2));
    tar_build_header(p + 1024, 512, "y", NULL, '0', 0644, 0, 0);
    memcpy(p + 1536, "data", 4);
    CHECK(feed_all(p, 2048 + 1024, 512, &c) == 0 && c.n == 1 && c.sizes[0] == 4 && c.data_bytes == 4 && !strcmp(c.links[0], "tgt"));
    /* oversized extended header is refused before allocation */
    memset(p, 0, sizeof p);
    tar_build_header(p, 512, "PaxHeaders/z", NULL, 'x', 0644, (uint64_t)TAR_META_MAX + 1, 0);
    CHECK(feed_all(p, 512, 512, &c) == TAR_ERR_MALFORMED);
    /* size > 8 GiB goes through pax and parses back */
    memset(p, 0, sizeof p);
    h = tar_build_header(p, sizeof p, "huge", NULL, '0', 0644, UINT64_C(10) << 30, 0);
    CHECK(h == 1536);
    struct tar_reader tr;
    tar_reader_init(&tr);
    memset(&c, 0, sizeof c);
    struct tar_cb entry_only = { c_entry, NULL, NULL };
    CHECK(tar_feed(&tr, p, (size_t)h, &entry_only, &c) == 0 && c.n == 1 && c.sizes[0] == (UINT64_C(10) << 30));
    tar_reader_free(&tr);
}


/* ---------------- additions: new request fields, sha256, order, staging, cmdline ---------------- */

static void test_request_new(void)
{
    struct request r;
    CHECK(req("{\"op\":\"archive_import\",\"dest\":\"d\",\"atomic\":true}", &r) == REQ_OK && r.atomic); request_free(&r);
    CHECK(req("{\"op\":\"archive_import\",\"dest\":\"d\"}", &r) == REQ_OK && !r.atomic); request_free(&r);
    CHECK(req("{\"op\":\"archive_import\",\"dest\":\"d\",\"atomic\":\"yes\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"manifest\",\"path\":\"/workspace\"}", &r) == REQ_OK && r.op == OP_MANIFEST && r.hash); request_free(&r);
    CHECK(req("{\"op\":\"manifest\",\"path\":\"/workspace\",\"hash\":false}", &r) == REQ_OK && !r.hash); request_free(&r);
    CHECK(req("{\"op\":\"manifest\",\"path\":\"/workspace\",\"hash\":0}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"manifest\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[\"a/b.txt\",\"dir/c\"]}", &r) == REQ_OK &&
          r.npaths == 2 && !strcmp(r.paths[1], "dir/c") && r.paths[2] == NULL); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":null}", &r) == REQ_OK && !r.paths); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[]}", &r) == REQ_OK && r.paths && r.npaths == 0); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[\"a\",\"\"]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[\"a\",3]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":\"a\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[\"a\\u0000b\"]}", &r) == REQ_BAD); request_free(&r);
    /* paths cap */
    size_t cap = 6 * 9000 + 64;
    char *big = malloc(cap);
    strcpy(big, "{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[");
    size_t l = strlen(big);
    for (int i = 0; i < REQ_MAX_PATHS + 1; i++) {
        memcpy(big + l, i ? ",\"a\"" : "\"a\"", i ? 4 : 3);
        l += i ? 4 : 3;
    }
    strcpy(big + l, "]}");
    CHECK(req(big, &r) == REQ_BAD);
    request_free(&r);
    free(big);
}

static int sha_is(const void *p, size_t n, const char *want)
{
    struct sha256 c;
    uint8_t d[32];
    char hex[65];
    sha256_init(&c);
    sha256_update(&c, p, n);
    sha256_final(&c, d);
    sha256_hex(d, hex);
    return !strcmp(hex, want);
}

static void test_sha256(void)
{
    /* FIPS 180-2 appendix B */
    CHECK(sha_is("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    CHECK(sha_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    CHECK(sha_is("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    /* one million 'a', fed in odd-sized pieces */
    static uint8_t a[1000000];
    memset(a, 'a', sizeof a);
    CHECK(sha_is(a, sizeof a, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    struct sha256 c;
    uint8_t d[32];
    char hex[65];
    sha256_init(&c);
    for (size_t o = 0, k = 1; o < sizeof a; o += k, k = k * 7 % 1000 + 1)
        sha256_update(&c, a + o, MIN(k, sizeof a - o));
    sha256_final(&c, d);
    sha256_hex(d, hex);
    CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    /* lengths around the padding boundary (55, 56, 63, 64 bytes) */
    CHECK(sha_is(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
    CHECK(sha_is(a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
    CHECK(sha_is(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"));
}

static int mcmp(const char *a, int ad, const char *b, int bd)
{
    return paths_manifest_cmp(a, ad, b, bd);
}

static void test_manifest_order(void)
{
    /* "a" < "a-c" < "a.txt" < "a/..." < "a0" in byte order of full paths */
    CHECK(mcmp("a", 0, "a-c", 0) < 0);
    CHECK(mcmp("a-c", 0, "a", 1) < 0);       /* "a-c" < "a/" */
    CHECK(mcmp("a.txt", 0, "a", 1) < 0);
    CHECK(mcmp("a", 1, "a0", 0) < 0);        /* "a/" < "a0" */
    CHECK(mcmp("a", 0, "a", 1) < 0);         /* the entry before its subtree */
    CHECK(mcmp("a", 1, "a", 1) == 0);
    CHECK(mcmp("b", 0, "a", 1) > 0);
    CHECK(mcmp("\xc3\xa9", 0, "z", 0) > 0);  /* unsigned bytes */
    CHECK(mcmp("ab", 0, "a", 1) > 0);        /* 'b' > '/' */
}

static void test_staging_paths(void)
{
    char out[4096];
    CHECK(paths_staging_default("/tmp/x/ws", out, sizeof out) == 0 && !strcmp(out, "/tmp/x/.pyro-staging-ws"));
    CHECK(paths_staging_default("/tmp/x/ws///", out, sizeof out) == 0 && !strcmp(out, "/tmp/x/.pyro-staging-ws"));
    CHECK(paths_staging_default("/ws", out, sizeof out) == 0 && !strcmp(out, "/.pyro-staging-ws"));
    CHECK(paths_staging_default("ws", out, sizeof out) == 0 && !strcmp(out, "./.pyro-staging-ws"));
    CHECK(paths_staging_default("/", out, sizeof out) == -1);
    CHECK(paths_staging_default("/a/..", out, sizeof out) == -1);
    CHECK(paths_staging_default("/tmp/x/ws", out, 10) == -1);
    CHECK(paths_normalize_relative("a/b.txt", out, sizeof out) == 0 && !strcmp(out, "a/b.txt"));
    CHECK(paths_normalize_relative("./a//b/../c/", out, sizeof out) == 0 && !strcmp(out, "a/c"));
    CHECK(paths_normalize_relative("../a", out, sizeof out) == -1);
    CHECK(paths_normalize_relative("a/../..", out, sizeof out) == -1);
    CHECK(paths_normalize_relative("/etc", out, sizeof out) == -1);
    CHECK(paths_normalize_relative(".", out, sizeof out) == -1);
    CHECK(paths_normalize_relative("", out, sizeof out) == -1);
}

static void test_cmdline(void)
{
    char v[32];
    uint64_t s;
    CHECK(cmdline_get("console=ttyS0 pyro.ttl=5 quiet\n", "pyro.ttl", v, sizeof v) == 1 && !strcmp(v, "5"));
    CHECK(cmdline_get("pyro.ttl=5 pyro.ttl=7", "pyro.ttl", v, sizeof v) == 1 && !strcmp(v, "7"));
    CHECK(cmdline_get("xpyro.ttl=5 pyro.ttlx=3", "pyro.ttl", v, sizeof v) == 0);
    CHECK(cmdline_get("pyro.ttl", "pyro.ttl", v, sizeof v) == 0);
    CHECK(cmdline_get("pyro.ttl=1234567890123456789012345678901234567890", "pyro.ttl", v, 8) == 1 && strlen(v) == 7);
    CHECK(parse_ttl("5", &s) == 0 && s == 5);
    CHECK(parse_ttl("3600", &s) == 0 && s == 3600);
    CHECK(parse_ttl("0", &s) == -1);
    CHECK(parse_ttl("", &s) == -1);
    CHECK(parse_ttl("5s", &s) == -1);
    CHECK(parse_ttl("-5", &s) == -1);
    CHECK(parse_ttl("99999999999999999999999", &s) == -1);
}


/* ---------------- names as bytes, text class ---------------- */

/* encoded by jb_base64 as want (without quotes) and decoded back to the bytes */
static int b64_is(const char *in, size_t n, const char *want)
{
    struct jbuf b;
    jb_init(&b, 1024);
    jb_base64(&b, (const uint8_t *)in, n);
    uint8_t back[256];
    long l = b64_decode(b.p + 1, b.len - 2, back, sizeof back);
    int ok = b.len == strlen(want) + 2 && !memcmp(b.p + 1, want, b.len - 2) && l == (long)n && !memcmp(back, in, n);
    jb_free(&b);
    return ok;
}

static int text_of(const char *p, size_t n, size_t chunk)
{
    struct textclass t;
    text_init(&t);
    for (size_t i = 0; i < n; i += chunk)
        text_feed(&t, (const uint8_t *)p + i, n - i < chunk ? n - i : chunk);
    return text_result(&t);
}

static void test_names(void)
{
    CHECK(b64_is("", 0, ""));
    CHECK(b64_is("f", 1, "Zg=="));
    CHECK(b64_is("fo", 2, "Zm8="));
    CHECK(b64_is("foo", 3, "Zm9v"));
    CHECK(b64_is("bad\xff.txt", 8, "YmFk/y50eHQ="));
    uint8_t o[16];
    CHECK(b64_decode("Zg=", 3, o, sizeof o) == -1);       /* not a multiple of 4 */
    CHECK(b64_decode("Zh==", 4, o, sizeof o) == -1);      /* non-canonical trailing bits */
    CHECK(b64_decode("Z===", 4, o, sizeof o) == -1);
    CHECK(b64_decode("Zg==Zg==", 8, o, sizeof o) == -1);  /* padding in the middle */
    CHECK(b64_decode("Zm9v", 4, o, 2) == -1);             /* does not fit */
    CHECK(b64_decode("Zm 9", 4, o, sizeof o) == -1);

    CHECK(utf8_valid((const uint8_t *)"h\xc3\xa9llo \xf0\x9f\x8e\x89", 11));
    CHECK(!utf8_valid((const uint8_t *)"bad\xff", 4));
    CHECK(!utf8_valid((const uint8_t *)"\xc0\xaf", 2));          /* overlong '/' */
    CHECK(!utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));      /* surrogate */
    CHECK(!utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4));  /* above U+10FFFF */
    CHECK(!utf8_valid((const uint8_t *)"\xe2\x82", 2));          /* cut off */

    /* the host's TextContent rule, fed in any chunks */
    const char *utf = "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89\n";
    for (size_t chunk = 1; chunk <= 8; chunk++) {
        CHECK(text_of(utf, strlen(utf), chunk) == 1);
        CHECK(text_of("caf\xe9\n", 5, chunk) == 0);
    }
    static char big[3 * TEXT_SNIFF];
    memset(big, 'a', sizeof big);
    big[TEXT_SNIFF - 1] = 0;
    CHECK(text_of(big, sizeof big, 4096) == 0);   /* a NUL in the first 8 KiB: binary */
    big[TEXT_SNIFF - 1] = 'a';
    big[TEXT_SNIFF] = 0;
    CHECK(text_of(big, sizeof big, 4096) == 1);   /* a later NUL is valid UTF-8 text */
    CHECK(text_of("", 0, 1) == 1);

    struct jbuf b;
    jb_init(&b, 1024);
    jb_name(&b, "path", "bad\xff.txt", 8);
    CHECK(!strcmp(b.p, "\"path\":\"bad\\ufffd.txt\",\"path_b64\":\"YmFk/y50eHQ=\""));
    b.len = 0;
    jb_name(&b, "path", "ok/\xc3\xa9", 5);
    CHECK(!strcmp(b.p, "\"path\":\"ok/\xc3\xa9\""));
    b.len = 0;
    jb_name_value(&b, "a\xfe", 2);
    CHECK(!strcmp(b.p, "{\"b64\":\"Yf4=\"}"));
    jb_free(&b);

    struct request r;
    CHECK(req("{\"op\":\"stat\",\"path_b64\":\"YmFk/y50eHQ=\"}", &r) == REQ_OK && !strcmp(r.path, "bad\xff.txt"));
    request_free(&r);
    CHECK(req("{\"op\":\"stat\",\"path\":\"x\",\"path_b64\":\"YQ==\"}", &r) == REQ_OK && !strcmp(r.path, "a"));
    request_free(&r);
    CHECK(req("{\"op\":\"stat\",\"path_b64\":\"YQBi\"}", &r) == REQ_BAD); request_free(&r);   /* NUL byte */
    CHECK(req("{\"op\":\"stat\",\"path_b64\":\"\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"stat\",\"path_b64\":\"!!!!\"}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"stat\",\"path_b64\":5}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_import\",\"dest_b64\":\"ZP8=\"}", &r) == REQ_OK && !strcmp(r.path, "d\xff"));
    request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[\"a\",{\"b64\":\"Yf4=\"}]}", &r) == REQ_OK &&
          r.npaths == 2 && !strcmp(r.paths[1], "a\xfe"));
    request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[{\"b64\":\"\"}]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[{\"x\":\"YQ==\"}]}", &r) == REQ_BAD); request_free(&r);
    CHECK(req("{\"op\":\"archive_export\",\"path\":\"p\",\"paths\":[{\"b64\":7}]}", &r) == REQ_BAD); request_free(&r);

    /* names that are not UTF-8 go out as GNU long names, bytes intact */
    static uint8_t a[1 << 16];
    char lname[200];
    memset(lname, 'x', 150);
    memcpy(lname + 150, "/\xff\xfe.txt", 8);
    size_t n = add_entry(a, lname, NULL, '0', 0644, "hi", 2, 1);
    n += add_entry(a + n, "short\xff", lname, '2', 0777, "", 0, 1);
    memset(a + n, 0, 1024);
    n += 1024;
    CHECK(a[156] == 'L' && !memcmp(a, "././@LongLink", 13));
    struct collect c;
    CHECK(feed_all(a, n, 100, &c) == 0 && c.n == 2 && !strcmp(c.names[0], lname) && !strcmp(c.names[1], "short\xff"));

    /* a name no file system takes is its own error, not a malformed archive */
    static char huge[TAR_NAME_MAX + 10];
    memset(huge, 'h', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    n = add_entry(a, huge, NULL, '0', 0644, "", 0, 1);
    memset(a + n, 0, 1024);
    CHECK(feed_all(a, n + 1024, 512, &c) == TAR_ERR_TOO_LONG);
}

/* ---------------- stat cache ---------------- */

static struct stat file_stat(uint64_t ino, int64_t size, time_t mtime, time_t ctime, long ctime_ns)
{
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    sb.st_dev = 7;
    sb.st_ino = ino;
    sb.st_size = size;
    sb.st_mtim.tv_sec = mtime;
    sb.st_ctim.tv_sec = ctime;
    sb.st_ctim.tv_nsec = ctime_ns;
    return sb;
}

static void test_statcache(void)
{
    statcache_clear();
    statcache_set_window(STATCACHE_WINDOW_NS);
    uint8_t sha[32], got[32];
    memset(sha, 0xab, sizeof sha);
    int text = -1;
    struct timespec now = { 1000, 0 };
    uint32_t gen = statcache_begin();

    /* written in the same tick as (or within the window before) the hash: never cached */
    struct stat racy = file_stat(1, 10, 999, 999, 500000000);
    statcache_store(&racy, gen, sha, 1, &now);
    CHECK(!statcache_lookup(&racy, gen, got, &text));
    struct stat future = file_stat(2, 10, 2000, 990, 0);   /* touch -d into the future */
    statcache_store(&future, gen, sha, 1, &now);
    CHECK(!statcache_lookup(&future, gen, got, &text));

    /* old enough: cached, and a hit only while every stat member matches */
    struct stat old = file_stat(3, 10, 900, 900, 0);
    statcache_store(&old, gen, sha, 1, &now);
    CHECK(statcache_lookup(&old, gen, got, &text) && !memcmp(got, sha, 32) && text == 1);
    struct stat rewritten = old;          /* same size, mtime put back with utimensat: ctime moved */
    rewritten.st_ctim.tv_sec = 1001;
    CHECK(!statcache_lookup(&rewritten, gen, got, &text));
    struct stat resized = old;
    resized.st_size = 11;
    CHECK(!statcache_lookup(&resized, gen, got, &text));
    struct stat reused = old;             /* another file on a reused inode number */
    reused.st_ino = 4;
    CHECK(!statcache_lookup(&reused, gen, got, &text));
    CHECK(statcache_size() == 1);

    /* a walk that no longer sees a file drops it */
    uint32_t g2 = statcache_begin();
    struct stat other = file_stat(5, 1, 800, 800, 0);
    statcache_store(&other, g2, sha, 0, &now);
    statcache_sweep(g2);
    CHECK(statcache_size() == 1 && !statcache_lookup(&old, g2, got, &text));
    CHECK(statcache_lookup(&other, g2, got, &text) && text == 0);

    /* the clock set back by more than the window forgets everything; a small step does not */
    struct timespec was = { 1000, 0 }, back_a_bit = { 999, 0 }, back_far = { 990, 0 };
    statcache_clock_set(&was, &back_a_bit);
    CHECK(statcache_size() == 1);
    statcache_clock_set(&was, &back_far);
    CHECK(statcache_size() == 0);

    /* bounded: at most half of STATCACHE_MAX_SLOTS entries */
    uint32_t g3 = statcache_begin();
    for (uint64_t i = 0; i < STATCACHE_MAX_SLOTS; i++) {
        struct stat f = file_stat(100 + i, 1, 10, 10, 0);
        statcache_store(&f, g3, sha, 1, &now);
    }
    CHECK(statcache_size() == STATCACHE_MAX_SLOTS / 2);
    struct stat first = file_stat(100, 1, 10, 10, 0);
    CHECK(statcache_lookup(&first, g3, got, &text));
    statcache_clear();
}

/* ---------------- symlinks along an import destination ---------------- */

static void test_resolve_links(void)
{
    char dir[] = "/tmp/pyro-agent-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(root >= 0);
    CHECK(mkdirat(root, "sub", 0755) == 0);
    CHECK(mkdirat(root, "sub/in", 0755) == 0);
    CHECK(symlinkat("sub", root, "rel") == 0);
    CHECK(symlinkat("/workspace/sub/in", root, "abs") == 0);
    CHECK(symlinkat("../rel/in", root, "sub/up") == 0);
    CHECK(symlinkat("/etc", root, "etc") == 0);
    CHECK(symlinkat("../..", root, "dotdot") == 0);
    CHECK(symlinkat("loop", root, "loop") == 0);
    char out[4096], why[4200];
    CHECK(paths_resolve_links(root, "rel/new/dir", out, sizeof out, why, sizeof why) == 0 && !strcmp(out, "sub/new/dir"));
    CHECK(paths_resolve_links(root, "abs/x", out, sizeof out, why, sizeof why) == 0 && !strcmp(out, "sub/in/x"));
    CHECK(paths_resolve_links(root, "sub/up", out, sizeof out, why, sizeof why) == 0 && !strcmp(out, "sub/in"));
    CHECK(paths_resolve_links(root, "", out, sizeof out, why, sizeof why) == 0 && !strcmp(out, ""));
    CHECK(paths_resolve_links(root, "etc/x", out, sizeof out, why, sizeof why) == -EXDEV &&
          !strcmp(why, "the symbolic link /workspace/etc points to /etc"));
    CHECK(paths_resolve_links(root, "dotdot", out, sizeof out, why, sizeof why) == -EXDEV);
    CHECK(paths_resolve_links(root, "loop/x", out, sizeof out, why, sizeof why) == -ELOOP);
    close(root);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static void test_guest_net(void)
{
    struct guest_net n;
    CHECK(guest_net_parse("10.0.2.15/24,10.0.2.2,10.0.2.3", &n) == 0);
    CHECK(n.prefix == 24 && n.mask.s_addr == htonl(0xffffff00u));
    CHECK(n.addr.s_addr == inet_addr("10.0.2.15") && n.gateway.s_addr == inet_addr("10.0.2.2"));
    CHECK(n.dns.s_addr == inet_addr("10.0.2.3"));
    CHECK(guest_net_parse("192.168.7.2/30,192.168.7.1,192.168.7.1", &n) == 0 && n.prefix == 30);
    /* malformed: each must be refused whole */
    const char *bad[] = {
        "", "10.0.2.15", "10.0.2.15/24", "10.0.2.15/24,10.0.2.2", "10.0.2.15/24,10.0.2.2,10.0.2.3,",
        "10.0.2.15/24,10.0.2.2,10.0.2.3,1.2.3.4", "10.0.2.15/0,10.0.2.2,10.0.2.3", "10.0.2.15/31,10.0.2.2,10.0.2.3",
        "10.0.2.15/33,10.0.2.2,10.0.2.3", "10.0.2.15/,10.0.2.2,10.0.2.3", "10.0.2.15/2x,10.0.2.2,10.0.2.3",
        "10.0.2.15/024,10.0.2.2,10.0.2.3", "10.0.2.256/24,10.0.2.2,10.0.2.3", "10.0.2.15/24,10.0.3.2,10.0.2.3",
        "10.0.2.15/24,10.0.2.2,8.8.8.8", "10.0.2.15/24,10.0.2.15,10.0.2.3", "10.0.2.15/24,,10.0.2.3",
        "a.b.c.d/24,10.0.2.2,10.0.2.3", "10.0.2.15,10.0.2.2/24,10.0.2.3", "10.0.2.15/24,10.0.2.2,10.0.2.3 x",
        "10.0.2.15 /24,10.0.2.2,10.0.2.3", "1111111111111111111111/24,10.0.2.2,10.0.2.3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(guest_net_parse(bad[i], &n) == -1);
}

static void test_egress_rules(void)
{
    const char *list = "pypi.org:*.github.com:allowed.test";
    CHECK(egress_allowed(list, "pypi.org") == 1);
    CHECK(egress_allowed(list, "PyPI.Org") == 1);
    CHECK(egress_allowed(list, "files.pypi.org") == 0);           /* exact names are exact */
    CHECK(egress_allowed(list, "api.github.com") == 1);
    CHECK(egress_allowed(list, "a.b.github.com") == 1);
    CHECK(egress_allowed(list, "github.com") == 0);               /* the wildcard needs a label */
    CHECK(egress_allowed(list, "evilgithub.com") == 0);
    CHECK(egress_allowed(list, "github.com.evil.test") == 0);
    CHECK(egress_allowed(list, "allowed.test") == 1);
    CHECK(egress_allowed(list, "denied.test") == 0);
    CHECK(egress_allowed(list, "") == 0);
    CHECK(egress_allowed(list, "pypi.org.") == 0);                /* callers strip the root dot */
    CHECK(egress_allowed(list, "pypi..org") == 0);
    CHECK(egress_allowed(list, "-x.github.com") == 0);
    CHECK(egress_allowed(list, "x_y.github.com") == 0);
    CHECK(egress_allowed(list, "x y.github.com") == 0);
    CHECK(egress_allowed("1.2.3.4", "1.2.3.4") == 0);             /* an address is never a name */
    CHECK(egress_allowed("*.0.0.1", "127.0.0.1") == 0);
    CHECK(egress_allowed(NULL, "pypi.org") == 0);
    CHECK(egress_is_ip_literal("10.0.2.2") && egress_is_ip_literal("127.1") && egress_is_ip_literal("2130706433"));
    CHECK(egress_is_ip_literal("0x7f.1") && egress_is_ip_literal("::1") && egress_is_ip_literal("0x7f000001"));
    CHECK(!egress_is_ip_literal("123.example") && !egress_is_ip_literal("pypi.org") && !egress_is_ip_literal("0xdead.beef"));

    /* DNS: a query for allowed.test A, id 0x1234, RD */
    uint8_t q[64] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                      7, 'a', 'l', 'l', 'o', 'w', 'e', 'd', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 };
    size_t qlen = 12 + 14 + 4;
    uint8_t out[512];
    uint32_t addr = inet_addr("10.0.2.100");
    int n = egress_dns_answer(q, qlen, list, addr, out, sizeof out);
    CHECK(n == (int)qlen + 16);
    CHECK(out[0] == 0x12 && out[1] == 0x34 && out[2] == 0x81 && (out[3] & 0x0f) == 0 && out[7] == 1);
    CHECK(n > 4 && !memcmp(out + n - 4, &addr, 4));
    /* AAAA of an allowed name: NOERROR, no answer */
    q[qlen - 3] = 28;
    n = egress_dns_answer(q, qlen, list, addr, out, sizeof out);
    CHECK(n == (int)qlen && (out[3] & 0x0f) == 0 && out[7] == 0);
    /* denied.test: NXDOMAIN */
    memcpy(q + 13, "denied", 6);
    q[12] = 6;
    memmove(q + 19, q + 20, qlen - 20);
    qlen -= 1;
    q[qlen - 3] = 1;
    n = egress_dns_answer(q, qlen, list, addr, out, sizeof out);
    CHECK(n == (int)qlen && (out[3] & 0x0f) == 3 && out[7] == 0);
    /* hostile: truncated, a compression pointer, two questions, a response, oversize labels */
    CHECK(egress_dns_answer(q, 11, list, addr, out, sizeof out) == -1);
    n = egress_dns_answer(q, 20, list, addr, out, sizeof out);
    CHECK(n == 12 && (out[3] & 0x0f) == 1);
    uint8_t ptr[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 };
    n = egress_dns_answer(ptr, sizeof ptr, list, addr, out, sizeof out);
    CHECK(n == 12 && (out[3] & 0x0f) == 1);
    uint8_t two[64];
    memcpy(two, q, qlen);
    two[5] = 2;
    CHECK(egress_dns_answer(two, qlen, list, addr, out, sizeof out) == 12 && (out[3] & 0x0f) == 1);
    two[5] = 1;
    two[2] |= 0x80;
    CHECK(egress_dns_answer(two, qlen, list, addr, out, sizeof out) == 12 && (out[3] & 0x0f) == 1);
    uint8_t big[300] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64 };
    memset(big + 13, 'a', 64);
    CHECK(egress_dns_answer(big, sizeof big, list, addr, out, sizeof out) == 12 && (out[3] & 0x0f) == 1);
    uint8_t dot[] = { 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', '.', 'b', 0, 0, 1, 0, 1 };
    CHECK(egress_dns_answer(dot, sizeof dot, "a.b", addr, out, sizeof out) == 12 && (out[3] & 0x0f) == 1);
}

int main(int argc, char **argv)
{
    test_crc();
    test_frame_encode();
    test_frame_reader();
    test_json();
    test_request();
    test_paths();
    test_lstat_beneath();
    test_tar();
    test_request_new();
    test_sha256();
    test_manifest_order();
    test_staging_paths();
    test_cmdline();
    test_names();
    test_statcache();
    test_resolve_links();
    test_shell_requests();
    test_ring();
    test_utf8();
    test_base64();
    test_proc_stat();
    test_resolve();
    test_file_requests();
    test_service_requests();
    test_svclog();
    test_probe_targets();
    test_guest_net();
    test_egress_rules();
    test_redact();
    test_identity_requests();
    test_idle();
    test_exec();
    test_virtio_attach();
    test_attach_hello(argc > 1 ? argv[1] : NULL);
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
