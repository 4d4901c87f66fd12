/*
 * page_vault.c - the sealed bid vault: a buyer's vault passphrase, the
 * procedure's vault (state, who holds keys, the bids received: sizes and
 * hashes, never contents), opening it with two buyers on one screen, the
 * bidder accounts of candidates, and the streamed upload of a bid.
 *
 * The upload never buffers the body: the router's body reader hands each
 * piece to the upload action (app/upload.h), which seals it in 64 KiB
 * chunks into a temporary file of the vault directory; at the end the
 * file is synced and renamed into place, the directory synced, and only
 * then is the submission recorded and the receipt given.  Any refusal
 * removes the temporary file.
 *
 * The pages read app/read_vault.h and are the templates vault_*.tmpl,
 * their forms declared once (form.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/bid_documents.h"
#include "app/read_receipt.h"
#include "app/read_vault.h"
#include "app/upload.h"
#include "core/validate.h"
#include "report/report.h"
#include "form.h"
#include "html.h"
#include "input.h"
#include "multipart.h"
#include "receipt.h"
#include "templates.h"
#include "vault/vault.h"
#include "view.h"

static char *hex(arena *a, const unsigned char *b, size_t n)
{
	char *h = arena_alloc(a, 2 * n + 1);
	sodium_bin2hex(h, 2 * n + 1, b, n);
	return h;
}

static bool holds_buyer_role(const struct req *r)
{
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BUYER)
			return true;
	return false;
}

static void answer(struct req *r, struct resp *w, int status,
		   enum kv_status st, const char *field, const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, field, "%s", msg);
	resp_error(r, w, &e);
	w->status = status;
}

/* ---- a buyer's vault passphrase ---------------------------------------- */

static void vault_key_page(struct req *r, struct resp *w,
			   const struct form_errors *fe, bool saved)
{
	struct vault_key_rec k;
	struct kv_error ke;
	struct tv_vault_key t = {
		.saved = saved,
		.has_key = app_vault_key_get(&r->app, r->me.id, &k, &ke) == KV_OK};
	if (t.has_key) {
		t.set_at = fmt_when(r, k.created_at);
	} else {
		static const struct form_field fields[] = {
			{.name = "passphrase", .kind = FIELD_PASSWORD, .autocomplete = "new-password",
			 .label = N_("Vault passphrase (at least 12 characters, not your password)")},
			{.name = "passphrase2", .kind = FIELD_PASSWORD, .autocomplete = "new-password",
			 .label = N_("The same again")},
		};
		struct form f = {.action = "/account/vault-key", .submit = _("Set vault passphrase"),
				 .fields = fields, .n_fields = 2, .errors = fe};
		t.form = form_html(r, &f);
	}
	layout_begin(r, w, _("Vault passphrase"));
	tmpl_vault_key(&w->body, &t);
	layout_end(r, w);
}

void page_vault_key(struct req *r, struct resp *w)
{
	if (!holds_buyer_role(r)) {
		answer(r, w, 403, KV_DENIED, "", _("Only buyers hold a vault passphrase."));
		return;
	}
	vault_key_page(r, w, NULL, req_param(r, "saved") != NULL);
}

void page_vault_key_set(struct req *r, struct resp *w)
{
	if (!holds_buyer_role(r)) {
		answer(r, w, 403, KV_DENIED, "", _("Only buyers hold a vault passphrase."));
		return;
	}
	struct kv_error e = {0};
	char *pass = (char *)in_str(r, "passphrase");
	char *again = (char *)in_str(r, "passphrase2");
	enum kv_status rc;
	if (!r->api && (!again || !pass || strcmp(pass, again) != 0))
		rc = kv_fail(&e, KV_INVALID, "passphrase2",
			     _("The two passphrases differ."));
	else
		rc = app_vault_key_set(&r->app, r->me.id, pass, &e);
	if (pass)
		sodium_memzero(pass, strlen(pass));
	if (again)
		sodium_memzero(again, strlen(again));
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_pack("{s:b}", "vault_key", 1));
		return;
	}
	if (rc != KV_OK) {
		struct form_errors fe = {0};
		form_errors_add(&fe, &e);
		w->status = http_status_of(rc);
		vault_key_page(r, w, &fe, false);
		return;
	}
	resp_redirect(r, w, "/account/vault-key?saved=1");
}

/* ---- the procedure's vault ---------------------------------------------- */

static json_t *json_submission(struct req *r, const struct submission *s)
{
	return json_pack("{s:I, s:i, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}",
			 "id", (json_int_t)s->id, "lot", s->lot_number,
			 "envelope", s->envelope == ENVELOPE_PRICE ? "price" : "quality",
			 "candidate_id", (json_int_t)s->candidate_id,
			 "candidate", s->candidate_name ? s->candidate_name : "",
			 "file_name", s->file_name, "content_type", s->content_type,
			 "size", (json_int_t)s->size,
			 "sha256", hex(r->a, s->sha256, 32),
			 "receipt", hex(r->a, s->receipt, 32),
			 "received_at", json_instant(r->a, s->received_at),
			 "withdrawn_at", json_instant(r->a, s->withdrawn_at));
}

static enum kv_status vault_state_load(struct req *r, struct app_vault_view *vs,
				       struct kv_error *e)
{
	return app_vault_view(&r->app, &r->proc, vs, e);
}

static json_t *json_vault(struct req *r, const struct app_vault_view *vs)
{
	json_t *keys = json_array();
	for (int i = 0; i < vs->n_keys; i++)
		json_array_append_new(keys, json_pack("{s:I, s:s, s:s, s:o}",
			"account_id", (json_int_t)vs->keys[i].account_id,
			"name", vs->keys[i].name, "email", vs->keys[i].email,
			"created_at", json_instant(r->a, vs->keys[i].created_at)));
	json_t *subs = json_array();
	for (int i = 0; i < vs->n_subs; i++)
		json_array_append_new(subs, json_submission(r, &vs->subs[i]));
	json_t *vault = json_null();
	if (vs->exists)
		vault = json_pack("{s:o, s:o, s:[I, I]}",
			"created_at", json_instant(r->a, vs->v.created_at),
			"opened_at", json_instant(r->a, vs->v.opened_at),
			"opened_by", (json_int_t)vs->v.opened_by_1,
			(json_int_t)vs->v.opened_by_2);
	return json_pack("{s:o, s:o, s:I, s:o, s:o, s:{s:I, s:i, s:I}}", "vault", vault,
			 "deadline", json_instant(r->a, vs->deadline),
			 "submission_max", (json_int_t)vs->limits.max_bytes,
			 "buyers_with_keys", keys, "submissions", subs,
			 "limits", "max_bytes", (json_int_t)vs->limits.max_bytes,
			 "quota_files", vs->limits.files,
			 "quota_bytes", (json_int_t)vs->limits.bytes);
}

/* The vault page's forms, to show a refusal at the one it came from. */
enum vault_form { VAULT_FORM_CREATE, VAULT_FORM_LIMIT, VAULT_FORM_OPEN,
		  VAULT_FORM_DOCS, VAULT_FORM_NONE };

