/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target: sc_code_parse() on arbitrary bytes (what a scanner or a
 * keyboard may deliver), with a fixed clock, and the invariants every
 * accepted code must keep (DESIGN §4). */
#include "config.h"

#include <string.h>

#include "sc-code.h"
#include "sc-fuzz.h"
#include "sc-verdict.h"

#define NOW G_GINT64_CONSTANT (1795600000)   /* 2026-11-25T08:26:40Z */

static gboolean
all_digits (const char *s,
            size_t      len)
{
  if (strlen (s) != len)
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
check_code (ScCode *code)
{
  const char *digits = sc_code_get_code (code);
  const char *payload = sc_code_get_payload (code);
  ScCodeKind kind = sc_code_get_kind (code);
  ScCodeCarrier carrier = sc_code_get_carrier (code);
  g_autoptr(ScCode) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (digits);
  g_assert_nonnull (payload);

  /* 12 digits with a right check digit and a kind of ours, or a phone tail
   * typed or scanned bare. */
  if (kind == SC_CODE_KIND_PHONE_TAIL)
    {
      g_assert_true (all_digits (digits, SC_CODE_PHONE_TAIL_LENGTH));
      g_assert_cmpint (carrier, ==, SC_CODE_CARRIER_BARE);
    }
  else
    {
      g_assert_true (all_digits (digits, SC_CODE_LENGTH));
      g_assert_true (sc_code_luhn_is_valid (digits, SC_CODE_LENGTH));
      g_assert_cmpint (sc_code_luhn_check_digit (digits, SC_CODE_LENGTH - 1), ==, digits[11]);
      g_assert_cmpint (kind, !=, SC_CODE_KIND_UNKNOWN);
      g_assert_cmpint (kind, ==, sc_code_kind_for_first_digit (digits[0]));
    }

  if (carrier == SC_CODE_CARRIER_LIVE_TOKEN)
    {
      g_autofree char *expected = NULL;
      gint64 t = sc_code_get_token_time (code);

      g_assert_nonnull (sc_code_get_token_signature (code));
      g_assert_true (t >= NOW - SC_CODE_TOKEN_MAX_AGE_S && t <= NOW + SC_CODE_TOKEN_MAX_AHEAD_S);
      expected = g_strdup_printf ("SC1:%s:", digits);
      g_assert_true (g_str_has_prefix (payload, expected));
      g_assert_true (g_str_has_suffix (payload, sc_code_get_token_signature (code)));
    }
  else
    {
      g_assert_cmpstr (payload, ==, digits);
      g_assert_null (sc_code_get_token_signature (code));
    }

  /* Normalizing twice gives the same: the payload parses to the same code. */
  again = sc_code_parse (payload, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpstr (sc_code_get_code (again), ==, digits);
  g_assert_cmpstr (sc_code_get_payload (again), ==, payload);
  g_assert_cmpint (sc_code_get_kind (again), ==, kind);
  g_assert_cmpint (sc_code_get_token_time (again), ==, sc_code_get_token_time (code));
}

static void
check_error (const char   *input,
             const GError *error)
{
  g_autoptr(ScVerdict) verdict = NULL;

  g_assert_nonnull (error);
  g_assert_true (error->domain == SC_CODE_ERROR);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strlen (input) > SC_CODE_MAX_INPUT)
    g_assert_cmpint (error->code, ==, SC_CODE_ERROR_TOO_LONG);

  /* What the counter shows for it. */
  verdict = sc_verdict_new_for_parse_error (input, error);
  g_assert_nonnull (verdict);
  g_assert_true (sc_verdict_get_status (verdict) == SC_VERDICT_STATUS_MALFORMED ||
                 sc_verdict_get_status (verdict) == SC_VERDICT_STATUS_QR_STALE);
  g_assert_nonnull (sc_verdict_get_reason (verdict));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_autoptr(ScCode) code = NULL;
  g_autoptr(GError) error = NULL;

  sc_fuzz_init ();

  /* As a string: up to the first NUL, as a GtkEntry or a scanner gives it. */
  input = g_strndup ((const char *) data, size);
  code = sc_code_parse (input, NOW, &error);
  if (code != NULL)
    {
      g_assert_no_error (error);
      check_code (code);
    }
  else
    {
      check_error (input, error);
    }

  return 0;
}
