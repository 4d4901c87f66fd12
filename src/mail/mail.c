/* mail.c - SMTP through libcurl (mail.h). */
#include "mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void mail_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The message as libcurl reads it: the text, then the end. */
struct message {
	const char *text;
	size_t len, off;
};

static size_t read_message(char *buf, size_t size, size_t n, void *ctx)
{
	struct message *m = ctx;
	size_t room = size * n, left = m->len - m->off;
	size_t k = left < room ? left : room;
	memcpy(buf, m->text + m->off, k);
	m->off += k;
	return k;
}

static bool one_line(const char *s)
{
	return s && !strpbrk(s, "\r\n");
}

bool mail_send(const struct mail_config *cfg, const char *to,
	       const char *subject, const char *body, char *err,
	       size_t errlen)
{
	if (!cfg || !cfg->url || !cfg->from) {
		snprintf(err, errlen, "no mail server is configured");
		return false;
	}
	if (!one_line(to) || !one_line(subject) || !one_line(cfg->from)) {
		snprintf(err, errlen, "an address or the subject holds a line break");
		return false;
	}
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	/* The subject in RFC 2047's base64 form (it may hold any UTF-8). */
	size_t slen = strlen(subject);
	size_t b64len = sodium_base64_encoded_len(slen, sodium_base64_VARIANT_ORIGINAL);
	char *subj64 = malloc(b64len);
	/* The body with every line ended by CRLF, as SMTP wants. */
	size_t blen = strlen(body), lines = 1;
	for (size_t i = 0; i < blen; i++)
		lines += body[i] == '\n';
	size_t cap = strlen(to) + strlen(cfg->from) + b64len + blen + lines + 256;
	char *text = malloc(cap);
	if (!subj64 || !text) {
		free(subj64);
		free(text);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	sodium_bin2base64(subj64, b64len, (const unsigned char *)subject, slen,
			  sodium_base64_VARIANT_ORIGINAL);
	int n = snprintf(text, cap,
			 "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\n"
			 "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			 "Content-Transfer-Encoding: 8bit\r\n\r\n",
			 date, cfg->from, to, subj64);
	free(subj64);
	size_t len = n > 0 ? (size_t)n : 0;
	for (size_t i = 0; i < blen && len + 2 < cap; i++) {
		if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r'))
			text[len++] = '\r';
		text[len++] = body[i];
	}
	if (len + 2 < cap) {
		text[len++] = '\r';
		text[len++] = '\n';
	}
	struct message m = {.text = text, .len = len};
	bool ok = false;
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	char mail_from[512];
	snprintf(mail_from, sizeof mail_from, "<%s>", cfg->from);
	char rcpt_to[512];
	snprintf(rcpt_to, sizeof rcpt_to, "<%s>", to);
	if (c) {
		rcpt = curl_slist_append(NULL, rcpt_to);
		curl_easy_setopt(c, CURLOPT_URL, cfg->url);
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
		curl_easy_setopt(c, CURLOPT_READDATA, &m);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 15L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		/* STARTTLS when the server offers it; smtps:// is TLS throughout. */
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
		if (cfg->user) {
			curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
			curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
		}
		CURLcode rc = curl_easy_perform(c);
		ok = rc == CURLE_OK;
		if (!ok)
			snprintf(err, errlen, "the mail server did not take it: %s",
				 curl_easy_strerror(rc));
		curl_slist_free_all(rcpt);
		curl_easy_cleanup(c);
	} else {
		snprintf(err, errlen, "libcurl could not start");
	}
	sodium_memzero(text, len);
	free(text);
	return ok;
}
