/*
 * anchor.c - the audit anchor's key file and checkpoint file; see
 * anchor.h.
 */
#include "anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC "kavel-anchor-key v1 "

static int fail(char *err, size_t n, const char *fmt, const char *path, const char *why)
{
	snprintf(err, n, fmt, path, why);
	return -1;
}

/* Writes all of buf to fd, then fsyncs it. */
static int write_synced(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return fsync(fd);
}

static void sync_parent(const char *path)
{
	char d[PATH_MAX];
	snprintf(d, sizeof d, "%s", path);
	int fd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int anchor_key_load(const char *path, bool create, unsigned char sk[AUDIT_ANCHOR_SK_LEN],
		    bool *created, char *err, size_t errlen)
{
	*created = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create) {
		unsigned char pk[AUDIT_ANCHOR_PK_LEN];
		crypto_sign_keypair(pk, sk);
		char text[sizeof KEY_MAGIC + 2 * AUDIT_ANCHOR_SK_LEN + 2];
		char hex[2 * AUDIT_ANCHOR_SK_LEN + 1];
		sodium_bin2hex(hex, sizeof hex, sk, AUDIT_ANCHOR_SK_LEN);
		int len = snprintf(text, sizeof text, "%s%s\n", KEY_MAGIC, hex);
		sodium_memzero(hex, sizeof hex);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return fail(err, errlen, "cannot create the anchor key %s: %s", path, strerror(errno));
		int rc = write_synced(fd, text, (size_t)len);
		sodium_memzero(text, sizeof text);
		if (close(fd) != 0 || rc != 0) {
			unlink(path);
			return fail(err, errlen, "cannot write the anchor key %s: %s", path, strerror(errno));
		}
		sync_parent(path);
		*created = true;
		return 0;
	}
	if (fd < 0)
		return fail(err, errlen, "cannot open the anchor key %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, "the anchor key %s is %s", path, "not a regular file");
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(err, errlen, "the anchor key %s is open to others (mode %04o): chmod 600 %s",
			 path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	char text[sizeof KEY_MAGIC + 2 * AUDIT_ANCHOR_SK_LEN + 8];
	ssize_t got = read(fd, text, sizeof text - 1);
	close(fd);
	if (got < 0)
		return fail(err, errlen, "cannot read the anchor key %s: %s", path, strerror(errno));
	text[got] = 0;
	size_t hexlen = strcspn(text + sizeof KEY_MAGIC - 1, "\n");
	size_t bin = 0;
	int ok = strncmp(text, KEY_MAGIC, sizeof KEY_MAGIC - 1) == 0 &&
		 hexlen == 2 * AUDIT_ANCHOR_SK_LEN &&
		 sodium_hex2bin(sk, AUDIT_ANCHOR_SK_LEN, text + sizeof KEY_MAGIC - 1, hexlen,
				NULL, &bin, NULL) == 0 && bin == AUDIT_ANCHOR_SK_LEN;
	sodium_memzero(text, sizeof text);
	if (!ok)
		return fail(err, errlen, "%s is %s", path, "not a Kavel anchor key (kavel-anchor-key v1)");
	return 0;
}

int anchor_read(const char *path, arena *a, struct audit_checkpoint **out, int *n,
		char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return fail(err, errlen, "cannot open the checkpoints %s: %s", path, strerror(errno));
	}
	int cap = 64;
	struct audit_checkpoint *cs = arena_alloc(a, (size_t)cap * sizeof *cs);
	char line[AUDIT_ANCHOR_LINE_MAX + 2];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: the line is longer than any checkpoint", path, lineno);
			rc = -1;
			break;
		}
		if (*n == cap) {
			struct audit_checkpoint *more = arena_alloc(a, (size_t)cap * 2 * sizeof *more);
			memcpy(more, cs, (size_t)cap * sizeof *cs);
			cs = more;
			cap *= 2;
		}
		char why[200];
		struct audit_checkpoint *c = &cs[*n];
		if (audit_checkpoint_parse(line, c, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			rc = -1;
			break;
		}
		if (*n > 0 && memcmp(c->pk, cs[0].pk, AUDIT_ANCHOR_PK_LEN) != 0) {
			snprintf(err, errlen, "%s:%d: signed by another key than line 1", path, lineno);
			rc = -1;
			break;
		}
		if (*n > 0 && c->seq < cs[*n - 1].seq) {
			snprintf(err, errlen, "%s:%d: event %lld comes before the line above's %lld",
				 path, lineno, (long long)c->seq, (long long)cs[*n - 1].seq);
			rc = -1;
			break;
		}
		(*n)++;
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "cannot read the checkpoints %s", path);
		rc = -1;
	}
	fclose(f);
	if (rc == 0)
		*out = cs;
	else
		*n = 0;
	return rc;
}

int anchor_append(const char *path, const char *line, char *err, size_t errlen)
{
	struct stat st;
	bool is_new = stat(path, &st) != 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(err, errlen, "cannot open the checkpoints %s: %s", path, strerror(errno));
	int rc = write_synced(fd, line, strlen(line));
	int saved = errno;
	if (close(fd) != 0 || rc != 0)
		return fail(err, errlen, "cannot write the checkpoints %s: %s", path, strerror(saved));
	if (is_new)
		sync_parent(path);
	return 0;
}
