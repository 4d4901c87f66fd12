/*
 * quota.h - how much one candidate may store for one lot (issue 13):
 * the bid limits a buyer sets per procedure, and the rule that admits one
 * more file.  Plain arithmetic on counts the caller gathers (the live
 * files in the store, the uploads still streaming in); the caller keeps
 * them consistent (its write transaction, its lock).
 *
 * Live files are the candidate's quality-envelope files in the lot that
 * are not withdrawn; a file that replaces an earlier upload of the same
 * bid document does not count that earlier one.
 */
#ifndef KAVEL_QUOTA_H
#define KAVEL_QUOTA_H

#include <stdint.h>

#include "error.h"

/* The default and the bounds of each limit. */
#define QUOTA_MAX_BYTES_DEFAULT (256LL << 20)   /* the largest file */
#define QUOTA_MAX_BYTES_MIN (1LL << 20)
#define QUOTA_MAX_BYTES_MAX (2048LL << 20)
#define QUOTA_FILES_DEFAULT 20                  /* live files per candidate and lot */
#define QUOTA_FILES_MIN 1
#define QUOTA_FILES_MAX 1000
#define QUOTA_BYTES_DEFAULT (1024LL << 20)      /* their bytes together */
#define QUOTA_BYTES_MIN (1LL << 20)
#define QUOTA_BYTES_MAX (16384LL << 20)

struct bid_limits {
	int64_t max_bytes;      /* the largest file */
	int files;              /* live files per candidate and lot */
	int64_t bytes;          /* their bytes together */
};

/* What a candidate holds in a lot: files and bytes. */
struct quota_use {
	int files;
	int64_t bytes;
};

/* The defaults above. */
struct bid_limits quota_defaults(void);

/* Whether limits are within their bounds and coherent (the total not
 * below the largest file): KV_INVALID naming the field ("max_mib",
 * "quota_files", "quota_mib") otherwise. */
enum kv_status quota_limits_check(const struct bid_limits *l,
				  struct kv_error *e);

/* Whether one more file of size bytes (its size so far, while it streams
 * in) fits beside used, which does not count it: KV_INVALID (field
 * "file") naming the limit and what is held otherwise. */
enum kv_status quota_admit(const struct bid_limits *l, struct quota_use used,
			   int64_t size, struct kv_error *e);

#endif