static html_t limit_form(struct req *r, const struct app_vault_view *vs,
			 const struct form_errors *fe)
{
	const struct form_field fields[] = {
		{.name = "max_mib", .label = N_("Largest file in MiB (1 to 2048)"),
		 .kind = FIELD_NUMBER,
		 .value = arena_printf(r->a, "%lld", (long long)(vs->limits.max_bytes >> 20)),
		 .help = N_("It can change until the tender deadline, and not below a bid received already.")},
		{.name = "quota_files", .label = N_("Files per bidder and lot (1 to 1000)"),
		 .kind = FIELD_NUMBER,
		 .value = arena_printf(r->a, "%d", vs->limits.files),
		 .help = N_("Files a bidder keeps in one lot at a time; a withdrawn or replaced file no longer counts.")},
		{.name = "quota_mib", .label = N_("MiB per bidder and lot (1 to 16384)"),
		 .kind = FIELD_NUMBER,
		 .value = arena_printf(r->a, "%lld", (long long)(vs->limits.bytes >> 20)),
		 .help = N_("Those files together; not below the largest file. So that no bidder can fill the disk before the deadline.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault/limit", (long long)r->proc.id),
		.submit = _("Set the limits"), .fields = fields, .n_fields = 3, .errors = fe};
	return form_html(r, &f);
}

static html_t create_form(struct req *r, const struct form_errors *fe)
{
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault", (long long)r->proc.id),
		.submit = _("Make the vault"), .errors = fe, .refused = form_not_saved()};
	return form_html(r, &f);
}

/* The buyers with a vault passphrase as a pick: "Anna de Vries
 * (anna@...)", valued by e-mail address (what the API takes), after an
 * empty "choose" option. */
static struct field_option *key_options(struct req *r, const struct app_vault_view *vs, int *n)
{
	struct field_option *os = arena_alloc(r->a, (size_t)(vs->n_keys + 2) * sizeof *os);
	*n = 0;
	os[(*n)++] = (struct field_option){.value = "", .label = _("Choose a buyer")};
	for (int i = 0; i < vs->n_keys; i++)
		os[(*n)++] = (struct field_option){
			.value = vs->keys[i].email,
			.label = arena_printf(r->a, "%s (%s)", vs->keys[i].name, vs->keys[i].email)};
	return os;
}

/* Two buyers on one screen: each field's label says whose it is; each
 * buyer picked from those with a vault passphrase. */
