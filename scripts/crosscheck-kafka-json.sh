#!/usr/bin/env bash
# Cross-checks src/protocol/messages/*.ts against Apache Kafka's JSON message definitions.
# Usage: scripts/crosscheck-kafka-json.sh [apache|automq|DIR] [vitest args...]
#   apache (default): /work/.mirror/apache+kafka/repo (Oct 2024; newest versions may be missing)
#   automq:           /work/.mirror/AutoMQ+automq/repo (Kafka 3.9-era)
#   DIR:              an existing directory of *.json definitions
# Only versions present in both definitions are compared.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="${1:-apache}"
[ $# -gt 0 ] && shift
JSON_PATH=clients/src/main/resources/common/message
case "$SRC" in
  apache) REPO=/work/.mirror/apache+kafka/repo ;;
  automq) REPO=/work/.mirror/AutoMQ+automq/repo ;;
  *) REPO="" ;;
esac
if [ -n "$REPO" ]; then
  DIR=$(mktemp -d /tmp/kafka-json.XXXXXX)
  trap 'rm -rf "$DIR"' EXIT
  git --git-dir="$REPO" archive HEAD "$JSON_PATH" | tar -x -C "$DIR"
  DIR="$DIR/$JSON_PATH"
else
  DIR="$SRC"
fi
echo "Kafka JSON definitions: $(ls "$DIR"/*.json | wc -l) files in $DIR (from $SRC)"
KAFKA_MESSAGE_DIR="$DIR" npx vitest run test/protocol/kafka-json-crosscheck.test.ts "$@"
