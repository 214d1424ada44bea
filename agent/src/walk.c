#define _GNU_SOURCE
#include "walk.h"
#include "paths.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int walk_open(struct walker *w, int rootfd, const char *rel, const char *prefix, int recursive)
{
    memset(w, 0, sizeof *w);
    w->parentfd = -1;
    w->recursive = recursive;
    w->path = malloc(WALK_MAX_PATH);
    if (!w->path)
        return -ENOMEM;
    size_t pl = strlen(prefix);
    if (pl >= WALK_MAX_PATH)
        return -ENAMETOOLONG;
    memcpy(w->path, prefix, pl + 1);
    w->plen = pl;

    char buf[4096];
    const char *leaf;
    struct stat st;
    int fd = paths_lstat_beneath(rootfd, rel, 0, buf, sizeof buf, &leaf, &st);
    if (fd < 0)
        return fd;
    w->parentfd = fd;
    if (strlen(leaf) >= sizeof w->root_leaf)
        return -ENAMETOOLONG;
    strcpy(w->root_leaf, leaf);
    return 0;
}

static int push_dir(struct walker *w, int dirfd, const char *leaf)
{
    if (w->depth >= WALK_MAX_DEPTH)
        return -ELOOP;
    int fd = openat(dirfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        return -err;
    }
    w->stack[w->depth].d = d;
    w->stack[w->depth].plen = w->plen;
    w->depth++;
    return 0;
}

int walk_next(struct walker *w, struct walk_entry *e)
{
    memset(e, 0, sizeof *e);
    if (!w->started) {
        w->started = 1;
        if (fstatat(w->parentfd, w->root_leaf, &e->st, AT_SYMLINK_NOFOLLOW) != 0)
            return -errno;
        e->name = w->path;
        e->leaf = w->root_leaf;
        e->dirfd = w->parentfd;
        e->is_root = 1;
        if (S_ISDIR(e->st.st_mode)) {
            int r = push_dir(w, w->parentfd, w->root_leaf);
            if (r < 0)
                return r;
        }
        return 1;
    }
    while (w->depth > 0) {
        int top = w->depth - 1;
        DIR *d = w->stack[top].d;
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno)
                return -errno;
            closedir(d);
            w->depth--;
            continue;
        }
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        size_t base = w->stack[top].plen;
        size_t nl = strlen(de->d_name);
        if (base + 1 + nl + 2 > WALK_MAX_PATH)
            return -ENAMETOOLONG;
        size_t o = base;
        if (o > 0)
            w->path[o++] = '/';
        memcpy(w->path + o, de->d_name, nl + 1);
        w->plen = o + nl;
        int dfd = dirfd(d);
        if (fstatat(dfd, de->d_name, &e->st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue;   /* vanished while walking */
            return -errno;
        }
        e->name = w->path;
        e->leaf = de->d_name;
        e->dirfd = dfd;
        /* w->recursive: descend into every directory; otherwise only the root */
        if (S_ISDIR(e->st.st_mode) && w->recursive) {
            int r = push_dir(w, dfd, de->d_name);
            if (r < 0 && r != -ENOENT && r != -EACCES)
                return r;
        }
        return 1;
    }
    return 0;
}

void walk_close(struct walker *w)
{
    while (w->depth > 0)
        closedir(w->stack[--w->depth].d);
    if (w->parentfd >= 0)
        close(w->parentfd);
    w->parentfd = -1;
    free(w->path);
    w->path = NULL;
}