static html_t open_form(struct req *r, const struct app_vault_view *vs,
			const struct form_errors *fe)
{
	const char *first = _("First buyer"), *second = _("Second buyer");
	const char *pass = _("Vault passphrase");
	int nk = 0;
	const struct field_option *keys = key_options(r, vs, &nk);
	const struct form_field fields[] = {
		{.name = "email_a", .kind = FIELD_SELECT, .value = r->me.email,
		 .options = keys, .n_options = nk, .options_translated = true,
		 .label = first, .translated = true, .required = true},
		{.name = "passphrase_a", .kind = FIELD_PASSWORD, .autocomplete = "off",
		 .label = arena_printf(r->a, "%s: %s", first, pass), .translated = true},
		{.name = "email_b", .kind = FIELD_SELECT, .options = keys, .n_options = nk,
		 .options_translated = true, .label = second, .translated = true,
		 .required = true},
		{.name = "passphrase_b", .kind = FIELD_PASSWORD, .autocomplete = "off",
		 .label = arena_printf(r->a, "%s: %s", second, pass), .translated = true},
		{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
		 .label = N_("We understand that opening the vault unseals every bid for the buyers and is recorded with both our names; a bid cannot be sealed again.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault/open", (long long)r->proc.id),
		.submit = _("Open the vault"), .fields = fields, .n_fields = 5, .errors = fe};
	return form_html(r, &f);
}

/* The lots' bid documents with, while the rules may change, the forms
 * that add and remove; fe belongs to the add form of lot fe_lot. */
static html_t documents_html(struct req *r, bool open, int64_t fe_lot,
			     const struct form_errors *fe)
{
	struct bid_document *docs = NULL;
	int n = 0;
	struct kv_error e;
	if (app_bid_documents(&r->app, r->proc.id, 0, &docs, &n, &e) != KV_OK)
		n = 0;
	struct tv_vault_documents t = {.pid = r->proc.id};
	struct tv_vault_documents_lots *lots =
		arena_alloc(r->a, (size_t)(r->proc.n_lots + 1) * sizeof *lots);
	for (int i = 0; i < r->proc.n_lots; i++) {
		const struct lot *lot = &r->proc.lots[i];
		struct tv_vault_documents_lots_docs *ds =
			arena_alloc(r->a, (size_t)(n + 1) * sizeof *ds);
		int nd = 0;
		for (int k = 0; k < n; k++) {
			if (docs[k].lot_id != lot->id)
				continue;
			html_t rm = (html_t){0};
			if (open) {
				struct form f = {
					.action = arena_printf(r->a, "/procedures/%lld/bid-documents/%lld/remove",
							       (long long)r->proc.id, (long long)docs[k].id),
					.id = arena_printf(r->a, "doc-%lld", (long long)docs[k].id),
					.submit = _("Remove"), .submit_css = "secondary"};
				rm = form_html(r, &f);
			}
			ds[nd++] = (struct tv_vault_documents_lots_docs){
				.name = docs[k].name, .required = docs[k].required,
				.max_mib = docs[k].max_bytes >> 20, .remove_form = rm};
		}
		html_t add = (html_t){0};
		if (open) {
			const struct form_field fields[] = {
				{.name = "name", .label = N_("Document"), .required = true,
				 .placeholder = N_("e.g. Plan van aanpak")},
				{.name = "max_mib", .kind = FIELD_NUMBER, .value = "50",
				 .label = N_("Largest file in MiB (1 to 2048)")},
				{.name = "required", .kind = FIELD_CHECKBOX, .value = "1",
				 .label = N_("A bid must contain it")},
			};
			struct form f = {
				.action = arena_printf(r->a, "/procedures/%lld/lots/%lld/bid-documents",
						       (long long)r->proc.id, (long long)lot->id),
				.id = arena_printf(r->a, "lot-%d", lot->number),
				.submit = _("Add the document"), .fields = fields, .n_fields = 3,
				.errors = fe_lot == lot->id ? fe : NULL};
			add = form_html(r, &f);
		}
		lots[i] = (struct tv_vault_documents_lots){
			.number = lot->number, .title = lot->title, .docs = ds, .n_docs = nd,
			.add_form = add};
	}
	t.lots = lots;
	t.n_lots = r->proc.n_lots;
	return tmpl_vault_documents_html(r->a, &t);
}

/* fe: the refusal of form `form`, or NULL; opened: the findings of the
 * opening just made, or NULL. */
static void vault_page(struct req *r, struct resp *w, enum vault_form form,
		       const struct form_errors *fe,
		       const struct vault_opening *opened)
{
	struct app_vault_view vs;
	struct kv_error le;
	if (vault_state_load(r, &vs, &le) != KV_OK) {
		resp_error(r, w, &le);
		return;
	}
	struct tv_vault_page t = {
		.pid = r->proc.id, .exists = vs.exists, .opened = vs.exists && vs.v.opened_at,
		.created_at = fmt_when(r, vs.v.created_at), .deadline_at = fmt_when(r, vs.deadline),
		.opened_at = fmt_when(r, vs.v.opened_at),
		.opened_by_1 = app_vault_holder(&vs, vs.v.opened_by_1),
		.opened_by_2 = app_vault_holder(&vs, vs.v.opened_by_2),
		.max_text = arena_printf(r->a, _("At most %lld MiB per file; per bidder and lot at most %d files and %lld MiB together."),
					 (long long)(vs.limits.max_bytes >> 20), vs.limits.files,
					 (long long)(vs.limits.bytes >> 20)),
		.bids = vs.n_subs, .total_size = fmt_bytes(r, vs.total_bytes),
		.just_opened = opened != NULL,
	};
	/* Whether the refused form is still on the page; if not, its
	 * refusal stands above everything. */
	bool shown = false;
	if (vs.limit_open) {
		t.limit_form = limit_form(r, &vs, form == VAULT_FORM_LIMIT ? fe : NULL);
		shown |= form == VAULT_FORM_LIMIT;
	}
	if (!vs.exists) {
		t.create_form = create_form(r, form == VAULT_FORM_CREATE ? fe : NULL);
		shown |= form == VAULT_FORM_CREATE;
	} else if (!vs.v.opened_at) {
		t.open_form = open_form(r, &vs, form == VAULT_FORM_OPEN ? fe : NULL);
		shown |= form == VAULT_FORM_OPEN;
	}
	t.documents = documents_html(r, vs.limit_open,
				     form == VAULT_FORM_DOCS && vs.limit_open ? r->ids[1] : 0, fe);
	shown |= form == VAULT_FORM_DOCS && vs.limit_open;
	if (fe && fe->n && !shown) {
		t.refused = fe->items[0].msg;
		t.refused_heading = form == VAULT_FORM_CREATE || form == VAULT_FORM_DOCS
			? form_not_saved() : _("Nothing was changed.");
	}
	struct tv_vault_page_keys *keys = arena_alloc(r->a, (size_t)(vs.n_keys + 1) * sizeof *keys);
	for (int i = 0; i < vs.n_keys; i++)
		keys[i] = (struct tv_vault_page_keys){vs.keys[i].name, vs.keys[i].email};
	t.keys = keys;
	t.n_keys = vs.n_keys;
	struct tv_vault_page_subs *subs = arena_alloc(r->a, (size_t)(vs.n_subs + 1) * sizeof *subs);
	for (int i = 0; i < vs.n_subs; i++) {
		const struct submission *s = &vs.subs[i];
		const char *status = "";
		for (int j = 0; opened && j < opened->n; j++)
			if (opened->subs[j].id == s->id)
				status = opened->verified[j] ? _("yes") : _("NO");
		if (s->withdrawn_at)
			status = arena_printf(r->a, "%s %s", _("withdrawn on"),
					      fmt_when(r, s->withdrawn_at));
		subs[i] = (struct tv_vault_page_subs){
			.id = s->id, .received_at = fmt_when(r, s->received_at),
			.lot = s->lot_number, .candidate = s->candidate_name ? s->candidate_name : "",
			.file = fmt_submission_file(r, s), .size = s->size, .sha256 = hex(r->a, s->sha256, 32),
			.status = status,
			.readable = t.opened && !s->withdrawn_at && s->envelope == ENVELOPE_QUALITY};
	}
	t.subs = subs;
	t.n_subs = vs.n_subs;
	if (opened) {
		int live, good;
		app_vault_opening_tally(opened, &live, &good);
		t.matched = good;
		t.live = live;
	}
	layout_begin(r, w, _("Vault"));
	procedure_nav(r, w, "vault");
	tmpl_vault_page(&w->body, &t);
	layout_end(r, w);
}

/* After a refused form of the vault page: the page again, the refusal at
 * the form. */
static void vault_page_refused(struct req *r, struct resp *w, enum vault_form form,
			       enum kv_status rc, const struct kv_error *e)
{
	struct form_errors fe = {0};
	form_errors_add(&fe, e);
	w->status = http_status_of(rc);
	vault_page(r, w, form, &fe, NULL);
}

void page_vault(struct req *r, struct resp *w)
{
	if (r->api) {
		struct app_vault_view vs;
		struct kv_error e;
		if (vault_state_load(r, &vs, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_vault(r, &vs));
		return;
	}
	vault_page(r, w, VAULT_FORM_CREATE, NULL, NULL);
}

/* The answer to a change of the vault's settings (rc, e: the action's):
 * the vault's state with `status` (API) or back to the vault page
 * (HTML); a refusal at the form it came from. */
static void vault_setting_answer(struct req *r, struct resp *w, enum kv_status rc,
				 struct kv_error *e, int status, enum vault_form form)
{
	if (r->api) {
		struct app_vault_view vs;
		if (rc == KV_OK)
			rc = vault_state_load(r, &vs, e);
		if (rc != KV_OK)
			resp_error(r, w, e);
		else
			resp_json(r, w, status, json_vault(r, &vs));
		return;
	}
	if (rc != KV_OK) {
		vault_page_refused(r, w, form, rc, e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/vault", (long long)r->proc.id));
}

void page_vault_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_vault_create(&r->app, r->proc.id, &e);
	vault_setting_answer(r, w, rc, &e, 201, VAULT_FORM_CREATE);
}

void page_vault_open(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct vault_opening o;
	struct app_opener a, b;
	enum kv_status rc = opening_form(r, &a, &b, &e);
	if (rc == KV_OK)
		rc = app_envelope_open(&r->app, r->proc.id, ENVELOPE_QUALITY,
				       server_vault_dir(r->srv), &a, &b, &o, &e);
	if (r->api) {
		if (rc != KV_OK) {
			resp_error(r, w, &e);
			return;
		}
		json_t *subs = json_array();
		for (int i = 0; i < o.n; i++) {
			json_t *s = json_submission(r, &o.subs[i]);
			json_object_set_new(s, "verified", json_boolean(o.verified[i]));
			json_array_append_new(subs, s);
		}
		resp_json(r, w, 200, json_pack("{s:o, s:[I, I], s:o}",
			"opened_at", json_instant(r->a, o.opened_at),
			"opened_by", (json_int_t)o.by_1, (json_int_t)o.by_2,
			"submissions", subs));
		return;
	}
	if (rc != KV_OK)
		vault_page_refused(r, w, VAULT_FORM_OPEN, rc, &e);
	else
		vault_page(r, w, VAULT_FORM_OPEN, NULL, &o);
}

/* One whole number of the limits form, its current value when the field
 * is absent (an API client may send only what it changes). */
static enum kv_status limit_param(struct req *r, const char *name,
				  long long current, long long *out,
				  struct kv_error *e)
{
	const char *v = in_str(r, name);
	*out = current;
	if (!v)
		return KV_OK;
	return in_int(v, -1000000000LL, 1000000000LL, out, name, e);
}

/* The buyer sets the bid limits (app_bid_limits_set): {"max_mib": n,
 * "quota_files": n, "quota_mib": n}, each optional, or the vault page's
 * form. */
void page_submission_max_set(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct bid_limits now;
	long long mib = 0, files = 0, quota = 0;
	enum kv_status rc = app_bid_limits(&r->app, r->proc.id, &now, &e);
	if (rc == KV_OK)
		rc = limit_param(r, "max_mib", now.max_bytes >> 20, &mib, &e);
	if (rc == KV_OK)
		rc = limit_param(r, "quota_files", now.files, &files, &e);
	if (rc == KV_OK)
		rc = limit_param(r, "quota_mib", now.bytes >> 20, &quota, &e);
	if (rc == KV_OK)
		rc = app_bid_limits_set(&r->app, r->proc.id, mib, files, quota, &e);
	vault_setting_answer(r, w, rc, &e, 200, VAULT_FORM_LIMIT);
}

/* ---- the documents of a bid ------------------------------------------------ */

static json_t *json_bid_documents(struct req *r, int64_t lot_id)
{
	struct bid_document *docs = NULL;
	int n = 0;
	struct kv_error e;
	json_t *a = json_array();
	if (app_bid_documents(&r->app, r->proc.id, lot_id, &docs, &n, &e) != KV_OK)
		n = 0;
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:b, s:I}",
			"id", (json_int_t)docs[i].id, "lot_id", (json_int_t)docs[i].lot_id,
			"name", docs[i].name, "required", docs[i].required,
			"max_bytes", (json_int_t)docs[i].max_bytes));
	return json_pack("{s:o}", "documents", a);
}

