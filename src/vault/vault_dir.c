/*
 * vault_dir.c - the vault directory and the files in it (see vault_dir.h):
 * the one place that creates, writes, syncs, renames, removes and opens
 * them, for the upload action, the sealing of whole files (the demo, the
 * price envelope), the opening and the start-up sweeps.
 */
#include "vault_dir.h"
#include "vault.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool vault_dir_prepare(const char *db_path, char *out, size_t n)
{
	char copy[VAULT_PATH_MAX];
	if ((size_t)snprintf(copy, sizeof copy, "%s", db_path) >= sizeof copy ||
	    (size_t)snprintf(out, n, "%s/vault", dirname(copy)) >= n) {
		errno = ENAMETOOLONG;
		return false;
	}
	return mkdir(out, 0700) == 0 || errno == EEXIST;
}

static bool sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

bool vault_file_begin(struct vault_file *f, const char *dir)
{
	f->fd = -1;
	f->dir = dir;
	f->tmp[0] = 0;
	if ((size_t)snprintf(f->tmp, sizeof f->tmp, "%s/tmp-XXXXXX", dir) >=
	    sizeof f->tmp) {
		f->tmp[0] = 0;
		errno = ENAMETOOLONG;
		return false;
	}
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		f->tmp[0] = 0;
		return false;
	}
	if (fchmod(f->fd, 0600) != 0) {
		int err = errno;
		vault_file_abort(f);
		errno = err;
		return false;
	}
	return true;
}

bool vault_file_write(struct vault_file *f, const void *data, size_t n)
{
	const unsigned char *b = data;
	if (f->fd < 0) {
		errno = EBADF;
		return false;
	}
	while (n) {
		ssize_t k = write(f->fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		b += k;
		n -= (size_t)k;
	}
	return true;
}

bool vault_file_commit(struct vault_file *f, char name[VAULT_NAME_LEN + 1])
{
	unsigned char rnd[16];
	char path[VAULT_PATH_MAX + VAULT_NAME_LEN + 2];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(name, 33, rnd, sizeof rnd);
	memcpy(name + 32, ".kvlt", 6);
	if (f->fd < 0) {
		errno = EBADF;
		return false;
	}
	bool ok = fsync(f->fd) == 0;
	int err = errno;
	if (close(f->fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	f->fd = -1;
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	if (ok && rename(f->tmp, path) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		unlink(f->tmp);
		f->tmp[0] = 0;
		errno = err;
		return false;
	}
	f->tmp[0] = 0;
	/* The rename is durable only once the directory is synced; a file
	 * whose directory entry could not be synced is taken back. */
	if (!sync_dir(f->dir)) {
		err = errno;
		unlink(path);
		errno = err;
		return false;
	}
	return true;
}

bool vault_file_rewind(struct vault_file *f)
{
	return f->fd >= 0 && lseek(f->fd, 0, SEEK_SET) == 0;
}

long vault_file_read_back(struct vault_file *f, void *b, size_t n)
{
	for (;;) {
		ssize_t k = read(f->fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		return k < 0 ? -1 : (long)k;
	}
}

void vault_file_abort(struct vault_file *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->tmp[0]) {
		unlink(f->tmp);
		f->tmp[0] = 0;
	}
}

void vault_file_remove(const char *dir, const char *name)
{
	char path[VAULT_PATH_MAX + VAULT_NAME_LEN + 2];
	if (strchr(name, '/') ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return;
	unlink(path);
	sync_dir(dir);
}

FILE *vault_file_open(const char *dir, const char *name)
{
	char path[VAULT_PATH_MAX + VAULT_NAME_LEN + 2];
	if (!name || !*name || strchr(name, '/') ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
		errno = ENOENT;
		return NULL;
	}
	return fopen(path, "rb");
}

int vault_file_read(void *ctx, unsigned char *b, size_t n)
{
	FILE *f = ctx;
	size_t got = fread(b, 1, n, f);
	if (got == n)
		return 1;
	return got == 0 && feof(f) ? 0 : -1;
}

void vault_file_close(FILE *f)
{
	if (f)
		fclose(f);
}

int vault_sweep_unfinished(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "tmp-", 4) == 0 &&
		    unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}

int vault_sweep_unclaimed(const char *dir, char *const *known, int n)
{
	char unclaimed[VAULT_PATH_MAX + 16];
	char from[VAULT_PATH_MAX + 300], to[VAULT_PATH_MAX + 320];
	if ((size_t)snprintf(unclaimed, sizeof unclaimed, "%s/unclaimed", dir) >=
	    sizeof unclaimed)
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int moved = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".kvlt") != 0)
			continue;
		bool is_known = false;
		for (int i = 0; i < n && !is_known; i++)
			is_known = known[i] && strcmp(known[i], de->d_name) == 0;
		if (is_known)
			continue;
		if (mkdir(unclaimed, 0700) != 0 && errno != EEXIST)
			break;
		snprintf(from, sizeof from, "%s/%s", dir, de->d_name);
		snprintf(to, sizeof to, "%s/%s", unclaimed, de->d_name);
		if (rename(from, to) == 0)
			moved++;
	}
	closedir(d);
	if (moved)
		sync_dir(dir);
	return moved;
}

