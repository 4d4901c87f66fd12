/* quota.c - a candidate's room in a lot (quota.h). */
#include "quota.h"


struct bid_limits quota_defaults(void)
{
	return (struct bid_limits){.max_bytes = QUOTA_MAX_BYTES_DEFAULT,
				   .files = QUOTA_FILES_DEFAULT,
				   .bytes = QUOTA_BYTES_DEFAULT};
}

static long long mib(int64_t bytes)
{
	return (long long)(bytes / (1 << 20));
}

/* Bytes as MiB rounded up, so that a file of 1.2 MiB is not "1 MiB". */
static long long mib_up(int64_t bytes)
{
	return (long long)((bytes + (1LL << 20) - 1) >> 20);
}

enum kv_status quota_limits_check(const struct bid_limits *l,
				  struct kv_error *e)
{
	if (l->max_bytes < QUOTA_MAX_BYTES_MIN || l->max_bytes > QUOTA_MAX_BYTES_MAX)
		return kv_fail(e, KV_INVALID, "max_mib",
			       _("The largest file must be between %lld MiB and "
				 "%lld MiB (2 GiB); %lld MiB is outside that range."),
			       mib(QUOTA_MAX_BYTES_MIN), mib(QUOTA_MAX_BYTES_MAX),
			       mib(l->max_bytes));
	if (l->files < QUOTA_FILES_MIN || l->files > QUOTA_FILES_MAX)
		return kv_fail(e, KV_INVALID, "quota_files",
			       _("The files per bidder and lot must be between %d "
				 "and %d; %d is outside that range."),
			       QUOTA_FILES_MIN, QUOTA_FILES_MAX, l->files);
	if (l->bytes < QUOTA_BYTES_MIN || l->bytes > QUOTA_BYTES_MAX)
		return kv_fail(e, KV_INVALID, "quota_mib",
			       _("The total per bidder and lot must be between "
				 "%lld MiB and %lld MiB (16 GiB); %lld MiB is "
				 "outside that range."),
			       mib(QUOTA_BYTES_MIN), mib(QUOTA_BYTES_MAX),
			       mib(l->bytes));
	if (l->bytes < l->max_bytes)
		return kv_fail(e, KV_INVALID, "quota_mib",
			       _("The total per bidder and lot (%lld MiB) cannot be "
				 "below the largest file (%lld MiB): such a file "
				 "could never be sent."),
			       mib(l->bytes), mib(l->max_bytes));
	return KV_OK;
}

enum kv_status quota_admit(const struct bid_limits *l, struct quota_use used,
			   int64_t size, struct kv_error *e)
{
	if (used.files + 1 > l->files)
		return kv_fail(e, KV_INVALID, "file",
			       ngettext("Your bid for this lot may hold at most %d "
					"file, and it holds %d: withdraw a file or "
					"replace a document first.",
					"Your bid for this lot may hold at most %d "
					"files, and it holds %d: withdraw a file or "
					"replace a document first.", l->files),
			       l->files, used.files);
	if (size > l->bytes - used.bytes)
		return kv_fail(e, KV_INVALID, "file",
			       _("Your bid for this lot may hold at most %lld MiB "
				 "together; it holds %lld MiB, and this file "
				 "would take it past the limit (%lld MiB are "
				 "left)."),
			       mib(l->bytes), mib_up(used.bytes),
			       mib(l->bytes - used.bytes));
	return KV_OK;
}
