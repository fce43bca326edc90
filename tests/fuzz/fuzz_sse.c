/* fuzz_sse: libFuzzer harness for the SSE parser: the input, fed whole and in pieces, must give the
 * same events. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sse.h"

static int record(void *ud, const sse_event *ev)
{
	strbuf *log = ud;

	if (strlen(ev->event) > SSE_MAX_LINE || ev->len > SSE_MAX_LINE)
		abort();
	sb_add(log, ev->event);
	sb_addc(log, '\0');
	sb_addn(log, ev->data, ev->len);
	sb_addc(log, '\0');
	return 0;
}

/* Feeds data in pieces whose sizes come from the input's own bytes. */
static enum sse_end run(const uint8_t *data, size_t size, int split, strbuf *log)
{
	sse_parser p;
	size_t i = 0;
	enum sse_end end;

	sse_init(&p);
	while (i < size) {
		size_t n = split ? (size_t)(1 + data[i] % 17) : size;
		if (n > size - i)
			n = size - i;
		if (sse_feed(&p, (const char *)data + i, n, record, log) != 0)
			break;
		i += n;
	}
	end = sse_finish(&p);
	sse_free(&p);
	return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	strbuf a, b;
	enum sse_end ea, eb;

	sb_init(&a);
	sb_init(&b);
	ea = run(data, size, 0, &a);
	eb = run(data, size, 1, &b);
	/* where the chunks end must not change what the stream says */
	if (ea != eb || a.len != b.len || (a.len && memcmp(a.s, b.s, a.len) != 0))
		abort();
	sb_free(&a);
	sb_free(&b);
	return 0;
}

#ifdef FUZZ_MAIN
/* Without libFuzzer: run the harness over files named on the command line. */
int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];

	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		size_t n;

		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
