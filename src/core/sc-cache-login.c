/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScCache: offline login. After each online login the counter keeps the
 * store and clerk names, the store's timezone, the undo window, and a PIN
 * verifier: PBKDF2-HMAC-SHA256 of the PIN with a random salt, keyed with the
 * store's key (HMAC, sc-store-key.h), which is not in the database. Never
 * the PIN, the token or the key: a stolen database lets nobody talk to the
 * platform nor test a single PIN; with the key as well, each try still costs
 * SC_CACHE_PIN_ITERATIONS HMACs. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-cache-private.h"
#include "sc-db.h"
#include "sc-redemption.h"
#include "sc-secret.h"
#include "sc-store-key.h"

#define SALT_LEN 16
#define VERIFIER_LEN 32

static char *
to_hex (const guint8 *data,
        gsize         len)
{
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static gboolean
from_hex (const char *hex,
          guint8     *out,
          gsize       len)
{
  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

/* Random bytes from the kernel; GLib's g_random is not meant for secrets. */
static gboolean
fill_random (guint8  *buf,
             gsize    len,
             GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot get random numbers for the PIN check: %s"),
                       g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* ---- save ---- */

typedef struct
{
  char      *platform_url;
  ScSession *session;       /* (owned) */
  char      *pin;           /* (owned) wiped when freed */
  gint64     logged_in_at;
} SaveLogin;

static void
save_login_free (SaveLogin *save)
{
  g_free (save->platform_url);
  g_clear_pointer (&save->session, sc_session_free);
  sc_secret_free (save->pin);
  g_free (save);
}

static gpointer
save_login_job (ScDb     *db,
                gpointer  job_data,
                GError  **error)
{
  const SaveLogin *save = job_data;
  const ScSession *session = save->session;
  guint8 salt[SALT_LEN];
  guint8 derived[VERIFIER_LEN];
  g_autofree char *salt_hex = NULL;
  g_autoptr(ScSecretText) verifier_hex = NULL;
  g_autofree char *key_id = NULL;
  sqlite3_stmt *stmt;

  g_assert (sc_db_is_db_thread (db));

  if (!fill_random (salt, sizeof salt, error))
    return NULL;
  sc_secret_pbkdf2_sha256 (save->pin, salt, sizeof salt, SC_CACHE_PIN_ITERATIONS, derived);
  verifier_hex = sc_store_key_pin_verifier (session->manifest_key, derived);
  sc_secret_wipe (derived, sizeof derived);
  key_id = sc_store_key_id (session->manifest_key);
  g_assert (verifier_hex != NULL && key_id != NULL);  /* checked by the caller */
  salt_hex = to_hex (salt, sizeof salt);

  stmt = sc_db_prepare (db,
                        "INSERT OR REPLACE INTO offline_logins (platform_url, store_id, "
                        "clerk_id, store_name, store_timezone, clerk_name, undo_window_s, "
                        "salt, iterations, verifier, logged_in_at, platform_id, key_id) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, save->platform_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, session->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, session->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, session->store_name != NULL ? session->store_name
                                                          : session->store_id,
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, session->store_timezone != NULL ? session->store_timezone : "UTC",
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, session->clerk_name != NULL ? session->clerk_name
                                                          : session->clerk_id,
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, session->undo_window_s);
  sqlite3_bind_text (stmt, 8, salt_hex, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, SC_CACHE_PIN_ITERATIONS);
  sqlite3_bind_text (stmt, 10, verifier_hex, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, save->logged_in_at);
  sc_db_bind_text_or_null (stmt, 12, session->platform_id);
  sqlite3_bind_text (stmt, 13, key_id, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
sc_cache_save_offline_login_async (ScCache             *self,
                                   const char          *platform_url,
                                   const ScSession     *session,
                                   const char          *pin,
                                   gint64               logged_in_at,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveLogin *save;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (session != NULL);
  g_return_if_fail (pin != NULL);

  task = sc_cache_task_new (self, sc_cache_save_offline_login_async, cancellable, callback,
                            user_data);

  if (session->store_id == NULL || session->clerk_id == NULL)
    {
      g_task_return_new_error (task, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT,
                               _("This login has no store or clerk and was not kept"));
      return;
    }
  if (!sc_store_key_is_valid (session->manifest_key))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The platform sent no key for offline checks: this login "
                                 "cannot be repeated offline"));
      return;
    }

  save = g_new0 (SaveLogin, 1);
  save->platform_url = g_strdup (platform_url);
  save->session = sc_session_copy (session);
  save->pin = g_strdup (pin);
  save->logged_in_at = logged_in_at;
  sc_db_run_async (sc_cache_get_db (self), SC_DB_JOB_WRITE, save_login_job, save,
                   (GDestroyNotify) save_login_free, NULL, cancellable, sc_cache_forward_boolean_cb,
                   g_steal_pointer (&task));
}

gboolean
sc_cache_save_offline_login_finish (ScCache       *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return sc_cache_propagate_boolean (self, result, error);
}

/* ---- check ---- */

typedef struct
{
  char *platform_url;
  char *store_id;
  char *clerk_id;
  char *pin;           /* (owned) wiped when freed */
  char *key;           /* (owned) (nullable) the store's key; wiped when freed */
} CheckLogin;

static void
check_login_free (CheckLogin *check)
{
  g_free (check->platform_url);
  g_free (check->store_id);
  g_free (check->clerk_id);
  sc_secret_free (check->pin);
  sc_secret_free (check->key);
  g_free (check);
}

typedef struct
{
  ScSession *session;       /* (owned) (nullable) NULL: wrong PIN */
  gint64     logged_in_at;
} CheckResult;

static void
check_result_free (CheckResult *res)
{
  g_clear_pointer (&res->session, sc_session_free);
  g_free (res);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckResult, check_result_free)

static gpointer
check_login_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  const CheckLogin *check = job_data;
  g_autoptr(CheckResult) res = g_new0 (CheckResult, 1);
  g_autoptr(ScSession) session = sc_session_new ();
  g_autofree char *salt_hex = NULL;
  g_autofree char *verifier_hex = NULL;
  g_autofree char *saved_key_id = NULL;
  g_autofree char *key_id = NULL;
  g_autoptr(ScSecretText) keyed_hex = NULL;
  guint8 salt[SALT_LEN];
  guint8 saved[VERIFIER_LEN];
  guint8 keyed[VERIFIER_LEN];
  guint8 derived[VERIFIER_LEN];
  sqlite3_stmt *stmt;
  int iterations;
  int rc;

  g_assert (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db,
                        "SELECT store_name, store_timezone, clerk_name, undo_window_s, salt, "
                        "iterations, verifier, logged_in_at, platform_id, key_id "
                        "FROM offline_logins "
                        "WHERE platform_url = ?1 AND store_id = ?2 AND clerk_id = ?3",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, check->platform_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, check->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, check->clerk_id, -1, SQLITE_TRANSIENT);
  rc = sc_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_NOT_FOUND,
                   _("Clerk %s of store %s has never logged in online at this counter"),
                   check->clerk_id, check->store_id);
      return NULL;
    }

  session->offline = TRUE;
  session->store_id = g_strdup (check->store_id);
  session->clerk_id = g_strdup (check->clerk_id);
  session->store_name = sc_db_column_dup_text (stmt, 0);
  session->store_timezone = sc_db_column_dup_text (stmt, 1);
  session->clerk_name = sc_db_column_dup_text (stmt, 2);
  session->undo_window_s = sqlite3_column_int (stmt, 3);
  salt_hex = sc_db_column_dup_text (stmt, 4);
  iterations = sqlite3_column_int (stmt, 5);
  verifier_hex = sc_db_column_dup_text (stmt, 6);
  res->logged_in_at = sqlite3_column_int64 (stmt, 7);
  /* Which platform answered at this address then: the one this offline
   * session's redemptions are for. */
  session->platform_id = sc_db_column_dup_text (stmt, 8);
  saved_key_id = sc_db_column_dup_text (stmt, 9);
  sqlite3_reset (stmt);

  /* Without the key the verifier was made with, no PIN can be checked. */
  key_id = sc_store_key_id (check->key);
  if (key_id == NULL || g_strcmp0 (key_id, saved_key_id) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("Offline login needs this store’s key from the keyring, and the keyring "
                     "does not have it: connect to the platform once"));
      return NULL;
    }

  if (iterations < 1 || !from_hex (salt_hex, salt, sizeof salt) ||
      !from_hex (verifier_hex, saved, sizeof saved))
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT,
                   _("The saved login of clerk %s cannot be read: log in online once"),
                   check->clerk_id);
      return NULL;
    }

  sc_secret_pbkdf2_sha256 (check->pin, salt, sizeof salt, (guint) iterations, derived);
  keyed_hex = sc_store_key_pin_verifier (check->key, derived);
  sc_secret_wipe (derived, sizeof derived);
  if (keyed_hex != NULL && from_hex (keyed_hex, keyed, sizeof keyed) &&
      sc_secret_equal_bytes (keyed, saved, sizeof saved))
    {
      session->manifest_key = g_strdup (check->key);
      res->session = g_steal_pointer (&session);
    }
  sc_secret_wipe (keyed, sizeof keyed);

  return g_steal_pointer (&res);
}

