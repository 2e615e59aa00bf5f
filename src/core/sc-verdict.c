/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-verdict.h"
#include "sc-names.h"
#include "sc-verdict-private.h"
#include "sc-verdict-words.h"

G_DEFINE_QUARK (sc-verdict-error-quark, sc_verdict_error)

/* Status */

static const char * const status_names[] = {
  [SC_VERDICT_STATUS_REDEEMABLE]        = "redeemable",
  [SC_VERDICT_STATUS_REDEEMED]          = "redeemed",
  [SC_VERDICT_STATUS_EXPIRED]           = "expired",
  [SC_VERDICT_STATUS_NOT_YET_VALID]     = "not_yet_valid",
  [SC_VERDICT_STATUS_INVALIDATED]       = "invalidated",
  [SC_VERDICT_STATUS_GIFTING]           = "gifting",
  [SC_VERDICT_STATUS_DELETED]           = "deleted",
  [SC_VERDICT_STATUS_WRONG_STORE]       = "wrong_store",
  [SC_VERDICT_STATUS_NOT_FOUND]         = "not_found",
  [SC_VERDICT_STATUS_MALFORMED]         = "malformed",
  [SC_VERDICT_STATUS_QR_STALE]          = "qr_stale",
  [SC_VERDICT_STATUS_NEEDS_NETWORK]     = "needs_network",
  [SC_VERDICT_STATUS_THRESHOLD_NOT_MET] = "threshold_not_met",
  [SC_VERDICT_STATUS_NOT_ELIGIBLE]      = "not_eligible",
};

G_STATIC_ASSERT (G_N_ELEMENTS (status_names) == SC_VERDICT_STATUS_LAST);

const char *
sc_verdict_status_to_string (ScVerdictStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_names))
    return NULL;

  return status_names[status];
}

gboolean
sc_verdict_status_from_string (const char      *str,
                               ScVerdictStatus *out_status)
{
  int i = sc_names_find (status_names, G_N_ELEMENTS (status_names), str);

  if (i < 0)
    return FALSE;
  if (out_status != NULL)
    *out_status = (ScVerdictStatus) i;
  return TRUE;
}

const char *
sc_verdict_status_get_label (ScVerdictStatus status)
{
  switch (status)
    {
    case SC_VERDICT_STATUS_REDEEMABLE:
      /* Translators: verdict: 待核销 */
      return _("Redeemable");
    case SC_VERDICT_STATUS_REDEEMED:
      /* Translators: verdict: 已核销 */
      return _("Already redeemed");
    case SC_VERDICT_STATUS_EXPIRED:
      /* Translators: verdict: 已过期 */
      return _("Expired");
    case SC_VERDICT_STATUS_NOT_YET_VALID:
      /* Translators: verdict: 未生效 */
      return _("Not yet valid");
    case SC_VERDICT_STATUS_INVALIDATED:
      /* Translators: verdict: 已失效 */
      return _("Invalidated by the merchant");
    case SC_VERDICT_STATUS_GIFTING:
      /* Translators: verdict: 转赠中 */
      return _("Being gifted");
    case SC_VERDICT_STATUS_DELETED:
      /* Translators: verdict: 已删除 */
      return _("Deleted");
    case SC_VERDICT_STATUS_WRONG_STORE:
      /* Translators: verdict, any kind (非本店的码); see sc-verdict-words.c
       * for the words by kind */
      return _("Another store’s code");
    case SC_VERDICT_STATUS_NOT_FOUND:
      /* Translators: verdict: 查无此码 */
      return _("Unknown code");
    case SC_VERDICT_STATUS_MALFORMED:
      /* Translators: verdict: 码格式错误 */
      return _("Not a valid code");
    case SC_VERDICT_STATUS_QR_STALE:
      /* Translators: verdict: 二维码已失效 */
      return _("Live code expired");
    case SC_VERDICT_STATUS_NEEDS_NETWORK:
      /* Translators: verdict: 需联网核销 */
      return _("Needs network");
    case SC_VERDICT_STATUS_THRESHOLD_NOT_MET:
      /* Translators: verdict: 未达使用门槛 */
      return _("Minimum spend not reached");
    case SC_VERDICT_STATUS_NOT_ELIGIBLE:
      /* Translators: verdict: 不符合兑奖条件 */
      return _("Not eligible");
    case SC_VERDICT_STATUS_LAST:
    default:
      return _("Not a valid code");
    }
}

