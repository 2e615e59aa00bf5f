/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-cache.h"

G_BEGIN_DECLS

/**
 * ScTestLoop: what the unit tests of async objects share: their own main
 * context, pushed as the thread default, and the slot the last async result
 * lands in.
 */
typedef struct
{
  GMainContext *context;   /* (owned) pushed as thread default */
  GAsyncResult *result;    /* (owned) (nullable) the last async result */
} ScTestLoop;

/* A new context, pushed as the thread default. */
void          sc_test_loop_init       (ScTestLoop   *loop);
/* Asserts no result is left, dispatches what is pending, pops and frees the
 * context. */
void          sc_test_loop_clear      (ScTestLoop   *loop);
/* A GAsyncReadyCallback for @user_data, an ScTestLoop: asserts it runs in
 * the loop's context and that the slot is empty, and stores @result. */
void          sc_test_loop_result_cb  (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
/* Iterates the loop's context until a result has come.
 * Returns: (transfer full): that result. */
GAsyncResult *sc_test_loop_wait       (ScTestLoop   *loop);
/* A new ScCache on @path, opened through the loop; asserts it opens.
 * Returns: (transfer full). */
ScCache      *sc_test_loop_open_cache (ScTestLoop   *loop,
                                       const char   *path);

G_END_DECLS
