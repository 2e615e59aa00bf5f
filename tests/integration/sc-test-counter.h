/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-cache.h"
#include "sc-counter.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/* A new ScCache on @path, opened; asserts it opens.
 * Returns: (transfer full). */
ScCache   *sc_test_open_cache     (const char *path);
/* Signs @clerk of store 1001 in with PIN 1234; asserts it succeeds. */
void       sc_test_counter_login  (ScCounter  *counter,
                                   const char *clerk);
/* Iterates the default main context until @counter is idle. */
void       sc_test_counter_idle   (ScCounter  *counter);
/* Looks @input up; asserts there is a verdict.
 * Returns: (transfer full). */
ScVerdict *sc_test_counter_lookup (ScCounter  *counter,
                                   const char *input);

G_END_DECLS
