/* file_read and file_write (docs/protocol.md §5): whole files for chat tools.
 * Both follow symlinks only while they stay inside the workspace (resolve.c).
 * file_read streams at most max_bytes of one regular file on channel 1 within
 * the host's credit. file_write stages every file's new content in the staging
 * area first (never visible under /workspace), then checks every target
 * (type, and the caller's expectation of its current content), and only when
 * all of them pass moves each staged file into place with one rename (a
 * removal is one unlink): nothing is changed when anything is refused. */
#define _GNU_SOURCE
#include "log.h"
#include "op_common.h"
#include "paths.h"
#include "resolve.h"
#include "session.h"
#include "sha256.h"
#include "staging.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RES_NOFOLLOW (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

/* Finishes the stream for a failed resolution of path (err > 0). */
static void finish_resolve_error(struct session *s, struct stream *st, const char *path, int err)
{
    if (err == ELOOP)
        stream_finish_error(s, st, "io_error", "%s: too many levels of symbolic links", path);
    else if (err == EXDEV)
        stream_finish_error(s, st, "path_outside_workspace", "%s leads outside the workspace through a symlink",
                            path);
    else
        op_finish_errno(s, st, path, err);
}

/* "/workspace" or "/workspace/<rel>" into out */
static void workspace_path(const char *rel, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s%s%s", WORKSPACE_PREFIX, rel[0] ? "/" : "", rel);
}

/* ---------------- file_read ---------------- */

struct fread_st {
    int fd;
    uint64_t max, sent;
    int eof;
    struct stat sb;
    char path[4096 + 16];
};

static int fr_ready(struct session *s, struct stream *st)
{
    struct fread_st *f = st->state;
    return f->eof || f->sent >= f->max || stream_sendable(s, st, CH_OUT) > 0;
}

static void fr_finish(struct session *s, struct stream *st)
{
    struct fread_st *f = st->state;
    uint8_t one;
    /* at the limit: is there more? (the file may have grown since the open) */
    int truncated = !f->eof && pread(f->fd, &one, 1, (off_t)f->sent) == 1;
    struct jbuf b;
    jb_init(&b, 8192);
    jb_raw(&b, "{\"path\":");
    jb_str(&b, f->path);
    jb_raw(&b, ",\"size\":");
    jb_i64(&b, (int64_t)f->sb.st_size);
    jb_raw(&b, ",\"bytes\":");
    jb_u64(&b, f->sent);
    jb_raw(&b, truncated ? ",\"truncated\":true" : ",\"truncated\":false");
    jb_raw(&b, ",\"mode\":");
    jb_u64(&b, f->sb.st_mode & 07777);
    jb_raw(&b, ",\"mtime_ms\":");
    jb_i64(&b, (int64_t)f->sb.st_mtim.tv_sec * 1000 + f->sb.st_mtim.tv_nsec / 1000000);
    jb_raw(&b, "}");
    send_frame(s, FT_EOF, CH_OUT, st->id, NULL, 0);
    if (b.err)
        stream_finish_error(s, st, "internal", "result too large");
    else
        stream_finish_result(s, st, b.p);
    jb_free(&b);
}

static void fr_produce(struct session *s, struct stream *st)
{
    struct fread_st *f = st->state;
    if (f->eof || f->sent >= f->max) {
        fr_finish(s, st);
        return;
    }
    size_t cap = MIN(stream_sendable(s, st, CH_OUT), f->max - f->sent);
    uint8_t *dst = cap ? outq_reserve(s, cap) : NULL;
    if (!dst)
        return;
    ssize_t n;
    do
        n = read(f->fd, dst, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        stream_finish_error(s, st, "io_error", "%s: %s", f->path, strerror(errno));
        return;
    }
    if (n == 0) {
        f->eof = 1;
        return;
    }
    outq_commit(s, FT_DATA, CH_OUT, st->id, (size_t)n);
    st->out_credit[CH_OUT] -= (uint64_t)n;
    f->sent += (uint64_t)n;
}

static void fr_destroy(struct stream *st)
{
    struct fread_st *f = st->state;
    if (f->fd >= 0)
        close(f->fd);
    free(f);
    st->state = NULL;
}

static const struct op_vtbl fread_vt = { .ready = fr_ready, .produce = fr_produce, .destroy = fr_destroy };

