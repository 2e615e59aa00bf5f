/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScSessionStore: the gate that keeps libsecret from prompting, and saving
 * to the keyring when the clerk asks (sc-session-store-private.h). */
#include "config.h"

#include "sc-keyring.h"
#include "sc-session-store-private.h"

/* The gate in front of every libsecret call that could prompt. */

typedef struct
{
  GTask                  *task;     /* (owned) */
  ScSessionStoreGateFunc  keyring;  /* the keyring is ready: the libsecret call */
  ScSessionStoreGateFunc  memory;   /* memory only */
} Gate;

static void
gate_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Gate *gate = user_data;
  ScSessionStore *self = g_task_get_source_object (gate->task);
  GError *error = NULL;
  ScKeyringState state;

  state = sc_keyring_check_finish (result, &error);
  if (error != NULL)
    g_task_return_error (gate->task, error);
  else if (state == SC_KEYRING_READY && self->available)
    gate->keyring (g_steal_pointer (&gate->task));
  else
    {
      if (state == SC_KEYRING_LOCKED && self->available)
        {
          g_debug ("The keyring is locked: keeping secrets in memory, asking nothing");
          sc_session_store_set_locked (self, TRUE);
        }
      sc_session_store_set_available (self, FALSE);
      gate->memory (g_steal_pointer (&gate->task));
    }
  g_clear_object (&gate->task);
  g_free (gate);
}

void
sc_session_store_gate_run (ScSessionStore         *self,
                           GTask                  *task,
                           ScSessionStoreGateFunc  keyring,
                           ScSessionStoreGateFunc  memory)
{
  Gate *gate;

  if (!self->available)
    {
      memory (task);
      return;
    }
  gate = g_new0 (Gate, 1);
  gate->task = task;
  gate->keyring = keyring;
  gate->memory = memory;
  sc_keyring_check_async (g_task_get_cancellable (task), gate_cb, gate);
}

/* Save to keyring: the one call that may prompt. */

typedef struct
{
  guint   pending;
  GError *error;  /* (owned) (nullable) the first one */
} Flush;

static void
flush_free (Flush *flush)
{
  g_clear_error (&flush->error);
  g_free (flush);
}

/* One of the secrets written (@error: NULL) or not; (transfer full) @task. */
static void
flush_one_done (GTask  *task,
                GError *error)
{
  Flush *flush = g_task_get_task_data (task);

  if (error != NULL && flush->error == NULL)
    flush->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--flush->pending == 0)
    {
      if (flush->error != NULL)
        g_task_return_error (task, g_steal_pointer (&flush->error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

/* The end of one of the saves and clears that flush memory into the
 * keyring (a session's, a store key's): the store's own tasks, and what
 * their finishes return is the task's boolean. */
static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  flush_one_done (user_data, error);
}

/* (transfer full): copies of @table's keys */
static GPtrArray *
keys_copy (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  return keys;
}

static void
save_to_keyring_unlocked_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) urls = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) cleared = NULL;
  GError *error = NULL;
  Flush *flush;

  if (!sc_keyring_unlock_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  sc_session_store_set_locked (self, FALSE);
  sc_session_store_set_available (self, TRUE);

  /* What this run kept in memory goes to the keyring now, and what it
   * forgot is removed from it. */
  flush = g_new0 (Flush, 1);
  flush->pending = 1;  /* this function's own, until everything is started */
  g_task_set_task_data (task, flush, (GDestroyNotify) flush_free);
  urls = keys_copy (self->memory);
  names = keys_copy (self->memory_keys);
  cleared = keys_copy (self->cleared);
  g_hash_table_remove_all (self->cleared);
  /* A logout while locked: an earlier run's session must not come back. */
  for (guint i = 0; i < cleared->len; i++)
    {
      const char *url = g_ptr_array_index (cleared, i);

      if (g_hash_table_contains (self->memory, url))
        continue;  /* saving it replaces the earlier one */
      flush->pending++;
      sc_session_store_clear_async (self, url, cancellable, flushed_cb,
                                    g_object_ref (task));
    }
  for (guint i = 0; i < urls->len; i++)
    {
      const char *url = g_ptr_array_index (urls, i);

      flush->pending++;
      sc_session_store_save_async (self, url, g_hash_table_lookup (self->memory, url),
                                   cancellable, flushed_cb, g_object_ref (task));
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_auto(GStrv) parts = g_strsplit (name, "\n", 2);

      if (g_strv_length (parts) != 2)
        continue;
      flush->pending++;
      sc_session_store_save_key_async (self, parts[0], parts[1],
                                       g_hash_table_lookup (self->memory_keys, name),
                                       cancellable, flushed_cb, g_object_ref (task));
    }
  flush_one_done (g_steal_pointer (&task), NULL);
}

void
sc_session_store_save_to_keyring_async (ScSessionStore      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_session_store_save_to_keyring_async);
  if (self->available)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  sc_keyring_unlock_async (cancellable, save_to_keyring_unlocked_cb, g_steal_pointer (&task));
}

gboolean
sc_session_store_save_to_keyring_finish (ScSessionStore  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  return sc_session_store_propagate_boolean (self, result,
                                             sc_session_store_save_to_keyring_async, error);
}
