#define _GNU_SOURCE
#include "wsdisk.h"
#include "log.h"
#include "staging.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* <linux/fs.h>, which musl's headers do not carry */
#ifndef FIFREEZE
#define FIFREEZE _IOWR('X', 119, int)
#define FITHAW   _IOWR('X', 120, int)
#endif

int g_wsdisk_frozen;

static int wsdisk_mounted(void)
{
    struct stat a, b;
    if (stat(WSDISK_DIR, &a) != 0 || stat(WSDISK_DIR "/..", &b) != 0)
        return 0;
    return a.st_dev != b.st_dev;
}

static int wsdisk_ioctl(unsigned long req)
{
    if (!wsdisk_mounted())
        return -ENOENT;
    int fd = open(WSDISK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = ioctl(fd, req, 0) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

int wsdisk_sync(void)
{
    if (!wsdisk_mounted())
        return -ENOENT;
    int fd = open(WSDISK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = syncfs(fd) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

int wsdisk_freeze(void)
{
    int rc = wsdisk_ioctl(FIFREEZE);
    if (rc == 0)
        g_wsdisk_frozen = 1;
    return rc;
}

int wsdisk_thaw(void)
{
    int rc = wsdisk_ioctl(FITHAW);
    g_wsdisk_frozen = 0;
    return rc;
}

void wsdisk_quiesce_for_poweroff(void)
{
    if (wsdisk_read_only())
        return;
    int rc = wsdisk_freeze();
    if (rc != 0 && rc != -ENOENT && rc != -EBUSY)
        LOGE("freezing the workspace disk before power-off: %s", strerror(-rc));
}

int wsdisk_read_only(void)
{
    struct statvfs v;
    return wsdisk_mounted() && statvfs(WSDISK_DIR, &v) == 0 && (v.f_flag & ST_RDONLY);
}
