/* identity_set (docs/protocol.md §5): what a guest restored from a memory snapshot
 * makes its own before its first command. Every guest restored from one template
 * starts with the same kernel RNG state, clock, hostname and machine-id; the host
 * sends fresh ones. The entropy is credited through RNDADDENTROPY and the kernel's
 * CRNG reseeded at once (RNDRESEEDCRNG): a plain write to /dev/urandom mixes bytes
 * in but neither credits them nor reseeds, so the next reads could still follow the
 * template's state. In development mode the values are checked and nothing is applied. */
#define _GNU_SOURCE
#include "log.h"
#include "request.h"
#include "session.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* <linux/random.h>, spelled out: musl ships no kernel headers */
#define PYRO_RNDADDENTROPY  _IOW('R', 0x03, int[2])
#define PYRO_RNDRESEEDCRNG  _IO('R', 0x07)
#define MACHINE_ID_PATH "/etc/machine-id"

static int add_entropy(const uint8_t *p, size_t n, char *err, size_t errsz)
{
    struct {
        int entropy_count;   /* bits credited */
        int buf_size;        /* bytes */
        uint8_t buf[IDENTITY_ENTROPY_MAX];
    } info;
    memset(&info, 0, sizeof info);
    info.entropy_count = (int)(n * 8);
    info.buf_size = (int)n;
    memcpy(info.buf, p, n);
    int fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : ioctl(fd, PYRO_RNDADDENTROPY, &info);
    if (rc == 0 && ioctl(fd, PYRO_RNDRESEEDCRNG) != 0)
        rc = -1;
    int e = errno;
    memset(&info, 0, sizeof info);
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        snprintf(err, errsz, "cannot reseed the kernel RNG: %s", strerror(e));
    return rc;
}

/* /etc/machine-id by rename, so a reader never sees it half written */
static int write_machine_id(const char *id, char *err, size_t errsz)
{
    char tmp[] = "/etc/.machine-id.XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsz, "cannot write %s: %s", MACHINE_ID_PATH, strerror(errno));
        return -1;
    }
    char line[34];
    snprintf(line, sizeof line, "%s\n", id);
    int ok = write(fd, line, 33) == 33 && fchmod(fd, 0444) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, MACHINE_ID_PATH) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        snprintf(err, errsz, "cannot write %s: %s", MACHINE_ID_PATH, strerror(e));
        return -1;
    }
    return 0;
}

void op_identity_set(struct session *s, struct stream *st, struct request *r)
{
    const struct identity_request *id = r->identity;
    char err[256];
    if (g_conf.guest) {
        struct timespec ts = { (time_t)(id->wall_ns / 1000000000), (long)(id->wall_ns % 1000000000) };
        if (add_entropy(id->entropy, id->entropy_len, err, sizeof err) != 0) {
            stream_finish_error(s, st, "io_error", "%s", err);
            return;
        }
        if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
            stream_finish_error(s, st, "io_error", "cannot set the clock: %s", strerror(errno));
            return;
        }
        if (sethostname(id->hostname, strlen(id->hostname)) != 0) {
            stream_finish_error(s, st, "io_error", "cannot set the hostname: %s", strerror(errno));
            return;
        }
        if (write_machine_id(id->machine_id, err, sizeof err) != 0) {
            stream_finish_error(s, st, "io_error", "%s", err);
            return;
        }
        if (id->ttl_ms != REQ_ABSENT)
            g_conf.ttl_ms = id->ttl_ms ? boottime_ms() + (uint64_t)id->ttl_ms : 0;
    }
    char res[160];
    snprintf(res, sizeof res, "{\"applied\":%s,\"entropy_bits\":%zu,\"ttl_ms\":%llu}", g_conf.guest ? "true" : "false",
             id->entropy_len * 8, (unsigned long long)g_conf.ttl_ms);
    stream_finish_result(s, st, res);
    LOGD("identity: %s, %zu entropy bytes", g_conf.guest ? "applied" : "checked (dev mode)", id->entropy_len);
}