static void op_file_read(struct session *s, struct stream *st, struct request *r)
{
    int64_t max = r->max_bytes == REQ_ABSENT ? FILE_READ_DEFAULT : r->max_bytes;
    if (max < 0 || max > FILE_READ_MAX) {
        stream_finish_error(s, st, "invalid_argument", "max_bytes must be 0-%d", FILE_READ_MAX);
        return;
    }
    char rel[4096], real[4096];
    if (op_request_path(s, st, r->path, rel, sizeof rel) < 0)
        return;
    int rc = paths_resolve(g_conf.rootfd, rel, 0, real, sizeof real);
    if (rc < 0) {
        finish_resolve_error(s, st, r->path, -rc);
        return;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below) */
    int fd = paths_openat2(g_conf.rootfd, real, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, RES_NOFOLLOW);
    if (fd < 0) {
        finish_resolve_error(s, st, r->path, -fd);
        return;
    }
    struct fread_st *f = op_install(s, st, sizeof *f, &fread_vt);
    if (!f) {
        close(fd);
        return;
    }
    f->fd = fd;
    f->max = (uint64_t)max;
    workspace_path(real, f->path, sizeof f->path);
    if (fstat(fd, &f->sb) != 0) {
        stream_finish_error(s, st, "io_error", "%s: %s", r->path, strerror(errno));
        return;
    }
    if (!S_ISREG(f->sb.st_mode))
        stream_finish_error(s, st, "invalid_argument", "%s is %s, not a regular file", f->path,
                            S_ISDIR(f->sb.st_mode) ? "a directory" : "a special file");
}

/* ---------------- file_write ---------------- */

struct target {
    char real[4096];      /* resolved, root-relative */
    const char *leaf;     /* into split */
    char split[4096];     /* parent NUL leaf */
    int pfd;              /* O_PATH parent, -1 while it does not exist */
    int exists;
    uint32_t mode;
};

struct fwrite_st {
    struct file_spec *files;   /* taken from the request */
    size_t n;
    size_t cur;                /* the file channel-0 bytes go to */
    int curfd;
    uint64_t cur_rem;
    uint64_t bytes;
    char stage[64];            /* beneath the staging directory; files named by index */
    int stagefd;
    struct target *t;
};

static unsigned g_write_seq;

/* Creates the staged file of files[cur] (and empty ones after it) until one expects bytes. */
static int stage_next(struct fwrite_st *w)
{
    for (; w->cur < w->n; w->cur++) {
        struct file_spec *f = &w->files[w->cur];
        if (f->remove)
            continue;
        char name[24];
        snprintf(name, sizeof name, "%zu", w->cur);
        int fd = openat(w->stagefd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return -errno;
        if (f->size > 0) {
            w->curfd = fd;
            w->cur_rem = f->size;
            return 0;
        }
        close(fd);
    }
    return 0;
}

/* the current staged file is complete: on disk before it can be renamed in */
static int stage_done(struct fwrite_st *w)
{
    int rc = fsync(w->curfd) != 0 ? -errno : 0;
    if (close(w->curfd) != 0 && rc == 0)
        rc = -errno;
    w->curfd = -1;
    w->cur++;
    return rc < 0 ? rc : stage_next(w);
}

static void fw_on_data(struct session *s, struct stream *st, const uint8_t *p, size_t n)
{
    struct fwrite_st *w = st->state;
    size_t total = n;
    while (n > 0) {
        if (w->curfd < 0) {
            stream_finish_error(s, st, "bad_request", "more data than the sizes of files announce");
            return;
        }
        size_t k = (size_t)MIN((uint64_t)n, w->cur_rem);
        ssize_t wr = write(w->curfd, p, k);
        if (wr < 0 && errno == EINTR)
            continue;
        if (wr <= 0) {
            stream_finish_error(s, st, "io_error", "staging %s: %s; nothing was changed", w->files[w->cur].path,
                                strerror(wr < 0 ? errno : ENOSPC));
            return;
        }
        p += wr;
        n -= (size_t)wr;
        w->cur_rem -= (uint64_t)wr;
        w->bytes += (uint64_t)wr;
        int rc = w->cur_rem == 0 ? stage_done(w) : 0;
        if (rc < 0) {
            stream_finish_error(s, st, "io_error", "staging: %s; nothing was changed", strerror(-rc));
            return;
        }
    }
    stream_consumed(s, st, total);
}

/* lower-case hex SHA-256 of the regular file leaf in dirfd; -errno */
static int hash_file(int dirfd, const char *leaf, char hex[65])
{
    int fd = openat(dirfd, leaf, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct sha256 c;
    sha256_init(&c);
    uint8_t buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            return -err;
        }
        sha256_update(&c, buf, (size_t)n);
    }
    close(fd);
    uint8_t d[32];
    sha256_final(&c, d);
    sha256_hex(d, hex);
    return 0;
}

