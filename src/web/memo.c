/*
 * memo.c - a memo of recently loaded procedures, so a page about one
 * procedure does not ask the store the same questions on every request.
 *
 * An entry is used only while no change has been committed since it was
 * read (app_generation(), read before the store is asked) — the rule the
 * session memo in auth.c follows.  Each entry owns an arena holding its
 * deep copy; a hit copies it again into the request's arena, so a request
 * never points into memory the memo may replace.
 */
#include <pthread.h>
#include <string.h>

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
	enum kv_status rc = STORE(r->st, procedure_get, id, r->a, out, e);
	if (rc != KV_OK)
		return rc;
	arena *a = arena_new();
	struct procedure copy;
	procedure_copy(a, &copy, out);
	pthread_mutex_lock(&memo_lock);
	arena *old = m->a;
	m->a = a;
	m->proc = copy;
	m->generation = gen;
	pthread_mutex_unlock(&memo_lock);
	arena_free(old);
	return KV_OK;
}

void memo_clear(void)
{
	pthread_mutex_lock(&memo_lock);
	for (int i = 0; i < MEMO_SLOTS; i++) {
		arena_free(memo[i].a);
		memo[i].a = NULL;
	}
	pthread_mutex_unlock(&memo_lock);
}
