/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-db.h"
#include "sc-test-loop.h"

static const char * const test_migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);",
  /* 1 -> 2 */
  "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
  "CREATE INDEX items_name ON items (name);",
};

typedef struct
{
  ScTestLoop    loop;
  char         *dir;       /* (owned) */
  char         *path;      /* (owned) a file inside @dir */
  ScDb         *db;        /* (owned) (nullable) */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sc_test_loop_init (&f->loop);
  f->dir = g_build_filename (g_get_user_data_dir (), "nested", "dir", NULL);
  f->path = g_build_filename (f->dir, "test.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->db != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->db));
  sc_test_loop_clear (&f->loop);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
open_db (Fixture     *f,
         const char  *path,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_clear_object (&f->db);
  f->db = sc_db_new (path, test_migrations, G_N_ELEMENTS (test_migrations));
  sc_db_open_async (f->db, NULL, sc_test_loop_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_db_open_finish (f->db, result, error);
}

static gpointer
run_wait (Fixture       *f,
          ScDbJobFlags   flags,
          ScDbJobFunc    func,
          gpointer       job_data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sc_db_run_async (f->db, flags, func, job_data, NULL, g_free, cancellable,
                   sc_test_loop_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  return sc_db_run_finish (f->db, result, error);
}

/* ---- jobs ---- */

static gpointer
insert_name_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  sqlite3_stmt *stmt;

  g_assert_true (sc_db_is_db_thread (db));

  stmt = sc_db_prepare (db, "INSERT INTO items (name) VALUES (?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, job_data, -1, SQLITE_TRANSIENT);
  if (!sc_db_step_done (db, stmt, error))
    return NULL;

  return g_strdup (job_data);
}

static gpointer
count_job (ScDb     *db,
           gpointer  job_data,
           GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 *count;

  stmt = sc_db_prepare (db, job_data != NULL ? job_data : "SELECT count(*) FROM items", error);
  if (stmt == NULL)
    return NULL;
  if (sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  count = g_new (gint64, 1);
  *count = sqlite3_column_int64 (stmt, 0);
  return count;
}

static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = NULL;

  count = run_wait (f, SC_DB_JOB_READ, count_job, (gpointer) sql, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (count);
  return *count;
}

/* Inserts "a" and "b", then "a" again: a UNIQUE violation. */
static gpointer
insert_then_fail_job (ScDb     *db,
                      gpointer  job_data,
                      GError  **error)
{
  const char *names[] = { "a", "b", "a" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = insert_name_job (db, (gpointer) names[i], error);

      if (name == NULL)
        return NULL;
    }

  return g_strdup ("unreachable");
}

/* ---- tests ---- */

static void
test_open_memory (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_test_summary ("An in-memory database opens, runs every migration and takes jobs");

  g_assert_true (open_db (f, ":memory:", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sc_db_get_schema_version (f->db), ==, G_N_ELEMENTS (test_migrations));
  g_assert_cmpstr (sc_db_get_path (f->db), ==, ":memory:");
  g_assert_false (sc_db_is_db_thread (f->db));
  g_assert_false (g_file_test (":memory:", G_FILE_TEST_EXISTS));

  name = run_wait (f, SC_DB_JOB_WRITE, insert_name_job, "one", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "one");
  g_assert_cmpint (count_rows (f, NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM blobs"), ==, 0);
}

static void
test_open_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  sqlite3 *other = NULL;
  sqlite3_stmt *stmt = NULL;

  g_test_summary ("A file database is created with its parent directories, in WAL mode, "
                  "migrated from empty, and keeps its data across reopening");

  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sc_db_get_schema_version (f->db), ==, 2);

  name = run_wait (f, SC_DB_JOB_WRITE, insert_name_job, "kept", NULL, &error);
  g_assert_no_error (error);
  sc_db_close (f->db);

  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (other, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (other, "PRAGMA user_version", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (other);

  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM items WHERE name = 'kept'"), ==, 1);
}

static void
test_migrate_partial (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = NULL;

  g_test_summary ("A database at schema 1 gets only migration 2 and keeps its rows");

  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, test_migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO items (name) VALUES ('old');"
                                      "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sc_db_get_schema_version (f->db), ==, 2);
  g_assert_cmpint (count_rows (f, NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM blobs"), ==, 0);
}

static const char * const broken_migrations[] = {
  "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);",
  "CREATE TABLE half (x INTEGER); THIS IS NOT SQL;",
};

static void
test_migration_fails (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;

  g_test_summary ("A failing migration rolls back: the earlier ones stay, the version stays");

  f->db = sc_db_new (f->path, broken_migrations, G_N_ELEMENTS (broken_migrations));
  sc_db_open_async (f->db, NULL, sc_test_loop_result_cb, &f->loop);
  result = sc_test_loop_wait (&f->loop);
  g_assert_false (sc_db_open_finish (f->db, result, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL);
  g_clear_object (&f->db);

  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw,
                                       "SELECT (SELECT user_version FROM pragma_user_version),"
                                       " (SELECT count(*) FROM sqlite_master WHERE name = 'half')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
}

static void
test_rollback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  g_test_summary ("A job that fails is rolled back: rows it wrote before the error are gone");

  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);

  result = run_wait (f, SC_DB_JOB_WRITE, insert_then_fail_job, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);
  g_assert_cmpint (count_rows (f, NULL), ==, 0);

  /* The connection is usable afterwards, outside any transaction. */
  g_clear_error (&error);
  result = run_wait (f, SC_DB_JOB_WRITE, insert_name_job, "a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, NULL), ==, 1);
}

static gpointer
bind_then_leave_job (ScDb     *db,
                     gpointer  job_data,
                     GError  **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt **out = job_data;

  stmt = sc_db_prepare (db, "INSERT INTO items (name) VALUES (?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, "left bound", -1, SQLITE_STATIC);
  *out = stmt;
  return g_strdup ("ok");
}

static gpointer
step_cached_job (ScDb     *db,
                 gpointer  job_data,
                 GError  **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt **first = job_data;

  stmt = sc_db_prepare (db, "INSERT INTO items (name) VALUES (?)", error);
  if (stmt == NULL)
    return NULL;
  g_assert_true (stmt == *first);
  /* Bindings were cleared, so this inserts NULL into a NOT NULL column. */
  if (!sc_db_step_done (db, stmt, error))
    return NULL;
  return g_strdup ("inserted");
}

static gpointer
bad_sql_job (ScDb     *db,
             gpointer  job_data,
             GError  **error)
{
  if (sc_db_prepare (db, "SELECT nothing FROM nowhere", error) == NULL)
    return NULL;
  return g_strdup ("unreachable");
}

static void
test_statement_cache (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  sqlite3_stmt *first = NULL;

  g_test_summary ("sc_db_prepare caches statements by SQL and clears old bindings; "
                  "bad SQL gives an error");

  g_assert_true (open_db (f, ":memory:", &error));
  result = run_wait (f, SC_DB_JOB_WRITE, bind_then_leave_job, &first, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_clear_pointer (&result, g_free);

  result = run_wait (f, SC_DB_JOB_WRITE, step_cached_job, &first, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  result = run_wait (f, SC_DB_JOB_READ, bad_sql_job, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL);
}

typedef struct
{
  Fixture *f;
  GThread *caller;
  gboolean done;
  gboolean seen_by_other;
  GError  *error;
} CommitCheck;

static void
commit_check_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CommitCheck *check = user_data;
  g_autofree char *name = NULL;
  sqlite3 *other = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (g_main_context_is_owner (check->f->loop.context));
  g_assert_true (g_main_context_get_thread_default () == check->f->loop.context);
  g_assert_true (g_thread_self () == check->caller);
  g_assert_false (sc_db_is_db_thread (SC_DB (source)));

  name = sc_db_run_finish (SC_DB (source), result, &check->error);
  g_assert_cmpstr (name, ==, "committed");

  /* Another connection must already see the row: it was committed first. */
  g_assert_cmpint (sqlite3_open_v2 (check->f->path, &other, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (other, "SELECT count(*) FROM items WHERE name = 'committed'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  check->seen_by_other = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  sqlite3_close (other);

  check->done = TRUE;
}

static void
test_result_after_commit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CommitCheck check = { f, g_thread_self (), FALSE, FALSE, NULL };

  g_test_summary ("Results arrive on the caller's main context, on its thread, "
                  "only after the transaction is committed");

  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);

  sc_db_run_async (f->db, SC_DB_JOB_WRITE, insert_name_job, g_strdup ("committed"), g_free,
                   g_free, NULL, commit_check_cb, &check);
  /* Never synchronously. */
  g_assert_false (check.done);
  while (!check.done)
    g_main_context_iteration (f->loop.context, TRUE);

  g_assert_no_error (check.error);
  g_assert_true (check.seen_by_other);
}

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean started;
  gboolean released;
} Gate;

static gpointer
gate_job (ScDb     *db,
          gpointer  job_data,
          GError  **error)
{
  Gate *gate = job_data;

  g_mutex_lock (&gate->mutex);
  gate->started = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->released)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  return g_strdup ("gate");
}

static gpointer
must_not_run_job (ScDb     *db,
                  gpointer  job_data,
                  GError  **error)
{
  gboolean *ran = job_data;

  *ran = TRUE;
  return g_strdup ("ran");
}

typedef struct
{
  GAsyncResult *gate_result;
  GAsyncResult *cancelled_result;
} TwoResults;

static void
two_results_gate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TwoResults *r = user_data;

  r->gate_result = g_object_ref (result);
}

static void
two_results_cancelled_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  TwoResults *r = user_data;

  /* FIFO: the gate job finished first. */
  g_assert_nonnull (r->gate_result);
  r->cancelled_result = g_object_ref (result);
}

static void
test_cancel_before_run (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *result = NULL;
  gboolean ran = FALSE;
  Gate gate = { 0 };
  TwoResults r = { NULL, NULL };

  g_test_summary ("A job cancelled before it runs is not run and reports G_IO_ERROR_CANCELLED");

  g_assert_true (open_db (f, ":memory:", &error));

  /* Already cancelled when queued. */
  g_cancellable_cancel (cancellable);
  result = run_wait (f, SC_DB_JOB_WRITE, must_not_run_job, &ran, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);
  g_clear_error (&error);

  /* Cancelled while queued behind a job that holds the thread. */
  g_cancellable_reset (cancellable);
  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  sc_db_run_async (f->db, SC_DB_JOB_READ, gate_job, &gate, NULL, g_free, NULL,
                   two_results_gate_cb, &r);
  sc_db_run_async (f->db, SC_DB_JOB_WRITE, must_not_run_job, &ran, NULL, g_free, cancellable,
                   two_results_cancelled_cb, &r);
  g_mutex_lock (&gate.mutex);
  while (!gate.started)
    g_cond_wait (&gate.cond, &gate.mutex);
  g_cancellable_cancel (cancellable);
  gate.released = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.mutex);

  while (r.cancelled_result == NULL)
    g_main_context_iteration (f->loop.context, TRUE);

  g_free (sc_db_run_finish (f->db, r.gate_result, &error));
  g_assert_no_error (error);
  result = sc_db_run_finish (f->db, r.cancelled_result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);

  g_object_unref (r.gate_result);
  g_object_unref (r.cancelled_result);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

static void
test_schema_too_new (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  sqlite3 *raw = NULL;

  g_test_summary ("A database newer than the known migrations is refused, untouched");

  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE future (x); PRAGMA user_version = 7;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  g_assert_false (open_db (f, f->path, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_SCHEMA_TOO_NEW);
  g_clear_error (&error);

  /* Jobs on a database that failed to open fail cleanly. */
  result = run_wait (f, SC_DB_JOB_READ, count_job, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&f->db);

  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "SELECT * FROM future", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autofree char *dir_as_db = NULL;

  g_test_summary ("A file that is not a database gives CORRUPT, a path that cannot be "
                  "opened gives OPEN; neither crashes");

  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  for (int i = 0; i < 400; i++)
    g_string_append (junk, "this is a shopping list, not a database\n");
  g_assert_true (g_file_set_contents (f->path, junk->str, junk->len, NULL));

  g_assert_false (open_db (f, f->path, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == SC_DB_ERROR);
  g_assert_true (error->code == SC_DB_ERROR_CORRUPT || error->code == SC_DB_ERROR_OPEN);
  g_clear_error (&error);

  /* A directory where the file should be. */
  dir_as_db = g_build_filename (f->dir, "a-directory.db", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir_as_db, 0700), ==, 0);
  g_assert_false (open_db (f, dir_as_db, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_OPEN);
}

typedef struct
{
  int n_before;   /* rows committed before the job */
} FullJob;

static gpointer
fill_disk_job (ScDb     *db,
               gpointer  job_data,
               GError  **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *limit = NULL;
  gint64 page_count;
  char blob[2048];

  stmt = sc_db_prepare (db, "PRAGMA page_count", error);
  if (stmt == NULL || sc_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  page_count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, page_count + 3);
  if (!sc_db_exec (db, limit, error))
    return NULL;

  memset (blob, 'x', sizeof blob);
  for (int i = 0; i < 1000; i++)
    {
      stmt = sc_db_prepare (db, "INSERT INTO blobs (data) VALUES (?)", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_blob (stmt, 1, blob, sizeof blob, SQLITE_STATIC);
      if (!sc_db_step_done (db, stmt, error))
        return NULL;
    }

  return g_strdup ("the disk never filled up");
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  g_test_summary ("SQLITE_FULL maps to SC_DB_ERROR_FULL with a clear message; "
                  "the failed job is rolled back and committed rows stay");

  g_assert_true (open_db (f, f->path, &error));
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("before-%d", i);
      g_autofree char *done = run_wait (f, SC_DB_JOB_WRITE, insert_name_job, name, NULL, &error);

      g_assert_no_error (error);
    }

  result = run_wait (f, SC_DB_JOB_WRITE, fill_disk_job, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_FULL);
  g_assert_cmpstr (error->message, ==, "The disk is full: free some space; nothing was saved");
  g_clear_error (&error);

  g_assert_cmpint (count_rows (f, NULL), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM blobs"), ==, 0);

  /* Reopen: the file is sound and holds the committed rows. */
  g_assert_true (open_db (f, f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM items WHERE name LIKE 'before-%'"), ==, 5);
}

typedef struct
{
  ScDb   *db;    /* (unowned) */
  int     index;
  gint64  count; /* out */
} SyncThreadData;

static gpointer
sync_thread_func (gpointer data)
{
  SyncThreadData *d = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("sync-%d", d->index);
  g_autofree char *inserted = NULL;
  g_autofree gint64 *count = NULL;

  g_assert_null (g_main_context_get_thread_default ());
  g_assert_false (sc_db_is_db_thread (d->db));

  inserted = sc_db_run_sync (d->db, SC_DB_JOB_WRITE, insert_name_job, name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inserted, ==, name);

  count = sc_db_run_sync (d->db, SC_DB_JOB_READ, count_job, NULL, &error);
  g_assert_no_error (error);
  d->count = *count;

  g_clear_pointer (&inserted, g_free);
  inserted = sc_db_run_sync (d->db, SC_DB_JOB_WRITE, insert_name_job, name, &error);
  g_assert_null (inserted);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT);

  return NULL;
}

static void
test_run_sync (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SyncThreadData d = { NULL, 1, 0 };
  GThread *thread;
  g_autoptr(ScDb) db = NULL;

  g_test_summary ("sc_db_open_sync and sc_db_run_sync work from a thread without a main loop");

  db = sc_db_new (f->path, test_migrations, G_N_ELEMENTS (test_migrations));
  g_assert_true (sc_db_open_sync (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sc_db_get_schema_version (db), ==, 2);

  d.db = db;
  thread = g_thread_new ("sync-caller", sync_thread_func, &d);
  g_thread_join (thread);
  g_assert_cmpint (d.count, ==, 1);

  sc_db_close (db);
  g_assert_null (sc_db_run_sync (db, SC_DB_JOB_READ, count_job, NULL, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED);
  g_assert_finalize_object (g_steal_pointer (&db));
}

#define N_THREADS 4
#define N_JOBS_PER_THREAD 50

typedef struct
{
  ScDb         *db;        /* (unowned) */
  int           index;
  GMainContext *context;   /* (owned) */
  int           n_done;
  int           n_failed;
} ConcurrentData;

static void
concurrent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ConcurrentData *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_true (g_main_context_is_owner (d->context));
  name = sc_db_run_finish (SC_DB (source), result, &error);
  if (name == NULL)
    d->n_failed++;
  d->n_done++;
}

static gpointer
concurrent_thread_func (gpointer data)
{
  ConcurrentData *d = data;

  d->context = g_main_context_new ();
  g_main_context_push_thread_default (d->context);

  for (int i = 0; i < N_JOBS_PER_THREAD; i++)
    sc_db_run_async (d->db, SC_DB_JOB_WRITE, insert_name_job,
                     g_strdup_printf ("t%d-job%d", d->index, i), g_free, g_free,
                     NULL, concurrent_cb, d);

  while (d->n_done < N_JOBS_PER_THREAD)
    g_main_context_iteration (d->context, TRUE);

  g_main_context_pop_thread_default (d->context);
  g_clear_pointer (&d->context, g_main_context_unref);
  return NULL;
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ConcurrentData d[N_THREADS];
  GThread *threads[N_THREADS];

  g_test_summary ("Many jobs queued from 4 threads at once all complete, "
                  "each on its own caller's context");

  g_assert_true (open_db (f, f->path, &error));
  for (int i = 0; i < N_THREADS; i++)
    {
      d[i] = (ConcurrentData) { f->db, i, NULL, 0, 0 };
      threads[i] = g_thread_new ("concurrent", concurrent_thread_func, &d[i]);
    }
  for (int i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (d[i].n_done, ==, N_JOBS_PER_THREAD);
      g_assert_cmpint (d[i].n_failed, ==, 0);
    }

  g_assert_cmpint (count_rows (f, NULL), ==, N_THREADS * N_JOBS_PER_THREAD);
}

static void
test_closed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autofree char *queued = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(ScDb) never_opened = NULL;

  g_test_summary ("sc_db_close finishes queued jobs; later jobs get SC_DB_ERROR_CLOSED");

  g_assert_true (open_db (f, f->path, &error));

  sc_db_run_async (f->db, SC_DB_JOB_WRITE, insert_name_job, "queued", NULL, g_free, NULL,
                   sc_test_loop_result_cb, &f->loop);
  sc_db_close (f->db);
  async_result = sc_test_loop_wait (&f->loop);
  queued = sc_db_run_finish (f->db, async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (queued, ==, "queued");

  result = run_wait (f, SC_DB_JOB_READ, count_job, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED);
  g_clear_error (&error);
  sc_db_close (f->db);

  never_opened = sc_db_new (":memory:", test_migrations, G_N_ELEMENTS (test_migrations));
  g_assert_null (sc_db_run_sync (never_opened, SC_DB_JOB_READ, count_job, NULL, &error));
  g_assert_error (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED);
}

static void
record_thread_weak_notify (gpointer  data,
                           GObject  *where_the_object_was)
{
  GThread **thread = data;

  *thread = g_thread_self ();
}

static gpointer
object_job (ScDb     *db,
            gpointer  job_data,
            GError  **error)
{
  g_assert_true (G_IS_OBJECT (job_data));
  return g_strdup ("done");
}

static void
test_job_data_freed_on_caller (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);
  GThread *finalized_on = NULL;

  g_test_summary ("An async job's data is released on the caller's thread, never on the "
                  "DB thread (it may hold the last reference to the owner)");

  g_assert_true (open_db (f, ":memory:", &error));
  g_object_weak_ref (object, record_thread_weak_notify, &finalized_on);
  sc_db_run_async (f->db, SC_DB_JOB_READ, object_job, object, g_object_unref, g_free, NULL,
                   sc_test_loop_result_cb, &f->loop);
  async_result = sc_test_loop_wait (&f->loop);
  result = sc_db_run_finish (f->db, async_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "done");
  while (finalized_on == NULL)
    g_main_context_iteration (f->loop.context, TRUE);
  g_assert_true (finalized_on == g_thread_self ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/db/open/memory", test_open_memory);
  ADD ("/db/open/file", test_open_file);
  ADD ("/db/open/not-a-database", test_not_a_database);
  ADD ("/db/open/schema-too-new", test_schema_too_new);
  ADD ("/db/migrations/partial", test_migrate_partial);
  ADD ("/db/migrations/failure", test_migration_fails);
  ADD ("/db/job/rollback", test_rollback);
  ADD ("/db/job/statement-cache", test_statement_cache);
  ADD ("/db/job/result-after-commit", test_result_after_commit);
  ADD ("/db/job/cancel-before-run", test_cancel_before_run);
  ADD ("/db/job/disk-full", test_disk_full);
  ADD ("/db/job/run-sync", test_run_sync);
  ADD ("/db/job/concurrent", test_concurrent);
  ADD ("/db/job/data-freed-on-caller", test_job_data_freed_on_caller);
  ADD ("/db/close", test_closed);

#undef ADD

  return g_test_run ();
}