/* POST /procedures/#/lots/#/bid-documents: name, max_mib, required. */
void page_bid_document_add(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long mib = 0;
	struct bid_document d;
	enum kv_status rc = in_int(in_str(r, "max_mib"), -1000000000LL,
				   1000000000LL, &mib, "max_mib", &e);
	if (rc == KV_OK)
		rc = app_bid_document_add(&r->app, r->proc.id, r->ids[1],
					  in_str(r, "name"),
					  in_bool(in_str(r, "required")), mib,
					  &d, &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_bid_documents(r, r->ids[1]));
		return;
	}
	if (rc != KV_OK) {
		vault_page_refused(r, w, VAULT_FORM_DOCS, rc, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/vault#bid-documents",
					 (long long)r->proc.id));
}

/* POST /procedures/#/bid-documents/#/remove */
void page_bid_document_remove(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_bid_document_remove(&r->app, r->proc.id,
						    r->ids[1], &e);
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_bid_documents(r, 0));
		return;
	}
	if (rc != KV_OK) {
		vault_page_refused(r, w, VAULT_FORM_NONE, rc, &e);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/vault#bid-documents",
					 (long long)r->proc.id));
}

/* ---- bidder accounts ------------------------------------------------------ */

void page_bidder_account_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct account acc = {.email = (char *)in_str(r, "email"),
			      .name = (char *)in_str(r, "name")};
	enum kv_status rc = app_bidder_account_create(&r->app, r->proc.id,
						      r->ids[1], &acc,
						      in_str(r, "password"), &e);
	if (rc != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	resp_json(r, w, 201, json_pack("{s:I, s:s, s:s, s:I, s:s}",
		"id", (json_int_t)acc.id, "email", acc.email, "name", acc.name,
		"candidate_id", (json_int_t)r->ids[1], "role", "bidder"));
}

/* ---- the streamed upload of a bid ------------------------------------------ */

/* The upload itself is an app action (app/upload.h: begin, name, chunk,
 * finish, abort): these handlers check who uploads to which lot, open
 * it, and hand it the body's bytes as the router's body reader passes
 * them on (struct body_sink, web.h).  Nothing here touches the vault
 * directory. */

/* The procedure's largest file in bytes, read once per request (the
 * store is not at hand while a refused upload streams in); the default
 * when it cannot be read. */
static int64_t document_param(const struct req *r)
{
	const char *d = req_param(r, "document");
	long long id = 0;
	struct kv_error e;
	if (!d || in_int(d, 1, 1000000000000LL, &id, "document", &e) != KV_OK)
		return 0;
	return id;
}

static int64_t upload_max(struct req *r)
{
	struct kv_error e;
	int64_t doc = document_param(r);
	if (!r->upload_max && r->st && doc) {
		struct bid_document *docs = NULL;
		int n = 0;
		if (app_bid_documents(&r->app, r->proc.id, r->ids[1], &docs, &n, &e) == KV_OK)
			for (int i = 0; i < n; i++)
				if (docs[i].id == doc)
					r->upload_max = docs[i].max_bytes;
	}
	struct bid_limits l;
	if (!r->upload_max && r->st && app_bid_limits(&r->app, r->proc.id, &l, &e) == KV_OK)
		r->upload_max = l.max_bytes;
	if (!r->upload_max)
		r->upload_max = APP_SUBMISSION_MAX;
	return r->upload_max;
}

static int64_t document_param(const struct req *r);

/* The refusal of a file over limit, naming the bid document it is for
 * (when the store is at hand to say which). */
static const char *too_big(struct req *r, int64_t limit)
{
	int64_t doc = document_param(r);
	struct bid_document *docs = NULL;
	int n = 0;
	struct kv_error e;
	if (doc && r->st &&
	    app_bid_documents(&r->app, r->proc.id, r->ids[1], &docs, &n, &e) == KV_OK)
		for (int i = 0; i < n; i++)
			if (docs[i].id == doc)
				return arena_printf(r->a, _("The document \"%s\" may be at most %lld MiB."),
						    docs[i].name, (long long)(limit >> 20));
	return arena_printf(r->a, _("A file may be at most %lld MiB."),
			    (long long)(limit >> 20));
}

/* A file name from the X-File-Name header: percent-decoded UTF-8, one
 * line, no directory part. */
static const char *file_name_of(struct req *r, struct kv_error *e)
{
	const char *h = r->hdr_file_name;
	if (!h || !*h) {
		kv_fail(e, KV_INVALID, "file_name",
			_("Name the file in the X-File-Name header."));
		return NULL;
	}
	size_t n = strlen(h);
	char *name = arena_alloc(r->a, n + 1), *o = name;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (h[i] == '%' && isxdigit((unsigned char)h[i + 1]) &&
		    isxdigit((unsigned char)h[i + 2]) &&
		    sscanf(h + i + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			i += 2;
		} else {
			*o++ = h[i];
		}
	}
	*o = 0;
	if (text_check(name, 255, "file_name", e) != KV_OK)
		return NULL;
	if (strchr(name, '/') || strchr(name, '\\')) {
		kv_fail(e, KV_INVALID, "file_name",
			_("A file name has no directory part."));
		return NULL;
	}
	return name;
}


static const struct lot *lot_of(const struct req *r, int64_t id)
{
	for (int i = 0; i < r->proc.n_lots; i++)
		if (r->proc.lots[i].id == id)
			return &r->proc.lots[i];
	return NULL;
}

static void submit_page(struct req *r, struct resp *w, const struct lot *lot,
			const struct kv_error *e);

/* A refusal before the upload began: JSON for the API, the submit page
 * with the error for the form. */
static void upload_answer(struct req *r, struct resp *w, int status,
			  const struct kv_error *e)
{
	if (r->api || !lot_of(r, r->ids[1])) {
		resp_error(r, w, e);
	} else {
		submit_page(r, w, lot_of(r, r->ids[1]), e);
	}
	w->status = status;
}

static void upload_answer_msg(struct req *r, struct resp *w, int status,
			      enum kv_status st, const char *field,
			      const char *msg)
{
	struct kv_error e;
	kv_fail(&e, st, field, "%s", msg);
	upload_answer(r, w, status, &e);
}

/* Checks who uploads to which lot and begins the upload (r->upload), or
 * answers the refusal.  Nothing is written to the vault directory yet:
 * the file begins once it is named (app_upload_name). */
static bool upload_open(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int64_t candidate = own_candidate(r);   /* the router checked there is one */
	if (!lot_of(r, r->ids[1])) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return false;
	}
	if (app_upload_begin(&r->app, &r->proc, r->ids[1], candidate,
			     server_vault_dir(r->srv), &r->upload, &e) != KV_OK) {
		upload_answer(r, w, http_status_of(e.status), &e);
		return false;
	}
	const char *doc = req_param(r, "document");
	if (doc && (!document_param(r) ||
		    app_upload_document(&r->app, r->upload, document_param(r), &e) != KV_OK)) {
		if (!document_param(r))
			kv_fail(&e, KV_INVALID, "document",
				_("This lot asks for no such document."));
		app_upload_abort(r->upload);
		r->upload = NULL;
		upload_answer(r, w, http_status_of(e.status), &e);
		return false;
	}
	return true;
}

/* Ends the upload with a refusal: nothing of it stays, and the answer
 * starts afresh (a form page may have been begun). */
static void upload_refuse(struct req *r, struct resp *w, int status,
			  enum kv_status st, const char *msg)
{
	app_upload_abort(r->upload);
	r->upload = NULL;
	r->sink = NULL;
	resp_reset(w);
	upload_answer_msg(r, w, status, st, r->api ? "" : "file", msg);
}

/* The form's file part begins, its CSRF field checked: the file's name
 * (some browsers send a path: its last part). */
