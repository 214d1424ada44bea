#define _GNU_SOURCE
#include "op_common.h"
#include "fsinfo.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES (512 * 1024)

int op_request_path(struct session *s, struct stream *st, const char *path, char *rel, size_t relsz)
{
    int rc = paths_normalize_request(path, rel, relsz);
    if (rc == -1) {
        stream_finish_error(s, st, "path_outside_workspace", "%s is outside the workspace", path);
        return -1;
    }
    if (rc < 0) {
        stream_finish_error(s, st, "invalid_argument", "%.200s...: path longer than %d bytes", path, PATHS_MAX - 1);
        return -1;
    }
    return 0;
}

void op_finish_errno(struct session *s, struct stream *st, const char *path, int err)
{
    if (err == EXDEV || err == ELOOP)   /* strerror would say "Cross-device link" */
        stream_finish_error(s, st, "path_outside_workspace",
                            "%s leads outside the workspace (through '..' or a symbolic link)", path);
    else if (err == ENAMETOOLONG)
        stream_finish_error(s, st, "invalid_argument", "%s: a name longer than %d bytes or a path longer than %d",
                            path, PATHS_NAME_MAX, PATHS_MAX - 1);
    else
        stream_finish_error(s, st, err == ENOTDIR ? "not_found" : paths_errcode(err), "%s: %s", path, strerror(err));
}

int op_open_cwd(struct session *s, struct stream *st, const char *cwd, char *shown, size_t shownsz)
{
    char rel[4096];
    int rc = paths_normalize_request(cwd ? cwd : "", rel, sizeof rel);
    if (rc < 0) {
        stream_finish_error(s, st, rc == -1 ? "path_outside_workspace" : "bad_request", "cwd %s is %s", cwd,
                            rc == -1 ? "outside the workspace" : "too long");
        return -1;
    }
    int fd = paths_openat2(g_conf.rootfd, rel, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (fd < 0) {
        op_finish_errno(s, st, cwd ? cwd : WORKSPACE_PREFIX, -fd);
        return -1;
    }
    if (shown)
        snprintf(shown, shownsz, "%s%s%s", WORKSPACE_PREFIX, rel[0] ? "/" : "", rel);
    return fd;
}

int op_bounded(struct session *s, struct stream *st, const char *name, int64_t v, int64_t def, int64_t lo,
               int64_t hi, int64_t *out)
{
    if (v == REQ_ABSENT)
        v = def;
    if (v < lo || v > hi) {
        stream_finish_error(s, st, "invalid_argument", "%s must be between %lld and %lld, not %lld", name,
                            (long long)lo, (long long)hi, (long long)v);
        return -1;
    }
    *out = v;
    return 0;
}

void op_finish_json(struct session *s, struct stream *st, struct jbuf *b)
{
    if (b->err)
        stream_finish_error(s, st, "internal", "result too large");
    else
        stream_finish_result(s, st, b->p);
    jb_free(b);
}

int op_lstat(struct session *s, struct stream *st, const char *path, const char *rel, char *buf, size_t bufsz,
             const char **leaf, struct stat *sb)
{
    int pfd = paths_lstat_beneath(g_conf.rootfd, rel, 0, buf, bufsz, leaf, sb);
    if (pfd < 0) {
        op_finish_errno(s, st, path, -pfd);
        return -1;
    }
    return pfd;
}

void *op_install(struct session *s, struct stream *st, size_t size, const struct op_vtbl *vt)
{
    void *state = calloc(1, size);
    if (!state) {
        stream_finish_error(s, st, "internal", "out of memory");
        return NULL;
    }
    st->state = state;
    st->vt = vt;
    return state;
}

size_t producer_drain(struct producer *p, uint8_t *dst, size_t cap)
{
    size_t n = MIN(cap, p->line.len - p->line_off);
    if (n == 0)
        return 0;   /* no line yet: line.p may be NULL (memcpy from NULL is undefined even for 0 bytes) */
    memcpy(dst, p->line.p + p->line_off, n);
    p->line_off += n;
    return n;
}

void producer_entry(struct producer *p, const char *path, const struct stat *sb, int dirfd, const char *leaf,
                    const char *sha256_hex, int text)
{
    struct jbuf *b = &p->line;
    b->len = 0;
    b->err = 0;
    p->line_off = 0;
    jb_raw(b, "{");
    jb_name(b, "path", path, strlen(path));
    jb_raw(b, ",");
    fs_json_members(b, sb, dirfd, leaf);
    if (sha256_hex) {
        jb_raw(b, ",\"sha256\":\"");
        jb_raw(b, sha256_hex);
        jb_raw(b, "\"");
    }
    if (text >= 0)
        jb_raw(b, text ? ",\"text\":true" : ",\"text\":false");
    jb_raw(b, "}\n");
    if (b->err) {
        LOGE("%s: an entry of more than %zu bytes skipped", p->ops->name, b->len);
        b->len = 0;
        return;
    }
    p->entries++;
}

static int producer_ready(struct session *s, struct stream *st)
{
    return stream_sendable(s, st, CH_OUT) > 0;
}

static void producer_produce(struct session *s, struct stream *st)
{
    struct producer *p = st->state;
    size_t cap = stream_sendable(s, st, CH_OUT);
    uint8_t *dst = cap ? outq_reserve(s, cap) : NULL;
    if (!dst)
        return;
    size_t n = p->ops->fill(p, dst, cap);
    if (n > 0) {
        outq_commit(s, FT_DATA, CH_OUT, st->id, n);
        st->out_credit[CH_OUT] -= n;
    }
    if (p->err) {
        stream_finish_error(s, st, "io_error", "%s: %s%s%s", p->ops->name, p->err_path ? p->err_path : "",
                            p->err_path ? ": " : "", strerror(p->err));
        return;
    }
    if (!p->done || p->line_off < p->line.len)
        return;
    struct jbuf b;
    jb_init(&b, FRAME_MAX_PAYLOAD);
    jb_raw(&b, "{\"entries\":");
    jb_u64(&b, p->entries);
    if (p->ops->result)
        p->ops->result(p, &b);
    jb_raw(&b, "}");
    send_frame(s, FT_EOF, CH_OUT, st->id, NULL, 0);
    if (b.err)
        stream_finish_error(s, st, "internal", "result too large");
    else
        stream_finish_result(s, st, b.p);
    jb_free(&b);
}

static void producer_destroy(struct stream *st)
{
    struct producer *p = st->state;
    if (p->ops->release)
        p->ops->release(p);
    jb_free(&p->line);
    free(p);
    st->state = NULL;
}

static const struct op_vtbl producer_vt = {
    .ready = producer_ready,
    .produce = producer_produce,
    .destroy = producer_destroy,
};

void *producer_open(struct session *s, struct stream *st, const char *path, char *rel, size_t relsz,
                    size_t size, const struct producer_ops *ops)
{
    if (op_request_path(s, st, path, rel, relsz) < 0)
        return NULL;
    struct producer *p = op_install(s, st, size, &producer_vt);
    if (!p)
        return NULL;
    p->ops = ops;
    jb_init(&p->line, LINE_MAX_BYTES);
    return p;
}
