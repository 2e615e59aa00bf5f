/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-a11y.h"
#include "sc-app-util.h"
#include "sc-verdict-card.h"

struct _ScVerdictCard
{
  AdwBin      parent_instance;

  GtkStack   *stack;
  GtkWidget  *box;
  GtkWidget  *banner;         /* the "status" role: screen readers hear each verdict */
  GtkImage   *status_icon;
  GtkLabel   *status_label;
  GtkLabel   *code_label;
  GtkLabel   *reason_label;
  GtkLabel   *outcome_label;
  GtkLabel   *offline_label;
  GtkWidget  *details_box;
  GtkWidget  *coupon_box;
  GtkEntry   *bill_entry;
  GtkLabel   *bill_label;
  GtkWidget  *redeem_button;

  ScVerdict  *verdict;        /* (owned) (nullable) */
  char       *redemption_id;  /* (owned) (nullable) */
  const char *css_class;      /* (unowned) static string, NULL when empty */
  gint64      bill_fen;       /* -1: none or invalid */
  gboolean    can_redeem;

  const char *flash_class;    /* (unowned) static string, NULL when not flashing */
  guint       flash_timeout;  /* removes flash_class */
};

/* Two classes with the same animation under two names (style.css): GTK
 * restarts a CSS animation only when its name changes, so a second flash
 * right after the first takes the other class. */
#define FLASH_CLASS       "flash"
#define FLASH_CLASS_AGAIN "flash-again"
#define FLASH_MS          900

G_DEFINE_FINAL_TYPE (ScVerdictCard, sc_verdict_card, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CAN_REDEEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ANNOUNCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The name if there is one, else the ID, else a dash. */
static const char *
first_of (const char *name,
          const char *id)
{
  if (name != NULL)
    return name;
  return id != NULL ? id : "—";
}

static void
set_can_redeem (ScVerdictCard *self,
                gboolean       can_redeem)
{
  if (self->can_redeem == can_redeem)
    return;
  self->can_redeem = can_redeem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDEEM]);
}

static void
set_css_class (ScVerdictCard *self,
               const char    *css_class)
{
  if (self->css_class != NULL)
    gtk_widget_remove_css_class (self->box, self->css_class);
  self->css_class = css_class;
  if (css_class != NULL)
    gtk_widget_add_css_class (self->box, css_class);
}

static void
set_label_or_hide (GtkLabel   *label,
                   const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
clear_details (ScVerdictCard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->details_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->details_box), child);
}

static GtkWidget *
add_detail (ScVerdictCard *self,
            const char    *text,
            const char    *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (self->details_box), label);
  return label;
}

static GtkWidget *
grid_label (const char *text,
            float       xalign,
            gboolean    hexpand)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_set_hexpand (label, hexpand);
  if (hexpand)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    }
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
add_order (ScVerdictCard     *self,
           const ScOrderInfo *order)
{
  g_autofree char *total = sc_format_fen (order->total_fen);
  g_autofree char *who = NULL;
  g_autofree char *total_text = NULL;
  GtkWidget *grid;

  /* Translators: customer's masked name and the last 4 digits of the phone */
  who = g_strdup_printf (_("Customer %s · phone tail %s"),
                         order->customer_masked != NULL ? order->customer_masked : "—",
                         order->phone_tail != NULL ? order->phone_tail : "—");
  add_detail (self, who, "title-4");

  if (order->order_id != NULL)
    {
      /* Translators: the platform's order number */
      g_autofree char *id = g_strdup_printf (_("Order %s"), order->order_id);

      add_detail (self, id, "dim-label");
    }

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "order-items");
  for (guint i = 0; order->items != NULL && i < order->items->len; i++)
    {
      const ScOrderItem *item = g_ptr_array_index (order->items, i);
      g_autofree char *quantity = g_strdup_printf ("× %d", item->quantity);
      g_autofree char *price = sc_format_fen (item->price_fen);

      gtk_grid_attach (GTK_GRID (grid), grid_label (item->name, 0, TRUE), 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), grid_label (quantity, 1, FALSE), 1, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), grid_label (price, 1, FALSE), 2, (int) i, 1, 1);
    }
  gtk_box_append (GTK_BOX (self->details_box), grid);

  /* Translators: the order total */
  total_text = g_strdup_printf (_("Total %s"), total);
  add_detail (self, total_text, "heading");
}

