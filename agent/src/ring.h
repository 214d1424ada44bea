/* An append-only byte stream kept in a bounded ring: absolute cursors count
 * every byte ever appended; the ring keeps the last cap of them, [start, end).
 * Plus the UTF-8 boundary rules of reads (never hand out half a character). */
#ifndef PYRO_RING_H
#define PYRO_RING_H
#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    size_t cap;
    uint64_t start, end;   /* absolute cursors of the oldest kept byte and of the next byte */
};

int ring_init(struct ring *r, size_t cap);   /* 0 or -1 (out of memory) */
void ring_free(struct ring *r);
/* Contiguous room at the write position (overwriting the oldest bytes once full),
 * for reading straight into the ring; *n > 0. Follow with ring_commit. */
uint8_t *ring_space(struct ring *r, size_t *n);
void ring_commit(struct ring *r, size_t n);
void ring_append(struct ring *r, const uint8_t *p, size_t n);
/* Copies up to max bytes from cursor from (start <= from <= end); returns the count. */
size_t ring_copy(const struct ring *r, uint64_t from, uint8_t *dst, size_t max);

/* Length of p[0..n) without an incomplete UTF-8 sequence at its end (a lead byte
 * followed by fewer continuation bytes than it announces). Invalid bytes are not
 * sequences and are kept. */
size_t utf8_complete_len(const uint8_t *p, size_t n);
/* Continuation bytes at the start of p[0..n) (at most 3): the tail of a character
 * whose beginning is not there. */
size_t utf8_orphan_len(const uint8_t *p, size_t n);

#endif
