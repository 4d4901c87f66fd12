/*
 * page_orgs.c - organisation accounts (app/org_actions.h): the reader's
 * organisation with its users, tenders and memberships (/organisation),
 * inviting a colleague and accepting the one-time link (/invitation),
 * a member's confirmation, and the buyer's view of a procedure's
 * registrations with its KvK conflicts and their verdicts
 * (/procedures/#/registrations).
 *
 * What a bidder sees: its own organisation only.  A confirmation names a
 * candidate by id, but the action finds it only among the consortia that
 * name the reader's own KvK number (else 404, the same for all).
 */
#include <stdio.h>
#include <string.h>

#include "app/org_actions.h"
#include "app/read_orgs.h"
#include "form.h"
#include "input.h"
#include "mail/mail.h"
#include "templates.h"
#include "view.h"

/* An invitation's link as the page and the log show it. */
static const char *invite_path(struct req *r, const char *token)
{
	return arena_printf(r->a, "/invitation?token=%s", token);
}

static html_t members_html(struct req *r, const struct app_claim_row *row)
{
	struct tv_org_members_members *ms =
		arena_alloc(r->a, (size_t)(row->n_members + 1) * sizeof *ms);
	for (int i = 0; i < row->n_members; i++)
		ms[i] = (struct tv_org_members_members){
			.name = row->members[i].party.org_name,
			.kvk = row->members[i].party.kvk,
			.confirmed = row->members[i].confirmed};
	struct tv_org_members v = {.members = ms, .n_members = row->n_members};
	return tmpl_org_members_html(r->a, &v);
}

static json_t *members_json(const struct app_claim_row *row)
{
	json_t *a = json_array();
	for (int i = 0; i < row->n_members; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "name",
			row->members[i].party.org_name ? row->members[i].party.org_name : "",
			"kvk", row->members[i].party.kvk ? row->members[i].party.kvk : "",
			"confirmed", row->members[i].confirmed));
	return a;
}

static const struct form_field invite_fields[] = {
	{.name = "email", .label = N_("E-mail address"), .kind = FIELD_EMAIL,
	 .required = true, .help = N_("Your colleague gets a one-time link to make an account of your organisation.")},
};

/* How an invitation just made went out: mailed, or why not (NULL: no
 * mail server configured). */
struct mailing {
	bool mailed;
	const char *error;
};

