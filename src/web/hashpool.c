/*
 * hashpool.c - password checks on threads of their own (hashpool.h).
 *
 * One mutex guards the queue and every job's answer; a condition
 * variable wakes idle workers, another the callers of hashpool_run.
 * The pool itself is one malloc'ed block (it outlives any request);
 * jobs belong to their requests.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hashpool.h"

#define WORKERS_MAX 16

struct hashpool {
	pthread_mutex_t lock;
	pthread_cond_t work;       /* a job queued, or stopping */
	pthread_cond_t answered;   /* a job of hashpool_run finished */
	struct hash_job *head, *tail;
	int waiting, queue_max;
	bool stopping;
	int n_threads;
	pthread_t threads[WORKERS_MAX];
};

/* Under p->lock. */
static void finish(struct hash_job *j)
{
	j->finished = true;
	if (j->wake)
		j->wake(j->ctx);
}

/* A worker runs at nice 10: when a read and a password check want the
 * same core, the read's thread goes first (Linux schedules each thread
 * by its own nice value), and under full load the checks still get about
 * a tenth of it.  A failure to lower it is harmless. */
#define WORKER_NICE 10

static void *worker(void *arg)
{
	struct hashpool *p = arg;
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (!p->head)
			break;   /* stopping, nothing left */
		struct hash_job *j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->waiting--;
		pthread_mutex_unlock(&p->lock);
		bool ok = j->hash && *j->hash && j->password &&
			  crypto_pwhash_str_verify(j->hash, j->password,
						   strlen(j->password)) == 0;
		pthread_mutex_lock(&p->lock);
		j->ok = ok;
		finish(j);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct hashpool *hashpool_start(int workers, int queue_max)
{
	if (workers < 1)
		workers = 1;
	if (workers > WORKERS_MAX)
		workers = WORKERS_MAX;
	struct hashpool *p = calloc(1, sizeof *p);   /* checksrc: allow MEMORY the pool outlives every request */
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->answered, NULL);
	p->queue_max = queue_max > 0 ? queue_max : 1;
	for (int i = 0; i < workers; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->n_threads++;
	}
	if (p->n_threads == 0) {
		hashpool_free(p);
		return NULL;
	}
	return p;
}

bool hashpool_submit(struct hashpool *p, struct hash_job *j,
		     void (*park)(void *ctx), void (*wake)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&p->lock);
	if (p->stopping || p->waiting >= p->queue_max) {
		pthread_mutex_unlock(&p->lock);
		return false;
	}
	j->finished = j->ok = j->cancelled = false;
	j->next = NULL;
	j->wake = wake;
	j->ctx = ctx;
	if (park)
		park(ctx);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->waiting++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
	return true;
}

/* wake of hashpool_run: under p->lock. */
static void wake_caller(void *ctx)
{
	struct hashpool *p = ctx;
	pthread_cond_broadcast(&p->answered);
}

bool hashpool_run(struct hashpool *p, struct hash_job *j)
{
	if (!hashpool_submit(p, j, NULL, wake_caller, p))
		return false;
	pthread_mutex_lock(&p->lock);
	while (!j->finished)
		pthread_cond_wait(&p->answered, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return true;
}

void hashpool_stop(struct hashpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	while (p->head) {
		struct hash_job *j = p->head;
		p->head = j->next;
		p->waiting--;
		j->cancelled = true;
		j->ok = false;
		finish(j);
	}
	p->tail = NULL;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	p->n_threads = 0;
}

void hashpool_free(struct hashpool *p)
{
	if (!p)
		return;
	hashpool_stop(p);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->answered);
	pthread_mutex_destroy(&p->lock);
	free(p);   /* checksrc: allow MEMORY see hashpool_start */
}