static char *
describe_coupon_terms (const ScCouponInfo *coupon)
{
  g_autofree char *value = sc_format_fen (coupon->value_fen);
  g_autofree char *min_spend = sc_format_fen (coupon->min_spend_fen);
  g_autofree char *cap = sc_format_fen (coupon->cap_fen);

  switch (coupon->type)
    {
    case SC_COUPON_TYPE_CASH:
      if (coupon->min_spend_fen > 0)
        return g_strdup_printf (_("%s off a bill of %s or more"), value, min_spend);
      /* Translators: a cash coupon, "¥5.00 off" */
      return g_strdup_printf (_("%s off"), value);
    case SC_COUPON_TYPE_THRESHOLD:
      /* Translators: 满减, "¥10.00 off a bill of ¥50.00 or more" */
      return g_strdup_printf (_("%s off a bill of %s or more"), value, min_spend);
    case SC_COUPON_TYPE_DISCOUNT:
      if (coupon->cap_fen > 0)
        /* Translators: a percentage coupon with a cap, "12% off, at most ¥20.00" */
        return g_strdup_printf (_("%d%% off, at most %s"), coupon->percent_off, cap);
      return g_strdup_printf (_("%d%% off"), coupon->percent_off);
    default:
      return g_strdup ("");
    }
}

static void
add_coupon (ScVerdictCard      *self,
            ScVerdict          *verdict,
            const ScCouponInfo *coupon)
{
  g_autofree char *terms = describe_coupon_terms (coupon);

  if (coupon->title != NULL && *coupon->title != '\0')
    add_detail (self, coupon->title, "title-4");
  add_detail (self, terms, NULL);
  if (coupon->type == SC_COUPON_TYPE_DISCOUNT && coupon->min_spend_fen > 0)
    {
      g_autofree char *min_spend = sc_format_fen (coupon->min_spend_fen);
      g_autofree char *text = g_strdup_printf (_("For a bill of %s or more"), min_spend);

      add_detail (self, text, NULL);
    }
  if (sc_verdict_get_realtime_only (verdict))
    add_detail (self, _("Live coupon: verified with the platform only"), "dim-label");
}

static void
add_prize (ScVerdictCard     *self,
           const ScPrizeInfo *prize,
           GTimeZone         *tz)
{
  g_autofree char *what = NULL;

  /* Translators: "<activity> · <prize>" */
  what = g_strdup_printf (_("%s · %s"),
                          prize->activity_name != NULL ? prize->activity_name : "",
                          prize->prize_name != NULL ? prize->prize_name : "");
  add_detail (self, what, "title-4");

  if (prize->claim_deadline != NULL)
    {
      g_autofree char *deadline = sc_app_format_time (prize->claim_deadline, tz, FALSE);
      g_autofree char *text = NULL;

      /* Translators: the last day and time a prize can be claimed */
      text = g_strdup_printf (_("Claim by %s"), deadline);
      add_detail (self, text, NULL);
    }
}

static void
add_redeemed (ScVerdictCard        *self,
              const ScRedeemedInfo *redeemed,
              GTimeZone            *tz)
{
  g_autofree char *at = sc_app_format_time (redeemed->at, tz, FALSE);
  g_autofree char *text = NULL;

  /* Translators: when, at which store and by which clerk a code was redeemed */
  text = g_strdup_printf (_("Redeemed %s at %s by %s"), at,
                          first_of (redeemed->store_name, redeemed->store_id),
                          first_of (redeemed->clerk_name, redeemed->clerk_id));
  add_detail (self, text, "title-4");
}

