/* net-cli — `plural bench net gen|recv|iperf` (see net-cli.h). */
#include "net-cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bench/cli-output.h"
#include "bench/report.h"
#include "net-cli-util.h"
#include "net-gen.h"
#include "net-recv.h"
#include "util/log.h"

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
    (void) sig;
    stop_requested = 1;
}

void
net_cli_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const volatile sig_atomic_t *
net_cli_stop_flag(void)
{
    return &stop_requested;
}

int
net_cli_parse_seconds(const char *cmd, const char *name, const char *arg,
                      double min, double max, double *out)
{
    char *end;

    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !isfinite(v) || v < min || v > max) {
        bench_cli_usage_error(cmd, "--%s must be a number of seconds from %g to %g (got '%s')",
                              name, min, max, arg);
        return -EINVAL;
    }
    *out = v;
    return 0;
}

/* Adds the per-interval rates of `s` as samples of two new series; intervals
 * shorter than half the report interval (the tail of a run) are left out. */
void
net_cli_add_series(struct bench_report *report, const struct net_series *s,
                   const char *prefix, double interval_s)
{
    char *pps_name = xasprintf("%s_pps", prefix);
    char *mbps_name = xasprintf("%s_mbps", prefix);
    struct bench_series *pps = bench_report_add_series(report, pps_name, "pps",
                                                       BENCH_HIGHER_IS_BETTER);
    struct bench_series *mbps = bench_report_add_series(report, mbps_name, "Mbit/s",
                                                        BENCH_HIGHER_IS_BETTER);
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].seconds >= interval_s / 2) {
            bench_series_add_sample(pps, net_interval_pps(&s->v[i]), false);
            bench_series_add_sample(mbps, net_interval_mbps(&s->v[i]), false);
        }
    }
    free(pps_name);
    free(mbps_name);
}

int
net_cli_pin_cpu(const char *cmd, uint64_t cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET((int) cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0) {
        return bench_cli_failure(cmd, "cannot pin to CPU %llu: %s",
                                 (unsigned long long) cpu, strerror(errno));
    }
    return 0;
}

int
net_cli_device_error(const char *cmd, const char *dev, int error)
{
    switch (error) {
    case -ENODEV:
        return bench_cli_failure(cmd, "no such interface: %s", dev);
    case -EPERM:
    case -EACCES:
        return bench_cli_failure(cmd, "%s: raw sockets need root (CAP_NET_RAW)", dev);
    default:
        return bench_cli_failure(cmd, "%s: %s", dev, strerror(-error));
    }
}

int
net_cli_parse(const char *cmd, int argc, char *argv[], const struct option *options,
              void (*help)(void), net_cli_option_fn *handle, void *aux,
              struct net_cli_common *common)
{
    int opt;

    memset(common, 0, sizeof *common);
    opterr = 0;
    optind = 0;
    while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        int rc;
        switch (opt) {
        case NET_CLI_OPT_JSON_FILE:
            common->json = optarg;
            break;
        case NET_CLI_OPT_QUIET:
            common->quiet = true;
            break;
        case NET_CLI_OPT_HELP:
            help();
            return 0;
        case '?':
        case ':':
            return bench_cli_bad_option(cmd, argv, opt);
        default:
            rc = handle(aux, cmd, opt, optarg);
            if (rc) {
                return rc;
            }
            break;
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error(cmd, "unexpected argument '%s' (see --help)", argv[optind]);
    }
    return -1;
}

/* ---- options gen and recv share: --dev, --duration, --interval ---- */

enum {
    OPT_DEV = NET_CLI_OPT_FIRST_FREE, OPT_SIZE, OPT_DURATION, OPT_RATE, OPT_COUNT,
    OPT_DST_MAC, OPT_SRC_MAC, OPT_VLAN, OPT_SRC_IP, OPT_DST_IP, OPT_SRC_PORT,
    OPT_DST_PORT, OPT_BATCH, OPT_METHOD, OPT_CPU, OPT_INTERVAL, OPT_EXPECT,
};

/* Handles `opt` if it is --dev, --duration or --interval: returns 0, or 2
 * after a message for a bad value.  Returns -1 for any other option. */
