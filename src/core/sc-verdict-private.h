/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-verdict.h"

G_BEGIN_DECLS

/* What sc-verdict.c (the object) and sc-verdict-json.c (its JSON, read and
 * written) share. */

struct _ScVerdict
{
  GObject          parent_instance;

  ScVerdictStatus  status;
  ScCodeKind       kind;
  char            *code;           /* (owned) (nullable) */
  char            *payload;        /* (owned) (nullable) */
  char            *reason;         /* (owned) (nullable) */
  char            *reason_code;    /* (owned) (nullable) the platform's, see sc-verdict-words.h */
  gboolean         offline;
  gboolean         realtime_only;
  GDateTime       *valid_from;     /* (owned) (nullable) */
  GDateTime       *valid_until;    /* (owned) (nullable) */
  char            *store_id;       /* (owned) (nullable) */
  char            *store_name;     /* (owned) (nullable) */
  ScOrderInfo     *order;          /* (owned) (nullable) */
  ScCouponInfo    *coupon;         /* (owned) (nullable) */
  ScPrizeInfo     *prize;          /* (owned) (nullable) */
  ScRedeemedInfo  *redeemed;       /* (owned) (nullable) */
};

/* The header declares no autoptr for items; only the verdict's files need one. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderItem, sc_order_item_free)

G_END_DECLS
