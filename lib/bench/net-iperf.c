/* net-iperf — see net-iperf.h; also `plural bench net iperf`. */
#include "net-iperf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/cli-output.h"
#include "net-cli-util.h"
#include "util/buf.h"
#include "util/clock.h"

static bool
get_bps(json_t *end, const char *key, double *bps, json_t **sum)
{
    *sum = json_object_get(end, key);
    json_t *v = json_object_get(*sum, "bits_per_second");
    if (!json_is_number(v)) {
        return false;
    }
    *bps = json_number_value(v);
    return true;
}

int
net_iperf_parse(const char *text, size_t len, struct net_iperf_result *r)
{
    json_error_t jerr;
    int error = 0;

    memset(r, 0, sizeof *r);
    r->lost_packets = r->packets = -1;
    json_t *root = json_loadb(text, len, 0, &jerr);
    if (!root) {
        snprintf(r->error, sizeof r->error, "not JSON: %s (line %d)", jerr.text, jerr.line);
        return -EPROTO;
    }
    json_t *err = json_object_get(root, "error");
    if (json_is_string(err)) {
        snprintf(r->error, sizeof r->error, "iperf3: %s", json_string_value(err));
        error = -EPROTO;
        goto out;
    }
    json_t *end = json_object_get(root, "end");
    json_t *sent, *received;
    if (!get_bps(end, "sum_sent", &r->tx_bps, &sent)
        || !get_bps(end, "sum_received", &r->rx_bps, &received)) {
        snprintf(r->error, sizeof r->error,
                 "iperf3 report without end.sum_sent/sum_received bits_per_second");
        error = -EPROTO;
        goto out;
    }
    json_t *v = json_object_get(received, "seconds");
    r->seconds = json_is_number(v) ? json_number_value(v) : 0;
    v = json_object_get(received, "lost_packets");
    json_t *p = json_object_get(received, "packets");
    if (json_is_integer(v) && json_is_integer(p)) {
        r->lost_packets = json_integer_value(v);
        r->packets = json_integer_value(p);
    }
out:
    json_decref(root);
    return error;
}

/* In the child: joins namespace `name`, then execs iperf3.  Never returns. */
static void
exec_client(const struct net_iperf_config *c, int out_fd)
{
    char time_arg[32], len_arg[32], port_arg[32];
    const char *argv[20];
    int n = 0;

    if (c->netns) {
        char *path = xasprintf("/run/netns/%s", c->netns);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
            fprintf(stderr, "plural bench net iperf: cannot enter namespace %s: %s\n",
                    c->netns, strerror(errno));
            _exit(126);
        }
    }
    snprintf(time_arg, sizeof time_arg, "%g", c->time_s);
    snprintf(len_arg, sizeof len_arg, "%u", c->len);
    argv[n++] = c->iperf3;
    argv[n++] = "-c";
    argv[n++] = c->server;
    argv[n++] = "-J";
    argv[n++] = "-t";
    argv[n++] = time_arg;
    argv[n++] = "-l";
    argv[n++] = len_arg;
    if (c->port) {
        snprintf(port_arg, sizeof port_arg, "%u", c->port);
        argv[n++] = "-p";
        argv[n++] = port_arg;
    }
    if (c->udp) {
        argv[n++] = "-u";
        argv[n++] = "-b";
        argv[n++] = c->bitrate ? c->bitrate : "0";
    }
    argv[n] = NULL;
    dup2(out_fd, STDOUT_FILENO);
    execvp(c->iperf3, (char **) argv);
    _exit(errno == ENOENT ? 127 : 126);
}

