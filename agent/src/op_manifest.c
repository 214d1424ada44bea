/* manifest: like a recursive list, but in plain byte order of the path (so the
 * host can merge-join it with a baseline) and with the SHA-256 of every regular
 * file, hashed in bounded slices so one big file never stalls the other streams.
 * Each directory's names are read and sorted when it is entered; the names held
 * at once are capped (MANIFEST_MAX_NAMES), as is the depth (WALK_MAX_DEPTH). */
#define _GNU_SOURCE
#include "fsinfo.h"
#include "json.h"
#include "log.h"
#include "paths.h"
#include "session.h"
#include "sha256.h"
#include "util.h"
#include "walk.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MANIFEST_MAX_NAMES (16u << 20)   /* bytes of names held over all open levels */
#define HASH_SLICE (1u << 20)            /* bytes hashed per produce() call */

struct mitem {
    char *name;
    int dir;        /* 1: the subtree "name/", 0: the entry "name" */
};

struct mlevel {
    int fd;         /* the directory (O_RDONLY; O_PATH parent for a single entry) */
    struct mitem *items;
    size_t n, i;
    size_t mem;
    size_t plen;    /* display path length of this directory ("" at the top) */
};

struct manifest_st {
    struct mlevel lv[WALK_MAX_DEPTH + 1];
    int depth;
    char *path;
    size_t plen;
    size_t mem;
    int hash;
    int hfd;                /* file being hashed */
    struct stat hst;
    struct sha256 ctx;
    struct jbuf line;
    size_t line_off;
    uint64_t entries, bytes_hashed;
    int done;
    int err;
};

static uint8_t g_hbuf[65536];

static int item_cmp(const void *x, const void *y)
{
    const struct mitem *a = x, *b = y;
    int c = paths_manifest_cmp(a->name, a->dir, b->name, b->dir);
    return c ? c : a->dir - b->dir;
}

static void level_free(struct manifest_st *m, struct mlevel *l)
{
    if (l->items) {
        for (size_t i = 0; i < l->n; i++)
            free(l->items[i].name);
        free(l->items);
    }
    if (l->fd >= 0)
        close(l->fd);
    m->mem -= l->mem;
    memset(l, 0, sizeof *l);
    l->fd = -1;
}

static int add_item(struct manifest_st *m, struct mlevel *l, size_t *cap, const char *name, int dir)
{
    size_t nl = strlen(name) + 1;
    if (m->mem + nl + sizeof(struct mitem) > MANIFEST_MAX_NAMES)
        return -EFBIG;
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct mitem *ni = realloc(l->items, nc * sizeof *ni);
        if (!ni)
            return -ENOMEM;
        l->items = ni;
        *cap = nc;
    }
    char *c = malloc(nl);
    if (!c)
        return -ENOMEM;
    memcpy(c, name, nl);
    l->items[l->n].name = c;
    l->items[l->n].dir = dir;
    l->n++;
    l->mem += nl + sizeof(struct mitem);
    m->mem += nl + sizeof(struct mitem);
    return 0;
}

/* enter directory fd (taken over) whose display path is m->path[0..plen) */
static int push_level(struct manifest_st *m, int fd)
{
    if (m->depth > WALK_MAX_DEPTH) {
        close(fd);
        return -ELOOP;
    }
    struct mlevel *l = &m->lv[m->depth];
    memset(l, 0, sizeof *l);
    l->fd = fd;
    l->plen = m->plen;
    m->depth++;
    int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -errno;
    DIR *d = fdopendir(dfd);
    if (!d) {
        int e = errno;
        close(dfd);
        return -e;
    }
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    errno = 0;
    while (!rc && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        int isdir = de->d_type == DT_DIR;
        if (de->d_type == DT_UNKNOWN) {
            struct stat sb;
            isdir = fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
        }
        rc = add_item(m, l, &cap, de->d_name, 0);
        if (!rc && isdir)
            rc = add_item(m, l, &cap, de->d_name, 1);
        errno = 0;
    }
    if (!rc && errno)
        rc = -errno;
    closedir(d);
    if (rc)
        return rc;
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, item_cmp);
    return 0;
}

