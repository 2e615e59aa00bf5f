/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-code.h"
#include "sc-names.h"

G_DEFINE_QUARK (sc-code-error-quark, sc_code_error)

/* Kinds */

static const char * const kind_names[] = {
  [SC_CODE_KIND_UNKNOWN]    = "unknown",
  [SC_CODE_KIND_PICKUP]     = "pickup",
  [SC_CODE_KIND_COUPON]     = "coupon",
  [SC_CODE_KIND_PRIZE]      = "prize",
  [SC_CODE_KIND_PHONE_TAIL] = "phone_tail",
};

const char *
sc_code_kind_to_string (ScCodeKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    return kind_names[SC_CODE_KIND_UNKNOWN];

  return kind_names[kind];
}

gboolean
sc_code_kind_from_string (const char *str,
                          ScCodeKind *out_kind)
{
  /* "unknown" parses too, so that every sc_code_kind_to_string() result
   * (e.g. a malformed verdict's kind) reads back. */
  int i = sc_names_find (kind_names, G_N_ELEMENTS (kind_names), str);

  if (i < 0)
    return FALSE;
  if (out_kind != NULL)
    *out_kind = (ScCodeKind) i;
  return TRUE;
}

const char *
sc_code_kind_get_label (ScCodeKind kind)
{
  switch (kind)
    {
    case SC_CODE_KIND_PICKUP:
      /* Translators: 提货码, the code a customer shows to collect an order */
      return _("Pickup code");
    case SC_CODE_KIND_COUPON:
      return _("Coupon");
    case SC_CODE_KIND_PRIZE:
      /* Translators: 兑奖券 */
      return _("Prize voucher");
    case SC_CODE_KIND_PHONE_TAIL:
      /* Translators: 手机尾号, the last 4 digits of a phone number */
      return _("Phone tail");
    case SC_CODE_KIND_UNKNOWN:
    default:
      /* Translators: the kind of a code that is not one of ours */
      return C_("code kind", "Unknown");
    }
}

/* Luhn */

/* The Luhn sum of the @n digits of @digits, the rightmost doubled when
 * @double_last; -1 when one is not a digit. */
static int
luhn_sum (const char *digits,
          size_t      n,
          gboolean    double_last)
{
  int sum = 0;
  gboolean dbl = double_last;

  for (size_t i = n; i > 0; i--)
    {
      char c = digits[i - 1];
      int d;

      if (c < '0' || c > '9')
        return -1;

      d = c - '0';
      if (dbl)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
      dbl = !dbl;
    }

  return sum;
}

gboolean
sc_code_luhn_is_valid (const char *digits,
                       gssize      len)
{
  size_t n;
  int sum;

  if (digits == NULL)
    return FALSE;

  n = len < 0 ? strlen (digits) : (size_t) len;
  if (n < 2)
    return FALSE;

  sum = luhn_sum (digits, n, FALSE);
  return sum >= 0 && sum % 10 == 0;
}

char
sc_code_luhn_check_digit (const char *digits,
                          gssize      len)
{
  size_t n;
  int sum;

  g_return_val_if_fail (digits != NULL, '\0');

  n = len < 0 ? strlen (digits) : (size_t) len;
  /* the rightmost digit of @digits is doubled */
  sum = luhn_sum (digits, n, TRUE);
  g_return_val_if_fail (sum >= 0, '\0');

  return (char) ('0' + (10 - sum % 10) % 10);
}

ScCodeKind
sc_code_kind_for_first_digit (char digit)
{
  switch (digit)
    {
    case '1':
    case '2':
    case '3':
      return SC_CODE_KIND_PICKUP;
    case '5':
    case '6':
      return SC_CODE_KIND_COUPON;
    case '8':
      return SC_CODE_KIND_PRIZE;
    default:
      return SC_CODE_KIND_UNKNOWN;
    }
}

/* ScCode */

struct _ScCode
{
  GObject        parent_instance;

  char          *code;       /* (owned) 12 digits or 4 for a phone tail */
  char          *payload;    /* (owned) what to send to the platform */
  ScCodeKind     kind;
  ScCodeCarrier  carrier;
  gint64         token_time;
  char          *token_sig;  /* (owned) (nullable) live tokens only */
};

G_DEFINE_FINAL_TYPE (ScCode, sc_code, G_TYPE_OBJECT)

static void
sc_code_finalize (GObject *object)
{
  ScCode *self = SC_CODE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->payload, g_free);
  g_clear_pointer (&self->token_sig, g_free);

  G_OBJECT_CLASS (sc_code_parent_class)->finalize (object);
}

