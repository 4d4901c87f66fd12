/*
 * space.h - room on the data directory's file system (issue 13): the
 * free-space floor below which no file is taken in, and the reserve file
 * that keeps room for the small writes that must go on when something
 * else fills the disk.
 *
 * A bidder's upload could otherwise fill the disk before the deadline, and
 * on a full disk nothing can be written: not another bidder's bid, not a
 * session row, so nobody could even log in.  So:
 *
 *   - the floor (serve --min-free-mb, default 512 MiB): a file being
 *     received (a bid, an application or procurement document) is refused
 *     once writing it would leave less than the floor free, checked at
 *     every chunk; logins, sessions, questions, a price envelope of a few
 *     kilobytes and every other small write go on below it;
 *   - the reserve (serve --reserve-mb, default 64 MiB; 0: none): the file
 *     <vault dir>/reserve, allocated (posix_fallocate) at start.  Once
 *     less than its size is free (another program filled the disk, past
 *     the floor), it is removed, which gives the database that much room
 *     again; it is made anew once the floor and its size are free again.
 *     Kavel checks once a second (space_reserve_keep).
 *
 * The settings are written once at start (space_configure), before any
 * thread, and only read after.  Free space is statvfs's f_bavail: what an
 * unprivileged writer may use.
 */
#ifndef KAVEL_VAULT_SPACE_H
#define KAVEL_VAULT_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#define SPACE_FLOOR_DEFAULT ((int64_t)512 << 20)
#define SPACE_RESERVE_DEFAULT ((int64_t)64 << 20)

/* The directory whose file system is watched (the vault directory, beside
 * the database), the floor and the reserve's size in bytes.  dir must
 * outlive every later call. */
void space_configure(const char *dir, int64_t floor_bytes,
		     int64_t reserve_bytes);
/* The floor, in bytes (0 before space_configure: no floor). */
int64_t space_floor(void);
/* Bytes free on the file system; -1 when it cannot be asked (no
 * directory configured, statvfs failed). */
int64_t space_free(void);
/* Whether need more bytes can be written and leave the floor free.  True
 * when the free space cannot be read (an unknown file system is not
 * called full; the write itself will fail if it is).  A refusal is
 * written to stderr, at most once a minute, with the figures. */
bool space_room(int64_t need);
/* The reserve file made when missing and there is room for it above the
 * floor, removed when less than its size is free.  +1: made, -1:
 * removed, 0: neither; each change is written to stderr. */
int space_reserve_keep(void);

#endif
