/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-db.h"
#include "sc-db-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/*
 * One worker thread owns the sqlite3 connection (Epiphany's history service
 * pattern). Public calls queue a Job on a GAsyncQueue; the worker runs each
 * job inside a transaction, commits or rolls back, and only then hands the
 * result back: to the caller's thread-default main context (GTask, through
 * an idle source that owns the worker's task reference, so the last
 * reference of the task and of this object is never dropped on the DB
 * thread) or to a thread blocked in sc_db_run_sync() (GMutex + GCond).
 */

G_DEFINE_QUARK (sc-db-error-quark, sc_db_error)

typedef enum
{
  DB_STATE_NEW,      /* no thread yet */
  DB_STATE_RUNNING,  /* thread started, accepting jobs */
  DB_STATE_CLOSED,   /* quit queued or done; no new jobs */
} DbState;

typedef enum
{
  JOB_OPEN,
  JOB_RUN,
  JOB_QUIT,
} JobKind;

typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  done;      /* guarded by mutex */
  gpointer  result;    /* guarded by mutex, (owned) */
  GError   *error;     /* guarded by mutex, (owned) (nullable) */
} SyncWait;

typedef struct
{
  JobKind         kind;
  ScDbJobFlags    flags;
  ScDbJobFunc     func;
  gpointer        job_data;          /* (owned) freed with job_data_destroy */
  GDestroyNotify  job_data_destroy;
  GDestroyNotify  result_destroy;
  GTask          *task;              /* (owned) (nullable): async callers */
  SyncWait       *sync;              /* (unowned) (nullable): sync callers */
} Job;

typedef struct
{
  GTask          *task;              /* (owned) */
  gpointer        result;            /* (owned) (nullable) */
  GDestroyNotify  result_destroy;
  GError         *error;             /* (owned) (nullable) */
  gpointer        job_data;          /* (owned) freed on the caller's thread */
  GDestroyNotify  job_data_destroy;
} JobReturn;

struct _ScDb
{
  GObject              parent_instance;

  char                *path;           /* (owned) immutable */
  const char * const  *migrations;     /* (unowned) static strings, immutable */
  guint                n_migrations;

  GMutex               lock;           /* guards state and thread */
  DbState              state;          /* guarded by lock */
  GThread             *thread;         /* (owned) (nullable) guarded by lock */
  GAsyncQueue         *queue;          /* (owned) of Job*; thread-safe itself */

  GThread             *db_thread;      /* (unowned) atomic: the worker, set by itself */
  int                  schema_version; /* atomic: written on the DB thread */

