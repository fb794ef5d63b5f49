/* vm — QEMU guests of a lab and their control channel.
 *
 * A guest boots Debian's kernel with the lab initramfs (initramfs.h):
 *   qemu-system-x86_64 -accel ACCEL -kernel K -initrd I -m MEM -smp N
 *     -nographic -serial unix:CONSOLE,server=on,wait=off
 *     -netdev tap,id=nI,fd=FD -device virtio-net-pci|e1000,netdev=nI ...
 * Taps are opened by the lab in the peer node's namespace and inherited by
 * QEMU as file descriptors, so QEMU itself stays in the host namespace.
 *
 * Control channel: the guest's ttyS0, reachable at the unix socket
 * CONSOLE.  The guest agent reads lines "ID COMMAND", runs COMMAND with
 * sh -c and answers "PLURAL-BEGIN ID", the output, "PLURAL-END ID RC".
 * The host sends each line after a newline (empty lines are skipped), so a
 * fragment an earlier client left in the guest's tty stays a line of its
 * own.
 * Anything else on the console (kernel messages) is ignored.  Every
 * duration is measured on the host's monotonic clock around the exchange:
 * the guest's clock is emulated and not trusted.
 *
 * Acceleration "auto" tries KVM and falls back to TCG (-accel
 * tcg,thread=multi -cpu max) when QEMU refuses KVM or the guest does not
 * reach its agent within the KVM timeout; the accelerator used is returned
 * to be recorded.  Functions block; one console client at a time. */
#ifndef PLURAL_LAB_VM_H
#define PLURAL_LAB_VM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lab_vm_config {
    const char *name;
    const char *kernel, *initrd;
    const char *console;       /* Unix socket path for the serial console. */
    const char *log_path;      /* QEMU's stdout/stderr. */
    uint64_t memory;           /* Bytes. */
    unsigned int vcpus;
    const char *nic;           /* "virtio" or "e1000". */
    const int *tap_fds;        /* Open taps, inherited by QEMU. */
    size_t n_taps;
    uint64_t cpu_mask;         /* Host CPUs for QEMU's threads, 0 = any. */
};

/* Starts QEMU with ACCEL ("kvm" or "tcg"), gated like lab_proc_start. */
pid_t lab_vm_spawn(const struct lab_vm_config *, const char *accel, int *gate);

/* Waits until the guest agent answers, at most TIMEOUT_MS; fails early if
 * process PID (with start time START) dies.  0, -ETIMEDOUT or -ECHILD. */
int lab_vm_wait_ready(const char *console, pid_t pid, uint64_t start, int timeout_ms);

/* Runs COMMAND (one line) in the guest.  Returns 0 and fills exit code,
 * output (caller frees; may be NULL) and host-measured seconds, or
 * -errno (-ETIMEDOUT after TIMEOUT_MS). */
int lab_vm_exec(const char *console, const char *command, int timeout_ms,
                int *exit_code, char **output, double *seconds);

/* True if /dev/kvm can be opened read-write. */
bool lab_vm_kvm_available(void);

#endif
