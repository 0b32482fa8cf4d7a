/* wizard.h: the wizard's model, its screens and the reactions their key handlers return. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "apply.h"
#include "choices.h"
#include "engine.h"
#include "render.h"
#include "status.h"
#include "term.h"
#include "userplan.h"

enum scr {
        SCR_STATUS,
        SCR_IFACE,
        SCR_PORT,
        SCR_PREFLIGHT,
        SCR_PREVIEW,
        SCR_APPLY,
        SCR_JOURNAL,
        SCR_CONFIRM,
        SCR_DONE,
        SCR_ROLLBACK,
        _SCR_MAX,
};

/* What a key handler asks the loop to do (htop's way: handlers never draw). */
enum {
        R_NONE = 0,
        R_REDRAW = 1 << 0,
        R_NEXT = 1 << 1,
        R_BACK = 1 << 2,
        R_QUIT = 1 << 3,
        R_GOTO = 1 << 4,   /* to w->go */
};

enum dialog {
        DIALOG_NONE,
        DIALOG_QUIT,         /* q while a change awaits confirmation */
        DIALOG_INTERRUPTED,  /* an interrupted change found at start */
        DIALOG_RESTORE,      /* rollback: restore this set? */
};

/* A scrollable list of styled lines, wrapped to the terminal's width when drawn; verbatim lines
 * (file lines, commands) are not wrapped but scrolled sideways (Left/Right, as less -S). */
struct textview {
        struct drs_rendered r;
        struct drs_rendered wrapped;  /* r wrapped at wrapped_cols */
        int wrapped_cols;
        int top;                      /* in wrapped lines */
        int left;                     /* columns of the verbatim lines scrolled out on the left */
        int wide;                     /* the widest verbatim line's columns */
        int cols;                     /* the text area's width when last drawn */
};

struct wizard {
        struct drs_engine *e;        /* the daemon's: engine_open() or engine_open_user() */
        bool preview_only;

        /* The daemon worked on (issue 19): root's docker.service, or a user's rootless one. */
        const char *root;            /* --root, NULL for "/" */
        char *user;                  /* the rootless daemon's user; NULL: the system's docker.service */
        char *choice_user;           /* a rootless daemon offered besides the system's (u/d); NULL: no choice */
        bool system_preview, user_preview; /* preview only on that daemon */
        bool user_is_me;             /* run by that user itself: no sudo in the commands shown */
        struct drs_user_status *ust; /* Status of the rootless daemon */
        struct drs_user_plan *uplan; /* its plan (Pre-flight on) */
        struct drs_iface_list ifs;   /* the interfaces, for a user's engine (it holds no view of the host) */
        char *host_url, *listen_text; /* the listener of the plan, as the screens after Preview name it */
        unsigned confirm_timeout, verify_timeout;
        struct drs_settings s;       /* committed by each screen's Next */
        enum scr cur, go;
        int rows, cols;
        char *msg;                   /* the message line */
        bool msg_error;
        bool help;
        enum dialog dialog;

        /* Status */
        struct drs_status st;
        struct textview status_view;
        struct drs_txn interrupted;  /* id NULL when none */

        /* Interface */
        struct drs_choices ch;
        int sel, top;
        bool show_plumbing;

        /* Port & security */
        int focus;                   /* 0 mode, 1 port, 2 method, 3 confirmation word, 4 who may connect */
        enum drs_mode mode;
        enum drs_method method;
        char port[8];
        char word[16];
        char *port_check;            /* the live port/test-bind verdict */
        bool port_ok;
        char *allow_suggest;         /* who may connect (socket method): the networks suggested, "A, B" */
        bool allow_any;              /* any address that can reach the port chosen instead */
        char **allow_given;          /* --allow-from networks the wizard was started with */

        /* Pre-flight and Preview */
        struct drs_plan *plan;
        struct textview findings, preview;
        bool show_compared;          /* Preview: the other method's file whole (d) */

        /* Apply, Journal, Confirm, Done */
        enum drs_step_state steps[_STEP_MAX];
        bool step_seen[_STEP_MAX];
        char *step_detail[_STEP_MAX];
        bool applying, applied;
        struct drs_apply_result res;
        struct textview journal;
        bool follow;
        struct drs_follow *tail;
        uint64_t deadline;
        char *outcome;               /* the Done screen's first line */
        struct textview done_view;

        /* Rollback */
        struct drs_manifest *sets;
        size_t n_sets;
        int rb_sel, rb_top;
        bool rb_detail;
        struct textview rb_view;
};

struct screen {
        const char *title;   /* marked for translation where defined */
        const char *hints;   /* the key bar, marked for translation */
        const char *help;    /* the F1 text, marked for translation */
        void (*enter)(struct wizard *w);
        void (*draw)(struct wizard *w, int top, int height);
        int (*key)(struct wizard *w, int key);
};

extern const struct screen screens[_SCR_MAX];

