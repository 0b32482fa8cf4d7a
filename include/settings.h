/* settings.h: what the administrator asked for, checked against the interfaces and the policy (pure). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "derive.h"
#include "diag.h"
#include "iface.h"

enum drs_method {
        METHOD_DROPIN,       /* docker.service drop-in with an ExecStart= override */
        METHOD_DOCKER_OPTS,  /* DOCKER_OPTS in /etc/default/docker */
        METHOD_SOCKET,       /* docker.socket drop-in (ListenStream=, FreeBind=yes), TLS in daemon.json */
};

enum drs_key_type {
        KEY_ECDSA_P256,      /* default */
        KEY_RSA_3072,
        _KEY_TYPE_MAX,
};

#define DRS_DEFAULT_DROPIN "override.conf"
#define DRS_DEFAULT_TLS_DIR "/etc/docker/remote-setup"
#define DRS_PORT_TLS 2376
#define DRS_PORT_PLAIN 2375
#define DRS_DEFAULT_CERT_DAYS 825   /* server and client certificates */
#define DRS_MAX_CERT_DAYS 3650
#define DRS_MIN_CA_DAYS 3650        /* the CA lives twice as long as its leaves, 10 years at least */
#define DRS_RENEW_DAYS 30           /* material expiring sooner is replaced, and status warns */

struct drs_settings {
        char *iface;            /* NULL: none given */
        char *address;          /* NULL: pick the interface's address */
        uint16_t port;          /* 0: the mode's default */
        enum drs_mode mode;
        enum drs_method method;
        bool method_set;        /* given explicitly (else the host decides) */
        bool method_chosen;     /* method_set by a choice on the wizard's Port & security screen, not --method */
        bool allow_public;
        bool allow_public_typed; /* allow_public given by typing the word in the wizard, not the flag */
        char *dropin_name;      /* NULL: override.conf */
        char *tls_dir;          /* NULL: /etc/docker/remote-setup */
        enum drs_key_type key_type;
        bool key_type_set;      /* given explicitly (else existing material of any type is kept) */
        unsigned cert_days;     /* validity of new server and client certificates; 0: 825 */
        char **allow_from;      /* --allow-from: canonical CIDRs (allowlist_add); NULL: none given */
        bool allow_from_any;    /* --allow-from any: remove the restriction */
        char *ssh_client;       /* the address the admin is connected from (SSH_CONNECTION); NULL: none */
};

/* The listener the settings resolve to. */
struct drs_listener {
        const char *iface;      /* points into the settings or interface list; NULL for 0.0.0.0 */
        struct drs_addr addr;
        enum drs_addr_class cls;
        uint16_t port;
};

void settings_done(struct drs_settings *s);
const char *settings_dropin_name(const struct drs_settings *s);
const char *settings_tls_dir(const struct drs_settings *s);
uint16_t settings_port(const struct drs_settings *s);
const char *mode_to_string(enum drs_mode m);
const char *method_to_string(enum drs_method m);
/* "ECDSA P-256" / "RSA 3072" (for people); parsed from "ecdsa" / "rsa" (as on the command line). */
const char *key_type_label(enum drs_key_type t);
int key_type_from_string(const char *s, enum drs_key_type *ret);
/* Validity in days of new leaf certificates and of a new CA. */
unsigned settings_cert_days(const struct drs_settings *s);
unsigned settings_ca_days(const struct drs_settings *s);
int method_from_string(const char *s, enum drs_method *ret);
/* Whether --allow-from was given (networks or any): the allow-list of our socket drop-in changes. */
bool settings_allow_from_set(const struct drs_settings *s);
/* The first word of SSH_CONNECTION ("CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT") if it is an
 * address; caller frees; NULL otherwise. */
char *settings_ssh_client(const char *ssh_connection);

/* Checks the settings against the interfaces and the safety rules: the interface exists and
 * holds the address (or one is picked), link-local and multicast refused, plain TCP only on
 * loopback/private/CGNAT/ULA, public or unspecified only with TLS and allow_public.
 * Returns 0; -EINVAL for a malformed value, -ENOENT for an unknown interface or an address not
 * on it, -EADDRNOTAVAIL when the interface has no usable or several addresses, -EPERM for a
 * policy refusal; the reason in *diag. */
int settings_resolve(const struct drs_settings *s, const struct drs_iface_list *ifs, struct drs_listener *ret,
                     struct drs_diag *diag);

/* Whether a drop-in name is acceptable: a plain file name ending in ".conf". */
bool settings_dropin_name_valid(const char *name);