int
net_iperf_run(const struct net_iperf_config *c, struct net_iperf_result *r)
{
    int fds[2];

    memset(r, 0, sizeof *r);
    if (c->netns) {
        char *path = xasprintf("/run/netns/%s", c->netns);
        int exists = access(path, F_OK);
        free(path);
        if (exists < 0) {
            snprintf(r->error, sizeof r->error, "no such network namespace: %s", c->netns);
            return -ENOENT;
        }
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return -errno;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int error = -errno;
        close(fds[0]);
        close(fds[1]);
        return error;
    }
    if (!pid) {
        exec_client(c, fds[1]);
    }
    close(fds[1]);

    struct buf out;
    buf_init(&out, 16384);
    uint64_t deadline = clock_now_ms() + (uint64_t) (c->time_s * 1000) + 30000;
    int error = 0;
    for (;;) {
        char chunk[8192];
        struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
        uint64_t now = clock_now_ms();
        if (now >= deadline) {
            error = -ETIMEDOUT;
            kill(pid, SIGKILL);
            break;
        }
        int ret = poll(&pfd, 1, (int) MIN(deadline - now, 1000u));
        if (ret < 0 && errno != EINTR) {
            error = -errno;
            kill(pid, SIGKILL);
            break;
        }
        if (ret <= 0) {
            continue;
        }
        ssize_t got = read(fds[0], chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        buf_put(&out, chunk, (size_t) got);
    }
    close(fds[0]);

    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    if (error == -ETIMEDOUT) {
        snprintf(r->error, sizeof r->error, "iperf3 did not finish in time");
    } else if (!error && WIFEXITED(status) && WEXITSTATUS(status) == 127 && !out.size) {
        snprintf(r->error, sizeof r->error, "cannot run %s", c->iperf3);
        error = -ENOENT;
    } else if (!error && WIFEXITED(status) && WEXITSTATUS(status) == 126 && !out.size) {
        snprintf(r->error, sizeof r->error, "cannot start %s", c->iperf3);
        error = -ECHILD;
    } else if (!error) {
        error = net_iperf_parse(out.size ? (const char *) out.data : "", out.size, r);
    }
    buf_uninit(&out);
    return error;
}

/* ---- plural bench net iperf ---- */

enum {
    OPT_SERVER = BENCH_OPT_FIRST_FREE, OPT_NETNS, OPT_TIME, OPT_LEN, OPT_PORT,
    OPT_UDP, OPT_BITRATE, OPT_IPERF3, OPT_HELP,
};

static const struct option iperf_options[] = {
    BENCH_CLI_OUTPUT_LONG_OPTIONS,
    { "server", required_argument, NULL, OPT_SERVER },
    { "netns", required_argument, NULL, OPT_NETNS },
    { "time", required_argument, NULL, OPT_TIME },
    { "len", required_argument, NULL, OPT_LEN },
    { "port", required_argument, NULL, OPT_PORT },
    { "udp", no_argument, NULL, OPT_UDP },
    { "bitrate", required_argument, NULL, OPT_BITRATE },
    { "iperf3", required_argument, NULL, OPT_IPERF3 },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

static void
iperf_help(void)
{
    printf("usage: plural bench net iperf --server IP [--netns NS] [--time S]\n"
           "         [--len BYTES] [--port P] [--udp [--bitrate RATE]]\n"
           "         [--iperf3 PROGRAM] [shared options]\n"
           "Runs `iperf3 -c IP -J` once per round (inside namespace NS if given)\n"
           "and reports the TX rate measured at the sender (end.sum_sent) and the\n"
           "RX rate measured at the receiver (end.sum_received), in Mbit/s, with\n"
           "mean, 95%% CI and median over the rounds.  An iperf3 server must run.\n"
           "Defaults: --time 10, --len 1500 (TCP write size; UDP datagram size).\n");
    bench_cli_output_help(stdout);
}

struct iperf_round {
    const struct net_iperf_config *config;
    char *error;
};

static int
iperf_round(void *aux_, unsigned round, bool warmup, double *values)
{
    struct iperf_round *aux = aux_;
    struct net_iperf_result r;

    (void) round;
    (void) warmup;
    int error = net_iperf_run(aux->config, &r);
    if (error) {
        aux->error = xstrdup(r.error[0] ? r.error : strerror(-error));
        return error;
    }
    values[0] = r.tx_bps / 1e6;
    values[1] = r.rx_bps / 1e6;
    fprintf(stderr, "iperf round %u%s: tx=%.2f Mbit/s rx=%.2f Mbit/s\n", round,
            warmup ? " (warm-up)" : "", values[0], values[1]);
    return 0;
}

int
net_iperf_command(int argc, char *argv[])
{
    static const char cmd[] = "net iperf";
    struct bench_cli_output output;
    struct net_iperf_config c = { .iperf3 = "iperf3", .time_s = 10, .len = 1500 };
    uint64_t v;
    int opt;

    bench_cli_output_init(&output, "bench net iperf");
    opterr = 0;
    optind = 0;
    while ((opt = getopt_long(argc, argv, ":", iperf_options, NULL)) != -1) {
        int handled = bench_cli_output_option(&output, cmd, opt, optarg);
        if (handled < 0) {
            return 2;
        } else if (handled) {
            continue;
        }
        switch (opt) {
        case OPT_SERVER:
            c.server = optarg;
            break;
        case OPT_NETNS:
            c.netns = optarg;
            break;
        case OPT_TIME:
            if (net_cli_parse_seconds(cmd, "time", optarg, 0.1, 86400, &c.time_s)) {
                return 2;
            }
            break;
        case OPT_LEN:
            if (bench_cli_parse_uint(cmd, "len", optarg, 1, 65507, &v)) {
                return 2;
            }
            c.len = (unsigned int) v;
            break;
        case OPT_PORT:
            if (bench_cli_parse_uint(cmd, "port", optarg, 1, 65535, &v)) {
                return 2;
            }
            c.port = (unsigned int) v;
            break;
        case OPT_UDP:
            c.udp = true;
            break;
        case OPT_BITRATE:
            c.bitrate = optarg;
            break;
        case OPT_IPERF3:
            c.iperf3 = optarg;
            break;
        case OPT_HELP:
            iperf_help();
            return 0;
        default:
            return bench_cli_bad_option(cmd, argv, opt);
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error(cmd, "unexpected argument '%s' (see --help)", argv[optind]);
    }
    if (!c.server) {
        return bench_cli_usage_error(cmd, "--server IP is required (see --help)");
    }

    struct bench_report *report = bench_report_create("net-iperf", "iperf3 TX/RX rate");
    bench_report_set_param_string(report, "server", c.server);
    bench_report_set_param_string(report, "netns", c.netns ? c.netns : "");
    bench_report_set_param_string(report, "protocol", c.udp ? "udp" : "tcp");
    bench_report_set_param_real(report, "time_s", c.time_s);
    bench_report_set_param_int(report, "len", c.len);
    bench_report_add_series(report, "tx", "Mbit/s", BENCH_HIGHER_IS_BETTER);
    bench_report_add_series(report, "rx", "Mbit/s", BENCH_HIGHER_IS_BETTER);
    struct iperf_round aux = { .config = &c };
    int error = bench_run_rounds(report, &output.run, iperf_round, &aux);
    int rc;
    if (error) {
        rc = bench_cli_failure(cmd, "%s", aux.error ? aux.error : strerror(-error));
    } else {
        rc = bench_cli_output_emit(&output, cmd, report);
    }
    free(aux.error);
    bench_report_destroy(report);
    return rc;
}
