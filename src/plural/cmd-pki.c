/* cmd-pki — `plural pki ...`: a small certificate authority for the TLS
 * connections between switches, slicers and controllers (lib/pki). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "pki/pki.h"
#include "util/util.h"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural pki init --dir DIR [--cn NAME] [--days N] [--force]\n"
"       plural pki req NAME [--out OUT] [--slice SLICE] [--force]\n"
"       plural pki sign NAME --dir DIR [--out OUT] [--slice SLICE] [--days N] [--force]\n"
"       plural pki req+sign NAME --dir DIR [--out OUT] [--slice SLICE] [--days N] [--force]\n"
"       plural pki show FILE...\n"
"\n"
"A certificate authority for plural's TLS connections (EC P-256, SHA-256).\n"
"  init      DIR/cacert.pem and DIR/cakey.pem (0600): a new self-signed CA\n"
"  req       OUT/NAME-privkey.pem (0600) and OUT/NAME-req.pem\n"
"  sign      OUT/NAME-req.pem -> OUT/NAME-cert.pem, signed by the CA in DIR\n"
"  req+sign  both: key, request and certificate in one step\n"
"  show      describe certificates, requests and keys (never prints a key)\n"
"\n"
"The certificate's subject CN is NAME; --slice SLICE adds OU=SLICE and the\n"
"subjectAltName URI urn:plural:slice:SLICE, the identity the slicer binds a\n"
"slice's controller to.  NAME and SLICE: 1-64 of A-Z a-z 0-9 . _ -.\n"
"OUT defaults to DIR (to . for req).  --days: validity (default %d).\n"
"Existing files are kept unless --force.\n"
"\n"
"Use the files with the daemons' --private-key, --certificate, --ca-cert\n"
"and ssl:IP:PORT / pssl:PORT connection names.\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error.\n", PKI_DEFAULT_DAYS);
}

struct pki_args {
    const char *dir;
    const char *out;
    const char *cn;
    const char *slice;
    struct pki_options opts;
};

/* Parses options; leaves the operands at argv[optind..].  Returns -1 on
 * success, else the exit code. */
static int
parse(int argc, char *argv[], struct pki_args *a)
{
    static const struct option opts[] = {
        { "dir", required_argument, NULL, 'd' },
        { "out", required_argument, NULL, 'o' },
        { "cn", required_argument, NULL, 'c' },
        { "slice", required_argument, NULL, 's' },
        { "days", required_argument, NULL, 'D' },
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t days;
    int c;
    memset(a, 0, sizeof *a);
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:o:s:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->dir = optarg; break;
        case 'o': a->out = optarg; break;
        case 'c': a->cn = optarg; break;
        case 's': a->slice = optarg; break;
        case 'f': a->opts.force = true; break;
        case 'D':
            if (str_to_u64(optarg, 1, 36500, &days)) {
                fprintf(stderr, "plural pki: bad --days \"%s\" (1-36500)\n",
                        optarg);
                return EXIT_USAGE;
            }
            a->opts.days = (int) days;
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "plural pki: see plural pki --help\n");
            return EXIT_USAGE;
        }
    }
    return -1;
}

static int
usage_error(const char *msg)
{
    fprintf(stderr, "plural pki: %s (see plural pki --help)\n", msg);
    return EXIT_USAGE;
}

static int
report(int error, char *err)
{
    if (error) {
        fprintf(stderr, "plural pki: %s\n", err ? err : strerror(-error));
        free(err);
        return 1;
    }
    return 0;
}

static int
run(int argc, char *argv[])
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    struct pki_args a;
    int rc = parse(argc - 1, argv + 1, &a);
    if (rc >= 0) {
        return rc;
    }
    char **operands = argv + 1 + optind;
    int n_operands = argc - 1 - optind;
    char *err = NULL;

    if (!strcmp(cmd, "show")) {
        if (n_operands < 1) {
            return usage_error("show needs a FILE");
        }
        int status = 0;
        for (int i = 0; i < n_operands; i++) {
            if (n_operands > 1) {
                printf("%s%s:\n", i ? "\n" : "", operands[i]);
            }
            int error = pki_show(operands[i], stdout, &err);
            if (report(error, err)) {
                status = 1;
            }
            err = NULL;
        }
        return status;
    }
    if (!strcmp(cmd, "init")) {
        if (!a.dir || n_operands) {
            return usage_error("init takes --dir DIR and no operand");
        }
        int error = pki_ca_init(a.dir, a.cn, &a.opts, &err);
        if (!error) {
            printf("%s/%s\n%s/%s\n", a.dir, PKI_CA_CERT_FILE, a.dir,
                   PKI_CA_KEY_FILE);
        }
        return report(error, err);
    }
    bool req = !strcmp(cmd, "req");
    bool sign = !strcmp(cmd, "sign");
    bool req_sign = !strcmp(cmd, "req+sign");
    if (!req && !sign && !req_sign) {
        fprintf(stderr, "plural pki: unknown command '%s' (see plural pki "
                "--help)\n", cmd);
        return EXIT_USAGE;
    }
    if (n_operands != 1) {
        return usage_error("one NAME expected");
    }
    if (!req && !a.dir) {
        return usage_error("--dir DIR (the CA) is needed");
    }
    const char *name = operands[0];
    const char *out = a.out ? a.out : a.dir ? a.dir : ".";
    int error = req ? pki_req(out, name, a.slice, &a.opts, &err)
                : sign ? pki_sign(a.dir, out, name, a.slice, &a.opts, &err)
                : pki_req_sign(a.dir, out, name, a.slice, &a.opts, &err);
    if (!error) {
        if (!sign) {
            printf("%s/%s-privkey.pem\n", out, name);
        }
        if (!req) {
            printf("%s/%s-cert.pem\n", out, name);
        } else {
            printf("%s/%s-req.pem\n", out, name);
        }
    }
    return report(error, err);
}

const struct command_group pki_command_group = {
    "pki", "certificate authority for TLS (init, req, sign, req+sign, show)",
    run,
};
