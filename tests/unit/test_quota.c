/*
 * test_quota.c - unit tests of a candidate's room in a lot (core/quota.c):
 * the defaults are coherent, each limit's bounds, the total not below the
 * largest file, and the admission of one more file by count and by bytes
 * with the message naming what is held.
 */
#include <string.h>

#include "core/quota.h"
#include "tap.h"

int main(void)
{
	struct kv_error e;
	struct bid_limits d = quota_defaults();
	CHECK(d.files == 20 && d.bytes == 1024LL << 20 && d.max_bytes == 256LL << 20,
	      "defaults: 20 files, 1 GiB together, 256 MiB a file");
	CHECK(quota_limits_check(&d, &e) == KV_OK, "the defaults pass their own check");

	struct bid_limits l = d;
	l.files = 0;
	CHECK(quota_limits_check(&l, &e) == KV_INVALID && !strcmp(e.field, "quota_files"),
	      "no file at all is refused at quota_files");
	l.files = 1001;
	CHECK(quota_limits_check(&l, &e) == KV_INVALID && !strcmp(e.field, "quota_files"),
	      "1001 files is refused");
	l = d;
	l.bytes = (16384LL << 20) + 1;
	CHECK(quota_limits_check(&l, &e) == KV_INVALID && !strcmp(e.field, "quota_mib"),
	      "more than 16 GiB together is refused");
	l = d;
	l.max_bytes = 2048LL << 20;     /* 2 GiB a file, 1 GiB together */
	CHECK(quota_limits_check(&l, &e) == KV_INVALID && !strcmp(e.field, "quota_mib") &&
	      strstr(e.msg, "1024 MiB") && strstr(e.msg, "2048 MiB"),
	      "a total below the largest file is refused naming both");
	l.bytes = 2048LL << 20;
	CHECK(quota_limits_check(&l, &e) == KV_OK, "a total equal to the largest file passes");
	l = d;
	l.max_bytes = (2048LL << 20) + 1;
	CHECK(quota_limits_check(&l, &e) == KV_INVALID && !strcmp(e.field, "max_mib"),
	      "a file over 2 GiB is refused at max_mib");

	/* Two files of 3 MiB together: the limits of the API test. */
	struct bid_limits q = {.max_bytes = 2LL << 20, .files = 2, .bytes = 3LL << 20};
	struct quota_use none = {0};
	CHECK(quota_admit(&q, none, 2LL << 20, &e) == KV_OK, "the first file fits");
	struct quota_use one = {.files = 1, .bytes = 2LL << 20};
	CHECK(quota_admit(&q, one, 1LL << 20, &e) == KV_OK,
	      "a second of 1 MiB fits exactly: 2 + 1 = 3 MiB");
	CHECK(quota_admit(&q, one, (1LL << 20) + 1, &e) == KV_INVALID &&
	      !strcmp(e.field, "file") && strstr(e.msg, "3 MiB") && strstr(e.msg, "1 MiB are left"),
	      "one byte more is refused, naming the total and what is left");
	struct quota_use two = {.files = 2, .bytes = 1024};
	CHECK(quota_admit(&q, two, 1, &e) == KV_INVALID && strstr(e.msg, "at most 2 files") &&
	      strstr(e.msg, "holds 2"),
	      "a third file is refused by count, however small");
	struct quota_use part = {.files = 1, .bytes = (1LL << 20) + 1};
	CHECK(quota_admit(&q, part, 2LL << 20, &e) == KV_INVALID && strstr(e.msg, "holds 2 MiB"),
	      "what is held is rounded up (1 MiB and a byte is 2 MiB held)");
	CHECK(quota_admit(&q, none, 0, &e) == KV_OK, "a file not yet begun (0 bytes) fits");
	return tap_done();
}
