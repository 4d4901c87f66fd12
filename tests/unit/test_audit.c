/*
 * test_audit.c - the hash chain of core/audit.c: a known vector (computed
 * independently from the documented encoding), that every field is
 * covered, that the length prefixes keep fields apart, and hex output.
 * The store's side (append, verify, tampering) is in test_store.c.
 */
#include <sodium.h>
#include <string.h>

#include "core/audit.h"
#include "tap.h"

static struct audit_event sample(void)
{
	struct audit_event ev;
	memset(&ev, 0, sizeof ev);
	ev.seq = 1;
	ev.at = 1656669600; /* 2022-07-01 10:00:00 UTC */
	ev.actor = 7;
	ev.tenant_id = 3;
	ev.action = "stage.complete";
	ev.object = "procedure/3/stage/7";
	ev.before = "";
	ev.after = "{\"status\":\"completed\"}";
	return ev;
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	char hex[2 * AUDIT_HASH_LEN + 1];

	/* A known vector: SHA-256 of "kavel-audit-v1" || prev || u64be seq,
	 * at, actor, tenant || (u64be length || bytes) of action, object,
	 * before, after. */
	struct audit_event ev = sample();
	audit_seal(&ev);
	audit_hex(ev.hash, hex);
	CHECK_STR(hex,
		  "33c062af18b41ebe79c80a12cd841b3396d5d62efa5cb9d7179f0f25"
		  "2b91eb3e", "sealed hash matches the documented encoding");
	CHECK(strlen(hex) == 64, "hex is 64 characters");
	CHECK(audit_check(&ev), "a sealed event checks");

	struct audit_event next;
	memset(&next, 0, sizeof next);
	next.seq = 2;
	next.at = 1656669601;
	next.action = "system.start";
	memcpy(next.prev, ev.hash, AUDIT_HASH_LEN);
	audit_seal(&next);
	audit_hex(next.hash, hex);
	CHECK_STR(hex,
		  "4aa81ff6d6bc160a379d88a8193282abb85de7602961341770490b8e"
		  "a6f48871", "second event chains on the first; NULL "
		  "strings hash as empty");
	CHECK(audit_check(&next), "the second event checks");

	/* NULL and "" are the same to the hash (the store keeps ""). */
	struct audit_event a = next;
	a.object = "";
	a.before = "";
	a.after = "";
	CHECK(audit_check(&a), "NULL and empty strings hash alike");

	/* Every field is covered. */
	struct audit_event t;
	t = ev; t.seq = 2;
	CHECK(!audit_check(&t), "changing seq breaks the hash");
	t = ev; t.at++;
	CHECK(!audit_check(&t), "changing the time breaks the hash");
	t = ev; t.actor = 8;
	CHECK(!audit_check(&t), "changing the actor breaks the hash");
	t = ev; t.tenant_id = 0;
	CHECK(!audit_check(&t), "changing the tenant breaks the hash");
	t = ev; t.action = "stage.move";
	CHECK(!audit_check(&t), "changing the action breaks the hash");
	t = ev; t.object = "procedure/3/stage/8";
	CHECK(!audit_check(&t), "changing the object breaks the hash");
	t = ev; t.before = "{}";
	CHECK(!audit_check(&t), "changing before breaks the hash");
	t = ev; t.after = "{\"status\":\"planned\"}";
	CHECK(!audit_check(&t), "changing after breaks the hash");
	t = ev; t.prev[31] ^= 1;
	CHECK(!audit_check(&t), "changing prev breaks the hash");
	t = ev; t.hash[0] ^= 0x80;
	CHECK(!audit_check(&t), "a flipped bit of the hash is found");

	/* Length prefixes: moving a character between fields changes it. */
	struct audit_event x = ev, y = ev;
	x.action = "ab";
	x.object = "c";
	y.action = "a";
	y.object = "bc";
	audit_seal(&x);
	audit_seal(&y);
	CHECK(memcmp(x.hash, y.hash, AUDIT_HASH_LEN) != 0,
	      "fields cannot run into each other");

	/* Sealing is deterministic and depends on prev. */
	struct audit_event p1 = ev, p2 = ev;
	audit_seal(&p1);
	CHECK(memcmp(p1.hash, ev.hash, AUDIT_HASH_LEN) == 0,
	      "sealing twice gives the same hash");
	p2.prev[0] = 1;
	audit_seal(&p2);
	CHECK(memcmp(p1.hash, p2.hash, AUDIT_HASH_LEN) != 0,
	      "the hash depends on the previous hash");

