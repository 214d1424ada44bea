/* The HELLO member "attach" (docs/protocol.md §4): how the agent noticed the host.
 * test_virtio_attach drives channel_try_connect on a socket pair standing in for a
 * virtio-serial port (read 0 = no host, EAGAIN = a host, SIGIO by O_ASYNC); test_attach_hello
 * runs the built agent binary (--dev, no VM) over --listen-unix, --stdio and --connect-unix
 * and reads "attach" from its announcement and its HELLO replies. */
#define _GNU_SOURCE
#include "channel.h"
#include "check.h"
#include "frame.h"
#include "json.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---------------- virtio probe attribution ---------------- */

/* Takes a pending SIGIO (blocked by the caller), as the loop's signalfd read would. */
static int take_sigio(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGIO);
    struct timespec zero = { 0, 0 };
    return sigtimedwait(&s, NULL, &zero) == SIGIO;
}

/* A "port": our end of a socket pair, set up as the loop sets up a virtio-serial port
 * (owner + O_ASYNC). Peer open = a host attached (reads EAGAIN); peer shut down for
 * writing = no host (reads 0); bytes from the peer raise SIGIO as a host's open would. */
static void port_open(struct channel *c, int sv[2], const char *name)
{
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    CHECK(set_nonblock(sv[0]) == 0);
    channel_init_virtio(c, sv[0], name);
    CHECK(c->sigio == 1 && c->connected == 0);
}

static void port_close(int sv[2])
{
    close(sv[0]);
    close(sv[1]);
    while (take_sigio())
        ;
}

/* a probe that is due now; its cause is what the test set up */
static int probe(struct channel *c, uint8_t *buf, size_t cap, size_t *got)
{
    *got = 0;
    c->next_try_ms = 0;
    return channel_try_connect(c, buf, cap, got);
}

void test_virtio_attach(void)
{
    sigset_t io, old;
    sigemptyset(&io);
    sigaddset(&io, SIGIO);
    CHECK(sigprocmask(SIG_BLOCK, &io, &old) == 0);
    uint8_t buf[64];
    size_t got;
    int sv[2], nohost[2];
    struct channel c;

    /* a SIGIO read, then the probe finds a host: "signal" */
    port_open(&c, sv, "fake0");
    channel_probe_now(&c);
    CHECK(channel_try_connect(&c, buf, sizeof buf, &got) == 1);
    CHECK(c.attach == ATTACH_SIGNAL && strcmp(channel_attach_name(&c), "signal") == 0);
    /* The host leaves and one is back, come while O_ASYNC was off: the probe right after
     * the disconnect finds it, prompted by no SIGIO: "probe". */
    CHECK(channel_disconnected(&c) == 0);
    CHECK(channel_attach_name(&c) == NULL);
    CHECK(channel_try_connect(&c, buf, sizeof buf, &got) == 1);
    CHECK(c.attach == ATTACH_PROBE && strcmp(channel_attach_name(&c), "probe") == 0);
    port_close(sv);

    /* a port found (the rescan) with its host already there: "probe" */
    port_open(&c, sv, "fake1");
    CHECK(channel_try_connect(&c, buf, sizeof buf, &got) == 1 && c.attach == ATTACH_PROBE);
    port_close(sv);

    /* A SIGIO (another port's) wakes this one: no host, the SIGIO is spent; the safety-net
     * timer later finds a host: "probe". */
    port_open(&c, nohost, "fake2");
    CHECK(shutdown(nohost[1], SHUT_WR) == 0);
    while (take_sigio())
        ;
    channel_probe_now(&c);
    CHECK(probe(&c, buf, sizeof buf, &got) == -1 && c.probe_cause == PROBE_TIMER);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 && set_nonblock(sv[0]) == 0);
    c.in_fd = c.out_fd = sv[0];   /* the host comes */
    CHECK(probe(&c, buf, sizeof buf, &got) == 1 && c.attach == ATTACH_PROBE);
    port_close(sv);
    port_close(nohost);

    /* The timer fires as a host's SIGIO is raised but not yet read: the probe leaves the
     * host to that read (returning 0, its bytes handed to the caller): "signal". */
    port_open(&c, sv, "fake3");
    c.probe_cause = PROBE_TIMER;   /* as after a probe that found nobody */
    CHECK(write(sv[1], "PY", 2) == 2);
    CHECK(probe(&c, buf, sizeof buf, &got) == 0);
    CHECK(got == 2 && memcmp(buf, "PY", 2) == 0 && c.connected == 0 && c.next_try_ms > 0);
    CHECK(take_sigio());
    channel_probe_now(&c);                      /* the loop's answer to the SIGIO it read */
    CHECK(channel_try_connect(&c, buf, sizeof buf, &got) == 1 && c.attach == ATTACH_SIGNAL);
    port_close(sv);

    /* only once: a SIGIO that stays unread cannot hold a host off */
    port_open(&c, sv, "fake4");
    c.probe_cause = PROBE_TIMER;
    CHECK(write(sv[1], "PY", 2) == 2);
    CHECK(probe(&c, buf, sizeof buf, &got) == 0 && got == 2);
    CHECK(probe(&c, buf, sizeof buf, &got) == 1 && c.attach == ATTACH_PROBE);
    CHECK(take_sigio());
    port_close(sv);

    /* without O_ASYNC (the kernel refused it) nothing is "signal", even after a SIGIO */
    port_open(&c, sv, "fake5");
    c.sigio = 0;
    channel_probe_now(&c);
    CHECK(channel_try_connect(&c, buf, sizeof buf, &got) == 1 && c.attach == ATTACH_PROBE);
    port_close(sv);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
}

