#include "idle.h"
#include "util.h"

void idle_init(struct idle_clock *c, uint64_t after_ms, uint64_t now)
{
    c->after_ms = after_ms;
    c->last_busy = now;
    c->done = 0;
}

int idle_due(struct idle_clock *c, int busy, uint64_t now, int *timeout)
{
    if (!c->after_ms)
        return 0;
    if (busy || now < c->last_busy) {
        /* a request is open (or the clock went back): the idle period starts over */
        c->last_busy = now;
        c->done = 0;
        return 0;
    }
    if (c->done)
        return 0;
    uint64_t idle = now - c->last_busy;
    if (idle >= c->after_ms) {
        c->done = 1;
        return 1;
    }
    uint64_t left = c->after_ms - idle;
    int t = left > 60000 ? 60000 : (int)left;
    if (*timeout < 0 || t < *timeout)
        *timeout = t;
    return 0;
}

int idle_parse_seconds(const char *s, uint64_t *secs)
{
    return parse_decimal(s, IDLE_RECLAIM_MAX_S, secs);
}

int idle_balloon_reports(const char *features)
{
    for (int i = 0; i <= IDLE_BALLOON_F_REPORTING; i++) {
        if (features[i] != '0' && features[i] != '1')
            return 0;   /* too short or not a feature string */
    }
    return features[IDLE_BALLOON_F_REPORTING] == '1';
}
