/* stat and list: lstat semantics, symlinks reported, never followed. list
 * streams NDJSON on channel 1 only as far as the host's credit allows. */
#define _GNU_SOURCE
#include "fsinfo.h"
#include "log.h"
#include "names.h"
#include "op_common.h"
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
            jb_raw(b, ",");
            jb_name(b, "link_target", target, (size_t)n);
        }
    }
}

void op_stat_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096], buf[4096];
    if (op_request_path(s, st, r->path, rel, sizeof rel) < 0)
        return;
    const char *leaf;
    struct stat sb;
    int pfd = op_lstat(s, st, r->path, rel, buf, sizeof buf, &leaf, &sb);
    if (pfd < 0)
        return;
    struct jbuf b;
    jb_init(&b, 1 << 20);
    jb_raw(&b, "{");
    jb_name(&b, "path", r->path, strlen(r->path));
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
    struct producer p;
    struct walker w;
};

static size_t ls_fill(struct producer *p, uint8_t *dst, size_t cap)
{
    struct list_st *l = (struct list_st *)p;
    size_t o = 0;
    while (o < cap) {
        o += producer_drain(p, dst + o, cap - o);
        if (o == cap || p->done)
            break;
        struct walk_entry e;
        int r = walk_next(&l->w, &e);
        if (r < 0) {
            p->err = -r;
            break;
        }
        if (r == 0) {
            p->done = 1;
            break;
        }
        const char *name = e.name;
        if (e.is_root) {
            if (S_ISDIR(e.st.st_mode))
                continue;      /* the listed directory itself is not an entry */
            name = e.leaf;     /* listing a single non-directory: one entry, its own name */
        }
        producer_entry(p, name, &e.st, e.dirfd, e.leaf, NULL, -1);
    }
    return o;
}

static void ls_release(struct producer *p)
{
    walk_close(&((struct list_st *)p)->w);
}

static const struct producer_ops list_ops = { "list", ls_fill, NULL, ls_release };

void op_list_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    struct list_st *l = producer_open(s, st, r->path, rel, sizeof rel, sizeof *l, &list_ops);
    if (!l)
        return;
    l->w.parentfd = -1;   /* walk_close before walk_open must not close fd 0 */
    int rc = walk_open(&l->w, g_conf.rootfd, rel, "", r->recursive);
    if (rc < 0)
        op_finish_errno(s, st, r->path, -rc);
}
