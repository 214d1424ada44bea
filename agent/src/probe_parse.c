#define _GNU_SOURCE
#include "probe.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const g_kinds[] = { NULL, "file", "tcp", "http", "command" };

int probe_kind_of(const char *name)
{
    for (int k = PROBE_FILE; k <= PROBE_COMMAND; k++)
        if (name && !strcmp(name, g_kinds[k]))
            return k;
    return PROBE_NONE;
}

const char *probe_kind_name(int kind)
{
    return kind >= PROBE_FILE && kind <= PROBE_COMMAND ? g_kinds[kind] : "none";
}

static int port_of(const char *s, unsigned *port)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v < 1 || v > 65535 || strlen(s) > 5)
        return -1;
    *port = (unsigned)v;
    return 0;
}

/* host (IPv4 literal, localhost, or the inside of [...]) and port into ss */
static int host_port(const char *host, int bracketed, unsigned port, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (bracketed) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
            return -1;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    if (!strcmp(host, "localhost"))
        host = "127.0.0.1";
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return -1;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    return 0;
}

/* "host:port" or "[v6]:port" (port optional when def > 0) */
static int authority(const char *s, unsigned def, struct sockaddr_storage *ss, socklen_t *len, char *err,
                     size_t errsz)
{
    char host[300];
    const char *colon;
    int bracketed = s[0] == '[';
    if (bracketed) {
        const char *close = strchr(s, ']');
        if (!close || (size_t)(close - s - 1) >= sizeof host) {
            snprintf(err, errsz, "unterminated [IPv6] address");
            return -1;
        }
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = 0;
        colon = close[1] == ':' ? close + 1 : close[1] ? close + 1 : NULL;
        if (colon && *colon != ':') {
            snprintf(err, errsz, "unexpected text after the [IPv6] address");
            return -1;
        }
    } else {
        colon = strrchr(s, ':');
        size_t n = colon ? (size_t)(colon - s) : strlen(s);
        if (n == 0 || n >= sizeof host) {
            snprintf(err, errsz, "missing or overlong host");
            return -1;
        }
        memcpy(host, s, n);
        host[n] = 0;
    }
    unsigned port = def;
    if (colon ? port_of(colon + 1, &port) < 0 : def == 0) {
        snprintf(err, errsz, "needs a port 1..65535 (host:port)");
        return -1;
    }
    if (host_port(host, bracketed, port, ss, len) < 0) {
        snprintf(err, errsz, "host must be an IP address or localhost (names are not resolved)");
        return -1;
    }
    return 0;
}

int probe_parse_address(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errsz)
{
    return authority(s, 0, ss, len, err, errsz);
}

int probe_parse_url(const char *url, struct probe_url *u, char *err, size_t errsz)
{
    memset(u, 0, sizeof *u);
    if (!strncmp(url, "https://", 8)) {
        snprintf(err, errsz, "https is not supported: use an http:// URL or a tcp check");
        return -1;
    }
    if (strncmp(url, "http://", 7)) {
        snprintf(err, errsz, "must start with http://");
        return -1;
    }
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f) {
            snprintf(err, errsz, "must not contain spaces or control characters");
            return -1;
        }
    const char *auth = url + 7;
    size_t alen = strcspn(auth, "/?#");
    if (alen == 0 || alen >= sizeof u->host || memchr(auth, '@', alen)) {
        snprintf(err, errsz, "needs a host (and no user info)");
        return -1;
    }
    memcpy(u->host, auth, alen);
    u->host[alen] = 0;
    if (authority(u->host, 80, &u->addr, &u->addrlen, err, errsz) < 0)
        return -1;
    const char *rest = auth + alen;
    size_t plen = strcspn(rest, "#");
    if (plen + 2 > sizeof u->path) {
        snprintf(err, errsz, "path too long");
        return -1;
    }
    if (plen == 0 || rest[0] != '/')
        u->path[0] = '/';
    memcpy(u->path + (rest[0] != '/'), rest, plen);
    u->path[plen + (rest[0] != '/')] = 0;
    return 0;
}

int probe_http_status(const uint8_t *p, size_t n)
{
    static const char proto[] = "HTTP/1.";
    size_t want = sizeof proto - 1;
    for (size_t i = 0; i < n && i < want; i++)
        if (p[i] != (uint8_t)proto[i])
            return -1;
    /* "HTTP/1.x NNN" */
    if (n < want + 5)
        return 0;
    if (p[want] < '0' || p[want] > '9' || p[want + 1] != ' ')
        return -1;
    int code = 0;
    for (size_t i = want + 2; i < want + 5; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        code = code * 10 + (p[i] - '0');
    }
    if (code < 100 || code > 599)
        return -1;
    if (n > want + 5 && p[want + 5] != ' ' && p[want + 5] != '\r' && p[want + 5] != '\n')
        return -1;
    return code;
}
