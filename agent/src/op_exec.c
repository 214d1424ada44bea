/* exec: fork a child in its own session (so timeout/cancel kill the whole
 * process group), stream its stdout/stderr as DATA within the host's credit
 * (a child whose host stops reading blocks on its pipe, not our memory), and
 * feed channel-0 DATA into its stdin as the pipe drains. */
#define _GNU_SOURCE
#include "exec_child.h"
#include "json.h"
#include "log.h"
#include "netcfg.h"
#include "paths.h"
#include "session.h"
#include "spawn.h"
#include "util.h"
#include "xtrace.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINGER_MS 250   /* after the child exits, wait this long for pipes held by background processes */

struct exec_st {
    pid_t pid;
    int reaped, status;
    int fd[3];                /* [0] child's stdin (write end), [1] stdout, [2] stderr (read ends) */
    uint64_t start_us, end_us;  /* the measured interval: just before the spawn .. the reap */
    uint64_t deadline, linger;  /* ms */
    uint64_t total[3], sent[3], cap;
    int timed_out, cancelled, killed;
    uint8_t *inbuf;
    size_t in_off, in_len;
};

static uint8_t g_scratch[65536];

void exec_set_base_env(int guest)
{
    if (!guest)
        return;   /* development mode: the agent's own environment */
    clearenv();
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
    setenv("HOME", "/root", 1);
    setenv("LANG", "C.UTF-8", 1);
    setenv("TERM", "dumb", 1);
    /* under an egress allow-list everything goes through the host's proxy */
    struct guest_net_proxy px;
    char url[64];
    if (guest_net_proxy(&px, url, sizeof url) == 0) {
        const char *vars[] = { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY" };
        for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
            setenv(vars[i], url, 1);
        setenv("no_proxy", "localhost,127.0.0.1", 1);
        setenv("NO_PROXY", "localhost,127.0.0.1", 1);
    }
}

/* One finished exec's state is kept for the next. An exec's small allocations (request,
 * environment array, state, result) share one heap page; with none of them left, musl's
 * malloc gave that page back at every exec's end and mapped it again at the next request:
 * an munmap (a TLB flush, slow under TCG) on the result's path and an mmap and page fault on
 * the request's. The spare keeps the page in use. */
static struct exec_st *g_spare;

static struct exec_st *exec_state_new(void)
{
    struct exec_st *e = g_spare;
    g_spare = NULL;
    if (e)
        memset(e, 0, sizeof *e);
    return e ? e : calloc(1, sizeof *e);
}

static void exec_state_free(struct exec_st *e)
{
    free(e->inbuf);
    if (g_spare)
        free(e);
    else
        g_spare = e;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void kill_group(struct exec_st *e)
{
    if (e->pid > 0 && !e->killed) {
        kill(-e->pid, SIGKILL);
        if (!e->reaped)
            kill(e->pid, SIGKILL);   /* in case setsid() had not happened (it has: we waited for exec) */
        e->killed = 1;
    }
}

static void close_output(struct session *s, struct stream *st, int ch)
{
    struct exec_st *e = st->state;
    if (e->fd[ch] < 0)
        return;
    close_fd(&e->fd[ch]);
    send_frame(s, FT_EOF, (uint8_t)ch, st->id, NULL, 0);
}

static void maybe_finish(struct session *s, struct stream *st)
{
    struct exec_st *e = st->state;
    if (!e->reaped || e->fd[CH_OUT] >= 0 || e->fd[CH_ERR] >= 0)
        return;
    struct jbuf b;
    jb_init(&b, 1024);
    jb_raw(&b, "{\"exit_code\":");
    if (WIFEXITED(e->status))
        jb_i64(&b, WEXITSTATUS(e->status));
    else
        jb_raw(&b, "null");
    jb_raw(&b, ",\"signal\":");
    if (WIFSIGNALED(e->status))
        jb_i64(&b, WTERMSIG(e->status));
    else
        jb_raw(&b, "null");
    jb_raw(&b, e->timed_out ? ",\"timed_out\":true" : ",\"timed_out\":false");
    jb_raw(&b, e->cancelled ? ",\"cancelled\":true" : ",\"cancelled\":false");
    /* duration_ms as before (whole-ms clock readings), duration_us the same interval in µs */
    jb_raw(&b, ",\"duration_ms\":");
    jb_u64(&b, e->end_us / 1000 - e->start_us / 1000);
    jb_raw(&b, ",\"duration_us\":");
    jb_u64(&b, e->end_us - e->start_us);
    jb_raw(&b, ",\"stdout_bytes\":");
    jb_u64(&b, e->total[CH_OUT]);
    jb_raw(&b, ",\"stderr_bytes\":");
    jb_u64(&b, e->total[CH_ERR]);
    jb_raw(&b, e->total[CH_OUT] > e->sent[CH_OUT] ? ",\"stdout_truncated\":true" : ",\"stdout_truncated\":false");
    jb_raw(&b, e->total[CH_ERR] > e->sent[CH_ERR] ? ",\"stderr_truncated\":true}" : ",\"stderr_truncated\":false}");
    XTRACE(XT_RESULT);
    stream_finish_result(s, st, b.p ? b.p : "{}");
    jb_free(&b);
}

static int discarding(struct exec_st *e, int ch)
{
    return e->cap && e->sent[ch] >= e->cap;
}

static void pump_output(struct session *s, struct stream *st, int ch)
{
    struct exec_st *e = st->state;
    for (int iter = 0; iter < 4 && e->fd[ch] >= 0; iter++) {
        ssize_t r;
        if (discarding(e, ch)) {
            /* over the cap: keep reading so the child never blocks, but drop the bytes */
            r = read(e->fd[ch], g_scratch, sizeof g_scratch);
            if (r > 0) {
                e->total[ch] += (uint64_t)r;
                continue;
            }
        } else {
            size_t n = stream_sendable(s, st, ch);
            if (e->cap && n > e->cap - e->sent[ch])
                n = (size_t)(e->cap - e->sent[ch]);
            if (n == 0)
                return;   /* back-pressure: leave the bytes in the pipe */
            uint8_t *dst = outq_reserve(s, n);
            if (!dst)
                return;
            r = read(e->fd[ch], dst, n);
            if (r > 0) {
                outq_commit(s, FT_DATA, (uint8_t)ch, st->id, (size_t)r);
                st->out_credit[ch] -= (uint64_t)r;
                e->sent[ch] += (uint64_t)r;
                e->total[ch] += (uint64_t)r;
                continue;
            }
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return;
        close_output(s, st, ch);   /* EOF or read error */
    }
}

static void pump_stdin(struct session *s, struct stream *st)
{
    struct exec_st *e = st->state;
    while (e->fd[CH_IN] >= 0 && e->in_len > 0) {
        ssize_t w = write(e->fd[CH_IN], e->inbuf + e->in_off, e->in_len);
        if (w > 0) {
            e->in_off += (size_t)w;
            e->in_len -= (size_t)w;
            stream_consumed(s, st, (size_t)w);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            break;
        /* EPIPE: the child closed its stdin; drop what is left but keep crediting */
        close_fd(&e->fd[CH_IN]);
        stream_consumed(s, st, e->in_len);
        e->in_len = 0;
    }
    if (e->in_len == 0)
        e->in_off = 0;
    if (e->fd[CH_IN] >= 0 && e->in_len == 0 && st->in_eof)
        close_fd(&e->fd[CH_IN]);
}

static void ex_on_data(struct session *s, struct stream *st, const uint8_t *p, size_t n)
{
    struct exec_st *e = st->state;
    if (e->fd[CH_IN] < 0) {
        stream_consumed(s, st, n);
        return;
    }
    if (!e->inbuf && !(e->inbuf = malloc(FLOW_WINDOW))) {
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    /* credit accounting guarantees in_len + n <= FLOW_WINDOW */
    if (e->in_off + e->in_len + n > FLOW_WINDOW) {
        memmove(e->inbuf, e->inbuf + e->in_off, e->in_len);
        e->in_off = 0;
    }
    if (e->in_off + e->in_len + n > FLOW_WINDOW) {
        stream_finish_error(s, st, "flow_control", "stdin buffer overflow");
        return;
    }
    memcpy(e->inbuf + e->in_off + e->in_len, p, n);
    e->in_len += n;
    pump_stdin(s, st);
}

static void ex_on_eof(struct session *s, struct stream *st)
{
    pump_stdin(s, st);
}

static void ex_on_cancel(struct session *s, struct stream *st)
{
    struct exec_st *e = st->state;
    e->cancelled = 1;
    kill_group(e);
    close_fd(&e->fd[CH_IN]);
    e->in_len = 0;
    close_output(s, st, CH_OUT);
    close_output(s, st, CH_ERR);
    maybe_finish(s, st);   /* else when the child is reaped */
}

static int ex_add_pollfds(struct session *s, struct stream *st, struct pollfd *pfd, int *tags, int max)
{
    struct exec_st *e = st->state;
    int n = 0;
    for (int ch = CH_OUT; ch <= CH_ERR && n < max; ch++) {
        if (e->fd[ch] < 0)
            continue;
        if (!discarding(e, ch) && stream_sendable(s, st, ch) == 0)
            continue;
        pfd[n].fd = e->fd[ch];
        pfd[n].events = POLLIN;
        tags[n++] = ch;
    }
    if (e->fd[CH_IN] >= 0 && e->in_len > 0 && n < max) {
        pfd[n].fd = e->fd[CH_IN];
        pfd[n].events = POLLOUT;
        tags[n++] = CH_IN;
    }
    return n;
}

static void ex_on_poll(struct session *s, struct stream *st, int tag, short revents)
{
    (void)revents;
    if (tag == CH_IN)
        pump_stdin(s, st);
    else
        pump_output(s, st, tag);
    if (st->in_use)
        maybe_finish(s, st);
}

static uint64_t ex_deadline(struct stream *st)
{
    struct exec_st *e = st->state;
    uint64_t d = 0;
    if (e->deadline && !e->reaped && !e->timed_out)
        d = e->deadline;
    if (e->reaped && e->linger && (e->fd[CH_OUT] >= 0 || e->fd[CH_ERR] >= 0))
        d = d ? MIN(d, e->linger) : e->linger;
    return d;
}

static void ex_on_timer(struct session *s, struct stream *st, uint64_t now)
{
    struct exec_st *e = st->state;
    if (e->deadline && !e->reaped && !e->timed_out && now >= e->deadline) {
        LOGD("stream %u: timeout, killing process group %d", st->id, (int)e->pid);
        e->timed_out = 1;
        kill_group(e);
    }
    if (e->reaped && e->linger && now >= e->linger) {
        /* the child is gone; a pipe still open is held by a background process:
         * finish once nothing is left to read from it */
        int pending = 0;
        for (int ch = CH_OUT; ch <= CH_ERR; ch++) {
            int avail = 0;
            if (e->fd[ch] < 0)
                continue;
            if (ioctl(e->fd[ch], FIONREAD, &avail) == 0 && avail == 0)
                close_output(s, st, ch);
            else
                pending = 1;
        }
        e->linger = pending ? now + 50 : 0;
        maybe_finish(s, st);
    }
}

static void ex_on_child(struct session *s, struct stream *st, pid_t pid, int status)
{
    struct exec_st *e = st->state;
    if (pid != e->pid || e->reaped)
        return;
    e->reaped = 1;
    e->status = status;
    e->end_us = now_us();
    XTRACE(XT_REAPED);
    e->linger = e->end_us / 1000 + LINGER_MS;
    /* nobody will read stdin any more */
    close_fd(&e->fd[CH_IN]);
    if (e->in_len) {
        stream_consumed(s, st, e->in_len);
        e->in_len = 0;
    }
    /* drain what is already in the pipes before deciding */
    for (int ch = CH_OUT; ch <= CH_ERR && st->in_use; ch++)
        pump_output(s, st, ch);
    if (st->in_use)
        maybe_finish(s, st);
}

static void ex_destroy(struct stream *st)
{
    struct exec_st *e = st->state;
    if (!e)
        return;
    if (!e->reaped || e->fd[CH_OUT] >= 0 || e->fd[CH_ERR] >= 0)
        kill_group(e);   /* the zombie is reaped later by waitpid(-1) */
    for (int i = 0; i < 3; i++)
        close_fd(&e->fd[i]);
    exec_state_free(e);
    st->state = NULL;
}

static const struct op_vtbl exec_vt = {
    .on_data = ex_on_data,
    .on_eof = ex_on_eof,
    .on_cancel = ex_on_cancel,
    .add_pollfds = ex_add_pollfds,
    .on_poll = ex_on_poll,
    .deadline = ex_deadline,
    .on_timer = ex_on_timer,
    .on_child = ex_on_child,
    .destroy = ex_destroy,
};

void op_exec_start(struct session *s, struct stream *st, struct request *r)
{
    char rel[4096];
    int rc = paths_normalize_request(r->cwd ? r->cwd : "", rel, sizeof rel);
    if (rc == -1) {
        stream_finish_error(s, st, "path_outside_workspace", "cwd %s is outside the workspace", r->cwd);
        return;
    }
    if (rc < 0) {
        stream_finish_error(s, st, "bad_request", "cwd too long");
        return;
    }
    /* the workspace root itself (the usual case) needs no lookup: the child fchdir()s to rootfd */
    int cwdfd = !rel[0] ? g_conf.rootfd
              : paths_openat2(g_conf.rootfd, rel, O_PATH | O_DIRECTORY, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (cwdfd < 0) {
        const char *code = cwdfd == -ENOTDIR ? "not_found" : paths_errcode(cwdfd);
        stream_finish_error(s, st, code, "cwd %s: %s", r->cwd ? r->cwd : "/workspace", strerror(-cwdfd));
        return;
    }

    XTRACE(XT_CWD);
    int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, pi[2] = { -1, -1 };
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) || (r->want_stdin && pipe2(pi, O_CLOEXEC))) {
        int err = errno;
        int all[] = { po[0], po[1], pe[0], pe[1], pi[0], pi[1], cwdfd != g_conf.rootfd ? cwdfd : -1 };
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            if (all[i] >= 0)
                close(all[i]);
        stream_finish_error(s, st, "exec_failed", "pipe: %s", strerror(err));
        return;
    }
    const char *path = NULL;
    char **envp = exec_child_env(r, &path);
    struct exec_child cs = { r->argv, envp, path, cwdfd, r->want_stdin ? pi[0] : -1, po[1], pe[1] };
    XTRACE(XT_PIPES);
    uint64_t start = now_us();
    int err = ENOMEM, in_child = 0;
    pid_t pid = envp ? spawn_session_shared(exec_child_main, &cs, &err, &in_child) : -1;
    free(envp);
    XTRACE(XT_SPAWNED);
    close(po[1]);
    close(pe[1]);
    if (pi[0] >= 0)
        close(pi[0]);
    if (cwdfd != g_conf.rootfd)
        close(cwdfd);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        if (pi[1] >= 0)
            close(pi[1]);
        stream_finish_error(s, st, "exec_failed", "%s: %s", in_child ? r->argv[0] : "spawn", strerror(err));
        return;
    }

    struct exec_st *e = exec_state_new();
    if (!e) {
        kill(-pid, SIGKILL);
        close(po[0]); close(pe[0]);
        if (pi[1] >= 0)
            close(pi[1]);
        stream_finish_error(s, st, "internal", "out of memory");
        return;
    }
    e->pid = pid;
    e->fd[CH_IN] = pi[1];
    e->fd[CH_OUT] = po[0];
    e->fd[CH_ERR] = pe[0];
    /* fresh pipe ends have no other status flags: one F_SETFL, no F_GETFL */
    for (int i = 0; i < 3; i++)
        if (e->fd[i] >= 0)
            fcntl(e->fd[i], F_SETFL, O_NONBLOCK);
    e->start_us = start;
    e->deadline = r->timeout_ms ? start / 1000 + r->timeout_ms : 0;
    e->cap = r->max_output;
    st->state = e;
    st->vt = &exec_vt;

    char ev[64];
    snprintf(ev, sizeof ev, "{\"event\":\"started\",\"pid\":%d}", (int)pid);
    send_frame(s, FT_EVENT, 0, st->id, ev, strlen(ev));
    XTRACE(XT_STARTED);
    LOGD("stream %u: started %s as pid %d", st->id, r->argv[0], (int)pid);
}
