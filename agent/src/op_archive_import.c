/* archive_import: the streaming tar reader is fed by channel-0 DATA as it
 * arrives; each entry is created beneath dest without ever following a symlink:
 * the parent is resolved with openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|
 * RESOLVE_NO_MAGICLINKS) and the leaf is created with O_EXCL|O_NOFOLLOW (an
 * existing non-directory leaf is unlinked first, never written through). */
#define _GNU_SOURCE
#include "log.h"
#include "paths.h"
#include "session.h"
#include "staging.h"
#include "wsdisk.h"
#include "tar.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMP_RESOLVE (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
#define DEFER_ARENA (1u << 20)   /* directory modes/mtimes applied at the end, bounded */

enum { IMP_ERR_UNSAFE = 1, IMP_ERR_IO = 2 };

struct deferred {
    uint32_t mode;
    int64_t mtime;
    uint32_t nsec;
    uint32_t len;    /* path bytes follow (NUL-terminated) */
};

struct import_st {
    int destfd;
    struct tar_reader tr;
    unsigned strip;
    int filefd;
    uint32_t file_mode;
    struct timespec file_times[2];
    uint64_t entries, bytes;
    int cache_fd;            /* parent directory cache: consecutive entries usually share it */
    char cache_path[TAR_NAME_MAX + 1];
    uint8_t *defer;
    size_t defer_len;
    char errcode[32];
    char errmsg[TAR_NAME_MAX + 128];
    /* atomic: entries go to staging/<stage_name>; dest (rel) is created and
     * merged into only after the whole archive was read and validated */
    int atomic;
    char stage_name[64];
    char dest_rel[4096];
    int checkfd;             /* O_PATH fd of the existing dest (-1 if dest does not exist yet) */
    /* explicit directory entries that will replace a non-directory in dest:
     * entries below them are new, not "through a symlink" (bounded) */
    char *replaced;
    size_t replaced_len;
};

#define REPLACED_MAX (256u << 10)

static int fail(struct import_st *im, const char *code, const char *fmt, const char *name, int err);

#define PYRO_STR_(x) #x
#define PYRO_STR(x) PYRO_STR_(x)

/* A dest that cannot be used: the code and a message that says why. */
static void dest_failed(struct session *s, struct stream *st, const char *dest, int err, const char *why)
{
    if (err == EXDEV || err == ELOOP)
        stream_finish_error(s, st, "path_outside_workspace", "dest %s leads outside the workspace%s%s", dest,
                            why[0] ? ": " : " (through '..' or a symbolic link)", why);
    else if (err == ENAMETOOLONG)
        stream_finish_error(s, st, "invalid_argument", "dest %.300s: a name longer than %d bytes or a path "
                            "longer than %d", dest, PATHS_NAME_MAX, PATHS_MAX - 1);
    else if (err == ENOTDIR)
        stream_finish_error(s, st, "io_error", "dest %s: a parent is not a directory", dest);
    else
        stream_finish_error(s, st, paths_errcode(err), "dest %s: %s", dest, strerror(err));
}

/* Too long for the file system: a component over NAME_MAX, or more than PATH_MAX in all. */
static int name_too_long(const char *rel)
{
    size_t run = 0;
    for (const char *p = rel; *p; p++) {
        run = *p == '/' ? 0 : run + 1;
        if (run > PATHS_NAME_MAX)
            return 1;
    }
    return strlen(rel) >= PATHS_MAX;
}


static int is_replaced(struct import_st *im, const char *prefix)
{
    for (size_t o = 0; o < im->replaced_len; o += strlen(im->replaced + o) + 1)
        if (!strcmp(im->replaced + o, prefix))
            return 1;
    return 0;
}

/* atomic: would creating parent beneath the existing dest pass through a symlink
 * or a file there? (what the non-atomic import refuses while unpacking) */
