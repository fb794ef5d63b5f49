/* Unit tests: the CPU-load sampler on a busy-looping child and an idle one.
 * The bands are deliberately wide (busy > 20%, idle < 5% of one core): they
 * tell a spinning process from a sleeping one on a loaded 2-core machine,
 * they do not time our code. */
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

static void
test_busy_child(void **state)
{
    (void) state;
    pid_t pid = spawn(true);
    double pct = sample_pid(pid);
    reap(pid);
    printf("busy child: %.1f%% of one core\n", pct);
    assert_true(pct > 20 && pct < 110);
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
