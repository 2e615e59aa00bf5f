/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "sc-json-reader.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-session-store-private.h"
#include "sc-verdict.h"

/*
 * One item per platform URL in the default collection, found by its
 * "platform-url" attribute alone (libsecret matches on any subset of the
 * schema's attributes, so store-id and clerk-id are simply left out of
 * lookups and clears). Saving first clears every item of the URL, so a new
 * clerk's login replaces the previous one instead of piling up beside it.
 *
 * The first libsecret call that fails because there is no Secret Service
 * (no session bus, nobody owns org.freedesktop.secrets, activation failed,
 * the bus went away) turns "available" to FALSE for good; from then on the
 * sessions live in a hash table in this process only. Nothing is written to
 * a file in either mode.
 *
 * No call here makes gnome-keyring prompt on its own (a prompt grabs the
 * keyboard, and the next USB scan goes into it): before each libsecret call
 * that could (store, lookup and clear create or unlock the default
 * collection), sc_keyring_check_async() looks without prompting. When the
 * default collection is missing or locked, "locked" turns TRUE and
 * "available" FALSE: memory only, until the clerk asks for
 * sc_session_store_save_to_keyring_async(), the one call that prompts.
 */

G_DEFINE_FINAL_TYPE (ScSessionStore, sc_session_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema session_schema = {
  "io.github.storecounter.StoreCounter.Session", SECRET_SCHEMA_NONE,
  {
    { "platform-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "store-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "clerk-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  char      *platform_url;   /* (owned) */
  ScSession *session;        /* (owned) (nullable) save: what to store; load: the result */
  char      *secret;         /* (owned) (nullable) save: the JSON; wiped when freed */
  char      *found;          /* (owned) (nullable) load: libsecret's password string */
} Op;

static void
op_free (Op *op)
{
  g_free (op->platform_url);
  g_clear_pointer (&op->session, sc_session_free);
  g_clear_pointer (&op->secret, sc_secret_free);
  g_clear_pointer (&op->found, secret_password_free);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* (transfer none): a new Op for @platform_url, the task data of @task */
static Op *
op_attach (GTask      *task,
           const char *platform_url)
{
  Op *op = g_new0 (Op, 1);

  op->platform_url = g_strdup (platform_url);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return op;
}

gboolean
sc_session_store_name_is_usable (const char *text)
{
  return text[0] != '\0' && g_utf8_validate (text, -1, NULL);
}

GTask *
sc_session_store_task_new (ScSessionStore         *self,
                           const char             *platform_url,
                           const char             *store_id,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data,
                           gpointer                source_tag,
                           ScSessionStoreGateFunc  unusable)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return NULL;
    }
  if (!sc_session_store_name_is_usable (platform_url) ||
      (store_id != NULL && !sc_session_store_name_is_usable (store_id)))
    {
      unusable (task);
      return NULL;
    }
  return task;
}

GHashTable *
sc_session_store_url_attributes (const char *platform_url)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "platform-url", (gpointer) platform_url);
  return attributes;
}

/* TRUE for the errors that mean "there is no Secret Service to talk to". */
gboolean
sc_session_store_error_means_no_service (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_NO_REPLY:
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_ACCESS_DENIED:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* Connecting to the bus (or autolaunching one) failed, or the connection
   * broke: every G_IO_ERROR but a cancellation. */
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED;

  return error->domain == G_SPAWN_ERROR;
}

