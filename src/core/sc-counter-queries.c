/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-counter-queries.h"

/* The counter's answers from its cache, for the app, which does not call
 * the cache itself. Each one is the cache's call, its result returned on
 * a task of the counter's. */

static void
list_outbox_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  items = sc_cache_list_outbox_finish (SC_CACHE (object), result, &error);
  if (items == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

void
sc_counter_list_outbox_async (ScCounter           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_list_outbox_async);
  sc_cache_list_outbox_async (sc_counter_get_cache (self), -1, 0, cancellable, list_outbox_cb,
                              task);
}

GPtrArray *
sc_counter_list_outbox_finish (ScCounter     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
manifest_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 *fetched_at = g_new0 (gint64, 1);

  if (!sc_cache_get_manifest_state_finish (SC_CACHE (object), result, NULL, fetched_at, &error))
    {
      g_free (fetched_at);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, fetched_at, g_free);
}

void
sc_counter_get_manifest_state_async (ScCounter           *self,
                                     const char          *store_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_COUNTER (self));
  g_return_if_fail (store_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_counter_get_manifest_state_async);
  sc_cache_get_manifest_state_async (sc_counter_get_cache (self), store_id, cancellable,
                                     manifest_state_cb, task);
}

gboolean
sc_counter_get_manifest_state_finish (ScCounter     *self,
                                      GAsyncResult  *result,
                                      gint64        *out_fetched_at,
                                      GError       **error)
{
  g_autofree gint64 *fetched_at = NULL;

  g_return_val_if_fail (SC_IS_COUNTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  fetched_at = g_task_propagate_pointer (G_TASK (result), error);
  if (fetched_at == NULL)
    return FALSE;
  if (out_fetched_at != NULL)
    *out_fetched_at = *fetched_at;
  return TRUE;
}
