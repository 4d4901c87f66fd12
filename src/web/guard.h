/*
 * guard.h - the server's connections watched (issue 13 item 6): how many
 * are open, for the total cap that answers 503, and an absolute deadline
 * for a request's headers.  libmicrohttpd's idle timeout restarts at
 * every byte, so a client trickling one header line at a time (Slowloris)
 * would hold its connection for ever; here the time a request's headers
 * take is counted from the moment the connection waits for them (its
 * accept, or the end of the request before on the same connection), and a
 * sweeper thread shuts down the socket of every connection past the
 * deadline.  libmicrohttpd then sees the connection end and closes it.
 *
 * Concurrency: one mutex guards the slots.  A slot is taken in the
 * connection's STARTED notice and given back in its CLOSED notice, which
 * libmicrohttpd sends before it closes the socket; the sweeper shuts a
 * socket down only while holding the mutex, so it never touches a
 * descriptor that was closed and reused.
 *
 * Memory: the guard and its slots live in the arena given to guard_open
 * (the server's, for the process's life).
 */
#ifndef KAVEL_WEB_GUARD_H
#define KAVEL_WEB_GUARD_H

#include <stdbool.h>

#include "core/arena.h"

struct guard;
struct guard_slot;

/* A guard for at most capacity connections whose requests' headers must
 * arrive within header_deadline seconds; its sweeper runs from here until
 * guard_stop.  NULL when the thread cannot start. */
struct guard *guard_open(arena *a, int capacity, int header_deadline,
			 void (*each_second)(void));
void guard_stop(struct guard *g);
/* A connection accepted on socket fd: its slot (NULL when every slot is
 * taken: the connection is not watched). */
struct guard_slot *guard_connect(struct guard *g, int fd);
/* Its request's headers have all arrived (the first request callback). */
void guard_headers_done(struct guard *g, struct guard_slot *s);
/* Its request is answered: the next one's headers are awaited from now. */
void guard_request_done(struct guard *g, struct guard_slot *s);
/* The connection is closing (before its socket is): the slot is free. */
void guard_close(struct guard *g, struct guard_slot *s);
/* Connections open now. */
int guard_active(struct guard *g);
/* Connections shut down for a late header since the start. */
long guard_cut(struct guard *g);

#endif
