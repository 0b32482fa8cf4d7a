/* port.c: is the port free on the address? One verdict for the wizard's port field and the plan. */
#include <errno.h>

#include "engine-internal.h"
#include "probe.h"
#include "util.h"

enum drs_port_verdict engine_check_port(const struct drs_engine *e, const struct drs_addr *a, uint16_t port,
                                        int *ret_errno) {
        int r;

        if (ret_errno)
                *ret_errno = 0;
        if (!e->host_root)
                return PORT_NOT_CHECKED;
        r = probe_bind(a, port);
        if (r == -EADDRINUSE) {
                /* dockerd's own listener now: the change replaces it. */
                _cleanup_free_ char *text = addr_listen_text(a, port, e->host.single_stack);
                _cleanup_strv_free_ char **now = host_listen_texts(&e->host);
                return strv_contains(now, text) ? PORT_OWN : PORT_IN_USE;
        }
        if (r == -EADDRNOTAVAIL)
                return PORT_ADDR_GONE;
        if (r == -EACCES)
                return PORT_PRIVILEGED;
        if (r < 0) {
                if (ret_errno)
                        *ret_errno = -r;
                return PORT_FAILED;
        }
        return PORT_FREE;
}
