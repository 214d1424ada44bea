#define _GNU_SOURCE
#include "reclaim.h"
#include "idle.h"
#include "log.h"
#include "util.h"
#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#define BALLOON_DRIVER "/sys/bus/virtio/drivers/virtio_balloon"

/* 1 when the bound device \p name negotiated free page reporting. */
static int device_reports(const char *name)
{
    char path[160], features[80];
    snprintf(path, sizeof path, BALLOON_DRIVER "/%s/features", name);
    return read_small_file(path, features, sizeof features) && idle_balloon_reports(features);
}

int reclaim_page_reporting(void)
{
    DIR *d = opendir(BALLOON_DRIVER);
    if (!d)
        return 0;
    int reports = 0;
    struct dirent *e;
    while (!reports && (e = readdir(d))) {
        /* the bound device's link */
        if (!strncmp(e->d_name, "virtio", 6) && strlen(e->d_name) < 32)
            reports = device_reports(e->d_name);
    }
    closedir(d);
    return reports;
}

static void write_knob(const char *path, const char *value)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, value, strlen(value)) < 0)
        LOGE("idle reclaim: %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

pid_t reclaim_start(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        LOGE("idle reclaim: fork: %s", strerror(errno));
        return -1;
    }
    if (pid > 0)
        return pid;
    /* Let go of the agent's descriptors at once: a virtio-serial port stays busy while any
     * process holds it open, and the agent may need to reopen one while this runs. */
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
    /* Dirty pages cannot be dropped: write them first. Then page cache, dentries and
     * inodes (3); compaction merges what was freed into the 2 MiB blocks the kernel
     * reports (page_reporting_order), instead of leaving it scattered between pages
     * still in use. */
    sync();
    write_knob("/proc/sys/vm/drop_caches", "3");
    write_knob("/proc/sys/vm/compact_memory", "1");
    _exit(0);
}
