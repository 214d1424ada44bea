#define _GNU_SOURCE
#include "channel.h"
#include "log.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
struct pyro_sockaddr_vm {   /* struct sockaddr_vm from linux/vm_sockets.h */
    unsigned short svm_family;
    unsigned short svm_reserved1;
    unsigned int svm_port;
    unsigned int svm_cid;
    unsigned char svm_zero[4];
};
#define VMADDR_CID_ANY_ (-1U)

/* A virtio-serial port whose host side is closed reads 0 and polls POLLHUP (level-triggered),
 * so it cannot wait in poll(). virtio_console instead sends SIGIO to the port's owner when the
 * host opens or closes its side (VIRTIO_CONSOLE_PORT_OPEN) or data arrives, if the port has
 * O_ASYNC: the loop reads it from its signalfd and probes at once. The timed probe stays as a
 * safety net, and is the only way when the kernel refuses O_ASYNC. */
#define VIRTIO_PROBE_MS 100
#define VIRTIO_FALLBACK_PROBE_MS 2000

const char *channel_name(const struct channel *c)
{
    switch (c->kind) {
    case CHK_STDIO: return "stdio";
    case CHK_LISTEN_UNIX: return "listen-unix";
    case CHK_CONNECT_UNIX: return "connect-unix";
    case CHK_VIRTIO: return "virtio-serial";
    case CHK_VSOCK: return "vsock";
    }
    return "?";
}

const char *channel_attach_name(const struct channel *c)
{
    if (!c->connected)
        return NULL;
    switch (c->attach) {
    case ATTACH_STDIO: return "stdio";
    case ATTACH_ACCEPT: return "accept";
    case ATTACH_CONNECT: return "connect";
    case ATTACH_SIGNAL: return "signal";
    case ATTACH_PROBE: return "probe";
    }
    return NULL;
}

/* /sys/class/virtio-ports/<vportNpM>/name starting with "pyro.agent" -> /dev/vportNpM */
int virtio_find_ports(char devs[][64], int max)
{
    DIR *d = opendir("/sys/class/virtio-ports");
    if (!d)
        return 0;
    char names[MAX_CONNS][64];
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL && n < max && n < MAX_CONNS) {
        if (de->d_name[0] == '.' || strlen(de->d_name) > 40)
            continue;
        char p[512], name[64];
        snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/name", de->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t r = read(fd, name, sizeof name - 1);
        close(fd);
        if (r <= 0)
            continue;
        name[r] = 0;
        while (r > 0 && (name[r - 1] == '\n' || name[r - 1] == ' '))
            name[--r] = 0;
        if (strncmp(name, VIRTIO_PORT_PREFIX, strlen(VIRTIO_PORT_PREFIX)) != 0)
            continue;
        /* insertion sort by port name: pyro.agent, pyro.agent.0, pyro.agent.1, ... */
        int i = n++;
        while (i > 0 && strcmp(names[i - 1], name) > 0) {
            memcpy(names[i], names[i - 1], sizeof names[i]);
            memcpy(devs[i], devs[i - 1], 64);
            i--;
        }
        snprintf(names[i], sizeof names[i], "%s", name);
        snprintf(devs[i], 64, "/dev/%.40s", de->d_name);
    }
    closedir(d);
    return n;
}

int virtio_open_port(const char *dev)
{
    int fd = -1;
    for (int tries = 0; tries < 400 && fd < 0; tries++) {
        fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            if (errno != ENOENT)
                break;   /* e.g. EBUSY: another opener */
            struct timespec ts = { 0, 5 * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
    if (fd < 0)
        LOGE("open %s: %s", dev, strerror(errno));
    return fd;
}

/* A SIGIO raised but not yet read from the loop's signalfd (the agent blocks SIGIO). */
static int sigio_pending(void)
{
    sigset_t p;
    return sigpending(&p) == 0 && sigismember(&p, SIGIO) == 1;
}

/* O_ASYNC on or off; the owner (this process) is set before the first switch-on */
static int virtio_async(int fd, int on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    int want = on ? fl | O_ASYNC : fl & ~O_ASYNC;
    return want == fl ? 0 : fcntl(fd, F_SETFL, want);
}

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path) {
        LOGE("unix socket path too long: %s", path);
        return -1;
    }
    strcpy(sa->sun_path, path);
    return 0;
}

static void channel_clear(struct channel *c, int kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->in_fd = c->out_fd = -1;
}

void channel_init_stdio(struct channel *c)
{
    channel_clear(c, CHK_STDIO);
    c->in_fd = 0;
    c->out_fd = 1;
    set_nonblock(0);
    set_nonblock(1);
    c->connected = 1;
    c->attach = ATTACH_STDIO;
}

void channel_init_connect(struct channel *c, const char *path)
{
    channel_clear(c, CHK_CONNECT_UNIX);
    snprintf(c->path, sizeof c->path, "%s", path);
}

void channel_init_virtio(struct channel *c, int fd, const char *dev)
{
    channel_clear(c, CHK_VIRTIO);
    snprintf(c->path, sizeof c->path, "%s", dev);
    c->in_fd = c->out_fd = fd;
    c->connected = 0;   /* probed by reading: 0 = no host, EAGAIN = host attached */
    c->sigio = fcntl(fd, F_SETOWN, getpid()) == 0 && virtio_async(fd, 1) == 0;
    if (!c->sigio)
        LOGE("%s: no SIGIO on host attach (%s): probing every %d ms", dev, strerror(errno), VIRTIO_PROBE_MS);
}

