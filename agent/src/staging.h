/* Staging area of the atomic archive import (docs/protocol.md §5 archive_import):
 * where it lives (same mount as the workspace root, outside it), recursive
 * removal, and the commit that moves a staged tree into place entry by entry. */
#ifndef PYRO_STAGING_H
#define PYRO_STAGING_H
#include <stddef.h>

#define STAGING_MAX_DEPTH 128    /* staged trees deeper than this are refused */
#define RMTREE_MAX_DEPTH  256
#define WSDISK_DIR "/run/pyro/wsdisk"   /* guest: the workspace disk; /workspace is its workspace/ */

/* Guest: /run/pyro/wsdisk/.staging when the workspace disk is mounted there
 * (commit root /run/pyro/wsdisk/workspace), else /.pyro-staging. Leftovers of an
 * earlier boot are removed. Sets g_conf.staging_fd/commit_rootfd; 0 or -1. */
int staging_setup_guest(void);
/* Development mode: dir (NULL = <root>/../.pyro-staging-<basename>), created if
 * missing; if it is not on the same mount as root, <root>/.pyro-staging (warned). */
int staging_setup_dev(const char *root, const char *dir);

/* 1 if both fds are on the same mount (rename works between them), 0 if not */
int same_mount(int fd_a, int fd_b);

/* Remove name (file, symlink or directory tree) beneath dirfd, never following
 * symlinks. 0 or -errno (the first error; removal goes on as far as it can). */
int rmtree_at(int dirfd, const char *name);

/* Move every entry of directory srcfd into directory dstfd: a missing entry is
 * renamed, a directory onto a directory is merged recursively, a non-directory
 * replaces a non-directory by rename, and a type conflict (directory vs other)
 * swaps the new entry in with RENAME_EXCHANGE (or removes the old one first
 * where that is unsupported) and removes the old one. Never follows a symlink
 * in dst. On error returns -errno and names the entry in err. */
int staging_merge(int srcfd, int dstfd, char *err, size_t errsz);

#endif
