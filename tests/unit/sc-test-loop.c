/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-loop.h"

void
sc_test_loop_init (ScTestLoop *loop)
{
  loop->context = g_main_context_new ();
  loop->result = NULL;
  g_main_context_push_thread_default (loop->context);
}

void
sc_test_loop_clear (ScTestLoop *loop)
{
  g_assert_null (loop->result);
  while (g_main_context_iteration (loop->context, FALSE))
    ;
  g_main_context_pop_thread_default (loop->context);
  g_clear_pointer (&loop->context, g_main_context_unref);
}

void
sc_test_loop_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ScTestLoop *loop = user_data;

  g_assert_true (g_main_context_is_owner (loop->context));
  g_assert_null (loop->result);
  loop->result = g_object_ref (result);
}

GAsyncResult *
sc_test_loop_wait (ScTestLoop *loop)
{
  while (loop->result == NULL)
    g_main_context_iteration (loop->context, TRUE);
  return g_steal_pointer (&loop->result);
}

ScCache *
sc_test_loop_open_cache (ScTestLoop *loop,
                         const char *path)
{
  g_autoptr(ScCache) cache = sc_cache_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_cache_open_async (cache, NULL, sc_test_loop_result_cb, loop);
  result = sc_test_loop_wait (loop);
  g_assert_true (sc_cache_open_finish (cache, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&cache);
}
