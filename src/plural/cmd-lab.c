/* cmd-lab — `plural lab ...`: bring topologies up and down, run commands
 * in their nodes, show their state, run the benchmark scenarios
 * (lib/lab, docs/lab.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "lab/lab.h"
#include "lab/scenario.h"
#include "lab/topo.h"
#include "util/util.h"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural lab up FILE [--run-dir DIR]\n"
"       plural lab down [FILE] [--lab NAME | --run-dir DIR]\n"
"       plural lab exec [--lab NAME | --run-dir DIR] [--time] NODE -- CMD [ARGS...]\n"
"       plural lab status [--lab NAME | --run-dir DIR] [--json]\n"
"       plural lab check FILE\n"
"       plural lab run SCENARIO [--rounds N] [--quick] [--results DIR] [--platforms LIST]\n"
"\n"
"Topology files are YAML (see docs/lab.md, examples in lab/).  A lab's state\n"
"lives in its run directory (default " LAB_RUN_ROOT "/NAME); `down` removes\n"
"everything `up` made, also after a crash.  Without --lab/--run-dir, exec,\n"
"status and down use the only lab that is up.\n"
"\n"
"Scenarios: %s.\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage; exec returns the command's status.\n",
            lab_scenario_names());
}

struct lab_args {
    const char *run_dir;
    const char *lab;
    bool json, timing, quick;
    int rounds;
    const char *results;
    const char *platforms;
};

/* Parses options up to the first non-option (or "--"). */
static int
parse_options(int argc, char *argv[], struct lab_args *a, bool permute)
{
    static const struct option opts[] = {
        { "run-dir", required_argument, NULL, 'd' },
        { "lab", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { "time", no_argument, NULL, 't' },
        { "quick", no_argument, NULL, 'q' },
        { "rounds", required_argument, NULL, 'r' },
        { "results", required_argument, NULL, 'o' },
        { "platforms", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, permute ? "h" : "+h", opts, NULL)) != -1) {
        uint64_t n;
        switch (c) {
        case 'd': a->run_dir = optarg; break;
        case 'l': a->lab = optarg; break;
        case 'j': a->json = true; break;
        case 't': a->timing = true; break;
        case 'q': a->quick = true; break;
        case 'o': a->results = optarg; break;
        case 'p': a->platforms = optarg; break;
        case 'r':
            if (str_to_u64(optarg, 2, 1000, &n)) {
                fprintf(stderr, "plural lab: --rounds %s: want 2..1000\n", optarg);
                return -EINVAL;
            }
            a->rounds = n;
            break;
        case 'h': usage(stdout); exit(0);
        default: return -EINVAL;
        }
    }
    return 0;
}

/* The run directory from --run-dir, --lab, a topology file, or the only lab. */
static char *
pick_run_dir(const struct lab_args *a, const char *file)
{
    if (a->run_dir) {
        return xstrdup(a->run_dir);
    }
    if (a->lab) {
        return lab_default_run_dir(a->lab);
    }
    if (file) {
        struct lab_topo *topo;
        char *err;
        if (lab_topo_read(file, &topo, &err)) {
            fprintf(stderr, "%s", err);
            free(err);
            return NULL;
        }
        char *dir = lab_default_run_dir(topo->name);
        lab_topo_destroy(topo);
        return dir;
    }
    char *dir;
    int error = lab_find_single(&dir);
    if (error) {
        fprintf(stderr, "plural lab: %s under %s; name it with --lab or --run-dir\n",
                error == -EEXIST ? "several labs are up" : "no lab is up", LAB_RUN_ROOT);
        return NULL;
    }
    return dir;
}

