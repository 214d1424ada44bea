/* JSON description of a file (shared by stat and list). */
#ifndef PYRO_FSINFO_H
#define PYRO_FSINFO_H
#include <sys/stat.h>
#include "json.h"

const char *fs_type_name(mode_t m);
/* appends "type","size","mode","mtime_ms"[,"link_target"] members (no braces) */
void fs_json_members(struct jbuf *b, const struct stat *st, int dirfd, const char *leaf);

#endif
