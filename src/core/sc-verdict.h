/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-order.h"
#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScVerdictStatus: the one answer for a code (DESIGN §5). The wire name
 * (sc_verdict_status_to_string) is what the platform API uses.
 */
typedef enum
{
  SC_VERDICT_STATUS_REDEEMABLE,        /* "redeemable"        待核销 */
  SC_VERDICT_STATUS_REDEEMED,          /* "redeemed"          已核销 */
  SC_VERDICT_STATUS_EXPIRED,           /* "expired"           已过期 */
  SC_VERDICT_STATUS_NOT_YET_VALID,     /* "not_yet_valid"     未生效 */
  SC_VERDICT_STATUS_INVALIDATED,       /* "invalidated"       已失效 */
  SC_VERDICT_STATUS_GIFTING,           /* "gifting"           转赠中 */
  SC_VERDICT_STATUS_DELETED,           /* "deleted"           已删除 */
  SC_VERDICT_STATUS_WRONG_STORE,       /* "wrong_store"       非本店提货码/券/兑奖券 */
  SC_VERDICT_STATUS_NOT_FOUND,         /* "not_found"         查无此码 */
  SC_VERDICT_STATUS_MALFORMED,         /* "malformed"         码格式错误 */
  SC_VERDICT_STATUS_QR_STALE,          /* "qr_stale"          二维码已失效 */
  SC_VERDICT_STATUS_NEEDS_NETWORK,     /* "needs_network"     需联网核销 */
  SC_VERDICT_STATUS_THRESHOLD_NOT_MET, /* "threshold_not_met" 未达使用门槛 */
  SC_VERDICT_STATUS_NOT_ELIGIBLE,      /* "not_eligible"      不符合兑奖条件 */
  SC_VERDICT_STATUS_LAST
} ScVerdictStatus;

const char *sc_verdict_status_to_string   (ScVerdictStatus  status);
gboolean    sc_verdict_status_from_string (const char      *str,
                                           ScVerdictStatus *out_status);
/* Translated short label: "Redeemable" / "待核销". */
const char *sc_verdict_status_get_label   (ScVerdictStatus  status);
/* TRUE only for REDEEMABLE. */
gboolean    sc_verdict_status_is_positive (ScVerdictStatus  status);

typedef enum
{
  SC_COUPON_TYPE_CASH,       /* "cash"      立减: value_fen off */
  SC_COUPON_TYPE_THRESHOLD,  /* "threshold" 满减: value_fen off when bill >= min_spend_fen */
  SC_COUPON_TYPE_DISCOUNT,   /* "discount"  折扣: percent_off of the bill, capped by
                              * cap_fen if > 0 */
} ScCouponType;

/* A pickup order's item: its line (sc-order.h). An older platform sends
 * only name, quantity and price_fen: then line_id is NULL and
 * remaining_qty is the quantity. */
typedef ScOrderLine ScOrderItem;

typedef struct
{
  char          *order_id;
  char          *customer_masked;  /* "张*明" */
  char          *phone_tail;       /* last 4 digits */
  gint64         total_fen;
  GPtrArray     *items;            /* (element-type ScOrderItem) (owned) */
  gboolean       has_status;       /* FALSE: an older platform sent no status */
  ScOrderStatus  status;           /* the order's own status when has_status */
} ScOrderInfo;

typedef struct
{
  ScCouponType  type;
  char         *title;
  gint64        value_fen;      /* cash and threshold */
  gint64        min_spend_fen;  /* 0 = none; threshold always has one */
  int           percent_off;    /* discount: 1..99 (12 = 8.8折) */
  gint64        cap_fen;        /* discount: 0 = no cap */
} ScCouponInfo;

typedef struct
{
  char      *activity_id;
  char      *activity_name;
  char      *prize_name;
  GDateTime *activity_end;     /* (nullable) */
  GDateTime *claim_deadline;   /* (nullable) activity end + claim_days working days */
  int        claim_days;
} ScPrizeInfo;

typedef struct
{
  char      *redemption_id;
  GDateTime *at;
  char      *store_id;
  char      *store_name;
  char      *clerk_id;
  char      *clerk_name;
} ScRedeemedInfo;

#define SC_TYPE_VERDICT (sc_verdict_get_type ())
G_DECLARE_FINAL_TYPE (ScVerdict, sc_verdict, SC, VERDICT, GObject)

ScVerdict            *sc_verdict_new                 (ScVerdictStatus  status,
                                                      ScCodeKind       kind,
                                                      const char      *code,
                                                      const char      *payload);
/* A local MALFORMED (or QR_STALE for SC_CODE_ERROR_TOKEN_TOO_OLD/FUTURE)
 * verdict for what sc_code_parse() rejected; the reason is the error message. */
ScVerdict            *sc_verdict_new_for_parse_error (const char      *input,
                                                      const GError    *error);

/*
 * Parses the body of `POST /v1/codes/lookup` (see DESIGN §6 and
 * sc_verdict_to_json for the exact shape). Every member read is type-checked:
 * a missing required member or a wrong type is an error
 * (SC_VERDICT_ERROR_BAD_DATA), never a crash.
 */
