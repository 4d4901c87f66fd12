/*
 * mail.h - e-mail out, through libcurl's SMTP: the one-time links of
 * invitations (issue 11).  Off unless `serve --smtp-url` is given; then
 * every invitation is mailed, and its link is no longer written to the
 * server log.  No state of its own: each message is one SMTP session
 * (invitations are rare), with a 15 s limit so a mail server that does not
 * answer holds up one request, not the server.
 */
#ifndef KAVEL_MAIL_H
#define KAVEL_MAIL_H

#include <stdbool.h>
#include <stddef.h>

struct mail_config {
	const char *url;        /* smtp://host:port or smtps://host:port; NULL: off */
	const char *from;       /* the envelope and From: address */
	const char *user;       /* optional: SMTP AUTH */
	const char *password;   /* optional, from $KAVEL_SMTP_PASSWORD */
};

/* Once, before threads start (curl_global_init). */
void mail_init(void);

/* Sends a plain-text UTF-8 message to one address.  false with err (a
 * sentence, no secret) when it could not be handed to the server.  to
 * and subject must hold no line break (refused). */
bool mail_send(const struct mail_config *cfg, const char *to,
	       const char *subject, const char *body, char *err,
	       size_t errlen);

#endif
