/* Path handling under the workspace root. Requests name paths lexically
 * (relative, or absolute under /workspace); the kernel then resolves them with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) so neither ".." nor a symlink
 * can leave the root, whatever races happen in the tree. */
#ifndef PYRO_PATHS_H
#define PYRO_PATHS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV       0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS   0x04
#define RESOLVE_BENEATH       0x08
#define RESOLVE_IN_ROOT       0x10
#endif

#define WORKSPACE_PREFIX "/workspace"
#define PATHS_MAX        4096   /* PATH_MAX: a path (with its NUL) the kernel accepts */
#define PATHS_NAME_MAX   255    /* NAME_MAX: one component */

/* Lexical normalisation of a request path into a root-relative path without
 * ".", "..", empty components or slashes at either end ("" = the root).
 * Returns 0, or -1 if the path is outside the workspace (absolute but not under
 * /workspace, or ".." above the root), -2 if it does not fit. */
int paths_normalize_request(const char *in, char *out, size_t outsz);

/* openat2 with retries on EAGAIN/EINTR; returns fd or -errno. */
int paths_openat2(int dirfd, const char *path, int flags, uint64_t resolve);

/* Split a normalised relative path "a/b/c" into parent "a/b" and leaf "c"
 * (parent "" for a single component). Leaf is a pointer into buf. */
void paths_split(char *buf, const char **parent, const char **leaf);

/* The entry rel (normalised, "" = dirfd itself) beneath dirfd, never followed:
 * opens its parent (O_PATH, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extra_resolve)
 * and lstats the leaf into *sb. Returns the parent fd (the caller closes it), with
 * *leaf pointing into buf (a copy of rel) or at "."; else -errno. */
int paths_lstat_beneath(int dirfd, const char *rel, uint64_t extra_resolve, char *buf, size_t bufsz,
                        const char **leaf, struct stat *sb);

/* Open (creating missing directories, mode 0755) the directory rel beneath basefd.
 * Each prefix is resolved from basefd with RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS
 * plus extra_resolve. Returns an O_PATH directory fd or -errno. */
int paths_mkdirs(int basefd, const char *rel, uint64_t extra_resolve);

/* Validate and normalise a tar entry name: no leading '/', no ".." component,
 * not empty; "." and empty components dropped; then strip the first `strip`
 * components. Returns 0 (out may be "" = dest itself), 1 to skip (stripped away),
 * -1 unsafe, -2 too long. */
int tar_name_normalize(const char *in, unsigned strip, char *out, size_t outsz);

/* Default development-mode staging directory for root: "<parent>/.pyro-staging-<basename>"
 * (trailing slashes ignored; parent "." for a relative single component).
 * Returns 0, or -1 for "/" (no parent) or when it does not fit. */
int paths_staging_default(const char *root, char *out, size_t outsz);

/* Lexically normalise a path relative to an export root (archive_export "paths"):
 * relative only, "." dropped, ".." folded but never above the root, not empty.
 * Returns 0, -1 if absolute / escaping / empty, -2 if it does not fit. */
int paths_normalize_relative(const char *in, char *out, size_t outsz);

/* Manifest order: compares a (followed by "/" when a_dir) with b (same) as
 * unsigned bytes. A directory's contents sort as "name/...", so visiting the
 * children of a directory ordered by this key (each directory appearing twice:
 * as an entry keyed "name" and as its subtree keyed "name/") emits every path
 * of the tree in plain byte order. Returns <0, 0, >0. */
int paths_manifest_cmp(const char *a, int a_dir, const char *b, int b_dir);

/* Resolves the symbolic links along rel (normalised, beneath rootfd) the way the
 * guest sees them: a relative target from the link's directory, an absolute one
 * only under /workspace (the root). Writes the link-free path into out (its
 * components after the first missing one are kept as given: they will be
 * created). Returns 0; -EXDEV when a link leads outside the root (why names it),
 * -ELOOP after 40 links, -ENAMETOOLONG, or another -errno. */
int paths_resolve_links(int rootfd, const char *rel, char *out, size_t outsz, char *why, size_t whysz);

/* Map errno from resolution to a protocol error code. */
const char *paths_errcode(int err);

#endif
