/* localedir.h: where the message catalogues are: installed, or in the build tree. */
#pragma once

/* LOCALEDIR; when the program runs from its build tree (it is DRS_BUILDDIR/NAME, not
 * installed) and `make` put the catalogues there, DRS_BUILDDIR/locale. The test build also
 * honours $DOCKER_REMOTE_SETUP_LOCALEDIR; the installed program reads no environment for it.
 * Returns a static string. */
const char *drs_locale_dir(void);
