/* libFuzzer target: arbitrary bytes through everything that parses host input:
 * the frame reassembler (fed in input-dependent chunk sizes), the OPEN request
 * parser on every OPEN payload and on the raw input, the HELLO JSON parser, the
 * streaming tar reader (on DATA payloads and on the raw input, with tar entry
 * names validated as the import does), request path normalisation, the
 * archive_export "paths" normalisation, the manifest order, the staging path
 * default, the kernel command line parser (pyro.ttl), SHA-256, what shells
 * add: the shell_* requests (through the request parser), the output ring with
 * absolute cursors, the UTF-8 read boundaries and base64; names as bytes:
 * base64 decoding (checked against re-encoding), the UTF-8 / text classifier
 * (checked: chunked and whole agree) and a name's JSON form; and what services
 * add: the service_* requests and names, the record log with cursors, stream
 * filters and tails, and the readiness targets (addresses, URLs, HTTP status lines); and
 * what secrets add: secrets_put requests into a secret set, and the streaming redactor
 * (whole and chunked agree, bounded hold-back); identity_set's values re-checked. */
#include "frame.h"
#include "json.h"
#include "names.h"
#include "paths.h"
#include "probe.h"
#include "redact.h"
#include "request.h"
#include "request_service.h"
#include "ring.h"
#include "sha256.h"
#include "svclog.h"
#include "util.h"
#include "egress.h"
#include "netcfg.h"
#include "tar.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static struct jtok toks[4096];

static int fz_entry(void *ctx, const struct tar_entry *e)
{
    (void)ctx;
    char out[TAR_NAME_MAX + 1];
    tar_name_normalize(e->name, 0, out, sizeof out);
    tar_name_normalize(e->name, 2, out, sizeof out);
    tar_name_normalize(e->linkname, 1, out, sizeof out);
    return 0;
}

static int fz_data(void *ctx, const uint8_t *p, size_t n)
{
    volatile uint8_t x = 0;
    (void)ctx;
    for (size_t i = 0; i < n; i += 511)
        x ^= p[i];
    (void)x;
    return 0;
}

static int fz_end(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct tar_cb cb = { fz_entry, fz_data, fz_end };

static void parse_request(const uint8_t *p, size_t n)
{
    struct request r;
    char err[256];
    int rc = request_parse(p, n, &r, err, sizeof err);
    if (rc == REQ_OK && r.service && r.service->name)
        service_name_valid(r.service->name);
    if (rc == REQ_OK && r.op == OP_IDENTITY_SET) {
        /* what the op applies must be what the parser let through */
        const struct identity_request *id = r.identity;
        if (!identity_hostname_valid(id->hostname) || !identity_machine_id_valid(id->machine_id) ||
            id->entropy_len < IDENTITY_ENTROPY_MIN || id->entropy_len > IDENTITY_ENTROPY_MAX || id->wall_ns <= 0)
            abort();
    }
    if (rc == REQ_OK && r.op == OP_SECRETS_PUT) {
        /* what secrets_put stores: names checked again, values as bytes */
        struct secret_set set;
        memset(&set, 0, sizeof set);
        for (size_t i = 0; i < r.nsecrets; i++)
            secret_set_add(&set, r.secret_name[i], r.secret_val[i], r.secret_len[i]);
        for (size_t i = 0; i < r.senvc; i++) {
            size_t len;
            secret_set_get(&set, r.senv_name[i], &len);
        }
        secret_set_clear(&set);
    }
    if (rc == REQ_OK && r.paths) {
        /* what archive_export does with each selected path */
        char out[4096];
        for (size_t i = 0; i < r.npaths; i++)
            paths_normalize_relative(r.paths[i], out, sizeof out);
        for (size_t i = 1; i < r.npaths; i++)
            paths_manifest_cmp(r.paths[i - 1], 0, r.paths[i], 1);
    }
    request_free(&r);
}

/* the output ring and read boundaries: appends in input-sized pieces, reads from
 * input-chosen cursors, and the invariants a shell_read relies on */
static void fuzz_ring(const uint8_t *data, size_t size)
{
    static struct ring r;
    static uint8_t out[300];
    if (!r.buf && ring_init(&r, 257) != 0)
        abort();
    r.start = r.end = 0;
    for (size_t i = 0; i < size;) {
        size_t n = 1 + data[i] % 97;
        if (n > size - i)
            n = size - i;
        ring_append(&r, data + i, n);
        if (r.end - r.start > r.cap || r.end < r.start)
            abort();
        uint64_t from = r.start + (data[i] % (r.end - r.start + 1));
        size_t got = ring_copy(&r, from, out, sizeof out);
        if (got != (size_t)(r.end - from))
            abort();
        size_t keep = utf8_complete_len(out, got), skip = utf8_orphan_len(out, got);
        if (keep > got || got - keep > 3 || skip > 3 || skip > got)
            abort();
        i += n;
    }
    struct jbuf b;
    jb_init(&b, 4 * size + 16);
    jb_base64(&b, data, size);
    if (b.err || b.len != 2 + 4 * ((size + 2) / 3))
        abort();
    jb_free(&b);
}

/* a service log fed in input-chosen pieces and streams, read back from input-chosen
 * cursors and filters, with the invariants service_logs relies on */
static void fuzz_svclog(const uint8_t *data, size_t size)
{
    static struct svclog l;
    static uint8_t out[4096];
    if (!l.buf && svclog_init(&l, 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD)) != 0)
        abort();
    svclog_free(&l);
    if (svclog_init(&l, 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD)) != 0)
        abort();
    uint64_t total = 0;
    /* at most 16 pieces: each check scans the whole log */
    for (size_t i = 0, pieces = 0; i < size && pieces < 16; pieces++) {
        size_t n = 1 + (size_t)data[i] * 97;   /* up to ~25 KB: records split and the log wraps */
        int stream = 1 + (data[i] & 1), mask = 1 + data[i] % 3;
        if (n > size - i)
            n = size - i;
        svclog_append(&l, stream, data + i, n);
        total += n;
        if (l.end - l.start > l.cap || l.end < l.start || l.written[1] + l.written[2] != total)
            abort();
        uint64_t from = l.start + (data[i] % (l.end - l.start + 1));
        struct svclog_read rd;
        size_t got = svclog_read(&l, from, mask, out, 1 + data[i] * 13 % sizeof out, &rd);
        if (rd.next > l.end || rd.next < from || rd.last_run > got || got > rd.next - from)
            abort();
        uint64_t t = svclog_tail(&l, mask, data[i] % 7);
        if (t < l.start || t > l.end)
            abort();
        i += n;
    }
}

