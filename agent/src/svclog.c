#include "svclog.h"
#include <stdlib.h>
#include <string.h>

int svclog_init(struct svclog *l, size_t cap)
{
    memset(l, 0, sizeof *l);
    if (cap < 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD))
        return -1;
    l->buf = malloc(cap);   /* pages are only touched as the log fills */
    if (!l->buf)
        return -1;
    l->cap = cap;
    return 0;
}

void svclog_free(struct svclog *l)
{
    free(l->buf);
    memset(l, 0, sizeof *l);
}

static uint8_t at(const struct svclog *l, uint64_t pos)
{
    return l->buf[pos % l->cap];
}

static void put(struct svclog *l, uint64_t pos, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t off = (size_t)(pos % l->cap), k = l->cap - off < n ? l->cap - off : n;
        memcpy(l->buf + off, p, k);
        pos += k;
        p += k;
        n -= k;
    }
}

static void get(const struct svclog *l, uint64_t pos, uint8_t *dst, size_t n)
{
    while (n > 0) {
        size_t off = (size_t)(pos % l->cap), k = l->cap - off < n ? l->cap - off : n;
        memcpy(dst, l->buf + off, k);
        pos += k;
        dst += k;
        n -= k;
    }
}

/* the record at pos: its stream and payload length */
static size_t header(const struct svclog *l, uint64_t pos, int *stream)
{
    *stream = at(l, pos);
    return ((size_t)at(l, pos + 1) << 8) | at(l, pos + 2);
}

static void drop_oldest(struct svclog *l)
{
    int stream;
    size_t len = header(l, l->start, &stream);
    if (l->last_open && l->last_hdr == l->start)
        l->last_open = 0;
    l->start += SVCLOG_HDR + len;
}

static void append_record(struct svclog *l, int stream, const uint8_t *p, size_t n)
{
    int last_stream = 0;
    size_t last_len = l->last_open ? header(l, l->last_hdr, &last_stream) : 0;
    int grow = l->last_open && last_stream == stream && last_len + n <= SVCLOG_MAX_RECORD;
    for (;;) {
        size_t need = n + (grow ? 0 : SVCLOG_HDR);
        if (l->end - l->start + need <= l->cap)
            break;
        if (grow && l->last_hdr == l->start)
            grow = 0;   /* the record to grow is the oldest one and has to go */
        drop_oldest(l);
    }
    if (!grow) {
        uint8_t h[SVCLOG_HDR] = { (uint8_t)stream, 0, 0 };
        put(l, l->end, h, SVCLOG_HDR);
        l->last_hdr = l->end;
        l->last_open = 1;
        l->end += SVCLOG_HDR;
        last_len = 0;
    }
    put(l, l->end, p, n);
    l->end += n;
    last_len += n;
    uint8_t len[2] = { (uint8_t)(last_len >> 8), (uint8_t)last_len };
    put(l, l->last_hdr + 1, len, 2);
}

void svclog_append(struct svclog *l, int stream, const uint8_t *p, size_t n)
{
    if (stream != SVCLOG_STDOUT && stream != SVCLOG_STDERR)
        return;
    l->written[stream] += n;
    while (n > 0) {
        size_t k = n < SVCLOG_MAX_RECORD ? n : SVCLOG_MAX_RECORD;
        append_record(l, stream, p, k);
        p += k;
        n -= k;
    }
}

size_t svclog_read(const struct svclog *l, uint64_t cursor, int mask, uint8_t *dst, size_t max,
                   struct svclog_read *out)
{
    out->truncated = cursor < l->start;
    if (cursor < l->start)
        cursor = l->start;
    if (cursor > l->end)
        cursor = l->end;
    uint64_t pos = l->start;
    int stream;
    /* the record holding the cursor (a cursor on a header means its payload) */
    while (pos < l->end && pos + SVCLOG_HDR + header(l, pos, &stream) <= cursor)
        pos += SVCLOG_HDR + header(l, pos, &stream);
    out->from = cursor;
    out->last_run = 0;
    size_t n = 0;
    uint64_t cur = cursor;
    while (pos < l->end && n < max) {
        size_t len = header(l, pos, &stream);
        uint64_t pstart = pos + SVCLOG_HDR, pend = pstart + len;
        if (cur < pstart)
            cur = pstart;
        if (stream & mask) {
            size_t k = (size_t)(pend - cur) < max - n ? (size_t)(pend - cur) : max - n;
            get(l, cur, dst + n, k);
            n += k;
            cur += k;
            out->last_run = k;
            if (cur < pend)
                break;   /* full */
        }
        pos = cur = pend;
    }
    out->next = cur;
    return n;
}

uint64_t svclog_tail(const struct svclog *l, int mask, uint64_t lines)
{
    uint64_t newlines = 0;
    int stream, open_line = 0;
    for (uint64_t pos = l->start; pos < l->end;) {
        size_t len = header(l, pos, &stream);
        if (stream & mask) {
            for (size_t i = 0; i < len; i++)
                newlines += at(l, pos + SVCLOG_HDR + i) == '\n';
            if (len)
                open_line = at(l, pos + SVCLOG_HDR + len - 1) != '\n';
        }
        pos += SVCLOG_HDR + len;
    }
    uint64_t total = newlines + (uint64_t)open_line;
    if (lines >= total)
        return l->start;
    uint64_t skip = total - lines;   /* the tail starts after the skip-th newline */
    for (uint64_t pos = l->start; pos < l->end;) {
        size_t len = header(l, pos, &stream);
        if (stream & mask)
            for (size_t i = 0; i < len; i++)
                if (at(l, pos + SVCLOG_HDR + i) == '\n' && --skip == 0)
                    return pos + SVCLOG_HDR + i + 1;
        pos += SVCLOG_HDR + len;
    }
    return l->end;
}