/* ---------------- the agent's HELLO over real transports ---------------- */

#define WAIT_MS 20000   /* a bound against a hung agent, not a timing assertion */

struct agent {
    pid_t pid;
    char root[64];
};

static int start_agent(struct agent *a, const char *bin, const char *flag, const char *path, int io[2])
{
    snprintf(a->root, sizeof a->root, "/tmp/pyro-attach-XXXXXX");
    if (!mkdtemp(a->root))
        return -1;
    int in[2] = { -1, -1 }, out[2] = { -1, -1 };
    if (io && (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0))
        return -1;
    a->pid = fork();
    if (a->pid < 0)
        return -1;
    if (a->pid == 0) {
        if (io) {
            dup2(in[0], 0);
            dup2(out[1], 1);
        }
        if (path)
            execl(bin, bin, "--dev", "--root", a->root, flag, path, (char *)NULL);
        else
            execl(bin, bin, "--dev", "--root", a->root, flag, (char *)NULL);
        _exit(127);
    }
    if (io) {
        close(in[0]);
        close(out[1]);
        io[0] = out[0];   /* we read the agent's stdout */
        io[1] = in[1];    /* and write its stdin */
    }
    return 0;
}

static int stop_agent(struct agent *a, int sig)
{
    int status = -1;
    if (sig)
        kill(a->pid, sig);
    waitpid(a->pid, &status, 0);
    rmdir(a->root);
    return status;
}

static int send_hello(int fd, const char *nonce)
{
    char json[128];
    int n = snprintf(json, sizeof json, "{\"protocol\":1,\"client\":\"agent-tests\",\"nonce\":\"%s\"}", nonce);
    uint8_t f[FRAME_HDR_LEN + sizeof json];
    frame_header_encode(f, FT_HELLO, 0, 0, (uint32_t)n);
    memcpy(f + FRAME_HDR_LEN, json, (size_t)n);
    return write(fd, f, FRAME_HDR_LEN + (size_t)n) == (ssize_t)(FRAME_HDR_LEN + (size_t)n) ? 0 : -1;
}

/* The next HELLO from the agent: its "reply_to" (or "" for an announcement) and "attach"
 * (or "" when absent). 0, or -1 on EOF, garbage or the bound. */
