/* lab-private — internals shared by lab-up.c (namespaces, links,
 * addresses), lab-daemons.c (controllers, slicers, switches, OVS) and
 * lab-guests.c (virtual machines).  Not for other folders. */
#ifndef PLURAL_LAB_LAB_PRIVATE_H
#define PLURAL_LAB_LAB_PRIVATE_H 1

#include <jansson.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "lab/lab.h"
#include "lab/state.h"
#include "lab/topo.h"
#include "util/util.h"

#define VM_KVM_TIMEOUT_MS 15000
/* Remembers that KVM could not boot the guest kernel here, so that later
 * "auto" guests go straight to TCG (delete the file to try KVM again). */
#define KVM_FAILED_FILE LAB_RUN_ROOT "/kvm-failed"
#define VM_TCG_TIMEOUT_MS 90000
#define DAEMON_READY_MS 10000

/* One `lab up` in progress. */
struct up {
    const struct lab_topo *topo;
    struct lab_state *st;
    char *topo_dir;            /* Directory of the topology file. */
    char **errp;
};

/* Records the first error message in *u->errp ("...: strerror") and
 * returns ERROR. */
int up_fail(struct up *, int error, const char *fmt, ...) PRINTF_FORMAT(3, 4);
int mkdir_p(const char *path);
/* NAME-NODE, or NULL for a vm node and a controller in a container (no
 * namespace of their own).  Caller frees. */
char *node_netns(const struct lab_topo *, const struct lab_node *);
/* RUN_DIR/ + FMT with NODE substituted.  Caller frees. */
char *run_path(struct up *, const char *fmt, const char *node);
/* CONFIG, or relative to the topology file's directory.  Caller frees. */
char *resolve_config(struct up *, const char *config);
/* $ENV, else ../SUBDIR/NAME next to this program, else NAME (PATH). */
char *find_binary(const char *env, const char *subdir, const char *name);
bool wait_for_path(const char *path, pid_t pid, uint64_t start, int timeout_ms);
/* Starts a daemon of NODE in its namespace, recorded before it runs. */
int start_daemon(struct up *, const struct lab_node *, const char *what, char **argv,
                 const char *log_path, pid_t *pidp, uint64_t *startp);
/* Appends OBJ to the state (saved) or fails with a message. */
int add_object(struct up *, json_t *obj);

/* lab-daemons.c */
int up_controller(struct up *, const struct lab_node *);
/* Target a switch or slicer connects to for controller node NAME: a unix
 * socket in the run directory, or tcp:GUEST-ADDR:PORT for a controller in
 * a vm.  Caller frees. */
char *controller_target(struct up *, const char *name);
/* Where controller node C, placed in a vm (C->vm), listens: the guest's
 * first address into ADDR, and the port it returns. */
unsigned int vm_controller_endpoint(const struct up *, const struct lab_node *c,
                                    char addr[INET_ADDRSTRLEN]);
int up_slicer(struct up *, const struct lab_node *);
int up_plural_switch(struct up *, const struct lab_node *);
int up_ovs(struct up *, const struct lab_node *);

/* lab-guests.c: the initramfs (once per run directory) and one guest. */
int vm_images(struct up *, char **kernel, char **initrd);
int up_vm(struct up *, const struct lab_node *, const char *kernel, const char *initrd);
/* A controller node placed in a vm: its config written into the guest and
 * plural-controller started there through the control channel. */
int up_controller_in_vm(struct up *, const struct lab_node *);

#endif
