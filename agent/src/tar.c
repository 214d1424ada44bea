#include "tar.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_HEADER = 0, ST_PAYLOAD, ST_PAD, ST_END };
enum { K_DATA = 0, K_META, K_SKIP };

void tar_reader_init(struct tar_reader *tr)
{
    memset(tr, 0, sizeof *tr);
}

static void clear_pending(struct tar_reader *tr)
{
    free(tr->long_name); tr->long_name = NULL;
    free(tr->long_link); tr->long_link = NULL;
    free(tr->pax_path); tr->pax_path = NULL;
    free(tr->pax_link); tr->pax_link = NULL;
    tr->pax_has_size = tr->pax_has_mtime = 0;
}

void tar_reader_free(struct tar_reader *tr)
{
    clear_pending(tr);
    free(tr->meta);
    tr->meta = NULL;
}

static int malformed(struct tar_reader *tr, const char *msg)
{
    snprintf(tr->err, sizeof tr->err, "%s", msg);
    return TAR_ERR_MALFORMED;
}

int tar_parse_num(const uint8_t *f, size_t len, int64_t *out)
{
    if (len == 0)
        return -1;
    if (f[0] & 0x80) {
        /* GNU base-256: big-endian two's complement, first byte's top bit is the marker */
        if (f[0] == 0xff) {
            /* negative number */
            int64_t v = -1;
            for (size_t i = 1; i < len; i++) {
                if (v < INT64_MIN / 256)
                    return -1;
                v = (int64_t)((uint64_t)v << 8) | f[i];
            }
            *out = v;
            return 0;
        }
        uint64_t v = f[0] & 0x7f;
        for (size_t i = 1; i < len; i++) {
            if (v > (UINT64_C(1) << 55))
                return -1;
            v = (v << 8) | f[i];
        }
        if (v > INT64_MAX)
            return -1;
        *out = (int64_t)v;
        return 0;
    }
    size_t i = 0;
    while (i < len && f[i] == ' ')
        i++;
    uint64_t v = 0;
    int digits = 0;
    for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v > (UINT64_C(1) << 60))
            return -1;
        v = v * 8 + (uint64_t)(f[i] - '0');
        digits++;
    }
    for (; i < len; i++)
        if (f[i] != ' ' && f[i] != 0)
            return -1;
    (void)digits;   /* an all-blank field means 0, as in GNU tar */
    *out = (int64_t)v;
    return 0;
}

int tar_checksum_ok(const uint8_t hdr[TAR_BLOCK])
{
    int64_t want;
    if (tar_parse_num(hdr + 148, 8, &want) < 0)
        return 0;
    int64_t u = 0, s = 0;
    for (int i = 0; i < TAR_BLOCK; i++) {
        uint8_t c = (i >= 148 && i < 156) ? ' ' : hdr[i];
        u += c;
        s += (int8_t)c;   /* some old tars summed signed chars */
    }
    return want == u || want == s;
}

static size_t field_len(const uint8_t *f, size_t max)
{
    const uint8_t *z = memchr(f, 0, max);
    return z ? (size_t)(z - f) : max;
}

static char *dup_meta(const uint8_t *p, size_t n)
{
    size_t l = field_len(p, n);   /* GNU long names carry a trailing NUL */
    char *s = malloc(l + 1);
    if (!s)
        return NULL;
    memcpy(s, p, l);
    s[l] = 0;
    return s;
}

