#define _GNU_SOURCE
#include "staging.h"
#include "log.h"
#include "paths.h"
#include "session.h"
#include "init.h"
#include "wsdisk.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_renameat2
#define SYS_renameat2 316
#endif
#ifndef SYS_statx
#define SYS_statx 332
#endif
#define RENAME_EXCHANGE_ (1 << 1)
#define STATX_MNT_ID_ 0x1000u
#define AT_EMPTY_PATH_ 0x1000

/* mount id via statx (Linux 5.8+); 0 if unavailable */
static uint64_t mount_id(int fd)
{
    uint8_t buf[256];
    memset(buf, 0, sizeof buf);
    if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH_, STATX_MNT_ID_, buf) != 0)
        return 0;
    uint32_t mask;
    memcpy(&mask, buf, 4);
    if (!(mask & STATX_MNT_ID_))
        return 0;
    uint64_t id;
    memcpy(&id, buf + 144, 8);   /* struct statx: stx_mnt_id */
    return id;
}

int same_mount(int a, int b)
{
    struct stat sa, sb;
    if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0 || sa.st_dev != sb.st_dev)
        return 0;
    uint64_t ma = mount_id(a), mb = mount_id(b);
    return !ma || !mb || ma == mb;   /* without statx: same device is the best we know */
}

static int rmtree_depth(int parent, const char *name, int depth)
{
    if (unlinkat(parent, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -errno;
    if (depth >= RMTREE_MAX_DEPTH)
        return -ELOOP;
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        return -err;
    }
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        int r = rmtree_depth(dirfd(d), de->d_name, depth + 1);
        if (r < 0 && !rc)
            rc = r;
    }
    closedir(d);
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT && !rc)
        rc = -errno;
    return rc;
}

int rmtree_at(int dirfd, const char *name)
{
    return rmtree_depth(dirfd, name, 0);
}

