/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-types.h"
#include "sc-connectivity.h"
#include "sc-redemption.h"

G_BEGIN_DECLS

/**
 * ScSync: the outbox drain (DESIGN §7). Items go in order, each with its
 * idempotency key, in batches; each goes by the action its outbox row
 * names (sc-sync-private.h: "redeem", "reversal"), and an item whose
 * send may or may not have arrived (UNCERTAIN) is first asked about. An
 * action this version does not know is kept, never sent nor dropped.
 *
 * Only a session of the platform, store and clerk that made an item sends
 * it; the others wait, counted in "waiting". Items put off by the platform
 * (429 / 5xx backoff, Retry-After, sc-backoff) go when they are due, on a
 * timer; offline, the probe (ScConnectivity) decides when to try again.
 *
 * Properties: "unsynced" (log rows still PENDING or UNCERTAIN), "waiting"
 * (outbox items this session may not send), both read-only.
 * Signals: "redemption-changed" (ScRedemption *) whenever the drain moves a
 * redemption to another state.
 */

#define SC_TYPE_SYNC (sc_sync_get_type ())
G_DECLARE_FINAL_TYPE (ScSync, sc_sync, SC, SYNC, GObject)

ScSync     *sc_sync_new                (ScCache          *cache,
                                        ScPlatformClient *client,
                                        ScConnectivity   *connectivity);
/* Whose items may go: a copy of @session is kept (NULL: none go). */
void        sc_sync_set_session        (ScSync           *self,
                                        const ScSession  *session);
/* Drains the outbox (again, if a drain is under way). Offline, only a
 * @force drain (an explicit sync) tries. */
void        sc_sync_start              (ScSync           *self,
                                        gboolean          force);
/* @task gets the number of items that reached a final state (int) when
 * the next drain ends, or its error. */
void        sc_sync_add_caller         (ScSync           *self,
                                        GTask            *task);
/* @task (its task data the ScRedemption as saved) gets a copy of the
 * redemption @id as it stands once the drain tried it, or when it ends. */
void        sc_sync_add_waiter         (ScSync           *self,
                                        const char       *id,
                                        GTask            *task);
/* (nullable) the redemption being sent right now */
const char *sc_sync_get_inflight_id    (ScSync           *self);
/* @id was withdrawn locally: never send it. */
void        sc_sync_withdraw           (ScSync           *self,
                                        const char       *id);
/* A redemption was added to the log and outbox. */
void        sc_sync_note_added         (ScSync           *self);
/* Recounts "unsynced" and "waiting" from the cache. */
void        sc_sync_refresh_counts     (ScSync           *self);
guint       sc_sync_get_unsynced       (ScSync           *self);
guint       sc_sync_get_waiting        (ScSync           *self);
/* Returns: (transfer none) (element-type ScOutboxOwner) */
GPtrArray  *sc_sync_get_waiting_owners (ScSync           *self);
/* TRUE when no drain or count is under way. */
gboolean    sc_sync_is_idle            (ScSync           *self);

G_END_DECLS
