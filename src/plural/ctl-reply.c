#include "ctl-reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cli_print_ctl_result(bool json, const char *text, json_t *reply)
{
    if (json && reply) {
        char *s = json_dumps(reply, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        printf("%s\n", s ? s : "null");
        free(s);
    } else if (text && *text) {
        fputs(text, stdout);
        if (text[strlen(text) - 1] != '\n') {
            putchar('\n');
        }
    }
}

int
cli_print_ctl_reply(const char *prefix, int r, bool json, char *text, json_t *reply)
{
    int status = 0;
    if (r == 0) {
        cli_print_ctl_result(json, text, reply);
    } else {
        char *nl = text ? strchr(text, '\n') : NULL;
        if (nl) {
            *nl = 0;
        }
        fprintf(stderr, "%s: %s\n", prefix, text ? text : "no reply");
        status = 1;
    }
    free(text);
    json_decref(reply);
    return status;
}
