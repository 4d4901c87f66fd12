/*
 * memo.c - a memo of recently loaded procedures, so a page about one
 * procedure does not ask the store the same questions on every request.
 *
 * An entry is used only while no change has been committed since it was
 * read: it is stamped with r->gen, the counter read before the request's
 * first read (a GET reads one snapshot, begun then), and used while
 * app_generation() equals that stamp — the rule of the session memo in
 * auth.c and the equated days in app.c.  Each entry owns an arena holding its
 * deep copy; a hit copies it again into the request's arena, so a request
 * never points into memory the memo may replace.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/read_decisions.h"
#include "web.h"

#define MEMO_SLOTS 64

struct proc_memo {
	arena *a;                 /* owns proc's strings and arrays */
	uint64_t generation;
	struct procedure proc;
};

static struct proc_memo memo[MEMO_SLOTS];
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* A deep copy of p into a. */
static void procedure_copy(arena *a, struct procedure *dst, const struct procedure *src)
{
	*dst = *src;
	dst->reference = arena_strdup(a, src->reference);
	dst->title = arena_strdup(a, src->title);
	dst->description = arena_strdup(a, src->description);
	dst->lots = arena_alloc(a, (size_t)(src->n_lots + 1) * sizeof *dst->lots);
	for (int i = 0; i < src->n_lots; i++) {
		dst->lots[i] = src->lots[i];
		dst->lots[i].title = arena_strdup(a, src->lots[i].title);
		dst->lots[i].goals = arena_strdup(a, src->lots[i].goals);
	}
	dst->stages = arena_alloc(a, (size_t)(src->n_stages + 1) * sizeof *dst->stages);
	for (int i = 0; i < src->n_stages; i++) {
		dst->stages[i] = src->stages[i];
		dst->stages[i].rule = arena_strdup(a, src->stages[i].rule);
	}
}

enum kv_status memo_procedure_get(struct req *r, int64_t id, struct procedure *out,
				  struct kv_error *e)
{
	uint64_t gen = app_generation();
	struct proc_memo *m = &memo[(uint64_t)id % MEMO_SLOTS];
	pthread_mutex_lock(&memo_lock);
	if (m->a && m->proc.id == id && m->generation == gen) {
		procedure_copy(r->a, out, &m->proc);
		pthread_mutex_unlock(&memo_lock);
		return KV_OK;
	}
	pthread_mutex_unlock(&memo_lock);
	enum kv_status rc = app_procedure_read(&r->app, id, out, e);
	if (rc != KV_OK)
		return rc;
	arena *a = arena_new();
	struct procedure copy;
	procedure_copy(a, &copy, out);
	pthread_mutex_lock(&memo_lock);
	arena *old = m->a;
	m->a = a;
	m->proc = copy;
	m->generation = r->gen;
	pthread_mutex_unlock(&memo_lock);
	arena_free(old);
	return KV_OK;
}

/* A procedure's decisions (with their conditions and the stages they
 * govern), kept like procedures: one entry per slot, its own arena. */
struct decisions_memo {
	arena *a;
	uint64_t generation;
	int64_t procedure_id;
	struct decision *ds;
	int n;
};

static struct decisions_memo decision_memo[MEMO_SLOTS];

static struct decision *decisions_copy(arena *a, const struct decision *src, int n)
{
	struct decision *d = arena_alloc(a, (size_t)(n + 1) * sizeof *d);
	for (int i = 0; i < n; i++) {
		d[i] = src[i];
		d[i].number = arena_strdup(a, src[i].number);
		d[i].title = arena_strdup(a, src[i].title);
		d[i].body = arena_strdup(a, src[i].body);
		d[i].conditions = arena_alloc(a, (size_t)(src[i].n_conditions + 1) *
						     sizeof *d[i].conditions);
		for (int k = 0; k < src[i].n_conditions; k++) {
			d[i].conditions[k] = src[i].conditions[k];
			d[i].conditions[k].description =
				arena_strdup(a, src[i].conditions[k].description);
			d[i].conditions[k].resolution =
				arena_strdup(a, src[i].conditions[k].resolution);
		}
		d[i].governs = arena_alloc(a, (size_t)(src[i].n_governs + 1) *
						  sizeof *d[i].governs);
		if (src[i].n_governs)
			memcpy(d[i].governs, src[i].governs,
			       (size_t)src[i].n_governs * sizeof *d[i].governs);
	}
	return d;
}

