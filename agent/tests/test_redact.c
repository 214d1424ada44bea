/* Unit tests of the secret redactor (redact.c): fixed cases, then a randomized
 * comparison of chunked feeding against feeding everything at once, over values
 * that overlap and are prefixes of one another. */
#define _GNU_SOURCE
#include "check.h"
#include "redact.h"
#include "request.h"
#include <stdlib.h>
#include <string.h>

struct out {
    uint8_t buf[1 << 16];
    size_t len;
};

static void sink(void *ctx, const uint8_t *p, size_t n)
{
    struct out *o = ctx;
    if (o->len + n <= sizeof o->buf)
        memcpy(o->buf + o->len, p, n);
    o->len += n;
}

/* feeds text cut every `step` bytes (0: at once), then the end */
static void run(const struct secret_set *set, const char *text, size_t len, size_t step, struct out *o)
{
    struct redactor rd;
    redactor_init(&rd);
    o->len = 0;
    if (!step)
        step = len ? len : 1;
    for (size_t i = 0; i < len; i += step)
        redactor_feed(&rd, set, (const uint8_t *)text + i, len - i < step ? len - i : step, 0, sink, o);
    redactor_feed(&rd, set, NULL, 0, 1, sink, o);
    redactor_free(&rd);
}

static int out_is(const struct out *o, const char *want)
{
    return o->len == strlen(want) && !memcmp(o->buf, want, o->len);
}

static void add(struct secret_set *set, const char *name, const char *v)
{
    CHECK(secret_set_add(set, name, (const uint8_t *)v, strlen(v)) == 0);
}

static void test_redact_fixed(void)
{
    struct secret_set set;
    memset(&set, 0, sizeof set);
    add(&set, "A", "abc");
    add(&set, "B", "abcdef");
    struct out o;
    for (size_t step = 0; step <= 4; step++) {
        run(&set, "xabcdefy abcq ab", 16, step, &o);
        CHECK(out_is(&o, "x[REDACTED]y [REDACTED]q ab"));
    }
    run(&set, "abcde", 5, 1, &o);   /* longer value cannot complete: the shorter one counts */
    CHECK(out_is(&o, "[REDACTED]de"));

    /* held back while it may still become a value, released at the end */
    struct redactor rd;
    redactor_init(&rd);
    o.len = 0;
    redactor_feed(&rd, &set, (const uint8_t *)"ok ab", 5, 0, sink, &o);
    CHECK(out_is(&o, "ok "));
    CHECK(redactor_pending(&rd) == 2);
    CHECK(redactor_pending(&rd) < set.maxlen);
    redactor_feed(&rd, &set, (const uint8_t *)"cdef!", 5, 0, sink, &o);
    CHECK(out_is(&o, "ok [REDACTED]!"));
    redactor_free(&rd);

    /* an empty set passes bytes through */
    struct secret_set none;
    memset(&none, 0, sizeof none);
    run(&none, "abc", 3, 1, &o);
    CHECK(out_is(&o, "abc"));

    /* names and values the store refuses */
    CHECK(secret_set_add(&set, "A", (const uint8_t *)"zz", 2) < 0);          /* duplicate */
    CHECK(secret_set_add(&set, "1X", (const uint8_t *)"zz", 2) < 0);         /* bad name */
    CHECK(secret_set_add(&set, "C", (const uint8_t *)"", 0) < 0);            /* empty */
    CHECK(secret_set_add(&set, "C", (const uint8_t *)"a\0b", 3) < 0);        /* NUL */
    CHECK(secret_name_valid("_x9") && !secret_name_valid("a-b") && !secret_name_valid(""));
    char longname[70];
    memset(longname, 'a', 65);
    longname[65] = 0;
    CHECK(!secret_name_valid(longname));
    longname[64] = 0;
    CHECK(secret_name_valid(longname));
    secret_set_clear(&set);
    CHECK(set.n == 0 && set.maxlen == 0);
}

