/*
 * test_award_rules.c - unit tests of a lot's award rules as a JSON
 * document (app/award_rules.c): a full document read into the core's
 * structs (tree, weights, scales, marks, tie rule), its canonical form
 * read back to the same, every refusal naming its field, and the helpers
 * (keys, "under", step labels).  Messages are English: the test runs in
 * the C locale, so _() returns the msgid.
 */
#include <string.h>

#include "app/app.h"
#include "app/read_award.h"
#include "tap.h"

static const char RULES[] =
	"{\"method\": \"weighted\", \"price_scoring\": \"relative\","
	" \"price_weight_bp\": 4000, \"tie_rule\": \"criterion\","
	" \"tie_criterion\": \"team\", \"averaging\": true,"
	" \"criteria\": ["
	"  {\"key\": \"plan\", \"name\": \"Plan van aanpak\", \"weight_bp\": 6000},"
	"  {\"key\": \"plan-wijk\", \"parent\": \"plan\", \"name\": \"Wijk\","
	"   \"weight_bp\": 5000, \"description\": \"In de wijk.\","
	"   \"scale\": [{\"value_bp\": 0, \"meaning\": \"onvoldoende\"},"
	"             {\"value_bp\": 6000, \"meaning\": \"voldoende\"},"
	"             {\"value_bp\": 10000, \"meaning\": \"goed\"}]},"
	"  {\"key\": \"plan-samen\", \"parent\": \"plan\", \"name\": \"Samen\","
	"   \"weight_bp\": 5000, \"knock_out\": true,"
	"   \"scale\": [{\"value_bp\": 0}, {\"value_bp\": 2500}, {\"value_bp\": 10000}]},"
	"  {\"key\": \"team\", \"name\": \"Team\", \"weight_bp\": 4000, \"marks\": [1, 10]}"
	" ]}";

/* RULES with one substitution: the first `from` becomes `to`. */
static const char *with(arena *a, const char *from, const char *to)
{
	const char *at = strstr(RULES, from);
	if (!at)
		return "(substitution not found)";
	return arena_printf(a, "%.*s%s%s", (int)(at - RULES), RULES, to,
			    at + strlen(from));
}

static void refused(arena *a, const char *from, const char *to,
		    const char *field, const char *what)
{
	struct award_rules r;
	struct kv_error e = {0};
	enum kv_status st = app_award_rules_parse_text(a, with(a, from, to), &r,
						       &e);
	CHECK(st == KV_INVALID && strcmp(e.field, field) == 0,
	      "refused, naming %s: %s", field, what);
	if (st != KV_INVALID || strcmp(e.field, field) != 0)
		printf("#   status %d field \"%s\": %s\n", st, e.field, e.msg);
}

