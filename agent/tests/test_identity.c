/* identity_set requests: the values a restored guest applies are checked here, before
 * anything touches the kernel (entropy size, clock, hostname, machine-id, TTL). */
#include "check.h"
#include "request.h"
#include <stdio.h>
#include <string.h>

/* 64 bytes of base64 ("A" x 86 + "==") decodes to 64 zero bytes */
#define E64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="

static int parse(const char *json, struct request *r)
{
    char err[256];
    return request_parse((const unsigned char *)json, strlen(json), r, err, sizeof err);
}

void test_identity_requests(void)
{
    struct request r;
    const char *ok = "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1765000000123456789,"
                     "\"hostname\":\"pyro-ab-12\",\"machine_id\":\"0123456789abcdef0123456789abcdef\",\"ttl_ms\":600000}";
    CHECK(parse(ok, &r) == REQ_OK);
    CHECK(r.op == OP_IDENTITY_SET && r.identity && r.identity->entropy_len == 64);
    CHECK(r.identity->wall_ns == 1765000000123456789LL && r.identity->ttl_ms == 600000);
    CHECK(!strcmp(r.identity->hostname, "pyro-ab-12"));
    CHECK(!strcmp(r.identity->machine_id, "0123456789abcdef0123456789abcdef"));
    request_free(&r);

    /* ttl_ms absent: the guest keeps its own; 0: none */
    const char *keep = "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,"
                       "\"hostname\":\"a\",\"machine_id\":\"00000000000000000000000000000001\"}";
    CHECK(parse(keep, &r) == REQ_OK && r.identity->ttl_ms == REQ_ABSENT);
    request_free(&r);

    char big[2048];
    /* 513 bytes: one too many (684 base64 characters + padding) */
    char b64[800];
    memset(b64, 'A', 684);
    strcpy(b64 + 684, "AA==");
    snprintf(big, sizeof big, "{\"op\":\"identity_set\",\"entropy\":\"%s\",\"wall_ns\":1,\"hostname\":\"a\","
             "\"machine_id\":\"00000000000000000000000000000001\"}", b64);
    CHECK(parse(big, &r) == REQ_BAD);
    request_free(&r);

    const char *bad[] = {
        "{\"op\":\"identity_set\"}",
        /* 63 bytes of entropy: too few */
        "{\"op\":\"identity_set\",\"entropy\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
        "\"wall_ns\":1,\"hostname\":\"a\",\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"not base64!\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":0,\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":\"1\",\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"-a\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a.b\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"A\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\\u001b[31m\","
        "\"machine_id\":\"00000000000000000000000000000001\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000000\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"0123456789ABCDEF0123456789abcdef\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"../../etc/passwd\"}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000001\",\"ttl_ms\":-5}",
        "{\"op\":\"identity_set\",\"entropy\":\"" E64 "\",\"wall_ns\":1,\"hostname\":\"a\","
        "\"machine_id\":\"00000000000000000000000000000001\",\"ttl_ms\":99999999999999}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i], &r);
        CHECK(rc == REQ_BAD);
        if (rc != REQ_BAD)
            fprintf(stderr, "  accepted: %s\n", bad[i]);
        request_free(&r);
    }
    /* a label of 64 characters is one too long; 63 is fine */
    char h[64];
    memset(h, 'a', 63);
    h[63] = 0;
    CHECK(identity_hostname_valid(h));
    char h64[65];
    memset(h64, 'a', 64);
    h64[64] = 0;
    CHECK(!identity_hostname_valid(h64));
    CHECK(!identity_hostname_valid(""));
    CHECK(!identity_machine_id_valid("0123456789abcdef0123456789abcde"));
}
