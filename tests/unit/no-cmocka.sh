#!/bin/sh
echo "souk: the unit tests need cmocka (Debian: apt-get install libcmocka-dev; Fedora: dnf install libcmocka-devel; Homebrew: brew install cmocka)" >&2
exit 1
