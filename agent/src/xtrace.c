/* See xtrace.h: empty unless built with EXEC_TRACE=1. */
#ifdef PYRO_EXEC_TRACE
#define _GNU_SOURCE
#include "xtrace.h"
#include "session.h"
#include "util.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint64_t g_wake, g_open_wake, g_t[XT_COUNT];
static int g_active, g_fd = -1, g_wakes;

void xtrace_wake(void)
{
    g_wake = now_us();
    g_wakes += g_active;
}

void xtrace_mark(enum xtrace_step step)
{
    if (step == XT_OPEN) {
        memset(g_t, 0, sizeof g_t);
        g_active = 1;
        g_wakes = 0;
        g_open_wake = g_wake;
    }
    if (!g_active)
        return;
    g_t[step] = now_us();
    if (step == XT_REAPED)
        g_t[XT_CHLD_WAKE] = g_wake;
}

void xtrace_flushing(void)
{
    if (g_active && g_t[XT_RESULT])
        g_t[XT_WRITE2] = now_us();
}

void xtrace_flushed(void)
{
    if (!g_active)
        return;
    if (g_t[XT_STARTED] && !g_t[XT_FLUSH1]) {
        g_t[XT_FLUSH1] = now_us();
    } else if (g_t[XT_RESULT]) {
        g_t[XT_FLUSH2] = now_us();
        g_active = 0;
        if (g_fd < 0) {
            g_fd = g_conf.guest ? open("/run/pyro-exec-trace", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
            if (g_fd < 0)
                g_fd = 2;
        }
        static const char *names[XT_COUNT] = { "open", "parsed", "cwd", "pipes", "forked", "spawned", "started",
                                              "flush1", "chld_wake", "reaped", "result", "write2",
                                              "flush2" };
        char line[512];
        int n = snprintf(line, sizeof line, "xtrace");
        uint64_t base = g_open_wake;
        for (int i = 0; i < XT_COUNT && n < (int)sizeof line - 32; i++)
            n += snprintf(line + n, sizeof line - (size_t)n, " %s=%lld", names[i],
                          g_t[i] ? (long long)(g_t[i] - base) : -1LL);
        n += snprintf(line + n, sizeof line - (size_t)n, " wakes=%d\n", g_wakes);
        ssize_t w = write(g_fd, line, (size_t)n);
        (void)w;
    }
}
#else
typedef int xtrace_unused;   /* ISO C wants a translation unit to declare something */
#endif
