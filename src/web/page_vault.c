/*
 * page_vault.c - the sealed bid vault: a buyer's vault passphrase, the
 * procedure's vault (state, who holds keys, the bids received: sizes and
 * hashes, never contents), opening it with two buyers on one screen, the
 * bidder accounts of candidates, and the streamed upload of a bid.
 *
 * The upload never buffers the body: each piece goes into a 64 KiB
 * buffer, each full buffer is sealed (vault_seal_chunk) and written to a
 * temporary file in <db dir>/vault; at the end the last chunk is sealed,
 * the file synced and renamed to <sha256>-<random>.kvlt, the directory
 * synced, and only then is the submission recorded and the receipt
 * given.  Any refusal removes the temporary file.
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

#include "core/validate.h"
#include "report/report.h"
#include "html.h"
#include "input.h"
#include "multipart.h"
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
			   const struct kv_error *e, bool saved)
{
	sbuf *b = &w->body;
	struct vault_key_rec k;
	struct kv_error ke;
	bool has = STORE(r->st, vault_key_get, r->me.id, r->a, &k, &ke) == KV_OK;
	layout_begin(r, w, _("Vault passphrase"));
	html_f(b, "<h1>%s</h1><p>%s</p>", _("Vault passphrase"),
	       _("Bids stay sealed until two buyers open a procedure's vault "
		 "together, each with a vault passphrase of their own.  Kavel "
		 "keeps only a public key made from it: nobody, not the server "
		 "either, can recover a forgotten passphrase."));
	if (saved)
		html_f(b, "<p class=\"notice\" role=\"status\">%s</p>",
		       _("Your vault passphrase is set."));
	if (has) {
		html_f(b, "<p>%s %s.</p>", _("You set your vault passphrase on"),
		       fmt_when(r, k.created_at));
		layout_end(r, w);
		return;
	}
	form_error_summary(r, w, e);
	html_f(b, "<form method=\"post\" action=\"/account/vault-key\" class=\"form\" novalidate>%R"
		  "<label for=\"passphrase\">%s</label><input id=\"passphrase\" name=\"passphrase\" type=\"password\" autocomplete=\"new-password\">%R"
		  "<label for=\"passphrase2\">%s</label><input id=\"passphrase2\" name=\"passphrase2\" type=\"password\" autocomplete=\"new-password\">%R"
		  "<button type=\"submit\">%s</button></form>",
	       csrf_input(r), _("Vault passphrase (at least 12 characters, not your password)"),
	       field_error(r, e, "passphrase"), _("The same again"),
	       field_error(r, e, "passphrase2"), _("Set vault passphrase"));
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
		w->status = http_status_of(rc);
		vault_key_page(r, w, &e, false);
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

struct vault_state {
	bool exists;
	struct vault_rec v;
	struct vault_key_rec *keys;
	int n_keys;
	struct submission *subs;
	int n_subs;
	kv_instant deadline;
	int64_t max_bytes;            /* the largest file a bid may be */
};

static enum kv_status vault_state_load(struct req *r, struct vault_state *vs,
				       struct kv_error *e)
{
	memset(vs, 0, sizeof *vs);
	enum kv_status rc = STORE(r->st, vault_get, r->proc.id, &vs->v, e);
	vs->exists = rc == KV_OK;
	if (rc == KV_NOT_FOUND)
		rc = KV_OK;
	if (rc == KV_OK)
		rc = STORE(r->st, vault_keys_of_buyers, r->proc.tenant_id,
			   r->proc.id, r->a, &vs->keys, &vs->n_keys, e);
	if (rc == KV_OK)
		rc = STORE(r->st, submission_list, r->proc.id, r->a, &vs->subs,
			   &vs->n_subs, e);
	if (rc == KV_OK)
		rc = app_submission_max(&r->app, r->proc.id, &vs->max_bytes, e);
	struct kv_error de;
	app_tender_deadline(&r->proc, &vs->deadline, &de);
	return rc;
}

static const char *key_holder(const struct vault_state *vs, int64_t id)
{
	for (int i = 0; i < vs->n_keys; i++)
		if (vs->keys[i].account_id == id)
			return vs->keys[i].name;
	return "?";
}

static json_t *json_vault(struct req *r, const struct vault_state *vs)
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
	return json_pack("{s:o, s:o, s:I, s:o, s:o}", "vault", vault,
			 "deadline", json_instant(r->a, vs->deadline),
			 "submission_max", (json_int_t)vs->max_bytes,
			 "buyers_with_keys", keys, "submissions", subs);
}

/* The vault page's forms, to show a refusal at the one it came from. */
enum vault_form { VAULT_FORM_CREATE, VAULT_FORM_LIMIT, VAULT_FORM_OPEN };

static html_t limit_form(struct req *r, const struct app_vault_view *vs,
			 const struct form_errors *fe)
{
	const struct form_field fields[] = {
		{.name = "max_mib", .label = N_("Largest file in MiB (1 to 2048)"),
		 .kind = FIELD_NUMBER,
		 .value = arena_printf(r->a, "%lld", (long long)(vs->max_bytes >> 20)),
		 .help = N_("It can change until the tender deadline, and not below a bid received already.")},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault/limit", (long long)r->proc.id),
		.submit = _("Set the limit"), .fields = fields, .n_fields = 1, .errors = fe};
	return form_html(r, &f);
}

static html_t create_form(struct req *r, const struct form_errors *fe)
{
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault", (long long)r->proc.id),
		.submit = _("Make the vault"), .errors = fe};
	return form_html(r, &f);
}