/* Resolves and checks files[i] against what is there now; 0, or finishes the stream. */
static int check_target(struct session *s, struct stream *st, struct fwrite_st *w, size_t i)
{
    struct file_spec *f = &w->files[i];
    struct target *t = &w->t[i];
    char rel[4096], shown[4096 + 16];
    if (op_request_path(s, st, f->path, rel, sizeof rel) < 0)
        return -1;
    int rc = paths_resolve(g_conf.commit_rootfd, rel, RES_MISSING_TAIL, t->real, sizeof t->real);
    if (rc < 0) {
        finish_resolve_error(s, st, f->path, -rc);
        return -1;
    }
    workspace_path(t->real, shown, sizeof shown);
    if (!t->real[0]) {
        stream_finish_error(s, st, "invalid_argument", "%s is the workspace itself, not a file", f->path);
        return -1;
    }
    for (size_t j = 0; j < i; j++)
        if (!strcmp(w->t[j].real, t->real)) {
            stream_finish_error(s, st, "invalid_argument", "%s is named twice", shown);
            return -1;
        }
    const char *parent;
    memcpy(t->split, t->real, strlen(t->real) + 1);
    paths_split(t->split, &parent, &t->leaf);
    t->pfd = paths_openat2(g_conf.commit_rootfd, parent, O_PATH | O_DIRECTORY, RES_NOFOLLOW);
    if (t->pfd < 0 && t->pfd != -ENOENT) {
        finish_resolve_error(s, st, f->path, -t->pfd);
        return -1;
    }
    struct stat sb;
    t->exists = t->pfd >= 0 && fstatat(t->pfd, t->leaf, &sb, AT_SYMLINK_NOFOLLOW) == 0;
    if (t->exists && !S_ISREG(sb.st_mode)) {
        stream_finish_error(s, st, "invalid_argument", "%s is %s, not a regular file", shown,
                            S_ISDIR(sb.st_mode) ? "a directory" : "a special file");
        return -1;
    }
    if (f->remove && !t->exists) {
        stream_finish_error(s, st, "not_found", "%s does not exist; nothing was changed", shown);
        return -1;
    }
    if (f->expect == FILE_EXPECT_ABSENT && t->exists) {
        stream_finish_error(s, st, "conflict", "%s exists now; nothing was changed", shown);
        return -1;
    }
    if (f->expect == FILE_EXPECT_SHA256) {
        char hex[65];
        if (!t->exists) {
            stream_finish_error(s, st, "conflict", "%s was removed; nothing was changed", shown);
            return -1;
        }
        if (sb.st_size > FILE_HASH_MAX || (rc = hash_file(t->pfd, t->leaf, hex)) < 0 || strcmp(hex, f->sha256)) {
            stream_finish_error(s, st, "conflict", "%s changed; nothing was changed", shown);
            return -1;
        }
    }
    t->mode = f->mode != REQ_ABSENT ? (uint32_t)f->mode & 0777 : t->exists ? sb.st_mode & 0777 : 0644;
    return 0;
}

/* Moves every staged file into place (or unlinks); 0, or the failing index with *err set. */
static int commit_all(struct fwrite_st *w, size_t *failed, int *err)
{
    for (size_t i = 0; i < w->n; i++) {
        struct target *t = &w->t[i];
        *failed = i;
        if (t->pfd < 0) {
            /* the split left the parent NUL-terminated in split, unless there was no slash */
            const char *parent = t->leaf == t->split ? "" : t->split;
            t->pfd = paths_mkdirs(g_conf.commit_rootfd, parent, RESOLVE_NO_SYMLINKS);
            if (t->pfd < 0) {
                *err = -t->pfd;
                return -1;
            }
        }
        if (w->files[i].remove) {
            if (unlinkat(t->pfd, t->leaf, 0) != 0) {
                *err = errno;
                return -1;
            }
            continue;
        }
        char name[24];
        snprintf(name, sizeof name, "%zu", i);
        if (fchmodat(w->stagefd, name, t->mode, 0) != 0 || renameat(w->stagefd, name, t->pfd, t->leaf) != 0) {
            *err = errno;
            return -1;
        }
    }
    return 0;
}

static void fw_result(struct session *s, struct stream *st, struct fwrite_st *w)
{
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"files\":[");
    for (size_t i = 0; i < w->n; i++) {
        char shown[4096 + 16];
        workspace_path(w->t[i].real, shown, sizeof shown);
        jb_raw(&b, i ? ",{\"path\":" : "{\"path\":");
        jb_str(&b, shown);
        jb_raw(&b, w->files[i].remove ? ",\"removed\":true" : ",\"removed\":false");
        jb_raw(&b, !w->files[i].remove && !w->t[i].exists ? ",\"created\":true" : ",\"created\":false");
        jb_raw(&b, ",\"bytes\":");
        jb_u64(&b, w->files[i].size);
        jb_raw(&b, ",\"mode\":");
        jb_u64(&b, w->files[i].remove ? 0 : w->t[i].mode);
        jb_raw(&b, "}");
    }
    jb_raw(&b, "],\"bytes\":");
    jb_u64(&b, w->bytes);
    jb_raw(&b, "}");
    if (b.err)
        stream_finish_error(s, st, "internal", "result too large");
    else
        stream_finish_result(s, st, b.p);
    jb_free(&b);
}

