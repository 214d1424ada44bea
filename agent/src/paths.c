#define _GNU_SOURCE
#include "paths.h"
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct pyro_open_how {   /* struct open_how from linux/openat2.h (musl has no kernel headers) */
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

int paths_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
    struct pyro_open_how how = { (uint64_t)(flags | O_CLOEXEC), 0, resolve };
    if (!path[0])
        path = ".";
    for (int tries = 0; tries < 16; tries++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0)
            return (int)fd;
        if (errno != EAGAIN && errno != EINTR)
            return -errno;
    }
    return -EAGAIN;
}

/* shared component walker: returns 0, -1 for "..", writes normalised path */
static int push_components(const char *in, char *out, size_t outsz, size_t *olen, int allow_dotdot_pop)
{
    const char *p = in;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t cl = (size_t)(e - p);
        if (cl == 1 && p[0] == '.') {
            /* skip */
        } else if (cl == 2 && p[0] == '.' && p[1] == '.') {
            if (!allow_dotdot_pop || *olen == 0)
                return -1;
            char *slash = memrchr(out, '/', *olen);
            *olen = slash ? (size_t)(slash - out) : 0;
            out[*olen] = 0;
        } else {
            size_t need = *olen + (*olen ? 1 : 0) + cl + 1;
            if (need > outsz)
                return -2;
            if (*olen)
                out[(*olen)++] = '/';
            memcpy(out + *olen, p, cl);
            *olen += cl;
            out[*olen] = 0;
        }
        p = e;
    }
    return 0;
}

int paths_normalize_request(const char *in, char *out, size_t outsz)
{
    if (outsz == 0)
        return -2;
    out[0] = 0;
    size_t olen = 0;
    if (in[0] == '/') {
        size_t wl = strlen(WORKSPACE_PREFIX);
        if (strncmp(in, WORKSPACE_PREFIX, wl) != 0 || (in[wl] != 0 && in[wl] != '/'))
            return -1;
        in += wl;
    }
    return push_components(in, out, outsz, &olen, 1);
}

int tar_name_normalize(const char *in, unsigned strip, char *out, size_t outsz)
{
    if (outsz == 0)
        return -2;
    out[0] = 0;
    if (in[0] == 0 || in[0] == '/')
        return -1;
    size_t olen = 0;
    int r = push_components(in, out, outsz, &olen, 0);
    if (r < 0)
        return r;
    if (strip) {
        char *p = out;
        for (unsigned i = 0; i < strip; i++) {
            if (!*p)
                return 1;
            char *slash = strchr(p, '/');
            p = slash ? slash + 1 : p + strlen(p);
        }
        if (!*p)
            return 1;
        memmove(out, p, strlen(p) + 1);
    }
    return 0;
}

void paths_split(char *buf, const char **parent, const char **leaf)
{
    char *slash = strrchr(buf, '/');
    if (!slash) {
        *parent = "";
        *leaf = buf;
    } else {
        *slash = 0;
        *parent = buf;
        *leaf = slash + 1;
    }
}

int paths_lstat_beneath(int dirfd, const char *rel, uint64_t extra_resolve, char *buf, size_t bufsz,
                        const char **leaf, struct stat *sb)
{
    size_t n = strlen(rel);
    if (n >= bufsz)
        return -ENAMETOOLONG;
    memcpy(buf, rel, n + 1);
    const char *parent = "";
    *leaf = ".";
    if (n)
        paths_split(buf, &parent, leaf);
    int fd = paths_openat2(dirfd, parent, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extra_resolve);
    if (fd < 0)
        return fd;
    if (fstatat(fd, *leaf, sb, AT_SYMLINK_NOFOLLOW) != 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

int paths_mkdirs(int basefd, const char *rel, uint64_t extra_resolve)
{
    uint64_t res = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extra_resolve;
    int fd = paths_openat2(basefd, rel, O_PATH | O_DIRECTORY, res);
    if (fd != -ENOENT)
        return fd;
    /* walk the prefixes, resolving each from basefd (so in-root symlinks behave
     * like the kernel would), creating what is missing in the already-resolved parent */
    char prefix[4096];
    size_t len = strlen(rel);
    if (len >= sizeof prefix)
        return -ENAMETOOLONG;
    int cur = dup(basefd);
    if (cur < 0)
        return -errno;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && rel[e] != '/')
            e++;
        memcpy(prefix, rel, e);
        prefix[e] = 0;
        int nfd = paths_openat2(basefd, prefix, O_PATH | O_DIRECTORY, res);
        if (nfd == -ENOENT) {
            char comp[256];
            if (e - i >= sizeof comp) {
                close(cur);
                return -ENAMETOOLONG;
            }
            memcpy(comp, rel + i, e - i);
            comp[e - i] = 0;
            if (mkdirat(cur, comp, 0755) != 0 && errno != EEXIST) {
                int err = errno;
                close(cur);
                return -err;
            }
            nfd = paths_openat2(basefd, prefix, O_PATH | O_DIRECTORY, res);
        }
        close(cur);
        if (nfd < 0)
            return nfd;
        cur = nfd;
        i = e + 1;
    }
    return cur;
}