/* Two buyers on one screen: each field's label says whose it is. */
static html_t open_form(struct req *r, const struct form_errors *fe)
{
	const char *first = _("First buyer"), *second = _("Second buyer");
	const char *email = _("E-mail address"), *pass = _("Vault passphrase");
	const struct form_field fields[] = {
		{.name = "email_a", .kind = FIELD_EMAIL, .value = r->me.email,
		 .label = arena_printf(r->a, "%s: %s", first, email), .translated = true},
		{.name = "passphrase_a", .kind = FIELD_PASSWORD, .autocomplete = "off",
		 .label = arena_printf(r->a, "%s: %s", first, pass), .translated = true},
		{.name = "email_b", .kind = FIELD_EMAIL,
		 .label = arena_printf(r->a, "%s: %s", second, email), .translated = true},
		{.name = "passphrase_b", .kind = FIELD_PASSWORD, .autocomplete = "off",
		 .label = arena_printf(r->a, "%s: %s", second, pass), .translated = true},
	};
	struct form f = {
		.action = arena_printf(r->a, "/procedures/%lld/vault/open", (long long)r->proc.id),
		.submit = _("Open the vault"), .fields = fields, .n_fields = 4, .errors = fe};
	return form_html(r, &f);
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
	long long pid = (long long)r->proc.id;
	layout_begin(r, w, _("Vault"));
	procedure_nav(r, w, "vault");
	html_f(b, "<h2>%s</h2>", _("Sealed bids"));
	form_error_summary(r, w, e);
	if (!vs.exists)
		html_f(b, "<p>%s</p>", _("This procedure has no vault yet: bids cannot be received."));
	else if (!vs.v.opened_at)
		html_f(b, "<p>%s %s. %s %s.</p>", _("The vault was made on"),
		       fmt_when(r, vs.v.created_at), _("It is sealed; it opens after the tender deadline"),
		       vs.deadline ? fmt_when(r, vs.deadline) : _("(not planned)"));
	else
		html_f(b, "<p>%s %s %s %s %s %s.</p>", _("The vault was opened on"),
		       fmt_when(r, vs.v.opened_at), _("by"), key_holder(&vs, vs.v.opened_by_1),
		       _("and"), key_holder(&vs, vs.v.opened_by_2));

	html_f(b, "<h3>%s</h3>", _("Buyers with a vault passphrase"));
	if (!vs.n_keys)
		html_f(b, "<p>%s</p>", _("None yet."));
	else
		html_f(b, "<ul>");
	for (int i = 0; i < vs.n_keys; i++)
		html_f(b, "<li>%s (%s)</li>", vs.keys[i].name, vs.keys[i].email);
	if (vs.n_keys)
		html_f(b, "</ul>");
	html_f(b, "<p><a href=\"/account/vault-key\">%s</a></p>", _("Your vault passphrase"));

	/* The size limit: the buyer sets it until the tender deadline, and
	 * bidders see it on their submit page. */
	html_f(b, "<h3>%s</h3><p id=\"submission-max\">%s</p>", _("Largest file per bid"),
	       arena_printf(r->a, _("At most %lld MiB per file."),
			    (long long)(vs.max_bytes >> 20)));
	if (!(vs.exists && vs.v.opened_at) && !(vs.deadline && r->app.now > vs.deadline))
		html_f(b, "<form method=\"post\" action=\"/procedures/%lld/vault/limit\" class=\"form\" novalidate>%R"
			  "<label for=\"max_mib\">%s</label><input id=\"max_mib\" name=\"max_mib\" type=\"number\" min=\"1\" max=\"2048\" value=\"%s\">%R"
			  "<p>%s</p><button type=\"submit\">%s</button></form>",
		       pid, csrf_input(r), _("Largest file in MiB (1 to 2048)"),
		       refill(r, "max_mib", arena_printf(r->a, "%lld", (long long)(vs.max_bytes >> 20))),
		       field_error(r, e, "max_mib"),
		       _("It can change until the tender deadline, and not below a bid received already."),
		       _("Set the limit"));

	int64_t total = 0;
	for (int i = 0; i < vs.n_subs; i++)
		total += vs.subs[i].size;
	html_f(b, "<h3>%s</h3><p>%d %s, %lld %s</p>", _("Bids received"), vs.n_subs,
	       _("files"), (long long)total, _("bytes"));
	if (vs.n_subs) {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Received"), _("Lot"), _("Candidate"), _("File"), _("Bytes"), _("SHA-256"),
		       opened ? _("Matches the receipt") : _("Status"));
		for (int i = 0; i < vs.n_subs; i++) {
			const struct submission *s = &vs.subs[i];
			const char *check = "";
			for (int j = 0; opened && j < opened->n; j++)
				if (opened->subs[j].id == s->id)
					check = opened->verified[j] ? _("yes") : _("NO");
			if (s->withdrawn_at)
				check = arena_printf(r->a, "%s %s", _("withdrawn on"),
						     fmt_when(r, s->withdrawn_at));
			html_f(b, "<tr><td>%s</td><td>%d</td><td>%s</td><td><a href=\"/procedures/%lld/submissions/%lld/receipt\">%s</a></td><td>%lld</td><td><code>%s</code></td><td>%s</td></tr>",
			       fmt_when(r, s->received_at), s->lot_number,
			       s->candidate_name ? s->candidate_name : "", pid,
			       (long long)s->id, s->file_name,
			       (long long)s->size, hex(r->a, s->sha256, 32), check);
		}
		html_f(b, "</tbody></table>");
	}
	if (opened) {
		int good = 0, live = 0;
		for (int i = 0; i < opened->n; i++) {
			good += opened->verified[i];
			live += !opened->subs[i].withdrawn_at;
		}
		html_f(b, "<p class=\"notice\" role=\"status\">%s %d / %d.</p>",
		       _("The vault is open. Bids whose hash matches the receipt:"), good, live);
	}
	if (vs.exists && vs.v.opened_at)
		html_f(b, "<p><a href=\"/procedures/%lld/vault/record\">%s</a></p>", pid,
		       _("Record of the opening"));
	if (!vs.exists) {
		html_f(b, "<form method=\"post\" action=\"/procedures/%lld/vault\" class=\"form\">%R"
			  "<p>%s</p><button type=\"submit\">%s</button></form>",
		       pid, csrf_input(r),
		       _("Every buyer listed above receives a share of the vault's key; any two of them together can open it."),
		       _("Make the vault"));
	} else if (!vs.v.opened_at) {
		html_f(b, "<h3>%s</h3><p>%s</p>"
			  "<form method=\"post\" action=\"/procedures/%lld/vault/open\" class=\"form\" novalidate>%R"
			  "<fieldset><legend>%s</legend>"
			  "<label for=\"email_a\">%s</label><input id=\"email_a\" name=\"email_a\" type=\"email\" value=\"%s\">%R"
			  "<label for=\"passphrase_a\">%s</label><input id=\"passphrase_a\" name=\"passphrase_a\" type=\"password\" autocomplete=\"off\">%R"
			  "</fieldset><fieldset><legend>%s</legend>"
			  "<label for=\"email_b\">%s</label><input id=\"email_b\" name=\"email_b\" type=\"email\" value=\"%s\">%R"
			  "<label for=\"passphrase_b\">%s</label><input id=\"passphrase_b\" name=\"passphrase_b\" type=\"password\" autocomplete=\"off\">%R"
			  "</fieldset><button type=\"submit\">%s</button></form>",
		       _("Open the vault"),
		       _("Two different buyers, both here, each type their own vault passphrase."),
		       pid, csrf_input(r), _("First buyer"), _("E-mail address"),
		       refill(r, "email_a", r->me.email), field_error(r, e, "email_a"),
		       _("Vault passphrase"), field_error(r, e, "passphrase_a"),
		       _("Second buyer"), _("E-mail address"), refill(r, "email_b", ""),
		       field_error(r, e, "email_b"), _("Vault passphrase"),
		       field_error(r, e, "passphrase_b"), _("Open the vault"));
	}
	layout_end(r, w);
}

