/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gdk/gdk.h>

#include "sc-code.h"
#include "sc-scanner-input.h"

/*
 * A burst is a run of keys each at most max-interval-ms after the one before
 * it. Event times are guint32 milliseconds that wrap around after ~49 days:
 * the gap is taken modulo 2^32 and read as signed, so a wrap is an ordinary
 * small gap and a time that goes backwards starts a new burst.
 *
 * Keys:
 *   - keyval 0 (the caller's "neither text nor terminator"), or a key with
 *     no character (ch == 0): ignored, it neither extends nor breaks a burst
 *     (Shift, arrows, ...);
 *   - a printable character: appended to the burst;
 *   - another character (C0/C1 control, DEL, format characters): skipped,
 *     but it keeps the burst alive;
 *   - Return, KP_Enter, Tab, ISO_Left_Tab: end the burst.
 *
 * get_pending counts the printable characters of the burst under way; after
 * feed returned TRUE it still reports the completed burst's count, until the
 * next key or reset, so a caller may ask before or after the terminator.
 */

/* A burst longer than this is nobody's barcode: it can no longer complete. */
#define MAX_BURST_CHARS 8192

#define DEFAULT_MAX_INTERVAL_MS 50
#define DEFAULT_MIN_LENGTH      4

struct _ScScannerInput
{
  GObject   parent_instance;

  guint     max_interval_ms;
  guint     min_length;
  char     *prefix;         /* (owned) (nullable) NULL when empty */
  char     *suffix;         /* (owned) (nullable) NULL when empty */

  GString  *burst;          /* (owned) UTF-8 text of the burst under way */
  guint     pending;        /* printable characters in the burst */
  guint32   last_time;      /* time of the previous key of the burst */
  gboolean  in_burst;       /* last_time is valid */
  gboolean  overflow;       /* more than MAX_BURST_CHARS: cannot complete */
};

G_DEFINE_FINAL_TYPE (ScScannerInput, sc_scanner_input, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_INTERVAL_MS,
  PROP_MIN_LENGTH,
  PROP_PREFIX,
  PROP_SUFFIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_terminator (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
start_burst (ScScannerInput *self,
             guint32         time_ms)
{
  g_string_truncate (self->burst, 0);
  self->pending = 0;
  self->overflow = FALSE;
  self->last_time = time_ms;
  self->in_burst = TRUE;
}

/* (transfer full): the burst's text without prefix and suffix, trimmed */
static char *
make_payload (ScScannerInput *self)
{
  const char *text = self->burst->str;
  gsize len = self->burst->len;
  g_autofree char *copy = NULL;

  if (self->prefix != NULL && g_str_has_prefix (text, self->prefix))
    {
      gsize n = strlen (self->prefix);

      text += n;
      len -= n;
    }
  if (self->suffix != NULL)
    {
      gsize n = strlen (self->suffix);

      if (len >= n && memcmp (text + len - n, self->suffix, n) == 0)
        len -= n;
    }

  copy = g_strndup (text, len);
  return g_strdup (sc_code_trim_unicode (copy));
}

gboolean
sc_scanner_input_feed (ScScannerInput  *self,
                       guint            keyval,
                       gunichar         ch,
                       guint32          time_ms,
                       char           **out_payload)
{
  gboolean terminator;
  gboolean fast;

  g_return_val_if_fail (SC_IS_SCANNER_INPUT (self), FALSE);

  if (out_payload != NULL)
    *out_payload = NULL;

  terminator = is_terminator (keyval);
  if (!terminator && (keyval == 0 || ch == 0))
    return FALSE;

  if (self->in_burst)
    {
      gint32 gap = (gint32) (guint32) (time_ms - self->last_time);

      fast = gap >= 0 && (guint32) gap <= self->max_interval_ms;
    }
  else
    fast = FALSE;

  if (terminator)
    {
      g_autofree char *payload = NULL;
      gboolean complete;

      complete = fast && !self->overflow && self->pending >= self->min_length;
      if (complete)
        {
          payload = make_payload (self);
          complete = payload[0] != '\0';
        }

      /* The burst is over either way; a completed one keeps its count for
       * get_pending until the next key. */
      g_string_truncate (self->burst, 0);
      self->in_burst = FALSE;
      self->overflow = FALSE;
      if (!complete)
        {
          self->pending = 0;
          return FALSE;
        }

      if (out_payload != NULL)
        *out_payload = g_steal_pointer (&payload);
      return TRUE;
    }

  if (!fast)
    start_burst (self, time_ms);
  self->last_time = time_ms;

  if (!g_unichar_isprint (ch))
    return FALSE;   /* a control character: skipped, the burst goes on */

  if (self->pending < G_MAXUINT)
    self->pending++;
  if (self->pending > MAX_BURST_CHARS)
    {
      self->overflow = TRUE;
      g_string_truncate (self->burst, 0);
    }
  else
    g_string_append_unichar (self->burst, ch);

  return FALSE;
}

guint
sc_scanner_input_get_pending (ScScannerInput *self)
{
  g_return_val_if_fail (SC_IS_SCANNER_INPUT (self), 0);

  return self->pending;
}

void
sc_scanner_input_reset (ScScannerInput *self)
{
  g_return_if_fail (SC_IS_SCANNER_INPUT (self));

  g_string_truncate (self->burst, 0);
  self->pending = 0;
  self->overflow = FALSE;
  self->in_burst = FALSE;
  self->last_time = 0;
}

/* Stores NULL for "" so that an empty affix never matches. */
static gboolean
set_affix (char       **field,
           const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
sc_scanner_input_set_prefix (ScScannerInput *self,
                             const char     *prefix)
{
  g_return_if_fail (SC_IS_SCANNER_INPUT (self));
  g_return_if_fail (prefix == NULL || g_utf8_validate (prefix, -1, NULL));

  if (set_affix (&self->prefix, prefix))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFIX]);
}

void
sc_scanner_input_set_suffix (ScScannerInput *self,
                             const char     *suffix)
{
  g_return_if_fail (SC_IS_SCANNER_INPUT (self));
  g_return_if_fail (suffix == NULL || g_utf8_validate (suffix, -1, NULL));

  if (set_affix (&self->suffix, suffix))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUFFIX]);
}

