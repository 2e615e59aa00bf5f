/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScDb: one SQLite connection owned by one worker thread.
 *
 * Public calls package their work as a job onto a GAsyncQueue; the worker
 * runs each job inside a transaction (BEGIN IMMEDIATE for writes, BEGIN for
 * reads), commits on success and rolls back on error, and only *then*
 * returns the result to the caller's thread-default main context. So a job
 * that returned is durable (with synchronous=FULL) before anyone is told.
 *
 * At open: WAL journal, synchronous=FULL, foreign_keys=ON, busy_timeout 5 s,
 * then the numbered migrations: migrations[i] takes PRAGMA user_version
 * from i to i+1, each in its own transaction. A database newer than the
 * migrations know is refused (SC_DB_ERROR_SCHEMA_TOO_NEW).
 *
 * A path of ":memory:" gives an in-memory database (tests).
 */

typedef enum
{
  SC_DB_ERROR_OPEN,            /* cannot open or create the file */
  SC_DB_ERROR_SQL,             /* any other SQLite failure */
  SC_DB_ERROR_CONSTRAINT,      /* UNIQUE/NOT NULL/CHECK/FK */
  SC_DB_ERROR_FULL,            /* disk full (SQLITE_FULL) */
  SC_DB_ERROR_BUSY,            /* locked by another process beyond the timeout */
  SC_DB_ERROR_CORRUPT,         /* not a database / malformed */
  SC_DB_ERROR_SCHEMA_TOO_NEW,  /* user_version above what we know */
  SC_DB_ERROR_CLOSED,          /* job queued after sc_db_close() */
  SC_DB_ERROR_NOT_FOUND,       /* for jobs: the row asked for does not exist */
} ScDbError;

#define SC_DB_ERROR (sc_db_error_quark ())
GQuark sc_db_error_quark (void);

typedef enum
{
  SC_DB_JOB_READ  = 0,   /* BEGIN DEFERRED */
  SC_DB_JOB_WRITE = 1,   /* BEGIN IMMEDIATE */
} ScDbJobFlags;

/*
 * ScDbJobFunc: runs on the DB thread inside a transaction. Return a non-NULL
 * result (GINT_TO_POINTER (TRUE) when there is nothing to return) to commit,
 * or NULL with @error set to roll back. The result is freed with the job's
 * result_destroy if nobody takes it.
 */
typedef gpointer (*ScDbJobFunc) (ScDb     *db,
                                 gpointer  job_data,
                                 GError  **error);

#define SC_TYPE_DB (sc_db_get_type ())
G_DECLARE_FINAL_TYPE (ScDb, sc_db, SC, DB, GObject)

/* @migrations: (array length=n_migrations) SQL scripts, static strings. */
ScDb         *sc_db_new                (const char          *path,
                                        const char * const  *migrations,
                                        guint                n_migrations);
const char   *sc_db_get_path           (ScDb                *self);

/* Starts the thread, opens, runs migrations. */
void          sc_db_open_async         (ScDb                *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean      sc_db_open_finish        (ScDb                *self,
                                        GAsyncResult        *result,
                                        GError             **error);
/* Blocks the calling thread until open; never call it on the UI thread. */
gboolean      sc_db_open_sync          (ScDb                *self,
                                        GError             **error);

void          sc_db_run_async          (ScDb                *self,
                                        ScDbJobFlags         flags,
                                        ScDbJobFunc          func,
                                        gpointer             job_data,
                                        GDestroyNotify       job_data_destroy,
                                        GDestroyNotify       result_destroy,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* Returns: (transfer full): the job's result, or NULL with @error. */
gpointer      sc_db_run_finish         (ScDb                *self,
                                        GAsyncResult        *result,
                                        GError             **error);
/* Runs a job and waits for it (CLI, tests, the platform's own threads);
 * never call it on the UI thread or on the DB thread. */
gpointer      sc_db_run_sync           (ScDb                *self,
                                        ScDbJobFlags         flags,
                                        ScDbJobFunc          func,
                                        gpointer             job_data,
                                        GError             **error);

/* Stops accepting jobs, finishes the queued ones, joins the thread and
 * closes the connection. Also done in dispose. */
void          sc_db_close              (ScDb                *self);

/* The schema version after open (PRAGMA user_version). */
int           sc_db_get_schema_version (ScDb                *self);

/* ---- DB thread only: each asserts it runs on the DB thread ---- */

sqlite3      *sc_db_get_handle         (ScDb                *self);
gboolean      sc_db_is_db_thread       (ScDb                *self);
/* A cached statement (SQLITE_PREPARE_PERSISTENT), reset and with its
 * bindings cleared; (transfer none). NULL with @error on a SQL error. */
sqlite3_stmt *sc_db_prepare            (ScDb                *self,
                                        const char          *sql,
                                        GError             **error);
/* sqlite3_step: SQLITE_ROW or SQLITE_DONE, or -1 with @error. */
int           sc_db_step               (ScDb                *self,
                                        sqlite3_stmt        *stmt,
                                        GError             **error);
/* Step a statement that returns no rows. */
gboolean      sc_db_step_done          (ScDb                *self,
                                        sqlite3_stmt        *stmt,
                                        GError             **error);
/* sqlite3_exec for scripts without parameters. */
gboolean      sc_db_exec               (ScDb                *self,
                                        const char          *sql,
                                        GError             **error);

/* Binds @text (a copy), or SQL NULL when @text is NULL. */
void          sc_db_bind_text_or_null  (sqlite3_stmt        *stmt,
                                        int                  index,
                                        const char          *text);
/* Column helpers: a NULL text column gives NULL. */
char         *sc_db_column_dup_text    (sqlite3_stmt        *stmt,
                                        int                  column);

G_END_DECLS