static void
add_validity (ScVerdictCard *self,
              ScVerdict     *verdict,
              GTimeZone     *tz)
{
  GDateTime *from = sc_verdict_get_valid_from (verdict);
  GDateTime *until = sc_verdict_get_valid_until (verdict);
  g_autofree char *from_text = NULL;
  g_autofree char *until_text = NULL;
  g_autofree char *text = NULL;

  if (until == NULL)
    return;
  from_text = sc_app_format_time (from, tz, FALSE);
  until_text = sc_app_format_time (until, tz, FALSE);
  /* Translators: validity period of a code */
  text = g_strdup_printf (_("Valid %s to %s"), from_text, until_text);
  add_detail (self, text, "dim-label");
}

static void
update_bill (ScVerdictCard *self)
{
  const ScCouponInfo *coupon = self->verdict ? sc_verdict_get_coupon (self->verdict) : NULL;
  gboolean redeemable = self->verdict != NULL && self->redemption_id == NULL &&
                        sc_verdict_get_status (self->verdict) == SC_VERDICT_STATUS_REDEEMABLE;
  const char *text;
  gint64 bill = -1;
  gint64 discount = 0;
  ScVerdictStatus status = SC_VERDICT_STATUS_REDEEMABLE;

  self->bill_fen = -1;
  if (!redeemable)
    {
      set_can_redeem (self, FALSE);
      return;
    }
  if (coupon == NULL)
    {
      set_can_redeem (self, TRUE);
      return;
    }

  text = gtk_editable_get_text (GTK_EDITABLE (self->bill_entry));
  gtk_widget_remove_css_class (GTK_WIDGET (self->bill_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->bill_label), "error");
  if (text == NULL || *text == '\0')
    {
      /* Translators: under the empty bill field of a coupon, which has the focus */
      gtk_label_set_text (self->bill_label, _("Type the bill, then Enter"));
      set_can_redeem (self, FALSE);
      return;
    }
  if (!sc_app_parse_yuan (text, &bill))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->bill_entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->bill_label), "error");
      gtk_label_set_text (self->bill_label,
                          _("Type the bill in yuan, for example 58.50"));
      set_can_redeem (self, FALSE);
      return;
    }

  if (!sc_coupon_info_compute (coupon, bill, &discount, &status))
    {
      g_autofree char *min_spend = sc_format_fen (coupon->min_spend_fen);
      g_autofree char *message = NULL;

      /* Translators: the coupon's minimum spend is not reached */
      message = g_strdup_printf (_("Not enough: this coupon needs a bill of %s or more"),
                                 min_spend);
      gtk_widget_add_css_class (GTK_WIDGET (self->bill_label), "error");
      gtk_label_set_text (self->bill_label, message);
      set_can_redeem (self, FALSE);
      return;
    }
  else
    {
      g_autofree char *discount_text = sc_format_fen (discount);
      g_autofree char *pay_text = sc_format_fen (bill - discount);
      g_autofree char *message = NULL;

      /* Translators: coupon discount and what the customer pays */
      message = g_strdup_printf (_("Discount %s · to pay %s"), discount_text, pay_text);
      gtk_label_set_text (self->bill_label, message);
      self->bill_fen = bill;
      set_can_redeem (self, TRUE);
    }
}

static void
bill_changed_cb (ScVerdictCard *self)
{
  update_bill (self);
}

static void
bill_activate_cb (ScVerdictCard *self)
{
  if (self->can_redeem)
    gtk_widget_activate_action (GTK_WIDGET (self), "scan.redeem", NULL);
}

static void
stop_flash (ScVerdictCard *self)
{
  g_clear_handle_id (&self->flash_timeout, g_source_remove);
  if (self->flash_class != NULL)
    gtk_widget_remove_css_class (self->box, self->flash_class);
  self->flash_class = NULL;
}

static void
flash_timeout_cb (gpointer user_data)
{
  ScVerdictCard *self = user_data;

  self->flash_timeout = 0;
  stop_flash (self);
}