  /* DB thread only */
  sqlite3             *handle;         /* (owned) (nullable) */
  GHashTable          *statements;     /* (owned) SQL -> (owned) sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (ScDb, sc_db, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  if (job->job_data_destroy != NULL && job->job_data != NULL)
    job->job_data_destroy (job->job_data);
  g_clear_object (&job->task);
  g_free (job);
}

static void
job_return_free (JobReturn *ret)
{
  if (ret->result != NULL && ret->result_destroy != NULL)
    ret->result_destroy (ret->result);
  g_clear_error (&ret->error);
  if (ret->job_data != NULL && ret->job_data_destroy != NULL)
    ret->job_data_destroy (ret->job_data);
  g_clear_object (&ret->task);
  g_free (ret);
}

static gboolean
job_return_cb (gpointer data)
{
  JobReturn *ret = data;

  if (ret->error != NULL)
    g_task_return_error (ret->task, g_steal_pointer (&ret->error));
  else
    g_task_return_pointer (ret->task, g_steal_pointer (&ret->result), ret->result_destroy);

  return G_SOURCE_REMOVE;
}

/* DB thread: hands the job's outcome to whoever waits for it. Takes
 * @result and @error. */
static void
job_complete (Job      *job,
              gpointer  result,
              GError   *error)
{
  /* A failure always carries an error: g_task_return_error (NULL) would
   * leave the caller waiting forever. */
  if (result == NULL && error == NULL)
    {
      g_critical ("An ScDb job failed without an error");
      g_set_error_literal (&error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                           _("Local database error: the job failed"));
    }

  if (job->sync != NULL)
    {
      SyncWait *sync = job->sync;

      g_mutex_lock (&sync->mutex);
      sync->result = result;
      sync->error = error;
      sync->done = TRUE;
      g_cond_signal (&sync->cond);
      g_mutex_unlock (&sync->mutex);
    }
  else if (job->task != NULL)
    {
      JobReturn *ret = g_new0 (JobReturn, 1);
      g_autoptr(GSource) source = NULL;

      ret->task = g_steal_pointer (&job->task);
      ret->result = result;
      ret->result_destroy = job->result_destroy;
      ret->error = error;
      /* Job data may hold references (even, indirectly, the last one to
       * this object): never drop them on the DB thread. */
      ret->job_data = g_steal_pointer (&job->job_data);
      ret->job_data_destroy = job->job_data_destroy;

      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (source, "[sc-db] job result");
      g_source_set_callback (source, job_return_cb, ret, (GDestroyNotify) job_return_free);
      g_source_attach (source, g_task_get_context (ret->task));
    }
  else
    {
      if (result != NULL && job->result_destroy != NULL)
        job->result_destroy (result);
      g_clear_error (&error);
    }
}

/* ---- errors ---- */

static void
set_error_from_code (ScDb        *self,
                     int          rc,
                     const char  *detail,
                     GError     **error)
{
  const char *msg;

  msg = detail != NULL ? detail
      : self->handle != NULL ? sqlite3_errmsg (self->handle)
      : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_FULL,
                           _("The disk is full: free some space; nothing was saved"));
      break;

    case SQLITE_CONSTRAINT:
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_CONSTRAINT,
                   _("This record clashes with one already saved (%s)"), msg);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_BUSY,
                           _("The local database is in use by another program; try again"));
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_CORRUPT,
                   _("The local database file is damaged or is not a database (%s)"), msg);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_OPEN,
                   _("Cannot open the local database “%s”: %s"), self->path, msg);
      break;

    default:
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                   _("Local database error: %s"), msg);
      break;
    }
}

/* ---- DB thread API ---- */

gboolean
sc_db_is_db_thread (ScDb *self)
{
  g_return_val_if_fail (SC_IS_DB (self), FALSE);

  return g_atomic_pointer_get (&self->db_thread) == (gpointer) g_thread_self ();
}

sqlite3 *
sc_db_get_handle (ScDb *self)
{
  g_return_val_if_fail (SC_IS_DB (self), NULL);
  g_assert (sc_db_is_db_thread (self));

  return self->handle;
}

