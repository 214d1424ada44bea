/* Helpers the operations share: request path resolution and error mapping,
 * installing an operation's state, NDJSON entry lines, and "producers":
 * streams whose channel-1 output (list, manifest, archive_export) is made on
 * demand, only as far as the host's credit and the outbound queue allow, straight
 * into the queue, so memory stays bounded whatever the tree size. */
#ifndef PYRO_OP_COMMON_H
#define PYRO_OP_COMMON_H
#include "json.h"
#include "session.h"
#include <sys/stat.h>

/* Normalises a request path into rel; on failure finishes the stream with
 * path_outside_workspace / bad_request and returns -1. */
int op_request_path(struct session *s, struct stream *st, const char *path, char *rel, size_t relsz);

/* Finishes the stream for a failed resolution of path (err > 0): ENOTDIR is
 * not_found (a parent is a file), else paths_errcode(). */
void op_finish_errno(struct session *s, struct stream *st, const char *path, int err);

/* Opens the working directory a request names (cwd; NULL = the workspace root)
 * beneath the root as an O_PATH directory fd, and writes how it is reported
 * ("/workspace[/rel]") into shown. On failure finishes the stream
 * (path_outside_workspace, not_found, bad_request) and returns -1. */
int op_open_cwd(struct session *s, struct stream *st, const char *cwd, char *shown, size_t shownsz);

/* An integer request field v (def when REQ_ABSENT) within [lo, hi] into *out: 0, or -1
 * after finishing the stream with invalid_argument naming it. */
int op_bounded(struct session *s, struct stream *st, const char *name, int64_t v, int64_t def, int64_t lo,
               int64_t hi, int64_t *out);
/* Finishes the stream with b as RESULT (internal "result too large" when it overflowed); frees b. */
void op_finish_json(struct session *s, struct stream *st, struct jbuf *b);

/* paths_lstat_beneath(root, rel): the parent fd, or -1 after finishing the
 * stream (op_finish_errno). */
int op_lstat(struct session *s, struct stream *st, const char *path, const char *rel, char *buf, size_t bufsz,
             const char **leaf, struct stat *sb);

/* Allocates zeroed state of size bytes and installs it with vt, so the stream's
 * destroy hook frees it whatever happens next; finishes the stream with
 * internal "out of memory" and returns NULL when that fails. */
void *op_install(struct session *s, struct stream *st, size_t size, const struct op_vtbl *vt);

/* A producer: the state of a list, manifest or archive_export stream starts
 * with this. One shared set of stream hooks drives every producer: when the
 * host has credit, fill() writes what may be sent now; err ends the stream with
 * io_error ("<name>: [<err_path>: ]<strerror>"); once done and no line is
 * pending, EOF on channel 1 and the RESULT {"entries":N,...} finish it. */
struct producer {
    const struct producer_ops *ops;
    int err;                  /* errno, 0 = fine */
    int done;                 /* all output made */
    const char *err_path;     /* optional context for the error message */
    uint64_t entries;         /* entries made */
    struct jbuf line;         /* NDJSON producers: the entry line being handed out */
    size_t line_off;
};

struct producer_ops {
    const char *name;
    size_t (*fill)(struct producer *p, uint8_t *dst, size_t cap);
    /* optional: members (each ",\"key\":value") the RESULT has after "entries";
     * b->err set when they do not fit */
    void (*result)(const struct producer *p, struct jbuf *b);
    /* releases what the state holds besides the line (not the state itself) */
    void (*release)(struct producer *p);
};

/* OPEN of a producer on the request path: normalises it into rel (finishing the
 * stream on failure) and installs zeroed state of size bytes (starting with
 * struct producer) driven by ops. NULL when the stream was finished. */
void *producer_open(struct session *s, struct stream *st, const char *path, char *rel, size_t relsz,
                    size_t size, const struct producer_ops *ops);

/* Copies what is left of the entry line into dst (at most cap); returns the bytes. */
size_t producer_drain(struct producer *p, uint8_t *dst, size_t cap);
/* Makes the next entry line: {"path":path[,"path_b64":..],<fs members>[,"sha256":hex]
 * [,"text":bool]}\n (sb: the lstat of leaf in dirfd; text < 0: not classified) and
 * counts it; an entry too large is skipped. */
void producer_entry(struct producer *p, const char *path, const struct stat *sb, int dirfd, const char *leaf,
                    const char *sha256_hex, int text);

#endif
