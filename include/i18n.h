/* i18n.h: gettext shorthands _(), N_() and P_(), with fallbacks when NLS is disabled. */
#pragma once

#include "config.h"

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) ((char *) (s))
#define P_(s, p, n) ((n) == 1 ? (char *) (s) : (char *) (p))
#endif
#define N_(s) (s)