static int read_hello(struct frame_reader *fr, int fd, char *reply_to, char *attach, size_t cap)
{
    uint64_t until = now_ms() + WAIT_MS;
    for (;;) {
        struct frame f;
        int r = fr_next(fr, &f);
        if (r == FR_BAD)
            return -1;
        if (r == FR_FRAME && f.type == FT_HELLO) {
            static struct jtok t[256];
            size_t nt;
            const char *js = (const char *)f.payload;
            if (json_parse(js, f.len, t, 256, &nt) < 0 || t[0].type != J_OBJ)
                return -1;
            int v = json_obj_get(js, t, 0, "reply_to");
            reply_to[0] = attach[0] = 0;
            if (v >= 0 && json_str_decode(js, &t[v], reply_to, cap) < 0)
                return -1;
            v = json_obj_get(js, t, 0, "attach");
            if (v >= 0 && json_str_decode(js, &t[v], attach, cap) < 0)
                return -1;
            return 0;
        }
        if (r == FR_FRAME)
            continue;
        uint64_t now = now_ms();
        if (now >= until)
            return -1;
        struct pollfd p = { fd, POLLIN, 0 };
        if (poll(&p, 1, (int)(until - now)) <= 0)
            return -1;
        size_t avail;
        uint8_t *dst = fr_space(fr, &avail);
        ssize_t n = read(fd, dst, avail);
        if (n <= 0)
            return -1;
        fr_commit(fr, (size_t)n);
    }
}

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    /* the agent creates its socket after it starts: retry within the bound */
    for (uint64_t until = now_ms() + WAIT_MS; now_ms() < until;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        close(fd);
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return -1;
}

/* announcement "accept", the first reply "accept", a resent HELLO "again" */
static void check_accepted(const char *sock, struct frame_reader *fr)
{
    char reply_to[64], attach[64];
    int fd = connect_unix(sock);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    fr_reset(fr);
    CHECK(read_hello(fr, fd, reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "") == 0 && strcmp(attach, "accept") == 0);
    CHECK(send_hello(fd, "first") == 0 && send_hello(fd, "second") == 0);
    CHECK(read_hello(fr, fd, reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "first") == 0 && strcmp(attach, "accept") == 0);
    CHECK(read_hello(fr, fd, reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "second") == 0 && strcmp(attach, "again") == 0);
    close(fd);
}

void test_attach_hello(const char *bin)
{
    CHECK(bin != NULL);   /* make check passes the agent binary */
    if (!bin)
        return;
    signal(SIGPIPE, SIG_IGN);
    struct frame_reader fr;
    CHECK(fr_init(&fr) == 0);
    char reply_to[64], attach[64], sock[128];
    struct agent a;

    /* --listen-unix: every accepted connection says "accept", twice in a row */
    snprintf(sock, sizeof sock, "/tmp/pyro-attach-%d.sock", (int)getpid());
    CHECK(start_agent(&a, bin, "--listen-unix", sock, NULL) == 0);
    check_accepted(sock, &fr);
    check_accepted(sock, &fr);
    CHECK(stop_agent(&a, SIGTERM) >= 0);
    unlink(sock);

    /* --stdio: no announcement; the reply says "stdio", then "again" */
    int io[2];
    CHECK(start_agent(&a, bin, "--stdio", NULL, io) == 0);
    fr_reset(&fr);
    CHECK(send_hello(io[1], "one") == 0);
    CHECK(read_hello(&fr, io[0], reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "one") == 0 && strcmp(attach, "stdio") == 0);
    CHECK(send_hello(io[1], "two") == 0);
    CHECK(read_hello(&fr, io[0], reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "two") == 0 && strcmp(attach, "again") == 0);
    close(io[1]);   /* stdin EOF: the agent exits */
    int st = stop_agent(&a, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(io[0]);

    /* --connect-unix: the agent dials us: "connect" */
    int lfd = channel_listen_unix(sock);
    CHECK(lfd >= 0);
    CHECK(start_agent(&a, bin, "--connect-unix", sock, NULL) == 0);
    struct pollfd p = { lfd, POLLIN, 0 };
    CHECK(poll(&p, 1, WAIT_MS) == 1);
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    CHECK(fd >= 0);
    fr_reset(&fr);
    CHECK(read_hello(&fr, fd, reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "") == 0 && strcmp(attach, "connect") == 0);
    CHECK(send_hello(fd, "dialled") == 0);
    CHECK(read_hello(&fr, fd, reply_to, attach, sizeof attach) == 0);
    CHECK(strcmp(reply_to, "dialled") == 0 && strcmp(attach, "connect") == 0);
    CHECK(stop_agent(&a, SIGTERM) >= 0);
    close(fd);
    close(lfd);
    unlink(sock);
    fr_free(&fr);
}