void page_vault(struct req *r, struct resp *w)
{
	if (r->api) {
		struct vault_state vs;
		struct kv_error e;
		if (vault_state_load(r, &vs, &e) != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_vault(r, &vs));
		return;
	}
	vault_page(r, w, NULL, NULL);
}

void page_vault_create(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	enum kv_status rc = app_vault_create(&r->app, r->proc.id, &e);
	if (r->api) {
		struct vault_state vs;
		if (rc == KV_OK)
			rc = vault_state_load(r, &vs, &e);
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 201, json_vault(r, &vs));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		vault_page(r, w, &e, NULL);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/vault", (long long)r->proc.id));
}

void page_vault_open(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	struct vault_opening o;
	char *pa = (char *)in_str(r, "passphrase_a");
	char *pb = (char *)in_str(r, "passphrase_b");
	enum kv_status rc = app_vault_open(&r->app, r->proc.id,
					   server_vault_dir(r->srv),
					   in_str(r, "email_a"), pa,
					   in_str(r, "email_b"), pb, &o, &e);
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
		w->status = http_status_of(rc);
	vault_page(r, w, rc == KV_OK ? NULL : &e, rc == KV_OK ? &o : NULL);
}

/* The buyer sets the largest file a bid may be (app_submission_max_set):
 * {"max_mib": n} or the vault page's form. */
