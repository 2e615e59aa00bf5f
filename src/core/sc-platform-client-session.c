/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sc-platform-client-session.c: ScPlatformClient's sessions (login,
 * logout) and the health probe, with their readers.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-json-reader.h"
#include "sc-platform-client.h"
#include "sc-platform-client-private.h"
#include "sc-secret.h"
#include "sc-store-key.h"
#include "sc-verdict.h"

/* ------------------------------------------------------------------------ */
/* Login                                                                     */

static gpointer
parse_session (ScPlatformClient  *self,
               gpointer           call_data,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(ScSession) session = sc_session_new ();
  JsonObject *store = NULL;
  JsonObject *clerk = NULL;
  const char *token = NULL;
  const char *store_id = NULL;
  const char *store_name = NULL;
  const char *store_timezone = NULL;
  const char *clerk_id = NULL;
  const char *clerk_name = NULL;
  const char *platform_id = NULL;
  const char *manifest_key = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  gint64 undo_window_s = 0;

  if (!sc_json_read_string (root, "", "token", SC_JSON_REQUIRED | SC_JSON_NON_EMPTY, &token,
                            error) ||
      !sc_json_read_time (root, "", "expires_at", SC_JSON_REQUIRED, &expires_at, error) ||
      !sc_json_read_object (root, "", "store", SC_JSON_REQUIRED, &store, error) ||
      !sc_json_read_object (root, "", "clerk", SC_JSON_REQUIRED, &clerk, error) ||
      !sc_json_read_int (root, "", "undo_window_s", SC_JSON_REQUIRED, 0, G_MAXINT, NULL,
                         &undo_window_s, error) ||
      !sc_json_read_string (root, "", "platform_id", SC_JSON_OPTIONAL, &platform_id, error) ||
      !sc_json_read_string (store, "store", "id", SC_JSON_REQUIRED, &store_id, error) ||
      !sc_json_read_string (store, "store", "name", SC_JSON_REQUIRED, &store_name, error) ||
      !sc_json_read_string (store, "store", "timezone", SC_JSON_REQUIRED, &store_timezone,
                            error) ||
      !sc_json_read_string (clerk, "clerk", "id", SC_JSON_REQUIRED, &clerk_id, error) ||
      !sc_json_read_string (clerk, "clerk", "name", SC_JSON_REQUIRED, &clerk_name, error) ||
      !sc_json_read_string (root, "", "manifest_key", SC_JSON_OPTIONAL, &manifest_key, error))
    return NULL;

  /* The store's key for offline checks (sc-store-key.h); a platform that
   * sends none leaves offline checks to say they cannot be made. */
  if (manifest_key != NULL && !sc_store_key_is_valid (manifest_key))
    {
      sc_json_reader_set_error (error, SC_JSON_READER_ERROR_INVALID, "", "manifest_key");
      return NULL;
    }

  session->token = g_strdup (token);
  session->manifest_key = g_strdup (manifest_key);
  session->expires_at = g_steal_pointer (&expires_at);
  session->store_id = g_strdup (store_id);
  session->store_name = g_strdup (store_name);
  session->store_timezone = g_strdup (store_timezone);
  session->clerk_id = g_strdup (clerk_id);
  session->clerk_name = g_strdup (clerk_name);
  session->undo_window_s = (int) undo_window_s;
  if (platform_id != NULL && *platform_id != '\0')
    session->platform_id = g_strdup (platform_id);

  sc_platform_client_set_token (self, session->token);
  sc_platform_client_set_platform_id (self, session->platform_id);

  return g_steal_pointer (&session);
}

void
sc_platform_client_login_async (ScPlatformClient    *self,
                                const char          *store_id,
                                const char          *clerk_id,
                                const char          *pin,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  char *pin_copy;   /* (unowned) json-glib's */
  GTask *task;

  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (clerk_id != NULL);
  g_return_if_fail (pin != NULL);

  task = sc_platform_client_request_new (self, cancellable, callback, user_data,
                                         sc_platform_client_login_async,
                                         parse_session, (GDestroyNotify) sc_session_free);

  json_object_set_string_member (body, "store_id", store_id);
  json_object_set_string_member (body, "clerk_id", clerk_id);
  json_object_set_string_member (body, "pin", pin);
  sc_platform_client_request_start_json (self, task, "POST", "/v1/sessions", body, NULL);

  /* The body is serialized: wipe json-glib's copy of the PIN. */
  pin_copy = (char *) json_object_get_string_member (body, "pin");
  sc_secret_wipe (pin_copy, strlen (pin_copy));
}

ScSession *
sc_platform_client_login_finish (ScPlatformClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_login_async, error);
}

/* ------------------------------------------------------------------------ */
/* Logout                                                                    */

static gpointer
parse_logout (ScPlatformClient  *self,
              gpointer           call_data,
              JsonObject        *root,
              GError           **error)
{
  return GINT_TO_POINTER (TRUE);
}

void
sc_platform_client_logout_async (ScPlatformClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  /* The request carries the token; from now on the client has none. */
  sc_platform_client_send_async (self, "DELETE", "/v1/sessions/current",
                                 sc_platform_client_logout_async, parse_logout, NULL,
                                 cancellable, callback, user_data);
  sc_platform_client_set_token (self, NULL);
}

gboolean
sc_platform_client_logout_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_logout_async,
                                            error) != NULL;
}

/* ------------------------------------------------------------------------ */
/* Health                                                                    */

static gpointer
parse_health (ScPlatformClient  *self,
              gpointer           call_data,
              JsonObject        *root,
              GError           **error)
{
  const char *status = NULL;
  const char *platform_id = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!sc_json_read_string (root, "", "status", SC_JSON_REQUIRED, &status, error) ||
      !sc_json_read_time (root, "", "time", SC_JSON_REQUIRED, &time, error) ||
      !sc_json_read_string (root, "", "platform_id", SC_JSON_OPTIONAL, &platform_id, error))
    return NULL;

  if (g_strcmp0 (status, "ok") != 0)
    {
      g_set_error_literal (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_SERVER,
                           _("The platform is not ready: try again in a moment"));
      return NULL;
    }

  if (platform_id != NULL && *platform_id != '\0')
    sc_platform_client_set_platform_id (self, platform_id);
  return g_steal_pointer (&time);
}

void
sc_platform_client_health_async (ScPlatformClient    *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SC_IS_PLATFORM_CLIENT (self));

  sc_platform_client_send_async (self, "GET", "/v1/health", sc_platform_client_health_async,
                                 parse_health, (GDestroyNotify) g_date_time_unref,
                                 cancellable, callback, user_data);
}

GDateTime *
sc_platform_client_health_finish (ScPlatformClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return sc_platform_client_request_finish (self, result, sc_platform_client_health_async, error);
}

/* ------------------------------------------------------------------------ */
/* The readers alone (sc-platform-client-private.h)                          */

ScSession *
sc_platform_read_session (ScPlatformClient  *client,
                          JsonObject        *root,
                          GError           **error)
{
  g_return_val_if_fail (SC_IS_PLATFORM_CLIENT (client), NULL);
  g_return_val_if_fail (root != NULL, NULL);

  return sc_platform_client_run_parse (client, parse_session, NULL, root, 200, error);
}

GDateTime *
sc_platform_read_health (JsonObject  *root,
                         GError     **error)
{
  g_return_val_if_fail (root != NULL, NULL);

  return sc_platform_client_run_parse (NULL, parse_health, NULL, root, 200, error);
}
