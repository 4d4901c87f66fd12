/*
 * page_login.c - logging in and out, and choosing the language.
 */
#include <string.h>

#include "form.h"
#include "input.h"
#include "templates.h"
#include "view.h"

static const struct form_field login_fields[] = {
	{.name = "email", .label = N_("E-mail address"), .kind = FIELD_EMAIL,
	 .required = true, .autocomplete = "username"},
	{.name = "password", .label = N_("Password"), .kind = FIELD_PASSWORD,
	 .required = true, .autocomplete = "current-password"},
};

static void login_form(struct req *r, struct resp *w, const struct form_errors *fe)
{
	/* Anonymous forms are protected by a double-submit token: the same
	 * random value in a SameSite=Strict cookie and in the form. */
	if (!r->cookie_csrf || strlen(r->cookie_csrf) != 64) {
		r->cookie_csrf = random_hex32(r->a);
		resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_csrf=%s%s",
			r->cookie_csrf, auth_cookie_attrs(r)));
	}
	struct form f = {
		.action = "/login",
		.submit = _("Log in"), .refused = _("You are not logged in."),
		.fields = login_fields,
		.n_fields = sizeof login_fields / sizeof *login_fields,
		.errors = fe,
	};
	struct tv_login_page v = {
		.logged_out = !fe && req_param(r, "out"),
		.form = form_html(r, &f),
	};
	layout_begin(r, w, _("Log in"));
	tmpl_login_page(&w->body, &v);
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

/* A login's answer: a refusal, or the session's start. */
static void login_answer(struct req *r, struct resp *w, enum kv_status rc,
			 int status, const struct kv_error *e)
{
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, e);
			if (status)
				w->status = status;
			return;
		}
		resp_json(r, w, 200, json_pack("{s:s, s:{s:I, s:s, s:s}}",
			"csrf", r->sess.csrf, "account", "id", (json_int_t)r->me.id,
			"name", r->me.name, "email", r->me.email));
		return;
	}
	if (rc != KV_OK) {
		w->status = status ? status : http_status_of(rc);
		struct form_errors fe = {0};
		form_errors_add(&fe, e);
		login_form(r, w, &fe);
		return;
	}
	resp_redirect(r, w, "/");
}

/* The second half: the hash pool has checked the password. */
static void login_checked(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int status;
	enum kv_status rc = auth_login_end(r, w, &status, &e);
	login_answer(r, w, rc, status, &e);
}

void page_login_post(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int status;
	enum kv_status rc = auth_login_begin(r, w, in_str(r, "email"),
					     in_str(r, "password"), &status, &e);
	if (rc == KV_OK) {
		r->then = login_checked;   /* the server runs r->hash_job first */
		return;
	}
	login_answer(r, w, rc, status, &e);
}

void page_logout(struct req *r, struct resp *w)
{
	auth_logout(r, w);
	if (r->api)
		resp_json(r, w, 200, json_pack("{s:b}", "logged_out", 1));
	else
		resp_redirect(r, w, "/login?out=1");
}

/*
 * Whether `s` is a path on this site and nothing else, so a redirect to it
 * can never leave Kavel: it starts with one "/" and holds no control
 * character or backslash anywhere (browsers drop tabs and newlines from a
 * URL and read "\\" as "/", so "/\t/evil.example/" would become
 * "//evil.example/", a link to another host).
 */
static bool local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/')
		return false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
	return true;
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
	const char *back = in_str(r, "back");
	resp_redirect(r, w, local_path(back) ? back : "/");
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
