/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-server-private.h"

#include <glib/gi18n-lib.h>

/* Login throttle (DESIGN §13), per store + clerk and per peer address, in
 * this process's memory: after LOGIN_FREE_FAILURES failures in a row, a
 * wait of LOGIN_FIRST_WAIT_S, doubled for each further failure, at most
 * LOGIN_MAX_WAIT_S. A success clears both counts; a count left alone for
 * LOGIN_FORGET_S is forgotten. Platform clock (the admin clock moves it). */
#define LOGIN_FREE_FAILURES  5
#define LOGIN_FIRST_WAIT_S   30
#define LOGIN_MAX_WAIT_S     3600
#define LOGIN_FORGET_S       (24 * 3600)
#define LOGIN_MAX_TRACKED    10000

typedef struct
{
  int     failures;      /* in a row */
  int     in_flight;     /* logins being checked now */
  gint64  locked_until;  /* platform clock, unix s */
  gint64  last_at;
} LoginAttempts;

static gboolean
login_attempts_forgettable (gpointer key,
                            gpointer value,
                            gpointer user_data)
{
  LoginAttempts *a = value;
  gint64 now = *(gint64 *) user_data;

  return a->in_flight == 0 && a->locked_until <= now && now - a->last_at > LOGIN_FORGET_S;
}

static LoginAttempts *
login_attempts_get (ScPlatformServer *self,
                    const char       *key,
                    gint64            now)
{
  LoginAttempts *a = g_hash_table_lookup (self->login_attempts, key);

  if (a != NULL && a->in_flight == 0 && a->locked_until <= now &&
      now - a->last_at > LOGIN_FORGET_S)
    a->failures = 0;
  if (a == NULL)
    {
      if (g_hash_table_size (self->login_attempts) >= LOGIN_MAX_TRACKED)
        g_hash_table_foreach_remove (self->login_attempts, login_attempts_forgettable, &now);
      a = g_new0 (LoginAttempts, 1);
      a->last_at = now;
      g_hash_table_insert (self->login_attempts, g_strdup (key), a);
    }
  return a;
}

typedef enum
{
  LOGIN_ADMITTED,  /* counted in flight until settled */
  LOGIN_REFUSED,   /* answered 429 too_many_attempts with Retry-After */
  LOGIN_HELD,      /* as many tries in flight as failures still allowed: wait for one */
} LoginAdmission;

static LoginAdmission
login_attempts_admit (Call       *call,
                      const char *store_id,
                      const char *clerk_id)
{
  ScPlatformServer *self = call->self;
  g_autofree char *clerk_key = g_strdup_printf ("s:%s\n%s", store_id, clerk_id);
  const char *peer = soup_server_message_get_remote_host (call->msg);
  g_autofree char *peer_key = g_strdup_printf ("p:%s", peer != NULL ? peer : "");
  gint64 now = sc_platform_server_now (self);
  LoginAttempts *attempts[2];
  gboolean held = FALSE;
  gint64 wait = 0;

  attempts[0] = login_attempts_get (self, clerk_key, now);
  attempts[1] = login_attempts_get (self, peer_key, now);
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      if (attempts[i]->locked_until > now)
        wait = MAX (wait, attempts[i]->locked_until - now);
      /* Tries sent side by side count as failures until they are not:
       * they wait their turn, so that no more guesses are checked than
       * failures are still allowed, and honest logins are only delayed. */
      else if (attempts[i]->failures + attempts[i]->in_flight >= LOGIN_FREE_FAILURES &&
               attempts[i]->in_flight > 0)
        held = TRUE;
    }

  if (wait > 0)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(ScPlatformReply) reply = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "retry_after_s");
      json_builder_add_int_value (b, wait);
      json_builder_end_object (b);
      reply = sc_platform_reply_new_error (429, "too_many_attempts",
                                           _("Too many wrong PINs. Try again later."),
                                           json_builder_get_root (b));
      reply->retry_after_s = (guint) wait;
      call_respond (call, reply);
      return LOGIN_REFUSED;
    }
  if (held)
    return LOGIN_HELD;

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    attempts[i]->in_flight++;
  call->login_keys[0] = g_steal_pointer (&clerk_key);
  call->login_keys[1] = g_steal_pointer (&peer_key);
  return LOGIN_ADMITTED;
}

void
login_try (Call              *call,
           ScPlatformRequest *req)
{
  switch (login_attempts_admit (call, req->store_id, req->clerk_id))
    {
    case LOGIN_ADMITTED:
      call_run (call, req);
      break;
    case LOGIN_REFUSED:
      sc_platform_request_free (req);
      break;
    case LOGIN_HELD:
      call_pause (call);
      call->login_req = req;
      g_queue_push_tail (&call->self->login_waiting, call);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
login_waiting_resume (ScPlatformServer *self)
{
  GQueue waiting = self->login_waiting;

  g_queue_init (&self->login_waiting);
  while (!g_queue_is_empty (&waiting))
    {
      Call *call = g_queue_pop_head (&waiting);
      ScPlatformRequest *req = g_steal_pointer (&call->login_req);

      if (call->gone || self->stopped)
        {
          /* Nobody to answer: end the call. */
          sc_platform_request_free (req);
          call_respond_error (call, 503, "busy", _("The platform is busy. Try again."));
          continue;
        }
      login_try (call, req);
    }
}

void
login_attempts_settle (Call  *call,
                       guint  status)
{
  ScPlatformServer *self = call->self;
  gint64 now = sc_platform_server_now (self);

  for (guint i = 0; i < G_N_ELEMENTS (call->login_keys); i++)
    {
      LoginAttempts *a = g_hash_table_lookup (self->login_attempts, call->login_keys[i]);

      if (a == NULL)
        continue;
      a->in_flight = MAX (a->in_flight - 1, 0);
      if (status == 401)
        {
          a->failures++;
          a->last_at = now;
          if (a->failures >= LOGIN_FREE_FAILURES)
            {
              int doublings = MIN (a->failures - LOGIN_FREE_FAILURES, 8);

              a->locked_until = now + MIN ((gint64) LOGIN_FIRST_WAIT_S << doublings,
                                           LOGIN_MAX_WAIT_S);
            }
        }
      else if (status >= 200 && status < 300)
        {
          a->failures = 0;
          a->locked_until = 0;
          a->last_at = now;
        }
    }
  g_clear_pointer (&call->login_keys[0], g_free);
  g_clear_pointer (&call->login_keys[1], g_free);
  if (!g_queue_is_empty (&self->login_waiting))
    login_waiting_resume (self);
}
