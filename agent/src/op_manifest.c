/* manifest: like a recursive list, but in plain byte order of the path (so the
 * host can merge-join it with a baseline) and with the SHA-256 and text class of
 * every regular file, hashed in bounded slices so one big file never stalls the
 * other streams. Unchanged files come from the stat cache (statcache.h).
 * Each directory's names are read and sorted when it is entered; the names held
 * at once are capped (MANIFEST_MAX_NAMES), as is the depth (WALK_MAX_DEPTH). */
#define _GNU_SOURCE
#include "fsinfo.h"
#include "json.h"
#include "log.h"
#include "names.h"
#include "op_common.h"
#include "paths.h"
#include "session.h"
#include "sha256.h"
#include "statcache.h"
#include "util.h"
#include "walk.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
    struct producer p;
    struct mlevel lv[WALK_MAX_DEPTH + 1];
    int depth;
    char *path;
    size_t plen;
    size_t mem;
    int hash;
    int hfd;                /* file being hashed */
    struct stat hst;        /* its stat before reading: the stat cache key */
    struct timespec hashed_at;
    struct sha256 ctx;
    struct textclass tc;
    uint64_t bytes_hashed;
    uint64_t cached;        /* files whose digest came from the stat cache */
    uint32_t gen;           /* stat cache generation of this walk */
    int whole_root;         /* walking the workspace root: the cache may drop what it did not see */
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

/* hash a slice of the open file; 1 when the file is done (line emitted) */
static int hash_slice(struct manifest_st *m, size_t *budget)
{
    while (*budget > 0) {
        ssize_t r = read(m->hfd, g_hbuf, MIN(sizeof g_hbuf, *budget));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            m->p.err = errno;
            return 1;
        }
        if (r == 0) {
            uint8_t d[32];
            char hex[65];
            struct stat after;
            int text = text_result(&m->tc);
            uint64_t hashed = m->ctx.len;
            sha256_final(&m->ctx, d);
            sha256_hex(d, hex);
            /* cached only when nothing moved while it was read */
            if (fstat(m->hfd, &after) == 0 && (uint64_t)after.st_size == hashed &&
                after.st_size == m->hst.st_size && after.st_ctim.tv_sec == m->hst.st_ctim.tv_sec &&
                after.st_ctim.tv_nsec == m->hst.st_ctim.tv_nsec)
                statcache_store(&m->hst, m->gen, d, text, &m->hashed_at);
            m->hst.st_size = (off_t)hashed;   /* the size of what was hashed */
            close(m->hfd);
            m->hfd = -1;
            struct mlevel *l = &m->lv[m->depth - 1];
            producer_entry(&m->p, m->path, &m->hst, l->fd, l->items[l->i - 1].name, hex, text);
            return 1;
        }
        sha256_update(&m->ctx, g_hbuf, (size_t)r);
        text_feed(&m->tc, g_hbuf, (size_t)r);
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
                m->p.err = errno;
                return 0;
            }
            int r = push_level(m, fd);
            if (r < 0) {
                m->p.err = -r;
                return 0;
            }
            continue;
        }
        struct stat sb;
        if (fstatat(l->fd, it->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue;
            m->p.err = errno;
            return 0;
        }
        if (S_ISREG(sb.st_mode) && m->hash) {
            uint8_t d[32];
            int text;
            if (statcache_lookup(&sb, m->gen, d, &text)) {
                char hex[65];
                sha256_hex(d, hex);
                m->cached++;
                producer_entry(&m->p, m->path, &sb, l->fd, it->name, hex, text);
                return 0;
            }
            int fd = openat(l->fd, it->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                if (errno == ENOENT)
                    continue;
                m->p.err = errno;
                return 0;
            }
            if (fstat(fd, &m->hst) != 0 || !S_ISREG(m->hst.st_mode)) {
                close(fd);
                continue;
            }
            m->hfd = fd;
            clock_gettime(CLOCK_REALTIME, &m->hashed_at);
            sha256_init(&m->ctx);
            text_init(&m->tc);
            return 0;
        }
        producer_entry(&m->p, m->path, &sb, l->fd, it->name, NULL, -1);
        return 0;
    }
    return 1;
}

static size_t mf_fill(struct producer *p, uint8_t *dst, size_t cap)
{
    struct manifest_st *m = (struct manifest_st *)p;
    size_t o = 0, budget = HASH_SLICE;
    while (o < cap && !p->err) {
        o += producer_drain(p, dst + o, cap - o);
        if (o == cap)
            break;
        if (m->hfd >= 0) {
            if (!hash_slice(m, &budget))
                break;   /* slice used up: the loop calls us again */
            continue;
        }
        if (p->done)
            break;
        if (next(m)) {
            p->done = 1;
            if (m->whole_root && !p->err)
                statcache_sweep(m->gen);
        }
    }
    return o;
}

static void mf_result(const struct producer *p, struct jbuf *b)
{
    const struct manifest_st *m = (const struct manifest_st *)p;
    jb_raw(b, ",\"bytes_hashed\":");
    jb_u64(b, m->bytes_hashed);
    jb_raw(b, ",\"cached\":");
    jb_u64(b, m->cached);
}

static void mf_release(struct producer *p)
{
    struct manifest_st *m = (struct manifest_st *)p;
    while (m->depth > 0)
        level_free(m, &m->lv[--m->depth]);
    if (m->hfd >= 0)
        close(m->hfd);
    free(m->path);
}

static const struct producer_ops manifest_ops = { "manifest", mf_fill, mf_result, mf_release };

void op_manifest_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096], buf[4096];
    struct manifest_st *m = producer_open(s, st, r->path, rel, sizeof rel, sizeof *m, &manifest_ops);
    if (!m)
        return;
    m->hfd = -1;
    m->hash = r->hash;
    m->gen = statcache_begin();
    for (int i = 0; i <= WALK_MAX_DEPTH; i++)
        m->lv[i].fd = -1;
    m->path = malloc(WALK_MAX_PATH);
    if (!m->path) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    m->path[0] = 0;
    m->p.err_path = m->path;
    const char *leaf;
    struct stat sb;
    int pfd = op_lstat(s, st, r->path, rel, buf, sizeof buf, &leaf, &sb);
    if (pfd < 0)
        return;
    int rc;
    if (S_ISDIR(sb.st_mode)) {
        int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(pfd);
        rc = fd < 0 ? -e : push_level(m, fd);
        m->whole_root = rel[0] == 0;
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