void
sc_scanner_input_set_max_interval (ScScannerInput *self,
                                   guint           ms)
{
  g_return_if_fail (SC_IS_SCANNER_INPUT (self));
  g_return_if_fail (ms >= 1 && ms <= G_MAXINT32);

  if (self->max_interval_ms == ms)
    return;
  self->max_interval_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL_MS]);
}

/* Not in the public header: set through the "min-length" property. */
static void
sc_scanner_input_set_min_length (ScScannerInput *self,
                                 guint           min_length)
{
  g_return_if_fail (SC_IS_SCANNER_INPUT (self));
  g_return_if_fail (min_length >= 1);

  if (self->min_length == min_length)
    return;
  self->min_length = min_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

static void
sc_scanner_input_finalize (GObject *object)
{
  ScScannerInput *self = (ScScannerInput *) object;

  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->suffix, g_free);
  g_string_free (self->burst, TRUE);

  G_OBJECT_CLASS (sc_scanner_input_parent_class)->finalize (object);
}

static void
sc_scanner_input_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScScannerInput *self = SC_SCANNER_INPUT (object);

  switch (prop_id)
    {
    case PROP_MAX_INTERVAL_MS:
      g_value_set_uint (value, self->max_interval_ms);
      break;

    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;

    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;

    case PROP_SUFFIX:
      g_value_set_string (value, self->suffix);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_scanner_input_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScScannerInput *self = SC_SCANNER_INPUT (object);

  switch (prop_id)
    {
    case PROP_MAX_INTERVAL_MS:
      sc_scanner_input_set_max_interval (self, g_value_get_uint (value));
      break;

    case PROP_MIN_LENGTH:
      sc_scanner_input_set_min_length (self, g_value_get_uint (value));
      break;

    case PROP_PREFIX:
      sc_scanner_input_set_prefix (self, g_value_get_string (value));
      break;

    case PROP_SUFFIX:
      sc_scanner_input_set_suffix (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sc_scanner_input_class_init (ScScannerInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_scanner_input_finalize;
  object_class->get_property = sc_scanner_input_get_property;
  object_class->set_property = sc_scanner_input_set_property;

  properties[PROP_MAX_INTERVAL_MS] =
    g_param_spec_uint ("max-interval-ms", NULL, NULL,
                       1, G_MAXINT32, DEFAULT_MAX_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MIN_LENGTH] =
    g_param_spec_uint ("min-length", NULL, NULL,
                       1, MAX_BURST_CHARS, DEFAULT_MIN_LENGTH,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PREFIX] =
    g_param_spec_string ("prefix", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUFFIX] =
    g_param_spec_string ("suffix", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sc_scanner_input_init (ScScannerInput *self)
{
  self->max_interval_ms = DEFAULT_MAX_INTERVAL_MS;
  self->min_length = DEFAULT_MIN_LENGTH;
  self->burst = g_string_new (NULL);
}

ScScannerInput *
sc_scanner_input_new (void)
{
  return g_object_new (SC_TYPE_SCANNER_INPUT, NULL);
}