static bool upload_begin(struct req *r, struct resp *w, const char *filename)
{
	struct kv_error e = {0};
	const char *base = upload_base_name(filename ? filename : "");
	if (!*base) {
		upload_refuse(r, w, 422, KV_INVALID, _("Choose a file to upload."));
		return false;
	}
	if (text_check(base, 255, "file_name", &e) != KV_OK ||
	    app_upload_name(r->upload, base, &e) != KV_OK) {
		upload_refuse(r, w, http_status_of(e.status), e.status, e.msg);
		return false;
	}
	return true;
}

static bool upload_data(struct req *r, struct resp *w, const char *data, size_t n)
{
	struct kv_error e = {0};
	enum kv_status rc = app_upload_chunk(r->upload, data, n, &e);
	if (rc != KV_OK) {
		/* KV_INVALID: past the procedure's limit. */
		upload_refuse(r, w, rc == KV_INVALID ? 413 : http_status_of(rc), rc, e.msg);
		return false;
	}
	return true;
}

static void upload_finish(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct submission sub;
	/* The bid arrives when its last byte has: the clock now decides. */
	r->app.now = server_now();
	enum kv_status rc = app_upload_finish(&r->app, r->upload, &sub, &e);
	r->upload = NULL;
	r->sink = NULL;
	if (rc != KV_OK) {
		resp_reset(w);
		upload_answer(r, w, http_status_of(rc), &e);
		return;
	}
	if (!r->api && sub.document_id) {
		/* Back to the checklist, which confirms the document. */
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/lots/%lld/submit?received=%lld#received",
						 (long long)r->proc.id, (long long)sub.lot_id,
						 (long long)sub.id));
		return;
	}
	if (!r->api) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/submissions/%lld/receipt",
						 (long long)r->proc.id, (long long)sub.id));
		return;
	}
	resp_json(r, w, 201, json_pack("{s:I, s:I, s:i, s:o, s:s, s:s, s:I, s:s, s:s}",
		"submission", (json_int_t)sub.id, "document", (json_int_t)sub.document_id,
		"lot", sub.lot_number,
		"received_at", json_instant(r->a, sub.received_at),
		"file_name", sub.file_name, "content_type", sub.content_type,
		"size", (json_int_t)sub.size,
		"sha256", hex(r->a, sub.sha256, 32),
		"receipt", hex(r->a, sub.receipt, 32)));
}

/* The body reader's refusal of the form (CSRF, not multipart, no file,
 * two files). */
static void upload_refuse_body(struct req *r, struct resp *w, int status,
			       const char *msg)
{
	upload_refuse(r, w, status, status == 403 ? KV_DENIED : KV_INVALID, msg);
}

static void upload_abort(struct req *r)
{
	app_upload_abort(r->upload);
	r->upload = NULL;
	r->sink = NULL;
}

static const struct body_sink upload_sink = {
	.begin = upload_begin,
	.data = upload_data,
	.finish = upload_finish,
	.refuse = upload_refuse_body,
	.abort = upload_abort,
};

/* The API route's handler: runs once the router has checked access,
 * before any byte of the body has come; the file is named by the
 * X-File-Name header and begins now. */
void page_submission_upload(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (!lot_of(r, r->ids[1])) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return;
	}
	if (!r->hdr_content_type ||
	    strncmp(r->hdr_content_type, "application/octet-stream", 24) != 0) {
		answer(r, w, 415, KV_INVALID, "",
		       _("Send the file's bytes with Content-Type: application/octet-stream."));
		return;
	}
	const char *name = file_name_of(r, &e);
	if (!name) {
		resp_error(r, w, &e);
		return;
	}
	if (r->content_length > upload_max(r)) {
		answer(r, w, 413, KV_INVALID, "", too_big(r, upload_max(r)));
		return;
	}
	if (!upload_open(r, w))
		return;
	if (app_upload_name(r->upload, name, &e) != KV_OK) {
		upload_refuse(r, w, http_status_of(e.status), e.status, e.msg);
		return;
	}
	r->sink = &upload_sink;
}

/* The form route's handler (POST /procedures/#/lots/#/submit): the body
 * is multipart/form-data that the body reader parses as it streams in;
 * it checks the CSRF field before the file part begins (upload_begin). */
void page_submit_upload(struct req *r, struct resp *w)
{
	if (!r->hdr_content_type ||
	    strncmp(r->hdr_content_type, "multipart/form-data", 19) != 0) {
		upload_answer_msg(r, w, 415, KV_INVALID, "file",
				  _("Send the form with enctype=\"multipart/form-data\"."));
		return;
	}
	if (r->content_length > upload_max(r) + 1024 * 1024) {
		upload_answer_msg(r, w, 413, KV_INVALID, "file",
				  too_big(r, upload_max(r)));
		return;
	}
	if (upload_open(r, w))
		r->sink = &upload_sink;
}

/* ---- the bidder's upload form ---------------------------------------------- */

static void submit_page(struct req *r, struct resp *w, const struct lot *lot,
			const struct kv_error *e)
{
	kv_instant deadline = 0;
	struct kv_error de;
	app_tender_deadline(&r->proc, &deadline, &de);
	struct form_errors fe = {0};
	form_errors_add(&fe, e);
	int64_t refused_doc = document_param(r);
	/* form.tmpl puts the CSRF field first: the server checks it before
	 * it seals the first byte of the file.  The class "upload" lets
	 * kavel.js send it with a progress bar. */
	const struct form_field fields[] = {
		{.name = "file", .kind = FIELD_FILE, .required = true,
		 .label = arena_printf(r->a, _("File (at most %lld MiB per file)"),
				       (long long)(upload_max(r) >> 20)), .translated = true},
	};
	struct tv_vault_submit t = {
		.pid = r->proc.id, .reference = r->proc.reference, .title = r->proc.title,
		.lot = lot->number, .lot_id = lot->id, .lot_title = lot->title,
		.deadline_at = fmt_when(r, deadline)};
	/* The checklist and the candidate's earlier bids, when the store is
	 * at hand (not while a refused upload streams in: server.c has
	 * given its connection back then; the refusal and the one-file form
	 * are shown, and the checklist is a reload away). */
	struct app_bid_checklist cl = {0};
	struct kv_error le;
	bool have = r->st && app_bid_checklist(&r->app, r->proc.id, lot->id,
					       own_candidate(r), &cl, &le) == KV_OK;
	bool open = deadline && r->app.now <= deadline;
	struct bid_limits lim;
	struct quota_use held;
	if (have && app_bid_limits(&r->app, r->proc.id, &lim, &le) == KV_OK &&
	    app_quota_use(&r->app, r->proc.id, lot->id, own_candidate(r), 0, &held, &le) == KV_OK)
		t.room = arena_printf(r->a, _("Your bid for this lot holds %d of at most %d files "
					      "and %lld of at most %lld MiB together."),
				      held.files, lim.files,
				      (long long)((held.bytes + (1 << 20) - 1) >> 20),
				      (long long)(lim.bytes >> 20));
	if (have && cl.n) {
		struct tv_vault_submit_docs *ds = arena_alloc(r->a, (size_t)cl.n * sizeof *ds);
		for (int i = 0; i < cl.n; i++) {
			const struct bid_document *d = cl.items[i].doc;
			const struct submission *sub = cl.items[i].sub;
			const struct form_field df[] = {
				/* Not marked required: the heading says whether
				 * the bid needs it; an empty form is refused. */
				{.name = "file", .kind = FIELD_FILE,
				 .label = arena_printf(r->a, _("File for \"%s\""), d->name),
				 .translated = true},
			};
			struct form f = {
				.action = arena_printf(r->a, "/procedures/%lld/lots/%lld/submit?document=%lld",
						       (long long)r->proc.id, (long long)lot->id,
						       (long long)d->id),
				.id = arena_printf(r->a, "doc-%lld", (long long)d->id),
				.css = "form upload",
				.submit = sub ? _("Replace and seal") : _("Seal and submit"),
				.fields = df, .n_fields = 1,
				.errors = refused_doc == d->id ? &fe : NULL};
			ds[i] = (struct tv_vault_submit_docs){
				.name = d->name, .required = d->required,
				.max_mib = d->max_bytes >> 20,
				.file = sub ? sub->file_name : "",
				.received_at = sub ? fmt_when(r, sub->received_at) : "",
				.sha256 = sub ? hex(r->a, sub->sha256, 32) : "",
				.sub_id = sub ? sub->id : 0,
				.form = open || refused_doc == d->id ? form_html(r, &f) : (html_t){0}};
		}
		t.docs = ds;
		t.n_docs = cl.n;
		t.has_docs = true;
		t.missing = cl.missing;
	} else {
		struct form f = {
			.action = refused_doc
				? arena_printf(r->a, "/procedures/%lld/lots/%lld/submit?document=%lld",
					       (long long)r->proc.id, (long long)lot->id,
					       (long long)refused_doc)
				: arena_printf(r->a, "/procedures/%lld/lots/%lld/submit",
					       (long long)r->proc.id, (long long)lot->id),
			.css = "form upload",
			.submit = _("Seal and submit"), .fields = fields, .n_fields = 1, .errors = &fe};
		t.form = form_html(r, &f);
	}
	struct submission *subs = NULL;
	int n = 0;
	if (have && app_submissions_of(&r->app, r->proc.id, own_candidate(r),
				       &subs, &n, &le) == KV_OK) {
		struct tv_vault_submit_bids *bids = arena_alloc(r->a, (size_t)(n + 1) * sizeof *bids);
		long long received = 0;
		const char *rp = req_param(r, "received");
		if (rp && in_int(rp, 1, 1000000000000LL, &received, "received", &le) != KV_OK)
			received = 0;
		for (int i = 0; i < n; i++) {
			bids[i] = (struct tv_vault_submit_bids){
				.id = subs[i].id, .file = fmt_submission_file(r, &subs[i]), .lot = subs[i].lot_number,
				.received_at = fmt_when(r, subs[i].received_at),
				.withdrawn = subs[i].withdrawn_at != 0};
			if (subs[i].id == received) {
				t.received = fmt_submission_file(r, &subs[i]);
				t.received_sha256 = hex(r->a, subs[i].sha256, 32);
				t.received_id = subs[i].id;
			}
		}
		t.bids = bids;
		t.n_bids = n;
	}
	layout_begin(r, w, _("Submit a bid"));
	tmpl_vault_submit(&w->body, &t);
	layout_end(r, w);
}