int paths_resolve_links(int rootfd, const char *rel, char *out, size_t outsz, char *why, size_t whysz)
{
    char work[PATHS_MAX], next[2 * PATHS_MAX], target[PATHS_MAX];
    if (snprintf(work, sizeof work, "%s", rel) >= (int)sizeof work)
        return -ENAMETOOLONG;
    why[0] = 0;
    int hops = 0;
    size_t e = 0;
    while (work[e]) {
        size_t start = e ? e + 1 : 0;
        size_t end = start;
        while (work[end] && work[end] != '/')
            end++;
        /* the prefix up to this component: everything before it is link-free */
        char prefix[PATHS_MAX], split[PATHS_MAX];
        memcpy(prefix, work, end);
        prefix[end] = 0;
        const char *leaf;
        struct stat sb;
        int pfd = paths_lstat_beneath(rootfd, prefix, RESOLVE_NO_SYMLINKS, split, sizeof split, &leaf, &sb);
        if (pfd < 0)
            break;   /* missing (or not a directory): the caller creates or reports it */
        if (!S_ISLNK(sb.st_mode)) {
            close(pfd);
            e = end;
            continue;
        }
        ssize_t tl = readlinkat(pfd, leaf, target, sizeof target - 1);
        int err = errno;
        close(pfd);
        if (tl < 0)
            return -err;
        target[tl] = 0;
        if (++hops > 40)
            return -ELOOP;
        const char *rest = work + end;   /* "" or "/..." */
        size_t wl = strlen(WORKSPACE_PREFIX);
        int n;
        if (target[0] == '/') {
            if (strncmp(target, WORKSPACE_PREFIX, wl) != 0 || (target[wl] != 0 && target[wl] != '/')) {
                snprintf(why, whysz, "the symbolic link /workspace/%s points to %s", prefix, target);
                return -EXDEV;
            }
            n = snprintf(next, sizeof next, "%s%s", target, rest);
        } else {
            n = snprintf(next, sizeof next, "%s%.*s%s%s", WORKSPACE_PREFIX "/", (int)start, work, target, rest);
        }
        if (n >= (int)sizeof next)
            return -ENAMETOOLONG;
        int r = paths_normalize_request(next, work, sizeof work);
        if (r == -1) {
            snprintf(why, whysz, "the symbolic link /workspace/%s points to %s", prefix, target);
            return -EXDEV;
        }
        if (r < 0)
            return -ENAMETOOLONG;
        e = 0;   /* the new path is resolved from the start again */
    }
    if (snprintf(out, outsz, "%s", work) >= (int)outsz)
        return -ENAMETOOLONG;
    return 0;
}

const char *paths_errcode(int err)
{
    if (err < 0)
        err = -err;
    switch (err) {
    case EXDEV:
    case ELOOP:
        return "path_outside_workspace";
    case ENOENT:
        return "not_found";
    default:
        return "io_error";
    }
}

int paths_normalize_relative(const char *in, char *out, size_t outsz)
{
    if (outsz == 0)
        return -2;
    out[0] = 0;
    if (in[0] == 0 || in[0] == '/')
        return -1;
    size_t olen = 0;
    int r = push_components(in, out, outsz, &olen, 1);
    if (r < 0)
        return r;
    return olen ? 0 : -1;
}

int paths_staging_default(const char *root, char *out, size_t outsz)
{
    size_t l = strlen(root);
    while (l > 1 && root[l - 1] == '/')
        l--;
    if (l == 0 || (l == 1 && root[0] == '/'))
        return -1;
    const char *slash = memrchr(root, '/', l);
    const char *base = slash ? slash + 1 : root;
    size_t bl = (size_t)(root + l - base);
    size_t pl = slash ? (slash == root ? 1 : (size_t)(slash - root)) : 1;
    const char *parent = slash ? root : ".";
    if (bl == 0 || (bl == 1 && base[0] == '.') || (bl == 2 && base[0] == '.' && base[1] == '.'))
        return -1;   /* "." or "..": no meaningful basename; the caller falls back */
    size_t need = pl + (pl == 1 && parent[0] == '/' ? 0 : 1) + 15 + bl + 1;
    if (need > outsz)
        return -1;
    size_t o = 0;
    memcpy(out, parent, pl);
    o = pl;
    if (!(pl == 1 && parent[0] == '/'))
        out[o++] = '/';
    memcpy(out + o, ".pyro-staging-", 14);
    o += 14;
    memcpy(out + o, base, bl);
    o += bl;
    out[o] = 0;
    return 0;
}

int paths_manifest_cmp(const char *a, int a_dir, const char *b, int b_dir)
{
    /* byte order of a + (a_dir ? "/" : "") against b + (b_dir ? "/" : "") */
    size_t la = strlen(a), lb = strlen(b);
    for (size_t i = 0;; i++) {
        int ca = i < la ? (unsigned char)a[i] : (i == la && a_dir) ? '/' : -1;
        int cb = i < lb ? (unsigned char)b[i] : (i == lb && b_dir) ? '/' : -1;
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca < 0)
            return 0;
    }
}
