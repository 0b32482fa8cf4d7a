/* tlsgen-internal.h: GnuTLS helpers shared by tlsgen.c (making material) and tlscheck.c (judging it). */
#pragma once

#include <stdbool.h>

#include <gnutls/x509.h>

#include "macro.h"
#include "settings.h"

#define DAY_SECONDS 86400
#define REUSE_MIN_SECONDS (DRS_RENEW_DAYS * DAY_SECONDS) /* material expiring sooner is replaced */
#define KEY_ID_MAX 64

static inline void crt_freep(gnutls_x509_crt_t *p) {
        if (*p)
                gnutls_x509_crt_deinit(*p);
}
#define _cleanup_crt_ _cleanup_(crt_freep)

static inline void xkey_freep(gnutls_x509_privkey_t *p) {
        if (*p)
                gnutls_x509_privkey_deinit(*p);
}
#define _cleanup_xkey_ _cleanup_(xkey_freep)

/* A PEM certificate / private key (PKCS#8, PKCS#1 or SEC1): 0, -ENOMEM or -EBADMSG. */
int tlsgen_crt_parse(const char *pem, gnutls_x509_crt_t *ret);
int tlsgen_key_parse(const char *pem, gnutls_x509_privkey_t *ret);
/* Whether key belongs to crt: their public key ids agree. */
bool tlsgen_key_matches_crt(gnutls_x509_privkey_t key, gnutls_x509_crt_t crt);