static int
parse_run_option(const char *cmd, int opt, const char *arg, const char **dev,
                 uint64_t *duration_ms, unsigned int *interval_ms)
{
    double seconds;

    switch (opt) {
    case OPT_DEV:
        *dev = arg;
        return 0;
    case OPT_DURATION:
        if (net_cli_parse_seconds(cmd, "duration", arg, 0.001, 1e6, &seconds)) {
            return 2;
        }
        *duration_ms = (uint64_t) llround(seconds * 1000);
        return 0;
    case OPT_INTERVAL:
        if (net_cli_parse_seconds(cmd, "interval", arg, 0.01, 3600, &seconds)) {
            return 2;
        }
        *interval_ms = (unsigned int) llround(seconds * 1000);
        return 0;
    default:
        return -1;
    }
}

/* net_cli_parse() for gen and recv, which also need --dev: `*dev` is where
 * `handle` stores it.  Same return value. */
static int
parse_dev_command(const char *cmd, int argc, char *argv[], const struct option *options,
                  void (*help)(void), net_cli_option_fn *handle, void *aux,
                  struct net_cli_common *common, const char *const *dev)
{
    int rc = net_cli_parse(cmd, argc, argv, options, help, handle, aux, common);
    if (rc < 0 && !*dev) {
        return bench_cli_usage_error(cmd, "--dev IF is required (see --help)");
    }
    return rc;
}

/* ---- gen ---- */

static void
gen_help(void)
{
    printf("usage: plural bench net gen --dev IF [--size BYTES] [--duration S]\n"
           "         [--rate PPS] [--count N] [--dst-mac M] [--src-mac M] [--vlan V]\n"
           "         [--src-ip A] [--dst-ip A] [--src-port P] [--dst-port P]\n"
           "         [--batch N] [--method auto|afpacket|xdp] [--cpu N] [--interval S]\n"
           "         [--json FILE] [--quiet]\n"
           "Sends Ethernet/IPv4/UDP frames of BYTES (60..9000, no FCS; default 60)\n"
           "carrying plural's marker (magic, sequence, timestamp), as fast as\n"
           "possible or at --rate PPS, for --duration S (default 10) or --count N\n"
           "frames (whichever ends first), --batch frames queued per pass (1024).\n"
           "Prints TX every --interval (1 s) and a total; back-pressure is waited\n"
           "out and counted.  Needs root.\n"
           "Methods (lib/dp's packet I/O): auto (default) = xdp where it works, else\n"
           "afpacket; afpacket = lib/dp's AF_PACKET port (sendmmsg; ring and mmsg are\n"
           "old names for it); xdp = AF_XDP socket (copy mode, frames up to 3840\n"
           "bytes; the fastest, but frames the device drops under back-pressure are\n"
           "counted in device_drops, not retried: use afpacket to deliver exactly\n"
           "--count frames to a slow receiver).  The total line names the method used.\n");
}

static const struct option gen_options[] = {
    { "dev", required_argument, NULL, OPT_DEV },
    { "size", required_argument, NULL, OPT_SIZE },
    { "duration", required_argument, NULL, OPT_DURATION },
    { "rate", required_argument, NULL, OPT_RATE },
    { "count", required_argument, NULL, OPT_COUNT },
    { "dst-mac", required_argument, NULL, OPT_DST_MAC },
    { "src-mac", required_argument, NULL, OPT_SRC_MAC },
    { "vlan", required_argument, NULL, OPT_VLAN },
    { "src-ip", required_argument, NULL, OPT_SRC_IP },
    { "dst-ip", required_argument, NULL, OPT_DST_IP },
    { "src-port", required_argument, NULL, OPT_SRC_PORT },
    { "dst-port", required_argument, NULL, OPT_DST_PORT },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "method", required_argument, NULL, OPT_METHOD },
    { "cpu", required_argument, NULL, OPT_CPU },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    NET_CLI_COMMON_LONG_OPTIONS,
    { NULL, 0, NULL, 0 },
};

