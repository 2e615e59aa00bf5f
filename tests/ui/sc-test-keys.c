/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sc-test-keys.h"
#include "sc-test-ui.h"

#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

static Display *
get_xdisplay (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (!GDK_IS_X11_DISPLAY (display))
    g_error ("The key tests need GDK's X11 backend (Xvfb)");
  return gdk_x11_display_get_xdisplay (display);
}

void
sc_test_keys_focus_window (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  Display *dpy = get_xdisplay ();
  GdkSurface *surface;

  g_assert_nonnull (native);
  surface = gtk_native_get_surface (native);
  g_assert_nonnull (surface);
  XSetInputFocus (dpy, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (dpy, False);
  /* GTK has seen the FocusIn: the window is the active one. */
  if (GTK_IS_WINDOW (native))
    SC_TEST_WAIT_FOR (gtk_window_is_active (GTK_WINDOW (native)));
}

static KeyCode
keycode_for (Display *dpy,
             guint    keyval,
             gboolean *shift)
{
  KeyCode code = XKeysymToKeycode (dpy, (KeySym) keyval);

  if (code == 0)
    g_error ("No key for keyval 0x%x in the X keymap", keyval);
  *shift = XkbKeycodeToKeysym (dpy, code, 0, 0) != (KeySym) keyval;
  return code;
}

static void
fake_modifier (Display  *dpy,
               KeySym    keysym,
               gboolean  press)
{
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, keysym), press, 0);
}

static void
fake_key (Display         *dpy,
          guint            keyval,
          GdkModifierType  modifiers)
{
  gboolean shift = FALSE;
  KeyCode code = keycode_for (dpy, keyval, &shift);

  if ((modifiers & GDK_SHIFT_MASK) != 0)
    shift = TRUE;
  if ((modifiers & GDK_CONTROL_MASK) != 0)
    fake_modifier (dpy, XK_Control_L, TRUE);
  if ((modifiers & GDK_ALT_MASK) != 0)
    fake_modifier (dpy, XK_Alt_L, TRUE);
  if (shift)
    fake_modifier (dpy, XK_Shift_L, TRUE);
  XTestFakeKeyEvent (dpy, code, True, 0);
  XTestFakeKeyEvent (dpy, code, False, 0);
  if (shift)
    fake_modifier (dpy, XK_Shift_L, FALSE);
  if ((modifiers & GDK_ALT_MASK) != 0)
    fake_modifier (dpy, XK_Alt_L, FALSE);
  if ((modifiers & GDK_CONTROL_MASK) != 0)
    fake_modifier (dpy, XK_Control_L, FALSE);
}

/* Lets the main loop run for @ms: a person's pace between two keys. */
static void
pause_ms (guint ms)
{
  gboolean elapsed = FALSE;

  if (ms == 0)
    return;
  g_timeout_add (ms, sc_test_ui_timeout_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
}

void
sc_test_keys_press (guint           keyval,
                    GdkModifierType modifiers,
                    guint           delay_ms)
{
  Display *dpy = get_xdisplay ();

  pause_ms (delay_ms);
  fake_key (dpy, keyval, modifiers);
  XSync (dpy, False);
}

void
sc_test_keys_type (const char *text,
                   guint       gap_ms)
{
  Display *dpy = get_xdisplay ();

  g_return_if_fail (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      pause_ms (gap_ms);
      fake_key (dpy, gdk_unicode_to_keyval (g_utf8_get_char (p)), 0);
      XSync (dpy, False);
    }
}

void
sc_test_keys_scan (const char *code)
{
  Display *dpy = get_xdisplay ();

  /* A scan never follows a person's key within the burst interval. */
  pause_ms (SC_TEST_KEYS_TYPING_MS);
  for (const char *p = code; *p != '\0'; p = g_utf8_next_char (p))
    fake_key (dpy, gdk_unicode_to_keyval (g_utf8_get_char (p)), 0);
  fake_key (dpy, GDK_KEY_Return, 0);
  XSync (dpy, False);
}
