/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sc-platform-store-types.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/*
 * The platform's rules for a code (DESIGN §4, §5): functions of plain
 * values, with no SQLite and no HTTP, so that they can be tested alone
 * (tests/unit/test-platform-codes.c). Any thread.
 */

/* One line of a pickup order (issue 12): what was ordered and what became
 * of it. Strings are (owned). */
typedef struct
{
  char     *line_id;
  char     *name;
  gint64    qty;
  gint64    price_fen;
  gint64    picked_qty;       /* by redemptions not reversed */
  gint64    missing_qty;      /* marked missing or damaged */
} ScPlatformOrderLine;

void             sc_platform_order_line_free        (ScPlatformOrderLine     *line);
/* What is left to hand over of @line: never below 0. */
gint64           sc_platform_order_line_remaining   (const ScPlatformOrderLine *line);

/* A code as the platform holds it (one row of the codes table with its
 * store, activity and redemption). Strings are (owned) (nullable). */
typedef struct
{
  char     *code;
  char     *kind;
  char     *store_id;
  char     *store_name;
  char     *store_tz;
  char     *state;
  gboolean  has_valid_from;
  gint64    valid_from;
  gboolean  has_valid_until;
  gint64    valid_until;
  gboolean  realtime_only;
  char     *order_id;
  char     *customer_masked;
  char     *phone_tail;
  gint64    total_fen;
  char     *items;            /* JSON text */
  char     *coupon_type;
  char     *title;
  gint64    value_fen;
  gint64    min_spend_fen;
  int       percent_off;
  gint64    cap_fen;
  char     *activity_id;
  char     *activity_name;
  gint64    activity_end;
  int       claim_days;
  char     *prize_name;
  gboolean  claimed;          /* the person claimed a prize of this activity already */
  char     *redemption_id;    /* (nullable) the redemption holding the code */
  gint64    redeemed_at;
  char     *r_store_id;
  char     *r_store_name;
  char     *r_clerk_id;
  char     *r_clerk_name;
  gint64    version;
  char     *note;
  char     *customer_name;    /* the full name: never sent */
  gboolean  has_created_at;
  gint64    created_at;
  GPtrArray *lines;           /* (owned) (nullable) (element-type ScPlatformOrderLine): a
                               * pickup order's lines, when loaded; empty for an order
                               * without items */
} ScPlatformCodeRow;

void             sc_platform_code_row_free          (ScPlatformCodeRow       *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPlatformCodeRow, sc_platform_code_row_free)

typedef enum
{
  SC_PLATFORM_TOKEN_NONE,     /* a bare code or URL */
  SC_PLATFORM_TOKEN_OK,       /* a fresh, well-signed live token */
  SC_PLATFORM_TOKEN_STALE,    /* too old or too far ahead */
  SC_PLATFORM_TOKEN_BAD_SIG,  /* not signed by us */
} ScPlatformTokenCheck;

/* "pickup", "coupon", "prize" or "unknown", from the first digit of @code. */
const char          *sc_platform_codes_kind            (const char              *code);

/* The last second of the claim window: @claim_days working days (Monday to
 * Friday) after the local day (in @tz_id, Asia/Shanghai if NULL or
 * unknown) of @end_at. */
gint64               sc_platform_codes_claim_deadline  (const char              *tz_id,
                                                        gint64                   end_at,
                                                        int                      claim_days);

/* The live token of @req: none (a bare code), stale (the request reader
 * found it outside -300 s / +30 s of its time), not signed under
 * @req->secret, or fine. */
ScPlatformTokenCheck sc_platform_codes_token_check     (const ScPlatformRequest *req);

/* The status of @row for a counter of @store_id at time @t (DESIGN §5),
 * checked in this order: wrong_store (first: nothing about another store's
 * code may show), deleted, invalidated, gifting, redeemed, not_yet_valid,
 * expired, not_eligible, qr_stale. *@out_reason: the reason code
 * (sc-verdict-words) for not_eligible and qr_stale, (transfer full). */
ScVerdictStatus      sc_platform_codes_status          (const ScPlatformCodeRow *row,
                                                        const char              *store_id,
                                                        gint64                   t,
                                                        ScPlatformTokenCheck     token,
                                                        char                   **out_reason);

/* The discount of coupon @row on a bill of @bill_fen (integer fen: percent
 * off rounds down, at most the cap if any, never more than the bill);
 * FALSE if the bill does not reach the minimum spend. */
gboolean             sc_platform_codes_coupon_discount (const ScPlatformCodeRow *row,
                                                        gint64                   bill_fen,
                                                        gint64                  *out_discount);

/* The status of pickup order @row at time @t, from its state and lines
 * (issue 12): "cancelled" (invalidated or deleted), "picked_up" (no line
 * left, none missing; or redeemed, for an order without lines),
 * "missing_items" (no line left, some marked missing or damaged),
 * "expired" (lines left after the pickup window), "partially_picked_up"
 * (lines left, some handed over or marked), else "open". */
const char          *sc_platform_codes_order_status    (const ScPlatformCodeRow *row,
                                                        gint64                   t);
/* The order statuses, in the order of their bits in a status mask. */
extern const char * const sc_platform_order_statuses[];
#define SC_PLATFORM_ORDER_STATUS_ALL 0x3fu
/* A comma list of order statuses as a mask (bit i: sc_platform_order_statuses[i]);
 * "open" also takes in "partially_picked_up" (everything still to hand
 * over). FALSE for an empty list or an unknown name. */
gboolean             sc_platform_codes_order_status_mask (const char            *list,
                                                          guint                 *out_mask);
/* Whether @status is one of @mask. */
gboolean             sc_platform_codes_order_status_in   (const char            *status,
                                                          guint                  mask);
/* The totals of @row's lines (any out pointer may be NULL). */
void                 sc_platform_codes_order_totals    (const ScPlatformCodeRow *row,
                                                        gint64                  *out_picked,
                                                        gint64                  *out_missing,
                                                        gint64                  *out_remaining);

G_END_DECLS
