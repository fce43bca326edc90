/* fuzz_intent: libFuzzer harness for the interpreter and a dialog turn (no catalog). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "intent.h"

#ifndef FUZZ_ASSETS
#define FUZZ_ASSETS "assets"
#endif

/* libFuzzer calls in one process: the vocabularies are loaded once. */
static souk_ref *ref;
static intent_vocab *vocab;
static dialog *dlg;

static const char *assets(void)
{
	const char *a = getenv("SOUK_ASSETS");
	return a && *a ? a : FUZZ_ASSETS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	souk_err e;
	if (!vocab) {
		ref = ref_load(assets(), &e);
		vocab = ref ? intent_vocab_load(ref, &e) : NULL;
		dlg = vocab ? dialog_new(NULL, ref, &e) : NULL;
		if (!vocab || !dlg) {
			fprintf(stderr, "fuzz_intent: %s\n", e.msg);
			abort();
		}
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;

	/* the first byte picks the question the dialog "asked" */
	intent_ctx ctx;
	intent_ctx_init(&ctx);
	if (size) {
		ctx.expect = (enum intent_expect)(data[0] % 7);
		ctx.last_country_field = (data[0] & 8) ? FF_SUPPLIER_COUNTRIES : FF_COUNT;
		ctx.have_suppliers = (data[0] & 16) != 0;
	}
	intent_result r;
	intent_result_init(&r);
	intent_parse(vocab, text, &ctx, &r);
	souk_filter f;
	filter_init(&f);
	filter_apply(&f, &r.delta);
	char *json = filter_to_json(&f);
	free(json);
	filter_free(&f);
	intent_result_free(&r);

	/* a turn of a conversation, then the same text again on that state */
	souk_filter empty;
	filter_init(&empty);
	dialog_set_filter(dlg, &empty);
	filter_free(&empty);
	for (int i = 0; i < 2; i++) {
		dialog_reply rep;
		if (dialog_turn(dlg, text, &rep, &e) == 0)
			dialog_reply_free(&rep);
	}
	free(text);
	return 0;
}

#ifdef FUZZ_MAIN
/* Without libFuzzer: run the harness over files named on the command line. */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
