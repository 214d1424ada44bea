/* Readiness probes of services (protocol §12): is a file there, does a TCP connect
 * succeed, does an HTTP GET answer 2xx/3xx, does a command exit 0. Each attempt is
 * non-blocking and driven by the agent's poll loop through the service that owns it.
 * The parsing half (probe_parse.c) is pure, for unit tests and the fuzzer. */
#ifndef PYRO_PROBE_H
#define PYRO_PROBE_H
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

enum probe_kind { PROBE_NONE = 0, PROBE_FILE, PROBE_TCP, PROBE_HTTP, PROBE_COMMAND };

#define PROBE_TARGET_MAX 4096      /* path, address, URL or command */

/* "file", "tcp", "http", "command" -> the kind, or PROBE_NONE */
int probe_kind_of(const char *name);
const char *probe_kind_name(int kind);

/* "host:port" with an IPv4 literal, "localhost" or "[IPv6]" and a port 1..65535.
 * Returns 0, or -1 with a reason in err. */
int probe_parse_address(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errsz);

struct probe_url {
    struct sockaddr_storage addr;
    socklen_t addrlen;
    char host[300];            /* as written, for the Host header */
    char path[2048];           /* path and query, "/" when absent */
};
/* "http://host[:port][/path][?query]" (host as for probe_parse_address, port 80 by
 * default); no https, user info or spaces. Returns 0, or -1 with a reason in err. */
int probe_parse_url(const char *url, struct probe_url *u, char *err, size_t errsz);

/* The status code of an HTTP response whose first n bytes are p ("HTTP/1.x NNN ..."):
 * 100..599, 0 while the status line is incomplete, -1 when it is not HTTP. */
int probe_http_status(const uint8_t *p, size_t n);

/* ---------------- runtime (probe.c) ---------------- */

enum { PROBE_PENDING = 0, PROBE_OK = 1, PROBE_FAILED = 2 };

struct probe {
    int kind;
    char *target;              /* as requested */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    char *request;             /* http: the GET request */
    size_t req_len, req_off;
    uint8_t resp[128];
    size_t resp_len;
    int fd;                    /* tcp/http: the socket of the attempt, -1 = none */
    int phase;                 /* connecting, sending the request, reading the answer */
    pid_t pid;                 /* command: the attempt's process, 0 = none */
    uint64_t attempt_until;    /* tcp/http: the attempt gives up then */
    uint32_t attempts;
    char error[160];           /* why the last attempt failed */
};

/* Sets the probe up for kind/target (file paths are taken relative to cwdfd).
 * Returns 0, or -1 with a reason in err (the target does not parse). */
int probe_init(struct probe *p, int kind, const char *target, char *err, size_t errsz);
/* Starts an attempt (at most attempt_ms long). Returns PROBE_OK, PROBE_FAILED
 * (error says why) or PROBE_PENDING (wait for the socket or the process). */
int probe_attempt(struct probe *p, int cwdfd, char **env, uint64_t attempt_ms);
/* The socket of a pending attempt and the events it waits for; -1 when none. */
int probe_pollfd(const struct probe *p, short *events);
int probe_on_poll(struct probe *p);                      /* PROBE_* after socket events */
int probe_on_child(struct probe *p, pid_t pid, int status);  /* PROBE_* (PENDING: not its process) */
int probe_on_timer(struct probe *p, uint64_t now);       /* PROBE_FAILED once a socket attempt is late */
/* Ends a pending attempt (closes its socket, kills its process). */
void probe_cancel(struct probe *p);
void probe_free(struct probe *p);

#endif
