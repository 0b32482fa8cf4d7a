/* plan.h: from what the host has and what the admin asked for, every file to write and why (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "diag.h"
#include "execline.h"
#include "iface.h"
#include "settings.h"
#include "unitfile.h"

/* The unit search path of the system manager, highest priority first (systemd 252). */
extern const char *const drs_unit_dirs[];
#define DRS_UNIT_DIR_ETC 4 /* index of /etc/systemd/system: where our drop-in goes */
#define DRS_DEFAULT_DOCKER "/etc/default/docker"
#define DRS_DAEMON_JSON "/etc/docker/daemon.json"

/* A docker.service drop-in found on the host. */
struct drs_dropin_source {
        char *path;        /* on the target, e.g. /etc/systemd/system/docker.service.d/override.conf */
        char *text;        /* NULL when masked (a symlink to /dev/null) */
        unsigned dir_rank; /* index into drs_unit_dirs */
        bool type_level;   /* from service.d/ (applies to every service) */
};

/* The files of the TLS directory, in the order they are written. */
enum drs_tls_file {
        TLS_CA_CERT,          /* ca.pem */
        TLS_CA_KEY,           /* ca-key.pem: kept, to issue more client certificates later */
        TLS_SERVER_CERT,      /* server-cert.pem */
        TLS_SERVER_KEY,       /* server-key.pem */
        TLS_CLIENT_CA,        /* client/ca.pem: the client bundle, to copy to a workstation */
        TLS_CLIENT_CERT,      /* client/cert.pem */
        TLS_CLIENT_KEY,       /* client/key.pem */
        TLS_CLIENT_TAR,       /* client.tar: the same bundle as one file, a docker context to import */
        _TLS_FILE_MAX,
};

/* Its path under the settings' TLS directory (on the target); caller frees. */
char *tls_file_path(const struct drs_settings *s, enum drs_tls_file f);
/* Whether it holds a private key (mode 0600, never printed). */
bool tls_file_secret(enum drs_tls_file f);

/* What the client bundle holds: a docker context's name and endpoint, and the client's TLS files. */
struct drs_bundle_texts {
        const char *context;   /* the context name in meta.json (docker context import names it anew) */
        const char *url;       /* tcp://ADDR:PORT */
        const char *ca, *cert, *key;
};
/* meta.json of a docker context as `docker context export` writes it: {"Name":…,"Metadata":{},
 * "Endpoints":{"docker":{"Host":URL,"SkipTLSVerify":false}}}. Caller frees. */
char *tls_bundle_meta(const char *context, const char *url);
/* The client bundle as the ustar archive `docker context export` writes, for `docker context
 * import NAME FILE`: meta.json, tls/docker/ca.pem and cert.pem 0644, tls/docker/key.pem 0600.
 * Returns 0, or -EINVAL (see ustar_build); *ret is the archive (NULs inside), caller frees. */
int tls_bundle_tar(const struct drs_bundle_texts *t, int64_t mtime, char **ret, size_t *ret_len);
/* Whether tar is such an archive of exactly these texts (and modes). */
bool tls_bundle_tar_matches(const char *tar, size_t len, const struct drs_bundle_texts *t);

/* The state of TLS material already in the TLS directory (looked at by the engine). */
struct drs_tls_state {
        bool present;         /* ca.pem and server-cert.pem exist */
        bool unreadable;      /* some of it cannot be read as this user: whether it is kept is unknown */
        bool reusable;        /* complete, consistent, for the chosen address and key type, 30 more days */
        bool tar_current;     /* client.tar holds the client bundle as it is */
        const char *reason;   /* why not reusable, translated, static */
        time_t expiry;        /* the server certificate's notAfter */
};

/* A file EnvironmentFile= names (other than /etc/default/docker), as read. */
struct drs_env_source {
        char *path;
        char *text;
};

