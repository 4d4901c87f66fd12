/* guard.c - open connections counted, late headers cut off (guard.h). */
#include "guard.h"

#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

struct guard_slot {
	int fd;                     /* -1: free */
	bool waiting;               /* a request's headers are awaited */
	double since;               /* monotonic seconds: waiting since */
};

struct guard {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	pthread_t sweeper;
	bool stopping;
	int capacity, active, deadline;
	long cut;
	void (*each_second)(void);  /* run by the sweeper, unlocked */
	struct guard_slot *slots;
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *sweep(void *arg)
{
	struct guard *g = arg;
	int ticks = 0;
	pthread_mutex_lock(&g->mu);
	while (!g->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&g->wake, &g->mu, &until);
		double t = now_mono();
		for (int i = 0; i < g->capacity; i++) {
			struct guard_slot *s = &g->slots[i];
			if (s->fd >= 0 && s->waiting && t - s->since > g->deadline) {
				shutdown(s->fd, SHUT_RDWR);
				s->waiting = false;
				g->cut++;
			}
		}
		if (g->each_second && ++ticks % 4 == 0) {
			pthread_mutex_unlock(&g->mu);
			g->each_second();
			pthread_mutex_lock(&g->mu);
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct guard *guard_open(arena *a, int capacity, int header_deadline,
			 void (*each_second)(void))
{
	struct guard *g = arena_alloc(a, sizeof *g);
	g->each_second = each_second;
	g->capacity = capacity;
	g->deadline = header_deadline;
	g->slots = arena_alloc(a, (size_t)capacity * sizeof *g->slots);
	for (int i = 0; i < capacity; i++)
		g->slots[i].fd = -1;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (pthread_create(&g->sweeper, NULL, sweep, g) != 0)
		return NULL;
	return g;
}

void guard_stop(struct guard *g)
{
	pthread_mutex_lock(&g->mu);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->sweeper, NULL);
}

struct guard_slot *guard_connect(struct guard *g, int fd)
{
	struct guard_slot *found = NULL;
	pthread_mutex_lock(&g->mu);
	for (int i = 0; i < g->capacity && !found; i++)
		if (g->slots[i].fd < 0)
			found = &g->slots[i];
	if (found) {
		*found = (struct guard_slot){.fd = fd, .waiting = true,
					     .since = now_mono()};
		g->active++;
	}
	pthread_mutex_unlock(&g->mu);
	return found;
}

void guard_headers_done(struct guard *g, struct guard_slot *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&g->mu);
	s->waiting = false;
	pthread_mutex_unlock(&g->mu);
}

void guard_request_done(struct guard *g, struct guard_slot *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&g->mu);
	if (s->fd >= 0) {
		s->waiting = true;
		s->since = now_mono();
	}
	pthread_mutex_unlock(&g->mu);
}

void guard_close(struct guard *g, struct guard_slot *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&g->mu);
	if (s->fd >= 0)
		g->active--;
	s->fd = -1;
	s->waiting = false;
	pthread_mutex_unlock(&g->mu);
}

int guard_active(struct guard *g)
{
	pthread_mutex_lock(&g->mu);
	int n = g->active;
	pthread_mutex_unlock(&g->mu);
	return n;
}

long guard_cut(struct guard *g)
{
	pthread_mutex_lock(&g->mu);
	long n = g->cut;
	pthread_mutex_unlock(&g->mu);
	return n;
}
