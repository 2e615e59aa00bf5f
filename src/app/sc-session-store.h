/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sc-redemption.h"

G_BEGIN_DECLS

/**
 * ScSessionStore: keeps the platform session token in the Secret Service
 * (libsecret), never in a plain file. One secret per platform URL, with
 * attributes {"platform-url", "store-id", "clerk-id"}; the secret is the
 * ScSession as JSON (token, expires_at, store, clerk, undo window).
 *
 * When no Secret Service answers, the store keeps the session in memory
 * only: "available" turns FALSE (notify) and the calls still succeed, so
 * the app works and can say so once.
 *
 * No call makes the Secret Service prompt (gnome-keyring's "choose a
 * password for the new keyring" or "unlock keyring" window grabs the
 * keyboard, and the next USB scan is typed into it): when the default
 * collection does not exist yet or is locked, "locked" turns TRUE and
 * "available" FALSE, memory only as without a Secret Service, until the
 * clerk asks for sc_session_store_save_to_keyring_async().
 */

#define SC_TYPE_SESSION_STORE (sc_session_store_get_type ())
G_DECLARE_FINAL_TYPE (ScSessionStore, sc_session_store, SC, SESSION_STORE, GObject)

ScSessionStore *sc_session_store_new           (void);
/* FALSE once the Secret Service failed: sessions live in memory only. */
gboolean        sc_session_store_get_available (ScSessionStore      *self);

/* TRUE while secrets are in memory only because storing them would make the
 * keyring prompt (see sc_session_store_save_to_keyring_async). */
gboolean        sc_session_store_get_locked    (ScSessionStore      *self);

/* The one call that may prompt, for the clerk to ask for at a calm moment:
 * creates or unlocks the default collection (gnome-keyring asks for its
 * password), then writes what this run kept in memory (the sessions and the
 * store keys) to it, and removes from it the sessions this run logged out
 * of. Fails with SC_KEYRING_ERROR_NOT_UNLOCKED when the
 * prompt was dismissed: everything stays in memory. */
void            sc_session_store_save_to_keyring_async  (ScSessionStore      *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean        sc_session_store_save_to_keyring_finish (ScSessionStore      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* An offline session (no token) is not saved: this succeeds and keeps
 * nothing. */
void            sc_session_store_save_async    (ScSessionStore      *self,
                                                const char          *platform_url,
                                                const ScSession     *session,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        sc_session_store_save_finish   (ScSessionStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The saved session for @platform_url, or NULL (and no error) when there is
 * none or it has expired (an expired one is removed). */
void            sc_session_store_load_async    (ScSessionStore      *self,
                                                const char          *platform_url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
ScSession      *sc_session_store_load_finish   (ScSessionStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The store's key (ScSession.manifest_key, sc-store-key.h), for offline
 * lookups and offline logins after a restart: one item per platform URL and
 * store, with attributes {"platform-url", "store-id"}, kept across logouts
 * (it is the store's, not the clerk's). Memory only without a Secret
 * Service, like the sessions. */
void            sc_session_store_save_key_async  (ScSessionStore      *self,
                                                  const char          *platform_url,
                                                  const char          *store_id,
                                                  const char          *key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        sc_session_store_save_key_finish (ScSessionStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The key saved for @platform_url and @store_id, or NULL (and no error).
 * Returns: (transfer full) (nullable): free with sc_secret_free. */
void            sc_session_store_load_key_async  (ScSessionStore      *self,
                                                  const char          *platform_url,
                                                  const char          *store_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *sc_session_store_load_key_finish (ScSessionStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void            sc_session_store_clear_async   (ScSessionStore      *self,
                                                const char          *platform_url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        sc_session_store_clear_finish  (ScSessionStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
