#!/usr/bin/env bash
# W7 and W8, interleaved: reference, Java (default JVM), Java (tuned flags; for the server under
# JS clients also the README's server flags), ROUNDS times.
# One JSON line per run, prefixed by its configuration, in OUT (default w78-results.jsonl);
# then `node summarize.mjs OUT` prints the medians. Run from bench-js/ after building the jar
# (mvn -pl samples -am package -DskipTests).
#   ROUNDS=3 OUT=w78.jsonl ./interleave.sh
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-w78-results.jsonl}
JAR=${JAR:-../samples/target/cojson-samples.jar}
TUNED="-XX:+UseSerialGC -Xms96m -Xmn16m -Xmx256m -Xss512k -XX:TieredStopAtLevel=1"
SERVER="-XX:+UseSerialGC -Xms96m -Xmx256m -Xss512k" # the README's server flags
run() { # config, command...
  local config=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local line
  if line=$(timeout 600 "$@" 2>/dev/null | tail -n 1) && [ -n "$line" ]; then
    echo "{\"config\":\"$config\",\"load1\":$load,\"result\":$line}" | tee -a "$OUT"
  else
    echo "{\"config\":\"$config\",\"load1\":$load,\"failed\":true}" | tee -a "$OUT"
  fi
}
for r in $(seq 1 "$ROUNDS"); do
  run "W7 a: JS clients, ref server" node w7.mjs --server=ref
  run "W7 b: JS clients, Java server (default)" node w7.mjs --server=java --jar="$JAR"
  run "W7 c: Java clients, Java server (default)" java -jar "$JAR" bench W7 --server=java
  run "W7 d: Java clients, ref server (default)" java -jar "$JAR" bench W7 --server=ref --interop-dir=.
  run "W7 b: JS clients, Java server (tuned)" node w7.mjs --server=java --jar="$JAR" --java-opts="$TUNED"
  run "W7 b: JS clients, Java server (server flags)" node w7.mjs --server=java --jar="$JAR" --java-opts="$SERVER"
  run "W7 c: Java clients, Java server (tuned)" java $TUNED -jar "$JAR" bench W7 --server=java
  run "W8 ref (SQLite)" node w8.mjs
  run "W8 Java (MapDB, default)" java -jar "$JAR" bench W8
  run "W8 Java (MapDB, tuned)" java $TUNED -jar "$JAR" bench W8
done
