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
#include "html.h"
#include "input.h"
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
	return json_pack("{s:I, s:i, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}",
			 "id", (json_int_t)s->id, "lot", s->lot_number,
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
	return json_pack("{s:o, s:o, s:o, s:o}", "vault", vault,
			 "deadline", json_instant(r->a, vs->deadline),
			 "buyers_with_keys", keys, "submissions", subs);
}

static void vault_page(struct req *r, struct resp *w, const struct kv_error *e,
		       const struct vault_opening *opened)
{
	sbuf *b = &w->body;
	struct vault_state vs;
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

	int64_t total = 0;
	for (int i = 0; i < vs.n_subs; i++)
		total += vs.subs[i].size;
	html_f(b, "<h3>%s</h3><p>%d %s, %lld %s</p>", _("Bids received"), vs.n_subs,
	       _("files"), (long long)total, _("bytes"));
	if (vs.n_subs) {
		html_f(b, "<table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
		       _("Received"), _("Lot"), _("Candidate"), _("File"), _("Bytes"), _("SHA-256"),
		       opened ? _("Matches the receipt") : "");
		for (int i = 0; i < vs.n_subs; i++) {
			const struct submission *s = &vs.subs[i];
			const char *check = "";
			for (int j = 0; opened && j < opened->n; j++)
				if (opened->subs[j].id == s->id)
					check = opened->verified[j] ? _("yes") : _("NO");
			html_f(b, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%lld</td><td><code>%s</code></td><td>%s</td></tr>",
			       fmt_when(r, s->received_at), s->lot_number,
			       s->candidate_name ? s->candidate_name : "", s->file_name,
			       (long long)s->size, hex(r->a, s->sha256, 32), check);
		}
		html_f(b, "</tbody></table>");
	}
	if (opened) {
		int good = 0;
		for (int i = 0; i < opened->n; i++)
			good += opened->verified[i];
		html_f(b, "<p class=\"notice\" role=\"status\">%s %d / %d.</p>",
		       _("The vault is open. Bids whose hash matches the receipt:"), good, opened->n);
	}
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
	unsigned char head[8];        /* the first bytes, to sniff the type */
	size_t n_head;
	int64_t size;
	int64_t lot_id, candidate_id;
	int lot_number;
	char *file_name;
};

static const char SUBMISSIONS_PATTERN[] = "/api/v1/procedures/#/lots/#/submissions";

bool upload_route(const char *method, const char *url)
{
	if (strcmp(method, "POST") != 0)
		return false;
	const char *p = SUBMISSIONS_PATTERN, *s = url;
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

/* Ends the upload with a refusal. */
static void upload_refuse(struct req *r, struct resp *w, int status,
			  enum kv_status st, const char *msg)
{
	upload_cleanup(r->upload);
	r->upload = NULL;
	answer(r, w, status, st, "", msg);
}

static bool write_all(int fd, const unsigned char *b, size_t n)
{
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (size_t)k;
	}
	return true;
}

static bool seal_buffer(struct upload *u, int last)
{
	struct kv_error e;
	size_t outlen = 0;
	bool ok = vault_seal_chunk(&u->sealer, u->buf, u->fill, u->out, &outlen,
				   last, &e) == KV_OK &&
		  write_all(u->fd, u->out, outlen);
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

/* The route's handler: runs once the router has checked access, before
 * any byte of the body is kept. */
void page_submission_upload(struct req *r, struct resp *w)
{
	struct kv_error e = {0};
	int64_t candidate = 0;
	for (int i = 0; i < r->n_grants; i++)
		if (r->grants[i].role == ROLE_BIDDER &&
		    r->grants[i].procedure_id == r->proc.id)
			candidate = r->grants[i].candidate_id;
	const struct lot *lot = NULL;
	for (int i = 0; i < r->proc.n_lots; i++)
		if (r->proc.lots[i].id == r->ids[1])
			lot = &r->proc.lots[i];
	if (!candidate) {
		answer(r, w, 403, KV_DENIED, "", _("Your account bids for no candidate in this procedure."));
		return;
	}
	if (!lot) {
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
	if (r->content_length > APP_SUBMISSION_MAX) {
		answer(r, w, 413, KV_INVALID, "",
		       arena_printf(r->a, _("A file may be at most %lld MiB."),
				    (long long)(APP_SUBMISSION_MAX >> 20)));
		return;
	}
	struct vault_rec v;
	if (app_submission_check(&r->app, &r->proc, r->app.now, &v, &e) != KV_OK) {
		resp_error(r, w, &e);
		return;
	}
	struct upload *u = arena_alloc(r->a, sizeof *u);
	u->fd = -1;
	u->lot_id = lot->id;
	u->lot_number = lot->number;
	u->candidate_id = candidate;
	u->file_name = (char *)name;
	u->buf = arena_alloc_raw(r->a, VAULT_CHUNK_MAX);
	u->out = arena_alloc_raw(r->a, VAULT_FRAME_MAX);
	char *tmp = arena_printf(r->a, "%s/tmp-XXXXXX", server_vault_dir(r->srv));
	u->fd = mkstemp(tmp);
	if (u->fd < 0) {
		answer(r, w, 500, KV_IO, "", _("The vault directory cannot be written."));
		return;
	}
	u->tmp_path = tmp;
	fchmod(u->fd, 0600);
	unsigned char header[VAULT_HEADER_LEN];
	r->upload = u;
	if (vault_seal_begin(&u->sealer, v.pk, header, &e) != KV_OK ||
	    !write_all(u->fd, header, sizeof header))
		upload_refuse(r, w, 500, KV_IO, _("The bid could not be sealed."));
}

bool upload_data(struct req *r, struct resp *w, const char *data, size_t n)
{
	struct upload *u = r->upload;
	const unsigned char *p = (const unsigned char *)data;
	if (u->size + (int64_t)n > APP_SUBMISSION_MAX) {
		upload_refuse(r, w, 413, KV_INVALID,
			      arena_printf(r->a, _("A file may be at most %lld MiB."),
					   (long long)(APP_SUBMISSION_MAX >> 20)));
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
	if (u->n_head >= 5 && memcmp(u->head, "%PDF-", 5) == 0)
		return "application/pdf";
	if (u->n_head >= 4 && memcmp(u->head, "PK\x03\x04", 4) == 0)
		return "application/zip";
	return "application/octet-stream";
}

static bool sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

void upload_finish(struct req *r, struct resp *w)
{
	struct upload *u = r->upload;
	struct kv_error e = {0};
	/* The bid arrives when its last byte has: the clock now decides. */
	r->app.now = time(NULL);
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
	if (rename(u->tmp_path, final) != 0 || !sync_dir(dir)) {
		upload_refuse(r, w, 500, KV_IO, _("The bid could not be stored."));
		return;
	}
	u->tmp_path = NULL;
	r->upload = NULL;
	if (app_submission_store(&r->app, &sub, &e) != KV_OK) {
		unlink(final);
		sync_dir(dir);
		resp_error(r, w, &e);
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
