#include "statcache.h"
#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 1024u

struct sc_entry {
    uint64_t dev, ino;
    int64_t size, mtime, ctime;   /* times in ns */
    uint32_t gen;
    uint8_t used, text;
    uint8_t sha[32];
};

static struct sc_entry *g_slots;
static uint32_t g_nslots, g_live, g_gen;
static int64_t g_window = STATCACHE_WINDOW_NS;

void statcache_set_window(int64_t ns)
{
    g_window = ns < 0 ? 0 : ns;
}

static int64_t ns_of(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static uint32_t home(uint64_t dev, uint64_t ino)
{
    uint64_t h = (ino ^ (dev * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return (uint32_t)(h >> 32);
}

/* the slot holding (dev, ino), or the empty slot where it would go */
static struct sc_entry *find(struct sc_entry *slots, uint32_t nslots, uint64_t dev, uint64_t ino)
{
    uint32_t mask = nslots - 1;
    for (uint32_t i = home(dev, ino) & mask;; i = (i + 1) & mask) {
        struct sc_entry *e = &slots[i];
        if (!e->used || (e->dev == dev && e->ino == ino))
            return e;
    }
}

/* rehash the live entries touched since keep_gen (all when keep_all) into nslots slots */
static int rebuild(uint32_t nslots, int keep_all, uint32_t keep_gen)
{
    struct sc_entry *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    uint32_t live = 0;
    for (uint32_t i = 0; i < g_nslots; i++) {
        struct sc_entry *e = &g_slots[i];
        if (!e->used || (!keep_all && (int32_t)(e->gen - keep_gen) < 0))
            continue;
        *find(slots, nslots, e->dev, e->ino) = *e;
        live++;
    }
    free(g_slots);
    g_slots = slots;
    g_nslots = nslots;
    g_live = live;
    return 0;
}

uint32_t statcache_begin(void)
{
    return ++g_gen;
}

int statcache_lookup(const struct stat *sb, uint32_t gen, uint8_t sha256[32], int *text)
{
    if (!g_slots)
        return 0;
    struct sc_entry *e = find(g_slots, g_nslots, (uint64_t)sb->st_dev, (uint64_t)sb->st_ino);
    if (!e->used || e->size != (int64_t)sb->st_size || e->mtime != ns_of(&sb->st_mtim) ||
        e->ctime != ns_of(&sb->st_ctim))
        return 0;
    e->gen = gen;
    memcpy(sha256, e->sha, 32);
    *text = e->text;
    return 1;
}

void statcache_store(const struct stat *sb, uint32_t gen, const uint8_t sha256[32], int text,
                     const struct timespec *hashed_at)
{
    int64_t racy = ns_of(hashed_at) - g_window;
    if (ns_of(&sb->st_mtim) >= racy || ns_of(&sb->st_ctim) >= racy)
        return;   /* written in the same tick as (or after) the hash began: never trusted */
    if (!g_slots && rebuild(MIN_SLOTS, 1, 0) < 0)
        return;
    struct sc_entry *e = find(g_slots, g_nslots, (uint64_t)sb->st_dev, (uint64_t)sb->st_ino);
    if (!e->used && (g_live + 1) * 2 > g_nslots) {
        if (g_nslots >= STATCACHE_MAX_SLOTS || rebuild(g_nslots * 2, 1, 0) < 0)
            return;   /* full: this file is hashed again next time */
        e = find(g_slots, g_nslots, (uint64_t)sb->st_dev, (uint64_t)sb->st_ino);
    }
    if (!e->used)
        g_live++;
    e->used = 1;
    e->dev = (uint64_t)sb->st_dev;
    e->ino = (uint64_t)sb->st_ino;
    e->size = (int64_t)sb->st_size;
    e->mtime = ns_of(&sb->st_mtim);
    e->ctime = ns_of(&sb->st_ctim);
    e->gen = gen;
    e->text = (uint8_t)(text > 0);
    memcpy(e->sha, sha256, 32);
}

void statcache_sweep(uint32_t gen)
{
    uint32_t stale = 0;
    for (uint32_t i = 0; i < g_nslots; i++)
        stale += g_slots[i].used && (int32_t)(g_slots[i].gen - gen) < 0;
    if (!stale)
        return;
    uint32_t keep = g_live - stale, n = MIN_SLOTS;
    while (n < STATCACHE_MAX_SLOTS && keep * 2 >= n)
        n *= 2;
    if (rebuild(n, 0, gen) < 0)
        statcache_clear();   /* no memory for the rebuild: forgetting is always safe */
}

void statcache_clear(void)
{
    free(g_slots);
    g_slots = NULL;
    g_nslots = g_live = 0;
}

void statcache_clock_set(const struct timespec *was, const struct timespec *now)
{
    if (ns_of(now) < ns_of(was) - g_window)
        statcache_clear();
}

uint32_t statcache_size(void)
{
    return g_live;
}
