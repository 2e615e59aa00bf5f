/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Answers 413 too_large on @msg's connection itself, taking the connection
 * from the SoupServer before the body is read (DESIGN §13): the answer is
 * written, the platform's side shut, what the client still sends read and
 * dropped for a few seconds at most (so that it sees the answer rather
 * than a reset), then the connection closed. Call it from @msg's
 * "got-headers" or "got-chunk"; disconnect your handlers from @msg first. */
void sc_platform_refuse_too_large (SoupServerMessage *msg,
                                   gboolean           verbose);

G_END_DECLS