/* no value survives, and the cut never matters */
static void test_redact_random(void)
{
    srand(15);
    static char text[4096];
    struct out whole, parts;
    for (int round = 0; round < 2000; round++) {
        struct secret_set set;
        memset(&set, 0, sizeof set);
        int nvals = 1 + rand() % 4;
        char vals[4][8];
        for (int v = 0; v < nvals; v++) {
            int l = 1 + rand() % 6;
            for (int k = 0; k < l; k++)
                vals[v][k] = "abc"[rand() % 3];   /* small alphabet: overlaps and prefixes */
            vals[v][l] = 0;
            char name[4] = { 'S', (char)('0' + v), 0 };
            secret_set_add(&set, name, (const uint8_t *)vals[v], (size_t)l);   /* duplicates may fail */
        }
        size_t len = (size_t)(rand() % 200);
        for (size_t k = 0; k < len; k++)
            text[k] = "abcx"[rand() % 4];
        run(&set, text, len, 0, &whole);
        size_t step = 1 + (size_t)(rand() % 17);
        run(&set, text, len, step, &parts);
        CHECK(whole.len == parts.len && !memcmp(whole.buf, parts.buf, whole.len));
        /* with the mark's letters removed, no value is left in the output */
        char plain[sizeof whole.buf + 1];
        size_t pl = 0;
        for (size_t k = 0; k < whole.len; k++) {
            if (whole.len - k >= 10 && !memcmp(whole.buf + k, REDACTED_MARK, 10)) {
                plain[pl++] = '|';
                k += 9;
            } else {
                plain[pl++] = (char)whole.buf[k];
            }
        }
        plain[pl] = 0;
        for (size_t v = 0; v < set.n; v++)
            CHECK(memmem(plain, pl, set.val[v], set.len[v]) == NULL);
        secret_set_clear(&set);
    }
}

static void test_secret_requests(void)
{
    struct request r;
    char err[256];
    const char *ok = "{\"op\":\"secrets_put\",\"secrets\":{\"TOKEN\":\"c2VjcmV0\",\"B\":\"eA==\"}}";
    CHECK(request_parse((const uint8_t *)ok, strlen(ok), &r, err, sizeof err) == REQ_OK);
    CHECK(r.op == OP_SECRETS_PUT && r.nsecrets == 2 && r.secret_len[0] == 6 &&
          !memcmp(r.secret_val[0], "secret", 6) && !strcmp(r.secret_name[1], "B"));
    request_free(&r);
    const char *bad[] = {
        "{\"op\":\"secrets_put\"}",
        "{\"op\":\"secrets_put\",\"secrets\":{\"9X\":\"eA==\"}}",
        "{\"op\":\"secrets_put\",\"secrets\":{\"A\":\"not base64!\"}}",
        "{\"op\":\"secrets_put\",\"secrets\":{\"A\":\"\"}}",
        "{\"op\":\"secrets_put\",\"secrets\":{\"A\":\"eA==\",\"A\":\"eQ==\"}}",
        "{\"op\":\"secrets_put\",\"secrets\":{\"A\":1}}",
        "{\"op\":\"exec\",\"argv\":[\"env\"],\"secret_env\":{\"A\":\"\"}}",
        "{\"op\":\"exec\",\"argv\":[\"env\"],\"secret_env\":{\"A\":\"X=Y\"}}",
        "{\"op\":\"exec\",\"argv\":[\"env\"],\"secret_env\":{\"a-b\":\"X\"}}",
        "{\"op\":\"exec\",\"argv\":[\"env\"],\"secret_env\":[\"A\"]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(request_parse((const uint8_t *)bad[i], strlen(bad[i]), &r, err, sizeof err) == REQ_BAD);
        CHECK(strstr(err, "eA") == NULL);   /* errors never echo a value */
        request_free(&r);
    }
    const char *env = "{\"op\":\"shell_open\",\"secret_env\":{\"TOKEN\":\"GH_TOKEN\"}}";
    CHECK(request_parse((const uint8_t *)env, strlen(env), &r, err, sizeof err) == REQ_OK);
    CHECK(r.senvc == 1 && !strcmp(r.senv_name[0], "TOKEN") && !strcmp(r.senv_var[0], "GH_TOKEN"));
    request_free(&r);
}

void test_redact(void)
{
    test_redact_fixed();
    test_redact_random();
    test_secret_requests();
}
