#!/bin/sh
# Session save per turn and big-shortlist exports (figures only).
"$top_builddir/tests/bench/bench_shortlist" 2000