static int
cmd_up(int argc, char *argv[], struct lab_args *a)
{
    if (argc != 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct lab_topo *topo;
    char *err;
    if (lab_topo_read(argv[0], &topo, &err)) {
        fprintf(stderr, "%s", err);
        free(err);
        return 1;
    }
    char *run_dir = a->run_dir ? xstrdup(a->run_dir) : lab_default_run_dir(topo->name);
    int error = lab_up(topo, run_dir, &err);
    if (error) {
        fprintf(stderr, "plural lab up: %s\n", err ? err : strerror(-error));
    } else {
        printf("lab %s is up (%zu nodes, %zu links); state in %s/state.json\n", topo->name,
               topo->n_nodes, topo->n_links, run_dir);
    }
    free(err);
    free(run_dir);
    lab_topo_destroy(topo);
    return error ? 1 : 0;
}

static int
cmd_down(int argc, char *argv[], struct lab_args *a)
{
    if (argc > 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char *run_dir = pick_run_dir(a, argc ? argv[0] : NULL);
    if (!run_dir) {
        return 1;
    }
    char *err;
    int error = lab_down(run_dir, &err);
    if (error) {
        fprintf(stderr, "plural lab down: %s\n", err);
    } else {
        printf("lab in %s is down\n", run_dir);
    }
    free(err);
    free(run_dir);
    return error ? 1 : 0;
}

static int
cmd_exec(int argc, char *argv[], struct lab_args *a)
{
    if (argc < 2 || (strcmp(argv[1], "--") == 0 && argc < 3)) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *node = argv[0];
    char **cmd = argv + 1;
    if (!strcmp(cmd[0], "--")) {
        cmd++;
    }
    char *run_dir = pick_run_dir(a, NULL);
    if (!run_dir) {
        return 1;
    }
    char *err;
    int rc = lab_exec(run_dir, node, cmd, a->timing, &err);
    if (rc < 0) {
        fprintf(stderr, "plural lab exec: %s\n", err ? err : strerror(-rc));
        rc = 1;
    }
    free(err);
    free(run_dir);
    return rc;
}

static int
cmd_status(int argc, char *argv[], struct lab_args *a)
{
    (void) argv;
    if (argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char *run_dir = pick_run_dir(a, NULL);
    if (!run_dir) {
        return 1;
    }
    json_t *status;
    char *err;
    int error = lab_status(run_dir, &status, &err);
    free(run_dir);
    if (error) {
        fprintf(stderr, "plural lab status: %s\n", err);
        free(err);
        return 1;
    }
    if (a->json) {
        json_dumpf(status, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        putchar('\n');
    } else {
        printf("lab %s (%s), run dir %s\n",
               json_string_value(json_object_get(status, "name")),
               json_string_value(json_object_get(status, "state")),
               json_string_value(json_object_get(status, "run_dir")));
        const char *name;
        json_t *node;
        json_object_foreach(json_object_get(status, "nodes"), name, node) {
            const char *accel = json_string_value(json_object_get(node, "accel"));
            const char *ns = json_string_value(json_object_get(node, "netns"));
            const char *vm = json_string_value(json_object_get(node, "vm"));
            char *where = vm ? xasprintf("in vm %s (guest pid %lld, %s)", vm,
                                         (long long) json_integer_value(
                                             json_object_get(node, "guest_pid")),
                                         json_string_value(json_object_get(node, "target")))
                             : xstrdup(ns ? ns : "");
            printf("  %-12s %-14s %-5s %s%s%s\n", name,
                   json_string_value(json_object_get(node, "kind")),
                   json_is_true(json_object_get(node, "alive")) ? "up" : "DOWN",
                   where, accel ? "accel=" : "", accel ? accel : "");
            free(where);
        }
        size_t i, present = 0;
        json_t *obj;
        json_array_foreach(json_object_get(status, "objects"), i, obj) {
            present += json_is_true(json_object_get(obj, "present"));
        }
        printf("  objects: %zu recorded, %zu present\n",
               json_array_size(json_object_get(status, "objects")), present);
    }
    json_decref(status);
    return 0;
}

static int
cmd_check(int argc, char *argv[])
{
    if (argc != 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct lab_topo *topo;
    char *err;
    if (lab_topo_read(argv[0], &topo, &err)) {
        fprintf(stderr, "%s", err);
        free(err);
        return 1;
    }
    printf("%s: lab %s, %zu nodes, %zu links: ok\n", argv[0], topo->name, topo->n_nodes,
           topo->n_links);
    lab_topo_destroy(topo);
    return 0;
}

static int
cmd_run(int argc, char *argv[], struct lab_args *a)
{
    if (argc != 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct lab_scenario_opts o = {
        .rounds = a->rounds ? a->rounds : (a->quick ? 3 : 15),
        .quick = a->quick,
        .results_dir = a->results,
        .platforms = a->platforms,
    };
    return lab_scenario_run(argv[0], &o);
}

static int
run(int argc, char *argv[])
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    struct lab_args a = { 0 };
    /* exec stops at NODE (the command has options of its own); the other
     * commands take options before or after their operands. */
    bool is_exec = !strcmp(sub, "exec");
    if (parse_options(argc - 1, argv + 1, &a, !is_exec)) {
        return EXIT_USAGE;
    }
    int n = argc - 1 - optind;
    char **operands = argv + 1 + optind;
    if (is_exec) {
        return cmd_exec(n, operands, &a);
    }
    int rc;
    if (!strcmp(sub, "up")) {
        rc = cmd_up(n, operands, &a);
    } else if (!strcmp(sub, "down")) {
        rc = cmd_down(n, operands, &a);
    } else if (!strcmp(sub, "status")) {
        rc = cmd_status(n, operands, &a);
    } else if (!strcmp(sub, "check")) {
        rc = cmd_check(n, operands);
    } else if (!strcmp(sub, "run")) {
        rc = cmd_run(n, operands, &a);
    } else {
        fprintf(stderr, "plural lab: unknown command '%s' (see plural lab --help)\n", sub);
        rc = EXIT_USAGE;
    }
    return rc;
}

const struct command_group lab_command_group = {
    .name = "lab",
    .summary = "topologies of namespaces, containers, VMs and switches; benchmark scenarios",
    .run = run,
};
