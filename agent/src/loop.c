#define _GNU_SOURCE
#include "loop.h"
#include "log.h"
#include "session.h"
#include "util.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_POLL (4 + 3 * MAX_STREAMS)

static void reap_children(struct session *s)
{
    /* all children, orphans included when we are PID 1; exec streams match by pid */
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            return;
        session_child_exited(s, pid, status);
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
static int on_disconnect(struct session *s, struct channel *ch)
{
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
    LOGD("host gone: cancelling all streams");
    session_reset(s);   /* kills the process groups of running execs */
    return channel_disconnected(ch);
}

int agent_serve(struct channel *ch)
{
    static struct session s;
    if (session_init(&s) < 0) {
        LOGE("out of memory");
        return SERVE_EXIT;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0) {
        LOGE("signalfd: %s", strerror(errno));
        return SERVE_EXIT;
    }
    uint64_t shutdown_until = 0;

    for (;;) {
        if (!ch->connected) {
            size_t avail, got = 0;
            uint8_t *dst = fr_space(&s.fr, &avail);
            if (channel_try_connect(ch, dst, avail, &got) && got)
                fr_commit(&s.fr, got);
        }
        /* frames left in the reader while the outbound queue was full */
        if (ch->connected)
            session_process_input(&s);
        struct pollfd pfd[MAX_POLL];
        int owners[MAX_POLL], tags[MAX_POLL];
        uint32_t ids[MAX_POLL];
        int n = 0, ch_idx = -1, out_idx = -1, lis_idx = -1;
        pfd[n].fd = sfd;
        pfd[n].events = POLLIN;
        n++;
        if (ch->connected) {
            size_t avail;
            fr_space(&s.fr, &avail);
            short ev = 0;
            if (!s.shutdown_pending && outq_len(&s) < OUTQ_HIGH && avail > 0)
                ev |= POLLIN;
            if (ch->in_fd == ch->out_fd) {
                if (outq_len(&s))
                    ev |= POLLOUT;
                pfd[n].fd = ch->in_fd;
                pfd[n].events = ev;
                ch_idx = n++;
            } else {
                pfd[n].fd = ch->in_fd;
                pfd[n].events = ev;
                ch_idx = n++;
                if (outq_len(&s)) {
                    pfd[n].fd = ch->out_fd;
                    pfd[n].events = POLLOUT;
                    out_idx = n++;
                }
            }
        } else if (ch->listen_fd >= 0) {
            pfd[n].fd = ch->listen_fd;
            pfd[n].events = POLLIN;
            lis_idx = n++;
        }
        int first = n, timeout = -1;
        n += session_pollfds(&s, pfd + n, owners + n, tags + n, MAX_POLL - n, &timeout);
        for (int i = first; i < n; i++)
            ids[i] = s.streams[owners[i]].id;
        if (!ch->connected && (ch->kind == CHK_VIRTIO || ch->kind == CHK_CONNECT_UNIX))
            timeout = timeout < 0 ? 100 : MIN(timeout, 100);
        if (s.shutdown_pending)
            timeout = timeout < 0 ? 10 : MIN(timeout, 10);
        for (int i = 0; i < n; i++)
            pfd[i].revents = 0;

        int pr = poll(pfd, (nfds_t)n, timeout);
        if (pr < 0 && errno != EINTR) {
            LOGE("poll: %s", strerror(errno));
            return SERVE_EXIT;
        }

        if (pfd[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
                ;
        }
        reap_children(&s);   /* cheap; also catches exits that raced the signalfd */

        if (lis_idx >= 0 && pfd[lis_idx].revents) {
            size_t got;
            channel_try_connect(ch, NULL, 0, &got);
        }

        int gone = 0;
        if (ch_idx >= 0) {
            short re = pfd[ch_idx].revents;
            if ((re & POLLIN) || ((re & (POLLHUP | POLLERR)) && !(re & POLLOUT))) {
                if (read_in(&s, ch) < 0)
                    gone = 1;
            }
            if (!gone && (re & POLLOUT) && flush_out(&s, ch) < 0)
                gone = 1;
        }
        if (!gone && out_idx >= 0 && pfd[out_idx].revents && flush_out(&s, ch) < 0)
            gone = 1;

        if (!gone) {
            for (int i = first; i < n; i++)
                if (pfd[i].revents)
                    session_dispatch_poll(&s, owners[i], ids[i], tags[i], pfd[i].revents);
            session_tick(&s);
            session_process_input(&s);
            if (ch->connected && outq_len(&s) && flush_out(&s, ch) < 0)
                gone = 1;
            if (s.dead)
                gone = 1;
        }
        if (gone && ch->connected) {
            if (on_disconnect(&s, ch))
                return SERVE_EXIT;
            continue;
        }

        if (s.shutdown_pending) {
            if (!shutdown_until)
                shutdown_until = now_ms() + 2000;
            if (!outq_len(&s) || now_ms() >= shutdown_until || !ch->connected) {
                int action = s.shutdown_pending == 2 ? SERVE_REBOOT : SERVE_POWEROFF;
                session_reset(&s);
                return action;
            }
        }
    }
}
