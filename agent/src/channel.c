#define _GNU_SOURCE
#include "channel.h"
#include "log.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* /sys/class/virtio-ports/<vportNpM>/name == "pyro.agent" -> /dev/vportNpM */
static int find_virtio_port(char *dev, size_t devsz)
{
    DIR *d = opendir("/sys/class/virtio-ports");
    if (!d)
        return -1;
    struct dirent *de;
    int found = -1;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char p[512], name[64];
        snprintf(p, sizeof p, "/sys/class/virtio-ports/%s/name", de->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, name, sizeof name - 1);
        close(fd);
        if (n <= 0)
            continue;
        name[n] = 0;
        while (n > 0 && (name[n - 1] == '\n' || name[n - 1] == ' '))
            name[--n] = 0;
        if (!strcmp(name, "pyro.agent")) {
            snprintf(dev, devsz, "/dev/%s", de->d_name);
            found = 0;
            break;
        }
    }
    closedir(d);
    return found;
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

int channel_open(struct channel *c, int kind, const char *path, int wait_ms)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->in_fd = c->out_fd = c->listen_fd = -1;
    if (path)
        snprintf(c->path, sizeof c->path, "%s", path);
    switch (kind) {
    case CHK_STDIO:
        c->in_fd = 0;
        c->out_fd = 1;
        set_nonblock(0);
        set_nonblock(1);
        c->connected = 1;
        return 0;
    case CHK_LISTEN_UNIX: {
        struct sockaddr_un sa;
        if (unix_addr(&sa, path) < 0)
            return -1;
        unlink(path);   /* a stale socket from a previous run */
        c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            listen(c->listen_fd, 4) != 0) {
            LOGE("listen on %s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    case CHK_CONNECT_UNIX:
        return 0;   /* connected by channel_try_connect, with retries */
    case CHK_VIRTIO: {
        char dev[300];
        uint64_t until = now_ms() + (uint64_t)wait_ms;
        /* the port appears asynchronously after virtio_console loads */
        while (find_virtio_port(dev, sizeof dev) != 0) {
            if (now_ms() >= until) {
                LOGD("no virtio-serial port pyro.agent; using vsock port %d", VSOCK_PORT);
                return channel_open(c, CHK_VSOCK, NULL, 0);
            }
            struct timespec ts = { 0, 5 * 1000000L };
            nanosleep(&ts, NULL);
        }
        int fd = -1;
        for (int tries = 0; tries < 400 && fd < 0; tries++) {
            fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            if (fd < 0) {
                struct timespec ts = { 0, 5 * 1000000L };
                nanosleep(&ts, NULL);
            }
        }
        if (fd < 0) {
            LOGE("open %s: %s", dev, strerror(errno));
            return -1;
        }
        snprintf(c->path, sizeof c->path, "%s", dev);
        c->in_fd = c->out_fd = fd;
        c->connected = 0;   /* probed by reading: 0 = no host, EAGAIN = host attached */
        LOGD("using virtio-serial port %s", dev);
        return 0;
    }
    case CHK_VSOCK: {
        c->kind = CHK_VSOCK;
        struct pyro_sockaddr_vm sa;
        memset(&sa, 0, sizeof sa);
        sa.svm_family = AF_VSOCK;
        sa.svm_port = VSOCK_PORT;
        sa.svm_cid = VMADDR_CID_ANY_;
        c->listen_fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
            listen(c->listen_fd, 4) != 0) {
            LOGE("vsock listen on port %d: %s", VSOCK_PORT, strerror(errno));
            return -1;
        }
        return 0;
    }
    }
    return -1;
}

int channel_try_connect(struct channel *c, uint8_t *buf, size_t cap, size_t *nread)
{
    *nread = 0;
    uint64_t now = now_ms();
    switch (c->kind) {
    case CHK_LISTEN_UNIX:
    case CHK_VSOCK: {
        int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return 0;
        c->in_fd = c->out_fd = fd;
        c->connected = 1;
        LOGD("host connected (%s)", channel_name(c));
        return 1;
    }
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
        LOGD("connected to %s", c->path);
        return 1;
    }
    case CHK_VIRTIO: {
        if (now < c->next_try_ms)
            return 0;
        c->next_try_ms = now + 100;
        ssize_t n = read(c->in_fd, buf, cap);
        if (n == 0)
            return 0;   /* no host attached */
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return 0;
        c->connected = 1;
        if (n > 0)
            *nread = (size_t)n;
        LOGD("host attached to %s", c->path);
        return 1;
    }
    }
    return 0;
}

int channel_disconnected(struct channel *c)
{
    c->connected = 0;
    switch (c->kind) {
    case CHK_STDIO:
        return 1;
    case CHK_VIRTIO:
        /* keep the port open: read() returns 0 until the next host attaches */
        c->next_try_ms = now_ms() + 100;
        return 0;
    default:
        if (c->in_fd >= 0)
            close(c->in_fd);
        c->in_fd = c->out_fd = -1;
        c->next_try_ms = 0;
        LOGD("host disconnected (%s)", channel_name(c));
        return 0;
    }
}
