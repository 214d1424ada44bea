/* Frame codec (docs/protocol.md §1): 16-byte big-endian header
 * magic "PY" | type | flags | stream id | payload length | CRC-32 of bytes 0..11,
 * and a reassembler that resyncs after garbage by scanning for a valid header. */
#ifndef PYRO_FRAME_H
#define PYRO_FRAME_H
#include <stddef.h>
#include <stdint.h>

#define FRAME_HDR_LEN      16
#define FRAME_MAX_PAYLOAD  (1u << 20)   /* 1 MiB */
#define DATA_MAX_PAYLOAD   65536u       /* max DATA payload, so control frames interleave */
#define FLOW_WINDOW        262144u      /* initial credit per stream and channel */

enum frame_type {
    FT_HELLO = 0x01, FT_OPEN = 0x02, FT_DATA = 0x03, FT_EOF = 0x04, FT_CREDIT = 0x05,
    FT_RESULT = 0x06, FT_ERROR = 0x07, FT_CANCEL = 0x08, FT_EVENT = 0x09,
    FT_PING = 0x0a, FT_PONG = 0x0b,
};

#define CH_IN  0
#define CH_OUT 1
#define CH_ERR 2

struct frame {
    uint8_t type;
    uint8_t flags;
    uint32_t stream;
    uint32_t len;
    const uint8_t *payload;   /* points into the reader's buffer; valid until the next fr_* call */
};

void frame_header_encode(uint8_t h[FRAME_HDR_LEN], uint8_t type, uint8_t flags,
                         uint32_t stream, uint32_t len);
/* 1: p starts a valid header; 0: it cannot; -1: consistent so far but fewer than 16 bytes. */
int frame_header_check(const uint8_t *p, size_t avail);

/* Reassembler: one fixed buffer of 16 + 1 MiB, so memory never depends on input. */
struct frame_reader {
    uint8_t *buf;
    size_t cap, start, end;
    int resyncing;            /* inside a run of bad bytes: report only once */
};

enum { FR_NEED = 0, FR_FRAME = 1, FR_BAD = 2 };

int fr_init(struct frame_reader *fr);
void fr_free(struct frame_reader *fr);
void fr_reset(struct frame_reader *fr);
/* Free space to read into (compacting first when useful); *avail may be 0. */
uint8_t *fr_space(struct frame_reader *fr, size_t *avail);
void fr_commit(struct frame_reader *fr, size_t n);
/* FR_FRAME: *f is a complete frame. FR_BAD: lost sync (first bad byte of a run;
 * the caller reports bad_frame once). FR_NEED: feed more bytes. */
int fr_next(struct frame_reader *fr, struct frame *f);
/* Convenience for tests/fuzzing: copy bytes in (returns bytes accepted). */
size_t fr_feed(struct frame_reader *fr, const uint8_t *p, size_t n);

#endif
