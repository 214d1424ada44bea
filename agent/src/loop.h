/* The single-threaded poll() loop tying up to MAX_CONNS connections to their
 * sessions (one independent session per connection or virtio-serial port). */
#ifndef PYRO_LOOP_H
#define PYRO_LOOP_H
#include "channel.h"

enum { SERVE_EXIT = 0, SERVE_POWEROFF = 1, SERVE_REBOOT = 2, SERVE_TTL = 3 };

/* Serves hosts until stdio EOF (SERVE_EXIT), a shutdown request, a shutdown
 * signal (guest PID 1: SIGINT -> SERVE_REBOOT, SIGTERM/SIGPWR -> SERVE_POWEROFF)
 * or the TTL (SERVE_TTL). kind: CHK_STDIO, CHK_LISTEN_UNIX, CHK_CONNECT_UNIX or
 * CHK_VIRTIO (ports named pyro.agent*, waiting up to wait_ms for the first one,
 * else a vsock listener). SIGCHLD (and in a guest SIGINT/SIGTERM/SIGPWR) must be
 * blocked by the caller before any child can exist. Returns -1 if the transport
 * cannot be set up. */
int agent_serve(int kind, const char *path, int wait_ms);

#endif
