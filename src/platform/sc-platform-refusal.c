/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-refusal.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-platform-store-types.h"

#define REFUSAL_DRAIN_MS  5000   /* how long a refused client may keep sending */

/* A connection answered 413 before its body was read: the answer is
 * written, our side shut, and whatever the client still sends is read and
 * dropped (so that it sees the answer rather than a reset) for at most
 * REFUSAL_DRAIN_MS, then the connection is closed. */
typedef struct
{
  GIOStream    *stream;       /* (owned) */
  GSocket      *socket;       /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) */
  char         *answer;       /* (owned) */
  guint         timeout_id;
  char          buffer[16384];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_io_stream_close (refusal->stream, NULL, NULL);
  if (refusal->socket != NULL)
    g_socket_close (refusal->socket, NULL);
  g_clear_object (&refusal->stream);
  g_clear_object (&refusal->socket);
  g_clear_object (&refusal->cancellable);
  g_free (refusal->answer);
  g_free (refusal);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->timeout_id = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
refusal_drain_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_LOW, refusal->cancellable, refusal_drain_cb, refusal);
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  if (refusal->socket != NULL)
    g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_LOW, refusal->cancellable,
                             refusal_drain_cb, refusal);
}

void
sc_platform_refuse_too_large (SoupServerMessage *msg,
                              gboolean           verbose)
{
  g_autoptr(ScPlatformReply) reply = NULL;
  GSocket *socket = soup_server_message_get_socket (msg);
  Refusal *refusal;

  if (verbose)
    g_printerr ("%s %s -> 413 (body too large)\n", soup_server_message_get_method (msg),
                g_uri_get_path (soup_server_message_get_uri (msg)));

  refusal = g_new0 (Refusal, 1);
  refusal->socket = socket != NULL ? g_object_ref (socket) : NULL;
  refusal->stream = soup_server_message_steal_connection (msg);
  if (refusal->stream == NULL)
    {
      g_clear_object (&refusal->socket);
      g_free (refusal);
      return;
    }
  refusal->cancellable = g_cancellable_new ();
  reply = sc_platform_reply_new_error (413, "too_large", _("The request is too large."), NULL);
  refusal->answer = g_strdup_printf ("HTTP/1.1 413 Request Entity Too Large\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: %zu\r\n"
                                     "Cache-Control: no-store\r\n"
                                     "Connection: close\r\n"
                                     "\r\n%s", strlen (reply->body), reply->body);
  refusal->timeout_id = g_timeout_add (REFUSAL_DRAIN_MS, refusal_timeout_cb, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   refusal->answer, strlen (refusal->answer), G_PRIORITY_DEFAULT,
                                   refusal->cancellable, refusal_written_cb, refusal);
}