static int
gen_write_json(const char *path, const struct net_gen_config *c,
               const struct net_gen_result *r, const char *method)
{
    struct bench_report *report = bench_report_create("net-gen", "plural bench net gen");
    bench_report_set_param_string(report, "dev", c->dev);
    bench_report_set_param_int(report, "size", (int64_t) c->spec.size);
    bench_report_set_param_int(report, "rate_pps", (int64_t) c->rate_pps);
    bench_report_set_param_int(report, "count", (int64_t) c->count);
    bench_report_set_param_string(report, "method", method);
    bench_report_set_param_int(report, "tx_frames", (int64_t) r->tx_frames);
    bench_report_set_param_int(report, "tx_bytes", (int64_t) r->tx_bytes);
    bench_report_set_param_real(report, "seconds", r->seconds);
    bench_report_set_param_real(report, "pps", net_gen_result_pps(r));
    bench_report_set_param_int(report, "backpressure", (int64_t) r->backpressure);
    bench_report_set_param_int(report, "errors", (int64_t) r->errors);
    bench_report_set_param_int(report, "skipped", (int64_t) r->skipped);
    bench_report_set_param_int(report, "device_drops", (int64_t) r->device_drops);
    net_cli_add_series(report, &r->series, "tx", c->report_interval_ms / 1000.0);
    int error = bench_report_write_json_file(report, path);
    bench_report_destroy(report);
    return error;
}

/* What gen's command line sets besides the shared options. */
struct gen_args {
    struct net_gen_config c;
    uint64_t cpu;               /* --cpu N, or UINT64_MAX. */
    bool count_set, duration_set;
};

static int
gen_option(void *aux, const char *cmd, int opt, const char *arg)
{
    struct gen_args *a = aux;
    struct net_gen_config *c = &a->c;
    uint64_t v;

    int rc = parse_run_option(cmd, opt, arg, &c->dev, &c->duration_ms,
                              &c->report_interval_ms);
    if (rc >= 0) {
        a->duration_set |= opt == OPT_DURATION;
        return rc;
    }
    switch (opt) {
    case OPT_SIZE:
        if (bench_cli_parse_uint(cmd, "size", arg, NET_FRAME_MIN, NET_FRAME_MAX, &v)) {
            return 2;
        }
        c->spec.size = v;
        return 0;
    case OPT_RATE:
        if (bench_cli_parse_uint(cmd, "rate", arg, 1, 1000000000, &c->rate_pps)) {
            return 2;
        }
        return 0;
    case OPT_COUNT:
        if (bench_cli_parse_uint(cmd, "count", arg, 1, UINT64_MAX, &c->count)) {
            return 2;
        }
        a->count_set = true;
        return 0;
    case OPT_DST_MAC:
    case OPT_SRC_MAC:
        if (net_parse_mac(arg, opt == OPT_DST_MAC ? c->spec.dst_mac : c->spec.src_mac)) {
            return bench_cli_usage_error(cmd, "--%s must be a MAC like 02:00:00:00:00:01 (got '%s')",
                                         opt == OPT_DST_MAC ? "dst-mac" : "src-mac", arg);
        }
        if (opt == OPT_SRC_MAC) {
            c->src_mac_from_dev = false;
        }
        return 0;
    case OPT_VLAN:
        if (bench_cli_parse_uint(cmd, "vlan", arg, 0, 4095, &v)) {
            return 2;
        }
        c->spec.vlan = (int) v;
        return 0;
    case OPT_SRC_IP:
    case OPT_DST_IP:
        if (net_parse_ipv4(arg, opt == OPT_SRC_IP ? &c->spec.src_ip : &c->spec.dst_ip)) {
            return bench_cli_usage_error(cmd, "--%s must be an IPv4 address (got '%s')",
                                         opt == OPT_SRC_IP ? "src-ip" : "dst-ip", arg);
        }
        return 0;
    case OPT_SRC_PORT:
    case OPT_DST_PORT:
        if (bench_cli_parse_uint(cmd, opt == OPT_SRC_PORT ? "src-port" : "dst-port",
                                 arg, 0, 65535, &v)) {
            return 2;
        }
        *(opt == OPT_SRC_PORT ? &c->spec.src_port : &c->spec.dst_port) = (uint16_t) v;
        return 0;
    case OPT_BATCH:
        if (bench_cli_parse_uint(cmd, "batch", arg, 1, 4096, &v)) {
            return 2;
        }
        c->batch = (unsigned int) v;
        return 0;
    case OPT_METHOD:
        if (net_tx_method_parse(arg, &c->method)) {
            return bench_cli_usage_error(cmd, "--method must be auto, afpacket or xdp (got '%s')", arg);
        }
        return 0;
    case OPT_CPU:
        if (bench_cli_parse_uint(cmd, "cpu", arg, 0, CPU_SETSIZE - 1, &a->cpu)) {
            return 2;
        }
        return 0;
    default:
        util_abort("%s: option %d has no handler", cmd, opt);
    }
}