void page_submission_max_set(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	long long mib = 0;
	enum kv_status rc = in_int(in_str(r, "max_mib"), -1000000000LL,
				   1000000000LL, &mib, "max_mib", &e);
	if (rc == KV_OK)
		rc = app_submission_max_set(&r->app, r->proc.id, mib, &e);
	if (r->api) {
		struct vault_state vs;
		if (rc == KV_OK)
			rc = vault_state_load(r, &vs, &e);
		if (rc != KV_OK)
			resp_error(r, w, &e);
		else
			resp_json(r, w, 200, json_vault(r, &vs));
		return;
	}
	if (rc != KV_OK) {
		w->status = http_status_of(rc);
		vault_page(r, w, &e, NULL);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/vault", (long long)r->proc.id));
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

struct upload {
	int fd;
	char *tmp_path;
	struct vault_sealer sealer;
	unsigned char *buf;           /* VAULT_CHUNK_MAX plaintext bytes */
	size_t fill;
	unsigned char *out;           /* VAULT_FRAME_MAX sealed bytes */
	unsigned char head[FILE_SNIFF_HEAD]; /* the first bytes: file_sniff */
	size_t n_head;
	int64_t size;
	int64_t limit;                /* the procedure's largest file */
	int64_t lot_id, candidate_id;
	int lot_number;
	char *file_name;
	unsigned char vault_pk[VAULT_KEY_LEN];   /* sealed to this */
};

static bool pattern_match(const char *pattern, const char *url)
{
	const char *p = pattern, *s = url;
	while (*p && *s) {
		if (*p == '#') {
			if (*s < '0' || *s > '9')
				return false;
			while (*s >= '0' && *s <= '9')
				s++;
			p++;
			continue;
		}
		if (*p++ != *s++)
			return false;
	}
	return !*p && !*s;
}

/* The procedure's largest file in bytes, read once per request (the
 * store is not at hand while a refused upload streams in); the default
 * when it cannot be read. */
static int64_t upload_max(struct req *r)
{
	struct kv_error e;
	if (!r->upload_max && (!r->st ||
	    app_submission_max(&r->app, r->proc.id, &r->upload_max, &e) != KV_OK))
		r->upload_max = APP_SUBMISSION_MAX;
	return r->upload_max;
}

static const char *too_big(struct req *r, int64_t limit)
{
	return arena_printf(r->a, _("A file may be at most %lld MiB."),
			    (long long)(limit >> 20));
}

/* The API's raw upload and the bidder's multipart form. */
bool upload_route(const char *method, const char *url)
{
	return strcmp(method, "POST") == 0 &&
	       (pattern_match("/api/v1/procedures/#/lots/#/submissions", url) ||
		pattern_match("/procedures/#/lots/#/submit", url));
}

static void upload_cleanup(struct upload *u)
{
	vault_sealer_wipe(&u->sealer);
	if (u->buf)
		sodium_memzero(u->buf, VAULT_CHUNK_MAX);
	if (u->fd >= 0) {
		close(u->fd);
		u->fd = -1;
	}
	if (u->tmp_path) {
		unlink(u->tmp_path);
		u->tmp_path = NULL;
	}
}

void upload_abort(struct upload *u)
{
	upload_cleanup(u);
}

static void upload_answer_msg(struct req *r, struct resp *w, int status,
			      enum kv_status st, const char *field,
			      const char *msg);

/* Ends the upload with a refusal. */
static void upload_refuse(struct req *r, struct resp *w, int status,
			  enum kv_status st, const char *msg)
{
	upload_cleanup(r->upload);
	r->upload = NULL;
	/* A response may have been begun (a form page): start afresh. */
	w->body.len = 0;
	w->n_hdr = 0;
	upload_answer_msg(r, w, status, st, r->api ? "" : "file", msg);
}

static bool seal_buffer(struct upload *u, int last)
{
	struct kv_error e;
	size_t outlen = 0;
	bool ok = vault_seal_chunk(&u->sealer, u->buf, u->fill, u->out, &outlen,
				   last, &e) == KV_OK &&
		  vault_write_all(u->fd, u->out, outlen);
	sodium_memzero(u->buf, u->fill);
	u->fill = 0;
	return ok;
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

/* Creates the upload's temporary file in the vault directory and writes
 * its sealed header; false (refused and answered) when it cannot. */
static bool upload_file_start(struct req *r, struct resp *w)
{
	struct upload *u = r->upload;
	struct kv_error e = {0};
	u->buf = arena_alloc_raw(r->a, VAULT_CHUNK_MAX);
	u->out = arena_alloc_raw(r->a, VAULT_FRAME_MAX);
	char *tmp = arena_printf(r->a, "%s/tmp-XXXXXX", server_vault_dir(r->srv));
	u->fd = mkstemp(tmp);
	if (u->fd < 0) {
		upload_refuse(r, w, 500, KV_IO, _("The vault directory cannot be written."));
		return false;
	}
	u->tmp_path = tmp;
	fchmod(u->fd, 0600);
	unsigned char header[VAULT_HEADER_LEN];
	if (vault_seal_begin(&u->sealer, u->vault_pk, header, &e) != KV_OK ||
	    !vault_write_all(u->fd, header, sizeof header)) {
		upload_refuse(r, w, 500, KV_IO, _("The bid could not be sealed."));
		return false;
	}
	return true;
}

/* Checks who uploads to which lot and opens the upload: r->upload is
 * set, or the refusal is answered.  name is NULL for a form, whose file
 * part names itself later (upload_set_name) once its CSRF field has been
 * checked: nothing is written to the vault directory before that. */
static void upload_open(struct req *r, struct resp *w, const char *name)
{
	struct kv_error e = {0};
	int64_t candidate = own_candidate(r);
	const struct lot *lot = lot_of(r, r->ids[1]);
	if (!candidate) {
		upload_answer_msg(r, w, 403, KV_DENIED, "", _("Your account bids for no candidate in this procedure."));
		return;
	}
	if (!lot) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return;
	}
	struct vault_rec v;
	if (app_submission_check(&r->app, &r->proc, r->app.now, &v, &e) != KV_OK) {
		upload_answer(r, w, http_status_of(e.status), &e);
		return;
	}
	struct upload *u = arena_alloc(r->a, sizeof *u);
	u->fd = -1;
	u->lot_id = lot->id;
	u->lot_number = lot->number;
	u->candidate_id = candidate;
	u->file_name = (char *)name;
	u->limit = upload_max(r);
	memcpy(u->vault_pk, v.pk, sizeof u->vault_pk);
	r->upload = u;
	/* The API route's CSRF header has been checked: the file starts now.
	 * A form's starts once its CSRF field has been (upload_set_name). */
	if (name)
		upload_file_start(r, w);
}

/* The API route's handler: runs once the router has checked access,
 * before any byte of the body is kept. */
void page_submission_upload(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	if (!own_candidate(r)) {
		answer(r, w, 403, KV_DENIED, "", _("Your account bids for no candidate in this procedure."));
		return;
	}
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
	upload_open(r, w, name);
}

/* The form route's handler (POST /procedures/#/lots/#/submit): the body
 * is multipart/form-data that server.c parses as it streams in; the CSRF
 * field is checked there before the first byte of the file. */
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
	upload_open(r, w, NULL);
}

bool upload_set_name(struct req *r, struct resp *w, const char *filename)
{
	struct kv_error e = {0};
	/* Some browsers send a path: keep its last part. */
	const char *base = upload_base_name(filename ? filename : "");
	if (!*base) {
		upload_refuse(r, w, 422, KV_INVALID, _("Choose a file to upload."));
		return false;
	}
	if (text_check(base, 255, "file_name", &e) != KV_OK) {
		upload_refuse(r, w, 422, KV_INVALID, e.msg);
		return false;
	}
	r->upload->file_name = arena_strdup(r->a, base);
	return upload_file_start(r, w);
}

void upload_refuse_public(struct req *r, struct resp *w, int status,
			  const char *msg)
{
	upload_refuse(r, w, status, status == 403 ? KV_DENIED : KV_INVALID, msg);
}

bool upload_data(struct req *r, struct resp *w, const char *data, size_t n)
{
	struct upload *u = r->upload;
	const unsigned char *p = (const unsigned char *)data;
	if (u->size + (int64_t)n > u->limit) {
		upload_refuse(r, w, 413, KV_INVALID, too_big(r, u->limit));
		return false;
	}
	while (n) {
		/* A full buffer is sealed only when more bytes follow: the
		 * last chunk must carry the final tag. */
		if (u->fill == VAULT_CHUNK_MAX && !seal_buffer(u, 0)) {
			upload_refuse(r, w, 500, KV_IO, _("The bid could not be sealed."));
			return false;
		}
		size_t k = VAULT_CHUNK_MAX - u->fill;
		if (k > n)
			k = n;
		if (u->n_head < sizeof u->head) {
			size_t h = sizeof u->head - u->n_head;
			if (h > k)
				h = k;
			memcpy(u->head + u->n_head, p, h);
			u->n_head += h;
		}
		memcpy(u->buf + u->fill, p, k);
		u->fill += k;
		u->size += (int64_t)k;
		p += k;
		n -= k;
	}
	return true;
}

static const char *sniff(const struct upload *u)
{
	return file_sniff(u->head, u->n_head);
}

void upload_finish(struct req *r, struct resp *w)
{
	struct upload *u = r->upload;
	struct kv_error e = {0};
	/* The bid arrives when its last byte has: the clock now decides. */
	r->app.now = server_now();
	struct submission sub = {.procedure_id = r->proc.id, .lot_id = u->lot_id,
				 .candidate_id = u->candidate_id,
				 .account_id = r->me.id, .file_name = u->file_name,
				 .content_type = (char *)sniff(u), .size = u->size};
	if (!seal_buffer(u, 1) ||
	    vault_seal_end(&u->sealer, sub.sha256, &e) != KV_OK ||
	    fsync(u->fd) != 0) {
		upload_refuse(r, w, 500, KV_IO, _("The bid could not be sealed."));
		return;
	}
	close(u->fd);
	u->fd = -1;
	unsigned char rnd[8];
	randombytes_buf(rnd, sizeof rnd);
	sub.path = arena_printf(r->a, "%s-%s.kvlt", hex(r->a, sub.sha256, 32),
				hex(r->a, rnd, sizeof rnd));
	const char *dir = server_vault_dir(r->srv);
	char *final = arena_printf(r->a, "%s/%s", dir, sub.path);
	if (rename(u->tmp_path, final) != 0 || !vault_sync_dir(dir)) {
		upload_refuse(r, w, 500, KV_IO, _("The bid could not be stored."));
		return;
	}
	u->tmp_path = NULL;
	r->upload = NULL;
	if (app_submission_store(&r->app, &sub, &e) != KV_OK) {
		unlink(final);
		vault_sync_dir(dir);
		upload_answer(r, w, http_status_of(e.status), &e);
		return;
	}
	if (!r->api) {
		resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/submissions/%lld/receipt",
						 (long long)r->proc.id, (long long)sub.id));
		return;
	}
	resp_json(r, w, 201, json_pack("{s:I, s:i, s:o, s:s, s:s, s:I, s:s, s:s}",
		"submission", (json_int_t)sub.id,
		"lot", u->lot_number,
		"received_at", json_instant(r->a, sub.received_at),
		"file_name", sub.file_name, "content_type", sub.content_type,
		"size", (json_int_t)sub.size,
		"sha256", hex(r->a, sub.sha256, 32),
		"receipt", hex(r->a, sub.receipt, 32)));
}