int main(void)
{
	arena *a = arena_new();
	struct award_rules r;
	struct kv_error e = {0};

	CHECK(app_award_rules_parse_text(a, RULES, &r, &e) == KV_OK,
	      "a full rule set is read (%s)", e.msg);
	CHECK(r.lot.method.kind == AWARD_WEIGHTED &&
	      r.lot.method.price_scoring == AWARD_PRICE_RELATIVE &&
	      r.lot.method.price_weight_bp == 4000, "the method and price weight");
	CHECK(r.lot.n_criteria == 4 && r.criteria[0].parent == -1 &&
	      r.criteria[1].parent == 0 && r.criteria[2].parent == 0 &&
	      r.criteria[3].parent == -1, "the tree: two top-level criteria, one with two children");
	CHECK(r.criteria[1].scale.n_steps == 3 && r.criteria[1].scale.value_bp[1] == 6000 &&
	      strcmp(r.criteria[1].scale.meaning[2], "goed") == 0, "a scale with its meanings");
	CHECK(r.criteria[3].scale.n_steps == 10 && r.criteria[3].scale.value_bp[0] == 1000 &&
	      r.criteria[3].scale.value_bp[9] == 10000, "marks 1..10 give steps of 10 %%");
	CHECK(r.criteria[2].knock_out && !r.criteria[1].knock_out, "the knock-out flag");
	CHECK(r.lot.tie_rule == AWARD_TIE_CRITERION && r.lot.tie_criterion_id == 3,
	      "the tie rule names its criterion");
	CHECK(r.averaging && r.price_after_quality, "averaging as given, prices sealed by default");
	CHECK_STR(r.descriptions[1], "In de wijk.", "a description");
	CHECK(app_award_key_index(&r, "team") == 3 && app_award_key_index(&r, "x") == -1 &&
	      app_award_key_index(&r, NULL) == -1, "keys find their index");
	CHECK(app_award_under(&r, 1, "plan") && app_award_under(&r, 0, "plan") &&
	      !app_award_under(&r, 3, "plan") && !app_award_under(&r, 1, "team"),
	      "a sub-criterion is under its parent, not under another");
	CHECK_STR(app_award_step_label(a, &r, 1, 1, ','), "60 % - voldoende", "a step's label with its meaning");
	CHECK_STR(app_award_step_label(a, &r, 2, 1, ','), "25 %", "a step without a meaning");
	CHECK_STR(app_award_step_label(a, &r, 1, 7, ','), "", "a step off the scale has no label");
	CHECK_STR(app_award_pct(a, 812500, ','), "81,25 %", "a score with a decimal comma (nl)");
	CHECK_STR(app_award_pct(a, 812500, '.'), "81.25 %", "a score with a decimal point (en)");
	CHECK_STR(app_award_pct(a, 840000, ','), "84 %", "a whole score without decimals");

	/* The canonical form reads back to the same rules. */
	json_t *j = app_award_rules_json(&r);
	char *text = json_dumps(j, JSON_SORT_KEYS);
	struct award_rules r2;
	CHECK(app_award_rules_parse_text(a, text, &r2, &e) == KV_OK, "the canonical form reads back");
	json_t *j2 = app_award_rules_json(&r2);
	CHECK(json_equal(j, j2), "to the same rules");
	free(text);
	json_decref(j);
	json_decref(j2);

	refused(a, "\"weighted\"", "\"cheapest\"", "method", "an unknown method");
	refused(a, "\"relative\"", "\"linear\"", "price_scoring", "an unknown price scoring");
	refused(a, "\"price_weight_bp\": 4000", "\"price_weight_bp\": 10001", "price_weight_bp",
		"a price weight above 100 %");
	refused(a, "\"tie_rule\": \"criterion\"", "\"tie_rule\": \"coin\"", "tie_rule", "an unknown tie rule");
	refused(a, "\"tie_criterion\": \"team\"", "\"tie_criterion\": \"teams\"", "tie_criterion",
		"a tie criterion that is no criterion");
	refused(a, "\"key\": \"plan-wijk\"", "\"key\": \"Plan Wijk\"", "criteria[1].key",
		"a key with capitals and a space");
	refused(a, "\"key\": \"plan-samen\"", "\"key\": \"plan-wijk\"", "criteria[2].key", "a key used twice");
	refused(a, "\"parent\": \"plan\", \"name\": \"Wijk\"", "\"parent\": \"team\", \"name\": \"Wijk\"",
		"criteria[1].parent", "a parent listed after its sub-criterion");
	refused(a, "\"name\": \"Team\"", "\"name\": \"\"", "criteria[3].name", "a criterion without a name");
	refused(a, "\"marks\": [1, 10]", "\"marks\": [10, 1]", "criteria[3].marks", "marks upside down");
	refused(a, "\"marks\": [1, 10]", "\"marks\": [1, 20]", "criteria[3].marks", "too many marks");
	refused(a, "{\"value_bp\": 2500}", "{\"value_bp\": 12500}", "criteria[2].scale[1].value_bp",
		"a scale value above 100 %");
	refused(a, "{\"value_bp\": 2500}", "{\"meaning\": \"x\"}", "criteria[2].scale[1]",
		"a step without its value");
	refused(a, "\"weight_bp\": 5000, \"knock_out\"", "\"weight_bp\": 4000, \"knock_out\"", "weight",
		"sub-criteria whose weights do not add up to 100 %");
	refused(a, "\"weight_bp\": 4000, \"marks\"", "\"weight_bp\": 0, \"marks\"", "criteria[3].weight_bp",
		"a weight of zero");
	refused(a, "\"criteria\": [", "\"criteria\": 7, \"x\": [", "criteria", "criteria that are no list");
	refused(a, "\"averaging\": true", "\"averaging\": \"yes\"", "averaging", "a flag that is no boolean");

	CHECK(app_award_rules_parse_text(a, "[1, 2]", &r, &e) == KV_INVALID &&
	      strcmp(e.field, "rules") == 0, "an array is no rule set");
	CHECK(app_award_rules_parse_text(a, "{\"method\": ", &r, &e) == KV_INVALID &&
	      strcmp(e.field, "rules") == 0 && strstr(e.msg, "line 1"), "broken JSON names where: %s", e.msg);
	CHECK(app_award_rules_parse_text(a, "{\"method\": \"lowest-price\", \"tie_rule\": "
					 "\"drawing\"}", &r, &e) == KV_OK &&
	      r.lot.n_criteria == 0, "the lowest price needs no criteria");
	CHECK(app_award_rules_parse_text(a, "{\"method\": \"quality-only\", \"tie_rule\": "
					 "\"drawing\", \"budget_cents\": 0, \"criteria\": [{\"key\": "
					 "\"a\", \"name\": \"A\", \"weight_bp\": 10000, \"marks\": [0, 10]}]}",
					 &r, &e) == KV_INVALID, "quality only needs a budget above zero");

	arena_free(a);
	return tap_done();
}
