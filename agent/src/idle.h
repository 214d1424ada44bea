/* When an idle guest gives its memory back. Pure (no system calls): the loop
 * tells it whether any request is open and the time, it answers whether a
 * reclaim is due now and how long the loop may sleep before asking again.
 * One reclaim per idle period: the next one waits for a request to come and go. */
#ifndef PYRO_IDLE_H
#define PYRO_IDLE_H
#include <stdint.h>

#define IDLE_RECLAIM_DEFAULT_S 15   /* pyro.idle_reclaim= overrides; 0 = never */
#define IDLE_RECLAIM_MAX_S     86400

struct idle_clock {
    uint64_t after_ms;      /* idle time before a reclaim; 0 = never */
    uint64_t last_busy;     /* monotonic ms when a request was last open */
    int done;               /* reclaimed in this idle period */
};

void idle_init(struct idle_clock *c, uint64_t after_ms, uint64_t now);
/* busy: a request is open on some session. Returns 1 when a reclaim is due now
 * (and marks it done); lowers *timeout (-1 = none) to the time left until it is. */
int idle_due(struct idle_clock *c, int busy, uint64_t now, int *timeout);
/* pyro.idle_reclaim value: decimal seconds 0..IDLE_RECLAIM_MAX_S; 0 and *secs, or -1. */
int idle_parse_seconds(const char *s, uint64_t *secs);
/* VIRTIO_BALLOON_F_REPORTING: the VMM takes reported free pages back. */
#define IDLE_BALLOON_F_REPORTING 5
/* A virtio device's sysfs "features" text (one '0' or '1' per feature bit, bit 0
 * first): 1 when the negotiated features include free page reporting. A balloon
 * bound without it (a VM restored from a template) gives nothing back, and
 * dropping caches there would only cost the next command its warm cache. */
int idle_balloon_reports(const char *features);

#endif