static void fuzz_probe_targets(const char *in, const uint8_t *data, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char err[160];
    probe_parse_address(in, &ss, &len, err, sizeof err);
    static struct probe_url u;
    if (probe_parse_url(in, &u, err, sizeof err) == 0 && (u.path[0] != '/' || strpbrk(u.path, " \r\n")))
        abort();   /* what goes into the request line */
    int code = probe_http_status(data, size);
    if (code > 0 && (code < 100 || code > 599))
        abort();
}

/* redaction: values from the first bytes, the rest fed whole and in pieces cut by
 * the data; both must give the same output */
struct fz_out {
    uint8_t *p;
    size_t len, cap;
};

static void fz_sink(void *ctx, const uint8_t *p, size_t n)
{
    struct fz_out *o = ctx;
    if (o->len + n > o->cap) {
        size_t cap = (o->len + n) * 2;
        uint8_t *q = realloc(o->p, cap);
        if (!q)
            abort();
        o->p = q;
        o->cap = cap;
    }
    memcpy(o->p + o->len, p, n);
    o->len += n;
}

static void fuzz_redact(const uint8_t *data, size_t size)
{
    if (size < 2)
        return;
    struct secret_set set;
    memset(&set, 0, sizeof set);
    size_t i = 1, nvals = data[0] % 5;
    for (size_t v = 0; v < nvals && i < size; v++) {
        size_t l = 1 + data[i++] % 8;
        if (l > size - i)
            l = size - i;
        char name[4] = { 'S', (char)('0' + v), 0 };
        if (l)
            secret_set_add(&set, name, data + i, l);
        i += l;
    }
    struct fz_out whole = { 0 }, parts = { 0 };
    struct redactor a, b;
    redactor_init(&a);
    redactor_init(&b);
    redactor_feed(&a, &set, data + i, size - i, 1, fz_sink, &whole);
    for (size_t k = i; k < size;) {
        size_t step = 1 + data[k] % 13;
        if (step > size - k)
            step = size - k;
        redactor_feed(&b, &set, data + k, step, 0, fz_sink, &parts);
        if (redactor_pending(&b) >= (set.maxlen ? set.maxlen : 1))
            abort();   /* holds back at most (longest value - 1) bytes */
        k += step;
    }
    redactor_feed(&b, &set, NULL, 0, 1, fz_sink, &parts);
    if (whole.len != parts.len || (whole.len && memcmp(whole.p, parts.p, whole.len)))
        abort();
    redactor_free(&a);
    redactor_free(&b);
    free(whole.p);
    free(parts.p);
    secret_set_clear(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct frame_reader fr;
    static int ready;
    if (!ready) {
        if (fr_init(&fr) != 0)
            abort();
        ready = 1;
    }
    fr_reset(&fr);

    struct tar_reader tr;
    tar_reader_init(&tr);
    int tar_failed = 0;
    size_t i = 0;
    while (i < size) {
        size_t chunk = 1 + (size_t)(data[i] % 61) * 37;
        if (chunk > size - i)
            chunk = size - i;
        size_t fed = fr_feed(&fr, data + i, chunk);
        i += fed;
        struct frame f;
        int r;
        while ((r = fr_next(&fr, &f)) != FR_NEED) {
            if (r != FR_FRAME)
                continue;
            if (f.type == FT_OPEN)
                parse_request(f.payload, f.len);
            else if (f.type == FT_HELLO) {
                size_t nt;
                json_parse((const char *)f.payload, f.len, toks, 4096, &nt);
            } else if (f.type == FT_DATA && !tar_failed)
                tar_failed = tar_feed(&tr, f.payload, f.len, &cb, NULL) != 0;
        }
        if (fed == 0)
            break;   /* cannot happen: a full buffer always holds a complete frame */
    }
    if (!tar_failed)
        tar_finish(&tr);
    tar_reader_free(&tr);

    parse_request(data, size);
    fuzz_ring(data, size);
    fuzz_svclog(data, size);
    fuzz_redact(data, size);

    tar_reader_init(&tr);
    if (tar_feed(&tr, data, size, &cb, NULL) == 0)
        tar_finish(&tr);
    tar_reader_free(&tr);

    char in[4096], out[4096];
    size_t l = size < sizeof in - 1 ? size : sizeof in - 1;
    memcpy(in, data, l);
    in[l] = 0;
    paths_normalize_request(in, out, sizeof out);
    tar_name_normalize(in, 1, out, sizeof out);
    paths_normalize_relative(in, out, sizeof out);
    paths_staging_default(in, out, sizeof out);
    fuzz_probe_targets(in, data, size);
    char v[32];
    uint64_t secs;
    if (cmdline_get(in, "pyro.ttl", v, sizeof v))
        parse_ttl(v, &secs);
    /* network: the kernel's pyro.net value, names against an allow-list, DNS queries */
    struct guest_net gn;
    guest_net_parse(in, &gn);
    egress_allowed("pypi.org:*.github.com", in);
    egress_is_ip_literal(in);
    static uint8_t dns[4096];
    int dn = egress_dns_answer(data, size, "allowed.test:*.allowed.test", 0x6402000a, dns, sizeof dns);
    if (dn > (int)sizeof dns)
        abort();
    size_t half = l / 2;
    char a[2048], b[2048];
    memcpy(a, in, half < sizeof a ? half : sizeof a - 1);
    a[half < sizeof a ? half : sizeof a - 1] = 0;
    snprintf(b, sizeof b, "%s", in + half);
    int c1 = paths_manifest_cmp(a, 1, b, 0), c2 = paths_manifest_cmp(b, 0, a, 1);
    if ((c1 < 0 && c2 <= 0) || (c1 > 0 && c2 >= 0) || (c1 == 0 && c2 != 0))
        abort();   /* antisymmetry */
    /* base64: whatever decodes re-encodes to the same text (strict, canonical) */
    static uint8_t dec[65536];
    long dl = b64_decode((const char *)data, size, dec, sizeof dec);
    if (dl >= 0) {
        struct jbuf e;
        jb_init(&e, 1 << 20);
        jb_base64(&e, dec, (size_t)dl);
        if (e.len != size + 2 || memcmp(e.p + 1, data, size))
            abort();
        jb_free(&e);
    }
    /* the text class does not depend on how the content is cut */
    struct textclass whole, parts;
    text_init(&whole);
    text_feed(&whole, data, size);
    text_init(&parts);
    for (size_t k = 0; k < size; k += 7)
        text_feed(&parts, data + k, size - k < 7 ? size - k : 7);
    if (text_result(&whole) != text_result(&parts))
        abort();
    /* a name's members form valid JSON, and path_b64 (when present) is the exact bytes */
    struct jbuf jb;
    jb_init(&jb, 1 << 20);
    jb_raw(&jb, "{");
    jb_name(&jb, "path", (const char *)data, size);
    jb_raw(&jb, ",\"v\":");
    jb_name_value(&jb, (const char *)data, size);
    jb_raw(&jb, "}");
    if (!jb.err) {
        size_t nt;
        if (json_parse(jb.p, jb.len, toks, 4096, &nt) != 0)
            abort();
        int v = json_obj_get(jb.p, toks, 0, "path_b64");
        if ((v >= 0) == utf8_valid(data, size))
            abort();
        if (v >= 0) {
            long l = b64_decode(jb.p + toks[v].start, toks[v].end - toks[v].start, dec, sizeof dec);
            if (l != (long)size || memcmp(dec, data, size))
                abort();
        }
    }
    jb_free(&jb);
    struct sha256 h;
    uint8_t d[32];
    sha256_init(&h);
    sha256_update(&h, data, size);
    sha256_final(&h, d);
    return 0;
}
