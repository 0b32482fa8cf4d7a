/* render.h: the plan as styled text lines, shown the same way by the command line and the wizard (pure). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

enum drs_style {
        STYLE_PLAIN,
        STYLE_HEADING,   /* section titles, file headers */
        STYLE_ADD,       /* diff "+" */
        STYLE_DEL,       /* diff "-" */
        STYLE_HUNK,      /* diff "@@" and ---/+++ */
        STYLE_OK,
        STYLE_WARN,
        STYLE_BLOCK,
        STYLE_DIM,       /* notes, shown-only variants */
};

struct drs_rline {
        char *text;
        enum drs_style style;
        bool verbatim;   /* a file line or a command: never wrapped (a screen scrolls it sideways) */
        size_t hang;     /* where a wrapped continuation starts: under the value after a label (0: not set) */
};

struct drs_rendered {
        struct drs_rline *lines;
        size_t n;
};

/* Summary, pre-flight findings, the file list, every changed or compared file with its content
 * and unified diff, and the client commands. A file of the method not chosen (shown for
 * comparison) is one line unless show_compared. */
void render_plan(const struct drs_plan *p, bool show_compared, struct drs_rendered *ret);
/* The pre-flight findings from min_level up ("ok", "warn", … with the action below each). */
void render_findings(const struct drs_plan *p, enum drs_level min_level, struct drs_rendered *ret);
/* Where the client bundle is, and the commands for the workstation. */
/* The plan's allow-list for people: "10.213.0.1/32, 10.213.0.2/32, localhost"; caller frees. */
char *render_allow_list(const struct drs_plan *p);
void render_handoff(const struct drs_plan *p, struct drs_rendered *ret);
/* "On your workstation:", or for a loopback listener that the commands are for this host only. */
const char *render_handoff_heading(const struct drs_plan *p);
/* A unified diff's lines, styled. */
void render_diff(const char *diff, struct drs_rendered *out);
void rendered_add(struct drs_rendered *r, enum drs_style s, char *text);
/* The same for a line shown as it is: a file's line, a diff line, a command. */
void rendered_add_verbatim(struct drs_rendered *r, enum drs_style s, char *text);
void rendered_done(struct drs_rendered *r);

const char *level_label(enum drs_level l);
const char *level_key(enum drs_level l);
enum drs_style level_style(enum drs_level l);
/* "new file", "changed", "unchanged", "not applied", "generated at apply", "kept" (translated). */
const char *file_state_label(const struct drs_file_change *f);
const char *file_state_key(const struct drs_file_change *f);
const char *file_kind_key(enum drs_file_kind k);
