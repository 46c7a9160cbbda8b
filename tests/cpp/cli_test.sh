#!/usr/bin/env bash
# ctest cli_ndjson: tests/cpp/cli_test.sh <path-to-ringi-cli> <fixtures dir>
# Drives ringi-cli with NDJSON and compares the interesting parts of each answer line.
set -u
CLI="$1"
FIX="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fail=0
check() {  # check <description> <actual> <expected substring>
  if [[ "$2" != *"$3"* ]]; then
    echo "FAIL: $1"; echo "  expected to contain: $3"; echo "  actual: $2"; fail=1
  else
    echo "ok: $1"
  fi
}

# --- seed 003: single status change, then the bulk example ----------------------------------
out="$("$CLI" --workspace "$FIX/seed003_workspace.json" --export "$TMP/seed.json" <<'REQ'
{"user":"Administrator","method":"PUT","path":"/k/v1/record/status.json","body":{"app":1,"id":1001,"action":"申请","assignee":"user2","revision":1}}
this is not json
{"user":"Administrator","method":"PUT","path":"/k/v1/records/status.json","body":{"app":1,"records":[{"id":1002,"action":"批准"},{"id":1003,"action":"拒绝","revision":5}]}}

{"user":"Administrator","method":"PUT","path":"/k/v1/record/status.json","body":{"app":1,"id":1001,"action":"批准","revision":1}}
{"user":"Administrator","method":"GET","path":"/k/v1/nothing.json"}
{"user":"Administrator","method":"POST","path":"/k/v1/bulkRequest.json","body":{"requests":[{"method":"PUT","api":"/k/v1/record.json","payload":{"app":1,"id":1001,"record":{"标题":{"value":"x"}}}},{"method":"PUT","api":"/k/v1/record/status.json","payload":{"app":1,"id":1001,"action":"no such action"}}]}}
REQ
)"
mapfile -t lines <<<"$out"
check "seed 003 single status" "${lines[0]}" '{"status":200,"body":{"revision":"3"}}'
check "malformed line" "${lines[1]}" '{"status":400,"body":{"code":"CB_IJ01"'
check "seed 003 bulk status" "${lines[2]}" '{"status":200,"body":{"records":[{"id":"1002","revision":"9"},{"id":"1003","revision":"7"}]}}'
check "revision conflict (zh)" "${lines[3]}" '"code":"GAIA_CO02"'
check "unknown path" "${lines[4]}" '{"status":404,"body":{"code":"CB_NF01"'
check "bulk failure shape" "${lines[5]}" '"body":{"results":[{},{"code":"GAIA_IL03"'
check "line count" "${#lines[@]}" "6"
check "export written" "$(head -c 200 "$TMP/seed.json")" '"users":[{"code":"Administrator"'

# --- export -> import -> export is the identity ------------------------------------------------
"$CLI" --workspace "$TMP/seed.json" --export "$TMP/seed2.json" </dev/null
if cmp -s "$TMP/seed.json" "$TMP/seed2.json"; then echo "ok: export identity"; else echo "FAIL: export identity"; fail=1; fi

