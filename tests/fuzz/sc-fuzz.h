/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/*
 * A fuzz target (tests/fuzz/fuzz-NAME.c) defines LLVMFuzzerTestOneInput:
 * libFuzzer calls it in the fuzz build (build-aux/run-fuzz), replay.c calls
 * it on every file of corpus/NAME/ in the normal build (the unit suite).
 * A crash, an assertion, a GLib critical or warning, a sanitizer report or
 * a leak is a finding.
 */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Criticals, warnings and errors abort() (SIGABRT, which libFuzzer catches
 * and saves a reproducer for; GLib's own fatal path raises SIGTRAP, which
 * it does not). */
static inline void
sc_fuzz_log_handler (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                   G_LOG_LEVEL_WARNING))
    {
      /* Not through g_log_default_handler(): it traps on fatal levels. */
      fprintf (stderr, "%s-%s **: %s\n", log_domain != NULL ? log_domain : "(none)",
               (log_level & G_LOG_LEVEL_WARNING) ? "WARNING"
               : (log_level & G_LOG_LEVEL_CRITICAL) ? "CRITICAL" : "ERROR",
               message);
      abort ();
    }
  g_log_default_handler (log_domain, log_level, message, user_data);
}

/* Once per process: a g_return_if_fail() or a warning hit by an input is a
 * finding; messages in English. */
static inline void
sc_fuzz_init (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;

  g_log_set_default_handler (sc_fuzz_log_handler, NULL);
  g_setenv ("LANGUAGE", "C", TRUE);
}

G_END_DECLS
