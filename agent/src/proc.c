#define _GNU_SOURCE
#include "proc.h"
#include "util.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int proc_signal_session(pid_t sid, int sig)
{
    DIR *d = opendir("/proc");
    if (!d)
        return kill(-sid, sig) == 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 1 || pid == getpid())
            continue;
        char path[64], line[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t r = read(fd, line, sizeof line - 1);
        close(fd);
        long s;
        if (r <= 0)
            continue;
        line[r] = 0;
        if (proc_stat_session(line, &s) == 0 && s == sid && kill((pid_t)pid, sig) == 0)
            n++;
    }
    closedir(d);
    return n;
}
