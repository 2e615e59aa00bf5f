/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sc-db.h"
#include "sc-platform-store-types.h"

G_BEGIN_DECLS

/**
 * ScPlatformStore: the reference platform's data, over one ScDb: it opens
 * the database (sc-platform-schema.c) and dispatches each request to its op
 * (sc-platform-ops-*.c). Each request becomes one ScDb job; write jobs
 * run inside BEGIN IMMEDIATE on the DB thread, so a code is redeemed at most
 * once however many counters ask at the same time.
 *
 * Answers are ready HTTP answers (status + JSON text), so that an
 * idempotent replay can give back exactly the first one.
 */

#define SC_TYPE_PLATFORM_STORE (sc_platform_store_get_type ())
G_DECLARE_FINAL_TYPE (ScPlatformStore, sc_platform_store, SC, PLATFORM_STORE, GObject)

ScPlatformStore *sc_platform_store_new               (const char          *db_path,
                                                      int                  undo_window_s,
                                                      int                  session_ttl_s);
/* Opens the database and loads (or creates) the platform secret. Blocks:
 * call it before the main loop runs. */
gboolean         sc_platform_store_open_sync         (ScPlatformStore     *self,
                                                      GError             **error);
/* --seed-demo: seeds the demo data if there are no stores yet, else moves
 * the seeded dates so that the seed day is today. Blocks. */
gboolean         sc_platform_store_seed_demo_sync    (ScPlatformStore     *self,
                                                      gint64               now,
                                                      GError             **error);
/* The platform's stable id (random, kept in its database): the same for
 * every address it is reached at. NULL before open. */
const char      *sc_platform_store_get_platform_id   (ScPlatformStore     *self);

/* Runs @request (transfer full) as one ScDb job. */
void             sc_platform_store_call_async        (ScPlatformStore     *self,
                                                      ScPlatformRequest   *request,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
ScPlatformReply *sc_platform_store_call_finish       (ScPlatformStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void             sc_platform_store_close             (ScPlatformStore     *self);

G_END_DECLS
