/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The certificate and private key the platform serves HTTPS with
 * (--tls-cert FILE --tls-key FILE, PEM). Loads both and proves that they
 * belong together with one TLS handshake over a local socket pair, so a
 * missing, unreadable or mismatched pair is refused at start, in words
 * that name the file, rather than at the first client's handshake.
 * Returns: (transfer full) (nullable). */
GTlsCertificate *sc_platform_tls_load (const char  *cert_file,
                                       const char  *key_file,
                                       GError     **error);

G_END_DECLS
