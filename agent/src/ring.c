#include "ring.h"
#include <stdlib.h>
#include <string.h>

int ring_init(struct ring *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->buf = malloc(cap);
    if (!r->buf)
        return -1;
    r->cap = cap;
    return 0;
}

void ring_free(struct ring *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

uint8_t *ring_space(struct ring *r, size_t *n)
{
    size_t pos = (size_t)(r->end % r->cap);
    *n = r->cap - pos;
    return r->buf + pos;
}

void ring_commit(struct ring *r, size_t n)
{
    r->end += n;
    if (r->end - r->start > r->cap)
        r->start = r->end - r->cap;
}

void ring_append(struct ring *r, const uint8_t *p, size_t n)
{
    if (n > r->cap) {   /* only the last cap bytes can be kept */
        r->end += n - r->cap;
        p += n - r->cap;
        n = r->cap;
    }
    while (n > 0) {
        size_t room;
        uint8_t *dst = ring_space(r, &room);
        size_t k = n < room ? n : room;
        memcpy(dst, p, k);
        ring_commit(r, k);
        p += k;
        n -= k;
    }
}

size_t ring_copy(const struct ring *r, uint64_t from, uint8_t *dst, size_t max)
{
    if (from < r->start || from >= r->end)
        return 0;
    uint64_t avail = r->end - from;
    size_t n = avail < max ? (size_t)avail : max;
    size_t pos = (size_t)(from % r->cap);
    size_t first = r->cap - pos < n ? r->cap - pos : n;
    memcpy(dst, r->buf + pos, first);
    memcpy(dst + first, r->buf, n - first);
    return n;
}

static int seq_len(uint8_t lead)
{
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 1;   /* ASCII, continuation or invalid: not the start of a longer sequence */
}

size_t utf8_complete_len(const uint8_t *p, size_t n)
{
    /* the last non-continuation byte among the last four */
    for (size_t back = 1; back <= 4 && back <= n; back++) {
        uint8_t b = p[n - back];
        if ((b & 0xc0) == 0x80)
            continue;
        return (size_t)seq_len(b) > back ? n - back : n;
    }
    return n;
}

size_t utf8_orphan_len(const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && k < 3 && (p[k] & 0xc0) == 0x80)
        k++;
    return k;
}