void
sc_session_store_set_available (ScSessionStore *self,
                                gboolean        available)
{
  available = !!available;
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

void
sc_session_store_switch_to_memory (ScSessionStore *self,
                                   const GError   *error)
{
  if (self->available)
    g_debug ("No Secret Service (%s); keeping the session in memory only", error->message);
  sc_session_store_set_available (self, FALSE);
}

void
sc_session_store_set_locked (ScSessionStore *self,
                             gboolean        locked)
{
  locked = !!locked;
  if (self->locked == locked)
    return;
  self->locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static gboolean
session_is_expired (const ScSession *session)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_compare (now, session->expires_at) >= 0;
}

/* Everything a session needs to be saved and loaded back. */
static gboolean
session_is_complete (const ScSession *session)
{
  return session->token != NULL && session->token[0] != '\0' &&
         session->expires_at != NULL &&
         session->store_id != NULL && session->store_id[0] != '\0' &&
         session->store_name != NULL &&
         session->store_timezone != NULL &&
         session->clerk_id != NULL && session->clerk_id[0] != '\0' &&
         session->clerk_name != NULL &&
         session->undo_window_s >= 0 &&
         g_utf8_validate (session->token, -1, NULL) &&
         g_utf8_validate (session->store_id, -1, NULL) &&
         g_utf8_validate (session->store_name, -1, NULL) &&
         g_utf8_validate (session->store_timezone, -1, NULL) &&
         g_utf8_validate (session->clerk_id, -1, NULL) &&
         g_utf8_validate (session->clerk_name, -1, NULL);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* (transfer full): the secret for @session */
static char *
session_to_json (const ScSession *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expires_at = sc_date_time_format_rfc3339 (session->expires_at);

  json_builder_begin_object (builder);
  add_string_member (builder, "token", session->token);
  add_string_member (builder, "expires_at", expires_at);
  add_string_member (builder, "store_id", session->store_id);
  add_string_member (builder, "store_name", session->store_name);
  add_string_member (builder, "store_timezone", session->store_timezone);
  add_string_member (builder, "clerk_id", session->clerk_id);
  add_string_member (builder, "clerk_name", session->clerk_name);
  json_builder_set_member_name (builder, "undo_window_s");
  json_builder_add_int_value (builder, session->undo_window_s);
  if (session->platform_id != NULL && g_utf8_validate (session->platform_id, -1, NULL))
    add_string_member (builder, "platform_id", session->platform_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* A saved session is one flat object; room for what later versions add. */
#define SESSION_JSON_MAX_DEPTH 8

/* (transfer full) (nullable): the session in @json, NULL if it is not one;
 * @out_field names what was wrong ("JSON" when it is not a JSON object). */
static ScSession *
session_from_json (const char  *json,
                   char       **out_field)
{
  const ScJsonFlags required = SC_JSON_REQUIRED;
  const ScJsonFlags named = SC_JSON_REQUIRED | SC_JSON_NON_EMPTY;
  g_autoptr(ScSession) session = sc_session_new ();
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 undo_window_s = 0;

  root = sc_json_parse_object (json, strlen (json), SESSION_JSON_MAX_DEPTH, &error);
  if (root == NULL ||
      !sc_json_read_string_dup (root, "", "token", named, &session->token, &error) ||
      !sc_json_read_time (root, "", "expires_at", required, &session->expires_at, &error) ||
      !sc_json_read_string_dup (root, "", "store_id", named, &session->store_id, &error) ||
      !sc_json_read_string_dup (root, "", "store_name", required, &session->store_name,
                                &error) ||
      !sc_json_read_string_dup (root, "", "store_timezone", required, &session->store_timezone,
                                &error) ||
      !sc_json_read_string_dup (root, "", "clerk_id", named, &session->clerk_id, &error) ||
      !sc_json_read_string_dup (root, "", "clerk_name", required, &session->clerk_name,
                                &error) ||
      !sc_json_read_int (root, "", "undo_window_s", required, 0, G_MAXINT, NULL, &undo_window_s,
                         &error))
    {
      const char *path = sc_json_reader_error_get_path (error);

      *out_field = g_strdup (path != NULL && path[0] != '\0' ? path : "JSON");
      return NULL;
    }
  session->undo_window_s = (int) undo_window_s;
  /* Optional, and nothing to refuse the session for: older versions did
   * not keep it; the counter learns it from the platform's health answer. */
  sc_json_read_string_dup (root, "", "platform_id", SC_JSON_OPTIONAL, &session->platform_id,
                           NULL);

  *out_field = NULL;
  return g_steal_pointer (&session);
}

/* Memory-only mode. */

static void
memory_save (ScSessionStore  *self,
             const char      *platform_url,
             const ScSession *session)
{
  g_hash_table_replace (self->memory, g_strdup (platform_url), sc_session_copy (session));
}

/* (transfer full) (nullable): a copy; an expired one is removed */
static ScSession *
memory_load (ScSessionStore *self,
             const char     *platform_url)
{
  ScSession *session = g_hash_table_lookup (self->memory, platform_url);

  if (session == NULL)
    return NULL;
  if (session_is_expired (session))
    {
      g_hash_table_remove (self->memory, platform_url);
      return NULL;
    }
  return sc_session_copy (session);
}

/* Returns a failed libsecret call's error to the caller, in words. */
void
sc_session_store_return_secret_error (GTask      *task,
                                      GError     *error,
                                      const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_new_error (task, error->domain, error->code, "%s (%s)", what, error->message);
  g_error_free (error);
}

gboolean
sc_session_store_keyring_failed (ScSessionStore *self,
                                 GTask          *task,
                                 GError         *error,
                                 const char     *what)
{
  if (!sc_session_store_error_means_no_service (error))
    {
      sc_session_store_return_secret_error (task, error, what);
      return TRUE;
    }
  sc_session_store_switch_to_memory (self, error);
  g_error_free (error);
  return FALSE;
}

void
sc_session_store_return_no_address (GTask *task)
{
  g_autoptr(GTask) owned = task;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No platform address to keep the login for."));
}

void
sc_session_store_return_null (GTask *task)
{
  g_autoptr(GTask) owned = task;

  g_task_return_pointer (task, NULL, NULL);
}

gboolean
sc_session_store_propagate_boolean (ScSessionStore  *self,
                                    GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error)
{
  g_return_val_if_fail (SC_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
sc_session_store_propagate_pointer (ScSessionStore  *self,
                                    GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error)
{
  g_return_val_if_fail (SC_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Removes the keyring's sessions of the platform URL of @task (transfer
 * full), then calls @callback. */
static void
clear_url_items (GTask               *task,
                 GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = sc_session_store_url_attributes (op->platform_url);

  secret_password_clearv (&session_schema, attributes, g_task_get_cancellable (task), callback,
                          task);
}

/* Save. */

/* A save's keyring call failed with @error (transfer full): its error in
 * words, or with no Secret Service the session kept in memory. */
static void
save_failed (GTask  *task,
             GError *error)
{
  ScSessionStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (sc_session_store_keyring_failed (self, task, error,
                                       _("Could not keep the login in the keyring.")))
    return;
  memory_save (self, op->platform_url, op->session);
  g_task_return_boolean (task, TRUE);
}

static void
save_stored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    save_failed (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_cleared_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      save_failed (task, error);
      return;
    }

  attributes = sc_session_store_url_attributes (op->platform_url);
  g_hash_table_insert (attributes, (gpointer) "store-id", op->session->store_id);
  g_hash_table_insert (attributes, (gpointer) "clerk-id", op->session->clerk_id);
  /* Translators: the name of the keyring item (Seahorse shows it); %s is the
   * platform URL */
  label = g_strdup_printf (_("Store Counter login for %s"), op->platform_url);

  cancellable = g_task_get_cancellable (task);
  secret_password_storev (&session_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          op->secret, cancellable,
                          save_stored_cb, g_steal_pointer (&task));
}

/* First the URL's sessions go: a new clerk's login replaces the last. */
static void
save_keyring (GTask *task)
{
  clear_url_items (task, save_cleared_cb);
}

static void
save_memory (GTask *task)
{
  g_autoptr(GTask) owned = task;
  Op *op = g_task_get_task_data (task);

  memory_save (g_task_get_source_object (task), op->platform_url, op->session);
  g_task_return_boolean (task, TRUE);
}

void
sc_session_store_save_async (ScSessionStore      *self,
                             const char          *platform_url,
                             const ScSession     *session,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (session != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_session_store_save_async);

  if (!sc_session_store_name_is_usable (platform_url))
    {
      sc_session_store_return_no_address (g_steal_pointer (&task));
      return;
    }
  /* An offline login has no token: nothing to keep. Its online login,
   * when the platform is back, is a session to save. */
  if (session->offline && session->token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!session_is_complete (session))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The login is incomplete and cannot be kept."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  op = op_attach (task, platform_url);
  op->session = sc_session_copy (session);
  op->secret = session_to_json (session);
  sc_session_store_gate_run (self, g_steal_pointer (&task), save_keyring, save_memory);
}

gboolean
sc_session_store_save_finish (ScSessionStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return sc_session_store_propagate_boolean (self, result, sc_session_store_save_async, error);
}

/* Load. */

static void
load_removed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* The session is no good either way: say "none" even if removing it
   * failed; the next save replaces it anyway. */
  secret_password_clear_finish (result, &error);
  if (error != NULL && sc_session_store_error_means_no_service (error))
    sc_session_store_switch_to_memory (self, error);
  else if (error != NULL)
    g_debug ("Could not remove a stale session: %s", error->message);

  g_task_return_pointer (task, NULL, NULL);
}

static void
load_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *bad_field = NULL;

  op->found = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (sc_session_store_keyring_failed (self, task, error,
                                           _("Could not read the login from the keyring.")))
        return;
      g_task_return_pointer (task, memory_load (self, op->platform_url),
                             (GDestroyNotify) sc_session_free);
      return;
    }

  if (op->found == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  op->session = session_from_json (op->found, &bad_field);
  if (op->session == NULL)
    {
      if (!self->warned_invalid)
        {
          g_warning ("The saved session for %s is not valid (%s); removing it",
                     op->platform_url, bad_field);
          self->warned_invalid = TRUE;
        }
    }
  else if (!session_is_expired (op->session))
    {
      g_task_return_pointer (task, g_steal_pointer (&op->session),
                             (GDestroyNotify) sc_session_free);
      return;
    }

  clear_url_items (g_steal_pointer (&task), load_removed_cb);
}

static void
load_keyring (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = sc_session_store_url_attributes (op->platform_url);

  secret_password_lookupv (&session_schema, attributes, g_task_get_cancellable (task),
                           load_lookup_cb, task);
}

static void
load_memory (GTask *task)
{
  g_autoptr(GTask) owned = task;
  Op *op = g_task_get_task_data (task);

  g_task_return_pointer (task, memory_load (g_task_get_source_object (task), op->platform_url),
                         (GDestroyNotify) sc_session_free);
}

void
sc_session_store_load_async (ScSessionStore      *self,
                             const char          *platform_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* No address: no session. */
  task = sc_session_store_task_new (self, platform_url, NULL, cancellable, callback, user_data,
                                    sc_session_store_load_async, sc_session_store_return_null);
  if (task == NULL)
    return;
  op_attach (task, platform_url);
  sc_session_store_gate_run (self, task, load_keyring, load_memory);
}

ScSession *
sc_session_store_load_finish (ScSessionStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return sc_session_store_propagate_pointer (self, result, sc_session_store_load_async, error);
}

/* Clear. */

static void
return_done (GTask *task)
{
  g_autoptr(GTask) owned = task;

  g_task_return_boolean (task, TRUE);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScSessionStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      if (sc_session_store_keyring_failed (self, task, error,
                                           _("Could not remove the login from the keyring.")))
        return;
    }

  g_hash_table_remove (self->memory, op->platform_url);
  g_task_return_boolean (task, TRUE);
}

static void
clear_keyring (GTask *task)
{
  clear_url_items (task, clear_cb);
}

static void
clear_memory (GTask *task)
{
  g_autoptr(GTask) owned = task;
  ScSessionStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_hash_table_remove (self->memory, op->platform_url);
  if (self->locked)
    g_hash_table_add (self->cleared, g_strdup (op->platform_url));
  g_task_return_boolean (task, TRUE);
}

void
sc_session_store_clear_async (ScSessionStore      *self,
                              const char          *platform_url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SC_IS_SESSION_STORE (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* No address: nothing to clear. */
  task = sc_session_store_task_new (self, platform_url, NULL, cancellable, callback, user_data,
                                    sc_session_store_clear_async, return_done);
  if (task == NULL)
    return;
  op_attach (task, platform_url);
  sc_session_store_gate_run (self, task, clear_keyring, clear_memory);
}

gboolean
sc_session_store_clear_finish (ScSessionStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return sc_session_store_propagate_boolean (self, result, sc_session_store_clear_async, error);
}

gboolean
sc_session_store_get_locked (ScSessionStore *self)
{
  g_return_val_if_fail (SC_IS_SESSION_STORE (self), FALSE);

  return self->locked;
}

gboolean
sc_session_store_get_available (ScSessionStore *self)
{
  g_return_val_if_fail (SC_IS_SESSION_STORE (self), FALSE);

  return self->available;
}

static void
sc_session_store_finalize (GObject *object)
{
  ScSessionStore *self = (ScSessionStore *) object;

  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_clear_pointer (&self->memory_keys, g_hash_table_unref);
  g_clear_pointer (&self->cleared, g_hash_table_unref);

  G_OBJECT_CLASS (sc_session_store_parent_class)->finalize (object);
}

static void
sc_session_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScSessionStore *self = SC_SESSION_STORE (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_session_store_class_init (ScSessionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_session_store_finalize;
  object_class->get_property = sc_session_store_get_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_session_store_init (ScSessionStore *self)
{
  self->available = TRUE;
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal,
                                        g_free, (GDestroyNotify) sc_session_free);
  self->cleared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->memory_keys = g_hash_table_new_full (g_str_hash, g_str_equal,
                                             g_free, (GDestroyNotify) sc_secret_free);
}

ScSessionStore *
sc_session_store_new (void)
{
  return g_object_new (SC_TYPE_SESSION_STORE, NULL);
}
