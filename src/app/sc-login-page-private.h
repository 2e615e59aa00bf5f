/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sc-login-page.h"

G_BEGIN_DECLS

/* For tests. */
GtkEditable *sc_login_page_get_store_row   (ScLoginPage *self);
GtkEditable *sc_login_page_get_clerk_row   (ScLoginPage *self);
GtkEditable *sc_login_page_get_pin_row     (ScLoginPage *self);
GtkWidget   *sc_login_page_get_button      (ScLoginPage *self);
/* The error shown, or NULL when none. */
const char  *sc_login_page_get_error       (ScLoginPage *self);
gboolean     sc_login_page_get_busy        (ScLoginPage *self);

G_END_DECLS
