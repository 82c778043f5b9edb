/* A system resolver that fails loudly: preloaded into `hftp`, it aborts
 * the process, after writing the name to $RESOLVER_TRAP_LOG, when asked
 * for a name under .onion or .trap; other names resolve as usual. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int trapped(const char *name) {
    size_t len = name ? strlen(name) : 0;
    while (len > 0 && name[len - 1] == '.') len--;
    return (len > 6 && strncasecmp(name + len - 6, ".onion", 6) == 0)
        || (len > 5 && strncasecmp(name + len - 5, ".trap", 5) == 0);
}

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
    if (trapped(node)) {
        const char *log = getenv("RESOLVER_TRAP_LOG");
        FILE *out = log ? fopen(log, "a") : NULL;
        if (out) {
            fprintf(out, "%s\n", node);
            fclose(out);
        }
        fprintf(stderr, "resolver trap: asked for %s\n", node);
        abort();
    }
    int (*real)(const char *, const char *, const struct addrinfo *,
                struct addrinfo **) = dlsym(RTLD_NEXT, "getaddrinfo");
    return real(node, service, hints, res);
}