void
sc_verdict_card_flash (ScVerdictCard *self)
{
  const char *flash_class;

  g_return_if_fail (SC_IS_VERDICT_CARD (self));

  flash_class = g_strcmp0 (self->flash_class, FLASH_CLASS) == 0 ? FLASH_CLASS_AGAIN
                                                                 : FLASH_CLASS;
  stop_flash (self);
  if (self->css_class == NULL)
    return;
  self->flash_class = flash_class;
  gtk_widget_add_css_class (self->box, flash_class);
  self->flash_timeout = g_timeout_add_once (FLASH_MS, flash_timeout_cb, self);
}

void
sc_verdict_card_clear (ScVerdictCard *self)
{
  g_return_if_fail (SC_IS_VERDICT_CARD (self));

  stop_flash (self);
  g_clear_object (&self->verdict);
  g_clear_pointer (&self->redemption_id, g_free);
  set_css_class (self, NULL);
  clear_details (self);
  gtk_editable_set_text (GTK_EDITABLE (self->bill_entry), "");
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_bill (self);
}

/* Tells screen readers the words and the code on the banner (the focus
 * stays in the scan entry). */
static void
announce (ScVerdictCard *self)
{
  const char *title = gtk_label_get_text (self->status_label);
  const char *code = gtk_widget_get_visible (GTK_WIDGET (self->code_label))
                       ? gtk_label_get_text (self->code_label) : "";
  g_autofree char *text = NULL;

  if (*code != '\0')
    /* Translators: what a screen reader says for each verdict: "<status>:
     * <code>", e.g. "Redeemable: Pickup code 123456789012" */
    text = g_strdup_printf (_("%s: %s"), title, code);
  else
    text = g_strdup (title);
  sc_a11y_announce (self->banner, text);
  g_signal_emit (self, signals[ANNOUNCE], 0, text);
}

static void
show_banner (ScVerdictCard *self,
             const char    *title,
             const char    *code_text,
             const char    *icon_name,
             const char    *css_class)
{
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_label_set_text (self->status_label, title);
  set_label_or_hide (self->code_label, code_text);
  set_css_class (self, css_class);
  gtk_stack_set_visible_child_name (self->stack, "verdict");
  announce (self);
}

void
sc_verdict_card_show_verdict (ScVerdictCard *self,
                              ScVerdict     *verdict,
                              GTimeZone     *tz)
{
  ScVerdictStatus status;
  ScCodeKind kind;
  const char *code;
  g_autofree char *code_text = NULL;

  g_return_if_fail (SC_IS_VERDICT_CARD (self));
  g_return_if_fail (SC_IS_VERDICT (verdict));

  g_set_object (&self->verdict, verdict);
  g_clear_pointer (&self->redemption_id, g_free);
  status = sc_verdict_get_status (verdict);
  kind = sc_verdict_get_kind (verdict);
  code = sc_verdict_get_code (verdict);

  if (code == NULL || *code == '\0')
    code = sc_verdict_get_payload (verdict);
  if (kind != SC_CODE_KIND_UNKNOWN && code != NULL)
    /* Translators: "<kind> <code>", e.g. "Pickup code 123456789012" */
    code_text = g_strdup_printf (_("%s %s"), sc_code_kind_get_label (kind), code);
  else
    code_text = g_strdup (code);

  show_banner (self, sc_verdict_get_label (verdict), code_text,
               sc_app_status_icon_name (status), sc_app_status_css_class (status));
  set_label_or_hide (self->reason_label, sc_verdict_get_reason (verdict));
  gtk_widget_set_visible (GTK_WIDGET (self->offline_label), sc_verdict_get_offline (verdict));
  set_label_or_hide (self->outcome_label, NULL);

  clear_details (self);
  if (sc_verdict_get_redeemed (verdict) != NULL)
    add_redeemed (self, sc_verdict_get_redeemed (verdict), tz);
  if (sc_verdict_get_order (verdict) != NULL)
    add_order (self, sc_verdict_get_order (verdict));
  if (sc_verdict_get_coupon (verdict) != NULL)
    add_coupon (self, verdict, sc_verdict_get_coupon (verdict));
  if (sc_verdict_get_prize (verdict) != NULL)
    add_prize (self, sc_verdict_get_prize (verdict), tz);
  add_validity (self, verdict, tz);

  gtk_editable_set_text (GTK_EDITABLE (self->bill_entry), "");
  gtk_widget_set_visible (self->coupon_box,
                          status == SC_VERDICT_STATUS_REDEEMABLE &&
                          sc_verdict_get_coupon (verdict) != NULL);
  gtk_widget_set_visible (self->redeem_button, status == SC_VERDICT_STATUS_REDEEMABLE);
  update_bill (self);
}

