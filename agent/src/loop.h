/* The single-threaded poll() loop tying a channel to a session. */
#ifndef PYRO_LOOP_H
#define PYRO_LOOP_H
#include "channel.h"

enum { SERVE_EXIT = 0, SERVE_POWEROFF = 1, SERVE_REBOOT = 2 };

/* Serves hosts until stdio EOF (SERVE_EXIT) or a shutdown request. SIGCHLD must be
 * blocked by the caller before any child can exist. */
int agent_serve(struct channel *ch);

#endif
