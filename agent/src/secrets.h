/* The agent's secret store (capability "secrets", protocol §13): the values the host
 * delivered with secrets_put, kept in memory for secret_env and redaction, and as
 * files on the /run tmpfs (SECRETS_DIR, 0700) in a guest. */
#ifndef PYRO_SECRETS_H
#define PYRO_SECRETS_H
#include "redact.h"
#include "request.h"
#include <stddef.h>

#define SECRETS_DIR "/run/pyro-secrets"

struct session;
struct stream;

/* The current set (never NULL; empty until secrets_put) */
const struct secret_set *secrets_current(void);
/* secrets_put: replaces the whole set */
void op_secrets_put(struct session *s, struct stream *st, struct request *r);
/* Adds "VAR=value" to r->env for each secret_env entry. 0, or -1 with err set to the
 * first unknown name (names are not secret; values never appear in err). */
int secrets_apply_env(struct request *r, char *err, size_t errsz);

#endif