void page_submit(struct req *r, struct resp *w)
{
	const struct lot *lot = lot_of(r, r->ids[1]);
	if (!lot) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return;
	}
	submit_page(r, w, lot, NULL);
}

/* ---- the receipt of a whole bid ----------------------------------------------- */

static const char *utc_text(arena *a, kv_instant t);

/* GET /procedures/#/lots/#/bid: the bidder's own bid for the lot, every
 * document with its SHA-256 and server time, one digest over them. */
void page_bid_receipt(struct req *r, struct resp *w)
{
	const struct lot *lot = lot_of(r, r->ids[1]);
	int64_t candidate = own_candidate(r);   /* the router checked there is one */
	struct app_bid_checklist cl;
	struct kv_error e;
	if (!lot) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return;
	}
	if (app_bid_checklist(&r->app, r->proc.id, lot->id, candidate, &cl, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	/* A lot without documents: its one file is the whole bid. */
	struct bid_document single_doc = {.name = (char *)_("Bid"), .required = true};
	struct app_bid_check_item single = {.doc = &single_doc, .sub = cl.single};
	struct app_bid_check_item *items = cl.n ? cl.items : &single;
	int n = cl.n ? cl.n : 1;
	if (!cl.n) {
		cl.missing = cl.single ? 0 : 1;
		if (cl.single) {
			memcpy(cl.digest, cl.single->receipt, 32);
			cl.has_digest = true;
			cl.last_at = cl.single->received_at;
		}
	}
	const char *candidate_name = "";
	for (int i = 0; i < n; i++)
		if (items[i].sub && items[i].sub->candidate_name)
			candidate_name = items[i].sub->candidate_name;
	if (r->api) {
		json_t *docs = json_array();
		for (int i = 0; i < n; i++) {
			const struct submission *sub = items[i].sub;
			json_t *d = json_pack("{s:I, s:s, s:b}", "document", (json_int_t)items[i].doc->id,
					      "name", items[i].doc->name, "required", items[i].doc->required);
			if (sub) {
				json_object_set_new(d, "submission", json_integer((json_int_t)sub->id));
				json_object_set_new(d, "file_name", json_string(sub->file_name));
				json_object_set_new(d, "size", json_integer((json_int_t)sub->size));
				json_object_set_new(d, "received_at", json_instant(r->a, sub->received_at));
				json_object_set_new(d, "sha256", json_string(hex(r->a, sub->sha256, 32)));
				json_object_set_new(d, "receipt", json_string(hex(r->a, sub->receipt, 32)));
			}
			json_array_append_new(docs, d);
		}
		json_t *j = json_pack("{s:i, s:I, s:i, s:o}", "lot", lot->number,
				      "candidate", (json_int_t)candidate, "missing", cl.missing,
				      "documents", docs);
		if (cl.has_digest) {
			json_object_set_new(j, "digest", json_string(hex(r->a, cl.digest, 32)));
			json_object_set_new(j, "last_received_at", json_instant(r->a, cl.last_at));
		}
		resp_json(r, w, 200, j);
		return;
	}
	struct tv_vault_bid_receipt_docs *ds = arena_alloc(r->a, (size_t)n * sizeof *ds);
	for (int i = 0; i < n; i++) {
		const struct submission *sub = items[i].sub;
		ds[i] = (struct tv_vault_bid_receipt_docs){
			.name = items[i].doc->name, .required = items[i].doc->required,
			.file = sub ? sub->file_name : "", .size = sub ? sub->size : 0,
			.received_utc = sub ? utc_text(r->a, sub->received_at) : "",
			.sha256 = sub ? hex(r->a, sub->sha256, 32) : "",
			.receipt = sub ? hex(r->a, sub->receipt, 32) : ""};
	}
	struct tv_vault_bid_receipt t = {
		.pid = r->proc.id, .lot_id = lot->id, .reference = r->proc.reference,
		.title = r->proc.title, .lot = lot->number, .lot_title = lot->title,
		.candidate = candidate_name, .missing = cl.missing,
		.last_utc = cl.has_digest ? utc_text(r->a, cl.last_at) : "",
		.digest = cl.has_digest ? hex(r->a, cl.digest, 32) : "",
		.docs = ds, .n_docs = n};
	layout_begin(r, w, _("Receipt of a bid"));
	tmpl_vault_bid_receipt(&w->body, &t);
	layout_end(r, w);
}

/* ---- receipts and withdrawal ------------------------------------------------- */

/* The submission r->ids[1] of the procedure, when the signed-in account
 * may see it: a buyer of the procedure, or the bidder of its candidate.
 * false when answered. */
static bool submission_load(struct req *r, struct resp *w, struct submission *out)
{
	struct kv_error e;
	enum kv_status rc = app_submission_get(&r->app, r->proc.id, r->ids[1], out, &e);
	if (rc != KV_OK && rc != KV_NOT_FOUND) {
		resp_error(r, w, &e);
		return false;
	}
	bool found = rc == KV_OK;
	if (!(r->roles & ROLE_BUYER) && (r->roles & ROLE_BIDDER)) {
		if (found && out->candidate_id != own_candidate(r))
			found = false;
	} else if (!(r->roles & ROLE_BUYER)) {
		answer(r, w, 403, KV_DENIED, "",
		       _("Only the bidder who submitted it and the procedure's buyers see a receipt."));
		return false;
	}
	if (!found) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("There is no such bid."));
		return false;
	}
	return true;
}

