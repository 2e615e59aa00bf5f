/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "sc-redemption.h"

G_BEGIN_DECLS

/* Shared by the files of ScCache (sc-cache*.c), DB thread only. */

/* The columns of one redemption, for a table aliased "r". */
#define SC_CACHE_REDEMPTION_COLUMNS \
  "r.id, r.payload, r.code, r.kind, r.source, r.store_id, r.clerk_id, r.scanned_at, " \
  "r.created_at, r.bill_fen, r.discount_fen, r.offline, r.state, r.redeemed_at, " \
  "r.reason, r.updated_at"
#define SC_CACHE_N_REDEMPTION_COLUMNS 16

/* Reads SC_CACHE_REDEMPTION_COLUMNS starting at column @first. */
ScRedemption *sc_cache_redemption_from_row (sqlite3_stmt  *stmt,
                                            int            first,
                                            GError       **error);

G_END_DECLS
