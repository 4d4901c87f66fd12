/*
 * hashpool.c - password checks on threads of their own (hashpool.h).
 *
 * One mutex guards the queue and every job's answer; a condition
 * variable wakes idle workers, another the callers of hashpool_run.
 * The pool itself is one malloc'ed block (it outlives any request);
 * jobs belong to their requests.
 *
 * The argon2id itself runs in a helper process per worker, forked at
 * start (before any other thread exists), the worker thread sending it
 * the hash and the password over a socketpair and waiting for one byte.
 * In the server's own process each check would map, fault in and unmap
 * 64 MiB, and those hold the address space's lock that every other
 * thread's page faults and allocations wait for: measured beside a reader
 * waiting 5 ms between requests, argon2id on a thread of the server
 * lifted the reader's p99 from 0.29 to 2.2 ms, the same loop in another
 * process left it at 0.36 ms (bench/login).  A helper that cannot be had
 * or dies leaves its worker checking in-process, as before.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
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
	struct helper {
		struct hashpool *pool;
		int fd;               /* to the helper process; -1: none */
		pid_t pid;
	} helpers[WORKERS_MAX];
};

/* A request to a helper: the hash and the password, each with its
 * length, in one datagram. */
#define HELPER_MSG_MAX 4096

/* The helper process: checks until its socket closes. */
static void helper_main(int fd)
{
	unsigned char msg[HELPER_MSG_MAX + 1];
	for (;;) {
		ssize_t n = recv(fd, msg, HELPER_MSG_MAX, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 4)
			break;
		size_t hl = (size_t)msg[0] << 8 | msg[1], pl = (size_t)msg[2] << 8 | msg[3];
		unsigned char ok = 0;
		if (4 + hl + pl == (size_t)n && hl < crypto_pwhash_STRBYTES) {
			char hash[crypto_pwhash_STRBYTES];
			memcpy(hash, msg + 4, hl);
			hash[hl] = 0;
			ok = crypto_pwhash_str_verify(hash, (const char *)msg + 4 + hl, pl) == 0;
		}
		sodium_memzero(msg, sizeof msg);
		if (send(fd, &ok, 1, MSG_NOSIGNAL) != 1)
			break;
	}
	_exit(0);
}

/* Forks helper i of p; false (its fd -1) when it cannot.  The child
 * closes its copies of the earlier helpers' sockets: a copy held open
 * would keep such a helper from seeing its socket close at the end. */
static bool helper_start(struct hashpool *p, int i)
{
	struct helper *h = &p->helpers[i];
	int sv[2];
	h->fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	if (pid == 0) {
		close(sv[0]);
		for (int k = 0; k < i; k++)
			if (p->helpers[k].fd >= 0)
				close(p->helpers[k].fd);
		(void)setpriority(PRIO_PROCESS, 0, 10);
		helper_main(sv[1]);
	}
	close(sv[1]);
	h->fd = sv[0];
	h->pid = pid;
	return true;
}

static void helper_stop(struct helper *h)
{
	if (h->fd < 0)
		return;
	close(h->fd);   /* its recv ends: it exits */
	h->fd = -1;
	while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The check by h's process: 1 match, 0 not, -1 the helper is gone. */
static int helper_check(struct helper *h, const char *hash, const char *password)
{
	unsigned char msg[HELPER_MSG_MAX];
	size_t hl = strlen(hash), pl = strlen(password);
	if (h->fd < 0 || hl >= crypto_pwhash_STRBYTES || 4 + hl + pl > sizeof msg)
		return -1;
	msg[0] = (unsigned char)(hl >> 8);
	msg[1] = (unsigned char)hl;
	msg[2] = (unsigned char)(pl >> 8);
	msg[3] = (unsigned char)pl;
	memcpy(msg + 4, hash, hl);
	memcpy(msg + 4 + hl, password, pl);
	ssize_t sent = send(h->fd, msg, 4 + hl + pl, MSG_NOSIGNAL);
	sodium_memzero(msg, sizeof msg);
	unsigned char ok = 0;
	ssize_t got = -1;
	if (sent == (ssize_t)(4 + hl + pl))
		do
			got = recv(h->fd, &ok, 1, 0);
		while (got < 0 && errno == EINTR);
	if (got != 1) {
		helper_stop(h);   /* gone: this worker checks in-process now */
		return -1;
	}
	return ok == 1;
}

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
	struct helper *h = arg;
	struct hashpool *p = h->pool;
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
		bool ok = false;
		if (j->hash && *j->hash && j->password) {
			int r = helper_check(h, j->hash, j->password);
			ok = r < 0 ? crypto_pwhash_str_verify(j->hash, j->password,
							      strlen(j->password)) == 0
				   : r == 1;
		}
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
	/* The helpers first, while this is the process's only thread. */
	for (int i = 0; i < workers; i++) {
		p->helpers[i].pool = p;
		if (!helper_start(p, i))
			p->helpers[i].fd = -1;
	}
	for (int i = 0; i < workers; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, &p->helpers[i]) != 0)
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
	for (int i = 0; i < WORKERS_MAX; i++)
		if (p->helpers[i].pool)
			helper_stop(&p->helpers[i]);
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
