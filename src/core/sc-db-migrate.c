/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-db.h"
#include "sc-db-private.h"

#include <glib/gi18n-lib.h>

/* The schema migrations of ScDb, run by the worker when it opens the file. */

static gboolean
read_user_version (ScDb     *self,
                   int      *out_version,
                   GError  **error)
{
  sqlite3_stmt *stmt;

  stmt = sc_db_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sc_db_step (self, stmt, error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                             _("Local database error: no schema version"));
      return FALSE;
    }
  *out_version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return TRUE;
}

/* Each migration in its own transaction; user_version read and bumped
 * inside it, so two processes opening the same file cannot both migrate. */
gboolean
sc_db_migrate (ScDb               *self,
               const char * const *migrations,
               guint               n_migrations,
               int                *out_version,
               GError            **error)
{
  const char *path = sc_db_get_path (self);

  for (;;)
    {
      g_autofree char *bump = NULL;
      int version;

      if (!sc_db_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!read_user_version (self, &version, error))
        {
          sc_db_rollback (self);
          return FALSE;
        }

      /* Store Counter never writes a negative version. */
      if (version < 0)
        {
          sc_db_rollback (self);
          g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT,
                       _("“%s” is not a Store Counter database (schema version %d): "
                         "move it away or pick another file with --db"),
                       path, version);
          return FALSE;
        }

      if ((guint) version > n_migrations)
        {
          sc_db_rollback (self);
          g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_SCHEMA_TOO_NEW,
                       _("The local database “%s” was made by a newer Store Counter "
                         "(schema %d, this version knows %u): update the app"),
                       path, version, n_migrations);
          return FALSE;
        }

      if ((guint) version == n_migrations)
        {
          sc_db_rollback (self);
          *out_version = version;
          return TRUE;
        }

      g_debug ("Migrating %s from schema %d to %d", path, version, version + 1);

      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!sc_db_exec (self, migrations[version], error) ||
          !sc_db_exec (self, bump, error) ||
          !sc_db_commit (self, error))
        {
          if (sqlite3_get_autocommit (sc_db_get_handle (self)) == 0)
            sc_db_rollback (self);
          g_prefix_error (error, _("Could not update the local database to schema %d: "),
                          version + 1);
          return FALSE;
        }
    }
}
