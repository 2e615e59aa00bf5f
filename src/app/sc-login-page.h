/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sc-types.h"

G_BEGIN_DECLS

/**
 * ScLoginPage: store ID, clerk ID and PIN; logs the counter in.
 * Signal "logged-in": the counter now holds a session.
 */

#define SC_TYPE_LOGIN_PAGE (sc_login_page_get_type ())
G_DECLARE_FINAL_TYPE (ScLoginPage, sc_login_page, SC, LOGIN_PAGE, AdwBin)

GtkWidget *sc_login_page_new          (void);
void       sc_login_page_set_counter  (ScLoginPage *self,
                                       ScCounter   *counter);
/* Fills store and clerk (e.g. from the settings); clears the PIN. */
void       sc_login_page_set_ids      (ScLoginPage *self,
                                       const char  *store_id,
                                       const char  *clerk_id);
/* Fills the PIN too and logs in (the --login path). */
void       sc_login_page_log_in       (ScLoginPage *self,
                                       const char  *store_id,
                                       const char  *clerk_id,
                                       const char  *pin);
void       sc_login_page_focus        (ScLoginPage *self);
/* A quiet line under the form (e.g. where the login will be kept); NULL
 * hides it. */
void       sc_login_page_set_note     (ScLoginPage *self,
                                       const char  *note);

G_END_DECLS
