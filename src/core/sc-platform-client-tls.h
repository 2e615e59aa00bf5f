/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* HTTPS for ScPlatformClient (DESIGN §13), kept apart from the request
 * pipeline. */

/* For tests only: when SC_TEST_TLS_CA_FILE names a PEM file of CA
 * certificates, @session trusts those (instead of the system's), so that
 * tests can serve HTTPS with a CA made at test time. Never set it in
 * production. */
void    sc_platform_client_tls_setup_session (SoupSession  *session);

/* Remembers the certificate errors of @msg's TLS handshake (its
 * "accept-certificate" signal) for sc_platform_client_tls_map_error. */
void    sc_platform_client_tls_watch         (SoupMessage  *msg);

/* A transport @error of @msg that is a TLS failure (a certificate refused,
 * a failed handshake) as SC_PLATFORM_ERROR_CERTIFICATE, with words that
 * say what is wrong; NULL for any other error.
 * Returns: (transfer full) (nullable). */
GError *sc_platform_client_tls_map_error     (SoupMessage  *msg,
                                              const GError *error);

G_END_DECLS
