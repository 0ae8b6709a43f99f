#!/bin/sh
# Healthcheck of the single-node replica set: initiates it on first run, then reports whether this node
# is primary. Transactions (outbox, inbox) need a replica set even with one member.
set -eu
mongosh --quiet --host 127.0.0.1 \
  --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" \
  --authenticationDatabase admin --eval '
    try { rs.status(); } catch (e) {
      rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] });
    }
    quit(db.hello().isWritablePrimary ? 0 : 1);
  '
