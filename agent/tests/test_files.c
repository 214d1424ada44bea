/* Unit tests of what file_read and file_write add: symlink resolution beneath
 * the root (resolve.c) and the requests' parsing. */
#define _GNU_SOURCE
#include "check.h"
#include "request.h"
#include "resolve.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int resolve(int root, const char *rel, int flags, char *out)
{
    return paths_resolve(root, rel, flags, out, 4096);
}

void test_resolve(void)
{
    char dir[] = "/tmp/pyro-agent-resolve-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(root >= 0);
    CHECK(mkdirat(root, "d", 0755) == 0);
    CHECK(mkdirat(root, "d/e", 0755) == 0);
    int f = openat(root, "d/f", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    CHECK(f >= 0);
    close(f);
    CHECK(symlinkat("d", root, "ln") == 0);                      /* relative, inside */
    CHECK(symlinkat("/workspace/d/f", root, "abs") == 0);        /* absolute, inside */
    CHECK(symlinkat("/workspace", root, "top") == 0);            /* the root itself */
    CHECK(symlinkat("/etc/passwd", root, "out") == 0);           /* absolute, outside */
    CHECK(symlinkat("../../..", root, "d/up") == 0);             /* relative, outside */
    CHECK(symlinkat("../f", root, "d/e/back") == 0);             /* relative, up and inside */
    CHECK(symlinkat("loop2", root, "loop1") == 0);
    CHECK(symlinkat("loop1", root, "loop2") == 0);
    CHECK(symlinkat("new.txt", root, "dangling") == 0);          /* to a file to create */
    CHECK(symlinkat("/workspacex/a", root, "lookalike") == 0);   /* not under /workspace */
    char out[4096];

    CHECK(resolve(root, "d/f", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "", 0, out) == 0 && !strcmp(out, ""));
    CHECK(resolve(root, "ln/f", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "abs", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "top/ln/f", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "d/e/back", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "ln/e/../f", 0, out) == 0 && !strcmp(out, "d/f"));
    CHECK(resolve(root, "out", 0, out) == -EXDEV);
    CHECK(resolve(root, "d/up", 0, out) == -EXDEV);
    CHECK(resolve(root, "d/up/x", RES_MISSING_TAIL, out) == -EXDEV);
    CHECK(resolve(root, "lookalike", RES_MISSING_TAIL, out) == -EXDEV);
    CHECK(resolve(root, "..", 0, out) == -EXDEV);
    CHECK(resolve(root, "loop1", 0, out) == -ELOOP);
    CHECK(resolve(root, "missing", 0, out) == -ENOENT);
    CHECK(resolve(root, "missing", RES_MISSING_TAIL, out) == 0 && !strcmp(out, "missing"));
    CHECK(resolve(root, "ln/new/dir/x.txt", RES_MISSING_TAIL, out) == 0 && !strcmp(out, "d/new/dir/x.txt"));
    CHECK(resolve(root, "missing/../x", RES_MISSING_TAIL, out) == -ENOENT);
    CHECK(resolve(root, "dangling", RES_MISSING_TAIL, out) == 0 && !strcmp(out, "new.txt"));
    CHECK(resolve(root, "dangling", 0, out) == -ENOENT);
    CHECK(resolve(root, "d/f/x", RES_MISSING_TAIL, out) == -ENOTDIR);
    char tiny[3];
    CHECK(paths_resolve(root, "d/f", 0, tiny, sizeof tiny) == -ENAMETOOLONG);
    close(root);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static int parse(const char *json, struct request *r, char *err)
{
    return request_parse((const uint8_t *)json, strlen(json), r, err, 256);
}

void test_file_requests(void)
{
    struct request r;
    char err[256];
    CHECK(parse("{\"op\":\"file_read\",\"path\":\"a.txt\"}", &r, err) == REQ_OK);
    CHECK(r.op == OP_FILE_READ && !strcmp(r.path, "a.txt") && r.max_bytes == REQ_ABSENT);
    request_free(&r);
    CHECK(parse("{\"op\":\"file_read\",\"path\":\"a\",\"max_bytes\":10}", &r, err) == REQ_OK && r.max_bytes == 10);
    request_free(&r);
    CHECK(parse("{\"op\":\"file_read\"}", &r, err) == REQ_BAD);
    request_free(&r);
    CHECK(parse("{\"op\":\"file_read\",\"path\":\"a\",\"max_bytes\":\"x\"}", &r, err) == REQ_BAD);
    request_free(&r);

    const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char ok[512];
    snprintf(ok, sizeof ok, "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"size\":3,\"mode\":493},"
             "{\"path\":\"b\",\"size\":0,\"expect\":\"absent\"},{\"path\":\"c\",\"remove\":true,\"expect\":\"%s\"}]}",
             sha);
    CHECK(parse(ok, &r, err) == REQ_OK);
    CHECK(r.op == OP_FILE_WRITE && r.nfiles == 3);
    if (r.nfiles == 3) {
        CHECK(!strcmp(r.files[0].path, "a") && r.files[0].size == 3 && r.files[0].mode == 0755);
        CHECK(r.files[0].expect == FILE_EXPECT_ANY && !r.files[0].remove);
        CHECK(r.files[1].size == 0 && r.files[1].expect == FILE_EXPECT_ABSENT && r.files[1].mode == REQ_ABSENT);
        CHECK(r.files[2].remove && r.files[2].expect == FILE_EXPECT_SHA256 && !strcmp(r.files[2].sha256, sha));
    }
    request_free(&r);
    static const char *bad[] = {
        "{\"op\":\"file_write\"}",
        "{\"op\":\"file_write\",\"files\":[]}",
        "{\"op\":\"file_write\",\"files\":{}}",
        "{\"op\":\"file_write\",\"files\":[1]}",
        "{\"op\":\"file_write\",\"files\":[{\"size\":1}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"\",\"size\":1}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\"}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"size\":-1}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"remove\":true,\"size\":4}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"size\":1,\"expect\":\"ABC\"}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"size\":1,\"mode\":\"644\"}]}",
        "{\"op\":\"file_write\",\"files\":[{\"path\":\"a\",\"size\":1,\"remove\":1}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(parse(bad[i], &r, err) == REQ_BAD);
        request_free(&r);
    }
    /* more than REQ_MAX_FILES entries */
    size_t cap = 64 + (REQ_MAX_FILES + 1) * 24;
    char *many = malloc(cap);
    size_t o = (size_t)snprintf(many, cap, "{\"op\":\"file_write\",\"files\":[");
    for (int i = 0; i <= REQ_MAX_FILES; i++)
        o += (size_t)snprintf(many + o, cap - o, "%s{\"path\":\"f\",\"size\":0}", i ? "," : "");
    snprintf(many + o, cap - o, "]}");
    CHECK(parse(many, &r, err) == REQ_BAD && strstr(err, "more than") != NULL);
    request_free(&r);
    free(many);
}