/* ---- reading a committed file back ----------------------------------------- */

struct vault_reader {
	FILE *f;
	struct vault_unsealer u;
	unsigned char expected[32];
	size_t have, off;        /* plaintext of the current chunk: plain[off..have) */
	bool ended, broken;
	unsigned char frame[VAULT_FRAME_MAX];
	unsigned char plain[VAULT_CHUNK_MAX];
};

struct vault_reader *vault_reader_open(const char *dir, const char *name,
				       const unsigned char vault_sk[32],
				       const unsigned char expected_sha256[32],
				       struct kv_error *e)
{
	struct vault_reader *r = calloc(1, sizeof *r);
	if (!r) {
		kv_fail(e, KV_IO, "", "out of memory");
		return NULL;
	}
	vault_unsealer_wipe(&r->u);
	memcpy(r->expected, expected_sha256, 32);
	unsigned char header[VAULT_HEADER_LEN];
	r->f = vault_file_open(dir, name);
	enum kv_status rc;
	if (!r->f)
		rc = kv_fail(e, KV_IO, "", "the sealed file cannot be opened");
	else if (vault_file_read(r->f, header, sizeof header) != 1)
		rc = kv_fail(e, KV_INVALID, "", "the sealed file is shorter than its header");
	else
		rc = vault_unseal_begin(&r->u, vault_sk, header, e);
	sodium_memzero(header, sizeof header);
	if (rc != KV_OK) {
		vault_reader_close(r);
		return NULL;
	}
	return r;
}

/* The next chunk's plaintext into r->plain: 1, 0 at a clean end of the
 * file, -1 when damaged. */
static int next_chunk(struct vault_reader *r)
{
	struct kv_error e;
	size_t clen = 0, plen = 0;
	int got = vault_file_read(r->f, r->frame, VAULT_FRAME_PREFIX);
	if (got == 0)
		return 0;
	if (got != 1 || vault_frame_length(r->frame, &clen, &e) != KV_OK ||
	    vault_file_read(r->f, r->frame + VAULT_FRAME_PREFIX, clen) != 1 ||
	    vault_unseal_chunk(&r->u, r->frame, VAULT_FRAME_PREFIX + clen,
			       r->plain, &plen, &e) != KV_OK)
		return -1;
	r->have = plen;
	r->off = 0;
	return 1;
}

long vault_reader_read(struct vault_reader *r, unsigned char *out, size_t max)
{
	struct kv_error e;
	while (!r->broken && !r->ended && r->off == r->have) {
		int got = next_chunk(r);
		if (got < 0) {
			r->broken = true;
		} else if (got == 0) {
			r->ended = true;
			if (vault_unseal_end(&r->u, r->expected, NULL, &e) != KV_OK)
				r->broken = true;
		}
	}
	if (r->broken)
		return -1;
	if (r->off == r->have)
		return 0;
	size_t n = r->have - r->off;
	if (n > max)
		n = max;
	memcpy(out, r->plain + r->off, n);
	r->off += n;
	return (long)n;
}

void vault_reader_close(struct vault_reader *r)
{
	if (!r)
		return;
	vault_unsealer_wipe(&r->u);
	vault_file_close(r->f);
	sodium_memzero(r->plain, sizeof r->plain);
	free(r);
}