gboolean
sc_verdict_status_is_positive (ScVerdictStatus status)
{
  return status == SC_VERDICT_STATUS_REDEEMABLE;
}

/* Coupons */

static const char * const coupon_type_names[] = {
  [SC_COUPON_TYPE_CASH]      = "cash",
  [SC_COUPON_TYPE_THRESHOLD] = "threshold",
  [SC_COUPON_TYPE_DISCOUNT]  = "discount",
};

const char *
sc_coupon_type_to_string (ScCouponType type)
{
  if ((guint) type >= G_N_ELEMENTS (coupon_type_names))
    return NULL;

  return coupon_type_names[type];
}

gboolean
sc_coupon_type_from_string (const char   *str,
                            ScCouponType *out_type)
{
  int i = sc_names_find (coupon_type_names, G_N_ELEMENTS (coupon_type_names), str);

  if (i < 0)
    return FALSE;
  if (out_type != NULL)
    *out_type = (ScCouponType) i;
  return TRUE;
}

gboolean
sc_coupon_info_compute (const ScCouponInfo *coupon,
                        gint64              bill_fen,
                        gint64             *out_discount_fen,
                        ScVerdictStatus    *out_status)
{
  gint64 discount = 0;

  g_return_val_if_fail (coupon != NULL, FALSE);
  g_return_val_if_fail (bill_fen >= 0, FALSE);

  if (out_discount_fen != NULL)
    *out_discount_fen = 0;

  if (coupon->min_spend_fen > 0 && bill_fen < coupon->min_spend_fen)
    {
      if (out_status != NULL)
        *out_status = SC_VERDICT_STATUS_THRESHOLD_NOT_MET;
      return FALSE;
    }

  switch (coupon->type)
    {
    case SC_COUPON_TYPE_CASH:
    case SC_COUPON_TYPE_THRESHOLD:
      discount = MAX (coupon->value_fen, 0);
      break;

    case SC_COUPON_TYPE_DISCOUNT:
      {
        gint64 percent = CLAMP (coupon->percent_off, 0, 100);

        /* floor (bill * percent / 100) without overflow */
        discount = (bill_fen / 100) * percent + ((bill_fen % 100) * percent) / 100;
        if (coupon->cap_fen > 0)
          discount = MIN (discount, coupon->cap_fen);
      }
      break;

    default:
      discount = 0;
      break;
    }

  discount = MIN (discount, bill_fen);

  if (out_discount_fen != NULL)
    *out_discount_fen = discount;
  if (out_status != NULL)
    *out_status = SC_VERDICT_STATUS_REDEEMABLE;

  return TRUE;
}

/* Detail structs */

void
sc_order_item_free (ScOrderItem *item)
{
  sc_order_line_free (item);
}

void
sc_order_info_free (ScOrderInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->order_id);
  g_free (info->customer_masked);
  g_free (info->phone_tail);
  g_clear_pointer (&info->items, g_ptr_array_unref);
  g_free (info);
}

void
sc_coupon_info_free (ScCouponInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->title);
  g_free (info);
}

void
sc_prize_info_free (ScPrizeInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->activity_id);
  g_free (info->activity_name);
  g_free (info->prize_name);
  g_clear_pointer (&info->activity_end, g_date_time_unref);
  g_clear_pointer (&info->claim_deadline, g_date_time_unref);
  g_free (info);
}

void
sc_redeemed_info_free (ScRedeemedInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->redemption_id);
  g_clear_pointer (&info->at, g_date_time_unref);
  g_free (info->store_id);
  g_free (info->store_name);
  g_free (info->clerk_id);
  g_free (info->clerk_name);
  g_free (info);
}

/* RFC 3339 */

GDateTime *
sc_date_time_parse_rfc3339 (const char *str)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *copy = NULL;
  size_t len;
  g_autoptr(GDateTime) dt = NULL;

  if (str == NULL || strlen (str) < sizeof pattern - 1)
    return NULL;

  /* g_date_time_new_from_iso8601() also takes week dates, ordinal dates
   * and basic formats; RFC 3339 wants the full date and time. */
  for (size_t i = 0; i < sizeof pattern - 1; i++)
    {
      if (pattern[i] == 'd')
        {
          if (!g_ascii_isdigit (str[i]))
            return NULL;
        }
      else if (pattern[i] == 'T')
        {
          if (str[i] != 'T' && str[i] != 't' && str[i] != ' ')
            return NULL;
        }
      else if (str[i] != pattern[i])
        {
          return NULL;
        }
    }

  /* RFC 3339 allows "t", "z" and a space where GLib wants "T" and "Z". */
  copy = g_strdup (str);
  copy[10] = 'T';
  len = strlen (copy);
  if (copy[len - 1] == 'z')
    copy[len - 1] = 'Z';

  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (copy, utc);
  if (dt == NULL)
    return NULL;

  return g_date_time_to_utc (dt);
}