int channel_listen_unix(const char *path)
{
    struct sockaddr_un sa;
    if (unix_addr(&sa, path) < 0)
        return -1;
    unlink(path);   /* a stale socket from a previous run */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0) {
        LOGE("listen on %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int channel_listen_vsock(void)
{
    struct pyro_sockaddr_vm sa;
    memset(&sa, 0, sizeof sa);
    sa.svm_family = AF_VSOCK;
    sa.svm_port = VSOCK_PORT;
    sa.svm_cid = VMADDR_CID_ANY_;
    int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0) {
        LOGE("vsock listen on port %d: %s", VSOCK_PORT, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int channel_accept(int listen_fd, int kind, struct channel *c)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return 0;
    channel_clear(c, kind);
    c->in_fd = c->out_fd = fd;
    c->connected = 1;
    c->attach = ATTACH_ACCEPT;
    LOGD("host connected (%s, fd %d)", channel_name(c), fd);
    return 1;
}

int channel_try_connect(struct channel *c, uint8_t *buf, size_t cap, size_t *nread)
{
    *nread = 0;
    uint64_t now = now_ms();
    switch (c->kind) {
    case CHK_CONNECT_UNIX: {
        if (now < c->next_try_ms)
            return 0;
        c->next_try_ms = now + 250;
        struct sockaddr_un sa;
        if (unix_addr(&sa, c->path) < 0)
            return 0;
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return 0;
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            close(fd);
            return 0;
        }
        set_nonblock(fd);
        c->in_fd = c->out_fd = fd;
        c->connected = 1;
        c->attach = ATTACH_CONNECT;
        LOGD("connected to %s", c->path);
        return 1;
    }
    case CHK_VIRTIO: {
        if (now < c->next_try_ms)
            return 0;
        int cause = c->probe_cause;
        c->next_try_ms = now + (c->sigio ? VIRTIO_FALLBACK_PROBE_MS : VIRTIO_PROBE_MS);
        c->probe_cause = PROBE_TIMER;
        ssize_t n = cap ? read(c->in_fd, buf, cap) : 0;
        if (n == 0 && cap)
            return -1;  /* no host attached, nothing sent */
        if (n < 0 && errno == EINTR) {
            c->next_try_ms = 0;   /* says nothing about the host: again at once */
            c->probe_cause = cause;
            return 0;
        }
        if (n < 0 && errno != EAGAIN)
            return 0;
        if (n > 0)
            *nread = (size_t)n;
        /* A new host's first bytes come by interrupt, its open by the kernel's control
         * workqueue: bytes may be here before the port counts the host as attached. Until
         * then writes fail with EAGAIN and poll() says POLLHUP, which the loop would take for
         * the host leaving. Keep the bytes; the open's SIGIO probes again. */
        if (n > 0 || !cap) {
            struct pollfd p = { c->in_fd, 0, 0 };
            if (poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) {
                LOGD("%s: bytes before the host's open", c->path);
                return 0;
            }
        }
        if (cause == PROBE_TIMER && c->sigio && sigio_pending()) {
            /* The safety-net timer fired as the host's SIGIO came, before the loop read it:
             * let that read prompt the probe (one loop turn), so that "signal" always means
             * a SIGIO the loop read. Deferred once: unprompted next time. */
            c->next_try_ms = now + VIRTIO_PROBE_MS;
            c->probe_cause = PROBE_UNPROMPTED;
            return 0;
        }
        c->connected = 1;
        c->attach = c->sigio && cause == PROBE_SIGNAL ? ATTACH_SIGNAL : ATTACH_PROBE;
        /* connected, poll() sees data and the host leaving; a SIGIO per inbound buffer
         * would only cost the loop a signalfd read */
        if (c->sigio && virtio_async(c->in_fd, 0) != 0)
            LOGE("%s: O_ASYNC off: %s", c->path, strerror(errno));
        LOGD("host attached to %s (%s)", c->path, channel_attach_name(c));
        return 1;
    }
    }
    return 0;
}

void channel_probe_now(struct channel *c)
{
    if (c->kind == CHK_VIRTIO && !c->connected) {
        c->next_try_ms = 0;
        c->probe_cause = PROBE_SIGNAL;
    }
}

int channel_probe_in_ms(const struct channel *c, uint64_t now)
{
    if (c->next_try_ms <= now)
        return 0;
    uint64_t d = c->next_try_ms - now;
    return d > 60000 ? 60000 : (int)d;
}

int channel_disconnected(struct channel *c)
{
    c->connected = 0;
    c->attach = ATTACH_NONE;
    switch (c->kind) {
    case CHK_STDIO:
        return 1;
    case CHK_VIRTIO:
        /* keep the port open: read() returns 0 until the next host attaches. Re-arm SIGIO,
         * then probe at once: a host that attached while it was off sent its SIGIO to nobody. */
        if (c->sigio && virtio_async(c->in_fd, 1) != 0) {
            LOGE("%s: O_ASYNC on: %s: probing every %d ms", c->path, strerror(errno), VIRTIO_PROBE_MS);
            c->sigio = 0;
        }
        c->next_try_ms = 0;
        /* a host found by this probe came while O_ASYNC was off: "probe", honestly */
        c->probe_cause = PROBE_UNPROMPTED;
        return 0;
    case CHK_CONNECT_UNIX:
        if (c->in_fd >= 0)
            close(c->in_fd);
        c->in_fd = c->out_fd = -1;
        c->next_try_ms = 0;
        LOGD("host disconnected (%s)", channel_name(c));
        return 0;
    default:   /* an accepted socket: the slot is free again */
        if (c->in_fd >= 0)
            close(c->in_fd);
        c->in_fd = c->out_fd = -1;
        LOGD("host disconnected (%s)", channel_name(c));
        return 1;
    }
}
