/* Iterative, bounded-memory tree walk for list and archive_export: an explicit
 * stack of DIR* (depth capped), lstat semantics, symlinks never followed. */
#ifndef PYRO_WALK_H
#define PYRO_WALK_H
#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>

#define WALK_MAX_DEPTH 128
#define WALK_MAX_PATH  65536

struct walk_entry {
    const char *name;   /* display name: prefix + relative path */
    const char *leaf;   /* last component, relative to dirfd */
    int dirfd;          /* directory containing the entry (valid until the next walk_next) */
    struct stat st;
    int is_root;
};

struct walker {
    int parentfd;                 /* parent of the walked path */
    char root_leaf[256];
    int started, recursive;
    struct { DIR *d; size_t plen; } stack[WALK_MAX_DEPTH];
    int depth;
    char *path;                   /* current display path */
    size_t plen;
};

/* rootfd: workspace root; rel: normalised path ("" = root); prefix: display name
 * of the walked path itself (e.g. "out", "." or ""). Returns 0 or -errno. */
int walk_open(struct walker *w, int rootfd, const char *rel, const char *prefix, int recursive);
/* 1 = entry, 0 = done, <0 = -errno (fatal). Directories are returned before
 * their contents; with recursive==0 only the root and its direct children. */
int walk_next(struct walker *w, struct walk_entry *e);
void walk_close(struct walker *w);

#endif