static void
sc_code_class_init (ScCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_code_finalize;
}

static void
sc_code_init (ScCode *self)
{
  self->kind = SC_CODE_KIND_UNKNOWN;
  self->carrier = SC_CODE_CARRIER_BARE;
}

const char *
sc_code_get_code (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), NULL);
  return self->code;
}

const char *
sc_code_get_payload (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), NULL);
  return self->payload;
}

ScCodeKind
sc_code_get_kind (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), SC_CODE_KIND_UNKNOWN);
  return self->kind;
}

ScCodeCarrier
sc_code_get_carrier (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), SC_CODE_CARRIER_BARE);
  return self->carrier;
}

gint64
sc_code_get_token_time (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), 0);
  return self->token_time;
}

const char *
sc_code_get_token_signature (ScCode *self)
{
  g_return_val_if_fail (SC_IS_CODE (self), NULL);
  return self->token_sig;
}

/* Parsing */

static gboolean
is_dash (gunichar c)
{
  return c == '-'
         || c == 0xFF0D              /* FULLWIDTH HYPHEN-MINUS */
         || (c >= 0x2010 && c <= 0x2015)  /* hyphens and dashes */
         || c == 0x2212              /* MINUS SIGN */
         || c == 0x30FC;             /* KATAKANA-HIRAGANA PROLONGED SOUND MARK (IME dash) */
}

gunichar
sc_code_fold_width (gunichar c)
{
  if (c >= 0xFF10 && c <= 0xFF19)
    return '0' + (c - 0xFF10);
  if (c >= 0xFF21 && c <= 0xFF3A)
    return 'A' + (c - 0xFF21);
  if (c >= 0xFF41 && c <= 0xFF5A)
    return 'a' + (c - 0xFF41);
  return c;
}

static gboolean
is_ascii_digits (const char *s,
                 size_t      len)
{
  for (size_t i = 0; i < len; i++)
    if (s[i] < '0' || s[i] > '9')
      return FALSE;

  return TRUE;
}

/* How to name a character in an error message: itself, or U+XXXX when it
 * would not show. */
static char *
describe_char (gunichar c)
{
  char buf[8] = { 0 };

  if (!g_unichar_isgraph (c))
    return g_strdup_printf ("U+%04X", (guint) c);

  g_unichar_to_utf8 (c, buf);
  return g_strdup (buf);
}

/* A 12-digit string: check digit and kind. */
static gboolean
validate_twelve (const char  *digits,
                 ScCodeKind  *out_kind,
                 GError     **error)
{
  ScCodeKind kind;

  if (!sc_code_luhn_is_valid (digits, SC_CODE_LENGTH))
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_CHECK_DIGIT,
                           _("The check digit is wrong: check the code for a typo"));
      return FALSE;
    }

  kind = sc_code_kind_for_first_digit (digits[0]);
  if (kind == SC_CODE_KIND_UNKNOWN)
    {
      g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_UNKNOWN_KIND,
                   _("This code starts with %c and is not one of ours: "
                     "ours start with 1, 2, 3, 5, 6 or 8"),
                   digits[0]);
      return FALSE;
    }

  *out_kind = kind;
  return TRUE;
}

/*
 * Normalizes @text (valid UTF-8) as a bare code: spaces and dashes dropped,
 * full-width digits and letters folded, letters upper-cased; then checks it.
 * @in_url: the text came out of a link, where a phone tail makes no sense.
 */
static gboolean
parse_bare (const char  *text,
            gboolean     in_url,
            char       **out_digits,
            ScCodeKind  *out_kind,
            GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  ScCodeKind kind = SC_CODE_KIND_UNKNOWN;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || is_dash (c))
        continue;

      c = sc_code_fold_width (c);
      if (c < 0x80 && g_ascii_isalpha ((char) c))
        c = (gunichar) g_ascii_toupper ((char) c);

      if (c >= '0' && c <= '9')
        {
          g_string_append_c (digits, (char) c);
        }
      else
        {
          g_autofree char *name = describe_char (c);

          g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_INVALID_CHARACTER,
                       _("“%s” cannot be in a code: codes are digits only"), name);
          return FALSE;
        }
    }

  if (digits->len == 0)
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_EMPTY,
                           _("Nothing to look up: scan or type a code"));
      return FALSE;
    }

  if (digits->len == SC_CODE_PHONE_TAIL_LENGTH && !in_url)
    {
      *out_digits = g_string_free (g_steal_pointer (&digits), FALSE);
      *out_kind = SC_CODE_KIND_PHONE_TAIL;
      return TRUE;
    }

  if (digits->len != SC_CODE_LENGTH)
    {
      int n = (int) digits->len;

      if (in_url)
        g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_WRONG_LENGTH,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The code in this link has %d digit; codes have 12",
                                  "The code in this link has %d digits; codes have 12",
                                  n),
                     n);
      else
        g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_WRONG_LENGTH,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Code has %d digit; pickup codes, coupons and vouchers "
                                  "have 12, phone tails 4",
                                  "Code has %d digits; pickup codes, coupons and vouchers "
                                  "have 12, phone tails 4",
                                  n),
                     n);
      return FALSE;
    }

  if (!validate_twelve (digits->str, &kind, error))
    return FALSE;

  *out_digits = g_string_free (g_steal_pointer (&digits), FALSE);
  *out_kind = kind;
  return TRUE;
}

