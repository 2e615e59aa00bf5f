/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-tls.c: HTTPS for ScPlatformClient (DESIGN §13). A
 * certificate the counter cannot trust, or a handshake that fails, is its
 * own error (SC_PLATFORM_ERROR_CERTIFICATE) with words that say what is
 * wrong: never "cannot reach the platform", so the counter never goes
 * offline (and never answers from its offline copy) because someone
 * answers in the platform's place with the wrong certificate.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-platform-client.h"
#include "sc-platform-client-tls.h"

#define TLS_ERRORS_KEY "sc-platform-client-tls-errors"

void
sc_platform_client_tls_setup_session (SoupSession *session)
{
  const char *ca_file = g_getenv ("SC_TEST_TLS_CA_FILE");
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (ca_file == NULL || *ca_file == '\0')
    return;

  database = g_tls_file_database_new (ca_file, &error);
  if (database == NULL)
    {
      g_warning ("SC_TEST_TLS_CA_FILE (for tests only) cannot be used: %s", error->message);
      return;
    }
  soup_session_set_tls_database (session, database);
}

/* Refuses the certificate (as libsoup would) and notes why. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  g_object_set_data (G_OBJECT (msg), TLS_ERRORS_KEY, GUINT_TO_POINTER ((guint) errors));
  return FALSE;
}

void
sc_platform_client_tls_watch (SoupMessage *msg)
{
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
}

/* The first sentence: what is wrong with the certificate. */
static char *
describe_certificate (SoupMessage          *msg,
                      GTlsCertificateFlags  flags)
{
  /* Not signed by a known authority: nothing else it says can be believed. */
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("The platform’s certificate is not trusted: no certificate authority "
                       "this computer knows has signed it."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("The platform’s certificate has been revoked."));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("The platform’s certificate has expired."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("The platform’s certificate is not valid yet: check this computer’s "
                       "date and time."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      GUri *uri = soup_message_get_uri (msg);
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      /* Translators: %s is the host name or address of the platform */
      return g_strdup_printf (_("The platform’s certificate is for another name, not %s."),
                              host != NULL ? host : "?");
    }
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return g_strdup (_("The platform’s certificate uses an algorithm that is no longer safe."));
  return g_strdup (_("The platform’s certificate is not valid."));
}

GError *
sc_platform_client_tls_map_error (SoupMessage  *msg,
                                  const GError *error)
{
  GTlsCertificateFlags flags;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != G_TLS_ERROR)
    return NULL;

  switch ((GTlsError) error->code)
    {
    case G_TLS_ERROR_BAD_CERTIFICATE:
    case G_TLS_ERROR_NOT_TLS:
    case G_TLS_ERROR_HANDSHAKE:
    case G_TLS_ERROR_CERTIFICATE_REQUIRED:
    case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
      break;
    case G_TLS_ERROR_UNAVAILABLE:
    case G_TLS_ERROR_MISC:
    case G_TLS_ERROR_EOF:
    case G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD:
    default:
      /* A connection cut in the middle: the network's business. */
      return NULL;
    }

  flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), TLS_ERRORS_KEY));
  if (flags == 0)
    flags = soup_message_get_tls_peer_certificate_errors (msg);

  if (flags != 0 || error->code == G_TLS_ERROR_BAD_CERTIFICATE)
    reason = describe_certificate (msg, flags);
  else
    /* Translators: %s is what the TLS library said, in English */
    reason = g_strdup_printf (_("A secure connection to the platform could not be set up "
                                "(%s)."),
                              error->message);

  return g_error_new (SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CERTIFICATE,
                      /* Translators: the first %s says what is wrong with the
                       * platform's certificate (one of the sentences above) */
                      _("%s The connection was refused for your safety; ask your "
                        "administrator."),
                      reason);
}