# --- expense workspace: batch approval runs to completion between requests -------------------
out="$("$CLI" --seed 7 --clock 1700000000000 --workspace "$FIX/expense_workspace.json" <<'REQ'
{"user":"sato","method":"GET","path":"/batch_approvals/_tasks?user_id=sato"}
REQ
)"
check "tasks listed" "$out" '"record_id":"1"'
ids="$(printf '%s' "$out" | grep -o '"task_id":"[0-9a-f]*"' | sed 's/"task_id"://' | paste -sd, -)"
out="$("$CLI" --seed 7 --clock 1700000000000 --workspace "$FIX/expense_workspace.json" <<REQ
{"user":"sato","method":"POST","path":"/batch_approvals/_check?user_id=sato","body":[$ids]}
{"user":"sato","method":"POST","path":"/batch_approvals/_submit?user_id=sato","body":[]}
{"user":"sato","method":"POST","path":"/batch_approvals/_check?user_id=nobody","body":[$ids]}
{"user":"sato","method":"POST","path":"/batch_approvals/_submit?user_id=sato","body":[$ids]}
{"user":"sato","method":"GET","path":"/k/v1/records.json?app=1&query=%E3%82%B9%E3%83%86%E3%83%BC%E3%82%BF%E3%82%B9%20%3D%20%22%E5%AE%8C%E4%BA%86%22&fields[0]=%24id"}
REQ
)"
mapfile -t lines <<<"$out"
check "check answers an array" "${lines[0]}" '{"status":200,"body":[{"supported":true'
check "condition not met is reported" "${lines[0]}" '"reason_code":"condition_not_met"'
check "empty id list" "${lines[1]}" '{"status":400,"body":{"code":"CB_VA01"'
check "another user's user_id is refused" "${lines[2]}" '{"status":403,"body":{"code":"CB_NO02"'
check "submit answers a batch number" "${lines[3]}" '{"status":200,"body":{"batch_number":"'
check "batch ran before the next request" "${lines[4]}" '{"status":200,"body":{"records":[{"$id":{"type":"__ID__","value":"1"}}]'
num="$(printf '%s' "${lines[3]}" | grep -o '"batch_number":"[0-9a-f]*"' | sed 's/.*:"//; s/"//')"
out="$("$CLI" --seed 7 --clock 1700000000000 --workspace "$FIX/expense_workspace.json" <<REQ
{"user":"sato","method":"POST","path":"/batch_approvals/_submit?user_id=sato","body":[$ids]}
{"user":"sato","method":"GET","path":"/batch_approvals/_submit?user_id=sato&batch_number=$num"}
{"user":"li","method":"GET","path":"/batch_approvals/_submit?user_id=li&batch_number=$num"}
REQ
)"
mapfile -t lines <<<"$out"
check "progress" "${lines[1]}" '"total":2,"processed":2,"failed_tasks":["'
check "progress state" "${lines[1]}" '"state":"partially_completed","succeeded":1'
check "other user's batch (zh)" "${lines[2]}" '{"status":404,"body":{"code":"RINGI_BA01"'

# --- bounded work: a query of 20,000 nested parentheses, a deep JSON body, a huge index ---------
# (the query once overflowed the native stack: SIGSEGV). Each gets an error line; the CLI goes on.
deep="$(printf '%.0s(' $(seq 20000))金額 < 1$(printf '%.0s)' $(seq 20000))"
deep_query="$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$deep")"
deep_json="$(printf '%.0s[' $(seq 100000))$(printf '%.0s]' $(seq 100000))"
out="$("$CLI" --workspace "$FIX/expense_workspace.json" <<REQ
{"user":"sato","method":"GET","path":"/k/v1/records.json?app=1&query=$deep_query"}
{"user":"sato","method":"PUT","path":"/k/v1/record.json","body":{"app":1,"id":1,"record":$deep_json}}
{"user":"sato","method":"GET","path":"/k/v1/records.json?app=1&fields[50000000]=a"}
{"user":"sato","method":"GET","path":"/k/v1/record.json?app=1&id=1"}
REQ
)"
rc=$?
mapfile -t lines <<<"$out"
check "deep query: exit status" "$rc" "0"
check "deep query: an error line" "${lines[0]}" '{"status":400,"body":{"code":"CB_VA01"'
check "deep query: the depth named" "${lines[0]}" '"errors":{"query":{"messages":["括弧の入れ子は32階層までです。"]}}'
check "deep JSON body" "${lines[1]}" '{"status":400,"body":{"code":"CB_IJ01"'
check "huge index" "${lines[2]}" '"errors":{"fields[50000000]":{"messages":["配列の添字は499までです。"]}}'
check "served after" "${lines[3]}" '{"status":200,"body":{"record":'

exit $fail
