/* What the shell operations (op_shell.c, op_shell_attach.c) share. */
#ifndef PYRO_OP_SHELL_H
#define PYRO_OP_SHELL_H
#include "session.h"
#include "shell.h"

/* How a stream remembers its shell: by slot and generation, so a shell closed
 * meanwhile is noticed (and a reused slot is not mistaken for it). */
struct shell_ref {
    struct resource *res;
    uint32_t gen;
};

/* The shell a request names; finishes the stream (shell_not_found, or shell_closed
 * when need_running and it has exited) and returns NULL otherwise. */
struct shell *op_shell_lookup(struct session *s, struct stream *st, const char *id, int need_running);
/* Installs zeroed state of size bytes (starting with struct shell_ref, set to sh)
 * with vt; NULL after finishing the stream when out of memory. */
void *op_shell_install(struct session *s, struct stream *st, const struct shell *sh, size_t size,
                       const struct op_vtbl *vt);
/* The shell if it is still running or exited (not closing, closed or freed). */
struct shell *shell_ref_get(const struct shell_ref *ref);

void op_shell_attach(struct session *s, struct stream *st, struct request *r);

#endif
