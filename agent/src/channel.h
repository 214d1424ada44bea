/* Transports (docs/protocol.md §8): stdio, Unix socket (listen or connect),
 * the virtio-serial port "pyro.agent", or an AF_VSOCK listener on port 5252.
 * Every transport reconnects: a host that goes away is replaced by the next. */
#ifndef PYRO_CHANNEL_H
#define PYRO_CHANNEL_H
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

enum ch_kind { CHK_STDIO = 1, CHK_LISTEN_UNIX, CHK_CONNECT_UNIX, CHK_VIRTIO, CHK_VSOCK };

#define VSOCK_PORT 5252

struct channel {
    int kind;
    int connected;
    int in_fd, out_fd;       /* same fd for sockets and virtio */
    int listen_fd;
    char path[320];
    uint64_t next_try_ms;    /* virtio / connect-unix: next reconnect probe */
};

/* Set up the transport. For CHK_VIRTIO, waits up to wait_ms for the port to
 * appear and falls back to vsock if it does not. Returns 0 or -1 (logged). */
int channel_open(struct channel *c, int kind, const char *path, int wait_ms);
/* Called when not connected: accept / connect / probe (non-blocking). For
 * virtio a probe may read the first bytes: they land in buf (n returned). */
int channel_try_connect(struct channel *c, uint8_t *buf, size_t cap, size_t *nread);
/* The host went away. Returns 1 if the agent should exit (stdio EOF). */
int channel_disconnected(struct channel *c);
const char *channel_name(const struct channel *c);

#endif
