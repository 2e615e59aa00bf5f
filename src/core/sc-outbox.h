/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sc-redemption.h"
#include "sc-types.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/* The rows of the outbox and of the conflicts, as the cache keeps them and
 * the counter hands them out (sc_counter_get_waiting_owners,
 * sc_counter_list_outbox, sc_counter_list_conflicts): what the app may see
 * of the cache. */

/**
 * ScOutboxItem: one outbox row, the redemption it sends and its owner.
 */
typedef struct
{
  gint64        seq;
  char         *action;           /* "redeem" */
  char         *idempotency_key;
  int           attempts;
  gint64        next_attempt_at;  /* unix s; 0 = now */
  char         *last_error;       /* (nullable) */
  char         *platform_id;      /* (nullable) owner: the platform it was made with;
                                   * NULL: not known (rows of older versions) */
  char         *store_id;         /* (nullable) owner: the store that made it */
  char         *clerk_id;         /* (nullable) owner: the clerk that made it */
  ScRedemption *redemption;       /* (owned) the row it sends */
} ScOutboxItem;

void sc_outbox_item_free (ScOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOutboxItem, sc_outbox_item_free)

/**
 * ScOutboxOwner: who some outbox rows belong to (DESIGN §7), and how many.
 */
typedef struct
{
  char  *platform_id;   /* (nullable) NULL: made before platforms had ids here */
  char  *store_id;      /* (nullable) */
  char  *clerk_id;      /* (nullable) */
  guint  count;
} ScOutboxOwner;

void sc_outbox_owner_free (ScOutboxOwner *owner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOutboxOwner, sc_outbox_owner_free)

/* TRUE when rows of (@platform_id, @store_id, @clerk_id) are @session's to
 * send: the same store and clerk, and the same platform id (a NULL one on
 * either side: not known yet, taken as the same). FALSE without a session. */
gboolean  sc_outbox_owner_is_session      (const char          *platform_id,
                                           const char          *store_id,
                                           const char          *clerk_id,
                                           const ScSession     *session);

/**
 * ScConflict: a redemption of this counter that the platform refused (409)
 * because another redemption had taken the code (DESIGN §7), with the
 * platform's record of that other redemption.
 */
typedef struct
{
  ScRedemption *redemption;       /* (owned) this counter's, state CONFLICT */
  ScVerdict    *platform;         /* (owned) (nullable) the platform's record of the code
                                   * when it refused ours: sc_verdict_get_redeemed() is the
                                   * winning redemption (where, when, by whom), and the
                                   * order / coupon / prize when the platform sent them;
                                   * NULL when it sent nothing readable */
  gint64        conflict_at;      /* unix s, counter clock: when the platform refused it */
  gint64        acknowledged_at;  /* unix s; 0: the clerk has not acknowledged it yet */
} ScConflict;

void sc_conflict_free (ScConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScConflict, sc_conflict_free)

G_END_DECLS
