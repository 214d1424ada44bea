#include "json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jp {
    const char *s;
    size_t n, i;
    struct jtok *toks;
    size_t max, count;
};

static void skip_ws(struct jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

static int new_tok(struct jp *p, int type)
{
    if (p->count >= p->max)
        return -1;
    struct jtok *t = &p->toks[p->count];
    memset(t, 0, sizeof *t);
    t->type = (uint8_t)type;
    t->start = (uint32_t)p->i;
    return (int)p->count++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_string(struct jp *p)
{
    /* at opening quote */
    p->i++;
    int ti = new_tok(p, J_STR);
    if (ti < 0)
        return -1;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->toks[ti].end = (uint32_t)p->i;
            p->i++;
            p->toks[ti].next = (uint32_t)p->count;
            return ti;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (p->i + 1 >= p->n)
                return -1;
            char e = p->s[p->i + 1];
            if (e == 'u') {
                if (p->i + 6 > p->n)
                    return -1;
                for (int k = 2; k < 6; k++)
                    if (hexval(p->s[p->i + k]) < 0)
                        return -1;
                p->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0)
                return -1;
            p->i += 2;
            continue;
        }
        p->i++;
    }
    return -1;
}

static int parse_number(struct jp *p)
{
    int ti = new_tok(p, J_NUM);
    if (ti < 0)
        return -1;
    size_t i = p->i;
    if (i < p->n && p->s[i] == '-')
        i++;
    if (i >= p->n)
        return -1;
    if (p->s[i] == '0') {
        i++;
    } else if (p->s[i] >= '1' && p->s[i] <= '9') {
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
    } else {
        return -1;
    }
    if (i < p->n && p->s[i] == '.') {
        i++;
        if (i >= p->n || p->s[i] < '0' || p->s[i] > '9')
            return -1;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
    }
    if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->n && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        if (i >= p->n || p->s[i] < '0' || p->s[i] > '9')
            return -1;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
            i++;
    }
    p->i = i;
    p->toks[ti].end = (uint32_t)i;
    p->toks[ti].next = (uint32_t)p->count;
    return ti;
}

static int parse_lit(struct jp *p, const char *lit, int type)
{
    size_t l = strlen(lit);
    if (p->n - p->i < l || memcmp(p->s + p->i, lit, l) != 0)
        return -1;
    int ti = new_tok(p, type);
    if (ti < 0)
        return -1;
    p->i += l;
    p->toks[ti].end = (uint32_t)p->i;
    p->toks[ti].next = (uint32_t)p->count;
    return ti;
}

static int parse_value(struct jp *p, int depth);

static int parse_container(struct jp *p, int depth, int obj)
{
    if (depth >= JSON_MAX_DEPTH)
        return -1;
    int ti = new_tok(p, obj ? J_OBJ : J_ARR);
    if (ti < 0)
        return -1;
    p->i++;   /* { or [ */
    skip_ws(p);
    char close = obj ? '}' : ']';
    uint32_t size = 0;
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
    } else {
        for (;;) {
            skip_ws(p);
            if (obj) {
                if (p->i >= p->n || p->s[p->i] != '"' || parse_string(p) < 0)
                    return -1;
                skip_ws(p);
                if (p->i >= p->n || p->s[p->i] != ':')
                    return -1;
                p->i++;
                skip_ws(p);
            }
            if (parse_value(p, depth + 1) < 0)
                return -1;
            size++;
            skip_ws(p);
            if (p->i >= p->n)
                return -1;
            if (p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->s[p->i] == close) {
                p->i++;
                break;
            }
            return -1;
        }
    }
    p->toks[ti].size = size;
    p->toks[ti].end = (uint32_t)p->i;
    p->toks[ti].next = (uint32_t)p->count;
    return ti;
}

