/* stat and list: lstat semantics, symlinks reported, never followed. list
 * streams NDJSON on channel 1 only as far as the host's credit allows. */
#define _GNU_SOURCE
#include "fsinfo.h"
#include "log.h"
#include "paths.h"
#include "session.h"
#include "util.h"
#include "walk.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

const char *fs_type_name(mode_t m)
{
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symlink";
    return "other";
}

void fs_json_members(struct jbuf *b, const struct stat *st, int dirfd, const char *leaf)
{
    jb_raw(b, "\"type\":");
    jb_str(b, fs_type_name(st->st_mode));
    jb_raw(b, ",\"size\":");
    jb_i64(b, (int64_t)st->st_size);
    jb_raw(b, ",\"mode\":");
    jb_u64(b, st->st_mode & 07777);
    jb_raw(b, ",\"mtime_ms\":");
    jb_i64(b, (int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000);
    if (S_ISLNK(st->st_mode)) {
        char target[4097];
        ssize_t n = readlinkat(dirfd, leaf, target, sizeof target - 1);
        if (n >= 0) {
            jb_raw(b, ",\"link_target\":");
            jb_strn(b, target, (size_t)n);
        }
    }
}

/* resolve a request path for stat/list/export: returns 0 and rel, or finishes the stream */
static int resolve_rel(struct session *s, struct stream *st, const char *path, char *rel, size_t relsz)
{
    int rc = paths_normalize_request(path, rel, relsz);
    if (rc == -1) {
        stream_finish_error(s, st, "path_outside_workspace", "%s is outside the workspace", path);
        return -1;
    }
    if (rc < 0) {
        stream_finish_error(s, st, "bad_request", "path too long");
        return -1;
    }
    return 0;
}

void op_stat_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    if (resolve_rel(s, st, r->path, rel, sizeof rel) < 0)
        return;
    const char *parent = "", *leaf = ".";
    if (rel[0])
        paths_split(rel, &parent, &leaf);
    int pfd = paths_openat2(g_conf.rootfd, parent, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (pfd < 0) {
        stream_finish_error(s, st, pfd == -ENOTDIR ? "not_found" : paths_errcode(pfd), "%s: %s", r->path, strerror(-pfd));
        return;
    }
    struct stat sb;
    if (fstatat(pfd, leaf, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        int err = errno;
        close(pfd);
        stream_finish_error(s, st, paths_errcode(err), "%s: %s", r->path, strerror(err));
        return;
    }
    struct jbuf b;
    jb_init(&b, 1 << 20);
    jb_raw(&b, "{\"path\":");
    jb_str(&b, r->path);
    jb_raw(&b, ",");
    fs_json_members(&b, &sb, pfd, leaf);
    jb_raw(&b, "}");
    close(pfd);
    if (b.err)
        stream_finish_error(s, st, "internal", "result too large");
    else
        stream_finish_result(s, st, b.p);
    jb_free(&b);
}

/* ---------------- list ---------------- */

struct list_st {
    struct walker w;
    struct jbuf line;
    size_t line_off;
    uint64_t entries;
    int done;
};

static int ls_ready(struct session *s, struct stream *st)
{
    return stream_sendable(s, st, CH_OUT) > 0;
}

static void ls_produce(struct session *s, struct stream *st)
{
    struct list_st *l = st->state;
    size_t cap = stream_sendable(s, st, CH_OUT);
    if (cap == 0)
        return;
    uint8_t *dst = outq_reserve(s, cap);
    if (!dst)
        return;
    size_t o = 0;
    int err = 0;
    while (o < cap) {
        if (l->line_off < l->line.len) {
            size_t n = MIN(cap - o, l->line.len - l->line_off);
            memcpy(dst + o, l->line.p + l->line_off, n);
            o += n;
            l->line_off += n;
            continue;
        }
        if (l->done)
            break;
        struct walk_entry e;
        int r = walk_next(&l->w, &e);
        if (r < 0) {
            err = -r;
            break;
        }
        if (r == 0) {
            l->done = 1;
            break;
        }
        const char *name = e.name;
        if (e.is_root) {
            if (S_ISDIR(e.st.st_mode))
                continue;      /* the listed directory itself is not an entry */
            name = e.leaf;     /* listing a single non-directory: one entry, its own name */
        }
        l->line.len = 0;
        l->line.err = 0;
        l->line_off = 0;
        jb_raw(&l->line, "{\"path\":");
        jb_str(&l->line, name);
        jb_raw(&l->line, ",");
        fs_json_members(&l->line, &e.st, e.dirfd, e.leaf);
        jb_raw(&l->line, "}\n");
        if (l->line.err) {
            LOGE("list: entry too large, skipped");
            l->line.len = 0;
            continue;
        }
        l->entries++;
    }
    if (o > 0) {
        outq_commit(s, FT_DATA, CH_OUT, st->id, o);
        st->out_credit[CH_OUT] -= o;
    }
    if (err) {
        stream_finish_error(s, st, "io_error", "list: %s", strerror(err));
        return;
    }
    if (l->done && l->line_off >= l->line.len) {
        char res[64];
        snprintf(res, sizeof res, "{\"entries\":%llu}", (unsigned long long)l->entries);
        send_frame(s, FT_EOF, CH_OUT, st->id, NULL, 0);
        stream_finish_result(s, st, res);
    }
}

static void ls_destroy(struct stream *st)
{
    struct list_st *l = st->state;
    if (!l)
        return;
    walk_close(&l->w);
    jb_free(&l->line);
    free(l);
    st->state = NULL;
}

static const struct op_vtbl list_vt = {
    .ready = ls_ready,
    .produce = ls_produce,
    .destroy = ls_destroy,
};

void op_list_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    if (resolve_rel(s, st, r->path, rel, sizeof rel) < 0)
        return;
    struct list_st *l = calloc(1, sizeof *l);
    if (!l) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    jb_init(&l->line, 512 * 1024);
    st->state = l;
    st->vt = &list_vt;
    int rc = walk_open(&l->w, g_conf.rootfd, rel, "", r->recursive);
    if (rc < 0)
        stream_finish_error(s, st, rc == -ENOTDIR ? "not_found" : paths_errcode(rc), "%s: %s", r->path, strerror(-rc));
}