static void set_path(struct manifest_st *m, size_t base, const char *name)
{
    size_t o = base, nl = strlen(name);
    if (o + 1 + nl + 1 > WALK_MAX_PATH) {
        nl = WALK_MAX_PATH - o - 2;   /* cannot happen within PATH_MAX-sized trees */
    }
    if (o)
        m->path[o++] = '/';
    memcpy(m->path + o, name, nl);
    m->path[o + nl] = 0;
    m->plen = o + nl;
}

static void emit_line(struct manifest_st *m, int dirfd, const char *leaf, const struct stat *sb, const char *hex)
{
    m->line.len = 0;
    m->line.err = 0;
    m->line_off = 0;
    jb_raw(&m->line, "{\"path\":");
    jb_str(&m->line, m->path);
    jb_raw(&m->line, ",");
    fs_json_members(&m->line, sb, dirfd, leaf);
    if (hex) {
        jb_raw(&m->line, ",\"sha256\":\"");
        jb_raw(&m->line, hex);
        jb_raw(&m->line, "\"");
    }
    jb_raw(&m->line, "}\n");
    if (m->line.err) {
        LOGE("manifest: entry too large, skipped");
        m->line.len = 0;
        return;
    }
    m->entries++;
}

/* hash a slice of the open file; 1 when the file is done (line emitted) */
static int hash_slice(struct manifest_st *m, size_t *budget)
{
    while (*budget > 0) {
        ssize_t r = read(m->hfd, g_hbuf, MIN(sizeof g_hbuf, *budget));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            m->err = errno;
            return 1;
        }
        if (r == 0) {
            uint8_t d[32];
            char hex[65];
            m->hst.st_size = (off_t)m->ctx.len;   /* the size of what was hashed */
            sha256_final(&m->ctx, d);
            sha256_hex(d, hex);
            close(m->hfd);
            m->hfd = -1;
            struct mlevel *l = &m->lv[m->depth - 1];
            emit_line(m, l->fd, l->items[l->i - 1].name, &m->hst, hex);
            return 1;
        }
        sha256_update(&m->ctx, g_hbuf, (size_t)r);
        m->bytes_hashed += (uint64_t)r;
        *budget -= (size_t)r;
    }
    return 0;
}

/* advance to the next output line (or start hashing); 0 = progress, 1 = done */
static int next(struct manifest_st *m)
{
    while (m->depth > 0) {
        struct mlevel *l = &m->lv[m->depth - 1];
        if (l->i >= l->n) {
            level_free(m, l);
            m->depth--;
            continue;
        }
        struct mitem *it = &l->items[l->i++];
        set_path(m, l->plen, it->name);
        if (it->dir) {
            int fd = openat(l->fd, it->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == EACCES)
                    continue;   /* changed while walking, or unreadable: its entry was listed */
                m->err = errno;
                return 0;
            }
            int r = push_level(m, fd);
            if (r < 0) {
                m->err = -r;
                return 0;
            }
            continue;
        }
        struct stat sb;
        if (fstatat(l->fd, it->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue;
            m->err = errno;
            return 0;
        }
        if (S_ISREG(sb.st_mode) && m->hash) {
            int fd = openat(l->fd, it->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                if (errno == ENOENT)
                    continue;
                m->err = errno;
                return 0;
            }
            if (fstat(fd, &m->hst) != 0 || !S_ISREG(m->hst.st_mode)) {
                close(fd);
                continue;
            }
            m->hfd = fd;
            sha256_init(&m->ctx);
            return 0;
        }
        emit_line(m, l->fd, it->name, &sb, NULL);
        return 0;
    }
    return 1;
}

static int mf_ready(struct session *s, struct stream *st)
{
    return stream_sendable(s, st, CH_OUT) > 0;
}

