#include "egress.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

int egress_is_ip_literal(const char *name)
{
    if (strchr(name, ':'))
        return 1;   /* IPv6 (or host:port, equally not a name) */
    /* a last label that is a number makes an address in some form inet_aton takes
     * (1.2.3.4, 127.1, 2130706433, 0x7f.1); no host name ends in one (RFC 3696 §2) */
    const char *tail = strrchr(name, '.');
    tail = tail ? tail + 1 : name;
    if (!*tail)
        return 0;
    if (tail[0] == '0' && (tail[1] == 'x' || tail[1] == 'X')) {
        for (const char *p = tail + 2; *p; p++)
            if (!isxdigit((unsigned char)*p))
                return 0;
        return 1;
    }
    for (const char *p = tail; *p; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

/* a syntactically valid host name: labels of [a-z0-9-], 1..63 long, not starting or ending with '-' */
static int valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > EGRESS_MAX_NAME)
        return 0;
    size_t label = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = name[i];
        if (c == '.' || c == 0) {
            if (label == 0 || label > 63 || name[i - 1] == '-')
                return 0;
            label = 0;
            continue;
        }
        if (!(isalnum((unsigned char)c) || c == '-') || (label == 0 && c == '-'))
            return 0;
        label++;
    }
    return 1;
}

static int name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

int egress_allowed(const char *list, const char *name)
{
    if (!list || !valid_name(name) || egress_is_ip_literal(name))
        return 0;
    size_t n = strlen(name);
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 2 && p[0] == '*' && p[1] == '.') {
            /* "*.github.com": any name ending in ".github.com" with at least one label before */
            size_t suffix = len - 1;   /* ".github.com" */
            if (n > suffix && name_eq(name + n - suffix, suffix, p + 1, suffix))
                return 1;
        } else if (len > 0 && name_eq(name, n, p, len)) {
            return 1;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

int egress_dns_answer(const uint8_t *q, size_t qlen, const char *list, uint32_t addr, uint8_t *out, size_t outsz)
{
    if (qlen < 12 || outsz < 512)
        return -1;
    memset(out, 0, 12);
    memcpy(out, q, 2);                        /* id */
    unsigned rd = q[2] & 0x01;
    out[2] = (uint8_t)(0x80 | rd);            /* QR, opcode 0, RD copied */
    out[3] = 0x80;                            /* RA */
    unsigned qd = (unsigned)q[4] << 8 | q[5];
    if ((q[2] & 0x80) || ((q[2] >> 3) & 0x0f) != 0 || qd != 1) {
        out[3] |= 1;                          /* FORMERR: one standard query only */
        return 12;
    }
    /* the question: labels, then type and class */
    char name[EGRESS_MAX_NAME + 2];
    size_t pos = 12, nlen = 0;
    for (;;) {
        if (pos >= qlen) {
            out[3] |= 1;
            return 12;
        }
        unsigned l = q[pos++];
        if (l == 0)
            break;
        if (l > 63 || pos + l > qlen || nlen + l + 1 > EGRESS_MAX_NAME + 1) {
            out[3] |= 1;                      /* compression pointers and oversize names refused */
            return 12;
        }
        if (nlen)
            name[nlen++] = '.';
        for (unsigned i = 0; i < l; i++) {
            char c = (char)q[pos + i];
            if (c == 0 || c == '.') {
                out[3] |= 1;
                return 12;
            }
            name[nlen++] = c;
        }
        pos += l;
    }
    name[nlen] = 0;
    if (pos + 4 > qlen) {
        out[3] |= 1;
        return 12;
    }
    unsigned qtype = (unsigned)q[pos] << 8 | q[pos + 1];
    unsigned qclass = (unsigned)q[pos + 2] << 8 | q[pos + 3];
    size_t qend = pos + 4;
    size_t question = qend - 12;
    if (12 + question + 16 > outsz) {
        out[3] |= 2;
        return 12;
    }
    put16(out + 4, 1);
    memcpy(out + 12, q + 12, question);
    size_t len = 12 + question;
    if (!egress_allowed(list, name) || qclass != 1) {
        out[3] |= 3;                          /* NXDOMAIN */
        return (int)len;
    }
    if (qtype == 1) {                         /* A: the proxy's address */
        uint8_t *a = out + len;
        put16(a, 0xc00c);                     /* the name: a pointer to the question */
        put16(a + 2, 1);
        put16(a + 4, 1);
        a[6] = 0; a[7] = 0; a[8] = 0; a[9] = 60;   /* TTL 60 s */
        put16(a + 10, 4);
        memcpy(a + 12, &addr, 4);
        put16(out + 6, 1);
        len += 16;
    }
    return (int)len;
}