enum kv_status memo_decisions_get(struct req *r, struct decision **ds, int *n,
				  struct kv_error *e)
{
	uint64_t gen = app_generation();
	int64_t id = r->proc.id;
	struct decisions_memo *m = &decision_memo[(uint64_t)id % MEMO_SLOTS];
	pthread_mutex_lock(&memo_lock);
	if (m->a && m->procedure_id == id && m->generation == gen) {
		*ds = decisions_copy(r->a, m->ds, m->n);
		*n = m->n;
		pthread_mutex_unlock(&memo_lock);
		return KV_OK;
	}
	pthread_mutex_unlock(&memo_lock);
	enum kv_status rc = app_decisions_of(&r->app, r->proc.tenant_id, id, ds, n, e);
	if (rc != KV_OK)
		return rc;
	arena *a = arena_new();
	struct decision *copy = decisions_copy(a, *ds, *n);
	pthread_mutex_lock(&memo_lock);
	arena *old = m->a;
	m->a = a;
	m->ds = copy;
	m->n = *n;
	m->procedure_id = id;
	m->generation = r->gen;
	pthread_mutex_unlock(&memo_lock);
	arena_free(old);
	return KV_OK;
}

/*
 * Response bodies.  A body that is a pure function of the store's state,
 * the language and a small key the caller derives from the moment (for a
 * procedure's JSON: its timeline view, the only thing the clock changes
 * in it) is kept once rendered and sent again while nothing has been
 * committed since the request that rendered it began (r->gen).  Each
 * entry owns its bytes (malloc); a hit copies them into the response.
 */
#define BODY_KEY_MAX 64

struct body_memo {
	arena *a;                 /* owns body; replaced as a whole */
	char *body;
	size_t n;
	uint64_t generation;
	int64_t id;
	char key[BODY_KEY_MAX];   /* route, language, caller's key */
	size_t keylen;
};

static struct body_memo bodies[MEMO_SLOTS];

static size_t body_key(struct req *r, const char *route, const void *key,
		       size_t keylen, char out[BODY_KEY_MAX])
{
	size_t rl = strlen(route), ll = strlen(r->lang);
	if (rl + ll + 2 + keylen > BODY_KEY_MAX)
		return 0;
	memcpy(out, route, rl + 1);
	memcpy(out + rl + 1, r->lang, ll + 1);
	memcpy(out + rl + ll + 2, key, keylen);
	return rl + ll + 2 + keylen;
}

bool memo_body_get(struct req *r, const char *route, int64_t id,
		   const void *key, size_t keylen, sbuf *out)
{
	char k[BODY_KEY_MAX];
	size_t kl = body_key(r, route, key, keylen, k);
	uint64_t gen = app_generation();
	struct body_memo *m = &bodies[(uint64_t)id % MEMO_SLOTS];
	bool hit = false;
	pthread_mutex_lock(&memo_lock);
	if (kl && m->body && m->id == id && m->generation == gen &&
	    m->keylen == kl && memcmp(m->key, k, kl) == 0)
		hit = sbuf_add(out, m->body, m->n) == 0;
	pthread_mutex_unlock(&memo_lock);
	return hit;
}

void memo_body_put(struct req *r, const char *route, int64_t id,
		   const void *key, size_t keylen, const char *body, size_t n)
{
	char k[BODY_KEY_MAX];
	size_t kl = body_key(r, route, key, keylen, k);
	if (!kl)
		return;
	arena *a = arena_new();
	char *copy = arena_strndup(a, body, n);
	struct body_memo *m = &bodies[(uint64_t)id % MEMO_SLOTS];
	pthread_mutex_lock(&memo_lock);
	arena *old = m->a;
	m->a = a;
	m->body = copy;
	m->n = n;
	m->generation = r->gen;
	m->id = id;
	memcpy(m->key, k, kl);
	m->keylen = kl;
	pthread_mutex_unlock(&memo_lock);
	arena_free(old);
}

void memo_clear(void)
{
	pthread_mutex_lock(&memo_lock);
	for (int i = 0; i < MEMO_SLOTS; i++) {
		arena_free(memo[i].a);
		memo[i].a = NULL;
		arena_free(bodies[i].a);
		bodies[i].a = NULL;
		bodies[i].body = NULL;
		arena_free(decision_memo[i].a);
		decision_memo[i].a = NULL;
	}
	pthread_mutex_unlock(&memo_lock);
}