static void mf_produce(struct session *s, struct stream *st)
{
    struct manifest_st *m = st->state;
    size_t cap = stream_sendable(s, st, CH_OUT);
    if (cap == 0)
        return;
    uint8_t *dst = outq_reserve(s, cap);
    if (!dst)
        return;
    size_t o = 0, budget = HASH_SLICE;
    while (o < cap && !m->err) {
        if (m->line_off < m->line.len) {
            size_t n = MIN(cap - o, m->line.len - m->line_off);
            memcpy(dst + o, m->line.p + m->line_off, n);
            o += n;
            m->line_off += n;
            continue;
        }
        if (m->hfd >= 0) {
            if (!hash_slice(m, &budget))
                break;   /* slice used up: the loop calls us again */
            continue;
        }
        if (m->done)
            break;
        m->line.len = m->line_off = 0;
        if (next(m))
            m->done = 1;
    }
    if (o > 0) {
        outq_commit(s, FT_DATA, CH_OUT, st->id, o);
        st->out_credit[CH_OUT] -= o;
    }
    if (m->err) {
        stream_finish_error(s, st, "io_error", "manifest: %s: %s", m->path, strerror(m->err));
        return;
    }
    if (m->done && m->line_off >= m->line.len) {
        char res[96];
        snprintf(res, sizeof res, "{\"entries\":%llu,\"bytes_hashed\":%llu}",
                 (unsigned long long)m->entries, (unsigned long long)m->bytes_hashed);
        send_frame(s, FT_EOF, CH_OUT, st->id, NULL, 0);
        stream_finish_result(s, st, res);
    }
}

static void mf_destroy(struct stream *st)
{
    struct manifest_st *m = st->state;
    if (!m)
        return;
    while (m->depth > 0)
        level_free(m, &m->lv[--m->depth]);
    if (m->hfd >= 0)
        close(m->hfd);
    jb_free(&m->line);
    free(m->path);
    free(m);
    st->state = NULL;
}

static const struct op_vtbl manifest_vt = {
    .ready = mf_ready,
    .produce = mf_produce,
    .destroy = mf_destroy,
};

void op_manifest_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    int rc = paths_normalize_request(r->path, rel, sizeof rel);
    if (rc < 0) {
        stream_finish_error(s, st, rc == -1 ? "path_outside_workspace" : "bad_request",
                            rc == -1 ? "%s is outside the workspace" : "%s: path too long", r->path);
        return;
    }
    struct manifest_st *m = calloc(1, sizeof *m);
    if (!m) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    m->hfd = -1;
    m->hash = r->hash;
    for (int i = 0; i <= WALK_MAX_DEPTH; i++)
        m->lv[i].fd = -1;
    jb_init(&m->line, 512 * 1024);
    st->state = m;
    st->vt = &manifest_vt;
    m->path = malloc(WALK_MAX_PATH);
    if (!m->path) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    m->path[0] = 0;
    const char *parent = "", *leaf = ".";
    char buf[4096];
    memcpy(buf, rel, strlen(rel) + 1);
    if (buf[0])
        paths_split(buf, &parent, &leaf);
    int pfd = paths_openat2(g_conf.rootfd, parent, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    struct stat sb;
    if (pfd >= 0 && fstatat(pfd, leaf, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        int e = errno;
        close(pfd);
        pfd = -e;
    }
    if (pfd < 0) {
        stream_finish_error(s, st, pfd == -ENOTDIR ? "not_found" : paths_errcode(-pfd), "%s: %s", r->path, strerror(-pfd));
        return;
    }
    if (S_ISDIR(sb.st_mode)) {
        int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(pfd);
        rc = fd < 0 ? -e : push_level(m, fd);
    } else {
        /* a single non-directory: one entry, its own name (like list) */
        struct mlevel *l = &m->lv[0];
        size_t cap = 0;
        l->fd = pfd;
        m->depth = 1;
        rc = add_item(m, l, &cap, leaf, 0);
    }
    if (rc < 0)
        stream_finish_error(s, st, "io_error", "%s: %s", r->path, strerror(-rc));
}
