#!/bin/sh
# Entry point wrapper: a replica set with authentication needs a shared keyfile even with one member.
# Generated once into the data volume (never committed), readable by mongod only, then the stock entrypoint.
set -eu
KEYFILE=/data/configdb/keyfile
if [ ! -s "$KEYFILE" ]; then
  head -c 756 /dev/urandom | base64 | tr -d '\n' > "$KEYFILE"
fi
chmod 400 "$KEYFILE"
chown mongodb:mongodb "$KEYFILE"
exec docker-entrypoint.sh "$@"