void
sc_verdict_card_show_message (ScVerdictCard *self,
                              const char    *title,
                              const char    *message,
                              const char    *input,
                              const char    *icon_name,
                              const char    *css_class)
{
  g_return_if_fail (SC_IS_VERDICT_CARD (self));

  g_clear_object (&self->verdict);
  g_clear_pointer (&self->redemption_id, g_free);
  show_banner (self, title, input, icon_name, css_class);
  set_label_or_hide (self->reason_label, message);
  set_label_or_hide (self->outcome_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->offline_label), FALSE);
  clear_details (self);
  gtk_widget_set_visible (self->coupon_box, FALSE);
  gtk_widget_set_visible (self->redeem_button, FALSE);
  update_bill (self);
}

void
sc_verdict_card_show_redemption (ScVerdictCard      *self,
                                 const ScRedemption *r,
                                 GTimeZone          *tz)
{
  const char *title = NULL;
  const char *icon = NULL;
  const char *css = NULL;
  g_autofree char *outcome = NULL;

  g_return_if_fail (SC_IS_VERDICT_CARD (self));
  g_return_if_fail (r != NULL);

  switch (r->state)
    {
    case SC_REDEMPTION_STATE_SYNCED:
      {
        g_autoptr(GDateTime) dt = r->redeemed_at > 0
                                  ? g_date_time_new_from_unix_utc (r->redeemed_at)
                                  : NULL;
        g_autofree char *at = sc_app_format_time (dt, tz, TRUE);

        /* Translators: the card after a successful redemption (已核销) */
        title = _("Redeemed");
        icon = "emblem-ok-symbolic";
        css = "status-success";
        switch (r->kind)
          {
          case SC_CODE_KIND_COUPON:
            /* Translators: the time the platform recorded the redemption */
            outcome = g_strdup_printf (_("Done at %s. Take the discount off the bill."), at);
            break;
          case SC_CODE_KIND_PRIZE:
            /* Translators: the time the platform recorded the redemption */
            outcome = g_strdup_printf (_("Done at %s. Hand over the prize."), at);
            break;
          case SC_CODE_KIND_PICKUP:
          case SC_CODE_KIND_PHONE_TAIL:
          case SC_CODE_KIND_UNKNOWN:
          default:
            /* Translators: the time the platform recorded the redemption */
            outcome = g_strdup_printf (_("Done at %s. Hand over the goods."), at);
            break;
          }
        break;
      }
    case SC_REDEMPTION_STATE_PENDING:
    case SC_REDEMPTION_STATE_UNCERTAIN:
      /* Translators: redeemed at this counter, not yet confirmed by the platform */
      title = _("Saved, will sync");
      icon = "document-save-symbolic";
      css = "status-neutral";
      outcome = g_strdup (_("The platform did not answer yet. This counter keeps the "
                            "redemption and sends it when the platform is back."));
      break;
    case SC_REDEMPTION_STATE_CONFLICT:
    case SC_REDEMPTION_STATE_REJECTED:
      /* Translators: the platform refused the redemption */
      title = _("Not redeemed");
      icon = "dialog-error-symbolic";
      css = "status-error";
      outcome = g_strdup (r->reason != NULL ? r->reason : sc_redemption_state_get_label (r->state));
      break;
    case SC_REDEMPTION_STATE_WITHDRAWN:
    case SC_REDEMPTION_STATE_REVERSED:
    default:
      /* Translators: a redemption was undone */
      title = _("Undone");
      icon = "edit-undo-symbolic";
      css = "status-neutral";
      outcome = g_strdup (_("The redemption was undone: the code can be redeemed again."));
      break;
    }

  g_free (self->redemption_id);
  self->redemption_id = g_strdup (r->id);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_text (self->status_label, title);
  set_css_class (self, css);
  gtk_stack_set_visible_child_name (self->stack, "verdict");
  announce (self);

  if (r->bill_fen >= 0 && r->discount_fen >= 0 &&
      r->state != SC_REDEMPTION_STATE_CONFLICT && r->state != SC_REDEMPTION_STATE_REJECTED)
    {
      g_autofree char *bill = sc_format_fen (r->bill_fen);
      g_autofree char *discount = sc_format_fen (r->discount_fen);
      g_autofree char *pay = sc_format_fen (r->bill_fen - r->discount_fen);
      g_autofree char *more = NULL;
      g_autofree char *first = NULL;

      /* Translators: after a coupon redemption */
      more = g_strdup_printf (_("Bill %s · discount %s · to pay %s"), bill, discount, pay);
      first = g_steal_pointer (&outcome);
      outcome = g_strconcat (first, "\n", more, NULL);
    }
  set_label_or_hide (self->outcome_label, outcome);
  gtk_widget_set_visible (self->coupon_box, FALSE);
  gtk_widget_set_visible (self->redeem_button, FALSE);
  update_bill (self);
}

