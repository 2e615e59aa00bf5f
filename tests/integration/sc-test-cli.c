/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-cli.h"

#include <signal.h>
#include <string.h>

void
sc_test_cli_run_clear (ScTestCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

GSubprocessLauncher *
sc_test_cli_launcher (GSubprocessFlags  flags,
                      const char       *data_home)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  if (data_home != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  return launcher;
}

GSubprocess *
sc_test_cli_spawn (GSubprocessLauncher *launcher,
                   const char          *url,
                   const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("SC_COUNTER_BIN");
  GSubprocess *process;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  if (url != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--platform-url");
      g_ptr_array_add (argv, (gpointer) url);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  GAsyncResult *result;
  gboolean      timed_out;
} Wait;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
limit_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
sc_test_cli_communicate (GSubprocess  *process,
                         const char   *input,
                         guint         limit_s,
                         ScTestCliRun *run)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) limit = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  if (input != NULL)
    {
      g_autoptr(GError) write_error = NULL;

      /* A run may exit before it reads its input (a database it refuses):
       * the write then fails, and must not kill the test with SIGPIPE. GLib
       * gives the children it spawns the default SIGPIPE again. */
      signal (SIGPIPE, SIG_IGN);
      if (!g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), input,
                                      strlen (input), NULL, NULL, &write_error))
        g_assert_error (write_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
    }
  if (limit_s > 0)
    {
      limit = g_timeout_source_new_seconds (limit_s);
      g_source_set_callback (limit, limit_cb, &wait, NULL);
      g_source_attach (limit, context);
    }
  /* Closes standard input, then reads until the run exits. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &wait);
  while (wait.result == NULL && !wait.timed_out)
    g_main_context_iteration (context, TRUE);

  if (wait.timed_out)
    {
      g_test_message ("still running after %u s: killed", limit_s);
      g_subprocess_force_exit (process);
      while (wait.result == NULL)
        g_main_context_iteration (context, TRUE);
    }
  if (limit != NULL)
    g_source_destroy (limit);

  g_subprocess_communicate_utf8_finish (process, wait.result, &run->out, &run->err, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, NULL);
  run->exited = !wait.timed_out && g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}
