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

/* Fails the test when gnome-keyring-daemon is missing or does not start. */
ScTestKeyring *sc_test_keyring_up   (void);
/* Stops the daemon and the bus. NULL is fine. */
void           sc_test_keyring_down (ScTestKeyring *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestKeyring, sc_test_keyring_down)

G_END_DECLS
