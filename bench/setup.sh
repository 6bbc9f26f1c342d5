#!/usr/bin/env bash
# What `make bench` needs beyond the project's virtualenv: Debian's wrk, and LiteLLM in a
# virtualenv of its own (skipped with a message, not an error, when it cannot be installed).
set -u
cd "$(dirname "$0")"
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing Debian wrk (the load generator)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null \
    || { echo "bench: wrk could not be installed (apt-get install wrk)" >&2; exit 1; }
fi
VENV=.venv-litellm
REQ=litellm-requirements.txt
if [ -x "$VENV/bin/litellm" ] && cmp -s "$REQ" "$VENV/requirements.txt"; then
  exit 0
fi
echo "installing $(grep -v '^#' "$REQ") into bench/$VENV (about a minute, once)"
rm -rf "$VENV"
if python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --upgrade pip \
   && "$VENV/bin/pip" install -q -r "$REQ"; then
  cp "$REQ" "$VENV/requirements.txt"
else
  mkdir -p "$VENV"
  echo "pip could not install $(grep -v '^#' "$REQ")" > "$VENV/SKIPPED"
  echo "bench: LiteLLM could not be installed; its arm will be skipped" >&2
fi
exit 0
