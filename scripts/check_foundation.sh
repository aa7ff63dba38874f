#!/usr/bin/env bash
# The foundation check (issue 2): ingest the seed twice, compare exports, validate, ingest into a remote store.
# Usage: scripts/check_foundation.sh CHECKOUT_DIR VENV_DIR   (needs ../shared beside the checkout)
set -u
cd "$1"; V="$2/bin"; T=$(mktemp -d)
export KG_STORE=$T/store
$V/kg ingest ../shared/seed/nafta-talks-2018.json; echo "ingest1 rc=$?"
$V/kg export --format nquads -o $T/a.nq; echo "export1 rc=$?"
$V/kg ingest ../shared/seed/nafta-talks-2018.json; echo "ingest2 rc=$?"
$V/kg export --format nquads -o $T/b.nq
cmp $T/a.nq $T/b.nq && echo "exports identical"
echo "quads: $(wc -l < $T/a.nq) unique: $(sort -u $T/a.nq | wc -l)"
echo "article graph quads: $(grep -c '<https://w3id.org/claimgraph/graph/article/nafta-talks-2018>' $T/a.nq)"
$V/kg validate | head -3; echo "validate rc=${PIPESTATUS[0]}"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
$V/oxigraph serve --location $T/remote --bind 127.0.0.1:$PORT >/dev/null 2>&1 & P=$!
sleep 2
KG_STORE=http://127.0.0.1:$PORT/query $V/kg ingest ../shared/seed/nafta-talks-2018.json; echo "remote ingest rc=$?"
KG_STORE=http://127.0.0.1:$PORT/query $V/kg export --format nquads -o $T/r.nq
echo "remote quads: $(wc -l < $T/r.nq)"
kill $P