static void org_page_with(struct req *r, struct resp *w,
			  const struct form_errors *fe, const char *token,
			  const char *invited, const struct mailing *mailing)
{
	struct app_org_view v;
	struct kv_error e = {0};
	if (app_org_view(&r->app, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	/* The penvoerder's members: its own candidates' rows only. */
	struct app_claim_row **own = arena_alloc(r->a, (size_t)(v.n_tenders + 1) * sizeof *own);
	for (int i = 0; i < v.n_tenders; i++) {
		own[i] = NULL;
		if (v.tenders[i].c.role != PARTY_PENVOERDER)
			continue;
		struct app_claims_view cv;
		struct kv_error ce;
		if (app_claims_view(&r->app, v.tenders[i].c.procedure_id, &cv, &ce) != KV_OK)
			continue;
		for (int j = 0; j < cv.n_rows; j++)
			if (cv.rows[j].cand.id == v.tenders[i].c.candidate_id)
				own[i] = &cv.rows[j];
	}
	if (r->api) {
		json_t *users = json_array(), *tenders = json_array(), *invs = json_array();
		for (int i = 0; i < v.n_users; i++)
			json_array_append_new(users, json_pack("{s:I, s:s, s:s, s:b}",
				"account", (json_int_t)v.users[i].account_id, "name", v.users[i].name,
				"email", v.users[i].email, "admin", v.users[i].admin));
		for (int i = 0; i < v.n_tenders; i++) {
			const struct app_org_tender *t = &v.tenders[i];
			json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:b}",
				"procedure", (json_int_t)t->c.procedure_id,
				"candidate", (json_int_t)t->c.candidate_id,
				"reference", t->c.reference, "title", t->c.title,
				"candidate_name", t->c.candidate_name,
				"role", party_role_code(t->c.role),
				"application_deadline", json_instant(r->a, t->deadline),
				"open", t->open);
			if (t->c.role == PARTY_MEMBER)
				json_object_set_new(j, "confirmed", json_boolean(t->c.confirmed_by_claim != 0));
			else if (own[i])
				json_object_set_new(j, "members", members_json(own[i]));
			json_array_append_new(tenders, j);
		}
		for (int i = 0; i < v.n_invitations; i++)
			json_array_append_new(invs, json_pack("{s:s, s:o, s:b}", "email",
				v.invitations[i].email, "expires_at",
				json_instant(r->a, v.invitations[i].expires_at),
				"used", v.invitations[i].used_at != 0));
		resp_json(r, w, 200, json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:o}",
			"id", (json_int_t)v.claim.id, "name", v.claim.name, "kvk",
			v.claim.kvk ? v.claim.kvk : "", "address",
			v.claim.address ? v.claim.address : "", "admin", v.admin,
			"users", users, "tenders", tenders, "invitations", invs));
		return;
	}
	struct tv_org_page_users *us = arena_alloc(r->a, (size_t)(v.n_users + 1) * sizeof *us);
	for (int i = 0; i < v.n_users; i++)
		us[i] = (struct tv_org_page_users){.name = v.users[i].name,
			.email = v.users[i].email, .admin = v.users[i].admin};
	struct tv_org_page_tenders *ts = arena_alloc(r->a, (size_t)(v.n_tenders + 1) * sizeof *ts);
	for (int i = 0; i < v.n_tenders; i++) {
		const struct app_org_tender *t = &v.tenders[i];
		html_t confirm = {0};
		if (t->c.role == PARTY_MEMBER && !t->c.confirmed_by_claim && t->open) {
			struct form f = {
				.action = arena_printf(r->a, "/organisation/memberships/%lld/confirm",
						       (long long)t->c.candidate_id),
				.id = arena_printf(r->a, "confirm-%lld", (long long)t->c.candidate_id),
				.submit = _("Confirm our membership")};
			confirm = form_html(r, &f);
		}
		ts[i] = (struct tv_org_page_tenders){
			.procedure_id = t->c.procedure_id, .reference = t->c.reference,
			.title = t->c.title, .municipality = t->c.tenant_name,
			.candidate = t->c.candidate_name,
			.penvoerder = t->c.role == PARTY_PENVOERDER,
			.deadline = fmt_when(r, t->deadline),
			.confirmed = t->c.confirmed_by_claim != 0, .confirm = confirm,
			.members = own[i] ? members_html(r, own[i]) : (html_t){0}};
	}
	struct tv_org_page_invitations *is = arena_alloc(r->a, (size_t)(v.n_invitations + 1) * sizeof *is);
	for (int i = 0; i < v.n_invitations; i++)
		is[i] = (struct tv_org_page_invitations){.email = v.invitations[i].email,
			.expires = fmt_when(r, v.invitations[i].expires_at),
			.used = v.invitations[i].used_at != 0};
	struct form f = {.action = "/organisation/invitations", .submit = _("Invite"),
			 .fields = invite_fields, .n_fields = 1, .errors = fe,
			 .refused = _("No invitation was made.")};
	struct tv_org_page t = {
		.name = v.claim.name, .kvk = v.claim.kvk ? v.claim.kvk : "",
		.address = v.claim.address ? v.claim.address : "",
		.users = us, .n_users = v.n_users, .tenders = ts, .n_tenders = v.n_tenders,
		.admin = v.admin, .invite_form = v.admin ? form_html(r, &f) : (html_t){0},
		.invite_link = token ? invite_path(r, token) : "",
		.invite_email = invited ? invited : "",
		.invite_mailed = mailing && mailing->mailed,
		.invite_mail_error = mailing && mailing->error ? mailing->error : "",
		.invitations = is, .n_invitations = v.n_invitations};
	layout_begin(r, w, _("Your organisation"));
	tmpl_org_page(&w->body, &t);
	layout_end(r, w);
}

void page_org(struct req *r, struct resp *w)
{
	org_page_with(r, w, NULL, NULL, NULL, NULL);
}

/* The invitation's e-mail, when a mail server is configured (mail.h): the
 * one-time link in full, with the organisation's name. */
static struct mailing invite_mail(struct req *r, const struct org_invitation *inv,
				  const char *token)
{
	struct mailing m = {0};
	const struct mail_config *mc = server_mail(r->srv);
	if (!mc)
		return m;
	const char *link = arena_printf(r->a, "%s%s", server_base_url(r->srv),
					invite_path(r, token));
	const char *subject = _("Your invitation to Kavel");
	const char *body = arena_printf(r->a,
		_("%s invites you to work in Kavel for your organisation.\n\n"
		  "Make your account with this one-time link; it holds for 7 days:\n%s\n\n"
		  "If you did not expect this message, you can ignore it."),
		r->me.name ? r->me.name : "", link);
	char err[256];
	m.mailed = mail_send(mc, inv->email, subject, body, err, sizeof err);
	if (!m.mailed)
		m.error = arena_strdup(r->a, err);
	return m;
}

