/* libFuzzer target: archive_import into a temporary workspace root, through the whole
 * session (OPEN, DATA in input-chosen pieces, EOF or CANCEL). The first byte picks atomic or
 * not, strip_components and how the stream ends; the rest is the tar. Asserts that nothing
 * lands outside the root (harness_end), that staging is cleaned, and that every name the
 * import accepts normalises to a relative path without a ".." component. */
#include "harness.h"
#include "frame.h"
#include "paths.h"
#include "tar.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned strip;

/* the import's own name rule, checked on what it accepts */
static int check_entry(void *ctx, const struct tar_entry *e)
{
    (void)ctx;
    char out[TAR_NAME_MAX + 1];
    const char *names[2] = { e->name, e->type == '1' ? e->linkname : NULL };
    for (int i = 0; i < 2; i++) {
        if (!names[i] || tar_name_normalize(names[i], strip, out, sizeof out) != 0)
            continue;
        if (out[0] == '/' || !strcmp(out, "..") || !strncmp(out, "../", 3) || strstr(out, "/../")
            || (strlen(out) >= 3 && !strcmp(out + strlen(out) - 3, "/..")))
            abort();
    }
    return 0;
}

static int skip_data(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 0;
}

static int no_end(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct tar_cb names_cb = { check_entry, skip_data, no_end };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    int atomic = mode & 1;
    strip = (mode >> 1) & 3;
    int ending = (mode >> 3) & 3;   /* 0, 1: EOF; 2: CANCEL; 3: disconnect mid-stream */
    size_t piece = 1 + (size_t)(mode >> 5) * 1500;

    struct tar_reader tr;
    tar_reader_init(&tr);
    if (tar_feed(&tr, data, size, &names_cb, NULL) == 0)
        tar_finish(&tr);
    tar_reader_free(&tr);

    harness_begin();
    char req[160];
    int n = snprintf(req, sizeof req,
                     "{\"op\":\"archive_import\",\"dest\":\"/workspace/d\",\"strip_components\":%u,\"atomic\":%s}",
                     strip, atomic ? "true" : "false");
    harness_send(FT_OPEN, 0, 1, req, (uint32_t)n);
    /* inputs stay below the initial window (max_len), so no credit is needed */
    for (size_t off = 0; off < size; off += piece)
        harness_send(FT_DATA, CH_IN, 1, data + off, (uint32_t)(size - off < piece ? size - off : piece));
    if (ending < 2)
        harness_send(FT_EOF, CH_IN, 1, NULL, 0);
    else if (ending == 2)
        harness_send(FT_CANCEL, 0, 1, NULL, 0);
    harness_settle();
    harness_end();
    return 0;
}