static gboolean
has_url_scheme (const char *s)
{
  return g_ascii_strncasecmp (s, "http://", 7) == 0
         || g_ascii_strncasecmp (s, "https://", 8) == 0;
}

static void
set_bad_url (GError **error)
{
  g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_BAD_URL,
                       _("This link has no code in it: scan the code itself or type it"));
}

static gboolean
parse_url (const char  *text,
           char       **out_digits,
           ScCodeKind  *out_kind,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *candidate = NULL;
  gboolean from_query = FALSE;
  const char *query;
  const char *path;

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_BAD_URL,
                           _("This link is damaged: scan it again"));
      return FALSE;
    }

  query = g_uri_get_query (uri);
  if (query != NULL)
    {
      params = g_uri_parse_params (query, -1, "&;", G_URI_PARAMS_WWW_FORM, NULL);
      if (params == NULL)
        {
          g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_BAD_URL,
                               _("This link is damaged: scan it again"));
          return FALSE;
        }

      candidate = g_strdup (g_hash_table_lookup (params, "code"));
      if (candidate != NULL && candidate[0] == '\0')
        g_clear_pointer (&candidate, g_free);
      from_query = candidate != NULL;
    }

  path = g_uri_get_path (uri);
  if (candidate == NULL && path != NULL)
    {
      g_auto(GStrv) segments = g_strsplit (path, "/", -1);

      for (guint i = g_strv_length (segments); i > 0; i--)
        {
          if (segments[i - 1][0] == '\0')
            continue;

          candidate = g_uri_unescape_string (segments[i - 1], NULL);
          break;
        }
    }

  if (candidate == NULL || !g_utf8_validate (candidate, -1, NULL))
    {
      set_bad_url (error);
      return FALSE;
    }

  if (!parse_bare (candidate, TRUE, out_digits, out_kind, &local_error))
    {
      /* A path segment that is not digits at all: a link without a code. */
      if (!from_query
          && (g_error_matches (local_error, SC_CODE_ERROR, SC_CODE_ERROR_INVALID_CHARACTER)
              || g_error_matches (local_error, SC_CODE_ERROR, SC_CODE_ERROR_WRONG_LENGTH)
              || g_error_matches (local_error, SC_CODE_ERROR, SC_CODE_ERROR_EMPTY)))
        set_bad_url (error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
set_bad_token (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_BAD_TOKEN, message);
}

static gboolean
is_ascii_alnum_string (const char *s)
{
  if (s[0] == '\0')
    return FALSE;

  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s))
      return FALSE;

  return TRUE;
}

