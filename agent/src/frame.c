#include "frame.h"
#include "crc32.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

void frame_header_encode(uint8_t h[FRAME_HDR_LEN], uint8_t type, uint8_t flags,
                         uint32_t stream, uint32_t len)
{
    h[0] = 0x50;
    h[1] = 0x59;
    h[2] = type;
    h[3] = flags;
    put_be32(h + 4, stream);
    put_be32(h + 8, len);
    put_be32(h + 12, crc32_buf(h, 12));
}

int frame_header_check(const uint8_t *p, size_t avail)
{
    if (avail >= 1 && p[0] != 0x50)
        return 0;
    if (avail >= 2 && p[1] != 0x59)
        return 0;
    if (avail < FRAME_HDR_LEN)
        return -1;
    if (get_be32(p + 8) > FRAME_MAX_PAYLOAD)
        return 0;
    if (get_be32(p + 12) != crc32_buf(p, 12))
        return 0;
    return 1;
}

int fr_init(struct frame_reader *fr)
{
    memset(fr, 0, sizeof *fr);
    fr->cap = FRAME_HDR_LEN + FRAME_MAX_PAYLOAD;
    fr->buf = malloc(fr->cap);
    return fr->buf ? 0 : -1;
}

void fr_free(struct frame_reader *fr)
{
    free(fr->buf);
    fr->buf = NULL;
}

void fr_reset(struct frame_reader *fr)
{
    fr->start = fr->end = 0;
    fr->resyncing = 0;
}

uint8_t *fr_space(struct frame_reader *fr, size_t *avail)
{
    if (fr->start == fr->end) {
        fr->start = fr->end = 0;
    } else if (fr->start > 0 && (fr->cap - fr->end < 65536 || fr->start >= fr->cap / 2)) {
        /* compact rarely: only when the tail is short, so memmove stays amortised */
        memmove(fr->buf, fr->buf + fr->start, fr->end - fr->start);
        fr->end -= fr->start;
        fr->start = 0;
    }
    *avail = fr->cap - fr->end;
    return fr->buf + fr->end;
}

void fr_commit(struct frame_reader *fr, size_t n)
{
    fr->end += n;
}

size_t fr_feed(struct frame_reader *fr, const uint8_t *p, size_t n)
{
    size_t avail;
    uint8_t *dst = fr_space(fr, &avail);
    if (n > avail)
        n = avail;
    memcpy(dst, p, n);
    fr_commit(fr, n);
    return n;
}

int fr_next(struct frame_reader *fr, struct frame *f)
{
    for (;;) {
        size_t avail = fr->end - fr->start;
        if (avail == 0)
            return FR_NEED;
        const uint8_t *p = fr->buf + fr->start;
        int r = frame_header_check(p, avail);
        if (r < 0)
            return FR_NEED;
        if (r == 0) {
            /* discard one byte and keep scanning; report once per run of garbage */
            fr->start++;
            if (!fr->resyncing) {
                fr->resyncing = 1;
                return FR_BAD;
            }
            continue;
        }
        fr->resyncing = 0;
        uint32_t len = get_be32(p + 8);
        if (avail < FRAME_HDR_LEN + (size_t)len)
            return FR_NEED;
        f->type = p[2];
        f->flags = p[3];
        f->stream = get_be32(p + 4);
        f->len = len;
        f->payload = p + FRAME_HDR_LEN;
        fr->start += FRAME_HDR_LEN + (size_t)len;
        return FR_FRAME;
    }
}
