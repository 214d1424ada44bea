/* libFuzzer target: arbitrary bytes through everything that parses host input:
 * the frame reassembler (fed in input-dependent chunk sizes), the OPEN request
 * parser on every OPEN payload and on the raw input, the HELLO JSON parser, the
 * streaming tar reader (on DATA payloads and on the raw input, with tar entry
 * names validated as the import does) and request path normalisation. */
#include "frame.h"
#include "json.h"
#include "paths.h"
#include "request.h"
#include "tar.h"
#include <stdlib.h>
#include <string.h>

static struct jtok toks[4096];

static int fz_entry(void *ctx, const struct tar_entry *e)
{
    (void)ctx;
    char out[TAR_NAME_MAX + 1];
    tar_name_normalize(e->name, 0, out, sizeof out);
    tar_name_normalize(e->name, 2, out, sizeof out);
    tar_name_normalize(e->linkname, 1, out, sizeof out);
    return 0;
}

static int fz_data(void *ctx, const uint8_t *p, size_t n)
{
    volatile uint8_t x = 0;
    (void)ctx;
    for (size_t i = 0; i < n; i += 511)
        x ^= p[i];
    (void)x;
    return 0;
}

static int fz_end(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct tar_cb cb = { fz_entry, fz_data, fz_end };

static void parse_request(const uint8_t *p, size_t n)
{
    struct request r;
    char err[256];
    request_parse(p, n, &r, err, sizeof err);
    request_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct frame_reader fr;
    static int ready;
    if (!ready) {
        if (fr_init(&fr) != 0)
            abort();
        ready = 1;
    }
    fr_reset(&fr);

    struct tar_reader tr;
    tar_reader_init(&tr);
    int tar_failed = 0;
    size_t i = 0;
    while (i < size) {
        size_t chunk = 1 + (size_t)(data[i] % 61) * 37;
        if (chunk > size - i)
            chunk = size - i;
        size_t fed = fr_feed(&fr, data + i, chunk);
        i += fed;
        struct frame f;
        int r;
        while ((r = fr_next(&fr, &f)) != FR_NEED) {
            if (r != FR_FRAME)
                continue;
            if (f.type == FT_OPEN)
                parse_request(f.payload, f.len);
            else if (f.type == FT_HELLO) {
                size_t nt;
                json_parse((const char *)f.payload, f.len, toks, 4096, &nt);
            } else if (f.type == FT_DATA && !tar_failed)
                tar_failed = tar_feed(&tr, f.payload, f.len, &cb, NULL) != 0;
        }
        if (fed == 0)
            break;   /* cannot happen: a full buffer always holds a complete frame */
    }
    if (!tar_failed)
        tar_finish(&tr);
    tar_reader_free(&tr);

    parse_request(data, size);

    tar_reader_init(&tr);
    if (tar_feed(&tr, data, size, &cb, NULL) == 0)
        tar_finish(&tr);
    tar_reader_free(&tr);

    char in[4096], out[4096];
    size_t l = size < sizeof in - 1 ? size : sizeof in - 1;
    memcpy(in, data, l);
    in[l] = 0;
    paths_normalize_request(in, out, sizeof out);
    tar_name_normalize(in, 1, out, sizeof out);
    return 0;
}
