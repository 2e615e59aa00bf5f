/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-verdict-words.h"

const char *
sc_verdict_words_label (ScVerdictStatus status,
                        ScCodeKind      kind)
{
  if (status != SC_VERDICT_STATUS_WRONG_STORE)
    return sc_verdict_status_get_label (status);

  switch (kind)
    {
    case SC_CODE_KIND_PICKUP:
      /* Translators: verdict: 非本店提货码 */
      return _("Another store’s pickup code");
    case SC_CODE_KIND_COUPON:
      /* Translators: verdict: 非本店券 */
      return _("Another store’s coupon");
    case SC_CODE_KIND_PRIZE:
      /* Translators: verdict: 非本店兑奖券 */
      return _("Another store’s prize voucher");
    case SC_CODE_KIND_PHONE_TAIL:
    case SC_CODE_KIND_UNKNOWN:
    default:
      return sc_verdict_status_get_label (status);
    }
}

/* A string member of @object, NULL when absent or not a string. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* -1 when absent or not an integer >= 0. */
static gint64
get_fen (JsonObject *object,
         const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return -1;
  return json_node_get_int (node);
}

/* Lookup reasons */

/* A code the platform sends and its words, untranslated (N_). */
typedef struct
{
  const char *code;
  const char *words;
} CodeWords;

/* The words of @code in @table (@n entries), untranslated; NULL for a code
 * not there. */
static const char *
find_words (const CodeWords *table,
            gsize            n,
            const char      *code)
{
  for (gsize i = 0; i < n; i++)
    {
      if (g_strcmp0 (code, table[i].code) == 0)
        return table[i].words;
    }
  return NULL;
}

/* Each lookup reason code and its words; the platform sends the same words
 * untranslated as "reason" (sc_verdict_words_reason_english()). */
static const CodeWords reasons[] = {
  /* Translators: why a prize voucher cannot be used (不符合兑奖条件) */
  { "claim_window_closed", N_("The claim window for this prize has closed.") },
  /* Translators: why a prize voucher cannot be used (不符合兑奖条件) */
  { "already_claimed", N_("This winner has already claimed a prize in this draw.") },
  /* Translators: a live coupon code (二维码) the customer's app shows */
  { "token_expired", N_("The live code has run out. Ask the customer to reopen it.") },
  /* Translators: a live code whose signature is wrong (forged or damaged) */
  { "token_not_genuine", N_("The live code is not genuine. Ask the customer to reopen it.") },
  /* Translators: a real-time coupon scanned from a printout or by its bare number */
  { "live_code_required", N_("This coupon needs the live code from the customer’s app.") },
};

const char *
sc_verdict_words_reason_english (const char *reason_code)
{
  return find_words (reasons, G_N_ELEMENTS (reasons), reason_code);
}

static const char *
reason_words (const char *reason_code)
{
  const char *words = sc_verdict_words_reason_english (reason_code);

  return words != NULL ? _(words) : NULL;
}

gboolean
sc_verdict_words_knows_reason (const char *reason_code)
{
  return reason_words (reason_code) != NULL;
}

static char *
wrong_store_words (ScCodeKind  kind,
                   const char *store_name)
{
  if (store_name == NULL || *store_name == '\0')
    {
      switch (kind)
        {
        case SC_CODE_KIND_PICKUP:
          return g_strdup (_("This pickup code belongs to another store: the order is "
                             "collected there."));
        case SC_CODE_KIND_COUPON:
          return g_strdup (_("This coupon belongs to another store: it cannot be used here."));
        case SC_CODE_KIND_PRIZE:
          return g_strdup (_("This prize voucher belongs to another store: the prize is "
                             "claimed there."));
        case SC_CODE_KIND_PHONE_TAIL:
        case SC_CODE_KIND_UNKNOWN:
        default:
          return g_strdup (_("This code belongs to another store."));
        }
    }

  switch (kind)
    {
    case SC_CODE_KIND_PICKUP:
      /* Translators: %s is the name of the store that owns the order (提货点) */
      return g_strdup_printf (_("This pickup code belongs to %s: the order is collected "
                                "there."), store_name);
    case SC_CODE_KIND_COUPON:
      /* Translators: %s is the name of the store that issued the coupon */
      return g_strdup_printf (_("This coupon belongs to %s: it cannot be used here."),
                              store_name);
    case SC_CODE_KIND_PRIZE:
      /* Translators: %s is the name of the store where the prize is claimed */
      return g_strdup_printf (_("This prize voucher belongs to %s: the prize is claimed "
                                "there."), store_name);
    case SC_CODE_KIND_PHONE_TAIL:
    case SC_CODE_KIND_UNKNOWN:
    default:
      /* Translators: %s is the name of the store that owns the code */
      return g_strdup_printf (_("This code belongs to %s."), store_name);
    }
}

char *
sc_verdict_words_reason (ScVerdictStatus  status,
                         ScCodeKind       kind,
                         const char      *reason_code,
                         const char      *store_name,
                         const char      *fallback)
{
  const char *words;

  if (status == SC_VERDICT_STATUS_WRONG_STORE)
    return wrong_store_words (kind, store_name);

  words = reason_words (reason_code);
  if (words != NULL)
    return g_strdup (words);

  return fallback != NULL && *fallback != '\0' ? g_strdup (fallback) : NULL;
}

/* Refusals */

