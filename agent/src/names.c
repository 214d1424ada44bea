#include "names.h"
#include <string.h>

static int b64_val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

long b64_decode(const char *in, size_t n, uint8_t *out, size_t outsz)
{
    if (n % 4)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int last = i + 4 == n;
        int pad = last && in[i + 3] == '=' ? (in[i + 2] == '=' ? 2 : 1) : 0;
        int v[4];
        for (int k = 0; k < 4 - pad; k++)
            if ((v[k] = b64_val(in[i + k])) < 0)
                return -1;
        for (int k = 4 - pad; k < 4; k++)
            v[k] = 0;
        uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        size_t bytes = 3 - (size_t)pad;
        if ((pad == 2 && (x & 0xffff)) || (pad == 1 && (x & 0xff)))
            return -1;   /* non-canonical: bits after the data must be zero */
        if (o + bytes > outsz)
            return -1;
        out[o++] = (uint8_t)(x >> 16);
        if (bytes > 1)
            out[o++] = (uint8_t)(x >> 8);
        if (bytes > 2)
            out[o++] = (uint8_t)x;
    }
    return (long)o;
}

void text_init(struct textclass *t)
{
    memset(t, 0, sizeof *t);
}

/* Unicode Table 3-7: the allowed first continuation byte depends on the lead byte. */
static int lead(struct textclass *t, uint8_t c)
{
    t->lo = 0x80;
    t->hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) t->need = 1;
    else if (c == 0xE0) { t->need = 2; t->lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) t->need = 2;
    else if (c == 0xED) { t->need = 2; t->hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) t->need = 2;
    else if (c == 0xF0) { t->need = 3; t->lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) t->need = 3;
    else if (c == 0xF4) { t->need = 3; t->hi = 0x8F; }
    else return -1;
    return 0;
}

void text_feed(struct textclass *t, const uint8_t *p, size_t n)
{
    if (t->binary)
        return;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == 0 && t->seen + i < TEXT_SNIFF) {
            t->binary = 1;
            return;
        }
        if (t->need) {
            if (c < t->lo || c > t->hi) {
                t->binary = 1;
                return;
            }
            t->need--;
            t->lo = 0x80;
            t->hi = 0xBF;
        } else if (c >= 0x80 && lead(t, c) < 0) {
            t->binary = 1;
            return;
        }
    }
    t->seen += n;
}

int text_result(const struct textclass *t)
{
    return !t->binary && t->need == 0;
}

int utf8_valid(const uint8_t *s, size_t n)
{
    struct textclass t;
    text_init(&t);
    t.seen = TEXT_SNIFF;   /* a NUL cannot occur in a name; only UTF-8 matters here */
    text_feed(&t, s, n);
    return text_result(&t);
}

void jb_name(struct jbuf *b, const char *key, const char *s, size_t n)
{
    jb_key(b, key);
    jb_strn(b, s, n);
    if (!utf8_valid((const uint8_t *)s, n)) {
        jb_raw(b, ",\"");
        jb_raw(b, key);
        jb_raw(b, "_b64\":");
        jb_base64(b, (const uint8_t *)s, n);
    }
}

void jb_name_value(struct jbuf *b, const char *s, size_t n)
{
    if (utf8_valid((const uint8_t *)s, n)) {
        jb_strn(b, s, n);
        return;
    }
    jb_raw(b, "{\"b64\":");
    jb_base64(b, (const uint8_t *)s, n);
    jb_raw(b, "}");
}
