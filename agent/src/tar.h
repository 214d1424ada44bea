/* POSIX tar format: a streaming reader fed arbitrary chunks (never the whole
 * archive in memory) and a header writer. Pure byte handling, no file system
 * access, so it is unit-tested and fuzzed in isolation. */
#ifndef PYRO_TAR_H
#define PYRO_TAR_H
#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512
#define TAR_META_MAX (256 * 1024)   /* cap for GNU long names and pax headers */
#define TAR_NAME_MAX 4096

struct tar_entry {
    char type;             /* normalised: '0' file, '1' hardlink, '2' symlink, '5' dir, others raw */
    const char *name;      /* after prefix / GNU long name / pax path */
    const char *linkname;
    uint64_t size;         /* payload bytes that follow (0 for links and dirs) */
    int64_t mtime;
    uint32_t mtime_nsec;
    uint32_t mode;
};

struct tar_cb {
    /* each returns 0 to continue, or a non-zero code that aborts tar_feed */
    int (*entry)(void *ctx, const struct tar_entry *e);
    int (*data)(void *ctx, const uint8_t *p, size_t n);
    int (*entry_end)(void *ctx);
};

/* TAR_ERR_TOO_LONG: a name or link target longer than TAR_NAME_MAX (tr->err says which) */
enum { TAR_OK = 0, TAR_ERR_MALFORMED = -1000, TAR_ERR_TOO_LONG = -1001 };

struct tar_reader {
    int state;
    uint8_t hdr[TAR_BLOCK];
    size_t hdr_fill;
    uint64_t remaining;      /* payload bytes left in the current entry */
    uint32_t pad;            /* padding bytes left after the payload */
    int cur_kind;            /* what the current payload is: data, meta, skip */
    char meta_type;
    uint8_t *meta;           /* GNU L/K or pax x payload being collected */
    size_t meta_len, meta_cap;
    /* pending overrides for the next real entry */
    char *long_name, *long_link;
    char *pax_path, *pax_link;
    int pax_has_size, pax_has_mtime;
    uint64_t pax_size;
    int64_t pax_mtime;
    uint32_t pax_mtime_nsec;
    int zero_blocks;
    int ended;               /* end-of-archive seen: later bytes are ignored */
    char name_buf[TAR_NAME_MAX + 256], link_buf[TAR_NAME_MAX + 256];
    char err[160];
};

void tar_reader_init(struct tar_reader *tr);
void tar_reader_free(struct tar_reader *tr);
/* 0, TAR_ERR_MALFORMED or TAR_ERR_TOO_LONG (tr->err says why), or a callback's code. */
int tar_feed(struct tar_reader *tr, const uint8_t *p, size_t n, const struct tar_cb *cb, void *ctx);
/* At end of input: 0 if the archive ended cleanly (end-of-archive block seen). */
int tar_finish(struct tar_reader *tr);

/* Numeric field parsing (octal or GNU base-256). Returns 0 or -1. */
int tar_parse_num(const uint8_t *f, size_t len, int64_t *out);
int tar_checksum_ok(const uint8_t hdr[TAR_BLOCK]);

/* Writer: builds the header block(s) for one entry: GNU 'L'/'K' entries first for
 * a name/link longer than 100 bytes (names are bytes; pax records would have to
 * be UTF-8), a pax 'x' header when the size needs more than 11 octal digits or
 * mtime is out of range. Returns bytes written to out (multiple of
 * 512), or -1 if out is too small. */
long tar_build_header(uint8_t *out, size_t outsz, const char *name, const char *linkname,
                      char type, uint32_t mode, uint64_t size, int64_t mtime);
/* Upper bound of tar_build_header output for the given name/link lengths. */
size_t tar_header_bound(size_t namelen, size_t linklen);

#endif
