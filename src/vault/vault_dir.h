/*
 * vault_dir.h - the vault directory, <db dir>/vault, and every file in
 * it: its one owner.  Nothing outside this file creates, writes, syncs,
 * renames, removes or opens a file there (scripts/checksrc.py keeps
 * src/web from trying).
 *
 * What lives in the directory:
 *   tmp-XXXXXX            a sealed file being written (vault_file_begin),
 *                         or an application document on its way into the
 *                         database (app_doc_upload_*: plaintext, 0600, gone
 *                         once stored or refused); never acknowledged,
 *                         removed at start
 *   <32 hex>.kvlt         a committed sealed file (vault_file_commit):
 *                         16 random bytes, nothing of the plaintext (its
 *                         SHA-256 named it once: a guessable bid could
 *                         be confirmed from the directory listing)
 *   unclaimed/            committed files no submission refers to,
 *                         moved there at start (never deleted)
 *
 * A file's life: begin (a temporary file, 0600, in the directory), write
 * (the sealed bytes, chunk by chunk), commit (fsync the file, rename it
 * to its final name, fsync the directory), or abort (close and unlink).
 * Only after commit may its database row be committed; when that fails,
 * vault_file_remove takes the file back.  So a kill at any moment leaves
 * a tmp-* file (swept at start), or a committed file without its row
 * (moved to unclaimed/ at start), or both the file and its row: never a
 * row without its file.
 *
 * The sealed format itself is vault.h's; these functions move bytes.
 * Every call returns false on failure with errno set; the caller chooses
 * the sentence for the person.  Paths are at most VAULT_PATH_MAX bytes.
 */
#ifndef KAVEL_VAULT_DIR_H
#define KAVEL_VAULT_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kv_error;

#define VAULT_PATH_MAX 4096
/* "<32 hex>.kvlt" */
#define VAULT_NAME_LEN (32 + 5)

/* <directory of db_path>/vault into out (n bytes), created 0700 when it
 * is missing.  false (errno set) when it cannot be made or is too long. */
bool vault_dir_prepare(const char *db_path, char *out, size_t n);

/* A sealed file on its way into the directory.  Caller-allocated (in a
 * request's arena, say); fd < 0 once committed or aborted. */
struct vault_file {
	int fd;
	const char *dir;
	char tmp[VAULT_PATH_MAX];
};

/* Creates tmp-XXXXXX (0600) in dir. */
bool vault_file_begin(struct vault_file *f, const char *dir);
/* Every byte of b, retrying short writes and EINTR. */
bool vault_file_write(struct vault_file *f, const void *b, size_t n);
/* fsync, close, rename to the file's final name (16 random bytes in hex,
 * written to name: nothing of the plaintext, not even its hash, shows in
 * the directory), fsync the directory.  On failure the temporary file is
 * removed. */
bool vault_file_commit(struct vault_file *f, char name[VAULT_NAME_LEN + 1]);
/* A temporary file read back from its start, for a caller that keeps its
 * bytes elsewhere (an application document goes into the database) and
 * then removes it with vault_file_abort: rewind once, then read until 0. */
bool vault_file_rewind(struct vault_file *f);
/* Up to n bytes into b: how many, 0 at the end, -1 on an error. */
long vault_file_read_back(struct vault_file *f, void *b, size_t n);
/* Closes and unlinks a file not committed; idempotent (a committed or
 * never begun file is left alone). */
void vault_file_abort(struct vault_file *f);
/* Takes back a committed file whose database row did not commit: unlink
 * and fsync the directory. */
void vault_file_remove(const char *dir, const char *name);

/* Opens the committed file `name` for reading (NULL, errno set, when it
 * cannot be: missing, or a name with a directory part). */
FILE *vault_file_open(const char *dir, const char *name);
/* vault_read_fn (vault.h) over a FILE * from vault_file_open: 1 when all
 * n bytes came, 0 at a clean end before the first, -1 otherwise. */
int vault_file_read(void *f, unsigned char *b, size_t n);
void vault_file_close(FILE *f);

/* ---- reading a committed file back, for a response -------------------- */

/* A committed sealed file opened with its vault's secret key, handed out
 * as plaintext piece by piece (a streamed download: the whole file is
 * never in memory).  Owns its FILE and buffers: vault_reader_open
 * allocates it (malloc, not an arena, since a response outlives the
 * request's handler), vault_reader_close wipes and frees it. */
struct vault_reader;
/* NULL when the file cannot be opened or its header does not open with
 * vault_sk (e says which).  expected_sha256 (32 bytes, copied) is checked
 * at the end. */
struct vault_reader *vault_reader_open(const char *dir, const char *name,
				       const unsigned char vault_sk[32],
				       const unsigned char expected_sha256[32],
				       struct kv_error *e);
/* Up to max plaintext bytes into out: how many (> 0); 0 at the end once
 * the last chunk and the SHA-256 are verified; -1 when the file is
 * damaged (truncated, altered, another plaintext). */
long vault_reader_read(struct vault_reader *r, unsigned char *out, size_t max);
/* Wipes the plaintext and the unsealer, closes the file, frees r; NULL
 * is fine. */
void vault_reader_close(struct vault_reader *r);

/* ---- start-up sweeps: before the server takes its first upload -------- */

/* Removes every tmp-* file (an upload cut off by a kill); the number
 * removed, or -1 when the directory cannot be read. */
int vault_sweep_unfinished(const char *dir);
/* Moves every committed *.kvlt that is not one of the n names in known
 * (the files the database refers to) into dir/unclaimed/, kept, not
 * deleted; the number moved, or -1 when the directory cannot be read. */
int vault_sweep_unclaimed(const char *dir, char *const *known, int n);

#endif
