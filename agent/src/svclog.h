/* A service's log: its stdout and stderr as they arrived, merged in one bounded
 * ring of records ([stream][length:2][payload]), so one cursor reads either stream
 * or both in arrival order. Cursors are absolute byte positions in the log (headers
 * included), never reused; the log keeps the newest cap bytes and drops whole
 * records from the oldest end, so the kept part always starts at a record. A
 * record grows while the same stream keeps writing, which keeps positions stable.
 * Pure (no I/O): unit tests and the fuzzer drive it directly. */
#ifndef PYRO_SVCLOG_H
#define PYRO_SVCLOG_H
#include <stddef.h>
#include <stdint.h>

#define SVCLOG_HDR        3
#define SVCLOG_MAX_RECORD 16384      /* payload bytes of one record */

enum { SVCLOG_STDOUT = 1, SVCLOG_STDERR = 2, SVCLOG_BOTH = 3 };   /* stream bits */

struct svclog {
    uint8_t *buf;
    size_t cap;
    uint64_t start, end;       /* kept positions [start, end); start is a record header */
    uint64_t written[3];       /* payload bytes ever appended, by stream (1, 2) */
    uint64_t last_hdr;         /* the newest record, while it may still grow */
    int last_open;
};

int svclog_init(struct svclog *l, size_t cap);   /* cap >= 2 * (SVCLOG_HDR + SVCLOG_MAX_RECORD); 0 or -1 */
void svclog_free(struct svclog *l);
/* Appends bytes of one stream (SVCLOG_STDOUT or SVCLOG_STDERR). */
void svclog_append(struct svclog *l, int stream, const uint8_t *p, size_t n);

struct svclog_read {
    uint64_t from;             /* where the read really started (> the cursor asked for after a gap) */
    uint64_t next;             /* where the next read continues */
    int truncated;             /* the cursor was older than the oldest kept byte */
    size_t last_run;           /* bytes copied from the last record read (they end at next) */
};

/* Copies up to max payload bytes of the streams in mask from cursor (<= end) into
 * dst; returns the count. Stops at the end of the log or once max bytes are there
 * (next then points into the record it stopped in). */
size_t svclog_read(const struct svclog *l, uint64_t cursor, int mask, uint8_t *dst, size_t max,
                   struct svclog_read *out);
/* The cursor where the last `lines` lines of the streams in mask begin (a last line
 * without its newline counts); the oldest kept position when there are fewer. */
uint64_t svclog_tail(const struct svclog *l, int mask, uint64_t lines);

#endif
