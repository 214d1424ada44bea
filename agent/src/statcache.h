/* The manifest's stat cache: (dev, inode, size, mtime, ctime) -> SHA-256 and text
 * class, kept in the agent's memory only, so a diff does not re-read files that
 * did not change. Never trusted blindly (the "racy git" problem): a file is cached
 * only when its mtime and ctime are older than the moment it was hashed by more
 * than the window (the file system's timestamp granularity, generously), so a
 * write in the same clock tick as the hash can never look unchanged; any later
 * write moves ctime past the cached value. Bounded: STATCACHE_MAX_SLOTS slots
 * (half of them usable), entries not seen by the last full walk are dropped.
 * Pure (no I/O): the caller passes the lstat and the time. */
#ifndef PYRO_STATCACHE_H
#define PYRO_STATCACHE_H
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#define STATCACHE_MAX_SLOTS (1u << 17)              /* 131072 slots of 80 bytes: 10 MiB at most */
#define STATCACHE_WINDOW_NS (2000000000LL)          /* 2 s: FAT's granularity, above any coarse clock */

/* The window (ns) below which a timestamp counts as "the same tick" as the hash. */
void statcache_set_window(int64_t ns);
/* Starts a walk: returns its generation (entries it touches are marked with it). */
uint32_t statcache_begin(void);
/* 1 and the digest/text class when sb describes a cached file unchanged; else 0. */
int statcache_lookup(const struct stat *sb, uint32_t gen, uint8_t sha256[32], int *text);
/* Remembers a file hashed from hashed_at (CLOCK_REALTIME) on, with sb its stat
 * taken before reading; skipped when sb's times are within the window of hashed_at. */
void statcache_store(const struct stat *sb, uint32_t gen, const uint8_t sha256[32], int text,
                     const struct timespec *hashed_at);
/* A complete walk of the workspace root ended: drop entries no walk since gen touched. */
void statcache_sweep(uint32_t gen);
/* Forget everything. */
void statcache_clear(void);
/* The wall clock is being set from was to now: set back by more than the window, a
 * later write could get the timestamps of a cached file, so everything is forgotten. */
void statcache_clock_set(const struct timespec *was, const struct timespec *now);
/* Entries held (for tests). */
uint32_t statcache_size(void);

#endif
