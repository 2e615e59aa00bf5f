/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _ScCode           ScCode;
typedef struct _ScVerdict        ScVerdict;
typedef struct _ScDb             ScDb;
typedef struct _ScCache          ScCache;
typedef struct _ScPlatformClient ScPlatformClient;
typedef struct _ScCounter        ScCounter;
typedef struct _ScSession        ScSession;
typedef struct _ScRedemption     ScRedemption;
typedef struct _ScOrder          ScOrder;

/* Money is integer fen (1/100 yuan) everywhere. Times are Unix seconds (UTC)
 * in gint64 unless a GDateTime is more natural. */

/**
 * ScCodeKind: what a platform code is, from its first digit (DESIGN §4).
 */
typedef enum
{
  SC_CODE_KIND_UNKNOWN = 0,
  SC_CODE_KIND_PICKUP,      /* 1-3: 提货码 */
  SC_CODE_KIND_COUPON,      /* 5-6: 优惠券 */
  SC_CODE_KIND_PRIZE,       /* 8:   兑奖券 */
  SC_CODE_KIND_PHONE_TAIL,  /* a 4-digit entry: 手机尾号 */
} ScCodeKind;

const char *sc_code_kind_to_string   (ScCodeKind  kind);
gboolean    sc_code_kind_from_string (const char *str,
                                      ScCodeKind *out_kind);
/* Translated, for people: "Pickup code" / "提货码" */
const char *sc_code_kind_get_label   (ScCodeKind  kind);

G_END_DECLS
