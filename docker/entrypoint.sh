#!/bin/sh
# `serve` first brings the database to the migrations' head; any other command runs as is
# (e.g. `docker compose run --rm app db backup --out /backups/jcm.tar`).
set -e
if [ "$1" = "serve" ]; then
    jcm db upgrade
fi
exec jcm "$@"