static int parse_value(struct jp *p, int depth)
{
    skip_ws(p);
    if (p->i >= p->n)
        return -1;
    switch (p->s[p->i]) {
    case '{': return parse_container(p, depth, 1);
    case '[': return parse_container(p, depth, 0);
    case '"': return parse_string(p);
    case 't': return parse_lit(p, "true", J_BOOL);
    case 'f': return parse_lit(p, "false", J_BOOL);
    case 'n': return parse_lit(p, "null", J_NULL);
    default:  return parse_number(p);
    }
}

int json_parse(const char *s, size_t n, struct jtok *toks, size_t maxtoks, size_t *ntoks)
{
    if (n > UINT32_MAX - 1)
        return -1;
    struct jp p = { s, n, 0, toks, maxtoks, 0 };
    if (parse_value(&p, 0) < 0)
        return -1;
    skip_ws(&p);
    if (p.i != n)
        return -1;
    if (ntoks)
        *ntoks = p.count;
    return 0;
}

static int put_utf8(char *out, size_t outsz, size_t *o, uint32_t cp)
{
    char tmp[4];
    size_t l;
    if (cp < 0x80) { tmp[0] = (char)cp; l = 1; }
    else if (cp < 0x800) { tmp[0] = (char)(0xC0 | (cp >> 6)); tmp[1] = (char)(0x80 | (cp & 0x3F)); l = 2; }
    else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12)); tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F)); l = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18)); tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); tmp[3] = (char)(0x80 | (cp & 0x3F)); l = 4;
    }
    if (*o + l + 1 > outsz)
        return -1;
    memcpy(out + *o, tmp, l);
    *o += l;
    return 0;
}

static uint32_t hex4(const char *s)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++)
        v = (v << 4) | (uint32_t)hexval(s[k]);
    return v;
}