static char *
already_redeemed_words (JsonObject *details)
{
  JsonObject *redeemed = get_object (details, "redeemed");
  const char *store = get_string (get_object (redeemed, "store"), "name");
  const char *clerk = get_string (get_object (redeemed, "clerk"), "name");

  if (store != NULL && clerk != NULL)
    /* Translators: a refusal: where and by whom the code was redeemed first */
    return g_strdup_printf (_("This code has already been redeemed, at %s by %s."), store,
                            clerk);
  return g_strdup (_("This code has already been redeemed."));
}

static char *
threshold_words (JsonObject *details)
{
  gint64 min_spend = get_fen (details, "min_spend_fen");
  gint64 bill = get_fen (details, "bill_fen");

  if (min_spend >= 0 && bill >= 0)
    {
      g_autofree char *bill_text = sc_format_fen (bill);
      g_autofree char *min_text = sc_format_fen (min_spend);

      return g_strdup_printf (_("The bill of %s does not reach the minimum spend of %s"),
                              bill_text, min_text);
    }
  return g_strdup (_("The bill does not reach the coupon’s minimum spend."));
}

static char *
wrong_store_refusal (JsonObject *details)
{
  ScCodeKind kind = SC_CODE_KIND_UNKNOWN;

  if (!sc_code_kind_from_string (get_string (details, "kind"), &kind))
    kind = SC_CODE_KIND_UNKNOWN;
  return wrong_store_words (kind, get_string (get_object (details, "store"), "name"));
}

#define WORDS_NEEDS_UPDATE \
  N_("The platform could not take this counter’s request. The counter may need an update.")
#define WORDS_BUSY N_("The platform is busy: try again in a moment")

/* The refusals whose words need no details. */
static const CodeWords fixed_refusals[] = {
  /* The statuses of a code (DESIGN §5), as redemptions are refused. */
  { "expired", N_("This code has expired.") },
  { "not_yet_valid", N_("This code is not valid yet.") },
  { "invalidated", N_("The merchant has cancelled this code.") },
  { "gifting", N_("This code is being given to someone else.") },
  { "deleted", N_("The customer has deleted this code.") },
  { "needs_network", N_("This coupon can only be redeemed online.") },
  { "malformed", N_("This is not a valid code.") },

  /* The API's own codes (docs/platform-api.md). */
  { "bill_required", N_("Enter the bill amount to use a coupon.") },
  { "undo_window_passed", N_("Too late to undo: the undo window has passed") },
  { "session_mismatch", N_("This redemption was made by another store or clerk: only their "
                           "session can send it.") },
  { "duplicate_redemption_id",
    N_("The platform already has another redemption under this one’s id.") },
  { "session_expired", N_("Session expired: log in again") },
  { "bad_credentials", N_("Wrong store, clerk or PIN") },
  { "unauthorized", N_("The platform does not allow this for this store or clerk") },
  { "too_many_attempts", N_("Too many wrong PINs: wait a while, then try again") },
  { "too_large", N_("The request was too large for the platform.") },
  { "bad_request", WORDS_NEEDS_UPDATE },
  { "bad_json", WORDS_NEEDS_UPDATE },
  { "idempotency_key_required", WORDS_NEEDS_UPDATE },
  { "method_not_allowed", WORDS_NEEDS_UPDATE },
  { "busy", WORDS_BUSY },
  { "injected_failure", WORDS_BUSY },
  { "server_error", N_("The platform had a problem: try again in a moment") },
};

/* @reason_code's words from @details, or @fallback (translated). */
static char *
reason_or (JsonObject *details,
           const char *fallback)
{
  const char *words = reason_words (get_string (details, "reason_code"));

  return g_strdup (words != NULL ? words : fallback);
}

/* Returns NULL for an unknown code. */
static char *
refusal_words (const char *api_code,
               JsonObject *details)
{
  const char *words;

  if (api_code == NULL)
    return NULL;

  words = find_words (fixed_refusals, G_N_ELEMENTS (fixed_refusals), api_code);
  if (words != NULL)
    return g_strdup (_(words));

  if (g_str_equal (api_code, "already_redeemed"))
    return already_redeemed_words (details);
  if (g_str_equal (api_code, "wrong_store"))
    return wrong_store_refusal (details);
  if (g_str_equal (api_code, "qr_stale"))
    return reason_or (details, _("The live code has run out. Ask the customer to reopen it."));
  if (g_str_equal (api_code, "threshold_not_met"))
    return threshold_words (details);
  if (g_str_equal (api_code, "not_eligible"))
    return reason_or (details, _("This prize cannot be claimed."));
  if (g_str_equal (api_code, "not_found"))
    {
      /* A redemption of a code the platform does not know, or a record
       * (a redemption, a call) it does not have. */
      if (g_strcmp0 (get_string (details, "status"), "not_found") == 0)
        return g_strdup (_("The platform does not know this code."));
      return g_strdup (_("The platform has no record of this"));
    }

  return NULL;
}

gboolean
sc_verdict_words_knows_refusal (const char *api_code)
{
  g_autofree char *words = refusal_words (api_code, NULL);

  return words != NULL;
}

char *
sc_verdict_words_refusal (const char *api_code,
                          JsonObject *details,
                          const char *fallback)
{
  char *words = refusal_words (api_code, details);

  if (words != NULL)
    return words;
  return fallback != NULL && *fallback != '\0' ? g_strdup (fallback) : NULL;
}