char *
sc_date_time_format_rfc3339 (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (dt != NULL, NULL);

  utc = g_date_time_to_utc (dt);
  if (utc == NULL)
    return NULL;

  /* Not g_date_time_format's %Y: it does not pad years before 1000 to the
   * four digits RFC 3339 (and sc_date_time_parse_rfc3339) want. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

/* ScVerdict (the instance struct: sc-verdict-private.h) */

G_DEFINE_FINAL_TYPE (ScVerdict, sc_verdict, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_KIND,
  PROP_CODE,
  PROP_PAYLOAD,
  PROP_REASON,
  PROP_OFFLINE,
  PROP_REALTIME_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sc_verdict_finalize (GObject *object)
{
  ScVerdict *self = SC_VERDICT (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->payload, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->reason_code, g_free);
  g_clear_pointer (&self->valid_from, g_date_time_unref);
  g_clear_pointer (&self->valid_until, g_date_time_unref);
  g_clear_pointer (&self->store_id, g_free);
  g_clear_pointer (&self->store_name, g_free);
  g_clear_pointer (&self->order, sc_order_info_free);
  g_clear_pointer (&self->coupon, sc_coupon_info_free);
  g_clear_pointer (&self->prize, sc_prize_info_free);
  g_clear_pointer (&self->redeemed, sc_redeemed_info_free);

  G_OBJECT_CLASS (sc_verdict_parent_class)->finalize (object);
}

static void
sc_verdict_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ScVerdict *self = SC_VERDICT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_PAYLOAD:
      g_value_set_string (value, self->payload);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_REALTIME_ONLY:
      g_value_set_boolean (value, self->realtime_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_verdict_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ScVerdict *self = SC_VERDICT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      self->status = (ScVerdictStatus) g_value_get_int (value);
      break;
    case PROP_KIND:
      self->kind = (ScCodeKind) g_value_get_int (value);
      break;
    case PROP_CODE:
      g_free (self->code);
      self->code = g_value_dup_string (value);
      break;
    case PROP_PAYLOAD:
      sc_verdict_set_payload (self, g_value_get_string (value));
      break;
    case PROP_REASON:
      sc_verdict_set_reason (self, g_value_get_string (value));
      break;
    case PROP_OFFLINE:
      sc_verdict_set_offline (self, g_value_get_boolean (value));
      break;
    case PROP_REALTIME_ONLY:
      sc_verdict_set_realtime_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_verdict_class_init (ScVerdictClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_verdict_finalize;
  object_class->get_property = sc_verdict_get_property;
  object_class->set_property = sc_verdict_set_property;

  /* ScVerdictStatus and ScCodeKind have no registered enum GType: ints. */
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      0, SC_VERDICT_STATUS_LAST - 1, SC_VERDICT_STATUS_MALFORMED,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      SC_CODE_KIND_UNKNOWN, SC_CODE_KIND_PHONE_TAIL, SC_CODE_KIND_UNKNOWN,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAYLOAD] =
    g_param_spec_string ("payload", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REALTIME_ONLY] =
    g_param_spec_boolean ("realtime-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_verdict_init (ScVerdict *self)
{
  self->status = SC_VERDICT_STATUS_MALFORMED;
  self->kind = SC_CODE_KIND_UNKNOWN;
}

ScVerdict *
sc_verdict_new (ScVerdictStatus  status,
                ScCodeKind       kind,
                const char      *code,
                const char      *payload)
{
  g_return_val_if_fail ((guint) status < SC_VERDICT_STATUS_LAST, NULL);
  g_return_val_if_fail ((guint) kind <= SC_CODE_KIND_PHONE_TAIL, NULL);

  return g_object_new (SC_TYPE_VERDICT,
                       "status", (int) status,
                       "kind", (int) kind,
                       "code", code,
                       "payload", payload,
                       NULL);
}

ScVerdict *
sc_verdict_new_for_parse_error (const char   *input,
                                const GError *error)
{
  ScVerdictStatus status = SC_VERDICT_STATUS_MALFORMED;
  g_autofree char *payload = NULL;
  ScVerdict *self;

  if (error != NULL
      && (g_error_matches (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_TOO_OLD)
          || g_error_matches (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_FUTURE)))
    status = SC_VERDICT_STATUS_QR_STALE;

  /* Whatever was scanned, keep it as displayable text. */
  if (input != NULL)
    payload = g_utf8_make_valid (input, -1);

  self = sc_verdict_new (status, SC_CODE_KIND_UNKNOWN, NULL, payload);
  if (error != NULL && error->message != NULL)
    sc_verdict_set_reason (self, error->message);
  else
    sc_verdict_set_reason (self, _("This is not a code the counter can read"));

  return self;
}

ScVerdictStatus
sc_verdict_get_status (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), SC_VERDICT_STATUS_MALFORMED);
  return self->status;
}

ScCodeKind
sc_verdict_get_kind (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), SC_CODE_KIND_UNKNOWN);
  return self->kind;
}