static const char *utc_text(arena *a, kv_instant t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char buf[40];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return arena_strdup(a, buf);
}

/* For rows labelled "(Europe/Amsterdam)": the local time to the second,
 * as Dutch people write it. */
static const char *amsterdam_text(arena *a, kv_instant t)
{
	return cal_format_local_sec(a, t);
}

static const char *lot_title(const struct req *r, int64_t lot_id)
{
	const struct lot *l = lot_of(r, lot_id);
	return l ? l->title : "";
}

static json_t *json_receipt(struct req *r, const struct submission *s)
{
	json_t *j = json_submission(r, s);
	json_object_set_new(j, "procedure", json_pack("{s:I, s:s, s:s}",
		"id", (json_int_t)r->proc.id, "reference", r->proc.reference,
		"title", r->proc.title));
	json_object_set_new(j, "lot_title", json_string(lot_title(r, s->lot_id)));
	json_object_set_new(j, "received_at_utc", json_string(utc_text(r->a, s->received_at)));
	return j;
}

static const struct form_field withdraw_fields[] = {
	{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
	 .label = N_("I understand that a withdrawn bid is never opened and cannot be restored; to take part I must submit a new file before the tender deadline.")},
};
static const struct form_field withdraw_price_fields[] = {
	{.name = FORM_CONFIRM, .kind = FIELD_CONFIRM,
	 .label = N_("I understand that a withdrawn price is never opened and cannot be restored; to take part I must seal a new price before the tender deadline.")},
};

/* e: a refusal of the withdraw form, or NULL.  sealed_cents: the price
 * just sealed into s (the answer to sealing it), else 0: a price is shown
 * to its bidder then, or once the prices are opened. */
static void receipt_page(struct req *r, struct resp *w, const struct submission *s,
			 const struct kv_error *e, bool withdrawn_now, int64_t sealed_cents)
{
	struct form_errors fe = {0};
	form_errors_add(&fe, e);
	bool price = s->envelope == ENVELOPE_PRICE;
	bool own = (r->roles & ROLE_BIDDER) && s->candidate_id == own_candidate(r);
	int64_t cents = sealed_cents;
	if (price && own && !cents && !app_opened_price(&r->app, s, &cents))
		cents = 0;
	struct tv_vault_receipt t = {
		.pid = r->proc.id, .reference = r->proc.reference, .title = r->proc.title,
		.withdrawn_now = withdrawn_now,
		.received_utc = utc_text(r->a, s->received_at),
		.received_local = fmt_when_sec(r, s->received_at),
		.lot = s->lot_number, .lot_title = lot_title(r, s->lot_id),
		.candidate = s->candidate_name ? s->candidate_name : "",
		.file = fmt_submission_file(r, s), .size = s->size,
		.type = fmt_file_type(r, s->content_type, s->file_name),
		.price = price, .amount = price && own && cents ? fmt_eur(r, cents) : "",
		.just_sealed = sealed_cents != 0,
		.sha256 = hex(r->a, s->sha256, 32), .digest = hex(r->a, s->receipt, 32),
		.withdrawn = s->withdrawn_at != 0, .withdrawn_at = fmt_when_sec(r, s->withdrawn_at),
		.sub_id = s->id, .lot_id = s->lot_id};
	kv_instant deadline = 0;
	struct kv_error de;
	app_tender_deadline(&r->proc, &deadline, &de);
	if ((r->roles & ROLE_BIDDER) && s->candidate_id == own_candidate(r) &&
	    !s->withdrawn_at && deadline && r->app.now <= deadline) {
		struct form f = {
			.action = arena_printf(r->a, "/procedures/%lld/submissions/%lld/withdraw",
					       (long long)r->proc.id, (long long)s->id),
			.submit = _("Withdraw this bid"), .errors = &fe,
			.fields = price ? withdraw_price_fields : withdraw_fields, .n_fields = 1};
		t.withdraw_form = form_html(r, &f);
	} else if (fe.n) {
		t.refused = fe.items[0].msg;
		t.refused_heading = _("Nothing was changed.");
	}
	layout_begin(r, w, _("Receipt"));
	tmpl_vault_receipt(&w->body, &t);
	layout_end(r, w);
}

void page_receipt(struct req *r, struct resp *w)
{
	struct submission s;
	if (!submission_load(r, w, &s))
		return;
	if (r->api) {
		resp_json(r, w, 200, json_receipt(r, &s));
		return;
	}
	receipt_page(r, w, &s, NULL, req_param(r, "withdrawn") != NULL, 0);
}