void page_org_invite(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	char token[65];
	struct org_invitation inv;
	const char *email = in_str(r, "email");
	enum kv_status rc = in_blank(email)
		? kv_fail(&e, KV_INVALID, "email", _("Give the e-mail address to invite."))
		: app_org_invite(&r->app, email, token, &inv, &e);
	struct mailing m = {0};
	if (rc == KV_OK)
		m = invite_mail(r, &inv, token);
	if (rc == KV_OK && m.mailed)
		fprintf(stderr, "kavel: invitation for %s mailed\n", inv.email);
	else if (rc == KV_OK)
		/* No mail transport, or it failed: the server log carries the
		 * link, as the page and the API answer do, to the
		 * administrator only. */
		fprintf(stderr, "kavel: invitation for %s%s%s: %s\n", inv.email,
			m.error ? " not mailed: " : "", m.error ? m.error : "",
			invite_path(r, token));
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:I, s:s, s:s, s:o, s:b, s:o}", "id",
				(json_int_t)inv.id, "email", inv.email, "link",
				invite_path(r, token), "expires_at",
				json_instant(r->a, inv.expires_at), "mailed", m.mailed,
				"mail_error", m.error ? json_string(m.error) : json_null()));
		return;
	}
	if (rc != KV_OK) {
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		org_page_with(r, w, &fe, NULL, NULL, NULL);
		return;
	}
	org_page_with(r, w, NULL, token, inv.email, &m);
}

void page_member_confirm(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_member_confirm(&r->app, r->ids[0], &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		resp_json(r, w, 200, json_pack("{s:I, s:b}", "candidate",
			(json_int_t)r->ids[0], "confirmed", 1));
		return;
	}
	resp_redirect(r, w, "/organisation");
}

/* ---- the one-time link --------------------------------------------------- */

static const struct form_field accept_fields[] = {
	{.name = "token", .kind = FIELD_HIDDEN},
	{.name = "name", .label = N_("Your name"), .required = true, .autocomplete = "name"},
	{.name = "password", .label = N_("Password (at least 12 characters)"),
	 .kind = FIELD_PASSWORD, .autocomplete = "new-password", .required = true},
};

static void accept_form(struct req *r, struct resp *w, const char *token,
			const struct form_errors *fe)
{
	struct org_invitation inv;
	struct org_claim c;
	struct kv_error e = {0};
	if (app_invitation_get(&r->app, token, &inv, &c, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	/* The double-submit token of anonymous forms, as on the login page. */
	if (!r->authed && (!r->cookie_csrf || strlen(r->cookie_csrf) != 64)) {
		r->cookie_csrf = random_hex32(r->a);
		resp_header(w, "Set-Cookie", arena_printf(r->a, "kavel_csrf=%s%s",
			r->cookie_csrf, auth_cookie_attrs(r)));
	}
	struct form_field fs[3];
	memcpy(fs, accept_fields, sizeof fs);
	fs[0].value = token;
	struct form f = {.action = "/invitation", .submit = _("Make my account"),
			 .fields = fs, .n_fields = 3, .errors = fe,
			 .refused = _("Your account was not made.")};
	struct tv_org_invitation t = {.org_name = c.name, .kvk = c.kvk,
				      .email = inv.email, .form = form_html(r, &f)};
	layout_begin(r, w, _("Invitation"));
	tmpl_org_invitation(&w->body, &t);
	layout_end(r, w);
}

void page_invitation(struct req *r, struct resp *w)
{
	accept_form(r, w, in_str(r, "token"), NULL);
}

void page_invitation_accept(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	const char *token = in_str(r, "token");
	struct account acc = {.name = (char *)in_str(r, "name")};
	enum kv_status rc = app_invitation_accept(&r->app, token, &acc,
						  in_str(r, "password"), &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:I, s:s}", "account",
				(json_int_t)acc.id, "email", acc.email));
		return;
	}
	if (rc != KV_OK && (rc == KV_INVALID)) {
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		accept_form(r, w, token, &fe);
		return;
	}
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	resp_redirect(r, w, "/login?registered=1");
}

/* ---- the buyer's view of the registrations -------------------------------- */

static const struct form_field decide_fields[] = {
	{.name = "candidate", .kind = FIELD_HIDDEN},
	{.name = "reason", .label = N_("Why this registration is genuine"),
	 .kind = FIELD_TEXTAREA, .required = true, .rows = 2},
	{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
	 .label = N_("I understand that every other registration under this KvK number is then not genuine and takes no further part; this cannot be undone.")},
};

