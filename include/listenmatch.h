/* listenmatch.h: reading dockerd's journal lines: "API listen on …" and error lines (pure). */
#pragma once

#include <stdbool.h>

/* If message is dockerd's "API listen on ADDR" line — text format
 * `time="…" level=info msg="API listen on 10.0.0.2:2375"`, JSON format
 * `{"level":"info","msg":"API listen on 10.0.0.2:2375",…}`, or the bare message — stores
 * ADDR ("10.0.0.2:2375", "[::]:2376", "/run/docker.sock") in *ret_addr (caller frees) and
 * returns true. */
bool listen_match(const char *message, char **ret_addr);

/* Whether the line reports an error: level=error/fatal/panic in either format, or a systemd
 * line about the unit failing. */
bool listen_line_is_error(const char *message);

/* Whether the line means the start failed: systemd's "Failed with result", "Failed to start",
 * "Start request repeated too quickly", a failing "Main process exited", or dockerd's
 * level=fatal/panic. Narrower than listen_line_is_error(): dockerd logs level=error lines on
 * every healthy start (storage drivers it probed and rejected). */
bool listen_line_is_fatal(const char *message);

/* The human part of a line: the msg="…" value (unescaped), the JSON "msg", else the message. */
char *listen_line_text(const char *message);

/* The level of a structured line ("info", "warning", …); NULL for a bare line. Caller frees. */
char *listen_line_level(const char *message);

/* Of the journal lines of a failed start, the text that says why: the daemon's fatal line, else
 * what it printed bare to stderr ("failed to load listeners: … address already in use"), else
 * systemd's "Main process exited, …". NULL when none. Caller frees. */
char *listen_failure_reason(char *const *lines);
