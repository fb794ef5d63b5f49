/* daemon — what every plural daemon main() shares: the common command-line
 * options and the signal handling around the main loop.
 *
 * Common options (spelled out in DAEMON_LONG_OPTIONS, to be placed in the
 * daemon's own `struct option` table):
 *   --log-level [MODULE:]LEVEL    runtime log level (repeatable)
 *   --log-file FILE               log to FILE instead of stderr
 *   --private-key FILE, --certificate FILE, --ca-cert FILE
 *                                 TLS for ssl:/pssl: streams (all three)
 *   --max-connections N           connections at once per listener
 *                                 (listener.h; default 1000, 0 unlimited)
 *   --handshake-timeout SECONDS   an accepted connection must finish TLS and
 *                                 speak OpenFlow within this (default 10,
 *                                 0 none)
 *   -h, --help; -V, --version
 * Each daemon keeps its own usage text, which must describe these.
 *
 * Use, in main():
 *     struct daemon_opts d = { .program = "plural-x", .usage = usage };
 *     while ((c = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
 *         switch (c) {
 *         ...the daemon's own options...
 *         default:
 *             if ((status = daemon_opts_parse(&d, c, optarg)) != DAEMON_CONTINUE)
 *                 return status;
 *         }
 *     }
 *     ...the daemon's own checks...
 *     if ((status = daemon_opts_finish(&d)) != DAEMON_CONTINUE) return status;
 *     create the loop and the daemon; daemon_stop_loop_on_signals(loop);
 *     daemon_run_loop(loop); destroy the daemon and the loop.
 *
 * Exit statuses (the same in every daemon): 0 stopped by a signal or after
 * --help/--version, 1 failure, 2 usage error.  Every message goes to stderr
 * (--help and --version to stdout), prefixed by "PROGRAM: ".
 *
 * Ownership: struct daemon_opts is the caller's and only points at argv
 * strings and static text; it needs no destruction.  The loop given to
 * daemon_stop_loop_on_signals() must stay alive until daemon_run_loop()
 * returns.
 *
 * Thread-safety: main thread only, one loop per process (the signal
 * handler stops the one loop recorded last). */
#ifndef PLURAL_NET_DAEMON_H
#define PLURAL_NET_DAEMON_H 1

#include <getopt.h>
#include <stdio.h>

struct loop;

/* getopt_long() values of the common options: above any single character
 * and far from the small enums (256, 257, ...) the daemons use for theirs. */
enum {
    DAEMON_OPT_LOG_LEVEL = 0x1000,
    DAEMON_OPT_LOG_FILE,
    DAEMON_OPT_TLS_KEY,
    DAEMON_OPT_TLS_CERT,
    DAEMON_OPT_TLS_CA,
    DAEMON_OPT_MAX_CONNS,
    DAEMON_OPT_HANDSHAKE_TIMEOUT,
};

#define DAEMON_LONG_OPTIONS                                                 \
    { "log-level", required_argument, NULL, DAEMON_OPT_LOG_LEVEL },         \
    { "log-file", required_argument, NULL, DAEMON_OPT_LOG_FILE },           \
    { "private-key", required_argument, NULL, DAEMON_OPT_TLS_KEY },         \
    { "certificate", required_argument, NULL, DAEMON_OPT_TLS_CERT },        \
    { "ca-cert", required_argument, NULL, DAEMON_OPT_TLS_CA },              \
    { "max-connections", required_argument, NULL, DAEMON_OPT_MAX_CONNS },   \
    { "handshake-timeout", required_argument, NULL,                         \
      DAEMON_OPT_HANDSHAKE_TIMEOUT },                                       \
    { "help", no_argument, NULL, 'h' },                                     \
    { "version", no_argument, NULL, 'V' }

/* daemon_opts_parse() and daemon_opts_finish() return this when the program
 * goes on; any other value is the status main() must exit with. */
#define DAEMON_CONTINUE (-1)

struct daemon_opts {
    const char *program;            /* "plural-slicer": message prefix. */
    void (*usage)(FILE *);          /* Prints the --help text. */
    /* Filled in by daemon_opts_parse(): */
    const char *tls_key, *tls_cert, *tls_ca;
};

/* Handles getopt_long()'s result 'c' (with its 'arg') for every value the
 * daemon did not handle itself: a common option, 'h', 'V', or anything
 * else, which is a usage error ("see --help", 2).  Applies --log-level and
 * --log-file at once (2 for a bad level, 1 for a log file that cannot be
 * opened) and records the TLS files for daemon_opts_finish().  Returns
 * DAEMON_CONTINUE or the exit status. */
int daemon_opts_parse(struct daemon_opts *, int c, const char *arg);

/* After the options: raises the open-files limit (daemon_raise_fd_limit())
 * and configures TLS if any TLS option was given (2 if not all three were,
 * 1 if the files do not load).  Returns DAEMON_CONTINUE or the exit
 * status. */
int daemon_opts_finish(const struct daemon_opts *);

/* Raises RLIMIT_NOFILE's soft limit to its hard limit (the soft limit is
 * usually 1024, far below what a daemon with many peers needs; the hard
 * limit is the administrator's bound).  Logs the change; a failure is only
 * logged.  Every daemon calls it at start. */
void daemon_raise_fd_limit(void);

/* SIGTERM and SIGINT make loop_run(loop) return; SIGPIPE is ignored.
 * Call once the daemon exists and before announcing it is up, so that a
 * signal sent after the announcement stops it cleanly (status 0). */
void daemon_stop_loop_on_signals(struct loop *);

/* Runs 'loop' until a signal (or anything else) stops it, then gives
 * SIGTERM and SIGINT back their default action: the caller tears the loop
 * down next, and a further signal must end the process at once instead of
 * running the handler on a freed loop (a heap-use-after-free; under ASan it
 * deadlocked in the leak check's error report, leaving the process hung). */
void daemon_run_loop(struct loop *);

#endif /* net/daemon.h */
