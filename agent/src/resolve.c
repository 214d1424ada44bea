#define _GNU_SOURCE
#include "resolve.h"
#include "paths.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RES_NOFOLLOW (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)
#define RES_BUF 4096

/* todo = head + "/" + todo (head may be empty), within RES_BUF */
static int prepend(char *todo, const char *head, size_t hl)
{
    size_t tl = strlen(todo);
    size_t sep = hl && tl ? 1 : 0;
    if (hl + sep + tl + 1 > RES_BUF)
        return -ENAMETOOLONG;
    memmove(todo + hl + sep, todo, tl + 1);
    memcpy(todo, head, hl);
    if (sep)
        todo[hl] = '/';
    return 0;
}

/* whether nothing but slashes is left */
static int todo_empty(const char *todo)
{
    while (*todo == '/')
        todo++;
    return !*todo;
}

int paths_resolve(int rootfd, const char *rel, int flags, char *out, size_t outsz)
{
    char done[RES_BUF], todo[RES_BUF], target[RES_BUF];
    size_t dl = 0;
    int links = 0, missing = 0;
    if (strlen(rel) >= RES_BUF)
        return -ENAMETOOLONG;
    done[0] = 0;
    strcpy(todo, rel);
    while (todo[0]) {
        /* take the first component off todo */
        char comp[256];
        char *p = todo;
        while (*p == '/')
            p++;
        char *e = p;
        while (*e && *e != '/')
            e++;
        size_t cl = (size_t)(e - p);
        if (cl >= sizeof comp)
            return -ENAMETOOLONG;
        memcpy(comp, p, cl);
        comp[cl] = 0;
        while (*e == '/')
            e++;
        memmove(todo, e, strlen(e) + 1);
        if (cl == 0 || (cl == 1 && comp[0] == '.'))
            continue;
        if (cl == 2 && comp[0] == '.' && comp[1] == '.') {
            if (missing)
                return -ENOENT;   /* ".." out of a directory that does not exist */
            if (dl == 0)
                return -EXDEV;
            char *slash = memrchr(done, '/', dl);
            dl = slash ? (size_t)(slash - done) : 0;
            done[dl] = 0;
            continue;
        }
        if (missing)
            goto append;   /* beneath a missing directory nothing exists, no symlink either */
        int pfd = paths_openat2(rootfd, done, O_PATH | O_DIRECTORY, RES_NOFOLLOW);
        if (pfd < 0)
            return pfd;
        struct stat sb;
        int r = fstatat(pfd, comp, &sb, AT_SYMLINK_NOFOLLOW);
        int err = errno;
        ssize_t tn = 0;
        if (r == 0 && S_ISLNK(sb.st_mode)) {
            tn = readlinkat(pfd, comp, target, sizeof target - 1);
            err = errno;
        }
        close(pfd);
        if (r != 0) {
            if (err == ENOENT && (flags & RES_MISSING_TAIL)) {
                missing = 1;
                goto append;
            }
            return -err;
        }
        if (S_ISLNK(sb.st_mode)) {
            if (tn < 0)
                return -err;
            if (++links > RESOLVE_MAX_LINKS)
                return -ELOOP;
            target[tn] = 0;
            const char *t = target;
            if (t[0] == '/') {
                /* absolute: only /workspace or beneath it, taken from the root */
                size_t wl = strlen(WORKSPACE_PREFIX);
                if (strncmp(t, WORKSPACE_PREFIX, wl) != 0 || (t[wl] != 0 && t[wl] != '/'))
                    return -EXDEV;
                t += wl;
                dl = 0;
                done[0] = 0;
            }
            if (prepend(todo, t, strlen(t)) < 0)
                return -ENAMETOOLONG;
            continue;
        }
        if (!todo_empty(todo) && !S_ISDIR(sb.st_mode))
            return -ENOTDIR;
    append:
        if (dl + (dl ? 1 : 0) + cl + 1 > RES_BUF)
            return -ENAMETOOLONG;
        if (dl)
            done[dl++] = '/';
        memcpy(done + dl, comp, cl + 1);
        dl += cl;
    }
    if (dl + 1 > outsz)
        return -ENAMETOOLONG;
    memcpy(out, done, dl + 1);
    return 0;
}
