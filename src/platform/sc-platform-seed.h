/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-db.h"

G_BEGIN_DECLS

/*
 * The demo data (deterministic: a GRand with a fixed seed, dates relative to
 * the day holding @now in Asia/Shanghai). DB thread only, inside a write job.
 *
 * sc_platform_seed_demo_insert: removes the codes, orders, redemptions,
 * claims and idempotency records, then inserts stores 1001 (示范自提点) and
 * 1002 (东门自提点) with their clerks (PIN 1234) if missing, and the demo
 * codes. Every code gets a new manifest version.
 *
 * sc_platform_seed_redate: moves every seeded time by whole days so that
 * the seed day becomes the day holding @now.
 */
gboolean sc_platform_seed_demo_insert (ScDb    *db,
                                       gint64   now,
                                       GError **error);
gboolean sc_platform_seed_redate      (ScDb    *db,
                                       gint64   now,
                                       GError **error);

/*
 * Test-only admin calls (DB thread, inside a write job).
 *
 * sc_platform_seed_add_orders: @count new redeemable pickup orders of
 * @store_id, valid from yesterday to at least tomorrow, with random codes,
 * each under its own new manifest version; appends their codes to
 * @out_codes.
 *
 * sc_platform_seed_touch_orders: changes up to @count active, unredeemed,
 * current pickup orders of @store_id, each under its own new manifest
 * version: one in ten cancelled, one deleted, one moved over a week into
 * the past (so it leaves the manifest), the others get new items. Sets
 * *out_touched to how many were changed.
 */
gboolean sc_platform_seed_add_orders   (ScDb        *db,
                                        gint64       now,
                                        const char  *store_id,
                                        int          count,
                                        GPtrArray   *out_codes,
                                        GError     **error);
gboolean sc_platform_seed_touch_orders (ScDb        *db,
                                        gint64       now,
                                        const char  *store_id,
                                        int          count,
                                        int         *out_touched,
                                        GError     **error);

G_END_DECLS
