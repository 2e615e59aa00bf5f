/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-cache.h"
#include "sc-connectivity.h"
#include "sc-counter-private.h"
#include "sc-platform-client.h"
#include "sc-time.h"

#define MANIFEST_REFRESH_S (5 * 60)

/* ------------------------------------------------------------------ */
/* The manifest                                                         */

typedef struct
{
  ScCounter *self;      /* (owned) */
  char      *store_id;  /* (owned) */
  gint64     since;     /* the version held when the fetch began */
  char      *cursor;    /* (owned) (nullable) the next page, if there is one */
} ManifestFetch;

static void
manifest_fetch_free (ManifestFetch *fetch)
{
  g_clear_object (&fetch->self);
  g_free (fetch->store_id);
  g_free (fetch->cursor);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ManifestFetch, manifest_fetch_free)

static void
manifest_done (ManifestFetch *fetch,
               const GError  *error)
{
  ScCounter *self = fetch->self;

  self->manifest_busy = FALSE;
  if (error == NULL)
    {
      self->manifest_fetched_at = sc_time_now_unix ();
      sc_counter_notify (self, SC_COUNTER_PROP_MANIFEST_FETCHED_AT);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Cannot refresh the pickup manifest: %s", error->message);
    }
}

static void manifest_fetch_page (ManifestFetch *fetch);

static void
manifest_applied_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;

  if (sc_cache_apply_manifest_finish (SC_CACHE (object), result, NULL, &error) &&
      fetch->cursor != NULL)
    {
      /* A large manifest comes in pages: each one is applied on its own
       * (the version only moves with the last), so a stop half way just
       * starts again from the version held. */
      manifest_fetch_page (g_steal_pointer (&fetch));
      return;
    }
  manifest_done (fetch, error);
}

static void
manifest_fetched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(JsonObject) manifest = NULL;
  g_autoptr(GError) error = NULL;
  ScCounter *self = fetch->self;
  const char *store_id;

  g_clear_pointer (&fetch->cursor, g_free);
  manifest = sc_platform_client_get_manifest_page_finish (SC_PLATFORM_CLIENT (object), result,
                                                          &fetch->cursor, &error);
  if (manifest == NULL)
    {
      sc_connectivity_note_error (self->connectivity, error);
      manifest_done (fetch, error);
      return;
    }

  sc_connectivity_mark_reachable (self->connectivity);
  store_id = fetch->store_id;  /* lives as long as fetch, handed on below */
  /* Ours alone (the client parsed it for this call): checked, written and
   * freed on the DB thread, nothing per order here (DESIGN §11). */
  sc_cache_apply_manifest_take_async (self->cache, store_id, g_steal_pointer (&manifest),
                                      self->cancellable, manifest_applied_cb,
                                      g_steal_pointer (&fetch));
}

static void
manifest_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ManifestFetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  if (!sc_cache_get_manifest_state_finish (SC_CACHE (object), result, &version, NULL, &error))
    {
      manifest_done (fetch, error);
      return;
    }

  /* Only what changed since the version we hold. */
  fetch->since = version;
  manifest_fetch_page (g_steal_pointer (&fetch));
}

/* Takes @fetch. */
static void
manifest_fetch_page (ManifestFetch *fetch)
{
  ScCounter *self = fetch->self;

  sc_platform_client_get_manifest_page_async (self->client, fetch->since, fetch->cursor,
                                              self->cancellable, manifest_fetched_cb, fetch);
}

void
sc_counter_manifest_refresh (ScCounter *self)
{
  ManifestFetch *fetch;

  if (self->manifest_busy || self->session == NULL || self->session->token == NULL)
    return;

  self->manifest_busy = TRUE;
  fetch = g_new0 (ManifestFetch, 1);
  fetch->self = g_object_ref (self);
  fetch->store_id = g_strdup (self->session->store_id);
  sc_cache_get_manifest_state_async (self->cache, fetch->store_id, self->cancellable,
                                     manifest_state_cb, fetch);
}

static gboolean
manifest_timer_cb (gpointer user_data)
{
  ScCounter *self = SC_COUNTER (user_data);

  sc_counter_manifest_refresh (self);
  /* The clock check, now and then (the probe does it while offline). */
  if (!sc_connectivity_get_probing (self->connectivity))
    sc_connectivity_check (self->connectivity);
  return G_SOURCE_CONTINUE;
}

void
sc_counter_manifest_start (ScCounter *self)
{
  g_clear_handle_id (&self->manifest_timer_id, g_source_remove);
  sc_counter_manifest_refresh (self);
  /* No reference: dispose removes the timer. */
  self->manifest_timer_id = g_timeout_add_seconds (MANIFEST_REFRESH_S, manifest_timer_cb, self);
}

gint64
sc_counter_get_manifest_fetched_at (ScCounter *self)
{
  g_return_val_if_fail (SC_IS_COUNTER (self), 0);
  return self->manifest_fetched_at;
}
