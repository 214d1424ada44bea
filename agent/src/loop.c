#define _GNU_SOURCE
#include "loop.h"
#include "idle.h"
#include "log.h"
#include "reclaim.h"
#include "resource.h"
#include "session.h"
#include "util.h"
#include "xtrace.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_POLL (4 + MAX_CONNS * (2 + 3 * MAX_STREAMS) + 2 * MAX_RESOURCES)
#define RESCAN_MS 1000    /* virtio: look for ports that appeared later */

struct conn {
    int used;
    struct channel ch;
    struct session *s;
    int shutdown_cancelled;
};

static struct conn g_conns[MAX_CONNS];
static int g_listen_fd = -1, g_listen_kind;
static int g_virtio;            /* serving virtio-serial ports (rescanned) */
static uint64_t g_next_scan;

static struct conn *conn_alloc(void)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        struct conn *c = &g_conns[i];
        if (c->used)
            continue;
        c->s = calloc(1, sizeof *c->s);
        if (!c->s || session_init(c->s) < 0) {
            free(c->s);
            c->s = NULL;
            LOGE("out of memory for a new session");
            return NULL;
        }
        c->used = 1;
        c->shutdown_cancelled = 0;
        return c;
    }
    return NULL;
}

static void conn_release(struct conn *c)
{
    if (c->s) {
        session_free(c->s);
        free(c->s);
    }
    memset(c, 0, sizeof *c);
}

static int conn_count(void)
{
    int n = 0;
    for (int i = 0; i < MAX_CONNS; i++)
        n += g_conns[i].used;
    return n;
}

static void virtio_scan(void)
{
    char devs[MAX_CONNS][64];
    int n = virtio_find_ports(devs, MAX_CONNS);
    for (int i = 0; i < n; i++) {
        int known = 0;
        for (int j = 0; j < MAX_CONNS; j++)
            if (g_conns[j].used && !strcmp(g_conns[j].ch.path, devs[i]))
                known = 1;
        if (known || conn_count() >= MAX_CONNS)
            continue;
        int fd = virtio_open_port(devs[i]);
        if (fd < 0)
            continue;
        struct conn *c = conn_alloc();
        if (!c) {
            close(fd);
            continue;
        }
        channel_init_virtio(&c->ch, fd, devs[i]);
        LOGD("serving virtio-serial port %s", devs[i]);
    }
}

static void reap_children(void)
{
    /* all children, orphans included when we are PID 1; exec streams match by pid */
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        for (int i = 0; i < MAX_CONNS; i++)
            if (g_conns[i].used)
                session_child_exited(g_conns[i].s, pid, status);
        resources_child_exited(pid, status);
    }
}