/* Everything found on the host, as text and plain facts; filled by the engine (sys layer). */
struct drs_host {
        char *root;                    /* "/" or the --root directory (messages only) */
        bool systemd;                  /* systemd manages services here */
        bool live;                     /* a running manager answered (root "/") */
        bool single_stack;             /* no dual-stack sockets: a wildcard listener logs 0.0.0.0 */
        char *hostname;
        char *fragment_path;           /* docker.service; NULL when not found */
        char *fragment_text;           /* NULL when masked or dangling */
        bool fragment_dangling;        /* a symbolic link whose target does not exist */
        struct drs_dropin_source *dropins;
        size_t n_dropins;
        /* The manager's view (live only). */
        char *live_exec_path;
        char **live_exec_argv;
        char **live_exec_flags;
        bool need_daemon_reload;
        bool socket_unit;              /* docker.socket exists and is not masked */
        struct drs_dropin_source *socket_dropins; /* docker.socket.d/ and socket.d/ drop-ins */
        size_t n_socket_dropins;
        char *default_docker_text;     /* /etc/default/docker; NULL when absent */
        struct drs_env_source *env_files; /* the other files EnvironmentFile= names that exist */
        size_t n_env_files;
        char *daemon_json_path;        /* where dockerd reads its config */
        char *daemon_json_text;        /* NULL when absent */
        char **executables;            /* dockerd candidates that exist and are executable */
        char *dockerd_version;         /* NULL when unknown */
        struct drs_iface_list ifaces;
        struct drs_tls_state tls;
};

void host_done(struct drs_host *h);

/* docker.service as systemd would apply it: the fragment, then the drop-ins sorted by file name
 * (for equal names the unit's own directory wins over service.d/, then the higher-priority
 * directory; a masked name hides the others). Parses every file. */
struct drs_unitset {
        struct drs_unit **units;       /* [0] the fragment, then drop-ins in order */
        size_t n;
};
/* Whether drop-in d is hidden by one of the same name that takes precedence (a /dev/null one
 * masks it): systemd reads only the first of a name. */
bool unitset_dropin_hidden(const struct drs_host *h, const struct drs_dropin_source *d);
int unitset_load(const struct drs_host *h, struct drs_unitset *ret, struct drs_diag *diag);
/* docker.socket's drop-ins the same way (without the unit file itself). */
int unitset_load_socket_dropins(const struct drs_host *h, struct drs_unitset *ret);
void unitset_done(struct drs_unitset *u);

/* The effective ExecStart of the unit set, parsed. Returns 0, or -ENOENT (none), -E2BIG
 * (several: not allowed for a non-oneshot service), -EBADMSG (does not parse), with *diag. */
int unitset_execstart(const struct drs_unitset *u, struct drs_cmdline *ret, struct drs_setting *ret_where,
                      struct drs_diag *diag);

/* The effective ExecStart the plan starts from: the unit files' (the reload before the restart
 * makes them effective), or the manager's when the files have none. */
int host_base_execstart(const struct drs_host *h, struct drs_cmdline *ret, struct drs_diag *diag);
/* Whether the running manager's ExecStart differs from the files' (edited without a reload). */
bool host_live_differs(const struct drs_host *h);
/* Whether dockerd, as these files start it, logs at info level or below, and so logs "API listen
 * on": false for a log level of warn and up (-l/--log-level in ExecStart or DOCKER_OPTS, or
 * "log-level" in daemon.json), unless debug is on. */
bool host_logs_info(const struct drs_host *h);
/* Whether a dockerd with these arguments (after the executable) and this daemon.json (may be
 * NULL) logs at info or below, where "API listen on" is: not with -l/--log-level or "log-level"
 * warn, error, fatal or panic, unless debug is on. */
bool dockerd_logs_info(char *const *words, const char *json_path, const char *json_text);

enum drs_level {
        LEVEL_OK,      /* checked, fine */
        LEVEL_NOTE,    /* worth knowing */
        LEVEL_FIX,     /* a problem the plan fixes (the action says how) */
        LEVEL_WARN,    /* a risk the admin accepts by going on */
        LEVEL_BLOCK,   /* cannot go on */
};

