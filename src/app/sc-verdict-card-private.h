/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-verdict-card.h"

G_BEGIN_DECLS

/* For tests: the widgets a clerk reads and uses. */
GtkLabel   *sc_verdict_card_get_status_label  (ScVerdictCard *self);
GtkLabel   *sc_verdict_card_get_reason_label  (ScVerdictCard *self);
GtkLabel   *sc_verdict_card_get_outcome_label (ScVerdictCard *self);
GtkImage   *sc_verdict_card_get_status_icon   (ScVerdictCard *self);
GtkWidget  *sc_verdict_card_get_redeem_button (ScVerdictCard *self);
GtkEditable *sc_verdict_card_get_bill_entry   (ScVerdictCard *self);
GtkLabel   *sc_verdict_card_get_bill_label    (ScVerdictCard *self);
/* The "status-*" CSS class of the card, NULL when empty. */
const char *sc_verdict_card_get_css_class     (ScVerdictCard *self);
/* TRUE while the flash of sc_verdict_card_flash() runs. */
gboolean    sc_verdict_card_get_flashing      (ScVerdictCard *self);
/* The text of every label in the details area, joined by newlines. */
char       *sc_verdict_card_dup_details_text  (ScVerdictCard *self);

G_END_DECLS