long json_str_decode(const char *s, const struct jtok *t, char *out, size_t outsz)
{
    if (t->type != J_STR || outsz == 0)
        return -1;
    size_t o = 0;
    for (size_t i = t->start; i < t->end;) {
        char c = s[i];
        if (c != '\\') {
            if (o + 2 > outsz)
                return -1;
            out[o++] = c;
            i++;
            continue;
        }
        char e = s[i + 1];
        i += 2;
        char r;
        switch (e) {
        case '"': r = '"'; break;
        case '\\': r = '\\'; break;
        case '/': r = '/'; break;
        case 'b': r = '\b'; break;
        case 'f': r = '\f'; break;
        case 'n': r = '\n'; break;
        case 'r': r = '\r'; break;
        case 't': r = '\t'; break;
        case 'u': {
            uint32_t cp = hex4(s + i);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= t->end && s[i] == '\\' && s[i + 1] == 'u') {
                uint32_t lo = hex4(s + i + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;   /* lone surrogate */
            if (cp == 0)
                return -1;
            if (put_utf8(out, outsz, &o, cp) < 0)
                return -1;
            continue;
        }
        default: return -1;
        }
        if (o + 2 > outsz)
            return -1;
        out[o++] = r;
    }
    out[o] = 0;
    return (long)o;
}

int json_obj_get(const char *s, const struct jtok *t, int obj, const char *key)
{
    if (obj < 0 || t[obj].type != J_OBJ)
        return -1;
    size_t klen = strlen(key);
    uint32_t k = (uint32_t)obj + 1;
    for (uint32_t m = 0; m < t[obj].size; m++) {
        uint32_t v = k + 1;
        const struct jtok *kt = &t[k];
        if (kt->end - kt->start == klen && memcmp(s + kt->start, key, klen) == 0)
            return (int)v;
        if (kt->end - kt->start < 64 && memchr(s + kt->start, '\\', kt->end - kt->start)) {
            char tmp[64];
            if (json_str_decode(s, kt, tmp, sizeof tmp) == (long)klen && memcmp(tmp, key, klen) == 0)
                return (int)v;
        }
        k = t[v].next;
    }
    return -1;
}

int json_get_i64(const char *s, const struct jtok *t, int64_t *out)
{
    if (t->type != J_NUM)
        return -1;
    size_t i = t->start;
    int neg = 0;
    if (s[i] == '-') { neg = 1; i++; }
    uint64_t v = 0;
    if (i >= t->end)
        return -1;
    for (; i < t->end; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;   /* fraction or exponent */
        if (v > (UINT64_C(9223372036854775807) - (uint64_t)(s[i] - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* ---- writer ---- */

void jb_init(struct jbuf *b, size_t maxcap)
{
    memset(b, 0, sizeof *b);
    b->maxcap = maxcap;
}

void jb_free(struct jbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

static int jb_reserve(struct jbuf *b, size_t extra)
{
    if (b->err)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t want = b->len + extra + 1;
    if (want > b->maxcap) {
        b->err = 1;
        return -1;
    }
    size_t nc = b->cap ? b->cap : 256;
    while (nc < want)
        nc *= 2;
    if (nc > b->maxcap)
        nc = b->maxcap;
    char *np = realloc(b->p, nc);
    if (!np) {
        b->err = 1;
        return -1;
    }
    b->p = np;
    b->cap = nc;
    return 0;
}

void jb_mem(struct jbuf *b, const char *s, size_t n)
{
    if (jb_reserve(b, n) < 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void jb_raw(struct jbuf *b, const char *s) { jb_mem(b, s, strlen(s)); }

/* length of a valid UTF-8 sequence at s (max n bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t l;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { l = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { l = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { l = 4; cp = c & 0x07; }
    else return 0;
    if (l > n) return 0;
    for (size_t k = 1; k < l; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) || (l == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    return l;
}

void jb_strn(struct jbuf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    jb_mem(b, "\"", 1);
    size_t i = 0;
    while (i < n && !b->err) {
        size_t run = i;
        /* copy plain runs in one go */
        while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            jb_mem(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        char esc[8];
        if (c == '"') { jb_mem(b, "\\\"", 2); i++; }
        else if (c == '\\') { jb_mem(b, "\\\\", 2); i++; }
        else if (c == '\n') { jb_mem(b, "\\n", 2); i++; }
        else if (c == '\r') { jb_mem(b, "\\r", 2); i++; }
        else if (c == '\t') { jb_mem(b, "\\t", 2); i++; }
        else if (c < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", c); jb_mem(b, esc, 6); i++; }
        else {
            size_t l = utf8_len(u + i, n - i);
            if (l == 0) { jb_mem(b, "\\ufffd", 6); i++; }
            else { jb_mem(b, s + i, l); i += l; }
        }
    }
    jb_mem(b, "\"", 1);
}

void jb_str(struct jbuf *b, const char *s) { jb_strn(b, s, strlen(s)); }

void jb_i64(struct jbuf *b, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    jb_raw(b, tmp);
}

void jb_u64(struct jbuf *b, uint64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    jb_raw(b, tmp);
}

void jb_key(struct jbuf *b, const char *k)
{
    jb_str(b, k);
    jb_mem(b, ":", 1);
}

void jb_base64(struct jbuf *b, const uint8_t *p, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[4 * 1024];
    size_t o = 0;
    jb_mem(b, "\"", 1);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
        if (o == sizeof out) {
            jb_mem(b, out, o);
            o = 0;
        }
    }
    jb_mem(b, out, o);
    jb_mem(b, "\"", 1);
}

char *json_argv_array(char *const *argv)
{
    struct jbuf b;
    jb_init(&b, 8192);
    jb_raw(&b, "[");
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            jb_raw(&b, ",");
        jb_str(&b, argv[i]);
    }
    jb_raw(&b, "]");
    if (b.err) {   /* a huge command line: list its program only */
        size_t n = strlen(argv[0]);
        jb_free(&b);
        jb_init(&b, 8192);
        jb_raw(&b, "[");
        jb_strn(&b, argv[0], n < 4096 ? n : 4096);
        jb_raw(&b, "]");
    }
    return b.p;
}
