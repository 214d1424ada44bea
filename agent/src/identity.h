/* identity_set: a restored guest's own entropy, clock, hostname, machine-id and TTL. */
#ifndef PYRO_IDENTITY_H
#define PYRO_IDENTITY_H
#include "request.h"
#include "session.h"

void op_identity_set(struct session *s, struct stream *st, struct request *r);

#endif