static int check_dest_parent(struct import_st *im, const char *name, const char *parent)
{
    if (im->checkfd < 0 || !parent[0])
        return 0;
    int fd = paths_openat2(im->checkfd, parent, O_PATH | O_DIRECTORY, IMP_RESOLVE);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (fd == -ENOENT || (fd != -ELOOP && fd != -EXDEV && fd != -ENOTDIR))
        return 0;
    /* find the first prefix that is not a directory in dest */
    char prefix[TAR_NAME_MAX + 1];
    size_t len = strlen(parent);
    for (size_t e = 0; e <= len; e++) {
        if (parent[e] != '/' && parent[e] != 0)
            continue;
        memcpy(prefix, parent, e);
        prefix[e] = 0;
        const char *pp, *leaf;
        char split[TAR_NAME_MAX + 1];
        memcpy(split, prefix, e + 1);
        paths_split(split, &pp, &leaf);
        int pfd = paths_openat2(im->checkfd, pp, O_PATH | O_DIRECTORY, IMP_RESOLVE);
        if (pfd < 0)
            return 0;   /* an earlier prefix was replaced or is missing */
        struct stat sb;
        int r = fstatat(pfd, leaf, &sb, AT_SYMLINK_NOFOLLOW);
        close(pfd);
        if (r != 0)
            return 0;   /* missing in dest: everything below is new */
        if (S_ISDIR(sb.st_mode))
            continue;
        if (is_replaced(im, prefix))
            return 0;
        if (S_ISLNK(sb.st_mode))
            return fail(im, "unsafe_archive_entry", "%s: path passes through a symlink", name, 0);
        return fail(im, "io_error", "%s: %s", name, ENOTDIR);
    }
    return 0;
}

static int note_replaced(struct import_st *im, const char *name, const char *path)
{
    if (im->checkfd < 0)
        return 0;
    struct stat sb;
    if (fstatat(im->checkfd, path, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode))
        return 0;
    size_t l = strlen(path) + 1;
    if (!im->replaced)
        im->replaced = malloc(REPLACED_MAX);
    if (!im->replaced || im->replaced_len + l > REPLACED_MAX)
        return fail(im, "io_error", "%s: too many entries change type (atomic import)", name, 0);
    memcpy(im->replaced + im->replaced_len, path, l);
    im->replaced_len += l;
    return 0;
}

static unsigned g_stage_seq;

static int fail(struct import_st *im, const char *code, const char *fmt, const char *name, int err)
{
    snprintf(im->errcode, sizeof im->errcode, "%s", code);
    if (err)
        snprintf(im->errmsg, sizeof im->errmsg, fmt, name, strerror(err));
    else
        snprintf(im->errmsg, sizeof im->errmsg, fmt, name);
    return !strcmp(code, "unsafe_archive_entry") ? IMP_ERR_UNSAFE : IMP_ERR_IO;
}

static void drop_cache(struct import_st *im)
{
    if (im->cache_fd >= 0)
        close(im->cache_fd);
    im->cache_fd = -1;
    im->cache_path[0] = 0;
}

/* O_PATH fd of parent (created if missing), or -errno */
static int open_parent(struct import_st *im, const char *parent)
{
    if (im->cache_fd >= 0 && !strcmp(parent, im->cache_path))
        return im->cache_fd;
    drop_cache(im);
    int fd = paths_mkdirs(im->destfd, parent, RESOLVE_NO_SYMLINKS);
    if (fd < 0)
        return fd;
    im->cache_fd = fd;
    snprintf(im->cache_path, sizeof im->cache_path, "%s", parent);
    return fd;
}

/* make room for a new leaf: unlink an existing non-directory (never follow it) */
static int clear_leaf(int pfd, const char *leaf, int keep_dir)
{
    struct stat sb;
    if (fstatat(pfd, leaf, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -errno;
    if (S_ISDIR(sb.st_mode)) {
        if (keep_dir)
            return 1;
        if (unlinkat(pfd, leaf, AT_REMOVEDIR) != 0)
            return -errno;
        return 0;
    }
    if (unlinkat(pfd, leaf, 0) != 0)
        return -errno;
    return 0;
}

static void defer_dir(struct import_st *im, const char *path, const struct tar_entry *e, int dirfd)
{
    size_t pl = strlen(path);
    size_t need = sizeof(struct deferred) + pl + 1;
    need = (need + 7) & ~(size_t)7;
    if (!im->defer)
        im->defer = malloc(DEFER_ARENA);
    if (im->defer && im->defer_len + need <= DEFER_ARENA) {
        struct deferred *d = (struct deferred *)(im->defer + im->defer_len);
        d->mode = e->mode & 0777;
        d->mtime = e->mtime;
        d->nsec = e->mtime_nsec;
        d->len = (uint32_t)need;
        memcpy(d + 1, path, pl + 1);
        im->defer_len += need;
        return;
    }
    /* arena full: apply now (mtime may be bumped by later entries) */
    struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)e->mtime, (long)e->mtime_nsec } };
    fchmod(dirfd, e->mode & 0777);
    futimens(dirfd, ts);
}

