/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-counter.h"

#include "sc-test-platform.h"

ScCache *
sc_test_open_cache (const char *path)
{
  g_autoptr(ScCache) cache = sc_cache_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_cache_open_async (cache, NULL, sc_test_result_cb, &result);
  g_assert_true (sc_cache_open_finish (cache, sc_test_wait_result (&result), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&cache);
}

void
sc_test_counter_login (ScCounter  *counter,
                       const char *clerk)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sc_counter_login_async (counter, "1001", clerk, "1234", NULL, sc_test_result_cb, &result);
  g_assert_true (sc_counter_login_finish (counter, sc_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

void
sc_test_counter_idle (ScCounter *counter)
{
  while (!sc_counter_is_idle (counter))
    g_main_context_iteration (NULL, TRUE);
}

ScVerdict *
sc_test_counter_lookup (ScCounter  *counter,
                        const char *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScVerdict *verdict;

  sc_counter_lookup_async (counter, input, NULL, sc_test_result_cb, &result);
  verdict = sc_counter_lookup_finish (counter, sc_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (verdict);
  return verdict;
}
