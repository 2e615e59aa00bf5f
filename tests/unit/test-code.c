/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sc-code.h"

/* All table rows use this clock unless they say otherwise. */
#define NOW G_GINT64_CONSTANT (1800000000)

/*
 * Valid codes used below. Their check digits were worked out by hand with
 * the standard Luhn rule (double every second digit from the right of the
 * 11-digit body, sum, check = (10 - sum % 10) % 10), not with the code
 * under test:
 *   10000000001 -> 100000000016   (pickup, 1)
 *   20260101234 -> 202601012349   (pickup, 2)
 *   31415926535 -> 314159265359   (pickup, 3)
 *   12345678901 -> 123456789015   (pickup, 1)
 *   50000000000 -> 500000000009   (coupon, 5)
 *   61234567890 -> 612345678900   (coupon, 6)
 *   80000000042 -> 800000000425   (prize, 8)
 *   88888888888 -> 888888888888   (prize, 8)
 *   40000000000 -> 400000000002   (valid check digit, kind 4 not ours)
 *   70000000000 -> 700000000005   (not ours)
 *   90000000000 -> 900000000001   (not ours)
 *   00000000001 -> 000000000018   (not ours)
 */

#define OK (-1)

typedef struct
{
  const char    *name;
  const char    *input;
  gint64         now;
  size_t         pad_to;       /* > 0: pad @input with spaces to this many bytes */
  int            error_code;   /* OK, or an ScCodeError */
  const char    *code;
  ScCodeKind     kind;
  ScCodeCarrier  carrier;
  const char    *payload;
  gint64         token_time;
  const char    *signature;
  const char    *message_part; /* (nullable) the error message must contain this */
} ParseCase;

