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

G_END_DECLS