static ScCode *
parse_token (const char  *text,
             gint64       now_unix,
             GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (text + 4, ":", -1);
  g_autoptr(ScCode) self = NULL;
  ScCodeKind kind = SC_CODE_KIND_UNKNOWN;
  const char *code;
  const char *ts_str;
  const char *sig;
  guint64 ts_u = 0;
  gint64 ts;

  if (g_strv_length (fields) != 3)
    {
      set_bad_token (error, _("This live code is damaged: ask the customer to reopen it"));
      return NULL;
    }

  code = fields[0];
  ts_str = fields[1];
  sig = fields[2];

  if (strlen (code) != SC_CODE_LENGTH || !is_ascii_digits (code, SC_CODE_LENGTH)
      || !sc_code_luhn_is_valid (code, SC_CODE_LENGTH)
      || (kind = sc_code_kind_for_first_digit (code[0])) == SC_CODE_KIND_UNKNOWN)
    {
      set_bad_token (error,
                     _("The code inside this live code is not valid: "
                       "ask the customer to reopen it"));
      return NULL;
    }

  if (ts_str[0] == '\0' || strlen (ts_str) > 18 || !is_ascii_digits (ts_str, strlen (ts_str))
      || !g_ascii_string_to_unsigned (ts_str, 10, 0, G_MAXINT64, &ts_u, NULL))
    {
      set_bad_token (error,
                     _("This live code has no valid time: ask the customer to reopen it"));
      return NULL;
    }
  ts = (gint64) ts_u;

  if (!is_ascii_alnum_string (sig))
    {
      set_bad_token (error,
                     _("This live code has no valid signature: "
                       "ask the customer to reopen it"));
      return NULL;
    }

  /* Differences as unsigned so that no clock value can overflow them. */
  if (now_unix > ts && (guint64) now_unix - (guint64) ts > SC_CODE_TOKEN_MAX_AGE_S)
    {
      guint64 age = (guint64) now_unix - (guint64) ts;
      guint64 minutes = age / 60;

      if (minutes < 120)
        g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_TOO_OLD,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "This live code is %d minute old: ask the customer to reopen it",
                                  "This live code is %d minutes old: ask the customer to reopen it",
                                  (gulong) minutes),
                     (int) minutes);
      else if (minutes < 48 * 60)
        g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_TOO_OLD,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "This live code is %d hour old: ask the customer to reopen it",
                                  "This live code is %d hours old: ask the customer to reopen it",
                                  (gulong) (minutes / 60)),
                     (int) (minutes / 60));
      else
        g_set_error (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_TOO_OLD,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "This live code is %d day old: ask the customer to reopen it",
                                  "This live code is %d days old: ask the customer to reopen it",
                                  (gulong) MIN (minutes / (24 * 60), G_MAXINT)),
                     (int) MIN (minutes / (24 * 60), G_MAXINT));
      return NULL;
    }

  if (ts > now_unix && (guint64) ts - (guint64) now_unix > SC_CODE_TOKEN_MAX_AHEAD_S)
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_TOKEN_FUTURE,
                           _("This live code is dated in the future: check the counter’s "
                             "clock, then ask the customer to reopen it"));
      return NULL;
    }

  self = g_object_new (SC_TYPE_CODE, NULL);
  self->code = g_strdup (code);
  self->payload = g_strdup_printf ("SC1:%s:%s:%s", code, ts_str, sig);
  self->kind = kind;
  self->carrier = SC_CODE_CARRIER_LIVE_TOKEN;
  self->token_time = ts;
  self->token_sig = g_strdup (sig);

  return g_steal_pointer (&self);
}

char *
sc_code_trim_unicode (char *text)
{
  char *start = text;
  char *end;

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  *end = '\0';

  return start;
}

ScCode *
sc_code_parse (const char  *input,
               gint64       now_unix,
               GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *digits = NULL;
  ScCodeKind kind = SC_CODE_KIND_UNKNOWN;
  ScCode *self;
  size_t len;
  char *text;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_EMPTY,
                           _("Nothing to look up: scan or type a code"));
      return NULL;
    }

  len = strlen (input);
  if (len > SC_CODE_MAX_INPUT)
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_TOO_LONG,
                           _("This is far too long to be a code: scan again or type the code"));
      return NULL;
    }

  if (!g_utf8_validate (input, (gssize) len, NULL))
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_INVALID_CHARACTER,
                           _("The scanned text is garbled: scan the code again"));
      return NULL;
    }

  copy = g_strdup (input);
  text = sc_code_trim_unicode (copy);

  if (text[0] == '\0')
    {
      g_set_error_literal (error, SC_CODE_ERROR, SC_CODE_ERROR_EMPTY,
                           _("Nothing to look up: scan or type a code"));
      return NULL;
    }

  if (g_ascii_strncasecmp (text, "SC1:", 4) == 0)
    return parse_token (text, now_unix, error);

  if (has_url_scheme (text))
    {
      if (!parse_url (text, &digits, &kind, error))
        return NULL;

      self = g_object_new (SC_TYPE_CODE, NULL);
      self->carrier = SC_CODE_CARRIER_URL;
    }
  else
    {
      if (!parse_bare (text, FALSE, &digits, &kind, error))
        return NULL;

      self = g_object_new (SC_TYPE_CODE, NULL);
      self->carrier = SC_CODE_CARRIER_BARE;
    }

  self->payload = g_strdup (digits);
  self->code = g_steal_pointer (&digits);
  self->kind = kind;

  return self;
}
