/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-types.h"
#include "sc-redemption.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/**
 * ScVerdictCard: the answer for one code, at a glance: status by colour AND
 * icon AND words, the code, the reason, and what the clerk needs (order
 * items, customer, coupon terms with a bill entry, prize). Its Redeem button
 * activates "scan.redeem" (installed by the page that holds the card).
 *
 * Property "can-redeem" (read-only): a redeemable verdict is shown and, for a
 * coupon, the bill entered is valid and meets the minimum spend.
 *
 * Signal "announce" (const char *text): each answer shown, in the words a
 * screen reader says ("Redeemable: Pickup code 123456789012"); the card's
 * banner has the "status" role and takes @text as its name.
 */

#define SC_TYPE_VERDICT_CARD (sc_verdict_card_get_type ())
G_DECLARE_FINAL_TYPE (ScVerdictCard, sc_verdict_card, SC, VERDICT_CARD, AdwBin)

GtkWidget *sc_verdict_card_new               (void);
void       sc_verdict_card_clear             (ScVerdictCard      *self);
/* @tz: the store's time zone, for "redeemed when" (nullable: local). */
void       sc_verdict_card_show_verdict      (ScVerdictCard      *self,
                                              ScVerdict          *verdict,
                                              GTimeZone          *tz);
/* Something that is not a verdict: the platform unreachable, a phone tail,
 * a refusal. @input (nullable) is what was typed. */
void       sc_verdict_card_show_message      (ScVerdictCard      *self,
                                              const char         *title,
                                              const char         *message,
                                              const char         *input,
                                              const char         *icon_name,
                                              const char         *css_class);
/* What became of the redemption of the verdict shown. */
void       sc_verdict_card_show_redemption   (ScVerdictCard      *self,
                                              const ScRedemption *redemption,
                                              GTimeZone          *tz);
/* Flashes the card for a moment in its status colour, to mark a new answer
 * (after a scan). Nothing when the card is empty. */
void       sc_verdict_card_flash             (ScVerdictCard      *self);
/* (nullable) (transfer none): the verdict shown, if any. */
ScVerdict *sc_verdict_card_get_verdict       (ScVerdictCard      *self);
/* (nullable): the id of the redemption shown, if any. */
const char *sc_verdict_card_get_redemption_id (ScVerdictCard     *self);
gboolean   sc_verdict_card_get_can_redeem    (ScVerdictCard      *self);
/* The bill in fen for a coupon, -1 when none or not a valid amount. */
gint64     sc_verdict_card_get_bill_fen      (ScVerdictCard      *self);
/* Gives the bill field the focus when the card asks for a bill (a
 * redeemable coupon); FALSE otherwise. */
gboolean   sc_verdict_card_focus_bill        (ScVerdictCard      *self);

G_END_DECLS
