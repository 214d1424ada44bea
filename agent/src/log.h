/* Logging: stderr only (never the protocol channel). Quiet unless --verbose. */
#ifndef PYRO_LOG_H
#define PYRO_LOG_H

extern int g_verbose;

void log_msg(int debug, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define LOGD(...) do { if (g_verbose) log_msg(1, __VA_ARGS__); } while (0)
#define LOGE(...) log_msg(0, __VA_ARGS__)

#endif
