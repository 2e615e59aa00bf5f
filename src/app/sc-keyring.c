/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sc-keyring.h"

/*
 * The check reads the "default" alias and the collection's Locked property
 * (secret_collection_for_alias with SECRET_COLLECTION_NONE): neither call
 * makes gnome-keyring prompt. libsecret's own store, lookup and clear calls
 * do when the collection is missing or locked (they create or unlock it),
 * so ScSessionStore makes them only after this check said READY.
 */

G_DEFINE_QUARK (sc-keyring-error-quark, sc_keyring_error)

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error != NULL)
    {
      /* Whatever it is, a call that may prompt is not made after it. */
      g_debug ("No Secret Service to keep secrets in (%s)", error->message);
      g_task_return_int (task, SC_KEYRING_ABSENT);
    }
  else if (collection == NULL || secret_collection_get_locked (collection))
    g_task_return_int (task, SC_KEYRING_LOCKED);
  else
    g_task_return_int (task, SC_KEYRING_READY);
}

void
sc_keyring_check_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_keyring_check_async);
  secret_collection_for_alias (NULL, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               cancellable, check_cb, g_steal_pointer (&task));
}

ScKeyringState
sc_keyring_check_finish (GAsyncResult  *result,
                         GError       **error)
{
  GError *local = NULL;
  gssize state;

  g_return_val_if_fail (g_task_is_valid (result, NULL), SC_KEYRING_ABSENT);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sc_keyring_check_async,
                        SC_KEYRING_ABSENT);

  state = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return SC_KEYRING_ABSENT;
    }
  return (ScKeyringState) state;
}

/* Unlock. */

static void
return_not_unlocked (GTask        *task,
                     const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (error != NULL)
    g_task_return_new_error (task, SC_KEYRING_ERROR, SC_KEYRING_ERROR_NOT_UNLOCKED,
                             _("The keyring was not unlocked: %s"), error->message);
  else
    g_task_return_new_error (task, SC_KEYRING_ERROR, SC_KEYRING_ERROR_NOT_UNLOCKED,
                             _("The keyring was not unlocked."));
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  /* A dismissed prompt gives no collection, with or without an error. */
  collection = secret_collection_create_finish (result, &error);
  if (collection == NULL || secret_collection_get_locked (collection))
    return_not_unlocked (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *unlocked = NULL;
  gint n;

  n = secret_service_unlock_finish (SECRET_SERVICE (source), result, &unlocked, &error);
  g_list_free_full (unlocked, g_object_unref);
  if (error != NULL || n <= 0)
    return_not_unlocked (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
unlock_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  SecretService *service = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList objects = { NULL, NULL, NULL };

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      return_not_unlocked (task, error);
      return;
    }
  if (collection == NULL)
    {
      /* "Login" untranslated, as gnome-keyring names the keyring it unlocks
       * with the desktop login: a clerk who gives it their login password
       * finds it unlocked from then on. */
      secret_collection_create (service, "Login", SECRET_COLLECTION_DEFAULT,
                                SECRET_COLLECTION_CREATE_NONE, cancellable, created_cb,
                                g_steal_pointer (&task));
      return;
    }
  if (!secret_collection_get_locked (collection))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  objects.data = collection;
  secret_service_unlock (service, &objects, cancellable, unlocked_cb, g_steal_pointer (&task));
}

static void
unlock_service_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  SecretService *service;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, SC_KEYRING_ERROR, SC_KEYRING_ERROR_NO_SERVICE,
                                 _("No keyring found: %s"), error->message);
      return;
    }
  g_task_set_task_data (task, service, g_object_unref);
  cancellable = g_task_get_cancellable (task);
  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               cancellable, unlock_found_cb, g_steal_pointer (&task));
}

void
sc_keyring_unlock_async (GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_keyring_unlock_async);
  secret_service_get (SECRET_SERVICE_NONE, cancellable, unlock_service_cb,
                      g_steal_pointer (&task));
}

gboolean
sc_keyring_unlock_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sc_keyring_unlock_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