static int
gen_command(int argc, char *argv[])
{
    static const char cmd[] = "net gen";
    struct gen_args a = { .cpu = UINT64_MAX };
    struct net_gen_config *c = &a.c;
    struct net_cli_common common;

    net_gen_config_init(c);
    int rc = parse_dev_command(cmd, argc, argv, gen_options, gen_help, gen_option, &a,
                               &common, &c->dev);
    if (rc >= 0) {
        return rc;
    }
    if (c->spec.vlan >= 0 && c->spec.size < NET_FRAME_MIN_VLAN) {
        return bench_cli_usage_error(cmd, "--size must be at least %d with --vlan (got %zu)",
                                     NET_FRAME_MIN_VLAN, c->spec.size);
    }
    if (c->method == NET_TX_XDP && c->spec.size > NET_GEN_XDP_MAX_FRAME) {
        return bench_cli_usage_error(cmd, "--method xdp sends frames up to %u bytes (got %zu)",
                                     NET_GEN_XDP_MAX_FRAME, c->spec.size);
    }
    if (a.count_set && !a.duration_set) {
        c->duration_ms = 0;
    }
    if (a.cpu != UINT64_MAX && net_cli_pin_cpu(cmd, a.cpu)) {
        return 1;
    }
    c->out = common.quiet ? NULL : stdout;
    c->stop = net_cli_stop_flag();
    net_cli_catch_signals();

    struct net_gen_result r;
    log_set_level("port", LOG_LEVEL_ERR);   /* We name a device that fails. */
    int error = net_gen_run(c, &r);
    if (error == -EMSGSIZE) {
        net_gen_result_destroy(&r);
        return bench_cli_failure(cmd, "%s: a %zu-byte frame exceeds the interface MTU "
                                 "(raise it with ip link set %s mtu ...)",
                                 c->dev, c->spec.size, c->dev);
    }
    if (error) {
        net_gen_result_destroy(&r);
        return net_cli_device_error(cmd, c->dev, error);
    }
    printf("tx total=%llu seconds=%.3f pps=%.0f mbps=%.2f backpressure=%llu "
           "errors=%llu skipped=%llu",
           (unsigned long long) r.tx_frames, r.seconds, net_gen_result_pps(&r),
           net_gen_result_pps(&r) * (double) c->spec.size * 8 / 1e6,
           (unsigned long long) r.backpressure, (unsigned long long) r.errors,
           (unsigned long long) r.skipped);
    if (r.method == NET_TX_XDP) {
        printf(" device_drops=%llu", (unsigned long long) r.device_drops);
    }
    printf(" method=%s\n", net_tx_method_name(r.method));
    fflush(stdout);
    rc = 0;
    if (common.json && gen_write_json(common.json, c, &r, net_tx_method_name(r.method))) {
        rc = bench_cli_failure(cmd, "cannot write %s: %s", common.json, strerror(errno));
    }
    net_gen_result_destroy(&r);
    return rc;
}

/* ---- recv ---- */

static void
recv_help(void)
{
    printf("usage: plural bench net recv --dev IF [--duration S] [--expect N]\n"
           "         [--method afpacket|afxdp] [--interval S] [--json FILE] [--quiet]\n"
           "Counts the frames carrying plural's marker that arrive on IF, for\n"
           "--duration S (default 10) or until --expect N arrived.  Prints\n"
           "\"recv ready\" once listening, RX every --interval (1 s) and a total\n"
           "with frames lost and out of order (from sequence numbers).  Needs root.\n"
           "Methods (lib/dp's ports): afpacket (default: AF_PACKET ring, any\n"
           "interface); afxdp (AF_XDP, attaches plural's XDP program to IF).\n");
}

static const struct option recv_options[] = {
    { "dev", required_argument, NULL, OPT_DEV },
    { "duration", required_argument, NULL, OPT_DURATION },
    { "expect", required_argument, NULL, OPT_EXPECT },
    { "method", required_argument, NULL, OPT_METHOD },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    NET_CLI_COMMON_LONG_OPTIONS,
    { NULL, 0, NULL, 0 },
};

