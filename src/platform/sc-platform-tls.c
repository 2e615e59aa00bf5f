/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-tls.c: the certificate the reference platform serves HTTPS
 * with. GLib loads a certificate and a private key without checking that
 * the key is the certificate's; a wrong pair would only fail at each
 * client's handshake. So the pair is tried once at start: a server and a
 * client connection shake hands over a local socket pair, on a private
 * main context.
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sc-platform-tls.h"

#define HANDSHAKE_TIMEOUT_S 10

typedef struct
{
  int           pending;
  GCancellable *cancellable;   /* (unowned) */
  GError       *server_error;  /* (owned) (nullable) */
  GError       *client_error;  /* (owned) (nullable) */
} Handshake;

/* A side that fails stops the other, which would wait for it forever. */
static void
handshake_done (Handshake     *handshake,
                GObject       *object,
                GAsyncResult  *result,
                GError       **error)
{
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, error))
    g_cancellable_cancel (handshake->cancellable);
  handshake->pending--;
}

static void
server_handshake_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Handshake *handshake = user_data;

  handshake_done (handshake, object, result, &handshake->server_error);
}

static void
client_handshake_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Handshake *handshake = user_data;

  handshake_done (handshake, object, result, &handshake->client_error);
}

/* The error that says why, rather than the other side's "cancelled". */
static GError *
first_cause (Handshake *handshake)
{
  if (handshake->server_error != NULL &&
      !g_error_matches (handshake->server_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&handshake->server_error);
  if (handshake->client_error != NULL)
    return g_steal_pointer (&handshake->client_error);
  return g_steal_pointer (&handshake->server_error);
}

/* Only the key is on trial here, not who signed the certificate. */
static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *peer_certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GIOStream *
stream_from_fd (int      fd,
                GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

/* One handshake with @certificate over a socket pair. */
static gboolean
try_handshake (GTlsCertificate  *certificate,
               GError          **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GIOStream) server_base = NULL;
  g_autoptr(GIOStream) client_base = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GIOStream) client = NULL;
  Handshake handshake = { 0 };
  gboolean ok;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
      return FALSE;
    }
  server_base = stream_from_fd (fds[0], error);
  if (server_base == NULL)
    {
      close (fds[1]);
      return FALSE;
    }
  client_base = stream_from_fd (fds[1], error);
  if (client_base == NULL)
    return FALSE;

  server = g_tls_server_connection_new (server_base, certificate, error);
  if (server == NULL)
    return FALSE;
  client = g_tls_client_connection_new (client_base, NULL, error);
  if (client == NULL)
    return FALSE;
  g_signal_connect (client, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);

  g_main_context_push_thread_default (context);
  timeout = g_timeout_source_new_seconds (HANDSHAKE_TIMEOUT_S);
  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, context);

  handshake.pending = 2;
  handshake.cancellable = cancellable;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT, cancellable,
                                    server_handshake_cb, &handshake);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT, cancellable,
                                    client_handshake_cb, &handshake);
  while (handshake.pending > 0)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  ok = handshake.server_error == NULL && handshake.client_error == NULL;
  if (!ok)
    g_propagate_error (error, first_cause (&handshake));
  g_clear_error (&handshake.server_error);
  g_clear_error (&handshake.client_error);
  return ok;
}

GTlsCertificate *
sc_platform_tls_load (const char  *cert_file,
                      const char  *key_file,
                      GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (cert_file != NULL && key_file != NULL, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("TLS is not available on this computer: install glib-networking"));
      return NULL;
    }

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: two file names, then what is wrong with them */
                   _("Cannot use the TLS certificate %s with the key %s: %s"),
                   cert_file, key_file, local_error->message);
      return NULL;
    }

  if (!try_handshake (certificate, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: two file names, then what TLS said */
                   _("The TLS key %s does not belong to the certificate %s: a test "
                     "handshake failed (%s)"),
                   key_file, cert_file, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&certificate);
}