#define BARE(n, in, c, k) \
  { n, in, NOW, 0, OK, c, SC_CODE_KIND_ ## k, SC_CODE_CARRIER_BARE, c, 0, NULL, NULL }
#define URL(n, in, c, k) \
  { n, in, NOW, 0, OK, c, SC_CODE_KIND_ ## k, SC_CODE_CARRIER_URL, c, 0, NULL, NULL }
#define TOKEN(n, in, c, k, payload, ts, sig) \
  { n, in, NOW, 0, OK, c, SC_CODE_KIND_ ## k, SC_CODE_CARRIER_LIVE_TOKEN, payload, ts, sig, NULL }
#define FAIL(n, in, err, msg) \
  { n, in, NOW, 0, SC_CODE_ERROR_ ## err, NULL, 0, 0, NULL, 0, NULL, msg }

static const ParseCase parse_cases[] = {
  /* Bare codes of every kind */
  BARE ("pickup-1", "100000000016", "100000000016", PICKUP),
  BARE ("pickup-2", "202601012349", "202601012349", PICKUP),
  BARE ("pickup-3", "314159265359", "314159265359", PICKUP),
  BARE ("coupon-5", "500000000009", "500000000009", COUPON),
  BARE ("coupon-6", "612345678900", "612345678900", COUPON),
  BARE ("prize-8", "800000000425", "800000000425", PRIZE),
  BARE ("prize-all-8", "888888888888", "888888888888", PRIZE),

  /* Normalization */
  BARE ("trim-ascii", "  123456789015  ", "123456789015", PICKUP),
  BARE ("trim-scanner-crlf", "\t123456789015\r\n", "123456789015", PICKUP),
  BARE ("inner-spaces", "1234 5678 9015", "123456789015", PICKUP),
  BARE ("dashes", "1234-5678-9015", "123456789015", PICKUP),
  BARE ("fullwidth-digits", "１２３４５６７８９０１５", "123456789015", PICKUP),
  BARE ("fullwidth-dash", "1234－5678－9015", "123456789015", PICKUP),
  BARE ("ideographic-space-inside", "1234\u30005678\u30009015", "123456789015", PICKUP),
  BARE ("ideographic-space-around", "\u3000500000000009\u3000", "500000000009", COUPON),
  BARE ("mixed-fullwidth", "５０００ 0000-０００９", "500000000009", COUPON),

  /* Phone tails */
  BARE ("phone-tail", "1234", "1234", PHONE_TAIL),
  BARE ("phone-tail-fullwidth", "８８１２", "8812", PHONE_TAIL),
  BARE ("phone-tail-spaced", " 88 12 ", "8812", PHONE_TAIL),
  BARE ("phone-tail-zeros", "0000", "0000", PHONE_TAIL),

  /* Empty */
  FAIL ("null", NULL, EMPTY, NULL),
  FAIL ("empty", "", EMPTY, NULL),
  FAIL ("blank", "   \t ", EMPTY, NULL),
  FAIL ("only-ideographic-space", "\u3000\u3000", EMPTY, NULL),
  FAIL ("only-dashes", "- -", EMPTY, NULL),

  /* Length */
  FAIL ("eleven-digits", "12345678901", WRONG_LENGTH, "11 digits"),
  FAIL ("thirteen-digits", "1234567890151", WRONG_LENGTH, "13 digits"),
  FAIL ("three-digits", "123", WRONG_LENGTH, "3 digits"),
  FAIL ("five-digits", "12345", WRONG_LENGTH, "5 digits"),
  FAIL ("one-digit", "7", WRONG_LENGTH, "1 digit;"),

  /* Check digit and kind */
  FAIL ("check-digit-off-by-one", "123456789016", CHECK_DIGIT, "check digit"),
  FAIL ("check-digit-transposed", "123456789105", CHECK_DIGIT, "check digit"),
  FAIL ("check-digit-fullwidth", "５００００００００００８", CHECK_DIGIT, NULL),
  FAIL ("kind-4", "400000000002", UNKNOWN_KIND, "starts with 4"),
  FAIL ("kind-7", "700000000005", UNKNOWN_KIND, "starts with 7"),
  FAIL ("kind-9", "900000000001", UNKNOWN_KIND, "starts with 9"),
  FAIL ("kind-0", "000000000018", UNKNOWN_KIND, "starts with 0"),

  /* Characters */
  FAIL ("letter", "12345678901A", INVALID_CHARACTER, "“A”"),
  FAIL ("lower-letter-upcased", "12345678901x", INVALID_CHARACTER, "“X”"),
  FAIL ("fullwidth-letter", "12345678901ａ", INVALID_CHARACTER, "“A”"),
  FAIL ("dots", "1234.5678.9015", INVALID_CHARACTER, "“.”"),
  FAIL ("chinese", "提货码123456789015", INVALID_CHARACTER, "“提”"),
  FAIL ("control-char", "1234\x01" "5678", INVALID_CHARACTER, "U+0001"),
  FAIL ("invalid-utf8", "\xff\xfe" "123456789015", INVALID_CHARACTER, NULL),
  FAIL ("truncated-utf8", "123456789015\xe3\x80", INVALID_CHARACTER, NULL),
  FAIL ("http-without-slashes", "http:123456789015", INVALID_CHARACTER, "“H”"),

  /* Size: 256 bytes is fine, 257 is not (padding is white space) */
  { "exactly-256-bytes", "123456789015", NOW, 256, OK, "123456789015", SC_CODE_KIND_PICKUP,
    SC_CODE_CARRIER_BARE, "123456789015", 0, NULL, NULL },
  { "257-bytes", "123456789015", NOW, 257, SC_CODE_ERROR_TOO_LONG, NULL, 0, 0, NULL, 0, NULL,
    NULL },
  { "4096-bytes", "123456789015", NOW, 4096, SC_CODE_ERROR_TOO_LONG, NULL, 0, 0, NULL, 0, NULL,
    NULL },

  /* URLs */
  URL ("url-path", "https://m.example.com/p/123456789015", "123456789015", PICKUP),
  URL ("url-query", "https://m.example.com/redeem?code=500000000009", "500000000009", COUPON),
  URL ("url-query-wins", "https://m.example.com/p/123456789015?code=500000000009",
       "500000000009", COUPON),
  URL ("url-trailing-slash", "https://m.example.com/p/800000000425/", "800000000425", PRIZE),
  URL ("url-uppercase-scheme", "HTTPS://M.EXAMPLE.COM/p/612345678900", "612345678900", COUPON),
  URL ("url-http-more-params", "http://m.example.com/c?x=1&code=612345678900&y=2",
       "612345678900", COUPON),
  URL ("url-query-dashes", "https://m.example.com/r?code=1234-5678-9015", "123456789015", PICKUP),
  URL ("url-empty-query-code-uses-path", "https://m.example.com/p/314159265359?code=",
       "314159265359", PICKUP),
  URL ("url-fragment", "https://m.example.com/p/202601012349#top", "202601012349", PICKUP),
  URL ("url-escaped-path", "https://m.example.com/p/%3100000000016", "100000000016", PICKUP),
  URL ("url-whitespace", "  https://m.example.com/p/100000000016\n", "100000000016", PICKUP),
  FAIL ("url-no-path", "https://m.example.com/", BAD_URL, NULL),
  FAIL ("url-no-host", "https://", BAD_URL, NULL),
  FAIL ("url-no-code", "https://m.example.com/store/index.html", BAD_URL, NULL),
  FAIL ("url-store-number", "https://m.example.com/store/1001", BAD_URL, NULL),
  FAIL ("url-bad-escape", "https://m.example.com/p/%ZZ", BAD_URL, NULL),
  FAIL ("url-path-check-digit", "https://m.example.com/p/123456789016", CHECK_DIGIT, NULL),
  FAIL ("url-query-short", "https://m.example.com/r?code=12345678901", WRONG_LENGTH, "11 digits"),
  FAIL ("url-query-letters", "https://m.example.com/r?code=ABC", INVALID_CHARACTER, "“A”"),
  FAIL ("url-query-unknown-kind", "https://m.example.com/r?code=900000000001", UNKNOWN_KIND,
        NULL),

  /* Live tokens (NOW = 1800000000) */
  TOKEN ("token-fresh", "SC1:500000000009:1800000000:abcDEF123", "500000000009", COUPON,
         "SC1:500000000009:1800000000:abcDEF123", 1800000000, "abcDEF123"),
  TOKEN ("token-lowercase-prefix", "sc1:500000000009:1800000000:abc", "500000000009", COUPON,
         "SC1:500000000009:1800000000:abc", 1800000000, "abc"),
  TOKEN ("token-prize-whitespace", "  SC1:800000000425:1799999990:Zz9\n", "800000000425", PRIZE,
         "SC1:800000000425:1799999990:Zz9", 1799999990, "Zz9"),
  TOKEN ("token-age-300", "SC1:612345678900:1799999700:sig", "612345678900", COUPON,
         "SC1:612345678900:1799999700:sig", 1799999700, "sig"),
  TOKEN ("token-ahead-30", "SC1:123456789015:1800000030:sig", "123456789015", PICKUP,
         "SC1:123456789015:1800000030:sig", 1800000030, "sig"),
  FAIL ("token-age-301", "SC1:612345678900:1799999699:sig", TOKEN_TOO_OLD, "5 minutes old"),
  FAIL ("token-age-hour", "SC1:612345678900:1799996400:sig", TOKEN_TOO_OLD, "60 minutes old"),
  FAIL ("token-age-days", "SC1:612345678900:1:sig", TOKEN_TOO_OLD, "days old"),
  FAIL ("token-ahead-31", "SC1:612345678900:1800000031:sig", TOKEN_FUTURE, "future"),
  FAIL ("token-far-future", "SC1:612345678900:999999999999999999:sig", TOKEN_FUTURE, NULL),
  FAIL ("token-missing-sig", "SC1:500000000009:1800000000", BAD_TOKEN, NULL),
  FAIL ("token-empty-sig", "SC1:500000000009:1800000000:", BAD_TOKEN, "signature"),
  FAIL ("token-bad-sig-char", "SC1:500000000009:1800000000:ab-c", BAD_TOKEN, "signature"),
  FAIL ("token-extra-field", "SC1:500000000009:1800000000:abc:def", BAD_TOKEN, NULL),
  FAIL ("token-prefix-only", "SC1:", BAD_TOKEN, NULL),
  FAIL ("token-check-digit", "SC1:500000000008:1800000000:abc", BAD_TOKEN, NULL),
  FAIL ("token-unknown-kind", "SC1:400000000002:1800000000:abc", BAD_TOKEN, NULL),
  FAIL ("token-short-code", "SC1:1234:1800000000:abc", BAD_TOKEN, NULL),
  FAIL ("token-fullwidth-code", "SC1:５00000000009:1800000000:abc", BAD_TOKEN, NULL),
  FAIL ("token-time-letters", "SC1:500000000009:18000a0000:abc", BAD_TOKEN, "time"),
  FAIL ("token-time-negative", "SC1:500000000009:-5:abc", BAD_TOKEN, "time"),
  FAIL ("token-time-empty", "SC1:500000000009::abc", BAD_TOKEN, "time"),
  FAIL ("token-time-huge", "SC1:500000000009:99999999999999999999:abc", BAD_TOKEN, "time"),
};

typedef struct
{
  ScCode *code;
  GError *error;
  char   *input;   /* (owned) (nullable) the padded input */
} ParseFixture;

static void
parse_fixture_set_up (ParseFixture  *fixture,
                      gconstpointer  user_data)
{
  const ParseCase *tc = user_data;

  fixture->code = NULL;
  fixture->error = NULL;
  fixture->input = NULL;

  if (tc->pad_to > 0)
    {
      size_t len = strlen (tc->input);
      size_t before = (tc->pad_to - len) / 2;
      GString *padded = g_string_new (NULL);

      g_assert_cmpuint (tc->pad_to, >=, len);
      for (size_t i = 0; i < before; i++)
        g_string_append_c (padded, ' ');
      g_string_append (padded, tc->input);
      while (padded->len < tc->pad_to)
        g_string_append_c (padded, ' ');
      g_assert_cmpuint (padded->len, ==, tc->pad_to);

      fixture->input = g_string_free (padded, FALSE);
    }
  else
    {
      fixture->input = g_strdup (tc->input);
    }
}

static void
parse_fixture_tear_down (ParseFixture  *fixture,
                         gconstpointer  user_data)
{
  if (fixture->code != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->code));
  g_clear_error (&fixture->error);
  g_clear_pointer (&fixture->input, g_free);
}

static void
test_parse_case (ParseFixture  *fixture,
                 gconstpointer  user_data)
{
  const ParseCase *tc = user_data;

  g_test_summary ("One scanned or typed string gives the expected code or the expected error");

  fixture->code = sc_code_parse (fixture->input, tc->now, &fixture->error);

  if (tc->error_code == OK)
    {
      g_assert_no_error (fixture->error);
      g_assert_nonnull (fixture->code);
      g_assert_cmpstr (sc_code_get_code (fixture->code), ==, tc->code);
      g_assert_cmpint (sc_code_get_kind (fixture->code), ==, tc->kind);
      g_assert_cmpint (sc_code_get_carrier (fixture->code), ==, tc->carrier);
      g_assert_cmpstr (sc_code_get_payload (fixture->code), ==, tc->payload);
      g_assert_cmpint (sc_code_get_token_time (fixture->code), ==, tc->token_time);
      g_assert_cmpstr (sc_code_get_token_signature (fixture->code), ==, tc->signature);
    }
  else
    {
      g_assert_error (fixture->error, SC_CODE_ERROR, tc->error_code);
      g_assert_null (fixture->code);
      g_assert_nonnull (fixture->error->message);
      g_assert_cmpuint (strlen (fixture->error->message), >, 10);
      if (tc->message_part != NULL && strstr (fixture->error->message, tc->message_part) == NULL)
        g_error ("message “%s” does not contain “%s”", fixture->error->message,
                 tc->message_part);
    }
}

/* Luhn */

static void
test_luhn_known_vectors (void)
{
  g_test_summary ("Luhn agrees with published test numbers");

  g_assert_true (sc_code_luhn_is_valid ("79927398713", -1));
  g_assert_false (sc_code_luhn_is_valid ("79927398710", -1));
  g_assert_false (sc_code_luhn_is_valid ("79927398731", -1));
  g_assert_true (sc_code_luhn_is_valid ("4111111111111111", -1));
  g_assert_false (sc_code_luhn_is_valid ("4111111111111112", -1));
  g_assert_cmpint (sc_code_luhn_check_digit ("7992739871", -1), ==, '3');
  g_assert_cmpint (sc_code_luhn_check_digit ("411111111111111", -1), ==, '1');
}

static void
test_luhn_table_codes (void)
{
  static const char * const valid[] = {
    "100000000016", "202601012349", "314159265359", "123456789015", "500000000009",
    "612345678900", "800000000425", "888888888888", "400000000002", "700000000005",
    "900000000001", "000000000018",
  };

  g_test_summary ("The hand-computed codes are valid, and their check digits are recomputed");

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (sc_code_luhn_is_valid (valid[i], -1));
      g_assert_cmpint (sc_code_luhn_check_digit (valid[i], 11), ==, valid[i][11]);
    }
}

static void
test_luhn_lengths_and_junk (void)
{
  g_test_summary ("Luhn honours the length argument and refuses non-digits and short input");

  /* only the first 12 of a longer buffer */
  g_assert_true (sc_code_luhn_is_valid ("123456789015XYZ", 12));
  g_assert_false (sc_code_luhn_is_valid ("123456789015XYZ", 13));
  g_assert_false (sc_code_luhn_is_valid ("", -1));
  g_assert_false (sc_code_luhn_is_valid ("0", -1));
  g_assert_false (sc_code_luhn_is_valid (NULL, -1));
  g_assert_false (sc_code_luhn_is_valid ("12345678901a", -1));
  g_assert_false (sc_code_luhn_is_valid ("1234 5678 9015", -1));
  g_assert_cmpint (sc_code_luhn_check_digit ("12345678901", 11), ==, '5');
  g_assert_cmpint (sc_code_luhn_check_digit ("1234567890199", 11), ==, '5');
}

static void
test_luhn_catches_single_errors (void)
{
  GRand *rand = g_rand_new_with_seed (20261125);

  g_test_summary ("For random bodies, the check digit completes a valid code and every "
                  "single-digit change or adjacent swap (except 0/9) is caught");

  for (int n = 0; n < 500; n++)
    {
      char code[SC_CODE_LENGTH + 1] = { 0 };

      for (int i = 0; i < SC_CODE_LENGTH - 1; i++)
        code[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      code[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (code, SC_CODE_LENGTH - 1);
      g_assert_true (sc_code_luhn_is_valid (code, SC_CODE_LENGTH));

      for (int pos = 0; pos < SC_CODE_LENGTH; pos++)
        {
          char saved = code[pos];

          for (char d = '0'; d <= '9'; d++)
            {
              if (d == saved)
                continue;
              code[pos] = d;
              g_assert_false (sc_code_luhn_is_valid (code, SC_CODE_LENGTH));
            }
          code[pos] = saved;
        }

      for (int pos = 0; pos + 1 < SC_CODE_LENGTH; pos++)
        {
          char a = code[pos], b = code[pos + 1];

          if (a == b || (a == '0' && b == '9') || (a == '9' && b == '0'))
            continue;
          code[pos] = b;
          code[pos + 1] = a;
          g_assert_false (sc_code_luhn_is_valid (code, SC_CODE_LENGTH));
          code[pos] = a;
          code[pos + 1] = b;
        }
    }

  g_rand_free (rand);
}

/* Kinds */

static void
test_kind_strings (void)
{
  static const struct { ScCodeKind kind; const char *name; } kinds[] = {
    { SC_CODE_KIND_PICKUP, "pickup" },
    { SC_CODE_KIND_COUPON, "coupon" },
    { SC_CODE_KIND_PRIZE, "prize" },
    { SC_CODE_KIND_PHONE_TAIL, "phone_tail" },
    { SC_CODE_KIND_UNKNOWN, "unknown" },
  };
  ScCodeKind kind = SC_CODE_KIND_UNKNOWN;

  g_test_summary ("Kinds round-trip through their wire names and have labels");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *label = sc_code_kind_get_label (kinds[i].kind);

      g_assert_cmpstr (sc_code_kind_to_string (kinds[i].kind), ==, kinds[i].name);
      g_assert_true (sc_code_kind_from_string (kinds[i].name, &kind));
      g_assert_cmpint (kind, ==, kinds[i].kind);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
    }

  g_assert_cmpstr (sc_code_kind_get_label (SC_CODE_KIND_PICKUP), ==, "Pickup code");
  g_assert_cmpstr (sc_code_kind_get_label (SC_CODE_KIND_COUPON), ==, "Coupon");
  g_assert_cmpstr (sc_code_kind_get_label (SC_CODE_KIND_PRIZE), ==, "Prize voucher");
  g_assert_cmpstr (sc_code_kind_get_label (SC_CODE_KIND_PHONE_TAIL), ==, "Phone tail");

  kind = SC_CODE_KIND_PRIZE;
  g_assert_false (sc_code_kind_from_string ("Pickup", &kind));
  g_assert_false (sc_code_kind_from_string ("", &kind));
  g_assert_false (sc_code_kind_from_string (NULL, &kind));
  g_assert_cmpint (kind, ==, SC_CODE_KIND_PRIZE);
}

static void
test_kind_first_digit (void)
{
  static const ScCodeKind expected[10] = {
    SC_CODE_KIND_UNKNOWN, SC_CODE_KIND_PICKUP, SC_CODE_KIND_PICKUP, SC_CODE_KIND_PICKUP,
    SC_CODE_KIND_UNKNOWN, SC_CODE_KIND_COUPON, SC_CODE_KIND_COUPON, SC_CODE_KIND_UNKNOWN,
    SC_CODE_KIND_PRIZE, SC_CODE_KIND_UNKNOWN,
  };

  g_test_summary ("The first digit gives the kind: 1-3 pickup, 5-6 coupon, 8 prize");

  for (int d = 0; d < 10; d++)
    g_assert_cmpint (sc_code_kind_for_first_digit ((char) ('0' + d)), ==, expected[d]);
  g_assert_cmpint (sc_code_kind_for_first_digit ('x'), ==, SC_CODE_KIND_UNKNOWN);
}

static void
test_parse_every_generated_code (void)
{
  GRand *rand = g_rand_new_with_seed (42);

  g_test_summary ("Every generated 12-digit code parses to its kind, or to UNKNOWN_KIND");

  for (int n = 0; n < 200; n++)
    {
      char body[SC_CODE_LENGTH + 1] = { 0 };
      g_autoptr(ScCode) code = NULL;
      g_autoptr(GError) error = NULL;
      ScCodeKind kind;

      for (int i = 0; i < SC_CODE_LENGTH - 1; i++)
        body[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      body[SC_CODE_LENGTH - 1] = sc_code_luhn_check_digit (body, SC_CODE_LENGTH - 1);
      kind = sc_code_kind_for_first_digit (body[0]);

      code = sc_code_parse (body, NOW, &error);
      if (kind == SC_CODE_KIND_UNKNOWN)
        {
          g_assert_error (error, SC_CODE_ERROR, SC_CODE_ERROR_UNKNOWN_KIND);
          g_assert_null (code);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (sc_code_get_code (code), ==, body);
          g_assert_cmpint (sc_code_get_kind (code), ==, kind);
        }
    }

  g_rand_free (rand);
}

static void
test_fold_width (void)
{
  g_test_summary ("sc_code_fold_width folds full-width digits and Latin letters to ASCII, "
                  "and only those: the neighbours of each range, the full stops an amount "
                  "folds itself, dashes and ASCII stay as they are");

  for (gunichar c = 0; c < 10; c++)
    g_assert_cmpuint (sc_code_fold_width (0xFF10 + c), ==, '0' + c);
  for (gunichar c = 0; c < 26; c++)
    {
      g_assert_cmpuint (sc_code_fold_width (0xFF21 + c), ==, 'A' + c);
      g_assert_cmpuint (sc_code_fold_width (0xFF41 + c), ==, 'a' + c);
    }

  /* Just outside each range. */
  g_assert_cmpuint (sc_code_fold_width (0xFF0F), ==, 0xFF0F);  /* ／ */
  g_assert_cmpuint (sc_code_fold_width (0xFF1A), ==, 0xFF1A);  /* ： */
  g_assert_cmpuint (sc_code_fold_width (0xFF20), ==, 0xFF20);  /* ＠ */
  g_assert_cmpuint (sc_code_fold_width (0xFF3B), ==, 0xFF3B);  /* ［ */
  g_assert_cmpuint (sc_code_fold_width (0xFF40), ==, 0xFF40);  /* ｀ */
  g_assert_cmpuint (sc_code_fold_width (0xFF5B), ==, 0xFF5B);  /* ｛ */

  /* The full-width and ideographic full stops (amounts fold them), the
   * full-width hyphen (codes drop it as a dash) and the ideographic space. */
  g_assert_cmpuint (sc_code_fold_width (0xFF0E), ==, 0xFF0E);
  g_assert_cmpuint (sc_code_fold_width (0x3002), ==, 0x3002);
  g_assert_cmpuint (sc_code_fold_width (0xFF0D), ==, 0xFF0D);
  g_assert_cmpuint (sc_code_fold_width (0x3000), ==, 0x3000);

  /* ASCII and other scripts as they are; no case folding here. */
  g_assert_cmpuint (sc_code_fold_width ('7'), ==, '7');
  g_assert_cmpuint (sc_code_fold_width ('a'), ==, 'a');
  g_assert_cmpuint (sc_code_fold_width (0x4E00), ==, 0x4E00);  /* 一 */
  g_assert_cmpuint (sc_code_fold_width (0), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/code/parse/%02u-%s", i, parse_cases[i].name);

      g_test_add (path, ParseFixture, &parse_cases[i],
                  parse_fixture_set_up, test_parse_case, parse_fixture_tear_down);
    }

  g_test_add_func ("/code/luhn/known-vectors", test_luhn_known_vectors);
  g_test_add_func ("/code/luhn/table-codes", test_luhn_table_codes);
  g_test_add_func ("/code/luhn/lengths-and-junk", test_luhn_lengths_and_junk);
  g_test_add_func ("/code/luhn/catches-single-errors", test_luhn_catches_single_errors);
  g_test_add_func ("/code/kind/strings", test_kind_strings);
  g_test_add_func ("/code/fold-width", test_fold_width);
  g_test_add_func ("/code/kind/first-digit", test_kind_first_digit);
  g_test_add_func ("/code/parse/generated", test_parse_every_generated_code);

  return g_test_run ();
}