ScVerdict            *sc_verdict_new_from_json       (JsonObject      *object,
                                                      GError         **error);
/* The same shape back (lookup answer), plus "reason", "offline" and
 * "label" (translated) members; used by the platform and `--json`. */
JsonNode             *sc_verdict_to_json             (ScVerdict       *self);

ScVerdictStatus       sc_verdict_get_status          (ScVerdict       *self);
ScCodeKind            sc_verdict_get_kind            (ScVerdict       *self);
const char           *sc_verdict_get_code            (ScVerdict       *self);
const char           *sc_verdict_get_payload         (ScVerdict       *self);
/* What to send to redeem it: the code, or the whole live token. */
void                  sc_verdict_set_payload         (ScVerdict       *self,
                                                      const char      *payload);
/* Why, in the counter's words (sc-verdict-words.h): for malformed, qr_stale,
 * not_eligible, needs_network, wrong_store (with the owner store's name); the
 * platform's own words only for a reason code the counter does not know. */
const char           *sc_verdict_get_reason          (ScVerdict       *self);
void                  sc_verdict_set_reason          (ScVerdict       *self,
                                                      const char      *reason);
/* TRUE when the counter decided this from its cache, without the platform. */
/* (nullable) the platform's reason code ("claim_window_closed", …). */
const char           *sc_verdict_get_reason_code     (ScVerdict       *self);
/* The status label for this kind (sc_verdict_words_label): for wrong_store
 * "Another store’s pickup code" / 非本店提货码 and so on. */
const char           *sc_verdict_get_label           (ScVerdict       *self);
gboolean              sc_verdict_get_offline         (ScVerdict       *self);
void                  sc_verdict_set_offline         (ScVerdict       *self,
                                                      gboolean         offline);
gboolean              sc_verdict_get_realtime_only   (ScVerdict       *self);
void                  sc_verdict_set_realtime_only   (ScVerdict       *self,
                                                      gboolean         realtime_only);
GDateTime            *sc_verdict_get_valid_from      (ScVerdict       *self);
GDateTime            *sc_verdict_get_valid_until     (ScVerdict       *self);
void                  sc_verdict_set_validity        (ScVerdict       *self,
                                                      GDateTime       *valid_from,
                                                      GDateTime       *valid_until);
const char           *sc_verdict_get_store_id        (ScVerdict       *self);
const char           *sc_verdict_get_store_name      (ScVerdict       *self);

/* Details: each (nullable), owned by the verdict. The setters take ownership. */
const ScOrderInfo    *sc_verdict_get_order           (ScVerdict       *self);
const ScCouponInfo   *sc_verdict_get_coupon          (ScVerdict       *self);
const ScPrizeInfo    *sc_verdict_get_prize           (ScVerdict       *self);
const ScRedeemedInfo *sc_verdict_get_redeemed        (ScVerdict       *self);
void                  sc_verdict_take_order          (ScVerdict       *self,
                                                      ScOrderInfo     *order);
void                  sc_verdict_take_redeemed       (ScVerdict       *self,
                                                      ScRedeemedInfo  *redeemed);

/*
 * The discount a coupon gives on a bill of @bill_fen (>= 0): FALSE with
 * *out_status = SC_VERDICT_STATUS_THRESHOLD_NOT_MET when the bill is below the
 * minimum spend. Cash: min(value, bill); threshold: value; discount:
 * floor(bill * percent_off / 100), capped by cap_fen when > 0; never more
 * than the bill.
 */
gboolean              sc_coupon_info_compute         (const ScCouponInfo *coupon,
                                                      gint64              bill_fen,
                                                      gint64             *out_discount_fen,
                                                      ScVerdictStatus    *out_status);
const char           *sc_coupon_type_to_string       (ScCouponType        type);
gboolean              sc_coupon_type_from_string     (const char         *str,
                                                      ScCouponType       *out_type);

void                  sc_order_item_free             (ScOrderItem    *item);
void                  sc_order_info_free             (ScOrderInfo    *info);
void                  sc_coupon_info_free            (ScCouponInfo   *info);
void                  sc_prize_info_free             (ScPrizeInfo    *info);
void                  sc_redeemed_info_free          (ScRedeemedInfo *info);

typedef enum
{
  SC_VERDICT_ERROR_BAD_DATA,
} ScVerdictError;

#define SC_VERDICT_ERROR (sc_verdict_error_quark ())
GQuark sc_verdict_error_quark (void);

/* Money for people: "¥12.90", "-¥0.50". */
char      *sc_format_fen               (gint64      fen);

/* RFC 3339 helpers shared by every JSON reader/writer in the project. */
GDateTime *sc_date_time_parse_rfc3339  (const char *str);   /* NULL if invalid */
char      *sc_date_time_format_rfc3339 (GDateTime  *dt);    /* UTC, "Z", seconds */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScOrderInfo, sc_order_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScCouponInfo, sc_coupon_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPrizeInfo, sc_prize_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScRedeemedInfo, sc_redeemed_info_free)

G_END_DECLS
