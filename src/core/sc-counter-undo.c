/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-connectivity.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-db.h"
#include "sc-sync.h"
#include "sc-time.h"

#define DEFAULT_UNDO_WINDOW_S 120

/* ------------------------------------------------------------------ */
/* Undo                                                                 */

static void undo_with (GTask        *task,
                       ScRedemption *redemption);

static void
undo_recorded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sc_cache_update_redemption_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sc_counter_emit_redemption_changed (self, redemption);
  sc_sync_refresh_counts (self->sync);
  g_task_return_pointer (task, sc_redemption_copy (redemption),
                         (GDestroyNotify) sc_redemption_free);
}

static void
undo_record (GTask             *task,
             ScRedemptionState  state)
{
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);

  redemption->state = state;
  redemption->updated_at = sc_time_now_unix ();
  sc_cache_update_redemption_async (self->cache, redemption->id, state, 0, -1, NULL, 0,
                                    g_task_get_cancellable (task), undo_recorded_cb,
                                    g_object_ref (task));
}

static void
undo_reversed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gint64 reversed_at = 0;

  if (!sc_platform_client_reverse_finish (SC_PLATFORM_CLIENT (object), result,
                                          &reversed_at, &error))
    {
      sc_counter_note_error (self, task, error);
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_CONFLICT) &&
          g_strcmp0 (sc_platform_error_get_api_code (error), "undo_window_passed") == 0)
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNDO_WINDOW_PASSED,
                                 _("Too late to undo: the undo window has passed"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sc_connectivity_mark_reachable (self->connectivity);
  undo_record (task, SC_REDEMPTION_STATE_REVERSED);
}

/* Reverses the task's redemption on the platform, with a key of its own. */
static void
undo_reverse (GTask *task)
{
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);
  g_autofree char *key = g_uuid_string_random ();

  sc_platform_client_reverse_async (self->client, redemption->id, key,
                                    g_task_get_cancellable (task), undo_reversed_cb,
                                    g_object_ref (task));
}

static void
undo_resolved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (task);
  g_autoptr(ScRedemption) recorded = NULL;
  g_autoptr(GError) error = NULL;

  recorded = sc_platform_client_get_redemption_finish (SC_PLATFORM_CLIENT (object), result,
                                                       &error);
  if (recorded == NULL)
    {
      if (g_error_matches (error, SC_PLATFORM_ERROR, SC_PLATFORM_ERROR_NOT_FOUND))
        {
          /* Never arrived: withdraw it here, it will not be sent. */
          sc_connectivity_mark_reachable (self->connectivity);
          sc_sync_withdraw (self->sync, redemption->id);
          undo_record (task, SC_REDEMPTION_STATE_WITHDRAWN);
          return;
        }
      sc_counter_note_error (self, task, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sc_connectivity_mark_reachable (self->connectivity);
  undo_reverse (task);
}

static void undo_got_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
undo_after_send_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  ScRedemption *redemption = g_task_get_task_data (G_TASK (result));
  g_autofree char *id = g_strdup (redemption->id);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* The send is over; read where it stands now, then decide again. */
  sc_cache_get_redemption_async (self->cache, id, cancellable, undo_got_cb,
                                 g_steal_pointer (&task));
}

/* Takes @task and @redemption. */
static void
undo_with (GTask        *task_in,
           ScRedemption *redemption_in)
{
  g_autoptr(GTask) task = task_in;
  g_autoptr(ScRedemption) redemption = redemption_in;
  ScCounter *self = g_task_get_source_object (task);
  int window = self->session != NULL ? self->session->undo_window_s : DEFAULT_UNDO_WINDOW_S;
  gint64 since = redemption->redeemed_at > 0 ? redemption->redeemed_at : redemption->created_at;

  if (g_strcmp0 (sc_sync_get_inflight_id (self->sync), redemption->id) == 0)
    {
      /* Being sent right now: wait for the answer, then decide. */
      g_autoptr(GTask) wait = g_task_new (self, g_task_get_cancellable (task),
                                          undo_after_send_cb, g_object_ref (task));

      g_task_set_task_data (wait, g_steal_pointer (&redemption),
                            (GDestroyNotify) sc_redemption_free);
      sc_sync_add_waiter (self->sync, sc_sync_get_inflight_id (self->sync), wait);
      return;
    }

  switch (redemption->state)
    {
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
    case SC_REDEMPTION_STATE_SYNCED:
      break;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_NOTHING_TO_UNDO,
                               _("Nothing to undo: this redemption is %s"),
                               sc_redemption_state_get_label (redemption->state));
      return;
    }

  if (sc_time_now_unix () - since > window)
    {
      g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNDO_WINDOW_PASSED,
                               _("Too late to undo: the undo window has passed"));
      return;
    }

  g_task_set_task_data (task, sc_redemption_copy (redemption),
                        (GDestroyNotify) sc_redemption_free);

  if (redemption->state == SC_REDEMPTION_STATE_PENDING)
    {
      /* Never sent: take it back here, and never send it. */
      sc_sync_withdraw (self->sync, redemption->id);
      undo_record (task, SC_REDEMPTION_STATE_WITHDRAWN);
    }
  else if (redemption->state == SC_REDEMPTION_STATE_UNCERTAIN)
    {
      /* Sent, but did it arrive? Ask first. */
      sc_platform_client_get_redemption_async (self->client, redemption->id,
                                               g_task_get_cancellable (task),
                                               undo_resolved_cb, g_object_ref (task));
    }
  else
    {
      /* SYNCED (the only other state the switch above lets through). */
      undo_reverse (task);
    }
}

static void
undo_got_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ScRedemption) redemption = NULL;
  g_autoptr(GError) error = NULL;

  redemption = sc_cache_get_redemption_finish (SC_CACHE (object), result, &error);
  if (redemption == NULL)
    {
      if (g_error_matches (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND))
        g_task_return_new_error (task, SC_COUNTER_ERROR, SC_COUNTER_ERROR_UNKNOWN_REDEMPTION,
                                 _("No redemption with this ID was made at this counter"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  undo_with (g_steal_pointer (&task), g_steal_pointer (&redemption));
}

void
sc_counter_undo_async (ScCounter           *self,
                       const char          *redemption_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (redemption_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_undo_async);
  sc_counter_task_set_session (self, task);
  sc_cache_get_redemption_async (self->cache, redemption_id, cancellable,
                                 undo_got_cb, g_steal_pointer (&task));
}

ScRedemption *
sc_counter_undo_finish (ScCounter     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
