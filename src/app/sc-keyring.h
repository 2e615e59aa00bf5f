/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The Secret Service's default collection (the clerk's keyring), looked at
 * without ever making gnome-keyring prompt: its "choose a password for the
 * new keyring" and "unlock keyring" prompts grab the keyboard, and the next
 * USB scan would be typed into them. Only sc_keyring_unlock_async(), which
 * the clerk asks for at a calm moment, may prompt.
 */

typedef enum
{
  SC_KEYRING_READY,   /* the default collection exists and is unlocked */
  SC_KEYRING_LOCKED,  /* a Secret Service, but storing would prompt: no default
                       * collection yet (a first login) or it is locked */
  SC_KEYRING_ABSENT,  /* no Secret Service answers */
} ScKeyringState;

#define SC_KEYRING_ERROR (sc_keyring_error_quark ())
GQuark sc_keyring_error_quark (void);

typedef enum
{
  SC_KEYRING_ERROR_NOT_UNLOCKED,  /* the prompt was dismissed: still locked */
  SC_KEYRING_ERROR_NO_SERVICE,    /* no Secret Service answers */
} ScKeyringError;

/* Never prompts. Fails only when cancelled; a Secret Service that does not
 * answer is SC_KEYRING_ABSENT. */
void           sc_keyring_check_async   (GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
ScKeyringState sc_keyring_check_finish  (GAsyncResult         *result,
                                         GError              **error);

/* Creates the default collection or unlocks it: gnome-keyring prompts the
 * clerk for its password. TRUE once it is ready; SC_KEYRING_ERROR_NOT_UNLOCKED
 * when the clerk dismissed the prompt. */
void           sc_keyring_unlock_async  (GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean       sc_keyring_unlock_finish (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
