/* fuzz-replay — runs a libFuzzer target's LLVMFuzzerTestOneInput over every
 * file of the corpus directories (or files) given on the command line,
 * without libFuzzer, so that `meson test` exercises each corpus in every
 * build (and under ASan+UBSan in make check).  Linked with one target's
 * source; prints "N passed, 0 failed" when every input ran.  A crash or
 * abort in the target fails the test.  Exit 1 if nothing was replayed. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    do {
        if (size == cap) {
            cap = cap ? 2 * cap : 4096;
            data = realloc(data, cap);
            if (!data) {
                abort();
            }
        }
        n = fread(data + size, 1, cap - size, f);
        size += n;
    } while (n > 0);
    fclose(f);
    /* Exact-size copy so that ASan catches reads past the input. */
    {
        uint8_t *exact = malloc(size ? size : 1);
        if (!exact) {
            abort();
        }
        memcpy(exact, data, size);
        free(data);
        LLVMFuzzerTestOneInput(exact, size);
        free(exact);
    }
    return 0;
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int
main(int argc, char *argv[])
{
    size_t replayed = 0;
    int failed = 0;

    if (LLVMFuzzerInitialize) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *de;
        char **names = NULL;
        size_t n = 0;

        if (stat(argv[i], &st)) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            failed |= replay_file(argv[i]) != 0;
            replayed++;
            continue;
        }
        dir = opendir(argv[i]);
        if (!dir) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        while ((de = readdir(dir)) != NULL) {
            if (de->d_name[0] == '.') {
                continue;
            }
            names = realloc(names, (n + 1) * sizeof *names);
            if (!names || asprintf(&names[n], "%s/%s", argv[i], de->d_name) < 0) {
                abort();
            }
            n++;
        }
        closedir(dir);
        qsort(names, n, sizeof *names, compare_names);
        for (size_t j = 0; j < n; j++) {
            failed |= replay_file(names[j]) != 0;
            replayed++;
            free(names[j]);
        }
        free(names);
    }
    if (!replayed) {
        fprintf(stderr, "no corpus inputs found\n");
        return 1;
    }
    printf("%zu passed, %d failed\n", replayed - (size_t) failed, failed);
    return failed;
}
