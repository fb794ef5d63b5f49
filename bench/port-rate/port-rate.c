/* port-rate — raw RX and TX rates of the afpacket port on a veth pair
 * (not a test: it prints numbers, asserts nothing).  Needs root.
 *
 *   port-rate [-d SECONDS] [-r ROUNDS] [-s FRAME_BYTES] [-b BATCH]
 *
 * Creates two namespaces joined by a veth pair (offloads off), opens an
 * afpacket port on each end, and runs ROUNDS rounds of two measurements:
 *   tx-only  one thread sends FRAME_BYTES frames through port_send() in
 *            batches of BATCH on end A as fast as it can; nobody reads end B
 *            (the kernel drops the frames there).  Rate = frames accepted.
 *   tx->rx   the same sender on CPU 0, and a receiver on CPU 1 calling
 *            port_recv() on end B (busy, poll() only when idle).  Rates =
 *            frames accepted by A, frames received by B; the kernel's
 *            ring-full drops at B are reported.
 * Each line reports mean and 95% confidence half-width over the rounds
 * (Student t).  Note that veth delivers in the sender's softirq, so on a
 * 2-core machine the sender's CPU also does the kernel's receive work. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dp/port.h"
#include "util/util.h"

static char ns_a[32], ns_b[32], if_a[16], if_b[16];
static double duration_s = 2.0;
static unsigned int frame_len = 64, batch_size = PACKET_BATCH_MAX;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
run(const char *fmt, ...)
{
    char cmd[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, args);
    va_end(args);
    if (system(cmd)) {
        fprintf(stderr, "port-rate: command failed: %s\n", cmd);
        exit(1);
    }
}

static void
cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null",
             ns_a, ns_b);
    if (system(cmd)) {
        /* Nothing to clean. */
    }
}

static void
enter_netns(const char *ns)
{
    char path[64];
    snprintf(path, sizeof path, "/var/run/netns/%s", ns);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        fprintf(stderr, "port-rate: cannot enter %s: %s\n", ns, strerror(errno));
        exit(1);
    }
    close(fd);
}

