/* archive_export: a tar writer over the iterative walker. Bytes are produced
 * only when the host has granted credit, straight into the outbound queue, so
 * memory stays bounded whatever the tree size. Only files, directories and
 * symlinks are exported: a special file as the target is refused, one inside an
 * exported directory is skipped and reported in the RESULT. */
#define _GNU_SOURCE
#include "json.h"
#include "log.h"
#include "names.h"
#include "op_common.h"
#include "paths.h"
#include "session.h"
#include "tar.h"
#include "util.h"
#include "walk.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EX_WALK = 0, EX_TRAILER, EX_DONE };

struct export_st {
    struct producer p;
    struct walker w;
    uint8_t *hdr;
    size_t hdr_cap, hdr_len, hdr_off;
    int filefd;
    uint64_t file_rem;
    uint32_t pad;
    int phase;
    uint32_t trailer_rem;
    uint64_t bytes;
    const char *root_type;
    /* "paths": only these entries, resolved beneath basefd (the exported directory) */
    char **paths;
    size_t npaths, pi;
    int basefd;
    char prefix[4096];
    struct jbuf missing;
    uint64_t nmissing;
    /* special files (FIFOs, sockets, devices) left out of a directory export */
    struct jbuf skipped;
    uint64_t nskipped;
};

#define SKIPPED_LISTED 100   /* names of skipped entries in the RESULT; the count is exact */

static void add_missing(struct export_st *x, const char *p)
{
    jb_raw(&x->missing, x->nmissing ? "," : "");
    jb_name_value(&x->missing, p, strlen(p));
    x->nmissing++;
}

static void add_skipped(struct export_st *x, const char *name)
{
    if (x->nskipped++ >= SKIPPED_LISTED)
        return;
    jb_raw(&x->skipped, x->nskipped > 1 ? "," : "");
    jb_name_value(&x->skipped, name, strlen(name));
}

/* next selected path as a walk entry; 1 = entry (parent fd in *pfd, to close), 0 = none left */
static int next_selected(struct export_st *x, struct walk_entry *e, int *pfd, char *namebuf, size_t namesz)
{
    static char leafbuf[4096];
    while (x->pi < x->npaths) {
        const char *p = x->paths[x->pi++];
        char rel[4096], split[4096];
        const char *leaf;
        memset(e, 0, sizeof *e);
        if (paths_normalize_relative(p, rel, sizeof rel) != 0) {
            add_missing(x, p);   /* validated at start; cannot happen */
            continue;
        }
        /* never through a symlink: what manifest reports is what is exported */
        int fd = paths_lstat_beneath(x->basefd, rel, RESOLVE_NO_SYMLINKS, split, sizeof split, &leaf, &e->st);
        if (fd < 0) {
            add_missing(x, p);
            continue;
        }
        snprintf(namebuf, namesz, "%s/%s", x->prefix, rel);
        snprintf(leafbuf, sizeof leafbuf, "%s", leaf);
        e->name = namebuf;
        e->leaf = leafbuf;
        e->dirfd = fd;
        *pfd = fd;
        return 1;
    }
    return 0;
}

/* prepare the next entry's header (and open its file); returns 0 or -errno */
static int entry_header(struct export_st *x, struct walk_entry *ep);

static int next_entry(struct export_st *x)
{
    for (;;) {
        struct walk_entry e;
        int selfd = -1;
        static char selname[WALK_MAX_PATH];
        int r = x->paths ? next_selected(x, &e, &selfd, selname, sizeof selname) : walk_next(&x->w, &e);
        if (r < 0)
            return r;
        if (r == 0) {
            x->phase = EX_TRAILER;
            x->trailer_rem = 2 * TAR_BLOCK;
            return 0;
        }
        r = entry_header(x, &e);
        if (selfd >= 0)
            close(selfd);
        if (r == 1)
            continue;
        return r;
    }
}

