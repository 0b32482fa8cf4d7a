/* userbus.c: a user's systemd manager over its own bus (/run/user/UID/bus), for rootless Docker. */
#include "sdbus.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "util.h"

/* What the user's bus accepts (measured on Debian 13, dbus-user-session, systemd 257): its
 * dbus-daemon takes only its owner: root's AUTH EXTERNAL 0 is answered OK, and the connection is
 * dropped at Hello ("Transport endpoint is not connected"). The user's manager's private socket
 * (/run/user/UID/systemd/private) takes root, but a peer connection without the bus daemon has no
 * sender names for the JobRemoved match. So when we are root we connect as the user: the
 * effective uid and gid are the user's while the socket is connected and the authentication is
 * sent (SO_PEERCRED is taken at connect(), sd-bus sends geteuid() in AUTH EXTERNAL), then root
 * again; the saved uid stays 0 throughout. As the user itself (no sudo), nothing to switch. */
static int connect_as(sd_bus *bus, uid_t uid, gid_t gid) {
        uid_t euid = geteuid();
        gid_t egid = getegid();
        int r, k = 0;

        if (euid == uid)
                return sd_bus_start(bus);
        if (euid != 0)
                return -EPERM;
        if (setegid(gid) < 0)
                return -errno;
        if (seteuid(uid) < 0) {
                r = -errno;
                (void) setegid(egid);
                return r;
        }
        r = sd_bus_start(bus);
        if (seteuid(euid) < 0 || setegid(egid) < 0)
                k = -errno;
        if (k < 0) /* still the user: nothing we do after this may run with its identity */
                abort();
        return r;
}

int sdbus_open_user(uid_t uid, gid_t gid, struct drs_bus **ret) {
        _cleanup_free_ char *address = xasprintf("unix:path=/run/user/%u/bus", (unsigned) uid);
        sd_bus *bus = NULL;
        int r;

        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r >= 0)
                r = sd_bus_set_bus_client(bus, 1);
        if (r >= 0)
                r = connect_as(bus, uid, gid);
        if (r < 0) {
                sd_bus_unref(bus);
                return r;
        }
        return sdbus_adopt(bus, ret);
}