/* pax extended header records: "LEN key=value\n" */
static int parse_pax(struct tar_reader *tr, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] == 0)   /* tolerate NUL padding at the end */
            break;
        size_t j = i;
        uint64_t len = 0;
        while (j < n && p[j] >= '0' && p[j] <= '9') {
            len = len * 10 + (uint64_t)(p[j] - '0');
            if (len > n)
                return malformed(tr, "bad pax record length");
            j++;
        }
        if (j == i || j >= n || p[j] != ' ' || len < (j - i) + 3 || i + len > n || p[i + len - 1] != '\n')
            return malformed(tr, "bad pax record");
        const uint8_t *kv = p + j + 1;
        size_t kvlen = (size_t)(i + len - 1 - (j + 1));
        const uint8_t *eq = memchr(kv, '=', kvlen);
        if (!eq)
            return malformed(tr, "bad pax record");
        size_t klen = (size_t)(eq - kv);
        const uint8_t *val = eq + 1;
        size_t vlen = kvlen - klen - 1;
        char num[64];
        if (klen == 4 && !memcmp(kv, "path", 4)) {
            free(tr->pax_path);
            if (!(tr->pax_path = dup_meta(val, vlen)))
                return malformed(tr, "out of memory");
        } else if (klen == 8 && !memcmp(kv, "linkpath", 8)) {
            free(tr->pax_link);
            if (!(tr->pax_link = dup_meta(val, vlen)))
                return malformed(tr, "out of memory");
        } else if (klen == 4 && !memcmp(kv, "size", 4)) {
            if (vlen == 0 || vlen >= 20)
                return malformed(tr, "bad pax size");
            uint64_t v = 0;
            for (size_t k = 0; k < vlen; k++) {
                if (val[k] < '0' || val[k] > '9')
                    return malformed(tr, "bad pax size");
                v = v * 10 + (uint64_t)(val[k] - '0');
            }
            tr->pax_size = v;
            tr->pax_has_size = 1;
        } else if (klen == 5 && !memcmp(kv, "mtime", 5)) {
            if (vlen == 0 || vlen >= sizeof num)
                return malformed(tr, "bad pax mtime");
            memcpy(num, val, vlen);
            num[vlen] = 0;
            size_t k = 0;
            int neg = 0;
            if (num[k] == '-') { neg = 1; k++; }
            int64_t secs = 0;
            int d = 0;
            for (; num[k] >= '0' && num[k] <= '9'; k++, d++) {
                if (d >= 18)
                    return malformed(tr, "bad pax mtime");
                secs = secs * 10 + (num[k] - '0');
            }
            uint32_t ns = 0;
            if (num[k] == '.') {
                k++;
                int fd = 0;
                for (; num[k] >= '0' && num[k] <= '9'; k++, fd++)
                    if (fd < 9)
                        ns = ns * 10 + (uint32_t)(num[k] - '0');
                for (; fd < 9; fd++)
                    ns *= 10;
            }
            if (d == 0 || num[k] != 0)
                return malformed(tr, "bad pax mtime");
            if (neg) {
                secs = -secs;
                if (ns) { secs -= 1; ns = 1000000000u - ns; }
            }
            tr->pax_mtime = secs;
            tr->pax_mtime_nsec = ns;
            tr->pax_has_mtime = 1;
        }
        i += len;
    }
    return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static int start_payload(struct tar_reader *tr, uint64_t size, int kind)
{
    /* zero-size payloads go straight back to headers; callers run end hooks */
    tr->remaining = size;
    tr->pad = (uint32_t)((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);
    tr->cur_kind = kind;
    tr->state = size ? ST_PAYLOAD : ST_HEADER;
    return 0;
}

static int finish_meta(struct tar_reader *tr)
{
    const uint8_t *p = tr->meta;
    size_t n = tr->meta_len;
    static const uint8_t empty[1];
    if (!p)
        p = empty;
    switch (tr->meta_type) {
    case 'L':
        free(tr->long_name);
        if (!(tr->long_name = dup_meta(p, n)))
            return malformed(tr, "out of memory");
        return 0;
    case 'K':
        free(tr->long_link);
        if (!(tr->long_link = dup_meta(p, n)))
            return malformed(tr, "out of memory");
        return 0;
    case 'x':
        return parse_pax(tr, p, n);
    }
    return 0;
}

static int handle_header(struct tar_reader *tr, const struct tar_cb *cb, void *ctx)
{
    const uint8_t *h = tr->hdr;
    if (all_zero(h, TAR_BLOCK)) {
        if (++tr->zero_blocks >= 2) {
            tr->ended = 1;
            tr->state = ST_END;
        }
        return 0;
    }
    if (tr->zero_blocks)
        return malformed(tr, "data after an end-of-archive block");
    if (!tar_checksum_ok(h))
        return malformed(tr, "bad header checksum");
    int64_t size, mtime, mode;
    if (tar_parse_num(h + 124, 12, &size) < 0 || size < 0)
        return malformed(tr, "bad size field");
    if (tar_parse_num(h + 136, 12, &mtime) < 0)
        return malformed(tr, "bad mtime field");
    if (tar_parse_num(h + 100, 8, &mode) < 0)
        return malformed(tr, "bad mode field");
    char type = (char)h[156];

    if (type == 'L' || type == 'K' || type == 'x') {
        if ((uint64_t)size > TAR_META_MAX)
            return malformed(tr, "extended header too large");
        tr->meta_type = type;
        tr->meta_len = 0;
        if (tr->meta_cap < (size_t)size) {
            uint8_t *nm = realloc(tr->meta, (size_t)size);
            if (!nm)
                return malformed(tr, "out of memory");
            tr->meta = nm;
            tr->meta_cap = (size_t)size;
        }
        start_payload(tr, (uint64_t)size, K_META);
        if (size == 0) {
            int r = finish_meta(tr);
            if (r)
                return r;
        }
        return 0;
    }
    if (type == 'g') {   /* global pax header: ignored */
        start_payload(tr, (uint64_t)size, K_SKIP);
        return 0;
    }

    /* a real entry: assemble the name */
    const char *name;
    if (tr->pax_path) {
        name = tr->pax_path;
    } else if (tr->long_name) {
        name = tr->long_name;
    } else {
        size_t nl = field_len(h, 100);
        size_t pl = 0;
        if (!memcmp(h + 257, "ustar\0", 6))   /* POSIX ustar has a prefix field; GNU "ustar  " does not */
            pl = field_len(h + 345, 155);
        size_t o = 0;
        if (pl) {
            memcpy(tr->name_buf, h + 345, pl);
            o = pl;
            tr->name_buf[o++] = '/';
        }
        memcpy(tr->name_buf + o, h, nl);
        tr->name_buf[o + nl] = 0;
        name = tr->name_buf;
    }
    const char *link;
    if (tr->pax_link) {
        link = tr->pax_link;
    } else if (tr->long_link) {
        link = tr->long_link;
    } else {
        size_t ll = field_len(h + 157, 100);
        memcpy(tr->link_buf, h + 157, ll);
        tr->link_buf[ll] = 0;
        link = tr->link_buf;
    }
    if (strlen(name) > TAR_NAME_MAX || strlen(link) > TAR_NAME_MAX) {
        /* a well-formed archive, but no file system takes such a path */
        snprintf(tr->err, sizeof tr->err, "%.60s...: a %s longer than %d bytes", name,
                 strlen(name) > TAR_NAME_MAX ? "name" : "link target", TAR_NAME_MAX);
        return TAR_ERR_TOO_LONG;
    }

    struct tar_entry e;
    memset(&e, 0, sizeof e);
    e.name = name;
    e.linkname = link;
    e.size = tr->pax_has_size ? tr->pax_size : (uint64_t)size;
    e.mtime = tr->pax_has_mtime ? tr->pax_mtime : mtime;
    e.mtime_nsec = tr->pax_has_mtime ? tr->pax_mtime_nsec : 0;
    e.mode = (uint32_t)mode & 07777;
    e.type = type;
    if (type == 0 || type == '7')
        e.type = '0';
    if (e.type == '0') {
        size_t l = strlen(name);
        if (l && name[l - 1] == '/')   /* old tars mark directories by a trailing slash */
            e.type = '5';
    }
    if (e.size > (UINT64_C(1) << 62))
        return malformed(tr, "entry size out of range");
    uint64_t payload = e.size;
    /* links and directories carry no data in practice; skip whatever size they declare */
    int kind = e.type == '0' ? K_DATA : K_SKIP;
    if (e.type == '1' || e.type == '2' || e.type == '5')
        e.size = 0;
    int r = cb && cb->entry ? cb->entry(ctx, &e) : 0;
    clear_pending(tr);
    if (r)
        return r;
    start_payload(tr, payload, kind);
    if (payload == 0 && kind == K_DATA && cb && cb->entry_end)
        return cb->entry_end(ctx);
    return 0;
}

int tar_feed(struct tar_reader *tr, const uint8_t *p, size_t n, const struct tar_cb *cb, void *ctx)
{
    while (n > 0) {
        switch (tr->state) {
        case ST_END:
            return 0;   /* trailing blocks after the end marker are ignored */
        case ST_HEADER: {
            size_t take = TAR_BLOCK - tr->hdr_fill;
            if (take > n)
                take = n;
            memcpy(tr->hdr + tr->hdr_fill, p, take);
            tr->hdr_fill += take;
            p += take;
            n -= take;
            if (tr->hdr_fill == TAR_BLOCK) {
                tr->hdr_fill = 0;
                int r = handle_header(tr, cb, ctx);
                if (r)
                    return r;
            }
            break;
        }
        case ST_PAYLOAD: {
            size_t take = n;
            if ((uint64_t)take > tr->remaining)
                take = (size_t)tr->remaining;
            if (tr->cur_kind == K_DATA && cb && cb->data) {
                int r = cb->data(ctx, p, take);
                if (r)
                    return r;
            } else if (tr->cur_kind == K_META) {
                memcpy(tr->meta + tr->meta_len, p, take);
                tr->meta_len += take;
            }
            tr->remaining -= take;
            p += take;
            n -= take;
            if (tr->remaining == 0) {
                tr->state = tr->pad ? ST_PAD : ST_HEADER;
                int r = 0;
                if (tr->cur_kind == K_DATA && cb && cb->entry_end)
                    r = cb->entry_end(ctx);
                else if (tr->cur_kind == K_META)
                    r = finish_meta(tr);
                if (r)
                    return r;
            }
            break;
        }
        case ST_PAD: {
            size_t take = n < tr->pad ? n : tr->pad;
            tr->pad -= (uint32_t)take;
            p += take;
            n -= take;
            if (tr->pad == 0)
                tr->state = ST_HEADER;
            break;
        }
        }
    }
    return 0;
}

int tar_finish(struct tar_reader *tr)
{
    if (tr->ended)
        return 0;
    if (tr->state == ST_HEADER && tr->hdr_fill == 0 && tr->zero_blocks == 1)
        return 0;   /* a single end block, as some writers produce */
    if (tr->state == ST_PAYLOAD || tr->state == ST_PAD || tr->hdr_fill)
        return malformed(tr, "truncated archive");
    return malformed(tr, "truncated archive (no end-of-archive block)");
}

/* ---- writer ---- */

static void put_octal(uint8_t *f, size_t len, uint64_t v)
{
    /* len-1 octal digits, zero padded, NUL terminated */
    f[len - 1] = 0;
    for (size_t i = len - 1; i-- > 0;) {
        f[i] = (uint8_t)('0' + (v & 7));
        v >>= 3;
    }
}

static size_t pax_record(char *out, size_t outsz, const char *key, const char *val)
{
    size_t kl = strlen(key), vl = strlen(val);
    size_t base = kl + vl + 3;   /* ' ' '=' '\n' */
    size_t len = base + 1;
    for (;;) {
        char tmp[24];
        int d = snprintf(tmp, sizeof tmp, "%zu", len);
        if (base + (size_t)d == len)
            break;
        len = base + (size_t)d;
    }
    if (len > outsz)
        return 0;
    int d = snprintf(out, outsz, "%zu %s=", len, key);
    memcpy(out + d, val, vl);
    out[d + vl] = '\n';
    return len;
}

static void fill_header(uint8_t *h, const char *name, const char *linkname, char type,
                        uint32_t mode, uint64_t size, uint64_t mtime)
{
    memset(h, 0, TAR_BLOCK);
    size_t nl = strlen(name);
    memcpy(h, name, nl > 100 ? 100 : nl);
    put_octal(h + 100, 8, mode & 07777);
    put_octal(h + 108, 8, 0);
    put_octal(h + 116, 8, 0);
    put_octal(h + 124, 12, size);
    put_octal(h + 136, 12, mtime);
    h[156] = (uint8_t)type;
    if (linkname) {
        size_t ll = strlen(linkname);
        memcpy(h + 157, linkname, ll > 100 ? 100 : ll);
    }
    memcpy(h + 257, "ustar\0" "00", 8);
    memcpy(h + 265, "root", 4);
    memcpy(h + 297, "root", 4);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < TAR_BLOCK; i++)
        sum += h[i];
    put_octal(h + 148, 7, sum);   /* 6 digits + NUL, then the space stays */
    h[155] = ' ';
}

