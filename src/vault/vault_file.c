/*
 * vault_file.c - the two file steps every sealed file takes on its way to
 * <db dir>/vault/: writing all of a buffer, and syncing the directory after
 * the rename (see vault.h).  One copy for the upload route (web) and the
 * whole-bid sealing action (app).
 */
#include "vault.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

bool vault_write_all(int fd, const unsigned char *b, size_t n)
{
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (size_t)k;
	}
	return true;
}

bool vault_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}
