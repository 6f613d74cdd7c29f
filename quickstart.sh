#!/usr/bin/env bash
# The main job: build, start the local trace server, run the PatchPilot demo under the agent
# three times after evaluating its Triage agent once, print the last run's trace and the links to look
# at, then keep serving.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<'EOF'
Usage: ./quickstart.sh [--exit] [--no-build] [--port N] [--data DIR] [--runs N] [--project ENTITY/PROJECT]

Builds Weft, starts the local trace server, runs the PatchPilot demo under -javaagent N times
(the first with an empty fix cache, so the runs improve) after evaluating its Triage agent
(--eval), prints the last run's root trace as a tree and the URLs of its trace view, of the
evaluation and of the dashboard, then serves until Ctrl-C.

  --exit       stop the server and exit when the runs are done
  --no-build   use the jars already built under */target
  --port N     the server's port (default 6345)
  --data DIR   the server's data directory (default weft-data)
  --runs N     how many demo runs (default 3)
  --project P  the project the runs go to (default local/patchpilot)
EOF
}

port=6345 data=weft-data runs=3 project=local/patchpilot exit_when_done= build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --exit) exit_when_done=1 ;;
    --no-build) build= ;;
    --port) port=${2:?--port needs a value}; shift ;;
    --data) data=${2:?--data needs a value}; shift ;;
    --runs) runs=${2:?--runs needs a value}; shift ;;
    --project) project=${2:?--project needs a value}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "quickstart: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ -n "$build" ]; then
  echo "==> building (mvn -q -DskipTests package)"
  mvn -q -B -DskipTests package
fi
case "$runs" in ''|*[!0-9]*|0) echo "quickstart: --runs needs a number of at least 1" >&2; exit 2 ;; esac
case "$port" in ''|*[!0-9]*) echo "quickstart: --port needs a number" >&2; exit 2 ;; esac
for jar in server/target/weft-server.jar agent/target/weft-agent.jar demo/target/weft-demo.jar; do
  [ -f "$jar" ] || { echo "quickstart: $jar is missing; run without --no-build" >&2; exit 1; }
done

url="http://127.0.0.1:$port"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "quickstart: port $port is taken (an earlier server?); stop it or pass --port" >&2
  exit 1
fi
mkdir -p "$data"
echo "==> starting the server: java -jar server/target/weft-server.jar serve --port $port --data $data"
java -jar server/target/weft-server.jar serve --port "$port" --data "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
trap 'echo; echo "stopping the server"; exit 0' INT TERM
for _ in $(seq 1 60); do
  grep -q "listening on" "$data/server.log" 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$data/server.log" >&2; echo "quickstart: the server did not start" >&2; exit 1; }
  sleep 0.5
done
grep -q "listening on" "$data/server.log" || { echo "quickstart: the server did not start in 30 s" >&2; exit 1; }

# First, so that the dashboard opens on the last demo run, not on the evaluation's.
echo "==> evaluating Triage: java -javaagent:agent/target/weft-agent.jar -jar demo/target/weft-demo.jar --eval"
java -javaagent:agent/target/weft-agent.jar \
  -Dweft.exporters=weave -Dweft.endpoint="$url" -Dweft.project="$project" \
  -Dweft.run.name=patchpilot-eval -Dweft.tags=demo,eval \
  -jar demo/target/weft-demo.jar --eval | tee "$data/last-eval.txt"

for i in $(seq 1 "$runs"); do
  fresh=; [ "$i" = 1 ] && fresh=--fresh-cache
  exporters=weave; [ "$i" = "$runs" ] && exporters=weave,console  # the last run also prints its tree
  echo "==> run $i of $runs: java -javaagent:agent/target/weft-agent.jar -jar demo/target/weft-demo.jar $fresh"
  java -javaagent:agent/target/weft-agent.jar \
    -Dweft.exporters="$exporters" -Dweft.endpoint="$url" -Dweft.project="$project" \
    -Dweft.run.name="patchpilot-$i" -Dweft.tags=demo \
    -jar demo/target/weft-demo.jar --cache "$data/patchpilot-fix-cache.tsv" $fresh | tee "$data/last-run.txt"
done

trace=$(sed -n 's/^trace: //p' "$data/last-run.txt" | tail -1)
evaluation=$(sed -n 's/^evaluation: //p' "$data/last-eval.txt" | tail -1)
echo
echo "Trace view:  $url/#/$project/traces/$trace"
echo "Evaluation:  $url/#/$project/evaluations/$evaluation"
echo "Dashboard:   $url/#/$project/dashboard"
echo "All calls:   $url/#/$project/calls"
if [ -n "$exit_when_done" ]; then exit 0; fi
echo
echo "Serving on $url (Ctrl-C to stop)."
wait $server
