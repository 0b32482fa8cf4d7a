/* output.h: printing plans, findings and diffs for the command line (text with optional colour, JSON). */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "plan.h"
#include "render.h"

/* Whether stdout gets colours: a terminal, NO_COLOR unset, TERM not "dumb". */
bool output_color(void);

/* Styled lines (see render.h) with ANSI colours when asked. */
void print_rendered(FILE *f, const struct drs_rendered *r, bool color);

/* The pre-flight findings from min_level up, one per line with their actions. */
void print_findings(FILE *f, const struct drs_plan *p, enum drs_level min_level, bool color);
/* The summary, pre-flight list, files with contents and diffs, and the client commands. */
void print_plan(FILE *f, const struct drs_plan *p, bool color);
/* Where the client bundle is and the commands for the workstation (nothing in plain mode without lines). */
void print_handoff(FILE *f, const struct drs_plan *p);
/* The plan as a JSON object (json-c); caller frees with json_object_put. */
struct json_object *plan_to_json(const struct drs_plan *p);
/* A JSON array of the strings (empty for NULL); a JSON string, or NULL (JSON null) for NULL. */
struct json_object *strv_json(char *const *v);
struct json_object *str_json(const char *s);
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