gboolean
sc_db_exec (ScDb        *self,
            const char  *sql,
            GError     **error)
{
  char *errmsg = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_DB (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_assert (sc_db_is_db_thread (self));

  if (self->handle == NULL)
    {
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED,
                           _("The local database is not open"));
      return FALSE;
    }

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (self, rc, errmsg, error);
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
sc_db_prepare (ScDb        *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SC_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_assert (sc_db_is_db_thread (self));

  if (self->handle == NULL)
    {
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED,
                           _("The local database is not open"));
      return NULL;
    }

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_code (self, rc, NULL, error);
      return NULL;
    }
  if (stmt == NULL)
    {
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                           _("Local database error: empty statement"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

int
sc_db_step (ScDb          *self,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  int rc;

  g_return_val_if_fail (SC_IS_DB (self), -1);
  g_return_val_if_fail (stmt != NULL, -1);
  g_assert (sc_db_is_db_thread (self));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  set_error_from_code (self, rc, NULL, error);
  sqlite3_reset (stmt);
  return -1;
}

gboolean
sc_db_step_done (ScDb          *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  int rc;

  g_return_val_if_fail (SC_IS_DB (self), FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);
  g_assert (sc_db_is_db_thread (self));

  rc = sc_db_step (self, stmt, error);
  if (rc < 0)
    return FALSE;

  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    {
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                   _("Local database error: unexpected row from “%s”"), sqlite3_sql (stmt));
      return FALSE;
    }

  return TRUE;
}

void
sc_db_bind_text_or_null (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
sc_db_column_dup_text (sqlite3_stmt *stmt,
                       int           column)
{
  const unsigned char *text;

  g_return_val_if_fail (stmt != NULL, NULL);

  text = sqlite3_column_text (stmt, column);
  if (text == NULL)
    return NULL;

  return g_strndup ((const char *) text, sqlite3_column_bytes (stmt, column));
}

/* ---- worker ---- */

static void
reset_busy_statements (ScDb *self)
{
  sqlite3_stmt *stmt = NULL;

  while ((stmt = sqlite3_next_stmt (self->handle, stmt)) != NULL)
    {
      if (sqlite3_stmt_busy (stmt))
        sqlite3_reset (stmt);
    }
}

void
sc_db_rollback (ScDb *self)
{
  g_autoptr(GError) error = NULL;

  reset_busy_statements (self);

  /* SQLITE_FULL, SQLITE_IOERR and friends may have rolled back already. */
  if (sqlite3_get_autocommit (self->handle))
    return;

  if (!sc_db_exec (self, "ROLLBACK", &error))
    g_warning ("Could not roll back a transaction: %s", error->message);
}

gboolean
sc_db_commit (ScDb    *self,
              GError **error)
{
  reset_busy_statements (self);

  if (!sc_db_exec (self, "COMMIT", error))
    {
      sc_db_rollback (self);
      return FALSE;
    }

  return TRUE;
}

static void
close_handle (ScDb *self)
{
  int rc;

  g_hash_table_remove_all (self->statements);

  if (self->handle == NULL)
    return;

  rc = sqlite3_close (self->handle);
  if (rc != SQLITE_OK)
    {
      g_warning ("Could not close %s cleanly: %s", self->path, sqlite3_errstr (rc));
      sqlite3_close_v2 (self->handle);
    }
  self->handle = NULL;
}

static gboolean
is_memory_path (const char *path)
{
  return g_strcmp0 (path, ":memory:") == 0;
}

static gboolean
do_open (ScDb    *self,
         GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int version;
  int rc;

  if (self->handle != NULL)
    return TRUE;

  if (!is_memory_path (self->path) && !sc_db_prepare_file (self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      /* Not CORRUPT here: a failure to open is an open failure. */
      g_set_error (error, SC_DB_ERROR, SC_DB_ERROR_OPEN,
                   _("Cannot open the local database “%s”: %s"), self->path,
                   self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      close_handle (self);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->handle, 1);

  if ((!is_memory_path (self->path) &&
       !sc_db_exec (self, "PRAGMA journal_mode = WAL", &local_error)) ||
      !sc_db_exec (self, "PRAGMA synchronous = FULL", &local_error) ||
      !sc_db_exec (self, "PRAGMA foreign_keys = ON", &local_error) ||
      !sc_db_exec (self, "PRAGMA busy_timeout = 5000", &local_error) ||
      !sc_db_migrate (self, self->migrations, self->n_migrations, &version, &local_error))
    {
      close_handle (self);
      if (local_error == NULL)
        g_set_error (&local_error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                     _("Local database error: the database could not be opened"));
      /* Say which file: the user may have given it with --db. */
      if (strstr (local_error->message, self->path) == NULL)
        g_prefix_error (&local_error, _("“%s”: "), self->path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_atomic_int_set (&self->schema_version, version);
  return TRUE;
}

static gpointer
run_job (ScDb    *self,
         Job     *job,
         GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer result;

  if (self->handle == NULL)
    {
      g_set_error_literal (error, SC_DB_ERROR, SC_DB_ERROR_CLOSED,
                           _("The local database is not open"));
      return NULL;
    }

  if (!sc_db_exec (self, (job->flags & SC_DB_JOB_WRITE) ? "BEGIN IMMEDIATE" : "BEGIN", error))
    return NULL;

  result = job->func (self, job->job_data, &local_error);
  if (result == NULL)
    {
      sc_db_rollback (self);
      if (local_error == NULL)
        {
          g_critical ("An ScDb job returned NULL without setting an error");
          g_set_error_literal (&local_error, SC_DB_ERROR, SC_DB_ERROR_SQL,
                               _("Local database error: the job failed"));
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (local_error != NULL)
    {
      g_critical ("An ScDb job returned a result and set an error: %s", local_error->message);
      g_clear_error (&local_error);
    }

  if (!sc_db_commit (self, error))
    {
      if (job->result_destroy != NULL)
        job->result_destroy (result);
      return NULL;
    }

  return result;
}

static gpointer
sc_db_thread_func (gpointer data)
{
  ScDb *self = data;   /* (unowned): the owner joins this thread before finalizing */
  gboolean quit = FALSE;

  g_atomic_pointer_set (&self->db_thread, g_thread_self ());

  while (!quit)
    {
      Job *job = g_async_queue_pop (self->queue);
      GError *error = NULL;
      gpointer result = NULL;
      GCancellable *cancellable = job->task != NULL ? g_task_get_cancellable (job->task) : NULL;

      switch (job->kind)
        {
        case JOB_QUIT:
          quit = TRUE;
          break;

        case JOB_OPEN:
          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            break;
          if (do_open (self, &error))
            result = GINT_TO_POINTER (TRUE);
          break;

        case JOB_RUN:
          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            break;
          result = run_job (self, job, &error);
          break;

        default:
          g_assert_not_reached ();
        }

      if (job->kind != JOB_QUIT)
        job_complete (job, result, error);
      job_free (job);
    }

  close_handle (self);

  return NULL;
}

/* Any thread: queues @job, starting the thread if @start. Takes @job; on
 * failure completes it with an error. */
static void
push_job (ScDb     *self,
          Job      *job,
          gboolean  start)
{
  GError *error = NULL;

  g_mutex_lock (&self->lock);

  if (self->state == DB_STATE_NEW && start)
    {
      self->thread = g_thread_try_new ("sc-db", sc_db_thread_func, self, &error);
      if (self->thread != NULL)
        self->state = DB_STATE_RUNNING;
    }
  else if (self->state == DB_STATE_NEW)
    {
      g_set_error_literal (&error, SC_DB_ERROR, SC_DB_ERROR_CLOSED,
                           _("The local database is not open"));
    }
  else if (self->state == DB_STATE_CLOSED)
    {
      g_set_error_literal (&error, SC_DB_ERROR, SC_DB_ERROR_CLOSED,
                           _("The local database is closed"));
    }

  if (error == NULL)
    {
      g_async_queue_push (self->queue, job);
      g_mutex_unlock (&self->lock);
      return;
    }

  g_mutex_unlock (&self->lock);

  if (job->task != NULL)
    g_task_return_error (job->task, error);
  else if (job->sync != NULL)
    {
      job->sync->error = error;
      job->sync->done = TRUE;
    }
  else
    g_error_free (error);
  job_free (job);
}

/* Pushes @job (see push_job) for the calling thread, which waits for its
 * result. */
static gpointer
push_job_and_wait (ScDb      *self,
                   Job       *job,
                   gboolean   start,
                   GError   **error)
{
  SyncWait sync = { 0 };
  gpointer result;

  g_mutex_init (&sync.mutex);
  g_cond_init (&sync.cond);
  job->sync = &sync;
  push_job (self, job, start);

  g_mutex_lock (&sync.mutex);
  while (!sync.done)
    g_cond_wait (&sync.cond, &sync.mutex);
  result = sync.result;
  g_mutex_unlock (&sync.mutex);

  if (sync.error != NULL)
    g_propagate_error (error, sync.error);

  g_mutex_clear (&sync.mutex);
  g_cond_clear (&sync.cond);

  return result;
}

/* A job of @kind for a new task of @self. A committed write is reported as
 * done even if cancelled meanwhile: cancellation is checked before the job
 * runs, never after. */
static Job *
job_new_async (ScDb                *self,
               JobKind              kind,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_task_set_check_cancellable (job->task, FALSE);
  return job;
}

/* ---- public API ---- */

void
sc_db_close (ScDb *self)
{
  GThread *thread = NULL;

  g_return_if_fail (SC_IS_DB (self));

  if (sc_db_is_db_thread (self))
    {
      g_critical ("sc_db_close() called on the DB thread; it would wait for itself");
      return;
    }

  g_mutex_lock (&self->lock);
  if (self->state == DB_STATE_RUNNING)
    {
      Job *job = g_new0 (Job, 1);

      job->kind = JOB_QUIT;
      g_async_queue_push (self->queue, job);
      thread = g_steal_pointer (&self->thread);
    }
  self->state = DB_STATE_CLOSED;
  g_mutex_unlock (&self->lock);

  if (thread != NULL)
    g_thread_join (thread);
}

static void
sc_db_dispose (GObject *object)
{
  ScDb *self = SC_DB (object);

  sc_db_close (self);

  G_OBJECT_CLASS (sc_db_parent_class)->dispose (object);
}

static void
sc_db_finalize (GObject *object)
{
  ScDb *self = SC_DB (object);

  g_assert (self->handle == NULL);
  g_assert (self->thread == NULL);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sc_db_parent_class)->finalize (object);
}

static void
sc_db_class_init (ScDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sc_db_dispose;
  object_class->finalize = sc_db_finalize;
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
sc_db_init (ScDb *self)
{
  g_mutex_init (&self->lock);
  self->queue = g_async_queue_new ();
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            stmt_finalize);
}

ScDb *
sc_db_new (const char         *path,
           const char * const *migrations,
           guint               n_migrations)
{
  ScDb *self;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (migrations != NULL || n_migrations == 0, NULL);

  self = g_object_new (SC_TYPE_DB, NULL);
  self->path = g_strdup (path);
  self->migrations = migrations;
  self->n_migrations = n_migrations;

  return self;
}

const char *
sc_db_get_path (ScDb *self)
{
  g_return_val_if_fail (SC_IS_DB (self), NULL);

  return self->path;
}

int
sc_db_get_schema_version (ScDb *self)
{
  g_return_val_if_fail (SC_IS_DB (self), -1);

  return g_atomic_int_get (&self->schema_version);
}

void
sc_db_open_async (ScDb                *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (SC_IS_DB (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new_async (self, JOB_OPEN, sc_db_open_async, cancellable, callback, user_data);
  push_job (self, job, TRUE);
}

gboolean
sc_db_open_finish (ScDb          *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (SC_IS_DB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

gboolean
sc_db_open_sync (ScDb    *self,
                 GError **error)
{
  Job *job;

  g_return_val_if_fail (SC_IS_DB (self), FALSE);
  g_return_val_if_fail (!sc_db_is_db_thread (self), FALSE);

  job = g_new0 (Job, 1);
  job->kind = JOB_OPEN;
  return push_job_and_wait (self, job, TRUE, error) != NULL;
}

void
sc_db_run_async (ScDb                *self,
                 ScDbJobFlags         flags,
                 ScDbJobFunc          func,
                 gpointer             job_data,
                 GDestroyNotify       job_data_destroy,
                 GDestroyNotify       result_destroy,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  Job *job;

  g_return_if_fail (SC_IS_DB (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new_async (self, JOB_RUN, sc_db_run_async, cancellable, callback, user_data);
  job->flags = flags;
  job->func = func;
  job->job_data = job_data;
  job->job_data_destroy = job_data_destroy;
  job->result_destroy = result_destroy;
  push_job (self, job, FALSE);
}

gpointer
sc_db_run_finish (ScDb          *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (SC_IS_DB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
sc_db_run_sync (ScDb          *self,
                ScDbJobFlags   flags,
                ScDbJobFunc    func,
                gpointer       job_data,
                GError       **error)
{
  Job *job;

  g_return_val_if_fail (SC_IS_DB (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (!sc_db_is_db_thread (self), NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_RUN;
  job->flags = flags;
  job->func = func;
  job->job_data = job_data;
  return push_job_and_wait (self, job, FALSE, error);
}
