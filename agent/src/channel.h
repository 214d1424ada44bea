/* Transports (docs/protocol.md §8): stdio, Unix socket (listen or connect), the
 * virtio-serial ports named "pyro.agent*", or an AF_VSOCK listener on port 5252.
 * Each connection (or port) is one independent session; up to MAX_CONNS at once.
 * Every transport reconnects: a host that goes away is replaced by the next. */
#ifndef PYRO_CHANNEL_H
#define PYRO_CHANNEL_H
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

enum ch_kind { CHK_STDIO = 1, CHK_LISTEN_UNIX, CHK_CONNECT_UNIX, CHK_VIRTIO, CHK_VSOCK };

#define VSOCK_PORT 5252
#define MAX_CONNS 8
#define VIRTIO_PORT_PREFIX "pyro.agent"

/* How the agent noticed the host of the current connection: the HELLO member "attach"
 * (docs/protocol.md §4). "signal" only when the probe that found a virtio-serial host ran
 * because the agent read a SIGIO; any other probe says "probe". */
enum ch_attach { ATTACH_NONE = 0, ATTACH_STDIO, ATTACH_ACCEPT, ATTACH_CONNECT, ATTACH_SIGNAL, ATTACH_PROBE };

/* Why an unconnected virtio port's next probe runs (decides "signal" or "probe"). */
enum probe_cause {
    PROBE_UNPROMPTED = 0,    /* a new port, the probe right after a host left, a deferred probe */
    PROBE_TIMER,             /* the periodic safety-net probe */
    PROBE_SIGNAL,            /* a SIGIO was read from the loop's signalfd */
};

/* One connection: an accepted socket, a virtio-serial port, stdio or a client socket. */
struct channel {
    int kind;                /* for accepted sockets: the listener's kind */
    int connected;
    int in_fd, out_fd;       /* same fd for sockets and virtio */
    char path[320];
    uint64_t next_try_ms;    /* virtio / connect-unix: next reconnect probe */
    int sigio;               /* virtio: the kernel signals SIGIO when a host attaches */
    int probe_cause;         /* virtio, unconnected: enum probe_cause of the next probe */
    int attach;              /* enum ch_attach of the current connection */
};

/* Listening sockets; returns the fd or -1 (logged). */
int channel_listen_unix(const char *path);
int channel_listen_vsock(void);
/* accept one pending connection into c (connected); 1 on success, 0 if none */
int channel_accept(int listen_fd, int kind, struct channel *c);
/* stdio / connect-unix / an already opened virtio port fd */
void channel_init_stdio(struct channel *c);
void channel_init_connect(struct channel *c, const char *path);
void channel_init_virtio(struct channel *c, int fd, const char *dev);

/* Virtio-serial ports whose name starts with "pyro.agent": fills devs with
 * "/dev/vportNpM" paths (sorted by port name), returns how many (<= max). */
int virtio_find_ports(char devs[][64], int max);
/* open a port device non-blocking (retries briefly while udev-less devtmpfs catches up) */
int virtio_open_port(const char *dev);

/* Called when not connected: connect / probe (non-blocking). 1 = connected, 0 = not yet,
 * -1 = virtio port with no host and nothing sent (bytes kept from earlier probes are a
 * host's that left before its open was seen: stale). A virtio probe may read the first
 * bytes, also while still returning 0: they land in buf (*nread), to be kept either way. */
int channel_try_connect(struct channel *c, uint8_t *buf, size_t cap, size_t *nread);
/* A SIGIO was read: an unconnected virtio port probes on the next try_connect, and a host
 * it finds was noticed by "signal". */
void channel_probe_now(struct channel *c);
/* ms until an unconnected channel's next probe is due (0 = now), for the poll timeout */
int channel_probe_in_ms(const struct channel *c, uint64_t now);
/* The host went away. Returns 1 if the connection slot is finished for good
 * (stdio EOF, accepted socket closed), 0 if it waits for the next host. */
int channel_disconnected(struct channel *c);
const char *channel_name(const struct channel *c);
/* The HELLO "attach" value of the current connection; NULL when not connected. */
const char *channel_attach_name(const struct channel *c);

#endif