static void apply_deferred(struct import_st *im)
{
    /* walk records in reverse so children are done before parents */
    size_t n = 0, off = 0;
    while (off < im->defer_len) {
        n++;
        off += ((struct deferred *)(im->defer + off))->len;
    }
    size_t *offs = n ? malloc(n * sizeof *offs) : NULL;
    if (n && !offs)
        return;
    off = 0;
    for (size_t i = 0; i < n; i++) {
        offs[i] = off;
        off += ((struct deferred *)(im->defer + off))->len;
    }
    for (size_t i = n; i-- > 0;) {
        struct deferred *d = (struct deferred *)(im->defer + offs[i]);
        int fd = paths_openat2(im->destfd, (const char *)(d + 1), O_RDONLY | O_DIRECTORY | O_NOFOLLOW, IMP_RESOLVE);
        if (fd < 0)
            continue;
        struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)d->mtime, (long)d->nsec } };
        fchmod(fd, d->mode);
        futimens(fd, ts);
        close(fd);
    }
    free(offs);
}

static int map_parent_err(struct import_st *im, const char *name, int err)
{
    if (err == ELOOP || err == EXDEV)
        return fail(im, "unsafe_archive_entry", "%s: path passes through a symlink", name, 0);
    return fail(im, "io_error", "%s: %s", name, err);
}

