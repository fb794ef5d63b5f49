/* ofp-encode-samples — prints "NAME HEX" for every sample message, one per
 * line (for the ovs-ofctl interop test), or with -d DIR writes each sample
 * as DIR/NAME (a fuzz seed corpus). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp-samples.h"
#include "util/util.h"

int
main(int argc, char *argv[])
{
    struct ofp_sample *s;
    size_t n = ofp_samples_build(&s);
    const char *dir = argc == 3 && !strcmp(argv[1], "-d") ? argv[2] : NULL;

    if (argc != 1 && !dir) {
        fprintf(stderr, "usage: %s [-d DIR]\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (dir) {
            char *path = xasprintf("%s/%s", dir, s[i].name);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(s[i].data, 1, s[i].len, f) != s[i].len || fclose(f)) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return 1;
            }
            free(path);
        } else {
            char *hex = hex_encode(s[i].data, s[i].len);
            printf("%s %s\n", s[i].name, hex);
            free(hex);
        }
    }
    ofp_samples_free(s, n);
    return 0;
}