void
sc_cache_check_offline_login_async (ScCache             *self,
                                    const char          *platform_url,
                                    const char          *store_id,
                                    const char          *clerk_id,
                                    const char          *pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckLogin *check;

  g_return_if_fail (SC_IS_CACHE (self));
  g_return_if_fail (platform_url != NULL);
  g_return_if_fail (store_id != NULL && clerk_id != NULL && pin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_cache_check_offline_login_async);

  check = g_new0 (CheckLogin, 1);
  check->platform_url = g_strdup (platform_url);
  check->store_id = g_strdup (store_id);
  check->clerk_id = g_strdup (clerk_id);
  check->pin = g_strdup (pin);
  check->key = sc_cache_dup_store_key (self, store_id);
  sc_cache_run_task (self, g_steal_pointer (&task), SC_DB_JOB_READ, check_login_job, check,
                     (GDestroyNotify) check_login_free, (GDestroyNotify) check_result_free);
}

gboolean
sc_cache_check_offline_login_finish (ScCache       *self,
                                     GAsyncResult  *result,
                                     ScSession    **out_session,
                                     gint64        *out_logged_in_at,
                                     GError       **error)
{
  g_autoptr(CheckResult) res = NULL;

  res = sc_cache_propagate_pointer (self, result, error);
  if (res == NULL)
    return FALSE;

  if (out_session != NULL)
    *out_session = g_steal_pointer (&res->session);
  if (out_logged_in_at != NULL)
    *out_logged_in_at = res->logged_in_at;
  return TRUE;
}