static int on_entry(void *ctx, const struct tar_entry *e)
{
    struct import_st *im = ctx;
    char name[TAR_NAME_MAX + 1];
    int rc = tar_name_normalize(e->name, im->strip, name, sizeof name);
    if (rc == -1)
        return fail(im, "unsafe_archive_entry", "%s: absolute path, '..' component or empty name", e->name, 0);
    if (rc == 1)
        return 0;   /* stripped away entirely */
    if (rc == -2 || name_too_long(name) || strlen(im->dest_rel) + 1 + strlen(name) >= PATHS_MAX)
        return fail(im, "invalid_argument", "%.1024s: a name longer than " PYRO_STR(PATHS_NAME_MAX)
                    " bytes or a path longer than " PYRO_STR(PATHS_MAX) " bytes with the destination "
                    "(the file system's limits)", e->name, 0);
    if (e->type == '2' && strlen(e->linkname) >= PATHS_MAX)
        return fail(im, "invalid_argument", "%.1024s: a symbolic link target longer than " PYRO_STR(PATHS_MAX)
                    " bytes", e->name, 0);
    if (im->atomic) {
        int depth = 1;
        for (const char *q = name; *q; q++)
            depth += *q == '/';
        if (depth > STAGING_MAX_DEPTH)
            return fail(im, "malformed_archive", "%s: deeper than " "128" " levels (atomic import)", e->name, 0);
    }

    char type = e->type;
    if (type == '3' || type == '4' || type == '6')
        return fail(im, "unsafe_archive_entry", "%s: device nodes and FIFOs are refused", e->name, 0);
    if (type != '0' && type != '1' && type != '2' && type != '5') {
        snprintf(im->errcode, sizeof im->errcode, "malformed_archive");
        snprintf(im->errmsg, sizeof im->errmsg, "%.4000s: unsupported entry type '%c'", e->name,
                 type >= 0x20 && type < 0x7f ? type : '?');
        return IMP_ERR_IO;
    }
    if (!name[0]) {
        /* "." or "./": dest itself, which already exists as a directory */
        if (type != '5')
            return fail(im, "unsafe_archive_entry", "%s: would replace the destination", e->name, 0);
        im->entries++;
        return 0;
    }

    char split[TAR_NAME_MAX + 1];
    memcpy(split, name, strlen(name) + 1);
    const char *parent, *leaf;
    paths_split(split, &parent, &leaf);
    if (im->atomic && strcmp(parent, im->cache_path) && (rc = check_dest_parent(im, e->name, parent)) != 0)
        return rc;
    if (im->atomic && type == '5' && (rc = note_replaced(im, e->name, name)) != 0)
        return rc;
    int pfd = open_parent(im, parent);
    if (pfd < 0)
        return map_parent_err(im, e->name, -pfd);

    struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)e->mtime, (long)e->mtime_nsec } };
    int r;
    switch (type) {
    case '0': {
        if ((r = clear_leaf(pfd, leaf, 0)) < 0)
            return fail(im, "io_error", "%s: %s", e->name, -r);
        int fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return fail(im, "io_error", "%s: %s", e->name, errno);
        im->filefd = fd;
        im->file_mode = e->mode & 0777;   /* setuid/setgid/sticky dropped */
        im->file_times[0] = ts[0];
        im->file_times[1] = ts[1];
        break;
    }
    case '5': {
        drop_cache(im);   /* the tree changes shape: re-resolve parents from dest */
        pfd = open_parent(im, parent);
        if (pfd < 0)
            return map_parent_err(im, e->name, -pfd);
        if ((r = clear_leaf(pfd, leaf, 1)) < 0)
            return fail(im, "io_error", "%s: %s", e->name, -r);
        if (r == 0 && mkdirat(pfd, leaf, 0700) != 0 && errno != EEXIST)
            return fail(im, "io_error", "%s: %s", e->name, errno);
        int dfd = paths_openat2(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, IMP_RESOLVE);
        if (dfd < 0)
            return map_parent_err(im, e->name, -dfd);
        /* writable for us until the end, final mode and mtime applied then */
        fchmod(dfd, (e->mode & 0777) | 0700);
        defer_dir(im, name, e, dfd);
        close(dfd);
        break;
    }
    case '2':
        drop_cache(im);
        pfd = open_parent(im, parent);
        if (pfd < 0)
            return map_parent_err(im, e->name, -pfd);
        if ((r = clear_leaf(pfd, leaf, 0)) < 0)
            return fail(im, "io_error", "%s: %s", e->name, -r);
        if (symlinkat(e->linkname, pfd, leaf) != 0)
            return fail(im, "io_error", "%s: %s", e->name, errno);
        utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW);
        break;
    case '1': {
        char tname[TAR_NAME_MAX + 1];
        rc = tar_name_normalize(e->linkname, im->strip, tname, sizeof tname);
        if (rc != 0 || !tname[0])
            return fail(im, "unsafe_archive_entry", "%s: hard link target outside the destination", e->name, 0);
        const char *tparent, *tleaf;
        paths_split(tname, &tparent, &tleaf);
        int tfd = paths_openat2(im->destfd, tparent, O_PATH | O_DIRECTORY, IMP_RESOLVE);
        if (tfd < 0) {
            if (tfd == -ENOENT)
                return fail(im, "unsafe_archive_entry", "%s: hard link target is not in the archive", e->name, 0);
            return map_parent_err(im, e->name, -tfd);
        }
        struct stat tsb;
        if (fstatat(tfd, tleaf, &tsb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(tsb.st_mode)) {
            close(tfd);
            return fail(im, "unsafe_archive_entry", "%s: hard link target is not a file in the destination", e->name, 0);
        }
        if ((r = clear_leaf(pfd, leaf, 0)) < 0) {
            close(tfd);
            return fail(im, "io_error", "%s: %s", e->name, -r);
        }
        r = linkat(tfd, tleaf, pfd, leaf, 0);   /* no AT_SYMLINK_FOLLOW */
        int err = errno;
        close(tfd);
        if (r != 0)
            return fail(im, "io_error", "%s: %s", e->name, err);
        break;
    }
    }
    im->entries++;
    return 0;
}