size_t tar_header_bound(size_t namelen, size_t linklen)
{
    /* GNU 'L' and 'K' entries (header + name with its NUL, rounded up), a pax block
     * (header + records for size and mtime), the ustar header */
    size_t gnu = 2 * TAR_BLOCK + (namelen + TAR_BLOCK) / TAR_BLOCK * TAR_BLOCK +
                 (linklen + TAR_BLOCK) / TAR_BLOCK * TAR_BLOCK;
    return gnu + 2 * TAR_BLOCK + TAR_BLOCK;
}

#define OCTAL11_MAX 077777777777ULL

/* A GNU long name ('L') or long link ('K') entry holding s with its NUL. */
static size_t gnu_long(uint8_t *out, char type, const char *s, size_t len)
{
    size_t padded = (len + 1 + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    fill_header(out, "././@LongLink", NULL, type, 0644, len + 1, 0);
    memcpy(out + TAR_BLOCK, s, len);
    memset(out + TAR_BLOCK + len, 0, padded - len);
    return TAR_BLOCK + padded;
}

long tar_build_header(uint8_t *out, size_t outsz, const char *name, const char *linkname,
                      char type, uint32_t mode, uint64_t size, int64_t mtime)
{
    size_t nl = strlen(name), ll = linkname ? strlen(linkname) : 0;
    int big_mtime = mtime < 0 || (uint64_t)mtime > OCTAL11_MAX;
    size_t need = TAR_BLOCK + (size > OCTAL11_MAX || big_mtime ? 2 * TAR_BLOCK : 0);
    if (nl > 100)
        need += TAR_BLOCK + (nl + TAR_BLOCK) / TAR_BLOCK * TAR_BLOCK;
    if (ll > 100)
        need += TAR_BLOCK + (ll + TAR_BLOCK) / TAR_BLOCK * TAR_BLOCK;
    if (outsz < need)
        return -1;
    size_t o = 0;
    /* Long names go in GNU 'L'/'K' entries rather than pax records: pax values are
     * UTF-8 by definition, and names are bytes that need not be (the host reads
     * every name field as bytes). */
    if (nl > 100)
        o += gnu_long(out + o, 'L', name, nl);
    if (ll > 100)
        o += gnu_long(out + o, 'K', linkname, ll);
    if (size > OCTAL11_MAX || big_mtime) {
        char pax[3 * 64], num[32];
        size_t pl = 0;
        if (size > OCTAL11_MAX) {
            snprintf(num, sizeof num, "%llu", (unsigned long long)size);
            pl += pax_record(pax + pl, sizeof pax - pl, "size", num);
        }
        if (big_mtime) {
            snprintf(num, sizeof num, "%lld", (long long)mtime);
            pl += pax_record(pax + pl, sizeof pax - pl, "mtime", num);
        }
        fill_header(out + o, "././@PaxHeader", NULL, 'x', 0644, pl, 0);
        memcpy(out + o + TAR_BLOCK, pax, pl);
        memset(out + o + TAR_BLOCK + pl, 0, TAR_BLOCK - pl);
        o += 2 * TAR_BLOCK;
    }
    fill_header(out + o, name, linkname, type, mode, size > OCTAL11_MAX ? 0 : size, big_mtime ? 0 : (uint64_t)mtime);
    return (long)(o + TAR_BLOCK);
}