/* The KvK number of the candidate's penvoerder, "" when it has none. */
static const char *penvoerder_kvk(const struct candidate *c)
{
	for (int j = 0; j < c->n_parties; j++)
		if (c->parties[j].role == PARTY_PENVOERDER)
			return c->parties[j].kvk;
	return "";
}

static void claims_page_with(struct req *r, struct resp *w,
			     int64_t refused_cand, const struct form_errors *fe)
{
	struct app_claims_view v;
	struct kv_error e = {0};
	if (app_claims_view(&r->app, r->proc.id, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	if (r->api) {
		json_t *rows = json_array();
		for (int i = 0; i < v.n_rows; i++) {
			const struct app_claim_row *c = &v.rows[i];
			const char *kvk = penvoerder_kvk(&c->cand);
			json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:b, s:o, s:i}",
				"candidate", (json_int_t)c->cand.id, "name", c->cand.name,
				"kvk", kvk, "organisation", (json_int_t)c->claim.claim_id,
				"organisation_name", c->claim.claim_name ? c->claim.claim_name : "",
				"email", c->claim.admin_email ? c->claim.admin_email : "",
				"conflict", c->conflict, "members", members_json(c),
				"unconfirmed_members", c->n_unconfirmed);
			if (c->claim.verdict >= 0)
				json_object_set_new(j, "verdict", json_pack("{s:b, s:s, s:o}",
					"genuine", c->claim.verdict == 1, "reason", c->claim.reason,
					"decided_at", json_instant(r->a, c->claim.decided_at)));
			json_array_append_new(rows, j);
		}
		resp_json(r, w, 200, json_pack("{s:o, s:i}", "registrations", rows,
					       "conflicts", v.n_conflicts));
		return;
	}
	struct tv_org_claims_rows *rows = arena_alloc(r->a, (size_t)(v.n_rows + 1) * sizeof *rows);
	for (int i = 0; i < v.n_rows; i++) {
		const struct app_claim_row *c = &v.rows[i];
		const char *kvk = penvoerder_kvk(&c->cand);
		html_t decide = {0};
		if (c->conflict && c->claim.verdict < 0) {
			struct form_field fs[3];
			memcpy(fs, decide_fields, sizeof fs);
			fs[0].value = arena_printf(r->a, "%lld", (long long)c->cand.id);
			struct form f = {
				.action = arena_printf(r->a, "/procedures/%lld/registrations/decide",
						       (long long)r->proc.id),
				.id = arena_printf(r->a, "decide-%lld", (long long)c->cand.id),
				.submit = _("This one is genuine"), .fields = fs, .n_fields = 3,
				.errors = refused_cand == c->cand.id ? fe : NULL};
			decide = form_html(r, &f);
		}
		rows[i] = (struct tv_org_claims_rows){
			.id = c->cand.id, .name = c->cand.name, .kvk = kvk,
			.account = c->claim.claim_name ? c->claim.claim_name : _("the buyer or before organisation accounts"),
			.email = c->claim.admin_email ? c->claim.admin_email : "",
			.conflict = c->conflict, .genuine = c->claim.verdict == 1,
			.rejected = c->claim.verdict == 0,
			.reason = c->claim.reason ? c->claim.reason : "",
			.decided = c->claim.decided_at ? fmt_when(r, c->claim.decided_at) : "",
			.members = members_html(r, c), .decide = decide};
	}
	struct tv_org_claims t = {.conflicts = v.n_conflicts, .rows = rows, .n_rows = v.n_rows};
	layout_begin(r, w, _("Registrations"));
	procedure_nav(r, w, "candidates");
	tmpl_org_claims(&w->body, &t);
	layout_end(r, w);
}

void page_claims(struct req *r, struct resp *w)
{
	claims_page_with(r, w, 0, NULL);
}

void page_claim_decide(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long cand = 0;
	enum kv_status rc = in_int(in_str(r, "candidate"), 1, INT64_MAX, &cand,
				   "candidate", &e);
	if (rc == KV_OK)
		rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = app_claim_decide(&r->app, r->proc.id, cand, in_str(r, "reason"), &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_pack("{s:I, s:b}", "candidate",
				(json_int_t)cand, "genuine", 1));
		return;
	}
	if (rc != KV_OK) {
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		claims_page_with(r, w, cand, &fe);
		return;
	}
	resp_redirect_done(r, w, arena_printf(r->a, "/procedures/%lld/registrations",
					      (long long)r->proc.id), DONE_CLAIM_DECIDED);
}