static int merge_depth(int srcfd, int dstfd, int depth, char *path, size_t plen, char *err, size_t errsz)
{
    if (depth > STAGING_MAX_DEPTH + 1)
        return -ELOOP;
    /* entries leave srcfd as they are moved; read until the directory is empty
     * (a pass that moves nothing while entries remain is an error) */
    for (int pass = 0; pass < 4; pass++) {
        int dfd = openat(srcfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
            int e = errno;
            close(dfd);
            return -e;
        }
        int seen = 0, rc = 0;
        struct dirent *de;
        while (!rc && (de = readdir(d)) != NULL) {
            const char *n = de->d_name;
            if (!strcmp(n, ".") || !strcmp(n, ".."))
                continue;
            seen++;
            size_t nl = strlen(n), sub = plen;
            if (plen + nl + 2 < 4096) {
                size_t o = plen;
                if (o)
                    path[o++] = '/';
                memcpy(path + o, n, nl + 1);
                sub = o + nl;
            }
            struct stat ss, ds;
            if (fstatat(srcfd, n, &ss, AT_SYMLINK_NOFOLLOW) != 0) {
                rc = -errno;
            } else if (fstatat(dstfd, n, &ds, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno != ENOENT || renameat(srcfd, n, dstfd, n) != 0)
                    rc = -errno;
            } else if (S_ISDIR(ss.st_mode) && S_ISDIR(ds.st_mode)) {
                int s2 = openat(srcfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                int d2 = s2 < 0 ? -1 : openat(dstfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (s2 < 0 || d2 < 0)
                    rc = -errno;
                else
                    rc = merge_depth(s2, d2, depth + 1, path, sub, err, errsz);
                if (s2 >= 0)
                    close(s2);
                if (d2 >= 0)
                    close(d2);
                if (!rc && unlinkat(srcfd, n, AT_REMOVEDIR) != 0)
                    rc = -errno;
            } else if (!S_ISDIR(ss.st_mode) && !S_ISDIR(ds.st_mode)) {
                if (renameat(srcfd, n, dstfd, n) != 0)
                    rc = -errno;
            } else {
                /* type conflict: the new entry is fully staged; swap it in, then
                 * remove the old one (now in staging) */
                if (syscall(SYS_renameat2, srcfd, n, dstfd, n, RENAME_EXCHANGE_) == 0) {
                    int r = rmtree_at(srcfd, n);
                    if (r < 0)
                        LOGE("atomic import: could not remove replaced %s: %s", path, strerror(-r));
                } else if (errno == EINVAL || errno == ENOSYS || errno == EXDEV) {
                    int r = rmtree_at(dstfd, n);
                    if (r < 0 || renameat(srcfd, n, dstfd, n) != 0)
                        rc = r < 0 ? r : -errno;
                } else {
                    rc = -errno;
                }
            }
            if (rc && !err[0])   /* a deeper level may have named its entry already */
                snprintf(err, errsz, "%s: %s", path, strerror(-rc));
            path[plen] = 0;
        }
        closedir(d);
        if (rc)
            return rc;
        if (!seen)
            return 0;
    }
    snprintf(err, errsz, "%s: staged entries could not be moved", plen ? path : ".");
    return -EIO;
}

int staging_merge(int srcfd, int dstfd, char *err, size_t errsz)
{
    char path[4096];
    path[0] = 0;
    err[0] = 0;
    return merge_depth(srcfd, dstfd, 0, path, 0, err, errsz);
}

static void clean_dir(int fd)
{
    int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            rmtree_at(fd, de->d_name);
    closedir(d);
}

static int use_staging(const char *dir, int commit_rootfd)
{
    mkdir(dir, 0700);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        LOGE("staging directory %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!same_mount(fd, commit_rootfd)) {
        close(fd);
        return -2;
    }
    g_conf.staging_fd = fd;
    g_conf.commit_rootfd = commit_rootfd;
    snprintf(g_conf.staging, sizeof g_conf.staging, "%s", dir);
    LOGD("atomic import staging in %s", dir);
    return 0;
}

static int is_mountpoint(const char *path)
{
    struct stat a, b;
    char parent[512];
    if (stat(path, &a) != 0)
        return 0;
    snprintf(parent, sizeof parent, "%s/..", path);
    if (stat(parent, &b) != 0)
        return 0;
    return a.st_dev != b.st_dev || a.st_ino == b.st_ino;
}

/* pyro.scrub=1: the disk is being made into an export; runtime-only paths go */
static int scrub_requested(void)
{
    char val[8];
    return proc_cmdline_get("pyro.scrub", val, sizeof val) && !strcmp(val, "1");
}

int staging_setup_guest(void)
{
    int rc = -1;
    if (wsdisk_read_only()) {
        LOGD("the workspace disk is read-only: no import staging");
        return -1;
    }
    if (is_mountpoint(WSDISK_DIR) && scrub_requested()) {
        int fd = open(WSDISK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int r = fd < 0 ? -errno : rmtree_at(fd, ".staging");
        if (fd >= 0)
            close(fd);
        if (r < 0)
            LOGE("scrubbing %s/.staging: %s", WSDISK_DIR, strerror(-r));
        return -1;
    }
    if (is_mountpoint(WSDISK_DIR)) {
        int cr = open(WSDISK_DIR "/workspace", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (cr >= 0) {
            rc = use_staging(WSDISK_DIR "/.staging", cr);
            if (rc != 0)
                close(cr);
        }
    }
    if (rc != 0) {
        int cr = dup(g_conf.rootfd);
        rc = cr < 0 ? -1 : use_staging("/.pyro-staging", cr);
        if (rc != 0) {
            if (cr >= 0)
                close(cr);
            LOGE("atomic import unavailable (no staging directory on the workspace's file system)");
            return -1;
        }
    }
    clean_dir(g_conf.staging_fd);   /* leftovers of an interrupted import before a reboot */
    return 0;
}

int staging_setup_dev(const char *root, const char *dir)
{
    char def[4096];
    if (!dir) {
        if (paths_staging_default(root, def, sizeof def) == 0)
            dir = def;
    }
    if (dir) {
        int cr = dup(g_conf.rootfd);
        int rc = cr < 0 ? -1 : use_staging(dir, cr);
        if (rc == 0)
            return 0;
        if (cr >= 0)
            close(cr);
        if (rc == -2)
            LOGE("warning: staging directory %s is not on the same mount as %s; using %s/.pyro-staging "
                 "(visible inside the workspace)", dir, root, root);
    }
    /* fallback: a hidden directory inside the root */
    int cr = dup(g_conf.rootfd);
    char in[4096];
    snprintf(in, sizeof in, "%s/.pyro-staging", root);
    if (cr < 0 || use_staging(in, cr) != 0) {
        if (cr >= 0)
            close(cr);
        LOGE("atomic import unavailable: no usable staging directory");
        return -1;
    }
    return 0;
}
