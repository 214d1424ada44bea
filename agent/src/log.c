#include "log.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int g_verbose;

void log_msg(int debug, const char *fmt, ...)
{
    char buf[1024];
    int saved = errno;
    int n = snprintf(buf, sizeof buf, "pyro-agent[%d]%s: ", (int)getpid(), debug ? " debug" : "");
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof buf)
        n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf - 1)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    /* one write() so lines from different sources do not interleave */
    ssize_t w = write(2, buf, (size_t)n);
    (void)w;
    errno = saved;
}