/* header (and open file) for one entry: 0, 1 = skip it, -errno */
static int entry_header(struct export_st *x, struct walk_entry *ep)
{
    const struct walk_entry e = *ep;
    mode_t m = e.st.st_mode;
    if (e.is_root)
        x->root_type = S_ISREG(m) ? "file" : S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symlink" : "other";
    char name[WALK_MAX_PATH + 2];
    size_t nl = strlen(e.name);
    memcpy(name, e.name, nl + 1);
    char link[4097];
    const char *linkp = NULL;
    uint64_t size = 0;
    char type;
    int64_t mtime = (int64_t)e.st.st_mtim.tv_sec;
    uint32_t mode = e.st.st_mode & 07777;
    if (S_ISREG(m)) {
        int fd = openat(e.dirfd, e.leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT)
                return 1;
            return -errno;
        }
        struct stat fst;
        if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
            close(fd);
            return 1;
        }
        x->filefd = fd;
        size = (uint64_t)fst.st_size;
        mtime = (int64_t)fst.st_mtim.tv_sec;
        mode = fst.st_mode & 07777;
        type = '0';
    } else if (S_ISDIR(m)) {
        name[nl] = '/';
        name[nl + 1] = 0;
        type = '5';
    } else if (S_ISLNK(m)) {
        ssize_t n = readlinkat(e.dirfd, e.leaf, link, sizeof link - 1);
        if (n < 0) {
            if (errno == ENOENT)
                return 1;
            return -errno;
        }
        link[n] = 0;
        linkp = link;
        type = '2';
    } else {
        /* a selected path that is special is not exportable: like a missing one */
        if (x->paths)
            add_missing(x, x->paths[x->pi - 1]);
        else
            add_skipped(x, e.name);
        return 1;
    }
    long hl = tar_build_header(x->hdr, x->hdr_cap, name, linkp, type, mode, size, mtime);
    if (hl < 0) {
        if (x->filefd >= 0) {
            close(x->filefd);
            x->filefd = -1;
        }
        return -ENAMETOOLONG;
    }
    x->hdr_len = (size_t)hl;
    x->hdr_off = 0;
    x->file_rem = size;
    x->pad = (uint32_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
    x->p.entries++;
    return 0;
}

static size_t ex_fill(struct producer *p, uint8_t *dst, size_t cap)
{
    struct export_st *x = (struct export_st *)p;
    size_t o = 0;
    while (o < cap) {
        if (x->hdr_off < x->hdr_len) {
            size_t n = MIN(cap - o, x->hdr_len - x->hdr_off);
            memcpy(dst + o, x->hdr + x->hdr_off, n);
            x->hdr_off += n;
            o += n;
        } else if (x->file_rem > 0) {
            size_t want = (size_t)MIN((uint64_t)(cap - o), x->file_rem);
            ssize_t r = x->filefd >= 0 ? read(x->filefd, dst + o, want) : 0;
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                /* the file shrank (or failed) after its header went out: pad with
                 * zeros so the archive stays well-formed */
                memset(dst + o, 0, want);
                r = (ssize_t)want;
            }
            o += (size_t)r;
            x->file_rem -= (uint64_t)r;
            x->bytes += (uint64_t)r;
        } else if (x->pad > 0) {
            size_t n = MIN(cap - o, (size_t)x->pad);
            memset(dst + o, 0, n);
            x->pad -= (uint32_t)n;
            o += n;
        } else if (x->filefd >= 0) {
            close(x->filefd);
            x->filefd = -1;
        } else if (x->phase == EX_WALK) {
            int r = next_entry(x);
            if (r < 0) {
                p->err = -r;
                break;
            }
        } else if (x->phase == EX_TRAILER) {
            size_t n = MIN(cap - o, (size_t)x->trailer_rem);
            memset(dst + o, 0, n);
            x->trailer_rem -= (uint32_t)n;
            o += n;
            if (x->trailer_rem == 0) {
                x->phase = EX_DONE;
                p->done = 1;
            }
        } else {
            break;
        }
    }
    return o;
}

