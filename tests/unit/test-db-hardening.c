/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ScDb and ScCache on database files they cannot use (a schema version
 * they do not know, not a database, cut short) and the permissions of the
 * files they create (DESIGN §13: database files 0600). */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-cache.h"
#include "sc-db.h"
#include "sc-test-loop.h"

/* An open that has not answered after this long never will. */
#define OPEN_DEADLINE_S 20

static const char * const test_migrations[] = {
  "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
  "CREATE INDEX items_name ON items (name);",
};

typedef struct
{
  ScTestLoop    loop;
  char         *dir;       /* (owned) */
  char         *path;      /* (owned) a file inside @dir */
  gboolean      timed_out;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sc_test_loop_init (&f->loop);
  f->dir = g_build_filename (g_get_user_data_dir (), "hardening", NULL);
  f->path = g_build_filename (f->dir, "counter.db", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->loop.result);
  sc_test_loop_clear (&f->loop);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Fixture *f = user_data;

  f->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* The result, or NULL when none came before the deadline (the bug:
 * g_task_return_error() with a NULL error never completes the task). */
static GAsyncResult *
wait_result (Fixture *f)
{
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (OPEN_DEADLINE_S);

  f->timed_out = FALSE;
  g_source_set_callback (deadline, deadline_cb, f, NULL);
  g_source_attach (deadline, f->loop.context);
  while (f->loop.result == NULL && !f->timed_out)
    g_main_context_iteration (f->loop.context, TRUE);
  g_source_destroy (deadline);
  if (f->loop.result == NULL)
    g_test_message ("no answer after %d s", OPEN_DEADLINE_S);
  return g_steal_pointer (&f->loop.result);
}

/* A database as sqlite3 leaves it after @sql. */
static void
make_db (const char *path,
         const char *sql)
{
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
}

/* Opens @path with ScDb, async then sync: both must answer, and fail with
 * a message naming the file. Returns the async error. */
static GError *
open_must_fail (Fixture    *f,
                const char *path)
{
  g_autoptr(ScDb) db = sc_db_new (path, test_migrations, G_N_ELEMENTS (test_migrations));
  g_autoptr(ScDb) db_sync = sc_db_new (path, test_migrations, G_N_ELEMENTS (test_migrations));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) sync_error = NULL;
  GError *error = NULL;

  sc_db_open_async (db, NULL, sc_test_loop_result_cb, &f->loop);
  result = wait_result (f);
  g_assert_nonnull (result);   /* it answers */
  g_assert_false (sc_db_open_finish (db, result, &error));
  g_assert_nonnull (error);
  g_test_message ("async: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_false (sc_db_open_sync (db_sync, &sync_error));
  g_assert_nonnull (sync_error);
  g_test_message ("sync: %s", sync_error->message);
  g_assert_nonnull (strstr (sync_error->message, path));
  g_assert_true (sync_error->domain == error->domain && sync_error->code == error->code);

  return error;
}

static void
test_negative_version (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A database with a negative user_version is refused with an error "
                  "naming the file; the open answers instead of hanging");

  make_db (f->path, "CREATE TABLE x (y); PRAGMA user_version = -1;");
  error = open_must_fail (f, f->path);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT);
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A database made by a newer Store Counter is refused, naming the file");

  make_db (f->path, "CREATE TABLE x (y); PRAGMA user_version = 2000000000;");
  error = open_must_fail (f, f->path);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);

  g_test_summary ("A file that is not a database is refused, naming the file");

  for (int i = 0; i < 400; i++)
    g_string_append (junk, "a shopping list, not a database\n");
  g_assert_true (g_file_set_contents (f->path, junk->str, junk->len, NULL));
  error = open_must_fail (f, f->path);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("PRAGMA page_size = 1024; BEGIN;");
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_test_summary ("A database file cut short (a copy interrupted) is refused at open, "
                  "naming the file");

  /* Our own schema, fully migrated, with many pages of rows. */
  g_string_append (sql, test_migrations[0]);
  g_string_append (sql, test_migrations[1]);
  for (int i = 0; i < 2000; i++)
    g_string_append_printf (sql, "INSERT INTO items (name) VALUES ('item number %d');", i);
  g_string_append (sql, "PRAGMA user_version = 2; COMMIT;");
  make_db (f->path, sql->str);

  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 1024);
  g_assert_true (g_file_set_contents (f->path, contents, len / 3, NULL));

  error = open_must_fail (f, f->path);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT);
}

static void
test_cache_negative_version (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(ScCache) cache = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("ScCache on a database with a negative user_version answers with an "
                  "error naming the file (the window and the CLI show it)");

  make_db (f->path, "PRAGMA user_version = -5;");
  cache = sc_cache_new (f->path);
  sc_cache_open_async (cache, NULL, sc_test_loop_result_cb, &f->loop);
  result = wait_result (f);
  g_assert_nonnull (result);
  g_assert_false (sc_cache_open_finish (cache, result, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, f->path));
}

static gpointer
insert_job (ScDb     *db,
            gpointer  job_data,
            GError  **error)
{
  sqlite3_stmt *stmt = sc_db_prepare (db, "INSERT INTO items (name) VALUES ('x')", error);

  if (stmt == NULL || !sc_db_step_done (db, stmt, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
assert_private (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_test_message ("%s %o, -wal %o, -shm %o", path, file_mode (path), file_mode (wal),
                  file_mode (shm));
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
}

static void
test_permissions_new (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *nested = g_build_filename (f->dir, "new", "place", "counter.db", NULL);
  g_autofree char *nested_dir = g_path_get_dirname (nested);
  g_autoptr(ScDb) db = sc_db_new (nested, test_migrations, G_N_ELEMENTS (test_migrations));
  g_autoptr(GError) error = NULL;
  mode_t saved = umask (022);

  g_test_summary ("With umask 022, a new database, its -wal and -shm are 0600 and the "
                  "folder made for it 0700");

  g_assert_true (sc_db_open_sync (db, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sc_db_run_sync (db, SC_DB_JOB_WRITE, insert_job, NULL, &error));
  g_assert_no_error (error);
  umask (saved);

  assert_private (nested);
  g_assert_cmpuint (file_mode (nested_dir), ==, 0700);
  sc_db_close (db);
}

static void
test_permissions_existing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(ScDb) db = sc_db_new (f->path, test_migrations, G_N_ELEMENTS (test_migrations));
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  mode_t saved = umask (022);

  g_test_summary ("A world-readable database from an older version is made 0600 at open");

  make_db (f->path, "CREATE TABLE x (y);");
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);

  g_assert_true (sc_db_open_sync (db, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sc_db_run_sync (db, SC_DB_JOB_WRITE, insert_job, NULL, &error));
  g_assert_no_error (error);
  umask (saved);

  assert_private (f->path);
  sc_db_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/db-hardening/open/negative-version", test_negative_version);
  ADD ("/db-hardening/open/newer-version", test_newer_version);
  ADD ("/db-hardening/open/not-a-database", test_not_a_database);
  ADD ("/db-hardening/open/truncated", test_truncated);
  ADD ("/db-hardening/cache/negative-version", test_cache_negative_version);
  ADD ("/db-hardening/permissions/new", test_permissions_new);
  ADD ("/db-hardening/permissions/existing", test_permissions_existing);

#undef ADD

  return g_test_run ();
}
