/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ScTestKeyring: a real, unlocked Secret Service for one test: a private
 * session bus (GTestDBus) with gnome-keyring-daemon on it, whose default
 * collection is unlocked with a throwaway password and whose files live in
 * the test's isolated XDG dirs (G_TEST_OPTION_ISOLATE_DIRS). While it is up,
 * DBUS_SESSION_BUS_ADDRESS names its bus, so subprocesses (store-counter
 * runs) find it, and no other test can see what they store.
 */
typedef struct _ScTestKeyring ScTestKeyring;

typedef enum
{
  SC_TEST_KEYRING_UNLOCKED,    /* the default collection exists and is unlocked */
  SC_TEST_KEYRING_NO_DEFAULT,  /* a first login: no keyring (no default collection) yet */
  SC_TEST_KEYRING_LOCKED,      /* the default collection exists and is locked */
} ScTestKeyringState;

/* Fails the test when gnome-keyring-daemon is missing or does not start. */
ScTestKeyring *sc_test_keyring_up   (void);
/* The keyring in @state, for a test whose own process uses the bus (its
 * g_bus_get() singleton: the app, libsecret). A fake system prompter owns
 * org.gnome.keyring.SystemPrompter on the bus, where gnome-keyring asks for
 * its "choose a password for the new keyring" and "unlock" prompts: it
 * counts them and dismisses each one, as a clerk pressing Cancel would. Its
 * calls are answered in the default main context. */
ScTestKeyring *sc_test_keyring_up_with_prompter (ScTestKeyringState state);
/* Locks the default collection (no prompt). */
void           sc_test_keyring_lock             (ScTestKeyring *self);
/* Unlocks it without a prompt (gnome-keyring's internal interface), as the
 * clerk could in Seahorse. */
void           sc_test_keyring_unlock           (ScTestKeyring *self);
/* How many prompts gnome-keyring began on the fake prompter so far. */
guint          sc_test_keyring_get_n_prompts    (ScTestKeyring *self);
/* TRUE when the default collection exists and is unlocked. */
gboolean       sc_test_keyring_get_ready        (ScTestKeyring *self);
/* Stops the daemon and the bus. NULL is fine. */
void           sc_test_keyring_down (ScTestKeyring *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestKeyring, sc_test_keyring_down)

G_END_DECLS