/* ---- the bidder's upload form ---------------------------------------------- */

static void submit_page(struct req *r, struct resp *w, const struct lot *lot,
			const struct kv_error *e)
{
	sbuf *b = &w->body;
	long long pid = (long long)r->proc.id;
	kv_instant deadline = 0;
	struct kv_error de;
	app_tender_deadline(&r->proc, &deadline, &de);
	layout_begin(r, w, _("Submit a bid"));
	html_f(b, "<h1>%s</h1><p>%s \xc2\xb7 %s</p><p>%s %d: %s</p>",
	       _("Submit a bid"), r->proc.reference, r->proc.title, _("Lot"),
	       lot->number, lot->title);
	html_f(b, "<p>%s %s. %s</p>", _("Tender deadline:"),
	       deadline ? fmt_when(r, deadline) : _("(not planned)"),
	       _("The file is sealed as it arrives: nobody can read it before two buyers open the vault after the deadline. You receive a receipt with the file's SHA-256."));
	form_error_summary(r, w, e);
	/* The CSRF field comes first: the server checks it before it seals
	 * the first byte of the file. */
	html_f(b, "<form method=\"post\" action=\"/procedures/%lld/lots/%lld/submit\" enctype=\"multipart/form-data\" class=\"form\">%R"
		  "<label for=\"file\">%s</label><input id=\"file\" name=\"file\" type=\"file\" required>%R"
		  "<button type=\"submit\">%s</button></form>",
	       pid, (long long)lot->id, csrf_input(r),
	       arena_printf(r->a, _("File (at most %lld MiB per file)"),
			    (long long)(upload_max(r) >> 20)),
	       field_error(r, e, "file"), _("Seal and submit"));
	/* The candidate's earlier bids, when the store is at hand (not while
	 * a refused upload streams in). */
	struct submission *subs = NULL;
	int n = 0;
	struct kv_error le;
	int64_t cand = own_candidate(r);
	if (r->st && STORE(r->st, submission_list, r->proc.id, r->a, &subs, &n, &le) == KV_OK) {
		bool any = false;
		for (int i = 0; i < n; i++) {
			const struct submission *s = &subs[i];
			if (s->candidate_id != cand)
				continue;
			if (!any)
				html_f(b, "<h2>%s</h2><ul>", _("Your bids"));
			any = true;
			html_f(b, "<li><a href=\"/procedures/%lld/submissions/%lld/receipt\">%s</a> (%s %d, %s)%s</li>",
			       pid, (long long)s->id, s->file_name, _("lot"), s->lot_number,
			       fmt_when(r, s->received_at),
			       s->withdrawn_at ? _(" \xe2\x80\x94 withdrawn") : "");
		}
		if (any)
			html_f(b, "</ul>");
	}
	layout_end(r, w);
}

