/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-redemption.h"
#include "sc-names.h"
#include "sc-secret.h"
#include "sc-time.h"

static const char * const state_names[] = {
  [SC_REDEMPTION_STATE_PENDING]   = "pending",
  [SC_REDEMPTION_STATE_UNCERTAIN] = "uncertain",
  [SC_REDEMPTION_STATE_SYNCED]    = "synced",
  [SC_REDEMPTION_STATE_CONFLICT]  = "conflict",
  [SC_REDEMPTION_STATE_REJECTED]  = "rejected",
  [SC_REDEMPTION_STATE_WITHDRAWN] = "withdrawn",
  [SC_REDEMPTION_STATE_REVERSED]  = "reversed",
};

const char *
sc_redemption_state_to_string (ScRedemptionState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return NULL;

  return state_names[state];
}

gboolean
sc_redemption_state_from_string (const char        *str,
                                 ScRedemptionState *out_state)
{
  int i = sc_names_find (state_names, G_N_ELEMENTS (state_names), str);

  if (i < 0)
    return FALSE;
  if (out_state != NULL)
    *out_state = (ScRedemptionState) i;
  return TRUE;
}

const char *
sc_redemption_state_get_label (ScRedemptionState state)
{
  switch (state)
    {
    case SC_REDEMPTION_STATE_PENDING:
      /* Translators: a redemption saved locally, not yet sent to the platform */
      return _("Waiting to sync");
    case SC_REDEMPTION_STATE_UNCERTAIN:
      /* Translators: a send timed out; the counter will ask the platform */
      return _("Checking with platform");
    case SC_REDEMPTION_STATE_SYNCED:
      return _("Synced");
    case SC_REDEMPTION_STATE_CONFLICT:
      /* Translators: the platform says the code was redeemed elsewhere */
      return _("Redeemed elsewhere");
    case SC_REDEMPTION_STATE_REJECTED:
      return _("Refused by platform");
    case SC_REDEMPTION_STATE_WITHDRAWN:
      /* Translators: undone before it was ever sent */
      return _("Withdrawn");
    case SC_REDEMPTION_STATE_REVERSED:
      /* Translators: undone on the platform */
      return _("Reversed");
    default:
      return _("Unknown");
    }
}

G_DEFINE_BOXED_TYPE (ScRedemption, sc_redemption, sc_redemption_copy, sc_redemption_free)

ScRedemption *
sc_redemption_new (const char *payload,
                   const char *code,
                   ScCodeKind  kind,
                   const char *source)
{
  ScRedemption *self = g_new0 (ScRedemption, 1);
  gint64 now = sc_time_now_unix ();

  self->id = g_uuid_string_random ();
  self->payload = g_strdup (payload);
  self->code = g_strdup (code);
  self->kind = kind;
  self->source = g_strdup (source);
  self->scanned_at = now;
  self->created_at = now;
  self->updated_at = now;
  self->bill_fen = -1;
  self->discount_fen = -1;
  self->offline = FALSE;
  self->state = SC_REDEMPTION_STATE_PENDING;
  self->redeemed_at = 0;

  return self;
}

ScRedemption *
sc_redemption_copy (const ScRedemption *self)
{
  ScRedemption *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ScRedemption, 1);
  *copy = *self;
  copy->id = g_strdup (self->id);
  copy->payload = g_strdup (self->payload);
  copy->code = g_strdup (self->code);
  copy->source = g_strdup (self->source);
  copy->store_id = g_strdup (self->store_id);
  copy->clerk_id = g_strdup (self->clerk_id);
  copy->reason = g_strdup (self->reason);
  copy->platform_id = g_strdup (self->platform_id);
  copy->lines = sc_line_qtys_copy (self->lines);

  return copy;
}

void
sc_redemption_free (ScRedemption *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->payload);
  g_free (self->code);
  g_free (self->source);
  g_free (self->store_id);
  g_free (self->clerk_id);
  g_free (self->reason);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_free (self->platform_id);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (ScSession, sc_session, sc_session_copy, sc_session_free)

ScSession *
sc_session_new (void)
{
  return g_new0 (ScSession, 1);
}

ScSession *
sc_session_copy (const ScSession *self)
{
  ScSession *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (ScSession, 1);
  copy->token = g_strdup (self->token);
  copy->expires_at = self->expires_at != NULL ? g_date_time_ref (self->expires_at) : NULL;
  copy->store_id = g_strdup (self->store_id);
  copy->store_name = g_strdup (self->store_name);
  copy->store_timezone = g_strdup (self->store_timezone);
  copy->clerk_id = g_strdup (self->clerk_id);
  copy->clerk_name = g_strdup (self->clerk_name);
  copy->undo_window_s = self->undo_window_s;
  copy->offline = self->offline;
  copy->platform_id = g_strdup (self->platform_id);
  copy->manifest_key = g_strdup (self->manifest_key);

  return copy;
}

void
sc_session_free (ScSession *self)
{
  if (self == NULL)
    return;

  g_free (self->token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_free (self->store_id);
  g_free (self->store_name);
  g_free (self->store_timezone);
  g_free (self->clerk_id);
  g_free (self->clerk_name);
  g_free (self->platform_id);
  sc_secret_free (self->manifest_key);
  g_free (self);
}
