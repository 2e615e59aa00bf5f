/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ScTestCliRun: what one run of the store-counter command line said.
 */
typedef struct
{
  gboolean  exited;   /* FALSE: killed after the time limit, or by a signal */
  int       status;   /* its exit status; -1 when it did not exit */
  char     *out;      /* (owned) standard output */
  char     *err;      /* (owned) standard error */
} ScTestCliRun;

void                 sc_test_cli_run_clear   (ScTestCliRun        *run);

/* A launcher for $SC_COUNTER_BIN with @flags, as the tests run it: in the
 * C.UTF-8 locale without LANGUAGE, and with XDG_DATA_HOME @data_home unless
 * it is NULL. */
GSubprocessLauncher *sc_test_cli_launcher    (GSubprocessFlags     flags,
                                              const char          *data_home);
/* Spawns $SC_COUNTER_BIN from @launcher with --platform-url @url (unless
 * @url is NULL), then @args (NULL-terminated); asserts it starts.
 * Returns: (transfer full). */
GSubprocess         *sc_test_cli_spawn       (GSubprocessLauncher *launcher,
                                              const char          *url,
                                              const char * const  *args);
/* Writes @input (nullable; @process needs a stdin pipe) to @process's
 * standard input, closes it and reads its output into @run until it exits
 * (a run that exits without reading its input is fine); when @limit_s is
 * not 0 and it has not exited after @limit_s seconds, kills it. Logs what
 * it said. */
void                 sc_test_cli_communicate (GSubprocess         *process,
                                              const char          *input,
                                              guint                limit_s,
                                              ScTestCliRun        *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScTestCliRun, sc_test_cli_run_clear)

G_END_DECLS
