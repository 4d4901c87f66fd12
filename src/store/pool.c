/*
 * pool.c - a fixed pool of store connections for the server's threads.
 *
 * store_pool_open opens `size` connections at start-up (the first one
 * applies pending migrations); a thread takes one with store_pool_acquire,
 * which waits on a condition variable while all are in use, and gives it
 * back with store_pool_release.  A connection is used by one thread at a
 * time, as store.h requires.  The pool works with any driver through
 * store_ops; only opening is SQLite-specific.
 */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct store_pool {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	int size;
	int n_free;
	struct store **all;       /* every connection, for close */
	struct store **free_list; /* n_free of them, a stack */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fputs("kavel: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct store_pool *store_pool_open(const char *path, int size,
				   struct kv_error *e)
{
	if (size < 1 || size > 1024) {
		kv_fail(e, KV_INVALID, "size",
			_("A pool holds 1 to 1024 database connections."));
		return NULL;
	}
	struct store_pool *p = xcalloc(1, sizeof *p);
	p->all = xcalloc((size_t)size, sizeof *p->all);
	p->free_list = xcalloc((size_t)size, sizeof *p->free_list);
	for (int i = 0; i < size; i++) {
		struct store *s = store_sqlite_open(path, e);
		if (!s) {
			for (int j = 0; j < i; j++)
				store_close(p->all[j]);
			free(p->all);
			free(p->free_list);
			free(p);
			return NULL;
		}
		p->all[i] = s;
		p->free_list[i] = s;
	}
	p->size = size;
	p->n_free = size;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->freed, NULL);
	return p;
}

struct store *store_pool_acquire(struct store_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->n_free == 0)
		pthread_cond_wait(&p->freed, &p->mu);
	struct store *s = p->free_list[--p->n_free];
	pthread_mutex_unlock(&p->mu);
	return s;
}

void store_pool_release(struct store_pool *p, struct store *s)
{
	if (!s)
		return;
	/* A connection goes back clean: a transaction a failed request left
	 * open must not hold locks or leak into the next request. */
	store_rollback(s);
	pthread_mutex_lock(&p->mu);
	if (p->n_free < p->size)
		p->free_list[p->n_free++] = s;
	pthread_mutex_unlock(&p->mu);
	pthread_cond_signal(&p->freed);
}

/* Every connection must have been released. */
void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		store_close(p->all[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->mu);
	free(p->all);
	free(p->free_list);
	free(p);
}
