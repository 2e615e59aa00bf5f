/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-platform-store-private.h"

#include <glib/gi18n-lib.h>

#include "sc-platform-util.h"
#include "sc-secret.h"
#include "sc-store-key.h"

/* ---- sessions ---- */

void
sc_platform_session_clear (ScPlatformSession *s)
{
  g_clear_pointer (&s->store_id, g_free);
  g_clear_pointer (&s->clerk_id, g_free);
}

gboolean
sc_platform_session_end (ScDb                *db,
                         const char          *token,
                         ScPlatformSessionEnd how,
                         gint64               now,
                         GError             **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "UPDATE sessions SET ended_at ="
                                          " CASE WHEN ?2 THEN MIN (?3, expires_at)"
                                          " ELSE expires_at END"
                                          " WHERE token = ?1 AND ended_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, how == SC_PLATFORM_SESSION_END_LOGOUT);
  sqlite3_bind_int64 (stmt, 3, now);
  return sc_db_step_done (db, stmt, error);
}

gboolean
sc_platform_session_load (ScDb                    *db,
                          const ScPlatformRequest *req,
                          ScPlatformSession       *s,
                          ScPlatformReply        **out_reply,
                          GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_reply = NULL;
  if (req->token == NULL)
    {
      *out_reply = sc_platform_reply_new_error (401, "session_expired",
                                                _("Please sign in again."), NULL);
      return FALSE;
    }

  rc = sc_platform_query_first (db, "SELECT store_id, clerk_id, expires_at, ended_at FROM sessions"
                                    " WHERE token = ?1", req->token, NULL, &stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW || sqlite3_column_type (stmt, 3) != SQLITE_NULL ||
      sqlite3_column_int64 (stmt, 2) <= req->now)
    {
      gboolean seen_expired = rc == SQLITE_ROW && sqlite3_column_type (stmt, 3) == SQLITE_NULL;

      sqlite3_reset (stmt);
      /* Once seen expired, a session stays ended: moving the clock back
       * does not bring it back. (The platform has one connection, so even
       * a read job may write this.) */
      if (seen_expired &&
          !sc_platform_session_end (db, req->token, SC_PLATFORM_SESSION_END_EXPIRED, req->now,
                                    error))
        return FALSE;
      *out_reply = sc_platform_reply_new_error (401, "session_expired",
                                                _("Your session has ended. Please sign in again."),
                                                NULL);
      return FALSE;
    }
  s->store_id = sc_db_column_dup_text (stmt, 0);
  s->clerk_id = sc_db_column_dup_text (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

void
sc_platform_login_call_free (ScPlatformLoginCall *login)
{
  sc_platform_request_free (login->req);
  g_free (login->store_name);
  g_free (login->timezone);
  g_free (login->clerk_name);
  g_free (login->pin_hash);
  g_free (login->salt);
  g_free (login);
}

/* Step 1 (DB thread, read): the clerk's name and PIN hash. */
gpointer
sc_platform_login_fetch_job (ScDb    *db,
                             gpointer data,
                             GError **error)
{
  ScPlatformLoginCall *login = data;
  sqlite3_stmt *stmt;
  int rc;

  rc = sc_platform_query_first (db, "SELECT s.name, s.timezone, c.name, c.pin_hash, s.salt"
                                    " FROM clerks c JOIN stores s ON s.id = c.store_id"
                                    " WHERE c.store_id = ?1 AND c.id = ?2",
                                login->req->store_id, login->req->clerk_id, &stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    {
      login->found = TRUE;
      login->store_name = sc_db_column_dup_text (stmt, 0);
      login->timezone = sc_db_column_dup_text (stmt, 1);
      login->clerk_name = sc_db_column_dup_text (stmt, 2);
      login->pin_hash = sc_db_column_dup_text (stmt, 3);
      login->salt = sc_db_column_dup_text (stmt, 4);
      sqlite3_reset (stmt);
    }
  return GINT_TO_POINTER (TRUE);
}

/* Step 3 (DB thread, write): the session. */
gpointer
sc_platform_login_create_job (ScDb    *db,
                              gpointer data,
                              GError **error)
{
  ScPlatformLoginCall *login = data;
  ScPlatformRequest *req = login->req;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *token = NULL;
  g_autoptr(ScSecretText) manifest_key = NULL;
  sqlite3_stmt *stmt;
  gint64 expires_at;

  token = sc_platform_random_hex (16);
  expires_at = req->now + req->session_ttl_s;
  stmt = sc_db_prepare (db, "INSERT INTO sessions (token, store_id, clerk_id, created_at,"
                            " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, req->store_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, req->clerk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, req->now);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  json_builder_begin_object (b);
  sc_platform_add_string (b, "token", token);
  sc_platform_add_time (b, "expires_at", expires_at);
  json_builder_set_member_name (b, "store");
  json_builder_begin_object (b);
  sc_platform_add_string (b, "id", req->store_id);
  sc_platform_add_string (b, "name", login->store_name);
  sc_platform_add_string (b, "timezone", login->timezone);
  json_builder_end_object (b);
  sc_platform_add_id_name (b, "clerk", req->clerk_id, login->clerk_name);
  sc_platform_add_int (b, "undo_window_s", req->undo_window_s);
  sc_platform_add_string (b, "platform_id", req->platform_id);
  /* The store's key: the counter keys its manifest lookups and its
   * offline PIN check with it, and keeps it out of its database. */
  manifest_key = sc_store_key_derive (req->secret, req->store_id, login->salt);
  sc_platform_add_string (b, "manifest_key", manifest_key);
  json_builder_end_object (b);
  return sc_platform_reply_new (201, json_builder_get_root (b));
}

/* DELETE /v1/sessions/current: 204, the token is refused from now on. */
ScPlatformReply *
sc_platform_op_logout (ScDb              *db,
                       ScPlatformRequest *req,
                       GError           **error)
{
  g_auto(ScPlatformSession) s = { NULL, NULL };
  ScPlatformReply *reply = NULL;

  if (!sc_platform_session_load (db, req, &s, &reply, error))
    return reply;
  if (!sc_platform_session_end (db, req->token, SC_PLATFORM_SESSION_END_LOGOUT, req->now, error))
    return NULL;
  return sc_platform_reply_new_raw (204, "");
}