struct drs_finding {
        enum drs_level level;
        char *text;     /* what was found (translated) */
        char *action;   /* what will be done about it, or NULL */
};

enum drs_file_kind {
        FILE_DROPIN,
        FILE_SOCKET_DROPIN,
        FILE_DEFAULT,
        FILE_DAEMON_JSON,
        FILE_TLS,
};

struct drs_file_change {
        enum drs_file_kind kind;
        char *path;          /* on the target */
        char *old_text;      /* NULL: absent */
        char *new_text;      /* NULL: generated at apply time (TLS) */
        unsigned mode;       /* 0644, keys 0600 */
        bool applied;        /* false: shown for comparison only */
        bool secret;         /* key material: never printed */
        bool kept;           /* TLS material reused as it is */
        bool unknown;        /* TLS material that cannot be read as this user: kept or generated is unknown */
        bool remove;         /* the file goes (new_text NULL) */
        enum drs_tls_file tls; /* which one (FILE_TLS only) */
};

struct drs_plan {
        struct drs_listener listener;
        enum drs_mode mode;
        enum drs_method method;
        char *method_reason;           /* why this method (translated) */
        char *listen_text;             /* as dockerd logs it: "10.0.0.2:2376", "[::]:2376" */
        char *host_url;                /* tcp://10.0.0.2:2376 */
        char *base_text;               /* the effective ExecStart now */
        char *execstart_text;          /* the ExecStart after apply */
        char **old_listen_texts;       /* TCP listeners in effect now, as dockerd logs them */
        struct drs_file_change *files;
        size_t n_files;
        struct drs_finding *findings;
        size_t n_findings;
        bool blocked;                  /* a LEVEL_BLOCK finding */
        bool changes;                  /* an applied file changes */
        char **client_lines;           /* DOCKER_HOST / docker context commands */
        char *client_dir;              /* TLS: where the client bundle is */
        char *client_tar;              /* TLS: the bundle as one tar file (a docker context export) */
        char *client_context;          /* the docker context's name (from the host name) */
        char *client_url;              /* where clients connect: tcp://ADDR:PORT */
        bool client_local;             /* a loopback listener: reachable from this host only */
        bool survives_late_address;    /* the listener comes up when the address is late at boot */
        char **allow_from;             /* IPAddressAllow= of our docker.socket drop-in after apply (words,
                                        * "localhost" included); NULL or empty: no restriction */
        bool allow_accounted;          /* and that drop-in has IPAccounting=yes: apply can verify that the
                                        * kernel enforces the list (an admin's list without it is not checked) */
};

/* Builds the plan. Returns 0 (check plan->blocked), or -EBADMSG when a file found on the host
 * is malformed (*diag names the file and line). */
int plan_build(const struct drs_host *h, const struct drs_settings *s, const struct drs_listener *l,
               struct drs_plan **ret, struct drs_diag *diag);
void plan_add_finding(struct drs_plan *p, enum drs_level level, char *text, char *action);
/* Adds a file (new_text owned by the plan; NULL: generated at apply time). */
struct drs_file_change *plan_add_file(struct drs_plan *p, enum drs_file_kind kind, const char *path,
                                      const char *old_text, char *new_text, bool applied);
/* The TLS directory's files and the finding about them (part of plan_build). */
void plan_tls(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s);
/* Adds the removal of a file that exists (old_text). */
void plan_remove_file(struct drs_plan *p, enum drs_file_kind kind, const char *path, const char *old_text);
void plan_free(struct drs_plan *p);

/* plan-socket.c. Every method's listener comes up when the address appears after boot, with the
 * lines we write in effect: the socket method's through FreeBind=yes, the others' because our
 * docker.service drop-in restarts dockerd every RESTART_SEC_TEXT with the start limit off
 * (plan->survives_late_address, host_restarts_forever). */
#define RESTART_SEC_TEXT "2s"
/* What a late address at boot does to the method (translated): survives is whether our lines are
 * in effect (host_restarts_forever) or the method is socket. */
