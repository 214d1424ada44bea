/* Services: long-running programs the agent supervises (protocol §12), the second
 * kind of resource (§10). Each runs as the leader of its own session with stdout and
 * stderr drained into a bounded log (svclog.c) whether or not a host is connected;
 * an optional readiness probe (probe.c) decides when it is ready. A service is named
 * by the host; it keeps its state, exit status and log after it ended, until its name
 * is started again or the agent ends. Ending one (stop, a failed readiness check, or
 * its leader exiting) ends its whole session: TERM, then KILL, then every process
 * is reaped before it counts as settled. */
#ifndef PYRO_SERVICE_H
#define PYRO_SERVICE_H
#include "probe.h"
#include "redact.h"
#include "request_service.h"
#include "resource.h"
#include "svclog.h"
#include <stdint.h>
#include <sys/types.h>

#define MAX_SERVICES            16
#define SERVICE_LOG_BYTES       (2u << 20)   /* both streams together */
#define SERVICE_READY_TIMEOUT   30000        /* ms, defaults of service_start */
#define SERVICE_READY_INTERVAL  500
#define SERVICE_STOP_TIMEOUT    10000        /* ms before KILL, default of service_stop */

enum service_state { SVC_STARTING, SVC_READY, SVC_RUNNING, SVC_EXITED, SVC_FAILED, SVC_STOPPED };
enum service_end { END_NONE, END_STOP, END_NOT_READY };

struct service {
    struct resource *res;
    char name[SERVICE_NAME_MAX + 1];
    char *argv_json;
    char *cwd;                 /* as reported: /workspace[/...] */
    int cwdfd;                 /* O_PATH, for file checks and check commands */
    char **env;                /* the service's additions, for check commands too */
    pid_t pid;                 /* session leader: its pid is the session and group id */
    int state;
    int ending;                /* enum service_end: who is ending it */
    int reaped, status;
    int fd[2];                 /* stdout, stderr (read ends), -1 once closed */
    struct svclog log;
    struct redactor red[2];    /* per pipe: secret values never enter the log (protocol §13) */
    struct probe probe;
    uint64_t ready_timeout_ms, ready_interval_ms;
    uint64_t ready_deadline, next_probe;      /* CLOCK_MONOTONIC ms */
    uint64_t started_at, ready_at, ended_at;  /* wall clock, epoch ms; 0 = not (yet) */
    uint64_t kill_at;          /* KILL what is left of the session then (0 = no) */
    uint64_t check_at;         /* next look whether the session is empty (0 = no) */
    uint64_t give_up_at;       /* settle even if processes could not be killed */
    int settled;               /* ended, session empty, pipes closed: the log is complete */
    char reason[320];
};

/* What service_start asks for (validated by the op). */
struct service_spec {
    const char *name;
    char **argv, **env;
    int cwdfd;                 /* taken over by the service on success */
    const char *cwd;           /* as reported */
    int ready_kind;            /* PROBE_* */
    const char *ready_target;
    uint64_t ready_timeout_ms, ready_interval_ms;
};

const char *service_state_name(int state);
int service_live(const struct service *sv);   /* starting, ready or running */

struct service *service_find(const char *name);
/* The service behind a resource a stream remembered, or NULL once freed. */
struct service *service_of(struct resource *r, uint32_t gen);
int service_count(void);
struct service *service_nth(int i);   /* creation order */
/* The oldest service that ended and settled, or NULL (to make room for a new one). */
struct service *service_oldest_ended(void);

/* Starts spec (its readiness probe too). NULL with *code/err set (exec_failed,
 * invalid_argument, internal) when it cannot start. */
struct service *service_spawn(struct service_spec *spec, const char **code, char *err, size_t errsz);
/* Stops it: TERM to its session (KILL at once when timeout_ms is 0), KILL after
 * timeout_ms; settles once every process is gone. Nothing for an ended service. */
void service_stop(struct service *sv, uint64_t timeout_ms);
/* Ends it now (KILL, reap, free): for a name started again or a full table. */
void service_free(struct service *sv);

#endif
