/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-connectivity.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-db.h"
#include "sc-secret.h"
#include "sc-time.h"

#define OFFLINE_LOGIN_MAX_AGE_S (7 * 24 * 60 * 60)

/* ------------------------------------------------------------------ */
/* Login                                                                */

void
sc_counter_clear_offline_pin (ScCounter *self)
{
  g_clear_pointer (&self->offline_pin, sc_secret_free);
}

typedef struct
{
  char *store_id;
  char *clerk_id;
  char *pin;       /* (owned) wiped when freed */
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->store_id);
  g_free (data->clerk_id);
  sc_secret_free (data->pin);
  g_free (data);
}

static void
offline_login_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_refreshing--;
  if (sc_cache_save_offline_login_finish (SC_CACHE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A platform that sends no store key: offline logins say so. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
    g_debug ("Cannot keep the login for offline use: %s", error->message);
  else
    g_warning ("Cannot keep the login for offline use: %s", error->message);
}

/* An online login worked: keep what an offline login needs; the session
 * starts the clock check and sends what waited. */
static void
logged_in_online (ScCounter       *self,
                  const ScSession *session,
                  const char      *pin)
{
  sc_counter_clear_offline_pin (self);
  sc_counter_set_session (self, session);
  sc_connectivity_mark_reachable (self->connectivity);

  self->n_refreshing++;
  sc_cache_save_offline_login_async (self->cache, sc_platform_client_get_base_url (self->client),
                                     session, pin, sc_time_now_unix (), self->cancellable,
                                     offline_login_saved_cb, g_object_ref (self));
}

static void
login_offline_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GError *network_error = g_object_get_data (G_OBJECT (task), "network-error");
  gint64 logged_in_at = 0;
  gint64 age;

  if (!sc_cache_check_offline_login_finish (SC_CACHE (object), result, &session,
                                            &logged_in_at, &error))
    {
      /* Never logged in online here: all there is to say is that the
       * platform cannot be reached. */
      if (g_error_matches (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND))
        g_task_return_error (task, g_error_copy (network_error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_NO_KEY,
                                 "%s", error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  age = sc_time_now_unix () - logged_in_at;
  /* A login from the future: the clock went back since, and would stretch
   * the 7 days as far as it went back. */
  if (age < 0)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD,
                               _("Cannot reach the platform, and this computer’s clock is "
                                 "behind the last online login here: set the right time, "
                                 "or connect to the network to log in online"));
      return;
    }
  if (age >= OFFLINE_LOGIN_MAX_AGE_S)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_OFFLINE_LOGIN_TOO_OLD,
                               _("Cannot reach the platform, and the last online login "
                                 "of this clerk here was more than 7 days ago: connect "
                                 "to the network to log in"));
      return;
    }

  if (session == NULL)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_WRONG_PIN,
                               _("Wrong PIN (checked at this counter: the platform "
                                 "cannot be reached)"));
      return;
    }

  sc_counter_set_session (self, session);
  /* Kept in memory only, to log in online once the platform answers. */
  self->offline_pin = g_strdup (data->pin);
  g_task_return_boolean (task, TRUE);

  /* The platform may have come back while the PIN was checked. */
  if (sc_connectivity_get_online (self->connectivity))
    sc_counter_relogin (self);
}