/* write as much of the outbound queue as the channel takes; -1 = connection broken */
static int flush_out(struct session *s, struct channel *ch)
{
    struct outq *q = &s->oq;
    while (q->end > q->start) {
        ssize_t w = write(ch->out_fd, q->buf + q->start, q->end - q->start);
        if (w > 0) {
            q->start += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            return 0;
        return -1;
    }
    q->start = q->end = 0;
    return 0;
}

/* read what is available into the frame reader; -1 = host gone */
static int read_in(struct session *s, struct channel *ch)
{
    for (int i = 0; i < 4; i++) {
        size_t avail;
        uint8_t *dst = fr_space(&s->fr, &avail);
        if (avail == 0)
            return 0;
        ssize_t n = read(ch->in_fd, dst, avail);
        if (n > 0) {
            fr_commit(&s->fr, (size_t)n);
            if ((size_t)n < avail)
                return 0;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        return -1;
    }
    return 0;
}

/* returns 1 if the agent should exit */
static int on_disconnect(struct conn *c)
{
    struct session *s = c->s;
    struct channel *ch = &c->ch;
    if (ch->kind == CHK_STDIO) {
        /* stdin EOF in development mode: hand over what is queued, then exit */
        uint64_t until = now_ms() + 1000;
        while (outq_len(s) && now_ms() < until) {
            if (flush_out(s, ch) < 0)
                break;
            if (outq_len(s)) {
                struct pollfd p = { ch->out_fd, POLLOUT, 0 };
                poll(&p, 1, 100);
            }
        }
    }
    LOGD("host gone (%s %s): cancelling its streams", channel_name(ch), ch->path);
    session_reset(s);   /* kills the process groups of this session's execs */
    int kind = ch->kind;
    if (channel_disconnected(ch)) {
        conn_release(c);
        return kind == CHK_STDIO;
    }
    return 0;
}

static void reset_all(void)
{
    for (int i = 0; i < MAX_CONNS; i++)
        if (g_conns[i].used)
            session_reset(g_conns[i].s);
}

static int setup_transport(int kind, const char *path, int wait_ms)
{
    struct conn *c;
    switch (kind) {
    case CHK_STDIO:
        if (!(c = conn_alloc()))
            return -1;
        channel_init_stdio(&c->ch);
        c->s->attach = channel_attach_name(&c->ch);   /* no announcement: the host is there from the start */
        return 0;
    case CHK_CONNECT_UNIX:
        if (!(c = conn_alloc()))
            return -1;
        channel_init_connect(&c->ch, path);
        return 0;
    case CHK_LISTEN_UNIX:
        g_listen_kind = CHK_LISTEN_UNIX;
        g_listen_fd = channel_listen_unix(path);
        return g_listen_fd < 0 ? -1 : 0;
    case CHK_VIRTIO: {
        /* the ports appear asynchronously after virtio_console loads */
        uint64_t until = now_ms() + (uint64_t)wait_ms;
        char devs[MAX_CONNS][64];
        while (virtio_find_ports(devs, MAX_CONNS) == 0) {
            if (now_ms() >= until) {
                LOGD("no virtio-serial port " VIRTIO_PORT_PREFIX "*; using vsock port %d", VSOCK_PORT);
                g_listen_kind = CHK_VSOCK;
                g_listen_fd = channel_listen_vsock();
                return g_listen_fd < 0 ? -1 : 0;
            }
            struct timespec ts = { 0, 5 * 1000000L };
            nanosleep(&ts, NULL);
        }
        g_virtio = 1;
        virtio_scan();
        g_next_scan = now_ms() + RESCAN_MS;
        return conn_count() > 0 ? 0 : -1;
    }
    }
    return -1;
}

static int any_busy(void)
{
    for (int i = 0; i < MAX_CONNS; i++)
        if (g_conns[i].used && session_busy(g_conns[i].s))
            return 1;
    return 0;
}

static int serve(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGIO);     /* a host attached to a virtio-serial port (channel.c) */
    int sigs = g_conf.guest && g_conf.pid1;
    if (sigs) {
        sigaddset(&mask, SIGINT);    /* Ctrl-Alt-Del with RB_DISABLE_CAD (Firecracker SendCtrlAltDel) */
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGPWR);
    }
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0) {
        LOGE("signalfd: %s", strerror(errno));
        return SERVE_EXIT;
    }
    uint64_t shutdown_until = 0;
    struct idle_clock idle;
    idle_init(&idle, g_conf.idle_reclaim_ms, now_ms());

    static struct pollfd pfd[MAX_POLL];
    static int owners[MAX_POLL], tags[MAX_POLL], sess[MAX_POLL];
    static uint32_t ids[MAX_POLL];

    for (;;) {
        if (g_virtio && conn_count() < MAX_CONNS && now_ms() >= g_next_scan) {
            virtio_scan();
            g_next_scan = now_ms() + RESCAN_MS;
        }
        int shutdown_pending = 0;
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &g_conns[i];
            if (!c->used)
                continue;
            if (!c->ch.connected) {
                size_t avail, got = 0;
                uint8_t *dst = fr_space(&c->s->fr, &avail);
                int r = channel_try_connect(&c->ch, dst, avail, &got);
                if (got)
                    fr_commit(&c->s->fr, got);
                if (r > 0)
                    session_announce(c->s, channel_attach_name(&c->ch));
                else if (r < 0)
                    fr_reset(&c->s->fr);
            }
            /* frames left in the reader while the outbound queue was full */
            if (c->ch.connected)
                session_process_input(c->s);
            if (c->s->shutdown_pending > 0)
                shutdown_pending = c->s->shutdown_pending;
        }
        if (shutdown_pending) {
            /* one session asked for shutdown: every other session's streams end too */
            for (int i = 0; i < MAX_CONNS; i++) {
                struct conn *c = &g_conns[i];
                if (c->used && !c->shutdown_cancelled) {
                    session_cancel_all(c->s, "agent is shutting down");
                    c->s->shutdown_pending = c->s->shutdown_pending ? c->s->shutdown_pending : -1;
                    c->shutdown_cancelled = 1;
                }
            }
        }

        int n = 0, lis_idx = -1, timeout = -1;
        int ch_idx[MAX_CONNS], out_idx[MAX_CONNS];
        pfd[n].fd = sfd;
        pfd[n].events = POLLIN;
        n++;
        int probe_in = -1;   /* ms until the earliest reconnect probe */
        uint64_t now = now_ms();
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &g_conns[i];
            ch_idx[i] = out_idx[i] = -1;
            if (!c->used)
                continue;
            if (!c->ch.connected) {
                int t = channel_probe_in_ms(&c->ch, now);
                probe_in = probe_in < 0 ? t : MIN(probe_in, t);
                continue;
            }
            struct session *s = c->s;
            size_t avail;
            fr_space(&s->fr, &avail);
            short ev = 0;
            if (!s->shutdown_pending && outq_len(s) < OUTQ_HIGH && avail > 0)
                ev |= POLLIN;
            if (c->ch.in_fd == c->ch.out_fd) {
                if (outq_len(s))
                    ev |= POLLOUT;
                pfd[n].fd = c->ch.in_fd;
                pfd[n].events = ev;
                ch_idx[i] = n++;
            } else {
                pfd[n].fd = c->ch.in_fd;
                pfd[n].events = ev;
                ch_idx[i] = n++;
                if (outq_len(s)) {
                    pfd[n].fd = c->ch.out_fd;
                    pfd[n].events = POLLOUT;
                    out_idx[i] = n++;
                }
            }
        }
        if (g_listen_fd >= 0 && conn_count() < MAX_CONNS && !shutdown_pending) {
            pfd[n].fd = g_listen_fd;
            pfd[n].events = POLLIN;
            lis_idx = n++;
        }
        int first = n;
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &g_conns[i];
            if (!c->used)
                continue;
            int k = session_pollfds(c->s, pfd + n, owners + n, tags + n, MAX_POLL - n, &timeout);
            for (int j = n; j < n + k; j++) {
                sess[j] = i;
                ids[j] = c->s->streams[owners[j]].id;
            }
            n += k;
        }
        int res_first = n;
        n += resources_pollfds(pfd + n, owners + n, ids + n, tags + n, MAX_POLL - n, &timeout);
        if (probe_in >= 0)
            timeout = timeout < 0 ? probe_in : MIN(timeout, probe_in);
        if (g_virtio && conn_count() < MAX_CONNS)
            timeout = timeout < 0 ? RESCAN_MS : MIN(timeout, RESCAN_MS);
        if (shutdown_pending)
            timeout = timeout < 0 ? 10 : MIN(timeout, 10);
        if (g_conf.idle_reclaim_ms && idle_due(&idle, any_busy() || shutdown_pending, now_ms(), &timeout)) {
            LOGD("idle for %llu ms: dropping caches so free pages go back to the host",
                 (unsigned long long)g_conf.idle_reclaim_ms);
            reclaim_start();
        }
        if (g_conf.ttl_ms) {
            uint64_t bt = boottime_ms();
            if (bt >= g_conf.ttl_ms) {
                reset_all();
                return SERVE_TTL;
            }
            uint64_t left = g_conf.ttl_ms - bt;
            int t = (int)MIN(left, (uint64_t)60000);
            timeout = timeout < 0 ? t : MIN(timeout, t);
        }
        for (int i = 0; i < n; i++)
            pfd[i].revents = 0;

        int pr = poll(pfd, (nfds_t)n, timeout);
        XTRACE_WAKE();
        if (pr < 0 && errno != EINTR) {
            LOGE("poll: %s", strerror(errno));
            return SERVE_EXIT;
        }

        if (pfd[0].revents & POLLIN) {
            /* several signals per read(): a short read means none are left, no EAGAIN read */
            struct signalfd_siginfo si[8];
            int action = -1, child = 0, attach = 0;
            ssize_t got;
            do {
                got = read(sfd, si, sizeof si);
                for (ssize_t k = 0; got > 0 && k < got / (ssize_t)sizeof si[0]; k++) {
                    if (si[k].ssi_signo == SIGINT)
                        action = SERVE_REBOOT;
                    else if (si[k].ssi_signo == SIGTERM || si[k].ssi_signo == SIGPWR)
                        action = action == SERVE_REBOOT ? action : SERVE_POWEROFF;
                    else if (si[k].ssi_signo == SIGCHLD)
                        child = 1;
                    else if (si[k].ssi_signo == SIGIO)
                        attach = 1;
                }
            } while (got == (ssize_t)sizeof si);
            if (sigs && action >= 0) {
                LOGE("signal: %s", action == SERVE_REBOOT ? "rebooting (Ctrl-Alt-Del)" : "powering off");
                reset_all();
                return action;
            }
            /* Only after a SIGCHLD (one waitpid per wake-up is a syscall the many wake-ups
             * for frames and pipes do not need): a child that exits after the read above
             * leaves its SIGCHLD pending, so the next poll() returns at once for it. */
            if (child)
                reap_children();
            /* the unconnected ports probe at the top of the next iteration; one signal
             * stands for any number of ports (standard signals coalesce) */
            for (int i = 0; attach && i < MAX_CONNS; i++)
                if (g_conns[i].used)
                    channel_probe_now(&g_conns[i].ch);
        }

        if (lis_idx >= 0 && pfd[lis_idx].revents) {
            while (conn_count() < MAX_CONNS) {
                struct conn *c = conn_alloc();
                if (!c)
                    break;
                if (!channel_accept(g_listen_fd, g_listen_kind, &c->ch)) {
                    conn_release(c);
                    break;
                }
                session_announce(c->s, channel_attach_name(&c->ch));
            }
        }

        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &g_conns[i];
            if (!c->used || ch_idx[i] < 0)
                continue;
            int gone = 0;
            short re = pfd[ch_idx[i]].revents;
            if ((re & POLLIN) || ((re & (POLLHUP | POLLERR)) && !(re & POLLOUT))) {
                if (read_in(c->s, &c->ch) < 0)
                    gone = 1;
            }
            if (!gone && (re & POLLOUT) && flush_out(c->s, &c->ch) < 0)
                gone = 1;
            if (!gone && out_idx[i] >= 0 && pfd[out_idx[i]].revents && flush_out(c->s, &c->ch) < 0)
                gone = 1;
            if (gone) {
                if (on_disconnect(c))
                    return SERVE_EXIT;
                ch_idx[i] = -1;
            }
        }

        for (int i = first; i < res_first; i++) {
            struct conn *c = &g_conns[sess[i]];
            if (pfd[i].revents && c->used)
                session_dispatch_poll(c->s, owners[i], ids[i], tags[i], pfd[i].revents);
        }
        for (int i = res_first; i < n; i++)
            if (pfd[i].revents)
                resources_dispatch_poll(owners[i], ids[i], tags[i], pfd[i].revents);
        resources_tick();
        for (int i = 0; i < MAX_CONNS; i++) {
            struct conn *c = &g_conns[i];
            if (!c->used)
                continue;
            session_tick(c->s);
            if (!c->ch.connected)
                continue;
            session_process_input(c->s);
            XTRACE_FLUSHING();
            int gone = outq_len(c->s) && flush_out(c->s, &c->ch) < 0;
            XTRACE_FLUSHED();
            if (c->s->dead)
                gone = 1;
            if (gone && on_disconnect(c))
                return SERVE_EXIT;
        }

        if (shutdown_pending) {
            if (!shutdown_until)
                shutdown_until = now_ms() + 2000;
            int queued = 0;
            for (int i = 0; i < MAX_CONNS; i++)
                if (g_conns[i].used && g_conns[i].ch.connected && outq_len(g_conns[i].s))
                    queued = 1;
            if (!queued || now_ms() >= shutdown_until) {
                int action = shutdown_pending == 2 ? SERVE_REBOOT : SERVE_POWEROFF;
                reset_all();
                return action;
            }
        }
    }
}

int agent_serve(int kind, const char *path, int wait_ms)
{
    if (setup_transport(kind, path, wait_ms) < 0)
        return -1;
    int action = serve();
    /* shells and other resources end with the agent: nothing left running, nothing unreaped
     * (as PID 1 the guest powers off: no need to wait) */
    resources_shutdown(!g_conf.pid1);
    return action;
}