const char *
sc_verdict_get_code (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->code;
}

const char *
sc_verdict_get_payload (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->payload;
}

void
sc_verdict_set_payload (ScVerdict  *self,
                        const char *payload)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  if (g_strcmp0 (self->payload, payload) == 0)
    return;

  g_free (self->payload);
  self->payload = g_strdup (payload);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYLOAD]);
}

const char *
sc_verdict_get_reason (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->reason;
}

void
sc_verdict_set_reason (ScVerdict  *self,
                       const char *reason)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  if (g_strcmp0 (self->reason, reason) == 0)
    return;

  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

gboolean
sc_verdict_get_offline (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), FALSE);
  return self->offline;
}

void
sc_verdict_set_offline (ScVerdict *self,
                        gboolean   offline)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  offline = !!offline;
  if (self->offline == offline)
    return;

  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

gboolean
sc_verdict_get_realtime_only (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), FALSE);
  return self->realtime_only;
}

void
sc_verdict_set_realtime_only (ScVerdict *self,
                              gboolean   realtime_only)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  realtime_only = !!realtime_only;
  if (self->realtime_only == realtime_only)
    return;

  self->realtime_only = realtime_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REALTIME_ONLY]);
}

GDateTime *
sc_verdict_get_valid_from (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->valid_from;
}

GDateTime *
sc_verdict_get_valid_until (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->valid_until;
}

void
sc_verdict_set_validity (ScVerdict *self,
                         GDateTime *valid_from,
                         GDateTime *valid_until)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  if (valid_from != NULL)
    g_date_time_ref (valid_from);
  if (valid_until != NULL)
    g_date_time_ref (valid_until);

  g_clear_pointer (&self->valid_from, g_date_time_unref);
  g_clear_pointer (&self->valid_until, g_date_time_unref);
  self->valid_from = valid_from;
  self->valid_until = valid_until;
}

const char *
sc_verdict_get_reason_code (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->reason_code;
}

const char *
sc_verdict_get_label (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return sc_verdict_words_label (self->status, self->kind);
}

const char *
sc_verdict_get_store_id (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->store_id;
}

const char *
sc_verdict_get_store_name (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->store_name;
}

const ScOrderInfo *
sc_verdict_get_order (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->order;
}

const ScCouponInfo *
sc_verdict_get_coupon (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->coupon;
}

const ScPrizeInfo *
sc_verdict_get_prize (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->prize;
}

const ScRedeemedInfo *
sc_verdict_get_redeemed (ScVerdict *self)
{
  g_return_val_if_fail (SC_IS_VERDICT (self), NULL);
  return self->redeemed;
}

void
sc_verdict_take_order (ScVerdict   *self,
                       ScOrderInfo *order)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  if (self->order == order)
    return;
  g_clear_pointer (&self->order, sc_order_info_free);
  self->order = order;
}

void
sc_verdict_take_redeemed (ScVerdict      *self,
                          ScRedeemedInfo *redeemed)
{
  g_return_if_fail (SC_IS_VERDICT (self));

  if (self->redeemed == redeemed)
    return;
  g_clear_pointer (&self->redeemed, sc_redeemed_info_free);
  self->redeemed = redeemed;
}

char *
sc_format_fen (gint64 fen)
{
  const char *sign = fen < 0 ? "-" : "";
  guint64 abs_fen = fen < 0 ? -(guint64) fen : (guint64) fen;

  return g_strdup_printf ("%s¥%" G_GUINT64_FORMAT ".%02u", sign, abs_fen / 100,
                          (guint) (abs_fen % 100));
}
