/* main.c: parses the command line and hands over to a command or the wizard. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "i18n.h"

int main(int argc, char **argv) {
        setlocale(LC_ALL, "");
#if ENABLE_NLS
        bindtextdomain(PACKAGE, LOCALEDIR);
        bind_textdomain_codeset(PACKAGE, "UTF-8");
        textdomain(PACKAGE);
#endif
        printf("%s %s\n", PACKAGE, VERSION);
        return 0;
}