const char *method_late_address_text(enum drs_method m, bool survives);
/* The method the host gets when none is asked for: socket with socket activation, dropin with
 * systemd, else docker-opts. */
enum drs_method host_default_method(const struct drs_host *h);
/* Sets p->method and p->method_reason; blocks --method socket where it cannot work. */
void plan_choose_method(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s, bool uses_fd);
/* The docker.socket drop-in: our ListenStream= and FreeBind=yes (ours), or ours taken out. */
void plan_socket_dropin(struct drs_plan *p, const struct drs_host *h, const struct drs_settings *s, bool ours);
/* Our docker.service drop-in without its ExecStart= lines (removed when nothing else is left). */
void plan_service_dropin_removal(struct drs_plan *p, const char *path, const char *old, const char *header);
/* Blocks TLS mode when Environment=, or a variable ExecStart= passes from a file EnvironmentFile=
 * names (Fedora's OPTIONS in /etc/sysconfig/docker), hands dockerd a --tls flag that would clash
 * with the keys. */
void plan_socket_clash(struct drs_plan *p, const struct drs_host *h, const struct drs_unitset *u,
                       const struct drs_cmdline *base);
/* daemon.json with the TLS keys of the socket method (plain: none). */
void plan_socket_json(struct drs_plan *p, const struct drs_host *h, const char *ca, const char *cert, const char *key);
/* /etc/systemd/system/docker.socket.d/NAME; caller frees. */
char *socket_dropin_path(const struct drs_settings *s);
/* A ListenStream= value as dockerd logs the socket ("[::]:2375" for a port alone); NULL when not
 * TCP. Caller frees. */
char *socket_listen_text(const char *value);
/* The TCP ListenStream= of docker.socket's drop-ins in effect, as dockerd logs them: read as
 * systemd reads them (a masked or hidden drop-in is nothing, an empty ListenStream= resets). */
char **socket_listen_texts(const struct drs_host *h);
/* The IPAddressAllow= of docker.socket's drop-ins, word by word as systemd folds them (an empty
 * assignment resets); an empty list when none. */
char **socket_allow_list(const struct drs_host *h);
/* docker.socket's drop-ins restrict who may connect (socket_allow_list) with IP accounting on, so
 * that whether the kernel enforces it can be read (txn_check_enforced). */
bool socket_allow_accounted(const struct drs_host *h);
static inline void plan_freep(struct drs_plan **p) {
        if (*p)
                plan_free(*p);
}

/* The TCP listeners docker.service has now (ExecStart, DOCKER_OPTS it reads, daemon.json
 * "hosts"), as dockerd logs them. Caller frees. */
char **host_listen_texts(const struct drs_host *h);

/* The method whose TCP listener is configured now: the socket's ListenStream= (with -H fd://),
 * else ExecStart=, else DOCKER_OPTS. Returns 0, or -ENOENT when there is none. */
int host_method_in_effect(const struct drs_host *h, enum drs_method *ret);
/* plan-host.c. Whether docker.service, as its files are, restarts dockerd after every failed start:
 * Restart=always or on-failure, and systemd's start limit off (StartLimitIntervalSec= or
 * StartLimitBurst= 0), the last assignment of each winning. *ret_restarts: whether Restart= does
 * its part. When not, *ret_why (caller frees) says which line or default stops it; NULL otherwise. */
bool unitset_restarts_forever(const struct drs_unitset *u, bool *ret_restarts, char **ret_why);
bool host_restarts_forever(const struct drs_host *h, char **ret_why);
/* Whether a drop-in overrides ExecStart=: *ret_path the last one that sets it, *ret_vendor the
 * unit file's own ExecStart= (as on disk now), *ret_differs whether the two differ in more than
 * TCP listeners and TLS flags (the override keeps an older command line). Caller frees. */
bool host_execstart_override(const struct drs_host *h, char **ret_path, char **ret_vendor, bool *ret_differs);

/* "10.0.0.2:2375" for -H tcp://10.0.0.2:2375, "[::]:2375" for 0.0.0.0; NULL if not TCP. */
char *listen_text_from_host(const char *host);