static int on_data(void *ctx, const uint8_t *p, size_t n)
{
    struct import_st *im = ctx;
    if (im->filefd < 0)
        return 0;   /* payload of an entry skipped by strip_components */
    while (n > 0) {
        ssize_t w = write(im->filefd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fail(im, "io_error", "write: %s%s", "", w < 0 ? errno : ENOSPC);
        p += w;
        n -= (size_t)w;
        im->bytes += (uint64_t)w;
    }
    return 0;
}

static int on_entry_end(void *ctx)
{
    struct import_st *im = ctx;
    if (im->filefd < 0)
        return 0;
    fchmod(im->filefd, im->file_mode);
    futimens(im->filefd, im->file_times);
    int r = close(im->filefd);
    im->filefd = -1;
    if (r != 0)
        return fail(im, "io_error", "close: %s%s", "", errno);
    return 0;
}

static const struct tar_cb import_cb = { on_entry, on_data, on_entry_end };

static void finish_failed(struct session *s, struct stream *st, int rc)
{
    struct import_st *im = st->state;
    if (rc == TAR_ERR_MALFORMED)
        stream_finish_error(s, st, "malformed_archive", "%s", im->tr.err);
    else if (rc == TAR_ERR_TOO_LONG)
        stream_finish_error(s, st, "invalid_argument", "%s (the file system's limit is %d)", im->tr.err, PATHS_MAX);
    else
        stream_finish_error(s, st, im->errcode[0] ? im->errcode : "internal", "%s", im->errmsg);
}

static void im_on_data(struct session *s, struct stream *st, const uint8_t *p, size_t n)
{
    struct import_st *im = st->state;
    int rc = tar_feed(&im->tr, p, n, &import_cb, im);
    if (rc) {
        finish_failed(s, st, rc);
        return;
    }
    stream_consumed(s, st, n);   /* written to disk: the host may send more */
}

/* atomic: everything is staged and valid; create dest and move the staged tree in */
static int commit(struct session *s, struct stream *st)
{
    struct import_st *im = st->state;
    int dfd = paths_mkdirs(g_conf.commit_rootfd, im->dest_rel, RESOLVE_NO_SYMLINKS);
    if (dfd < 0) {
        char dest[PATHS_MAX + 16];
        snprintf(dest, sizeof dest, "/workspace%s%s", im->dest_rel[0] ? "/" : "", im->dest_rel);
        dest_failed(s, st, dest, -dfd, "");
        return -1;
    }
    int dst = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int src = openat(im->destfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char err[4400];
    int rc = dst < 0 || src < 0 ? -errno : staging_merge(src, dst, err, sizeof err);
    if (dst < 0 || src < 0)
        snprintf(err, sizeof err, "open: %s", strerror(-rc));
    if (src >= 0)
        close(src);
    if (dst >= 0)
        close(dst);
    if (rc < 0) {
        close(dfd);
        stream_finish_error(s, st, "io_error", "commit of atomic import: %s", err);
        return -1;
    }
    /* directory modes/mtimes are applied to the committed tree */
    close(im->destfd);
    im->destfd = dfd;
    return 0;
}

static void im_on_eof(struct session *s, struct stream *st)
{
    struct import_st *im = st->state;
    int rc = tar_finish(&im->tr);
    if (rc) {
        finish_failed(s, st, rc);
        return;
    }
    drop_cache(im);
    if (im->atomic && commit(s, st) < 0)
        return;
    apply_deferred(im);
    char res[128];
    snprintf(res, sizeof res, "{\"entries\":%llu,\"bytes\":%llu%s}",
             (unsigned long long)im->entries, (unsigned long long)im->bytes,
             im->atomic ? ",\"atomic\":true" : "");
    stream_finish_result(s, st, res);
}

static void im_on_cancel(struct session *s, struct stream *st)
{
    stream_finish_error(s, st, "cancelled", "archive import cancelled");
}

static void im_destroy(struct stream *st)
{
    struct import_st *im = st->state;
    if (!im)
        return;
    if (im->filefd >= 0)
        close(im->filefd);
    drop_cache(im);
    if (im->destfd >= 0)
        close(im->destfd);
    if (im->checkfd >= 0)
        close(im->checkfd);
    free(im->replaced);
    if (im->stage_name[0]) {
        int r = rmtree_at(g_conf.staging_fd, im->stage_name);
        if (r < 0)
            LOGE("removing staging %s/%s: %s", g_conf.staging, im->stage_name, strerror(-r));
    }
    tar_reader_free(&im->tr);
    free(im->defer);
    free(im);
    st->state = NULL;
}

static const struct op_vtbl import_vt = {
    .on_data = im_on_data,
    .on_eof = im_on_eof,
    .on_cancel = im_on_cancel,
    .destroy = im_destroy,
};

static void start_atomic(struct session *s, struct stream *st, struct request *r, const char *rel)
{
    if (g_conf.staging_fd < 0) {
        stream_finish_error(s, st, "io_error", "atomic import unavailable: no staging directory");
        return;
    }
    /* dest is created at commit; now only check that what exists of it is usable */
    int fd = paths_openat2(g_conf.commit_rootfd, rel, O_PATH | O_DIRECTORY,
                           RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS);
    if (fd < 0 && fd != -ENOENT) {
        dest_failed(s, st, r->path, -fd, "");
        return;
    }
    struct import_st *im = calloc(1, sizeof *im);
    if (!im) {
        if (fd >= 0)
            close(fd);
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    im->checkfd = fd;
    im->destfd = -1;
    im->filefd = -1;
    im->cache_fd = -1;
    im->strip = r->strip;
    im->atomic = 1;
    snprintf(im->dest_rel, sizeof im->dest_rel, "%s", rel);
    tar_reader_init(&im->tr);
    st->state = im;
    st->vt = &import_vt;
    char name[64];
    snprintf(name, sizeof name, "imp-%d-%u", (int)getpid(), ++g_stage_seq);
    if (mkdirat(g_conf.staging_fd, name, 0700) != 0) {
        stream_finish_error(s, st, "io_error", "staging %s/%s: %s", g_conf.staging, name, strerror(errno));
        return;
    }
    snprintf(im->stage_name, sizeof im->stage_name, "%s", name);
    im->destfd = paths_openat2(g_conf.staging_fd, name, O_PATH | O_DIRECTORY, IMP_RESOLVE);
    if (im->destfd < 0)
        stream_finish_error(s, st, "io_error", "staging %s/%s: %s", g_conf.staging, name, strerror(-im->destfd));
}

void op_import_start(struct session *s, struct stream *st, struct request *r)
{
    char given[PATHS_MAX], rel[PATHS_MAX], why[PATHS_MAX + 128];
    if (g_wsdisk_frozen) {
        /* writing now would block the agent's loop until the freeze ends */
        stream_finish_error(s, st, "io_error", "the workspace disk is frozen for a snapshot; retry when it is thawed");
        return;
    }
    int rc = paths_normalize_request(r->path, given, sizeof given);
    if (rc == -1) {
        stream_finish_error(s, st, "path_outside_workspace", "dest %s is outside the workspace", r->path);
        return;
    }
    if (rc < 0 || name_too_long(given)) {
        dest_failed(s, st, r->path, ENAMETOOLONG, "");
        return;
    }
    /* symbolic links along dest are followed as the guest would, as long as they
     * stay inside the workspace; the result is then opened without following any */
    rc = paths_resolve_links(g_conf.rootfd, given, rel, sizeof rel, why, sizeof why);
    if (rc < 0) {
        dest_failed(s, st, r->path, -rc, why);
        return;
    }
    if (r->atomic) {
        start_atomic(s, st, r, rel);
        return;
    }
    int fd = paths_mkdirs(g_conf.rootfd, rel, RESOLVE_NO_SYMLINKS);
    if (fd < 0) {
        dest_failed(s, st, r->path, -fd, "");
        return;
    }
    struct import_st *im = calloc(1, sizeof *im);
    if (!im) {
        close(fd);
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    im->destfd = fd;
    im->checkfd = -1;
    im->filefd = -1;
    im->cache_fd = -1;
    im->strip = r->strip;
    snprintf(im->dest_rel, sizeof im->dest_rel, "%s", rel);
    tar_reader_init(&im->tr);
    st->state = im;
    st->vt = &import_vt;
}
