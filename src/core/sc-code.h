/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-types.h"

G_BEGIN_DECLS

#define SC_CODE_LENGTH            12
#define SC_CODE_PHONE_TAIL_LENGTH  4
#define SC_CODE_MAX_INPUT        256   /* bytes; longer input is malformed */
#define SC_CODE_TOKEN_MAX_AGE_S  300   /* live token older than this: qr_stale */
#define SC_CODE_TOKEN_MAX_AHEAD_S 30   /* live token further in the future: qr_stale */

/**
 * ScCodeError: why a string is not one of our codes. Every message set with
 * these codes is translated and says what is wrong in words a clerk reads.
 */
typedef enum
{
  SC_CODE_ERROR_EMPTY,              /* nothing left after normalizing */
  SC_CODE_ERROR_TOO_LONG,           /* over SC_CODE_MAX_INPUT bytes */
  SC_CODE_ERROR_INVALID_CHARACTER,  /* a character that is not a digit (after folding) */
  SC_CODE_ERROR_WRONG_LENGTH,       /* digits, but neither 12 nor 4 of them */
  SC_CODE_ERROR_CHECK_DIGIT,        /* 12 digits whose Luhn check digit is wrong */
  SC_CODE_ERROR_UNKNOWN_KIND,       /* valid check digit, first digit not ours */
  SC_CODE_ERROR_BAD_URL,            /* a URL with no code in its last segment or ?code= */
  SC_CODE_ERROR_BAD_TOKEN,          /* SC1: token without the right fields */
  SC_CODE_ERROR_TOKEN_TOO_OLD,      /* live token older than 300 s -> verdict qr_stale */
  SC_CODE_ERROR_TOKEN_FUTURE,       /* live token over 30 s ahead -> verdict qr_stale */
} ScCodeError;

#define SC_CODE_ERROR (sc_code_error_quark ())
GQuark sc_code_error_quark (void);

typedef enum
{
  SC_CODE_CARRIER_BARE,        /* the 12 digits (or a 4-digit phone tail) */
  SC_CODE_CARRIER_URL,         /* https://host/.../<code> or ...?code=<code> */
  SC_CODE_CARRIER_LIVE_TOKEN,  /* SC1:<code>:<unix-seconds>:<sig> */
} ScCodeCarrier;

#define SC_TYPE_CODE (sc_code_get_type ())
G_DECLARE_FINAL_TYPE (ScCode, sc_code, SC, CODE, GObject)

/*
 * sc_code_parse:
 * @input: what was scanned or typed (any UTF-8; NULL is malformed)
 * @now_unix: the current time, for the live-token freshness rule
 *
 * Normalizes per DESIGN §4: surrounding whitespace trimmed; for bare codes
 * spaces and dashes dropped, full-width digits (U+FF10..U+FF19) folded to
 * ASCII, letters upper-cased. URL carriers (http:// or https://, any case)
 * give the code from their `code` query parameter or last path segment.
 * "SC1:" tokens (prefix case-insensitive) give code, time and signature; the
 * signature is kept as sent (the platform checks it).
 *
 * Returns: (transfer full): the code, or NULL with @error in SC_CODE_ERROR.
 */
ScCode        *sc_code_parse                 (const char *input,
                                              gint64      now_unix,
                                              GError    **error);

/* The 12 digits, or the 4 digits of a phone tail. */
const char    *sc_code_get_code              (ScCode     *self);
/* What to send to the platform as `payload`: the code itself, or for a live
 * token the whole normalized token "SC1:<code>:<ts>:<sig>". */
const char    *sc_code_get_payload           (ScCode     *self);
ScCodeKind     sc_code_get_kind              (ScCode     *self);
ScCodeCarrier  sc_code_get_carrier           (ScCode     *self);
/* Live tokens only; 0 and NULL otherwise. */
gint64         sc_code_get_token_time        (ScCode     *self);
const char    *sc_code_get_token_signature   (ScCode     *self);

/* Luhn over ASCII digits. */
gboolean       sc_code_luhn_is_valid         (const char *digits,
                                              gssize      len);
/* The check digit ('0'..'9') that completes @digits (the first 11). */
char           sc_code_luhn_check_digit      (const char *digits,
                                              gssize      len);
/* Full-width digits and Latin letters (U+FF10..U+FF19, U+FF21..U+FF3A,
 * U+FF41..U+FF5A), as an IME types them, folded to ASCII; any other
 * character as it is. For codes, amounts and anything else a clerk types. */
gunichar       sc_code_fold_width            (gunichar    c);
/* Trims Unicode white space (U+3000 included) at both ends of @text, in
 * place; returns where the trimmed text starts, inside @text. */
char          *sc_code_trim_unicode          (char       *text);
/* The kind a 12-digit code's first digit gives; UNKNOWN when not ours. */
ScCodeKind     sc_code_kind_for_first_digit  (char        digit);

G_END_DECLS