void page_receipt_sealed_price(struct req *r, struct resp *w, int64_t submission_id,
			       int64_t cents)
{
	struct submission s;
	struct kv_error e;
	if (app_submission_get(&r->app, r->proc.id, submission_id, &s, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 201;
	receipt_page(r, w, &s, NULL, false, cents);
}

static void send_pdf(struct req *r, struct resp *w, const struct receipt_doc *doc,
		     const char *filename)
{
	unsigned char *pdf;
	size_t len;
	struct kv_error e;
	if (report_receipt_pdf(r->a, doc, &pdf, &len, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = "application/pdf";
	resp_header(w, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", filename));
	sbuf_add(&w->body, (const char *)pdf, len);
}

void page_receipt_pdf(struct req *r, struct resp *w)
{
	struct submission s;
	if (!submission_load(r, w, &s))
		return;
	struct receipt_row rows[] = {
		{_("Received (server time, UTC)"), utc_text(r->a, s.received_at)},
		{_("Received (Europe/Amsterdam)"), amsterdam_text(r->a, s.received_at)},
		{_("Lot"), arena_printf(r->a, "%d: %s", s.lot_number, lot_title(r, s.lot_id))},
		{_("Candidate"), s.candidate_name ? s.candidate_name : ""},
		{s.envelope == ENVELOPE_PRICE ? _("Sealed") : _("File name"), fmt_submission_file(r, &s)},
		{_("Size in bytes"), arena_printf(r->a, "%lld", (long long)s.size)},
		{_("Type (from its first bytes)"), fmt_file_type(r, s.content_type, s.file_name)},
		{_("SHA-256 of the file"), hex(r->a, s.sha256, 32)},
		{_("Receipt digest"), hex(r->a, s.receipt, 32)},
		{_("Withdrawn"), s.withdrawn_at ? amsterdam_text(r->a, s.withdrawn_at) : _("no")},
	};
	struct receipt_section sec = {.heading = "", .rows = rows,
				      .n_rows = (int)(sizeof rows / sizeof *rows)};
	struct receipt_doc doc = {
		.municipality = procedure_municipality(r),
		.title = _("Receipt of a sealed bid"),
		.subtitle = arena_printf(r->a, "%s \xc2\xb7 %s", r->proc.reference, r->proc.title),
		.intro = _("Kavel received and sealed this file. The receipt digest is SHA-256 over the procedure, the lot, the candidate, the server time and the file's SHA-256; the buyers check every bid against it when they open the vault."),
		.sections = &sec, .n_sections = 1};
	send_pdf(r, w, &doc, arena_printf(r->a, "receipt-%lld.pdf", (long long)s.id));
}

void page_submission_withdraw(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	/* Unconfirmed: the receipt again (submission_load keeps another
	 * candidate's bid unseen), the error at the box. */
	enum kv_status rc = form_confirm_check(r, &e);
	if (rc == KV_OK)
		rc = app_submission_withdraw(&r->app, r->proc.id, r->ids[1],
					     own_candidate(r), &e);
	if (rc == KV_NOT_FOUND) {
		resp_error(r, w, &e);
		return;
	}
	struct submission s;
	if (r->api) {
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else if (submission_load(r, w, &s))
			resp_json(r, w, 200, json_receipt(r, &s));
		return;
	}
	if (rc != KV_OK) {
		if (!submission_load(r, w, &s))
			return;
		receipt_page(r, w, &s, &e, false, 0);
		w->status = http_status_of(rc);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/submissions/%lld/receipt?withdrawn=1",
					 (long long)r->proc.id, (long long)r->ids[1]));
}

/* ---- the record of the opening ---------------------------------------------- */

static const char *verified_text(enum app_bid_check v)
{
	return v == APP_BID_MATCH ? _("yes") : v == APP_BID_MISMATCH ? _("NO")
	       : v == APP_BID_PRICE_SEALED ? _("sealed: opened with the prices")
	       : _("withdrawn, not opened");
}

static const char *envelope_text(const struct submission *s)
{
	return s->envelope == ENVELOPE_PRICE ? _("price") : _("bid");
}

void page_vault_record(struct req *r, struct resp *w)
{
	struct app_opening_record o;
	struct kv_error e;
	if (app_opening_record(&r->app, &r->proc, &o, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct app_vault_view *vs = &o.vs;
	if (r->api) {
		json_t *subs = json_array();
		for (int i = 0; i < vs->n_subs; i++) {
			json_t *s = json_submission(r, &vs->subs[i]);
			enum app_bid_check v = o.check[i];
			json_object_set_new(s, "verified", v < 0 ? json_null()
							      : json_boolean(v == APP_BID_MATCH));
			json_array_append_new(subs, s);
		}
		json_t *j = json_pack("{s:o, s:[{s:I, s:s}, {s:I, s:s}], s:o}",
			"opened_at", json_instant(r->a, vs->v.opened_at),
			"opened_by",
			"id", (json_int_t)vs->v.opened_by_1, "name", app_vault_holder(vs, vs->v.opened_by_1),
			"id", (json_int_t)vs->v.opened_by_2, "name", app_vault_holder(vs, vs->v.opened_by_2),
			"submissions", subs);
		json_object_set_new(j, "prices", o.pv.opened_at
			? json_pack("{s:o, s:[{s:I, s:s}, {s:I, s:s}]}",
				    "opened_at", json_instant(r->a, o.pv.opened_at), "opened_by",
				    "id", (json_int_t)o.pv.opened_by_1, "name", app_vault_holder(vs, o.pv.opened_by_1),
				    "id", (json_int_t)o.pv.opened_by_2, "name", app_vault_holder(vs, o.pv.opened_by_2))
			: json_null());
		resp_json(r, w, 200, j);
		return;
	}
	struct tv_vault_record_subs *subs = arena_alloc(r->a, (size_t)(vs->n_subs + 1) * sizeof *subs);
	for (int i = 0; i < vs->n_subs; i++) {
		const struct submission *s = &vs->subs[i];
		subs[i] = (struct tv_vault_record_subs){
			.candidate = s->candidate_name ? s->candidate_name : "",
			.lot = s->lot_number, .envelope = envelope_text(s), .file = fmt_submission_file(r, s),
			.size = s->size, .sha256 = hex(r->a, s->sha256, 32),
			.check = verified_text(o.check[i])};
	}
	struct tv_vault_record t = {
		.pid = r->proc.id, .opened_at = fmt_when(r, vs->v.opened_at),
		.opened_by_1 = app_vault_holder(vs, vs->v.opened_by_1),
		.opened_by_2 = app_vault_holder(vs, vs->v.opened_by_2),
		.prices_opened = o.pv.opened_at != 0, .prices_at = fmt_when(r, o.pv.opened_at),
		.prices_by_1 = app_vault_holder(vs, o.pv.opened_by_1),
		.prices_by_2 = app_vault_holder(vs, o.pv.opened_by_2),
		.subs = subs, .n_subs = vs->n_subs};
	layout_begin(r, w, _("Record of the opening"));
	procedure_nav(r, w, "vault");
	tmpl_vault_record(&w->body, &t);
	layout_end(r, w);
}

void page_vault_record_pdf(struct req *r, struct resp *w)
{
	struct app_opening_record o;
	struct kv_error e;
	if (app_opening_record(&r->app, &r->proc, &o, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct app_vault_view *vs = &o.vs;
	struct receipt_section *secs = arena_alloc(r->a, (size_t)(vs->n_subs + 1) * sizeof *secs);
	struct receipt_row *head = arena_alloc(r->a, 5 * sizeof *head);
	head[0] = (struct receipt_row){_("Opened (Europe/Amsterdam)"), amsterdam_text(r->a, vs->v.opened_at)};
	head[1] = (struct receipt_row){_("Opened (server time, UTC)"), utc_text(r->a, vs->v.opened_at)};
	head[2] = (struct receipt_row){_("Opened by"),
		arena_printf(r->a, "%s, %s", app_vault_holder(vs, vs->v.opened_by_1),
			     app_vault_holder(vs, vs->v.opened_by_2))};
	head[3] = (struct receipt_row){_("Price envelopes opened (Europe/Amsterdam)"),
		o.pv.opened_at ? amsterdam_text(r->a, o.pv.opened_at) : _("still sealed")};
	head[4] = (struct receipt_row){_("Price envelopes opened by"),
		o.pv.opened_at ? arena_printf(r->a, "%s, %s", app_vault_holder(vs, o.pv.opened_by_1),
					      app_vault_holder(vs, o.pv.opened_by_2)) : "-"};
	secs[0] = (struct receipt_section){"", head, 5};
	for (int i = 0; i < vs->n_subs; i++) {
		const struct submission *s = &vs->subs[i];
		struct receipt_row *rows = arena_alloc(r->a, 6 * sizeof *rows);
		rows[0] = (struct receipt_row){_("Lot"), arena_printf(r->a, "%d: %s", s->lot_number, lot_title(r, s->lot_id))};
		rows[1] = (struct receipt_row){_("File name"),
			arena_printf(r->a, "%s (%s)", fmt_submission_file(r, s), envelope_text(s))};
		rows[2] = (struct receipt_row){_("Size in bytes"), arena_printf(r->a, "%lld", (long long)s->size)};
		rows[3] = (struct receipt_row){_("SHA-256 of the file"), hex(r->a, s->sha256, 32)};
		rows[4] = (struct receipt_row){_("Received (Europe/Amsterdam)"), amsterdam_text(r->a, s->received_at)};
		rows[5] = (struct receipt_row){_("Matches the receipt"), verified_text(o.check[i])};
		secs[i + 1] = (struct receipt_section){
			arena_printf(r->a, "%d. %s", i + 1, s->candidate_name ? s->candidate_name : ""), rows, 6};
	}
	struct receipt_doc doc = {
		.municipality = procedure_municipality(r),
		.title = _("Record of the opening of the vault"),
		.subtitle = arena_printf(r->a, "%s \xc2\xb7 %s", r->proc.reference, r->proc.title),
		.intro = _("Every bid received, with whether its decrypted file matched the SHA-256 of its receipt."),
		.sections = secs, .n_sections = vs->n_subs + 1};
	send_pdf(r, w, &doc, arena_printf(r->a, "opening-record-%lld.pdf", (long long)r->proc.id));
}
