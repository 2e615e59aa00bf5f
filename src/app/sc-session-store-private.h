/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsecret/secret.h>

#include "sc-session-store.h"

G_BEGIN_DECLS

/* ScSessionStore's parts: sc-session-store.c (the object, sessions),
 * sc-session-store-keys.c (the store keys), sc-session-store-keyring.c (the
 * gate that keeps libsecret from prompting, and saving to the keyring when
 * the clerk asks). */

struct _ScSessionStore
{
  GObject     parent_instance;

  GHashTable *memory;          /* (owned) platform URL -> (owned) ScSession; main thread */
  GHashTable *memory_keys;     /* (owned) "URL\nstore" -> (owned) secret key; main thread */
  GHashTable *cleared;         /* (owned) URLs whose session was cleared while "locked": the
                                * keyring may still hold one from an earlier run */
  gboolean    available;
  gboolean    locked;          /* memory only: storing would prompt */
  gboolean    warned_invalid;  /* g_warning about a bad stored secret said once */
};

/* (transfer container): {"platform-url": @platform_url}, borrowing it */
GHashTable *sc_session_store_url_attributes        (const char     *platform_url);
/* TRUE for the errors that mean "there is no Secret Service to talk to". */
gboolean    sc_session_store_error_means_no_service (const GError  *error);
void        sc_session_store_set_available         (ScSessionStore *self,
                                                    gboolean        available);
void        sc_session_store_set_locked            (ScSessionStore *self,
                                                    gboolean        locked);
/* No Secret Service (@error says why): memory only, for good. */
void        sc_session_store_switch_to_memory      (ScSessionStore *self,
                                                    const GError   *error);
/* Returns a failed libsecret call's error (transfer full) to the caller, in
 * words. */
void        sc_session_store_return_secret_error   (GTask          *task,
                                                    GError         *error,
                                                    const char     *what);
/* After a failed libsecret call for @task, @error (transfer full): TRUE when
 * it failed for real, its error returned in words; FALSE when there is no
 * Secret Service, @self switched to memory, for the caller to go on there. */
gboolean    sc_session_store_keyring_failed        (ScSessionStore *self,
                                                    GTask          *task,
                                                    GError         *error,
                                                    const char     *what);
/* The _finish of a task of @self started by @source_tag. */
gboolean    sc_session_store_propagate_boolean     (ScSessionStore  *self,
                                                    GAsyncResult    *result,
                                                    gpointer         source_tag,
                                                    GError         **error);
gpointer    sc_session_store_propagate_pointer     (ScSessionStore  *self,
                                                    GAsyncResult    *result,
                                                    gpointer         source_tag,
                                                    GError         **error);
/* TRUE when @text (a platform URL, a store id) can name a keyring item:
 * not empty, UTF-8. */
gboolean    sc_session_store_name_is_usable        (const char     *text);
/* (transfer full): the memory_keys name of a store's key */
char       *sc_session_store_memory_key_name       (const char     *platform_url,
                                                    const char     *store_id);

/* A step of a call: takes the task (transfer full). */
typedef void (*ScSessionStoreGateFunc) (GTask *task);

/* Runs @keyring when the keyring takes secrets without a prompt, else (no
 * Secret Service, or the default collection missing or locked: "locked")
 * @memory. @task (transfer full) has the store as its source object. */
void        sc_session_store_gate_run              (ScSessionStore         *self,
                                                    GTask                  *task,
                                                    ScSessionStoreGateFunc  keyring,
                                                    ScSessionStoreGateFunc  memory);
/* (transfer full) (nullable): the task of a call of @self for @platform_url
 * (and @store_id, when not NULL), tagged @source_tag; NULL when it is
 * answered already: @cancellable is cancelled, or @unusable answered it
 * because the URL or the store id cannot name an item. */
GTask      *sc_session_store_task_new              (ScSessionStore         *self,
                                                    const char             *platform_url,
                                                    const char             *store_id,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data,
                                                    gpointer                source_tag,
                                                    ScSessionStoreGateFunc  unusable);
/* Answers @task (transfer full) with NULL; with the error that there is no
 * platform address to keep anything for. */
void        sc_session_store_return_null           (GTask                  *task);
void        sc_session_store_return_no_address     (GTask                  *task);

G_END_DECLS
