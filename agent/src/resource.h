/* Resources: agent-owned, long-lived objects (shells, services) that
 * belong to no session or stream. They outlive the stream that created them, a
 * host disconnect and a new HELLO; they end when their process ends on its own
 * (the object stays, state "exited", until closed), on an explicit close, or at
 * agent shutdown. The poll loop serves them independently of the sessions, so a
 * resource keeps draining its process while no host is connected. Streams refer
 * to a resource only by its id and look it up on every use: a resource closed
 * meanwhile is simply not found. */
#ifndef PYRO_RESOURCE_H
#define PYRO_RESOURCE_H
#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_RESOURCES 32
#define RESOURCE_ID_LEN 8          /* lower-case hex characters */

struct resource;

/* Per-kind hooks; all optional except destroy. */
struct resource_vtbl {
    const char *kind;              /* "shell", "service" */
    /* add pollfds; returns count added; tags are kind-defined small ints */
    int (*add_pollfds)(struct resource *r, struct pollfd *pfd, int *tags, int max);
    void (*on_poll)(struct resource *r, int tag, short revents);
    /* earliest deadline in ms (monotonic), 0 = none; on_timer is called when reached */
    uint64_t (*deadline)(struct resource *r);
    void (*on_timer)(struct resource *r, uint64_t now);
    void (*on_child)(struct resource *r, pid_t pid, int status);
    /* end everything now (kill, reap, close, free the state); sends no frames */
    void (*destroy)(struct resource *r);
    /* the session id whose processes destroy kills (0: none), for resources_shutdown */
    pid_t (*session)(struct resource *r);
};

struct resource {
    int in_use;
    char id[RESOURCE_ID_LEN + 1];
    uint32_t gen;                  /* distinguishes reuses of the slot */
    uint64_t created_ms;
    const struct resource_vtbl *vt;
    void *state;
};

/* A new resource of kind vt with state; NULL when MAX_RESOURCES are in use.
 * Its id is random, unique among live resources and unlike earlier ones. */
struct resource *resource_new(const struct resource_vtbl *vt, void *state);
/* The live resource of that kind with id, or NULL. */
struct resource *resource_find(const struct resource_vtbl *vt, const char *id);
/* How many live resources of that kind there are. */
int resource_count(const struct resource_vtbl *vt);
/* The i-th live resource of that kind in creation order (i from 0), or NULL. */
struct resource *resource_nth(const struct resource_vtbl *vt, int i);
/* Ends it: destroy hook, then the slot is free. */
void resource_free(struct resource *r);
/* Agent shutdown: ends every resource. With reap (an agent that is not PID 1, about to
 * exit), waits, bounded, until the processes of their sessions are dead and reaped. */
void resources_shutdown(int reap);

/* poll loop integration (owners index the table; gens guard against reuse) */
int resources_pollfds(struct pollfd *pfd, int *owners, uint32_t *gens, int *tags, int max, int *timeout);
void resources_dispatch_poll(int owner, uint32_t gen, int tag, short revents);
void resources_tick(void);
void resources_child_exited(pid_t pid, int status);

#endif
