/*
 * hashpool.h - password checks on a small, bounded pool of threads of
 * their own (issue 13), so that argon2id (about 150 ms of CPU and 64 MiB
 * each) never runs on an event-loop thread: a burst of logins waits in
 * the pool's queue while every other request is served as before.
 *
 * A login's handler fills a hash_job (in its request's arena) and the
 * server submits it with two callbacks: park, called under the pool's
 * lock before any worker can see the job (it suspends the connection),
 * and wake, called under the same lock once the answer is in (it resumes
 * the connection), so a wake can never come before its park.  A full
 * queue refuses the submission: the server answers 503 at once.
 */
#ifndef KAVEL_HASHPOOL_H
#define KAVEL_HASHPOOL_H

#include <stdbool.h>

struct hash_job {
	const char *hash;          /* crypto_pwhash_str form, NUL-terminated */
	const char *password;
	/* the answer, written by a worker before wake */
	bool finished;
	bool ok;                   /* the password matches the hash */
	bool cancelled;            /* the pool stopped before it ran */
	/* the pool's */
	struct hash_job *next;
	void (*wake)(void *ctx);
	void *ctx;
};

struct hashpool;

/* workers threads, at most queue_max jobs waiting; NULL when no thread
 * could be started.  Lives until hashpool_stop. */
struct hashpool *hashpool_start(int workers, int queue_max);
/* Queues j; false (nothing called) when the queue is full or the pool is
 * stopping.  park(ctx) runs before this returns, wake(ctx) later on a
 * worker's thread; both under the pool's lock. */
bool hashpool_submit(struct hashpool *p, struct hash_job *j,
		     void (*park)(void *ctx), void (*wake)(void *ctx), void *ctx);
/* Queues j and waits for its answer on the calling thread (for the
 * thread-per-connection mode, where a wait holds up no one else); false
 * as hashpool_submit. */
bool hashpool_run(struct hashpool *p, struct hash_job *j);
/* Answers every job still queued as cancelled (woken), lets the running
 * ones finish and joins the workers; from then on every submission is
 * refused.  The pool stays valid until hashpool_free, which stops it
 * first if need be: the server frees it only after its daemon has
 * stopped, when no request can submit any more. */
void hashpool_stop(struct hashpool *p);
void hashpool_free(struct hashpool *p);

#endif
