/* placement — is a process in the cgroups and namespace the lab gave it
 * (see placement.h). */
#include "lab/placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "util/util.h"

#define CGROUP_ROOT "/sys/fs/cgroup/"

/* True if the comma-separated LIST names CONTROLLER. */
static bool
list_has(const char *list, size_t len, const char *controller)
{
    size_t n = strlen(controller);
    const char *end = list + len;
    while (list < end) {
        const char *comma = memchr(list, ',', end - list);
        size_t item = (comma ? comma : end) - list;
        if (item == n && !memcmp(list, controller, n)) {
            return true;
        }
        list += item + 1;
    }
    return false;
}

bool
lab_placement_in_cgroup(pid_t pid, const char *path)
{
    if (strncmp(path, CGROUP_ROOT, strlen(CGROUP_ROOT))) {
        return false;
    }
    const char *rel = path + strlen(CGROUP_ROOT);
    /* v1: CONTROLLER/DIR; v2 (the lab's cgroups sit at plural-lab/...): DIR. */
    bool v2 = !strncmp(rel, "plural-lab/", strlen("plural-lab/"));
    char *controller = v2 ? NULL : xstrndup(rel, strcspn(rel, "/"));
    const char *dir = v2 ? rel - 1 : rel + strcspn(rel, "/");
    char *file = xasprintf("/proc/%ld/cgroup", (long) pid);
    FILE *f = fopen(file, "r");
    bool found = false;
    char line[1024];
    while (f && !found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        /* ID:CONTROLLERS:PATH */
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || strcmp(c2 + 1, dir)) {
            continue;
        }
        found = v2 ? c2 == c1 + 1 : list_has(c1 + 1, c2 - c1 - 1, controller);
    }
    if (f) {
        fclose(f);
    }
    free(file);
    free(controller);
    return found;
}

bool
lab_placement_in_netns(pid_t pid, const char *netns)
{
    char *mine = xasprintf("/proc/%ld/ns/net", (long) pid);
    char *named = xasprintf("/run/netns/%s", netns);
    struct stat a, b;
    bool same = !stat(mine, &a) && !stat(named, &b) && a.st_dev == b.st_dev
                && a.st_ino == b.st_ino;
    free(mine);
    free(named);
    return same;
}
