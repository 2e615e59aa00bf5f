/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

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

/* Once per process: criticals and warnings abort (a g_return_if_fail hit by
 * an input is a bug), debug output stays off, the C locale's messages. */
static inline void
sc_fuzz_init (void)
{
  static gboolean done = FALSE;

  if (done)
    return;
  done = TRUE;

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("LANGUAGE", "C", TRUE);
}

G_END_DECLS
