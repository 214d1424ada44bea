#define _GNU_SOURCE
#include "egress.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* These run on the host, one process per guest connection, started by QEMU with the guest's
 * connection on stdin and stdout (and stderr: nothing is ever written there). Everything the
 * guest sends is hostile: bounded reads, strict parsing, no name is resolved unless allowed. */

#define HEAD_MAX 8192
#define IDLE_MS (10 * 60 * 1000)

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* -- DNS over TCP (the guest's resolver uses TCP: `options use-vc`) -- */

int egress_dns_main(const char *list, const char *addr)
{
    struct in_addr a;
    if (inet_pton(AF_INET, addr, &a) != 1)
        return 2;
    for (;;) {
        uint8_t lenb[2], q[4096], out[4096];
        if (read_full(0, lenb, 2) != 0)
            return 0;
        size_t qlen = (size_t)lenb[0] << 8 | lenb[1];
        if (qlen > sizeof q)
            return 1;   /* no query is this long: not a resolver talking */
        if (read_full(0, q, qlen) != 0)
            return 0;
        int n = egress_dns_answer(q, qlen, list, a.s_addr, out, sizeof out);
        if (n < 0)
            return 1;
        uint8_t hdr[2] = { (uint8_t)(n >> 8), (uint8_t)n };
        if (write_all(1, hdr, 2) != 0 || write_all(1, out, (size_t)n) != 0)
            return 0;
    }
}

/* -- the HTTP proxy: CONNECT host:port, or a plain-HTTP request with an absolute URI -- */

static void refuse(int code, const char *reason, const char *why)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                     "Content-Length: %zu\r\n\r\npyro egress: %s\n", code, reason, strlen(why) + 14, why);
    if (n > 0)
        write_all(1, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

/* Pinned addresses for names (tests: PYRO_EGRESS_RESOLVE=allowed.test=127.0.0.1,...),
 * consulted before DNS; only ever for names the allow-list already let through. */
static int pinned(const char *name, struct in_addr *out)
{
    const char *env = getenv("PYRO_EGRESS_RESOLVE");
    size_t n = strlen(name);
    while (env && *env) {
        const char *eq = strchr(env, '=');
        const char *end = strchr(env, ',');
        if (!end)
            end = env + strlen(env);
        if (eq && eq < end && (size_t)(eq - env) == n && !strncasecmp(env, name, n)) {
            char ip[16];
            size_t l = (size_t)(end - eq - 1);
            if (l < sizeof ip) {
                memcpy(ip, eq + 1, l);
                ip[l] = 0;
                return inet_pton(AF_INET, ip, out) == 1;
            }
        }
        env = *end ? end + 1 : end;
    }
    return 0;
}

static int connect_to(const char *host, const char *port)
{
    struct in_addr pin;
    if (pinned(host, &pin)) {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port)), .sin_addr = pin };
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* splits "host:port" (port required for CONNECT, default `defport` otherwise) */
static int split_authority(char *auth, const char *defport, char **host, char **port)
{
    if (auth[0] == '[')
        return -1;   /* an IPv6 literal */
    char *colon = strrchr(auth, ':');
    *host = auth;
    if (colon) {
        *colon = 0;
        *port = colon + 1;
    } else if (defport) {
        *port = (char *)defport;
    } else {
        return -1;
    }
    size_t pl = strlen(*port);
    if (pl == 0 || pl > 5)
        return -1;
    for (char *p = *port; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    long v = strtol(*port, NULL, 10);
    if (v < 1 || v > 65535)
        return -1;
    size_t hl = strlen(*host);
    if (hl && (*host)[hl - 1] == '.')
        (*host)[hl - 1] = 0;   /* the root's dot: same name */
    return 0;
}

static void relay(int guest_in, int guest_out, int up)
{
    char buf[16384];
    struct pollfd p[2] = { { .fd = guest_in, .events = POLLIN }, { .fd = up, .events = POLLIN } };
    int open_in = 1, open_up = 1;
    while (open_in || open_up) {
        int r = poll(p, 2, IDLE_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return;
        if (open_in && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(guest_in, buf, sizeof buf);
            if (n <= 0) {
                open_in = 0;
                p[0].fd = -1;
                shutdown(up, SHUT_WR);
            } else if (write_all(up, buf, (size_t)n) != 0) {
                return;
            }
        }
        if (open_up && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(up, buf, sizeof buf);
            if (n <= 0) {
                return;   /* the server is done: so is the guest's connection */
            } else if (write_all(guest_out, buf, (size_t)n) != 0) {
                return;
            }
        }
    }
}

int egress_proxy_main(const char *list)
{
    signal(SIGPIPE, SIG_IGN);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
        dup2(devnull, 2);   /* stderr was the guest's connection too: nothing goes there */
        close(devnull);
    }
    char head[HEAD_MAX + 1];
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        if (len == HEAD_MAX) {
            refuse(431, "Request Header Fields Too Large", "request head over 8 KiB");
            return 1;
        }
        ssize_t r = read(0, head + len, HEAD_MAX - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 0;
        len += (size_t)r;
        head[len] = 0;
        if (memchr(head, 0, len)) {
            refuse(400, "Bad Request", "NUL in request");
            return 1;
        }
        end = strstr(head, "\r\n\r\n");
    }
    size_t head_len = (size_t)(end - head) + 4;
    char *line_end = strstr(head, "\r\n");
    *line_end = 0;
    char method[16], target[2048], version[16];
    if (sscanf(head, "%15s %2047s %15s", method, target, version) != 3 || strncmp(version, "HTTP/1.", 7)) {
        refuse(400, "Bad Request", "not an HTTP/1 proxy request");
        return 1;
    }
    int is_connect = !strcmp(method, "CONNECT");
    char *host, *port, *path = "/";
    if (is_connect) {
        if (split_authority(target, NULL, &host, &port) != 0) {
            refuse(400, "Bad Request", "CONNECT needs host:port");
            return 1;
        }
    } else {
        if (strncasecmp(target, "http://", 7)) {
            refuse(400, "Bad Request", "only http:// URLs and CONNECT go through this proxy");
            return 1;
        }
        char *auth = target + 7;
        char *slash = strchr(auth, '/');
        char pathbuf[2048];
        snprintf(pathbuf, sizeof pathbuf, "%s", slash ? slash : "/");
        if (slash)
            *slash = 0;
        if (strchr(auth, '@') || split_authority(auth, "80", &host, &port) != 0) {
            refuse(400, "Bad Request", "malformed URL authority");
            return 1;
        }
        path = strdup(pathbuf);
    }
    if (egress_is_ip_literal(host)) {
        refuse(403, "Forbidden", "IP addresses are not allowed; use an allowed host name");
        return 1;
    }
    if (!egress_allowed(list, host)) {
        refuse(403, "Forbidden", "host not in the workspace's allow-list");
        return 1;
    }
    int up = connect_to(host, port);
    if (up < 0) {
        refuse(502, "Bad Gateway", "cannot connect to the allowed host");
        return 1;
    }
    if (is_connect) {
        static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
        if (write_all(1, ok, sizeof ok - 1) != 0)
            return 0;
    } else {
        /* origin-form request line; the headers as sent */
        char first[2200];
        int n = snprintf(first, sizeof first, "%s %s %s\r\n", method, path, version);
        if (n < 0 || (size_t)n >= sizeof first || write_all(up, first, (size_t)n) != 0 ||
            write_all(up, line_end + 2, head_len - (size_t)(line_end + 2 - head)) != 0)
            return 1;
    }
    /* whatever the guest sent after the head (a CONNECT client's first bytes, a body) */
    if (len > head_len && write_all(up, head + head_len, len - head_len) != 0)
        return 1;
    relay(0, 1, up);
    return 0;
}
