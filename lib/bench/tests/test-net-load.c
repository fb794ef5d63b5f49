/* Unit tests: the CPU-load sampler on a child that burns a known amount of
 * CPU time and on an idle one.  The busy child spins until its own CPU clock
 * says BURN_MS, so the CPU time the sampler must report is known whatever
 * else the machine is doing (only /proc's 10 ms tick granularity remains);
 * the idle child must show (almost) none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench/load-sample.h"
#include "util/util.h"

static pid_t
spawn(bool busy)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        if (busy) {
            for (volatile unsigned long i = 0;; i++) {
                continue;
            }
        }
        for (;;) {
            pause();
        }
    }
    return pid;
}

static void
reap(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static void
wait_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        continue;
    }
}

static double
sample_pid(pid_t pid)
{
    char name[32];
    struct load_sampler *s;
    struct load_sample sample;

    snprintf(name, sizeof name, "%d", (int) pid);
    assert_int_equal(load_sampler_open(LOAD_TARGET_PID, name, &s), 0);
    wait_ms(1000);
    assert_int_equal(load_sampler_sample(s, &sample), 0);
    assert_true(sample.seconds > 0.9);
    assert_true(sample.softirq_pct >= 0 && sample.system_pct >= 0);
    load_sampler_destroy(s);
    return sample.cpu_pct;
}

enum { BURN_MS = 300 };

static double
cpu_ms_of_self(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_busy_child(void **state)
{
    (void) state;
    int go[2], done[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        char c;
        if (read(go[0], &c, 1) != 1) {
            _exit(1);
        }
        double start = cpu_ms_of_self();
        while (cpu_ms_of_self() - start < BURN_MS) {
            continue;
        }
        if (write(done[1], &c, 1) != 1) {
            _exit(1);
        }
        for (;;) {
            pause();
        }
    }

    char name[32];
    struct load_sampler *s;
    struct load_sample sample;
    snprintf(name, sizeof name, "%d", (int) pid);
    assert_int_equal(load_sampler_open(LOAD_TARGET_PID, name, &s), 0);
    char c = 'g';
    assert_int_equal(write(go[1], &c, 1), 1);
    assert_int_equal(read(done[0], &c, 1), 1);   /* The burn is over. */
    assert_int_equal(load_sampler_sample(s, &sample), 0);
    load_sampler_destroy(s);
    reap(pid);
    for (int i = 0; i < 2; i++) {
        close(go[i]);
        close(done[i]);
    }
    double cpu_ms = sample.cpu_pct / 100.0 * sample.seconds * 1e3;
    printf("busy child: %.0f ms of CPU in %.2f s (burned %d ms)\n",
           cpu_ms, sample.seconds, BURN_MS);
    assert_true(cpu_ms > BURN_MS - 30 && cpu_ms < BURN_MS + 30);
}

static void
test_idle_child(void **state)
{
    (void) state;
    pid_t pid = spawn(false);
    double pct = sample_pid(pid);
    reap(pid);
    printf("idle child: %.1f%% of one core\n", pct);
    assert_true(pct < 5);
}

static void
test_cgroup_root_sees_busy_child(void **state)
{
    (void) state;
    struct load_sampler *s;
    struct load_sample sample;

    /* The root cgroup (v1 cpuacct or v2 cpu.stat) accounts every process. */
    if (load_sampler_open(LOAD_TARGET_CGROUP, "/", &s)) {
        skip();
    }
    pid_t pid = spawn(true);
    wait_ms(1000);
    assert_int_equal(load_sampler_sample(s, &sample), 0);
    reap(pid);
    printf("root cgroup (%s): %.1f%%\n", load_sampler_source(s), sample.cpu_pct);
    assert_true(sample.cpu_pct > 30);
    load_sampler_destroy(s);
}

static void
test_cgroup_v2_sees_busy_child(void **state)
{
    (void) state;
    static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };
    struct load_sampler *s = NULL;
    struct load_sample sample;

    /* A cgroup v2 hierarchy (hybrid "unified" mount, or pure v2) whose root
     * has cpu.stat; skipped where there is none. */
    for (size_t i = 0; i < ARRAY_SIZE(roots) && !s; i++) {
        char *stat = xasprintf("%s/cpu.stat", roots[i]);
        if (!access(stat, R_OK)) {
            assert_int_equal(load_sampler_open(LOAD_TARGET_CGROUP, roots[i], &s), 0);
            assert_string_equal(load_sampler_source(s), stat);
        }
        free(stat);
    }
    if (!s) {
        skip();
    }
    pid_t pid = spawn(true);
    wait_ms(1000);
    assert_int_equal(load_sampler_sample(s, &sample), 0);
    reap(pid);
    printf("cgroup v2 (%s): %.1f%%\n", load_sampler_source(s), sample.cpu_pct);
    assert_true(sample.cpu_pct > 30);
    load_sampler_destroy(s);
}

static void
test_bad_targets(void **state)
{
    (void) state;
    struct load_sampler *s;

    assert_int_equal(load_sampler_open(LOAD_TARGET_PID, "abc", &s), -EINVAL);
    assert_int_equal(load_sampler_open(LOAD_TARGET_PID, "0", &s), -EINVAL);
    assert_int_equal(load_sampler_open(LOAD_TARGET_CGROUP, "/plural-no-such-cgroup", &s),
                     -ENOENT);
    assert_int_equal(load_sampler_open(LOAD_TARGET_NETNS, "plural-no-such-ns", &s), -ENOENT);
    assert_int_equal(load_sampler_open(LOAD_TARGET_NETNS, "../x", &s), -EINVAL);

    /* A process that exits between samples. */
    pid_t pid = spawn(false);
    char name[32];
    snprintf(name, sizeof name, "%d", (int) pid);
    assert_int_equal(load_sampler_open(LOAD_TARGET_PID, name, &s), 0);
    reap(pid);
    struct load_sample sample;
    assert_int_equal(load_sampler_sample(s, &sample), -ESRCH);
    load_sampler_destroy(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_child),
        cmocka_unit_test(test_idle_child),
        cmocka_unit_test(test_cgroup_root_sees_busy_child),
        cmocka_unit_test(test_cgroup_v2_sees_busy_child),
        cmocka_unit_test(test_bad_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
