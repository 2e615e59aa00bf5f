/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-cache.h"

#include "sc-cache-private.h"
#include "sc-db.h"

/* The cache's own tasks: a job runs on the DB thread (ScDb), and its
 * result, once committed, is handed to a GTask whose source object is the
 * ScCache, on the caller's main context. */

GTask *
sc_cache_task_new (ScCache             *self,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* What the DB thread committed is reported as committed; cancellation is
   * honoured before a job runs (ScDb). */
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

void
sc_cache_forward_boolean_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (sc_db_run_finish (SC_DB (source), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sc_cache_forward_count_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree gint64 *count = NULL;

  count = sc_db_run_finish (SC_DB (source), result, &error);
  if (count == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) *count);
}

/* What sc_cache_run_task() hands the job's callback. */
typedef struct
{
  GTask          *task;            /* (owned) */
  GDestroyNotify  result_destroy;
} Forward;

static void
forward_pointer_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree Forward *forward = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&forward->task);
  GError *error = NULL;
  gpointer value;

  value = sc_db_run_finish (SC_DB (source), result, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, forward->result_destroy);
}

void
sc_cache_run_task (ScCache        *self,
                   GTask          *task,
                   ScDbJobFlags    flags,
                   ScDbJobFunc     func,
                   gpointer        job_data,
                   GDestroyNotify  job_data_destroy,
                   GDestroyNotify  result_destroy)
{
  Forward *forward = g_new0 (Forward, 1);

  forward->task = task;
  forward->result_destroy = result_destroy;
  sc_db_run_async (sc_cache_get_db (self), flags, func, job_data, job_data_destroy,
                   result_destroy, g_task_get_cancellable (task), forward_pointer_cb, forward);
}

void
sc_cache_run_job (ScCache             *self,
                  gpointer             source_tag,
                  ScDbJobFlags         flags,
                  ScDbJobFunc          func,
                  gpointer             job_data,
                  GDestroyNotify       job_data_destroy,
                  GDestroyNotify       result_destroy,
                  GAsyncReadyCallback  forward,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = sc_cache_task_new (self, source_tag, cancellable, callback, user_data);

  if (forward == NULL)
    sc_cache_run_task (self, task, flags, func, job_data, job_data_destroy, result_destroy);
  else
    sc_db_run_async (sc_cache_get_db (self), flags, func, job_data, job_data_destroy,
                     result_destroy, cancellable, forward, task);
}

gboolean
sc_cache_propagate_boolean (ScCache       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (SC_IS_CACHE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
sc_cache_propagate_pointer (ScCache       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (SC_IS_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