static void ex_result(const struct producer *p, struct jbuf *b)
{
    const struct export_st *x = (const struct export_st *)p;
    jb_raw(b, ",\"bytes\":");
    jb_u64(b, x->bytes);
    jb_raw(b, ",\"type\":");
    jb_str(b, x->root_type);
    if (x->paths) {
        jb_raw(b, ",\"missing\":[");
        if (x->missing.len)
            jb_mem(b, x->missing.p, x->missing.len);
        jb_raw(b, "]");
        b->err |= x->missing.err;
    } else {
        jb_raw(b, ",\"skipped\":");
        jb_u64(b, x->nskipped);
        jb_raw(b, ",\"skipped_paths\":[");
        if (x->skipped.len)
            jb_mem(b, x->skipped.p, x->skipped.len);
        jb_raw(b, "]");
        b->err |= x->skipped.err;
    }
}

static void ex_release(struct producer *p)
{
    struct export_st *x = (struct export_st *)p;
    walk_close(&x->w);
    if (x->filefd >= 0)
        close(x->filefd);
    if (x->basefd >= 0)
        close(x->basefd);
    if (x->paths) {
        for (size_t i = 0; i < x->npaths; i++)
            free(x->paths[i]);
        free(x->paths);
    }
    jb_free(&x->missing);
    jb_free(&x->skipped);
    free(x->hdr);
}

static const struct producer_ops export_ops = { "export", ex_fill, ex_result, ex_release };

static void start_selected(struct session *s, struct stream *st, struct export_st *x, struct request *r,
                           const char *rel, const char *prefix)
{
    for (size_t i = 0; i < r->npaths; i++) {
        char tmp[4096];
        int rc = paths_normalize_relative(r->paths[i], tmp, sizeof tmp);
        if (rc != 0) {
            stream_finish_error(s, st, rc == -1 ? "path_outside_workspace" : "bad_request",
                                "paths[%zu] %s: %s", i, r->paths[i],
                                rc == -1 ? "must be relative and stay beneath path" : "too long");
            return;
        }
    }
    x->basefd = paths_openat2(g_conf.rootfd, rel, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (x->basefd < 0) {
        int e = -x->basefd;
        stream_finish_error(s, st, e == ENOTDIR ? "bad_request" : paths_errcode(e), "%s: %s%s", r->path,
                            strerror(e), e == ENOTDIR ? " (paths needs a directory)" : "");
        return;
    }
    snprintf(x->prefix, sizeof x->prefix, "%s", prefix);
    jb_init(&x->missing, 512 * 1024);
    x->paths = r->paths;   /* taken over from the request */
    x->npaths = r->npaths;
    r->paths = NULL;
    r->npaths = 0;
    x->root_type = "directory";
    /* walker unused: make walk_close harmless */
    x->w.parentfd = -1;
}

void op_export_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    struct export_st *x = producer_open(s, st, r->path, rel, sizeof rel, sizeof *x, &export_ops);
    if (!x)
        return;
    x->filefd = -1;
    x->basefd = -1;
    x->w.parentfd = -1;   /* walk_close before walk_open must not close fd 0 */
    x->root_type = "other";
    x->hdr_cap = tar_header_bound(WALK_MAX_PATH + 2, 4097);
    x->hdr = malloc(x->hdr_cap);
    if (!x->hdr) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    /* names are relative to the parent of path; the root itself exports as "./..." */
    const char *slash = strrchr(rel, '/');
    const char *prefix = rel[0] ? (slash ? slash + 1 : rel) : ".";
    if (r->paths) {
        start_selected(s, st, x, r, rel, prefix);
        return;
    }
    int rc = walk_open(&x->w, g_conf.rootfd, rel, prefix, 1);
    if (rc < 0) {
        op_finish_errno(s, st, r->path, -rc);
        return;
    }
    struct stat sb;
    if (fstatat(x->w.parentfd, x->w.root_leaf, &sb, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(sb.st_mode) &&
        !S_ISDIR(sb.st_mode) && !S_ISLNK(sb.st_mode)) {
        stream_finish_error(s, st, "unsafe_archive_entry", "%s is a %s: only files, directories and symbolic "
                            "links can be exported", r->path, S_ISFIFO(sb.st_mode) ? "FIFO"
                            : S_ISSOCK(sb.st_mode) ? "socket" : "device node");
        return;
    }
    jb_init(&x->skipped, 64 * 1024);
}
