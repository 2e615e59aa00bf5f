/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sc-types.h"
#include "sc-verdict.h"

G_BEGIN_DECLS

/*
 * The counter's own words for what the platform answers (issue 10, row 10):
 * every reason and refusal is worded here from its code and details, in the
 * clerk's language. The platform's English `reason` / `message` is only the
 * fallback for a code this version does not know.
 *
 * Lookup reason codes ("reason_code" of a lookup answer, and of the details
 * of a refusal): claim_window_closed, already_claimed (not_eligible);
 * token_expired, token_not_genuine, live_code_required (qr_stale).
 *
 * Refusal codes ("error.code" of a platform error): the verdict statuses
 * (already_redeemed for redeemed) and the API's own codes (docs/platform-api.md).
 */

/* The short label of @status for a code of @kind: "Redeemable", and for
 * wrong_store "Another store’s pickup code" / 非本店提货码, 非本店券,
 * 非本店兑奖券. */
const char *sc_verdict_words_label           (ScVerdictStatus  status,
                                              ScCodeKind       kind);

/* The untranslated words of a lookup @reason_code (what the platform sends
 * as "reason"), or NULL for a code not known here. */
const char *sc_verdict_words_reason_english  (const char      *reason_code);
/* TRUE when the counter words @reason_code itself. */
gboolean    sc_verdict_words_knows_reason    (const char      *reason_code);

/* Why a code has @status: worded from @reason_code, or for wrong_store from
 * @kind and @store_name (nullable: the owner store's name); @fallback (the
 * platform's words, nullable) when @reason_code is not known. NULL when
 * there is nothing to say. */
char       *sc_verdict_words_reason          (ScVerdictStatus  status,
                                              ScCodeKind       kind,
                                              const char      *reason_code,
                                              const char      *store_name,
                                              const char      *fallback);

/* TRUE when the counter words the refusal @api_code itself. */
gboolean    sc_verdict_words_knows_refusal   (const char      *api_code);

/* A refusal of the platform ("error": {code, message, details}) in the
 * counter's words, from @api_code and @details (nullable); @fallback (the
 * platform's message, nullable) when @api_code is not known; NULL when
 * neither says anything. */
char       *sc_verdict_words_refusal         (const char      *api_code,
                                              JsonObject      *details,
                                              const char      *fallback);

G_END_DECLS