static void fw_on_eof(struct session *s, struct stream *st)
{
    struct fwrite_st *w = st->state;
    if (w->curfd >= 0 || w->cur < w->n) {
        stream_finish_error(s, st, "bad_request", "less data than the sizes of files announce");
        return;
    }
    for (size_t i = 0; i < w->n; i++)
        if (check_target(s, st, w, i) < 0)
            return;
    size_t failed = 0;
    int err = 0;
    if (commit_all(w, &failed, &err) < 0) {
        char shown[4096 + 16];
        workspace_path(w->t[failed].real, shown, sizeof shown);
        stream_finish_error(s, st, "io_error", "%s: %s (%zu of %zu files were changed before it)", shown,
                            strerror(err), failed, w->n);
        return;
    }
    fw_result(s, st, w);
}

static void fw_on_cancel(struct session *s, struct stream *st)
{
    stream_finish_error(s, st, "cancelled", "file write cancelled; nothing was changed");
}

static void fw_destroy(struct stream *st)
{
    struct fwrite_st *w = st->state;
    if (w->curfd >= 0)
        close(w->curfd);
    if (w->t)
        for (size_t i = 0; i < w->n; i++)
            if (w->t[i].pfd >= 0)
                close(w->t[i].pfd);
    if (w->stagefd >= 0)
        close(w->stagefd);
    if (w->stage[0]) {
        int r = rmtree_at(g_conf.staging_fd, w->stage);
        if (r < 0)
            LOGE("removing staging %s/%s: %s", g_conf.staging, w->stage, strerror(-r));
    }
    for (size_t i = 0; i < w->n; i++)
        free(w->files[i].path);
    free(w->files);
    free(w->t);
    free(w);
    st->state = NULL;
}

static const struct op_vtbl fwrite_vt = {
    .on_data = fw_on_data,
    .on_eof = fw_on_eof,
    .on_cancel = fw_on_cancel,
    .destroy = fw_destroy,
};

static void op_file_write(struct session *s, struct stream *st, struct request *r)
{
    if (g_conf.staging_fd < 0) {
        stream_finish_error(s, st, "io_error", "file write unavailable: no staging directory");
        return;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < r->nfiles; i++) {
        int64_t m = r->files[i].mode;
        if (m != REQ_ABSENT && (m < 0 || m > 07777)) {
            stream_finish_error(s, st, "invalid_argument", "files[%zu].mode must be 0-07777", i);
            return;
        }
        total += r->files[i].size;
        if (r->files[i].size > FILE_WRITE_MAX || total > FILE_WRITE_MAX) {
            stream_finish_error(s, st, "invalid_argument", "one file_write takes at most %d bytes; nothing was "
                                "changed", FILE_WRITE_MAX);
            return;
        }
    }
    struct fwrite_st *w = op_install(s, st, sizeof *w, &fwrite_vt);
    if (!w)
        return;
    w->curfd = w->stagefd = -1;
    w->files = r->files;   /* taken: the request is freed after this returns */
    w->n = r->nfiles;
    r->files = NULL;
    r->nfiles = 0;
    w->t = calloc(w->n, sizeof *w->t);
    if (!w->t) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    for (size_t i = 0; i < w->n; i++)
        w->t[i].pfd = -1;
    snprintf(w->stage, sizeof w->stage, "wr-%d-%u", (int)getpid(), ++g_write_seq);
    if (mkdirat(g_conf.staging_fd, w->stage, 0700) != 0) {
        int err = errno;
        w->stage[0] = 0;
        stream_finish_error(s, st, "io_error", "staging: %s", strerror(err));
        return;
    }
    w->stagefd = paths_openat2(g_conf.staging_fd, w->stage, O_PATH | O_DIRECTORY, RES_NOFOLLOW);
    int rc = w->stagefd < 0 ? w->stagefd : stage_next(w);
    if (rc < 0)
        stream_finish_error(s, st, "io_error", "staging: %s", strerror(-rc));
}

void op_file_start(struct session *s, struct stream *st, struct request *r)
{
    if (r->op == OP_FILE_READ)
        op_file_read(s, st, r);
    else
        op_file_write(s, st, r);
}
