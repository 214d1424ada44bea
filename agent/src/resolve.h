/* Following symlinks without leaving the workspace. The kernel's
 * RESOLVE_BENEATH refuses every absolute symlink, even one that points back into
 * /workspace; file tools must follow those (a project's "current -> /workspace/v2"
 * is ordinary). So the resolution is done here, one component at a time, each
 * step opened beneath the root without following anything, and a symlink's
 * target is taken apart lexically: relative to the link's directory, or, when
 * absolute, only under /workspace. Any step that would leave the root fails. */
#ifndef PYRO_RESOLVE_H
#define PYRO_RESOLVE_H
#include <stddef.h>

#define RESOLVE_MAX_LINKS 40     /* as Linux's MAXSYMLINKS */

/* Flags of paths_resolve. */
#define RES_MISSING_TAIL 1       /* missing trailing components are fine (a file to create,
                                    with its directories) */

/* Resolves rel (normalised, "" = the root) beneath rootfd, following every
 * symlink that stays inside, into out: the same file named without any symlink
 * (normalised, "" = the root). Returns 0, or -EXDEV (it leaves the root: ".."
 * above it, or an absolute target outside /workspace), -ELOOP (more than
 * RESOLVE_MAX_LINKS symlinks), -ENOENT (a missing component, unless
 * RES_MISSING_TAIL: then it and everything after it are taken as they are, and
 * only ".." after it fails), -ENOTDIR (a component used as a directory is not
 * one), -ENAMETOOLONG, or another -errno. */
int paths_resolve(int rootfd, const char *rel, int flags, char *out, size_t outsz);

#endif