static int
recv_write_json(const char *path, const struct net_recv_config *c,
                const struct net_recv_result *r)
{
    struct bench_report *report = bench_report_create("net-recv", "plural bench net recv");
    bench_report_set_param_string(report, "dev", c->dev);
    bench_report_set_param_string(report, "method", c->method);
    bench_report_set_param_int(report, "expect", (int64_t) c->expect);
    bench_report_set_param_int(report, "rx_frames", (int64_t) r->rx_frames);
    bench_report_set_param_int(report, "rx_bytes", (int64_t) r->rx_bytes);
    bench_report_set_param_int(report, "lost", (int64_t) r->lost);
    bench_report_set_param_int(report, "out_of_order", (int64_t) r->out_of_order);
    bench_report_set_param_int(report, "other_frames", (int64_t) r->other_frames);
    bench_report_set_param_int(report, "ring_drops", (int64_t) r->ring_drops);
    bench_report_set_param_real(report, "seconds", r->seconds);
    bench_report_set_param_real(report, "pps", net_recv_result_pps(r));
    net_cli_add_series(report, &r->series, "rx", c->report_interval_ms / 1000.0);
    int error = bench_report_write_json_file(report, path);
    bench_report_destroy(report);
    return error;
}

static int
recv_option(void *aux, const char *cmd, int opt, const char *arg)
{
    struct net_recv_config *c = aux;

    int rc = parse_run_option(cmd, opt, arg, &c->dev, &c->duration_ms,
                              &c->report_interval_ms);
    if (rc >= 0) {
        return rc;
    }
    switch (opt) {
    case OPT_EXPECT:
        if (bench_cli_parse_uint(cmd, "expect", arg, 1, UINT64_MAX, &c->expect)) {
            return 2;
        }
        return 0;
    case OPT_METHOD:
        if (strcmp(arg, "afpacket") && strcmp(arg, "afxdp")) {
            return bench_cli_usage_error(cmd, "--method must be afpacket or afxdp (got '%s')", arg);
        }
        c->method = arg;
        return 0;
    default:
        util_abort("%s: option %d has no handler", cmd, opt);
    }
}

static int
recv_command(int argc, char *argv[])
{
    static const char cmd[] = "net recv";
    struct net_recv_config c;
    struct net_cli_common common;

    net_recv_config_init(&c);
    int rc = parse_dev_command(cmd, argc, argv, recv_options, recv_help, recv_option, &c,
                               &common, &c.dev);
    if (rc >= 0) {
        return rc;
    }
    c.out = common.quiet ? NULL : stdout;
    c.stop = net_cli_stop_flag();
    net_cli_catch_signals();

    struct net_recv_result r;
    log_set_level("port", LOG_LEVEL_ERR);   /* We name a device that fails. */
    int error = net_recv_run(&c, &r);
    if (error && !r.series.n) {
        net_recv_result_destroy(&r);
        return net_cli_device_error(cmd, c.dev, error);
    }
    printf("rx total=%llu seconds=%.3f pps=%.0f mbps=%.2f lost=%llu ooo=%llu "
           "ring_drops=%llu other=%llu\n",
           (unsigned long long) r.rx_frames, r.seconds, net_recv_result_pps(&r),
           r.seconds > 0 ? (double) r.rx_bytes * 8 / r.seconds / 1e6 : 0.0,
           (unsigned long long) r.lost, (unsigned long long) r.out_of_order,
           (unsigned long long) r.ring_drops, (unsigned long long) r.other_frames);
    fflush(stdout);
    rc = error ? 1 : 0;
    if (common.json && recv_write_json(common.json, &c, &r)) {
        rc = bench_cli_failure(cmd, "cannot write %s: %s", common.json, strerror(errno));
    }
    net_recv_result_destroy(&r);
    return rc;
}

/* ---- dispatch ---- */

static void
net_help(void)
{
    printf("usage: plural bench net gen|recv|iperf [OPTIONS]   (--help on each)\n"
           "  gen    raw Ethernet/IPv4/UDP packet generator (AF_XDP or AF_PACKET)\n"
           "  recv   receiver counting plural's frames, loss and reordering\n"
           "  iperf  iperf3 driver: TX and RX rates per round, with statistics\n");
}

int
bench_net_command(int argc, char *argv[])
{
    if (argc < 2) {
        return bench_cli_usage_error("net", "missing subcommand: gen, recv or iperf (see --help)");
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        net_help();
        return 0;
    } else if (!strcmp(sub, "gen")) {
        return gen_command(argc - 1, argv + 1);
    } else if (!strcmp(sub, "recv")) {
        return recv_command(argc - 1, argv + 1);
    } else if (!strcmp(sub, "iperf")) {
        return net_iperf_command(argc - 1, argv + 1);
    }
    return bench_cli_usage_error("net", "unknown subcommand '%s': gen, recv or iperf", sub);
}
