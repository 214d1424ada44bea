#define _GNU_SOURCE
#include "resource.h"
#include "log.h"
#include "util.h"
#include "proc.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

/* At exit: how long the killed sessions' processes may take to die (only a process in
 * uninterruptible sleep takes long; a loaded host takes a while to schedule the others). */
#define SHUTDOWN_REAP_MS 5000

static struct resource g_res[MAX_RESOURCES];
static uint32_t g_gen;
static uint64_t g_seq;             /* creation order, for listing */
static uint64_t g_order[MAX_RESOURCES];

static uint32_t random32(void)
{
    uint32_t v;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v)
        return v;
    /* no entropy yet (early boot): unique enough, ids only need to differ */
    return (uint32_t)(now_ms() * 2654435761u) ^ (uint32_t)++g_gen;
}

static int id_in_use(const char *id)
{
    for (int i = 0; i < MAX_RESOURCES; i++)
        if (g_res[i].in_use && !strcmp(g_res[i].id, id))
            return 1;
    return 0;
}

struct resource *resource_new(const struct resource_vtbl *vt, void *state)
{
    for (int i = 0; i < MAX_RESOURCES; i++) {
        struct resource *r = &g_res[i];
        if (r->in_use)
            continue;
        memset(r, 0, sizeof *r);
        do
            snprintf(r->id, sizeof r->id, "%08x", random32());
        while (id_in_use(r->id));
        r->in_use = 1;
        r->gen = ++g_gen;
        r->created_ms = now_ms();
        r->vt = vt;
        r->state = state;
        g_order[i] = ++g_seq;
        LOGD("%s %s created", vt->kind, r->id);
        return r;
    }
    return NULL;
}

struct resource *resource_find(const struct resource_vtbl *vt, const char *id)
{
    for (int i = 0; i < MAX_RESOURCES; i++)
        if (g_res[i].in_use && g_res[i].vt == vt && !strcmp(g_res[i].id, id))
            return &g_res[i];
    return NULL;
}

int resource_count(const struct resource_vtbl *vt)
{
    int n = 0;
    for (int i = 0; i < MAX_RESOURCES; i++)
        n += g_res[i].in_use && g_res[i].vt == vt;
    return n;
}

struct resource *resource_nth(const struct resource_vtbl *vt, int nth)
{
    /* selection by creation order; the table is tiny */
    uint64_t after = 0;
    struct resource *found = NULL;
    for (int k = 0; k <= nth; k++) {
        found = NULL;
        uint64_t best = UINT64_MAX;
        for (int i = 0; i < MAX_RESOURCES; i++)
            if (g_res[i].in_use && g_res[i].vt == vt && g_order[i] > after && g_order[i] < best) {
                best = g_order[i];
                found = &g_res[i];
            }
        if (!found)
            return NULL;
        after = best;
    }
    return found;
}

void resource_free(struct resource *r)
{
    if (!r->in_use)
        return;
    LOGD("%s %s ended", r->vt->kind, r->id);
    r->vt->destroy(r);
    memset(r, 0, sizeof *r);
}

/* destroy SIGKILLed each session, but only the leader is reaped there. The others, once
 * their parent died, are the agent's children (a subreaper): exiting now would hand them to
 * init, as zombies or, on a loaded host that has not run them since the kill, still alive;
 * and an init that reaps late (a container's) leaves them in the process table. */
static void reap_sessions(const pid_t *sids, int n)
{
    uint64_t until = now_ms() + SHUTDOWN_REAP_MS;
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        int left = 0;
        for (int i = 0; i < n; i++)
            left += proc_signal_session(sids[i], SIGKILL);   /* zombies count until reaped */
        if (left == 0)
            return;
        if (now_ms() >= until) {
            LOGE("%d processes of ended shells and services are still there at exit", left);
            return;
        }
        usleep(2000);
    }
}

void resources_shutdown(int reap)
{
    pid_t sids[MAX_RESOURCES];
    int n = 0;
    for (int i = 0; i < MAX_RESOURCES; i++) {
        struct resource *r = &g_res[i];
        if (r->in_use && r->vt->session && (sids[n] = r->vt->session(r)) > 0)
            n++;
        resource_free(r);
    }
    if (reap)
        reap_sessions(sids, n);
}

int resources_pollfds(struct pollfd *pfd, int *owners, uint32_t *gens, int *tags, int max, int *timeout)
{
    int n = 0;
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_RESOURCES; i++) {
        struct resource *r = &g_res[i];
        if (!r->in_use)
            continue;
        if (r->vt->add_pollfds && n < max) {
            int k = r->vt->add_pollfds(r, pfd + n, tags + n, max - n);
            for (int j = n; j < n + k; j++) {
                owners[j] = i;
                gens[j] = r->gen;
            }
            n += k;
        }
        uint64_t d = r->vt->deadline ? r->vt->deadline(r) : 0;
        if (d) {
            int t = d <= now ? 0 : (int)MIN(d - now, (uint64_t)60000);
            if (*timeout < 0 || t < *timeout)
                *timeout = t;
        }
    }
    return n;
}

void resources_dispatch_poll(int owner, uint32_t gen, int tag, short revents)
{
    struct resource *r = &g_res[owner];
    if (r->in_use && r->gen == gen && r->vt->on_poll)
        r->vt->on_poll(r, tag, revents);
}

void resources_tick(void)
{
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_RESOURCES; i++) {
        struct resource *r = &g_res[i];
        if (!r->in_use || !r->vt->deadline || !r->vt->on_timer)
            continue;
        uint64_t d = r->vt->deadline(r);
        if (d && d <= now)
            r->vt->on_timer(r, now);
    }
}

void resources_child_exited(pid_t pid, int status)
{
    for (int i = 0; i < MAX_RESOURCES; i++)
        if (g_res[i].in_use && g_res[i].vt->on_child)
            g_res[i].vt->on_child(&g_res[i], pid, status);
}