	/* Large values encode as unsigned 64-bit without trouble. */
	struct audit_event big = ev;
	big.seq = INT64_MAX;
	big.at = -1;
	audit_seal(&big);
	CHECK(audit_check(&big), "extreme numbers seal and check");

	unsigned char zeros[AUDIT_HASH_LEN] = {0};
	audit_hex(zeros, hex);
	CHECK_STR(hex,
		  "0000000000000000000000000000000000000000000000000000000000"
		  "000000", "hex of zeros");

	/* Checkpoints: signed, read back, and any change refused. */
	unsigned char pk[AUDIT_ANCHOR_PK_LEN], sk[AUDIT_ANCHOR_SK_LEN];
	crypto_sign_keypair(pk, sk);
	struct audit_checkpoint cp = {.seq = 41, .at = 1656669600};
	memcpy(cp.hash, ev.hash, AUDIT_HASH_LEN);
	char line[AUDIT_ANCHOR_LINE_MAX], err[200] = "";
	CHECK(audit_checkpoint_sign(&cp, sk, line, sizeof line) == 0, "a checkpoint is signed");
	CHECK(strncmp(line, "kavel-anchor v1 seq=41 hash=", 28) == 0 &&
	      strstr(line, " at=2022-07-01T10:00:00Z key=") && line[strlen(line) - 1] == '\n',
	      "as one line");
	CHECK(memcmp(cp.pk, pk, sizeof pk) == 0, "naming the signer's public key");
	struct audit_checkpoint back;
	CHECK(audit_checkpoint_parse(line, &back, err, sizeof err) == 0, "it reads back (%s)", err);
	CHECK(back.seq == 41 && back.at == 1656669600 &&
	      memcmp(back.hash, ev.hash, AUDIT_HASH_LEN) == 0 && memcmp(back.pk, pk, sizeof pk) == 0,
	      "with its seq, time, hash and key");
	/* One changed character anywhere breaks it. */
	int refused = 0, tried = 0;
	for (size_t i = 0; i + 1 < strlen(line); i++) {
		char bad[AUDIT_ANCHOR_LINE_MAX];
		memcpy(bad, line, strlen(line) + 1);
		bad[i] = bad[i] == '1' ? '2' : '1';
		tried++;
		refused += audit_checkpoint_parse(bad, &back, err, sizeof err) != 0;
	}
	CHECK(refused == tried, "every one-character change is refused (%d of %d)", refused, tried);
	char seq042[AUDIT_ANCHOR_LINE_MAX + 8];
	snprintf(seq042, sizeof seq042, "kavel-anchor v1 seq=041%s", line + 22);
	CHECK(audit_checkpoint_parse(seq042, &back, err, sizeof err) != 0,
	      "another spelling of the same number is refused: %s", err);
	/* Signed by another key, with that key named: valid on its own; the
	 * caller checks the key (kavel audit verify --anchor). */
	unsigned char pk2[AUDIT_ANCHOR_PK_LEN], sk2[AUDIT_ANCHOR_SK_LEN];
	crypto_sign_keypair(pk2, sk2);
	struct audit_checkpoint other = cp;
	char line2[AUDIT_ANCHOR_LINE_MAX];
	audit_checkpoint_sign(&other, sk2, line2, sizeof line2);
	CHECK(audit_checkpoint_parse(line2, &back, err, sizeof err) == 0 &&
	      memcmp(back.pk, pk2, sizeof pk2) == 0, "another key's checkpoint names that key");
	/* The first key's name on the second key's signature: refused. */
	char forged[AUDIT_ANCHOR_LINE_MAX];
	char *sig2 = strstr(line2, " sig=");
	char *sig1 = strstr(line, " sig=");
	size_t head = (size_t)(sig1 - line);
	memcpy(forged, line, head);
	snprintf(forged + head, sizeof forged - head, "%s", sig2);
	CHECK(audit_checkpoint_parse(forged, &back, err, sizeof err) != 0,
	      "a signature by another key than the one named is refused");
	CHECK(audit_checkpoint_parse("kavel-anchor v1 seq=1 hash=00", &back, err, sizeof err) != 0 &&
	      audit_checkpoint_parse("", &back, err, sizeof err) != 0 &&
	      audit_checkpoint_parse("hello\n", &back, err, sizeof err) != 0,
	      "cut or foreign lines are refused");

	return tap_done();
}
