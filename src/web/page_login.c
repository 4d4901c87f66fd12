/*
 * page_login.c - logging in and out, and choosing the language.
 */
#include <string.h>

#include "html.h"
#include "input.h"
#include "view.h"

static void login_form(struct req *r, struct resp *w, const struct kv_error *e)
{
	/* Anonymous forms are protected by a double-submit token: the same
	 * random value in a SameSite=Strict cookie and in the form. */
	if (!r->cookie_csrf || strlen(r->cookie_csrf) != 64) {
		r->cookie_csrf = random_hex32(r->a);
		resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_csrf=%s%s",
			r->cookie_csrf, auth_cookie_attrs(r)));
	}
	layout_begin(r, w, _("Log in"));
	html_f(&w->body, "<section class=\"narrow\"><h1>%s</h1>", _("Log in to Kavel"));
	if (e && e->status != KV_OK && !*e->field)
		form_error_summary(r, w, e);
	else if (!e && req_param(r, "out"))
		html_f(&w->body, "<p class=\"notice\" role=\"status\">%s</p>",
		       _("You are logged out."));
	html_f(&w->body,
	       "<form method=\"post\" action=\"/login\" class=\"form\">%R"
	       "<label for=\"email\">%s</label>"
	       "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"%s\">%R"
	       "<label for=\"password\">%s</label>"
	       "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>%R"
	       "<button type=\"submit\">%s</button></form></section>",
	       csrf_input(r), _("E-mail address"), refill(r, "email", ""),
	       field_error(r, e, "email"), _("Password"),
	       field_error(r, e, "password"), _("Log in"));
	layout_end(r, w);
}

void page_login(struct req *r, struct resp *w)
{
	if (r->authed) {
		resp_redirect(r, w, "/");
		return;
	}
	login_form(r, w, NULL);
}

void page_login_post(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = auth_login(r, w, in_str(r, "email"),
				       in_str(r, "password"), &e);
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			if (rc == KV_DENIED)
				w->status = *e.field ? 401 : 429;
			return;
		}
		resp_json(r, w, 200, json_pack("{s:s, s:{s:I, s:s, s:s}}",
			"csrf", r->sess.csrf, "account", "id", (json_int_t)r->me.id,
			"name", r->me.name, "email", r->me.email));
		return;
	}
	if (rc != KV_OK) {
		w->status = rc != KV_DENIED ? http_status_of(rc) : *e.field ? 401 : 429;
		login_form(r, w, &e);
		return;
	}
	resp_redirect(r, w, "/");
}

void page_logout(struct req *r, struct resp *w)
{
	auth_logout(r, w);
	if (r->api)
		resp_json(r, w, 200, json_pack("{s:b}", "logged_out", 1));
	else
		resp_redirect(r, w, "/login?out=1");
}

void page_lang(struct req *r, struct resp *w)
{
	const char *lang = in_str(r, "lang");
	if (!lang || (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)) {
		struct kv_error e;
		kv_fail(&e, KV_INVALID, "lang", _("Choose nl or en."));
		resp_error(r, w, &e);
		return;
	}
	resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_lang=%s%s; Max-Age=31536000",
						  lang, auth_cookie_attrs(r)));
	if (r->authed) {
		struct kv_error e;
		app_session_lang(&r->app, r->sess.token_hash, lang, &e);
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:s}", "lang", lang));
		return;
	}
	/* Only a local path: never an open redirect. */
	const char *back = in_str(r, "back");
	if (!back || back[0] != '/' || back[1] == '/' || back[1] == '\\' ||
	    strpbrk(back, "\r\n"))
		back = "/";
	resp_redirect(r, w, back);
}

void page_me(struct req *r, struct resp *w)
{
	json_t *grants = json_array();
	for (int i = 0; i < r->n_grants; i++)
		json_array_append_new(grants, json_pack("{s:s, s:I, s:I}",
			"role", role_code(r->grants[i].role),
			"tenant_id", (json_int_t)r->grants[i].tenant_id,
			"procedure_id", (json_int_t)r->grants[i].procedure_id));
	resp_json(r, w, 200, json_pack("{s:I, s:s, s:s, s:I, s:s, s:o}",
		"id", (json_int_t)r->me.id, "name", r->me.name, "email",
		r->me.email, "org_id", (json_int_t)r->me.org_id, "lang", r->lang,
		"grants", grants));
}