/* How the wizard starts (cmd-wizard.c). */
struct wizard_start {
        const char *root;            /* --root, NULL for "/" */
        const char *user;            /* --user: e is that user's rootless daemon's engine */
        const char *choice_user;     /* a rootless daemon offered besides the system's, NULL: none */
        bool system_preview;         /* preview only on the system's daemon (--preview, not root) */
        bool user_preview;           /* preview only on a rootless one (--preview) */
        bool user_is_me;             /* run by that user itself */
        unsigned confirm_timeout, verify_timeout;
        enum scr start;              /* SCR_STATUS or SCR_ROLLBACK */
};

/* The wizard on e (taken: freed when it ends). Returns an exit code. */
int wizard_run(struct drs_engine *e, const struct drs_settings *s, const struct wizard_start *o);

/* Draws text wrapped to width columns; returns the rows used. */
int wizard_paragraph(int y, int x, int width, enum tui_color c, const char *text);
void wizard_message(struct wizard *w, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Draws the frame and the current screen now (used while the engine works). */
void wizard_draw(struct wizard *w);

/* A verbatim line from display column left on, with "<" and ">" in the margins where it goes on. */
void wizard_verbatim(int y, int cols, enum tui_color c, const char *text, int left);
/* Text views. */
void textview_set(struct textview *v, struct drs_rendered *r);
void textview_draw(struct textview *v, int top, int height, int cols);
int textview_key(struct textview *v, int key, int height);
void textview_done(struct textview *v);
void textview_changed(struct textview *v);

/* Screen functions (one file per group). */
void status_enter(struct wizard *w);
void status_draw(struct wizard *w, int top, int height);
int status_key(struct wizard *w, int key);
void iface_enter(struct wizard *w);
void iface_draw(struct wizard *w, int top, int height);
int iface_key(struct wizard *w, int key);
void port_enter(struct wizard *w);
void port_draw(struct wizard *w, int top, int height);
int port_key(struct wizard *w, int key);
void preflight_enter(struct wizard *w);
/* Pre-flight when no plan could be made: the reason, as a BLOCK item. */
void preflight_failed(struct wizard *w, struct drs_diag *d);
void preflight_draw(struct wizard *w, int top, int height);
int preflight_key(struct wizard *w, int key);
void preview_draw(struct wizard *w, int top, int height);
int preview_key(struct wizard *w, int key);
void apply_draw(struct wizard *w, int top, int height);
int apply_key(struct wizard *w, int key);
void journal_enter(struct wizard *w);
void journal_draw(struct wizard *w, int top, int height);
int journal_key(struct wizard *w, int key);
void confirm_draw(struct wizard *w, int top, int height);
int confirm_key(struct wizard *w, int key);
void done_draw(struct wizard *w, int top, int height);
/* The hand-off of the Done screen as plain lines, for after the wizard closed (copied whole). */
void done_print(const struct wizard *w, FILE *f);
int done_key(struct wizard *w, int key);
void rollback_enter(struct wizard *w);
void rollback_draw(struct wizard *w, int top, int height);
int rollback_key(struct wizard *w, int key);
/* Runs the interrupted-change dialog's choice (complete or roll back). */
void wizard_resolve_interrupted(struct wizard *w, bool complete);
/* Restores the selected backup set (rollback screen). */
void rollback_restore(struct wizard *w);
/* Polls the journal tail (Journal screen) and the countdown; true when something changed. */
bool wizard_tick(struct wizard *w);
/* The engine's live progress, drawn as it happens. */
struct drs_progress wizard_progress(struct wizard *w);

/* The rootless daemon (daemon.c, scr-user.c). */
/* Re-opens the engine on user's rootless daemon (NULL: the system's), locked when it may apply, and
 * reads its status again; false with the reason on the message line when it cannot (the old one kept). */
bool wizard_switch(struct wizard *w, const char *user);
/* The Status screen's first rows: which daemon, and the other one to switch to. */
void daemon_rows(struct wizard *w, struct drs_rendered *r);
/* The list "A, B", or none (scr-status.c). */
char *status_join(char *const *v, const char *none);
/* An interrupted change of the daemon's engine: the dialog that offers to repair it. */
void wizard_check_interrupted(struct wizard *w);
/* A labelled row of the Status screen (scr-status.c). */
void status_row(struct drs_rendered *r, enum drs_style s, const char *label, const char *value);
/* The interfaces the Interface screen offers. */
const struct drs_iface_list *wizard_ifaces(const struct wizard *w);
/* "sudo " unless the wizard runs as the rootless daemon's user ("" then). */
const char *wizard_sudo(const struct wizard *w);
void user_status_enter(struct wizard *w);
void user_preflight_enter(struct wizard *w);
/* The plan cannot be applied: problems, or no drop-in. */
bool user_blocked(const struct wizard *w);
/* Whether the change the hand-off describes is in effect (or would be, in preview). */
bool user_handoff(const struct wizard *w);
/* The listener as the screens after Preview name it: tcp://ADDR:PORT, and as dockerd logs it. */
const char *wizard_url(const struct wizard *w);
const char *wizard_listen(const struct wizard *w);
void user_done_lines(const struct wizard *w, struct drs_rendered *r);
void user_done_print(const struct wizard *w, FILE *f);
/* The symbol for a step state ("✔", or "ok" without UTF-8). */
const char *step_mark(enum drs_step_state st, bool seen);