void page_submit(struct req *r, struct resp *w)
{
	const struct lot *lot = lot_of(r, r->ids[1]);
	if (!lot) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("This procedure has no such lot."));
		return;
	}
	if (!own_candidate(r)) {
		answer(r, w, 403, KV_DENIED, "", _("Your account bids for no candidate in this procedure."));
		return;
	}
	submit_page(r, w, lot, NULL);
}

/* ---- receipts and withdrawal ------------------------------------------------- */

/* The submission r->ids[1] of the procedure, when the signed-in account
 * may see it: a buyer of the procedure, or the bidder of its candidate.
 * false when answered. */
static bool submission_load(struct req *r, struct resp *w, struct submission *out)
{
	struct submission *subs = NULL;
	int n = 0;
	struct kv_error e;
	if (STORE(r->st, submission_list, r->proc.id, r->a, &subs, &n, &e) != KV_OK) {
		resp_error(r, w, &e);
		return false;
	}
	const struct submission *s = NULL;
	for (int i = 0; i < n; i++)
		if (subs[i].id == r->ids[1])
			s = &subs[i];
	if (!(r->roles & ROLE_BUYER) && (r->roles & ROLE_BIDDER)) {
		if (s && s->candidate_id != own_candidate(r))
			s = NULL;
	} else if (!(r->roles & ROLE_BUYER)) {
		answer(r, w, 403, KV_DENIED, "",
		       _("Only the bidder who submitted it and the procedure's buyers see a receipt."));
		return false;
	}
	if (!s) {
		answer(r, w, 404, KV_NOT_FOUND, "", _("There is no such bid."));
		return false;
	}
	*out = *s;
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

static const char *amsterdam_text(arena *a, kv_instant t)
{
	json_t *j = json_instant(a, t);
	const char *s = json_string_value(json_object_get(j, "local"));
	const char *out = arena_printf(a, "%s (Europe/Amsterdam)", s ? s : "");
	json_decref(j);
	return out;
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

static void receipt_page(struct req *r, struct resp *w, const struct submission *s,
			 const struct kv_error *e, bool withdrawn_now)
{
	sbuf *b = &w->body;
	long long pid = (long long)r->proc.id;
	layout_begin(r, w, _("Receipt"));
	html_f(b, "<h1>%s</h1><p>%s \xc2\xb7 %s</p>", _("Receipt of a sealed bid"),
	       r->proc.reference, r->proc.title);
	form_error_summary(r, w, e);
	if (withdrawn_now)
		html_f(b, "<p class=\"notice\" role=\"status\">%s</p>", _("The bid has been withdrawn."));
	html_f(b, "<dl class=\"receipt\">"
		  "<dt>%s</dt><dd id=\"receipt-utc\">%s</dd>"
		  "<dt>%s</dt><dd id=\"receipt-local\">%s</dd>"
		  "<dt>%s</dt><dd>%d: %s</dd>"
		  "<dt>%s</dt><dd>%s</dd>"
		  "<dt>%s</dt><dd id=\"receipt-file\">%s</dd>"
		  "<dt>%s</dt><dd id=\"receipt-size\">%lld</dd>"
		  "<dt>%s</dt><dd id=\"receipt-type\">%s</dd>"
		  "<dt>%s</dt><dd><code id=\"receipt-sha256\">%s</code></dd>"
		  "<dt>%s</dt><dd><code id=\"receipt-digest\">%s</code></dd>",
	       _("Received (server time, UTC)"), utc_text(r->a, s->received_at),
	       _("Received (Europe/Amsterdam)"), fmt_when(r, s->received_at),
	       _("Lot"), s->lot_number, lot_title(r, s->lot_id),
	       _("Candidate"), s->candidate_name ? s->candidate_name : "",
	       _("File name"), s->file_name,
	       _("Size in bytes"), (long long)s->size,
	       _("Type (from its first bytes)"), s->content_type,
	       _("SHA-256 of the file"), hex(r->a, s->sha256, 32),
	       _("Receipt digest"), hex(r->a, s->receipt, 32));
	if (s->withdrawn_at)
		html_f(b, "<dt>%s</dt><dd id=\"receipt-withdrawn\">%s</dd>", _("Withdrawn"),
		       fmt_when(r, s->withdrawn_at));
	html_f(b, "</dl><p><a class=\"button\" href=\"/procedures/%lld/submissions/%lld/receipt/pdf\">%s</a></p>",
	       pid, (long long)s->id, _("Receipt as PDF"));
	kv_instant deadline = 0;
	struct kv_error de;
	app_tender_deadline(&r->proc, &deadline, &de);
	if ((r->roles & ROLE_BIDDER) && s->candidate_id == own_candidate(r) &&
	    !s->withdrawn_at && deadline && r->app.now <= deadline) {
		html_f(b, "<form method=\"post\" action=\"/procedures/%lld/submissions/%lld/withdraw\" class=\"form\">%R"
			  "<p>%s</p><button type=\"submit\">%s</button></form>"
			  "<p><a href=\"/procedures/%lld/lots/%lld/submit\">%s</a></p>",
		       pid, (long long)s->id, csrf_input(r),
		       _("Until the tender deadline you can withdraw this bid and submit a new file. The sealed file stays on record, but is not opened."),
		       _("Withdraw this bid"), pid, (long long)s->lot_id, _("Submit another file"));
	}
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
	receipt_page(r, w, &s, NULL, req_param(r, "withdrawn") != NULL);
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
		{_("File name"), s.file_name},
		{_("Size in bytes"), arena_printf(r->a, "%lld", (long long)s.size)},
		{_("Type (from its first bytes)"), s.content_type},
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
	enum kv_status rc = app_submission_withdraw(&r->app, r->proc.id, r->ids[1],
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
		receipt_page(r, w, &s, &e, false);
		w->status = http_status_of(rc);
		return;
	}
	resp_redirect(r, w, arena_printf(r->a, "/procedures/%lld/submissions/%lld/receipt?withdrawn=1",
					 (long long)r->proc.id, (long long)r->ids[1]));
}

/* ---- the record of the opening ---------------------------------------------- */

struct opening_record {
	struct vault_state vs;
	struct audit_row *ev;         /* the vault.open event */
	json_t *bids;                 /* its "bids": submission, verified */
	struct vault_rec pv;          /* the price vault (pv.opened_at 0:
					 sealed or none) */
	json_t *price_bids;           /* the price.open event's "bids" */
};

static enum kv_status record_load(struct req *r, struct opening_record *o,
				  struct kv_error *e)
{
	memset(o, 0, sizeof *o);
	enum kv_status rc = vault_state_load(r, &o->vs, e);
	if (rc != KV_OK)
		return rc;
	if (!o->vs.exists || !o->vs.v.opened_at)
		return kv_fail(e, KV_DENIED, "", _("The vault has not been opened yet."));
	struct audit_row *rows = NULL;
	int n = 0;
	rc = STORE(r->st, audit_list, r->proc.tenant_id,
		   arena_printf(r->a, "procedure/%lld/vault", (long long)r->proc.id),
		   100, r->a, &rows, &n, e);
	if (rc != KV_OK)
		return rc;
	struct audit_row *price_ev = NULL;
	for (int i = 0; i < n; i++) {
		if (strcmp(rows[i].ev.action, "vault.open") == 0)
			o->ev = &rows[i];
		if (strcmp(rows[i].ev.action, "price.open") == 0)
			price_ev = &rows[i];
	}
	if (!o->ev)
		return kv_fail(e, KV_IO, "", _("The audit trail has no record of the opening."));
	/* The values stay referenced by the arena's JSON for the request. */
	json_t *j = json_loads(o->ev->ev.after ? o->ev->ev.after : "", 0, NULL);
	o->bids = json_object_get(j, "bids");
	struct kv_error pe;
	if (STORE(r->st, price_vault_get, r->proc.id, &o->pv, &pe) != KV_OK)
		memset(&o->pv, 0, sizeof o->pv);
	if (price_ev && o->pv.opened_at) {
		json_t *pj = json_loads(price_ev->ev.after ? price_ev->ev.after : "", 0, NULL);
		o->price_bids = json_object_get(pj, "bids");
	}
	return KV_OK;
}

/* Whether the opening of its envelope found the submission to match its
 * receipt: 1 yes, 0 no, -1 not opened (withdrawn), -2 a price envelope
 * still sealed. */
static int record_verified(const struct opening_record *o,
			   const struct submission *s)
{
	if (s->envelope == ENVELOPE_PRICE && !o->pv.opened_at)
		return s->withdrawn_at ? -1 : -2;
	size_t i;
	json_t *b;
	json_array_foreach(s->envelope == ENVELOPE_PRICE ? o->price_bids : o->bids, i, b)
		if (json_integer_value(json_object_get(b, "submission")) == s->id)
			return json_is_true(json_object_get(b, "verified")) ? 1 : 0;
	return -1;
}

static const char *verified_text(int v)
{
	return v == 1 ? _("yes") : v == 0 ? _("NO")
	       : v == -2 ? _("sealed: opened with the prices")
	       : _("withdrawn, not opened");
}

static const char *envelope_text(const struct submission *s)
{
	return s->envelope == ENVELOPE_PRICE ? _("price") : _("bid");
}

void page_vault_record(struct req *r, struct resp *w)
{
	struct opening_record o;
	struct kv_error e;
	if (record_load(r, &o, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct vault_state *vs = &o.vs;
	if (r->api) {
		json_t *subs = json_array();
		for (int i = 0; i < vs->n_subs; i++) {
			json_t *s = json_submission(r, &vs->subs[i]);
			int v = record_verified(&o, &vs->subs[i]);
			json_object_set_new(s, "verified", v < 0 ? json_null() : json_boolean(v));
			json_array_append_new(subs, s);
		}
		json_t *j = json_pack("{s:o, s:[{s:I, s:s}, {s:I, s:s}], s:o}",
			"opened_at", json_instant(r->a, vs->v.opened_at),
			"opened_by",
			"id", (json_int_t)vs->v.opened_by_1, "name", key_holder(vs, vs->v.opened_by_1),
			"id", (json_int_t)vs->v.opened_by_2, "name", key_holder(vs, vs->v.opened_by_2),
			"submissions", subs);
		json_object_set_new(j, "prices", o.pv.opened_at
			? json_pack("{s:o, s:[{s:I, s:s}, {s:I, s:s}]}",
				    "opened_at", json_instant(r->a, o.pv.opened_at), "opened_by",
				    "id", (json_int_t)o.pv.opened_by_1, "name", key_holder(vs, o.pv.opened_by_1),
				    "id", (json_int_t)o.pv.opened_by_2, "name", key_holder(vs, o.pv.opened_by_2))
			: json_null());
		resp_json(r, w, 200, j);
		return;
	}
	sbuf *b = &w->body;
	long long pid = (long long)r->proc.id;
	layout_begin(r, w, _("Record of the opening"));
	procedure_nav(r, w, "vault");
	html_f(b, "<h2>%s</h2><p>%s %s %s %s %s %s.</p>", _("Record of the opening"),
	       _("The vault was opened on"), fmt_when(r, vs->v.opened_at), _("by"),
	       key_holder(vs, vs->v.opened_by_1), _("and"), key_holder(vs, vs->v.opened_by_2));
	if (o.pv.opened_at)
		html_f(b, "<p>%s %s %s %s %s %s.</p>", _("The price envelopes were opened on"),
		       fmt_when(r, o.pv.opened_at), _("by"), key_holder(vs, o.pv.opened_by_1), _("and"),
		       key_holder(vs, o.pv.opened_by_2));
	else
		html_f(b, "<p>%s</p>", _("The price envelopes are still sealed."));
	html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	       _("Candidate"), _("Lot"), _("Envelope"), _("File"), _("Bytes"), _("SHA-256"), _("Matches the receipt"));
	for (int i = 0; i < vs->n_subs; i++) {
		const struct submission *s = &vs->subs[i];
		html_f(b, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%lld</td><td><code>%s</code></td><td>%s</td></tr>",
		       s->candidate_name ? s->candidate_name : "", s->lot_number, envelope_text(s),
		       s->file_name, (long long)s->size, hex(r->a, s->sha256, 32),
		       verified_text(record_verified(&o, s)));
	}
	html_f(b, "</tbody></table><p><a class=\"button\" href=\"/procedures/%lld/vault/record/pdf\">%s</a></p>",
	       pid, _("Record as PDF"));
	layout_end(r, w);
}

void page_vault_record_pdf(struct req *r, struct resp *w)
{
	struct opening_record o;
	struct kv_error e;
	if (record_load(r, &o, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	const struct vault_state *vs = &o.vs;
	struct receipt_section *secs = arena_alloc(r->a, (size_t)(vs->n_subs + 1) * sizeof *secs);
	struct receipt_row *head = arena_alloc(r->a, 5 * sizeof *head);
	head[0] = (struct receipt_row){_("Opened (Europe/Amsterdam)"), amsterdam_text(r->a, vs->v.opened_at)};
	head[1] = (struct receipt_row){_("Opened (server time, UTC)"), utc_text(r->a, vs->v.opened_at)};
	head[2] = (struct receipt_row){_("Opened by"),
		arena_printf(r->a, "%s, %s", key_holder(vs, vs->v.opened_by_1), key_holder(vs, vs->v.opened_by_2))};
	head[3] = (struct receipt_row){_("Price envelopes opened (Europe/Amsterdam)"),
		o.pv.opened_at ? amsterdam_text(r->a, o.pv.opened_at) : _("still sealed")};
	head[4] = (struct receipt_row){_("Price envelopes opened by"),
		o.pv.opened_at ? arena_printf(r->a, "%s, %s", key_holder(vs, o.pv.opened_by_1),
					      key_holder(vs, o.pv.opened_by_2)) : "-"};
	secs[0] = (struct receipt_section){"", head, 5};
	for (int i = 0; i < vs->n_subs; i++) {
		const struct submission *s = &vs->subs[i];
		struct receipt_row *rows = arena_alloc(r->a, 6 * sizeof *rows);
		rows[0] = (struct receipt_row){_("Lot"), arena_printf(r->a, "%d: %s", s->lot_number, lot_title(r, s->lot_id))};
		rows[1] = (struct receipt_row){_("File name"),
			arena_printf(r->a, "%s (%s)", s->file_name, envelope_text(s))};
		rows[2] = (struct receipt_row){_("Size in bytes"), arena_printf(r->a, "%lld", (long long)s->size)};
		rows[3] = (struct receipt_row){_("SHA-256 of the file"), hex(r->a, s->sha256, 32)};
		rows[4] = (struct receipt_row){_("Received (Europe/Amsterdam)"), amsterdam_text(r->a, s->received_at)};
		rows[5] = (struct receipt_row){_("Matches the receipt"), verified_text(record_verified(&o, s))};
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