/* "Too many wrong PINs. Try again in 2 minutes." */
static GError *
too_many_attempts_error (int seconds)
{
  if (seconds <= 0)
    return g_error_new_literal (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                                _("Too many wrong PINs. Try again later."));
  if (seconds < 60)
    return g_error_new (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "Too many wrong PINs. Try again in %d second.",
                                     "Too many wrong PINs. Try again in %d seconds.", seconds),
                        seconds);
  return g_error_new (SC_COUNTER_ERROR, SC_COUNTER_ERROR_TOO_MANY_ATTEMPTS,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "Too many wrong PINs. Try again in %d minute.",
                                   "Too many wrong PINs. Try again in %d minutes.",
                                   (seconds + 59) / 60),
                      (seconds + 59) / 60);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    {
      sc_connectivity_note_error (self->connectivity, error);
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_RATE_LIMITED) &&
          g_strcmp0 (sc_platform_error_get_api_code (error), "too_many_attempts") == 0)
        {
          g_task_return_error (task, too_many_attempts_error (
                                       sc_platform_error_get_retry_after (error)));
          return;
        }
      if (sc_counter_error_is_unreachable (error))
        {
          /* Offline login: the PIN is checked against the verifier the last
           * online login left here. */
          g_object_set_data_full (G_OBJECT (task), "network-error", g_steal_pointer (&error),
                                  (GDestroyNotify) g_error_free);
          sc_cache_check_offline_login_async (self->cache,
                                              sc_platform_client_get_base_url (self->client),
                                              data->store_id, data->clerk_id, data->pin,
                                              g_task_get_cancellable (task),
                                              login_offline_cb, g_object_ref (task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  logged_in_online (self, session, data->pin);
  g_task_return_boolean (task, TRUE);
}

void
sc_counter_login_async (ScCounter           *self,
                        const char          *store_id,
                        const char          *clerk_id,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *data;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (store_id != NULL && clerk_id != NULL && pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_login_async);
  data = g_new0 (LoginData, 1);
  data->store_id = g_strdup (store_id);
  data->clerk_id = g_strdup (clerk_id);
  data->pin = g_strdup (pin);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  sc_platform_client_login_async (self->client, store_id, clerk_id, pin, cancellable,
                                  login_cb, g_steal_pointer (&task));
}

/* The platform answers again and the session is offline: log in online
 * with the PIN kept in memory, so the outbox can go. */
static void
relogin_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(ScSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSecretText) pin = NULL;

  self->relogin_busy = FALSE;
  session = sc_platform_client_login_finish (SC_PLATFORM_CLIENT (object), result, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      sc_connectivity_note_error (self->connectivity, error);
      if (!sc_counter_error_is_unreachable (error) &&
          !sc_counter_error_is_certificate (error))
        {
          /* The platform refuses the PIN (changed since?): forget it. The
           * session stays offline; the next request says the login has
           * expired, and the window asks for the PIN. */
          g_message ("Cannot log in online again: %s", error->message);
          sc_counter_clear_offline_pin (self);
        }
      return;
    }

  /* Still the same clerk, still offline? (A logout or another login may
   * have come meanwhile.) */
  if (self->session == NULL || self->session->token != NULL || self->offline_pin == NULL ||
      g_strcmp0 (self->session->store_id, session->store_id) != 0 ||
      g_strcmp0 (self->session->clerk_id, session->clerk_id) != 0)
    return;

  pin = g_strdup (self->offline_pin);
  logged_in_online (self, session, pin);
  g_clear_pointer (&pin, sc_secret_free);
}

void
sc_counter_relogin (ScCounter *self)
{
  if (self->relogin_busy || self->session == NULL || self->session->token != NULL ||
      self->offline_pin == NULL)
    return;

  self->relogin_busy = TRUE;
  sc_platform_client_login_async (self->client, self->session->store_id,
                                  self->session->clerk_id, self->offline_pin,
                                  self->cancellable, relogin_cb, g_object_ref (self));
}

gboolean
sc_counter_login_finish (ScCounter     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Logout                                                               */

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ScCounter) self = user_data;
  g_autoptr(GError) error = NULL;

  self->n_refreshing--;
  if (!sc_platform_client_logout_finish (SC_PLATFORM_CLIENT (object), result, &error))
    g_debug ("The platform did not revoke the session: %s", error->message);
}

void
sc_counter_logout (ScCounter *self)
{
  g_return_if_fail (SC_IS_COUNTER (self));

  /* An online session's token goes to the platform to be revoked; the
   * client forgets it at once, whatever the answer. */
  if (self->session != NULL && self->session->token != NULL &&
      sc_platform_client_get_token (self->client) != NULL)
    {
      /* Counted as work in flight, so that a caller about to exit (the
       * CLI) waits for it. */
      self->n_refreshing++;
      sc_platform_client_logout_async (self->client, NULL, logout_cb, g_object_ref (self));
    }
  sc_counter_set_session (self, NULL);
}
