/* Small helpers shared by all modules. */
#ifndef PYRO_UTIL_H
#define PYRO_UTIL_H
#include <stddef.h>
#include <stdint.h>

uint64_t now_ms(void);          /* CLOCK_MONOTONIC in ms */
uint64_t now_us(void);          /* CLOCK_MONOTONIC in µs */
uint64_t boottime_ms(void);     /* CLOCK_BOOTTIME in ms */
int set_nonblock(int fd);
int set_cloexec(int fd);
/* Reads at most size - 1 bytes of a small file (procfs, sysfs) into buf and NUL-terminates
 * it. Returns the length (> 0), or 0 when it cannot be opened, read or is empty. */
size_t read_small_file(const char *path, char *buf, size_t size);

static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
/* Value of "key=" in a kernel command line (space/tab/newline separated; the last
 * occurrence wins). Returns 1 and out (NUL-terminated, truncated to outsz) or 0. */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t outsz);
/* Unsigned decimal digits only, at most max (max < 2^64 / 10); 0 and *out, or -1 (out untouched). */
int parse_decimal(const char *s, uint64_t max, uint64_t *out);
/* pyro.ttl value: decimal seconds 1..10^9; returns 0 and *secs, or -1. */
int parse_ttl(const char *s, uint64_t *secs);

/* The session id in a /proc/PID/stat line ("pid (comm) state ppid pgrp session ...";
 * comm may hold spaces and parentheses). Returns 0 and *sid, or -1. */
int proc_stat_session(const char *line, long *sid);

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