ScVerdict *
sc_verdict_card_get_verdict (ScVerdictCard *self)
{
  g_return_val_if_fail (SC_IS_VERDICT_CARD (self), NULL);
  return self->verdict;
}

const char *
sc_verdict_card_get_redemption_id (ScVerdictCard *self)
{
  g_return_val_if_fail (SC_IS_VERDICT_CARD (self), NULL);
  return self->redemption_id;
}

gboolean
sc_verdict_card_get_can_redeem (ScVerdictCard *self)
{
  g_return_val_if_fail (SC_IS_VERDICT_CARD (self), FALSE);
  return self->can_redeem;
}

gint64
sc_verdict_card_get_bill_fen (ScVerdictCard *self)
{
  g_return_val_if_fail (SC_IS_VERDICT_CARD (self), -1);
  return self->bill_fen;
}







gboolean
sc_verdict_card_focus_bill (ScVerdictCard *self)
{
  g_return_val_if_fail (SC_IS_VERDICT_CARD (self), FALSE);

  if (!gtk_widget_get_visible (self->coupon_box) ||
      !gtk_widget_is_sensitive (GTK_WIDGET (self->bill_entry)))
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->bill_entry));
}




GtkWidget *
sc_verdict_card_new (void)
{
  return g_object_new (SC_TYPE_VERDICT_CARD, NULL);
}

static void
sc_verdict_card_dispose (GObject *object)
{
  ScVerdictCard *self = SC_VERDICT_CARD (object);

  g_clear_handle_id (&self->flash_timeout, g_source_remove);
  g_clear_object (&self->verdict);
  g_clear_pointer (&self->redemption_id, g_free);

  G_OBJECT_CLASS (sc_verdict_card_parent_class)->dispose (object);
}

static void
sc_verdict_card_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ScVerdictCard *self = SC_VERDICT_CARD (object);

  switch (prop_id)
    {
    case PROP_CAN_REDEEM:
      g_value_set_boolean (value, self->can_redeem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_verdict_card_class_init (ScVerdictCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sc_verdict_card_dispose;
  object_class->get_property = sc_verdict_card_get_property;

  properties[PROP_CAN_REDEEM] =
    g_param_spec_boolean ("can-redeem", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ANNOUNCE] =
    g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  sc_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               SC_RESOURCE_PATH "/sc-verdict-card.ui");
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, stack);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, box);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, banner);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, code_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, reason_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, offline_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, details_box);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, coupon_box);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, bill_entry);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, bill_label);
  gtk_widget_class_bind_template_child (widget_class, ScVerdictCard, redeem_button);
  gtk_widget_class_bind_template_callback (widget_class, bill_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bill_activate_cb);
}

static void
sc_verdict_card_init (ScVerdictCard *self)
{
  self->bill_fen = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}
