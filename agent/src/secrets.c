/* The agent's secret store: see secrets.h. */
#define _GNU_SOURCE
#include "secrets.h"
#include "json.h"
#include "log.h"
#include "session.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct secret_set g_set;

const struct secret_set *secrets_current(void)
{
    return &g_set;
}

/* Empties SECRETS_DIR (files only: the agent writes nothing else there). */
static void clear_dir(int dfd)
{
    DIR *d = fdopendir(dup(dfd));
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            unlinkat(dfd, e->d_name, 0);
    closedir(d);
}

/* The guest copy on the /run tmpfs: one 0600 file per name in a 0700 directory. */
static int write_files(const struct secret_set *set, char *err, size_t errsz)
{
    if (mkdir(SECRETS_DIR, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errsz, "cannot create %s: %s", SECRETS_DIR, strerror(errno));
        return -1;
    }
    int dfd = open(SECRETS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0 || fchmod(dfd, 0700) != 0) {
        snprintf(err, errsz, "cannot open %s: %s", SECRETS_DIR, strerror(errno));
        if (dfd >= 0)
            close(dfd);
        return -1;
    }
    clear_dir(dfd);
    for (size_t i = 0; i < set->n; i++) {
        int fd = openat(dfd, set->name[i], O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        ssize_t w = fd >= 0 ? write(fd, set->val[i], set->len[i]) : -1;
        if (fd >= 0)
            close(fd);
        if (w != (ssize_t)set->len[i]) {
            snprintf(err, errsz, "cannot write secret %s", set->name[i]);
            close(dfd);
            return -1;
        }
    }
    close(dfd);
    return 0;
}

void op_secrets_put(struct session *s, struct stream *st, struct request *r)
{
    struct secret_set next;
    memset(&next, 0, sizeof next);
    for (size_t i = 0; i < r->nsecrets; i++)
        if (secret_set_add(&next, r->secret_name[i], r->secret_val[i], r->secret_len[i]) < 0) {
            secret_set_clear(&next);
            stream_finish_error(s, st, "invalid_argument", "secret %zu cannot be stored", i);
            return;
        }
    char err[256];
    if (g_conf.guest && write_files(&next, err, sizeof err) < 0) {
        secret_set_clear(&next);
        stream_finish_error(s, st, "io_error", "%s", err);
        return;
    }
    secret_set_clear(&g_set);
    g_set = next;
    struct jbuf b;
    jb_init(&b, 1024);
    jb_raw(&b, "{\"names\":[");
    for (size_t i = 0; i < g_set.n; i++) {
        if (i)
            jb_raw(&b, ",");
        jb_str(&b, g_set.name[i]);
    }
    jb_raw(&b, "]}");
    stream_finish_result(s, st, b.p ? b.p : "{\"names\":[]}");
    jb_free(&b);
    LOGD("secrets: %zu stored", g_set.n);
}

int secrets_apply_env(struct request *r, char *err, size_t errsz)
{
    if (r->senvc == 0)
        return 0;
    char **env = realloc(r->env, (r->envc + r->senvc + 1) * sizeof(char *));
    if (!env) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    r->env = env;
    r->env[r->envc] = NULL;
    for (size_t i = 0; i < r->senvc; i++) {
        size_t len;
        const uint8_t *v = secret_set_get(&g_set, r->senv_name[i], &len);
        if (!v) {
            snprintf(err, errsz, "no secret named %s", r->senv_name[i]);
            return -1;
        }
        size_t vl = strlen(r->senv_var[i]);
        char *kv = malloc(vl + 1 + len + 1);
        if (!kv) {
            snprintf(err, errsz, "out of memory");
            return -1;
        }
        memcpy(kv, r->senv_var[i], vl);
        kv[vl] = '=';
        memcpy(kv + vl + 1, v, len);
        kv[vl + 1 + len] = 0;
        r->env[r->envc++] = kv;
        r->env[r->envc] = NULL;
    }
    return 0;
}