static void
pin_to_cpu(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

struct run_state {
    struct port *tx_port, *rx_port;
    atomic_bool stop;
    atomic_bool rx_ready;
    uint64_t sent, received;
    double rx_cpu_s;            /* Receiver thread's CPU time. */
};

static double
thread_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
           + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void *
receiver_main(void *st_)
{
    struct run_state *st = st_;
    pin_to_cpu(1);
    struct packet_batch batch;
    struct pollfd pfd = { .fd = port_wait_fd(st->rx_port), .events = POLLIN };
    /* Drain what an earlier round left. */
    while (port_recv(st->rx_port, &batch) > 0) {
        port_recv_done(st->rx_port, &batch);
    }
    atomic_store(&st->rx_ready, true);
    double cpu0 = thread_cpu_s();
    uint64_t received = 0;
    while (!atomic_load_explicit(&st->stop, memory_order_relaxed)) {
        int n = port_recv(st->rx_port, &batch);
        if (n > 0) {
            received += n;
            port_recv_done(st->rx_port, &batch);
        } else {
            poll(&pfd, 1, 1);
        }
    }
    st->received = received;
    st->rx_cpu_s = thread_cpu_s() - cpu0;
    return NULL;
}

static void
measure(struct run_state *st, bool with_receiver, double *tx_pps, double *rx_pps,
        double *tx_cpu, double *rx_cpu)
{
    static uint8_t frames[PACKET_BATCH_MAX][9216];
    static struct packet pkts[PACKET_BATCH_MAX];
    struct packet *ptrs[PACKET_BATCH_MAX];
    for (unsigned int i = 0; i < batch_size; i++) {
        memset(frames[i], 0, frame_len);
        memcpy(frames[i], "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x88\xb5", 14);
        pkts[i].data = frames[i];
        pkts[i].len = pkts[i].room = frame_len;
        ptrs[i] = &pkts[i];
    }

    pthread_t rx_thread;
    atomic_store(&st->stop, false);
    atomic_store(&st->rx_ready, false);
    st->received = 0;
    if (with_receiver) {
        pthread_create(&rx_thread, NULL, receiver_main, st);
        while (!atomic_load(&st->rx_ready)) {
            sched_yield();
        }
    }
    pin_to_cpu(0);

    uint64_t sent = 0;
    double cpu0 = thread_cpu_s();
    double t0 = now_s(), t1;
    unsigned int iter = 0;
    for (;;) {
        sent += port_send(st->tx_port, ptrs, batch_size);
        if (!(++iter & 63) && (t1 = now_s()) - t0 >= duration_s) {
            break;
        }
    }
    double elapsed = t1 - t0;
    *tx_cpu = (thread_cpu_s() - cpu0) / elapsed * 100;
    *rx_cpu = 0;
    if (with_receiver) {
        usleep(20000);      /* Let the last blocks retire. */
        atomic_store(&st->stop, true);
        pthread_join(rx_thread, NULL);
    }
    if (with_receiver) {
        *rx_cpu = st->rx_cpu_s / elapsed * 100;
    }
    *tx_pps = sent / elapsed;
    *rx_pps = st->received / elapsed;
}

static int
compare_double(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;
    return a < b ? -1 : a > b;
}

struct series {
    double x[64];
    unsigned int n;
    bool unit_pps;              /* Else a CPU percentage. */
};

static void
series_report(const char *label, const struct series *s)
{
    /* Student t, 97.5% quantile, df = n - 1 (1..9; 2.0 beyond). */
    static const double t975[] = { 0, 12.706, 4.303, 3.182, 2.776, 2.571,
                                   2.447, 2.365, 2.306, 2.262 };
    double mean = 0, var = 0;
    for (unsigned int i = 0; i < s->n; i++) {
        mean += s->x[i];
    }
    mean /= s->n;
    for (unsigned int i = 0; i < s->n; i++) {
        var += (s->x[i] - mean) * (s->x[i] - mean);
    }
    double half = 0;
    if (s->n > 1) {
        var /= s->n - 1;
        double t = s->n - 1 < ARRAY_SIZE(t975) ? t975[s->n - 1] : 2.0;
        half = t * sqrt(var / s->n);
    }
    if (!s->n) {
        return;
    }
    if (s->unit_pps) {
        printf("  %-32s %9.0f pps  +- %7.0f (95%% CI, n=%u)  = %7.1f Mbit/s\n",
               label, mean, half, s->n, mean * frame_len * 8 / 1e6);
    } else {
        printf("  %-32s %9.1f %%    +- %7.1f (95%% CI, n=%u)\n",
               label, mean, half, s->n);
    }
}

int
main(int argc, char *argv[])
{
    unsigned int rounds = 5;
    int opt;
    while ((opt = getopt(argc, argv, "d:r:s:b:")) != -1) {
        switch (opt) {
        case 'd': duration_s = atof(optarg); break;
        case 'r': rounds = MIN(64u, (unsigned int) atoi(optarg)); break;
        case 's': frame_len = (unsigned int) atoi(optarg); break;
        case 'b': batch_size = (unsigned int) atoi(optarg); break;
        default:
            fprintf(stderr, "usage: %s [-d SECONDS] [-r ROUNDS] [-s FRAME_BYTES] "
                    "[-b BATCH]\n", argv[0]);
            return 2;
        }
    }
    if (frame_len < 60 || frame_len > 1514 || !batch_size
        || batch_size > PACKET_BATCH_MAX || !rounds || duration_s <= 0) {
        fprintf(stderr, "port-rate: frame 60..1514, batch 1..64, rounds >= 1\n");
        return 2;
    }
    if (getuid() != 0) {
        fprintf(stderr, "port-rate: needs root (namespaces, AF_PACKET)\n");
        return 77;
    }

    int id = getpid() % 100000;
    snprintf(ns_a, sizeof ns_a, "prA%d", id);
    snprintf(ns_b, sizeof ns_b, "prB%d", id);
    snprintf(if_a, sizeof if_a, "prx%d", id);
    snprintf(if_b, sizeof if_b, "pry%d", id);
    atexit(cleanup);
    run("ip netns add %s && ip netns add %s", ns_a, ns_b);
    run("ip link add %s netns %s type veth peer name %s netns %s",
        if_a, ns_a, if_b, ns_b);
    run("ip netns exec %s ethtool -K %s tx off rx off gso off tso off gro off >/dev/null 2>&1;"
        "ip netns exec %s ethtool -K %s tx off rx off gso off tso off gro off >/dev/null 2>&1; true",
        ns_a, if_a, ns_b, if_b);

    struct run_state st;
    memset(&st, 0, sizeof st);
    char spec[32];
    enter_netns(ns_a);
    snprintf(spec, sizeof spec, "afpacket:%s", if_a);
    int error = port_open(spec, &st.tx_port);
    enter_netns(ns_b);
    snprintf(spec, sizeof spec, "afpacket:%s", if_b);
    if (!error) {
        error = port_open(spec, &st.rx_port);
    }
    if (error) {
        fprintf(stderr, "port-rate: port_open: %s\n", strerror(-error));
        return 1;
    }
    for (int i = 0; i < 500 && !(port_is_link_up(st.tx_port)
                                 && port_is_link_up(st.rx_port)); i++) {
        usleep(10000);  /* Links come up (veth carrier). */
    }
    /* The first frames after carrier-up can still be refused (ENETDOWN)
     * while the kernel activates the device: send until one goes. */
    uint8_t warm[60] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5 };
    struct packet warm_pkt = { .data = warm, .len = 60, .room = 60 };
    struct packet *warm_ptr = &warm_pkt;
    for (int i = 0; i < 200 && port_send(st.tx_port, &warm_ptr, 1) != 1; i++) {
        usleep(10000);
    }

    const char *tx_mode = getenv("PLURAL_AFPACKET_TX");
    printf("port-rate: afpacket on veth, %u-byte frames, batches of %u, "
           "%u rounds of %.1f s, TX path %s\n", frame_len, batch_size, rounds,
           duration_s, tx_mode ? tx_mode : "default");
    struct series tx_only = { .unit_pps = true }, tx = { .unit_pps = true };
    struct series rx = { .unit_pps = true };
    struct series tx_only_cpu = { .n = 0 }, tx_cpu = { .n = 0 }, rx_cpu = { .n = 0 };
    /* Frames per CPU-second of the thread: comparable on a loaded machine. */
    struct series tx_only_eff = { .unit_pps = true }, rx_eff = { .unit_pps = true };
    for (unsigned int r = 0; r < rounds; r++) {
        double tx_pps, rx_pps, tcpu, rcpu;
        measure(&st, false, &tx_pps, &rx_pps, &tcpu, &rcpu);
        tx_only.x[tx_only.n++] = tx_pps;
        tx_only_cpu.x[tx_only_cpu.n++] = tcpu;
        if (tcpu > 0) {
            tx_only_eff.x[tx_only_eff.n++] = tx_pps / (tcpu / 100);
        }
        measure(&st, true, &tx_pps, &rx_pps, &tcpu, &rcpu);
        tx.x[tx.n++] = tx_pps;
        rx.x[rx.n++] = rx_pps;
        tx_cpu.x[tx_cpu.n++] = tcpu;
        rx_cpu.x[rx_cpu.n++] = rcpu;
        if (rcpu > 0) {
            rx_eff.x[rx_eff.n++] = rx_pps / (rcpu / 100);
        }
    }
    series_report("TX only (port_send)", &tx_only);
    series_report("  sender CPU (user+sys)", &tx_only_cpu);
    series_report("TX with receiver running", &tx);
    series_report("  sender CPU (user+sys)", &tx_cpu);
    series_report("RX (port_recv)", &rx);
    series_report("  receiver CPU (user+sys)", &rx_cpu);
    series_report("TX only per sender CPU-second", &tx_only_eff);
    series_report("RX per receiver CPU-second", &rx_eff);

    /* One-way latency of single frames (the TPACKET_V3 block timeout shows
     * here: a lone frame waits until its block is retired). */
    enum { N_PROBES = 200 };
    static double lat_us[N_PROBES];
    unsigned int n_lat = 0;
    struct packet_batch batch;
    while (port_recv(st.rx_port, &batch) > 0) {
        port_recv_done(st.rx_port, &batch);
    }
    for (unsigned int i = 0; i < N_PROBES; i++) {
        double t0 = now_s();
        if (port_send(st.tx_port, &warm_ptr, 1) != 1) {
            continue;
        }
        struct pollfd pfd = { .fd = port_wait_fd(st.rx_port), .events = POLLIN };
        int n = 0;
        while (now_s() - t0 < 0.5 && (n = port_recv(st.rx_port, &batch)) == 0) {
            poll(&pfd, 1, 10);
        }
        if (n > 0) {
            lat_us[n_lat++] = (now_s() - t0) * 1e6;
            port_recv_done(st.rx_port, &batch);
        }
        usleep(2000);
    }
    qsort(lat_us, n_lat, sizeof lat_us[0], compare_double);
    if (n_lat) {
        printf("  single-frame latency, send to port_recv (poll-driven): "
               "min %.0f us, median %.0f us, p90 %.0f us, max %.0f us (n=%u)\n",
               lat_us[0], lat_us[n_lat / 2], lat_us[n_lat * 9 / 10],
               lat_us[n_lat - 1], n_lat);
    }

    struct port_stats a, b;
    port_get_stats(st.tx_port, &a);
    port_get_stats(st.rx_port, &b);
    printf("  sender: tx %llu, tx_dropped %llu, tx_errors %llu; receiver: rx %llu, "
           "rx_dropped (ring full) %llu\n", (unsigned long long) a.tx_packets,
           (unsigned long long) a.tx_dropped, (unsigned long long) a.tx_errors,
           (unsigned long long) b.rx_packets, (unsigned long long) b.rx_dropped);
    port_close(st.tx_port);
    port_close(st.rx_port);
    return 0;
}
