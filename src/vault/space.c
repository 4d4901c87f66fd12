/* space.c - the free-space floor and the reserve file (space.h). */
#include "space.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "vault_dir.h"

static const char *space_dir;
static int64_t floor_bytes, reserve_bytes;
static char reserve_path[VAULT_PATH_MAX + 16];
/* The last refusal written to stderr (CLOCK_MONOTONIC seconds); racy
 * between threads at worst by a line more. */
static volatile time_t last_warned;

void space_configure(const char *dir, int64_t floor, int64_t reserve)
{
	space_dir = dir;
	floor_bytes = floor > 0 ? floor : 0;
	reserve_bytes = reserve > 0 ? reserve : 0;
	if ((size_t)snprintf(reserve_path, sizeof reserve_path, "%s/reserve",
			     dir) >= sizeof reserve_path)
		reserve_path[0] = 0;
}

int64_t space_floor(void)
{
	return floor_bytes;
}

int64_t space_free(void)
{
	struct statvfs v;
	if (!space_dir || statvfs(space_dir, &v) != 0)
		return -1;
	return (int64_t)v.f_bavail * (int64_t)v.f_frsize;
}

static time_t mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

bool space_room(int64_t need)
{
	int64_t free = space_free();
	if (free < 0 || free - need >= floor_bytes)
		return true;
	time_t now = mono_seconds();
	if (!last_warned || now - last_warned >= 60) {
		last_warned = now;
		fprintf(stderr, "kavel: warning: %lld MiB free on the file system of "
			"%s, below the floor of %lld MiB (--min-free-mb): files "
			"are refused until there is room\n",
			(long long)(free >> 20), space_dir,
			(long long)(floor_bytes >> 20));
	}
	return false;
}

/* The reserve file, allocated in full: a sparse file would give nothing
 * back. */
static bool reserve_make(void)
{
	int fd = open(reserve_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	int rc = posix_fallocate(fd, 0, (off_t)reserve_bytes);
	bool ok = rc == 0 && fsync(fd) == 0;
	close(fd);
	if (!ok)
		unlink(reserve_path);
	return ok;
}

int space_reserve_keep(void)
{
	if (!reserve_bytes || !reserve_path[0])
		return 0;
	int64_t free = space_free();
	if (free < 0)
		return 0;
	bool exists = access(reserve_path, F_OK) == 0;
	if (exists && free < reserve_bytes) {
		if (unlink(reserve_path) != 0)
			return 0;
		fprintf(stderr, "kavel: warning: the disk of %s is nearly full "
			"(%lld KiB free): the reserve of %lld MiB is given up so "
			"that logins and small writes go on; free space on it\n",
			space_dir, (long long)(free >> 10),
			(long long)(reserve_bytes >> 20));
		return -1;
	}
	if (!exists && free >= floor_bytes + reserve_bytes && reserve_make()) {
		fprintf(stderr, "kavel: the reserve of %lld MiB is in place (%s)\n",
			(long long)(reserve_bytes >> 20), reserve_path);
		return 1;
	}
	return 0;
}
