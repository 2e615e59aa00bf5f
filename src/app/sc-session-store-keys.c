/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScSessionStore: the store keys (sc-session-store-private.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-secret.h"
#include "sc-session-store-private.h"
#include "sc-store-key.h"

/* The store keys: their own items, kept across logouts. */
static const SecretSchema key_schema = {
  "io.github.storecounter.StoreCounter.StoreKey", SECRET_SCHEMA_NONE,
  {
    { "platform-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "store-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

char *
sc_session_store_memory_key_name (const char *platform_url,
                                  const char *store_id)
{
  return g_strconcat (platform_url, "\n", store_id, NULL);
}

static GHashTable *
key_attributes (const char *platform_url,
                const char *store_id)
{
  GHashTable *attributes = sc_session_store_url_attributes (platform_url);

  g_hash_table_insert (attributes, (gpointer) "store-id", (gpointer) store_id);
  return attributes;
}

typedef struct
{
  char *platform_url;  /* (owned) */
  char *store_id;      /* (owned) */
  char *key;           /* (owned) (nullable) wiped when freed */
} KeyOp;

static void
key_op_free (KeyOp *op)
{
  g_free (op->platform_url);
  g_free (op->store_id);
  sc_secret_free (op->key);
  g_free (op);
}

/* (transfer none): a new KeyOp, the task data of @task */
static KeyOp *
key_op_attach (GTask      *task,
               const char *platform_url,
               const char *store_id)
{
  KeyOp *op = g_new0 (KeyOp, 1);

  op->platform_url = g_strdup (platform_url);
  op->store_id = g_strdup (store_id);
  g_task_set_task_data (task, op, (GDestroyNotify) key_op_free);
  return op;
}

static void
memory_save_key (ScSessionStore *self,
                 KeyOp          *op)
{
  g_hash_table_replace (self->memory_keys,
                        sc_session_store_memory_key_name (op->platform_url, op->store_id),
                        g_strdup (op->key));
}

static void
save_key_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (sc_session_store_keyring_failed (self, task, error,
                                           _("Could not keep the store’s key in the keyring.")))
        return;
    }
  /* Kept in memory as well: this run needs no keyring to find it. */
  memory_save_key (self, op);
  g_task_return_boolean (task, TRUE);
}

static void
save_key_keyring (GTask *task)
{
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = key_attributes (op->platform_url, op->store_id);
  g_autofree char *label = NULL;

  /* Translators: the name of the keyring item (Seahorse shows it); the
   * first %s is the store's id, the second the platform URL */
  label = g_strdup_printf (_("Store Counter offline key of store %s at %s"), op->store_id,
                           op->platform_url);
  secret_password_storev (&key_schema, attributes, SECRET_COLLECTION_DEFAULT, label, op->key,
                          g_task_get_cancellable (task), save_key_cb, task);
}

static void
save_key_memory (GTask *task)
{
  g_autoptr(GTask) owned = task;

  memory_save_key (g_task_get_source_object (task), g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

void
sc_session_store_save_key_async (ScSessionStore      *self,
                                 const char          *platform_url,
                                 const char          *store_id,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  KeyOp *op;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (platform_url != NULL && store_id != NULL && key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_session_store_task_new (self, platform_url, store_id, cancellable, callback,
                                    user_data, sc_session_store_save_key_async,
                                    sc_session_store_return_no_address);
  if (task == NULL)
    return;
  op = key_op_attach (task, platform_url, store_id);
  op->key = g_strdup (key);

  sc_session_store_gate_run (self, task, save_key_keyring, save_key_memory);
}

gboolean
sc_session_store_save_key_finish (ScSessionStore  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return sc_session_store_propagate_boolean (self, result, sc_session_store_save_key_async, error);
}

static char *
memory_load_key (ScSessionStore *self,
                 KeyOp          *op)
{
  g_autofree char *name = sc_session_store_memory_key_name (op->platform_url, op->store_id);

  return g_strdup (g_hash_table_lookup (self->memory_keys, name));
}

static void
load_key_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *found;

  found = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (sc_session_store_keyring_failed (self, task, error,
                                           _("Could not read the store’s key from the keyring.")))
        return;
      g_task_return_pointer (task, memory_load_key (self, op), (GDestroyNotify) sc_secret_free);
      return;
    }

  /* Only a key that is one: anything else there is as good as none. */
  if (sc_store_key_is_valid (found))
    op->key = g_strdup (found);
  secret_password_free (found);
  if (op->key == NULL)
    op->key = memory_load_key (self, op);
  g_task_return_pointer (task, g_steal_pointer (&op->key), (GDestroyNotify) sc_secret_free);
}

static void
load_key_keyring (GTask *task)
{
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = key_attributes (op->platform_url, op->store_id);

  secret_password_lookupv (&key_schema, attributes, g_task_get_cancellable (task), load_key_cb,
                           task);
}

static void
load_key_memory (GTask *task)
{
  g_autoptr(GTask) owned = task;

  g_task_return_pointer (task, memory_load_key (g_task_get_source_object (task),
                                                g_task_get_task_data (task)),
                         (GDestroyNotify) sc_secret_free);
}

void
sc_session_store_load_key_async (ScSessionStore      *self,
                                 const char          *platform_url,
                                 const char          *store_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (platform_url != NULL && store_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = sc_session_store_task_new (self, platform_url, store_id, cancellable, callback,
                                    user_data, sc_session_store_load_key_async,
                                    sc_session_store_return_null);
  if (task == NULL)
    return;
  key_op_attach (task, platform_url, store_id);
  sc_session_store_gate_run (self, task, load_key_keyring, load_key_memory);
}

char *
sc_session_store_load_key_finish (ScSessionStore  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return sc_session_store_propagate_pointer (self, result, sc_session_store_load_key_async, error);
}
