/* Readiness probe attempts, non-blocking: the owning service adds the probe's
 * socket to the poll loop and passes on its events, timers and child exits. */
#define _GNU_SOURCE
#include "probe.h"
#include "spawn.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PH_CONNECT, PH_SEND, PH_RECV };

static int fail(struct probe *p, const char *fmt, const char *what)
{
    snprintf(p->error, sizeof p->error, fmt, what);
    probe_cancel(p);
    return PROBE_FAILED;
}

static int succeed(struct probe *p)
{
    p->error[0] = 0;
    probe_cancel(p);
    return PROBE_OK;
}

int probe_init(struct probe *p, int kind, const char *target, char *err, size_t errsz)
{
    memset(p, 0, sizeof *p);
    p->fd = -1;
    p->kind = kind;
    if (!target || !target[0] || strlen(target) > PROBE_TARGET_MAX) {
        snprintf(err, errsz, "the %s readiness check needs a target of 1..%d bytes", probe_kind_name(kind),
                 PROBE_TARGET_MAX);
        return -1;
    }
    char why[160];
    if (kind == PROBE_TCP && probe_parse_address(target, &p->addr, &p->addrlen, why, sizeof why) < 0) {
        snprintf(err, errsz, "tcp readiness address %.200s: %s", target, why);
        return -1;
    }
    if (kind == PROBE_HTTP) {
        struct probe_url *u = malloc(sizeof *u);
        if (!u || probe_parse_url(target, u, why, sizeof why) < 0) {
            snprintf(err, errsz, "http readiness URL %.200s: %s", target, u ? why : "out of memory");
            free(u);
            return -1;
        }
        size_t cap = strlen(u->path) + strlen(u->host) + 128;
        p->request = malloc(cap);
        if (p->request)
            p->req_len = (size_t)snprintf(p->request, cap, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: pyro-agent"
                                          "\r\nAccept: */*\r\nConnection: close\r\n\r\n", u->path, u->host);
        p->addr = u->addr;
        p->addrlen = u->addrlen;
        free(u);
        if (!p->request) {
            snprintf(err, errsz, "out of memory");
            return -1;
        }
    }
    p->target = strdup(target);
    if (!p->target) {
        free(p->request);
        p->request = NULL;
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    return 0;
}

struct cmd_setup {
    const char *command;
    int cwdfd;
    char **env;
};

/* in the probe's child: /dev/null for stdio, the service's directory and environment */
static int cmd_setup(void *arg)
{
    struct cmd_setup *c = arg;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || fchdir(c->cwdfd) != 0)
        return errno;
    for (size_t i = 0; c->env && c->env[i]; i++)
        putenv(c->env[i]);
    execl("/bin/sh", "sh", "-c", c->command, (char *)NULL);
    return errno;
}

static int socket_attempt(struct probe *p)
{
    p->fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (p->fd < 0)
        return fail(p, "socket: %s", strerror(errno));
    p->phase = PH_CONNECT;
    p->req_off = p->resp_len = 0;
    if (connect(p->fd, (struct sockaddr *)&p->addr, p->addrlen) == 0) {
        if (p->kind == PROBE_TCP)
            return succeed(p);
        p->phase = PH_SEND;
        return probe_on_poll(p);
    }
    /* in progress: POLLOUT says it is done, SO_ERROR then how it went */
    return errno == EINPROGRESS ? PROBE_PENDING : fail(p, "connect: %s", strerror(errno));
}

int probe_attempt(struct probe *p, int cwdfd, char **env, uint64_t attempt_ms)
{
    probe_cancel(p);
    p->attempts++;
    p->attempt_until = now_ms() + attempt_ms;
    switch (p->kind) {
    case PROBE_FILE: {
        struct stat sb;
        if (fstatat(cwdfd, p->target, &sb, 0) == 0)
            return succeed(p);
        return fail(p, "%s", errno == ENOENT ? "the file does not exist yet" : strerror(errno));
    }
    case PROBE_TCP:
    case PROBE_HTTP:
        return socket_attempt(p);
    case PROBE_COMMAND: {
        struct cmd_setup cs = { p->target, cwdfd, env };
        int err, in_child;
        pid_t pid = spawn_session(cmd_setup, &cs, &err, &in_child);
        if (pid < 0)
            return fail(p, "cannot run the check: %s", strerror(err));
        p->pid = pid;
        return PROBE_PENDING;
    }
    }
    return fail(p, "%s", "no readiness check");
}

int probe_pollfd(const struct probe *p, short *events)
{
    if (p->fd < 0)
        return -1;
    *events = p->phase == PH_RECV ? POLLIN : POLLOUT;
    return p->fd;
}

int probe_on_poll(struct probe *p)
{
    if (p->fd < 0)
        return PROBE_PENDING;
    if (p->phase == PH_CONNECT) {
        int e = 0;
        socklen_t el = sizeof e;
        if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
            e = errno;
        if (e == EINPROGRESS || e == EALREADY)
            return PROBE_PENDING;
        if (e)
            return fail(p, "connect: %s", strerror(e));
        if (p->kind == PROBE_TCP)
            return succeed(p);
        p->phase = PH_SEND;
    }
    while (p->phase == PH_SEND) {
        ssize_t w = send(p->fd, p->request + p->req_off, p->req_len - p->req_off, MSG_NOSIGNAL);
        if (w > 0) {
            p->req_off += (size_t)w;
            if (p->req_off == p->req_len)
                p->phase = PH_RECV;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == ENOTCONN))
            return PROBE_PENDING;
        return fail(p, "sending the request: %s", w < 0 ? strerror(errno) : "nothing written");
    }
    for (;;) {
        ssize_t r = recv(p->fd, p->resp + p->resp_len, sizeof p->resp - p->resp_len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return PROBE_PENDING;
        if (r < 0)
            return fail(p, "reading the answer: %s", strerror(errno));
        p->resp_len += (size_t)r;
        int code = probe_http_status(p->resp, p->resp_len);
        if (code >= 200 && code < 400)
            return succeed(p);
        if (code > 0) {
            char n[16];
            snprintf(n, sizeof n, "%d", code);
            return fail(p, "answered HTTP status %s", n);
        }
        if (code < 0)
            return fail(p, "%s", "the answer is not HTTP");
        if (r == 0)
            return fail(p, "%s", "the connection closed before an HTTP status line");
        if (p->resp_len == sizeof p->resp)
            return fail(p, "%s", "no HTTP status line");
    }
}

int probe_on_child(struct probe *p, pid_t pid, int status)
{
    if (!p->pid || pid != p->pid)
        return PROBE_PENDING;
    p->pid = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return succeed(p);
    char what[48];
    if (WIFEXITED(status))
        snprintf(what, sizeof what, "exited with code %d", WEXITSTATUS(status));
    else
        snprintf(what, sizeof what, "was killed by signal %d", WTERMSIG(status));
    return fail(p, "the check command %s", what);
}

int probe_on_timer(struct probe *p, uint64_t now)
{
    if ((p->fd >= 0 || p->pid) && now >= p->attempt_until)
        return fail(p, "%s", p->pid ? "the check command did not finish in time" : "no answer in time");
    return PROBE_PENDING;
}

void probe_cancel(struct probe *p)
{
    if (p->fd >= 0) {
        close(p->fd);
        p->fd = -1;
    }
    if (p->pid) {
        kill(-p->pid, SIGKILL);   /* the check leads its own session; the loop reaps it */
        p->pid = 0;
    }
}

void probe_free(struct probe *p)
{
    probe_cancel(p);
    free(p->target);
    free(p->request);
    p->target = p->request = NULL;
}
