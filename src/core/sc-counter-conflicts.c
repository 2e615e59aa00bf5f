/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-connectivity.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-time.h"

/* ------------------------------------------------------------------ */
/* Conflicts                                                            */

/* When the store's day that holds @now began (unix s), and in how many
 * seconds the next one begins; the local zone when the store's is unknown
 * here. */
static gint64
store_day_start (const ScSession *session,
                 gint64           now,
                 gint64          *out_seconds_left)
{
  g_autoptr(GTimeZone) tz = sc_time_zone_new (session != NULL ? session->store_timezone : NULL);

  return sc_time_day_start (tz, now, out_seconds_left);
}

typedef struct
{
  ScCounter *self;      /* (owned) */
  char      *store_id;  /* (owned) the store they were counted for */
} ConflictCount;

static void
conflict_count_free (ConflictCount *count)
{
  g_clear_object (&count->self);
  g_free (count->store_id);
  g_free (count);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConflictCount, conflict_count_free)

void
sc_counter_set_conflicts (ScCounter *self,
                          guint      conflicts)
{
  if (self->conflicts == conflicts)
    return;
  self->conflicts = conflicts;
  sc_counter_notify (self, SC_COUNTER_PROP_CONFLICTS);
}

static void
count_conflicts_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ConflictCount) count = user_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *self = count->self;
  guint open = 0;

  self->n_refreshing--;
  conflicts = sc_cache_list_conflicts_finish (SC_CACHE (object), result, &error);
  if (conflicts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the conflicts: %s", error->message);
      return;
    }

  /* Counted for a session that has ended since. */
  if (self->session == NULL || g_strcmp0 (self->session->store_id, count->store_id) != 0)
    return;

  for (guint i = 0; i < conflicts->len; i++)
    {
      const ScConflict *conflict = g_ptr_array_index (conflicts, i);

      if (conflict->acknowledged_at == 0)
        open++;
    }
  sc_counter_set_conflicts (self, open);
}

void
sc_counter_refresh_conflicts (ScCounter *self)
{
  ConflictCount *count;

  if (self->session == NULL)
    {
      sc_counter_set_conflicts (self, 0);
      return;
    }

  count = g_new0 (ConflictCount, 1);
  count->self = g_object_ref (self);
  count->store_id = g_strdup (self->session->store_id);
  self->n_refreshing++;
  sc_cache_list_conflicts_async (self->cache, count->store_id,
                                 store_day_start (self->session, sc_time_now_unix (), NULL),
                                 self->cancellable, count_conflicts_cb, count);
}

static gboolean day_timer_cb (gpointer user_data);

/* Recounts when the store's day turns: yesterday's conflicts leave the
 * count. The timer holds no reference: dispose removes it. */
void
sc_counter_schedule_day_timer (ScCounter *self)
{
  gint64 seconds_left = 0;

  g_clear_handle_id (&self->day_timer_id, g_source_remove);
  if (self->session == NULL)
    return;
  store_day_start (self->session, sc_time_now_unix (), &seconds_left);
  self->day_timer_id = g_timeout_add_seconds ((guint) MIN (seconds_left + 1, G_MAXUINT),
                                              day_timer_cb, self);
}

static gboolean
day_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  self->day_timer_id = 0;
  sc_counter_refresh_conflicts (self);
  sc_counter_schedule_day_timer (self);
  return G_SOURCE_REMOVE;
}

guint
sc_counter_get_conflicts (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->conflicts;
}

static void
list_conflicts_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *conflicts;
  GError *error = NULL;

  conflicts = sc_cache_list_conflicts_finish (SC_CACHE (object), result, &error);
  if (conflicts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conflicts, (GDestroyNotify) g_ptr_array_unref);
}

void
sc_counter_list_conflicts_async (ScCounter           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_list_conflicts_async);
  if (!sc_counter_check_logged_in (self, task))
    return;
  sc_cache_list_conflicts_async (self->cache, self->session->store_id,
                                 store_day_start (self->session, sc_time_now_unix (), NULL),
                                 cancellable, list_conflicts_cb, g_steal_pointer (&task));
}

GPtrArray *
sc_counter_list_conflicts_finish (ScCounter     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
acknowledged_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScCounter *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!sc_cache_acknowledge_conflict_finish (SC_CACHE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  sc_counter_refresh_conflicts (self);
  g_task_return_boolean (task, TRUE);
}

void
sc_counter_acknowledge_conflict_async (ScCounter           *self,
                                       const char          *redemption_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (redemption_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_acknowledge_conflict_async);
  sc_cache_acknowledge_conflict_async (self->cache, redemption_id, sc_time_now_unix (), cancellable,
                                       acknowledged_cb, g_steal_pointer (&task));
}

gboolean
sc_counter_acknowledge_conflict_finish (ScCounter     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
