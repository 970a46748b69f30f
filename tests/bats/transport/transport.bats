#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Transport, retry and fault behaviour of libelasticache against the
# simulator, through the ec_call driver (tests/unit/transport/ec_call.c):
# keep-alive, botocore standard retries, the never-resend-a-reboot rule,
# timeouts, TLS verification, proxies, the response cap and signing.

load ../../lib/common

TOKEN_AK=ASIAEXAMPLETOKENKEY
TOKEN_SK=tokenSecretKeyForTheSimulatorTests0123456
TOKEN=IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN+/=

setup_file() {
    [[ -x $EC_BIN/ec_call ]] || skip "ec_call not built in $EC_BIN"
    sim_start --reboot-seconds 1 \
        --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" \
        --identity "$TOKEN_AK:$TOKEN_SK:$TOKEN"
}

teardown_file() {
    sim_stop
}

setup() {
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
}

# Number of logged API requests for an action.
count() {
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(sys.stdin) if r["action"] == sys.argv[1]))' "$1"
}

fault() {
    sim_ctl POST /_sim/fault "$1" >/dev/null
}

call() {
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" "$@"
}

@test "keep-alive: several pages and calls use one TCP connection" {
    call --stats --summary --repeat 3 describe-cache-clusters --max-records 20 --all
    [ "$status" -eq 0 ]
    [[ $output == *"clusters 30"* ]]
    # 2 pages x 3 calls, one connection.
    [[ $output == *"requests=6 connections=1 "* ]]
    [ "$(count DescribeCacheClusters)" -eq 6 ]
}

@test "pagination: a Marker loop returns every cluster once" {
    call --summary describe-cache-clusters --max-records 20 --all
    [ "$status" -eq 0 ]
    [ "$(grep -c '^cluster ' <<<"$output")" -eq 30 ]
    [ "$(grep '^cluster ' <<<"$output" | sort -u | wc -l)" -eq 30 ]
    call --summary describe-cache-clusters --max-records 20
    [[ $output == *"clusters 20"* ]]
    [[ $output == *"marker "* ]]
}

@test "throttling then success: retried, succeeds on the third attempt" {
    fault '{"action":"DescribeCacheClusters","kind":"throttle","count":2}'
    call --stats --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"cluster demo-redis available"* ]]
    [ "$(count DescribeCacheClusters)" -eq 3 ]
    # Backoff slept between attempts: at most 1 s, then at most 2 s.
    slept=$(sed -n 's/.* slept=\([0-9.]*\).*/\1/p' <<<"$output")
    /usr/bin/python3 -c "import sys; assert 0 < float(sys.argv[1]) <= 3" "$slept"
}

@test "503 is retried and given up after 3 attempts (standard mode)" {
    fault '{"action":"*","kind":"error","status":503,"code":"ServiceUnavailable","count":10}'
    call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [[ $output == *"An error occurred (ServiceUnavailable) when calling the DescribeCacheClusters operation"* ]]
    [[ $output == *"attempts=3"* ]]
    [ "$(count DescribeCacheClusters)" -eq 3 ]
}

@test "AWS_MAX_ATTEMPTS=1 makes one attempt, =5 makes five" {
    fault '{"action":"*","kind":"error","status":500,"code":"InternalFailure","count":20}'
    AWS_MAX_ATTEMPTS=1 call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
    sim_ctl DELETE /_sim/requests >/dev/null
    AWS_MAX_ATTEMPTS=5 call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [[ $output == *"attempts=5"* ]]
    [ "$(count DescribeCacheClusters)" -eq 5 ]
}

@test "AWS_RETRY_MODE=legacy makes five attempts; a bad mode is a config error" {
    fault '{"action":"*","kind":"throttle","count":20}'
    AWS_RETRY_MODE=legacy call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [[ $output == *"(Throttling)"* ]]
    [ "$(count DescribeCacheClusters)" -eq 5 ]
    AWS_RETRY_MODE=fast call --no-sleep describe-cache-clusters
    [ "$status" -eq 3 ]
    [[ $output == *'Invalid value provided to "mode": "fast"'* ]]
}

@test "client errors are not retried" {
    call --no-sleep describe-cache-clusters --cache-cluster-id no-such-cluster
    [ "$status" -eq 5 ]
    [[ $output == *"(CacheClusterNotFound)"* ]]
    [[ $output == *"http_status=404"* ]]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
}

@test "RebootCacheCluster is not sent again after a reset once processed" {
    fault '{"action":"RebootCacheCluster","kind":"reset","count":1,"after_processing":true}'
    call --no-sleep reboot-cache-cluster --cache-cluster-id fleet-001 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 6 ]
    [[ $output == *"Connection was closed before we received a valid response"* ]]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(count RebootCacheCluster)" -eq 1 ]
}

@test "RebootCacheCluster on a kept-alive connection is not resent by curl after a reset" {
    # curl silently resends a request when a reused connection dies before
    # any answer; a reboot must therefore run on its own connection.
    fault '{"action":"RebootCacheCluster","kind":"reset","count":1,"after_processing":true}'
    call --no-sleep --warm reboot-cache-cluster --cache-cluster-id fleet-007 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 6 ]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
    [ "$(count RebootCacheCluster)" -eq 1 ]
}

@test "connect timeout: EC_ERR_TIMEOUT; a reboot that never connected is retried" {
    # A listener whose accept queue is full: SYNs are dropped, connect hangs.
    /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
fill = []
for i in range(3):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(s.getsockname())
    except BlockingIOError: pass
    fill.append(c)
print(s.getsockname()[1], flush=True)
time.sleep(30)
' >"$EC_TMP/blackhole.port" 3>&- &
    pid=$!
    wait_until 30 "the blackhole's port" test -s "$EC_TMP/blackhole.port"
    port=$(cat "$EC_TMP/blackhole.port")
    run "$EC_BIN/ec_call" --endpoint-url "http://127.0.0.1:$port" --connect-timeout 1 --no-sleep \
        reboot-cache-cluster --cache-cluster-id fleet-008 --cache-node-ids-to-reboot 0001
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    [ "$status" -eq 7 ]
    [[ $output == *"Connect timeout on endpoint URL"* ]]
    [[ $output == *"attempts=3"* ]]
    [[ $output == *"maybe_sent=false"* ]]
}

@test "RebootCacheCluster is not sent again after a 503 or a read timeout" {
    fault '{"action":"RebootCacheCluster","kind":"error","status":503,"code":"ServiceUnavailable","count":5}'
    call --no-sleep reboot-cache-cluster --cache-cluster-id fleet-002 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 5 ]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(count RebootCacheCluster)" -eq 1 ]
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    fault '{"action":"RebootCacheCluster","kind":"delay","seconds":4,"count":1,"after_processing":true}'
    call --no-sleep --read-timeout 1 reboot-cache-cluster --cache-cluster-id fleet-003 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 7 ]
    [[ $output == *"Read timeout on endpoint URL"* ]]
    [[ $output == *"maybe_sent=true"* ]]
    [ "$(count RebootCacheCluster)" -eq 1 ]
}

@test "RebootCacheCluster is retried when throttled (refused, not processed)" {
    fault '{"action":"RebootCacheCluster","kind":"throttle","count":1}'
    call --no-sleep --summary reboot-cache-cluster --cache-cluster-id fleet-004 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 0 ]
    [[ $output == *"cluster fleet-004 rebooting cache cluster nodes"* ]]
    [ "$(count RebootCacheCluster)" -eq 2 ]
}

@test "RebootCacheCluster is retried after a refused connection" {
    # Nothing listens on the port: the request provably never arrived.
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    run "$EC_BIN/ec_call" --endpoint-url "http://127.0.0.1:$port" --no-sleep --stats \
        reboot-cache-cluster --cache-cluster-id fleet-005 --cache-node-ids-to-reboot 0001
    [ "$status" -eq 6 ]
    [[ $output == *"Could not connect to the endpoint URL"* ]]
    [[ $output == *"attempts=3"* ]]
    [[ $output == *"maybe_sent=false"* ]]
}

@test "read timeout: a silent server is EC_ERR_TIMEOUT; a describe is retried" {
    fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":4,"count":1}'
    SECONDS=0
    call --read-timeout 1 --max-attempts 1 describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 7 ]
    [[ $output == *"Read timeout on endpoint URL"* ]]
    [ "$SECONDS" -lt 4 ]
    fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":4,"count":1}'
    call --no-sleep --summary --read-timeout 1 describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"cluster demo-redis"* ]]
}

@test "TLS: verification is on by default and fails without the CA" {
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_HTTPS_URL" --no-sleep describe-cache-clusters
    [ "$status" -eq 6 ]
    [[ $output == *"SSL validation failed for $SIM_HTTPS_URL/"* ]]
    [[ $output == *"attempts=1"* ]]
}

@test "TLS: works with --ca-bundle, AWS_CA_BUNDLE, a profile ca_bundle, or --no-verify-ssl" {
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_HTTPS_URL" --ca-bundle "$SIM_CA" --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"cluster demo-redis"* ]]
    AWS_CA_BUNDLE=$SIM_CA run "$EC_BIN/ec_call" --endpoint-url "$SIM_HTTPS_URL" --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    printf '[default]\nca_bundle = %s\n' "$SIM_CA" >"$EC_TMP/tls-config"
    AWS_CONFIG_FILE=$EC_TMP/tls-config run "$EC_BIN/ec_call" --endpoint-url "$SIM_HTTPS_URL" --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_HTTPS_URL" --no-verify-ssl --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(sim_ctl GET /_sim/requests | /usr/bin/python3 -c 'import json,sys; print(sum(r["scheme"]=="https" for r in json.load(sys.stdin)))')" -eq 4 ]
}

@test "response size cap: a larger response is EC_ERR_PARSE, not retried" {
    call --max-response-bytes 1000 describe-cache-clusters
    [ "$status" -eq 8 ]
    [[ $output == *"response too large: more than 1000 bytes"* ]]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
}

@test "truncated response: a describe is retried and succeeds" {
    fault '{"action":"DescribeCacheClusters","kind":"truncate","count":1}'
    call --no-sleep --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"cluster demo-redis"* ]]
    [ "$(count DescribeCacheClusters)" -eq 2 ]
}

@test "session token: signed, accepted, never printed by --debug" {
    AWS_ACCESS_KEY_ID=$TOKEN_AK AWS_SECRET_ACCESS_KEY=$TOKEN_SK AWS_SESSION_TOKEN=$TOKEN \
        call --debug --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"cluster demo-redis"* ]]
    [[ $output == *"x-amz-security-token:****"* ]]
    [[ $output == *"content-type;host;x-amz-date;x-amz-security-token"* ]]
    [[ $output != *"$TOKEN"* ]]
    [[ $output != *"$TOKEN_SK"* ]]
    sim_ctl GET /_sim/requests | grep -q '"signature": "ok"'
    # The legacy variable name works too.
    AWS_ACCESS_KEY_ID=$TOKEN_AK AWS_SECRET_ACCESS_KEY=$TOKEN_SK AWS_SECURITY_TOKEN=$TOKEN \
        call --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    # Without the token the identity is refused.
    AWS_ACCESS_KEY_ID=$TOKEN_AK AWS_SECRET_ACCESS_KEY=$TOKEN_SK \
        call --no-sleep describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 5 ]
}

@test "wrong secret: SignatureDoesNotMatch, not retried, secret not shown" {
    AWS_SECRET_ACCESS_KEY=notTheRightSecretKeyAtAll0000000000000000 \
        call --debug --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [[ $output == *"An error occurred (SignatureDoesNotMatch) when calling the DescribeCacheClusters operation"* ]]
    [[ $output == *"http_status=403"* ]]
    [[ $output != *"notTheRightSecretKeyAtAll"* ]]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
}

@test "proxies: http_proxy is used, NO_PROXY bypasses it" {
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    http_proxy=http://127.0.0.1:$port call --no-sleep --max-attempts 1 describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 6 ]
    [[ $output == *"Could not connect"* ]]
    [ "$(count DescribeCacheClusters)" -eq 0 ]
    http_proxy=http://127.0.0.1:$port NO_PROXY=127.0.0.1 call --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
}

@test "invalid ids are rejected before any request" {
    call reboot-cache-cluster --cache-cluster-id Bad--Id --cache-node-ids-to-reboot 0001
    [ "$status" -eq 2 ]
    [[ $output == *"two consecutive hyphens"* ]]
    [[ $output == *"operation=RebootCacheCluster"* ]]
    call reboot-cache-cluster --cache-cluster-id fleet-006 --cache-node-ids-to-reboot 1
    [ "$status" -eq 2 ]
    [[ $output == *"it must have exactly 4"* ]]
    call describe-cache-clusters --cache-cluster-id 9lives
    [ "$status" -eq 2 ]
    [ "$(count '*')" -eq 0 ]
    [ "$(sim_ctl GET /_sim/requests)" = "[]" ]
}

@test "headers: User-Agent, amz-sdk-request and invocation id as botocore sends" {
    fault '{"action":"DescribeCacheClusters","kind":"throttle","count":1}'
    call --no-sleep --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, re, sys
reqs = [r for r in json.load(sys.stdin) if r["action"] == "DescribeCacheClusters"]
assert len(reqs) == 2, reqs
h1 = {k.lower(): v for k, v in reqs[0]["headers"].items()}
h2 = {k.lower(): v for k, v in reqs[1]["headers"].items()}
assert re.match(r"libelasticache/\d+\.\d+\.\d+ \(", h1["user-agent"]), h1
assert h1["amz-sdk-request"] == "attempt=1; max=3", h1
assert h2["amz-sdk-request"] == "attempt=2; max=3", h2
assert h1["amz-sdk-invocation-id"] == h2["amz-sdk-invocation-id"]
assert re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", h1["amz-sdk-invocation-id"])
assert h1["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
assert h1["accept-encoding"] == "identity", h1
assert "accept" not in h1 and "expect" not in h1, h1
assert "SignedHeaders=content-type;host;x-amz-date," in h1["authorization"], h1
'
}

@test "pagination: a marker handed back twice is an error, not an endless loop" {
    # A stand-in server (no signature check) whose every page says "more".
    : >"$EC_TMP/pager.log" # EC_TMP may be shared by several runs
    /usr/bin/python3 -c '
import http.server, sys
BODY = (b"<DescribeCacheClustersResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\">"
        b"<DescribeCacheClustersResult><Marker>same-marker</Marker><CacheClusters><CacheCluster>"
        b"<CacheClusterId>c1</CacheClusterId></CacheCluster></CacheClusters></DescribeCacheClustersResult>"
        b"<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeCacheClustersResponse>")
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[1], "a") as f:
            f.write("request\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
' "$EC_TMP/pager.log" >"$EC_TMP/pager.port" 3>&- &
    pid=$!
    wait_until 30 "the stand-in server's port" test -s "$EC_TMP/pager.port"
    run "$EC_BIN/ec_call" --endpoint-url "http://127.0.0.1:$(cat "$EC_TMP/pager.port")" \
        describe-cache-clusters --all
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    [ "$status" -eq 8 ]
    [[ $output == *"The same next token was received twice: {'Marker': 'same-marker'}"* ]]
    [[ $output == *"operation=DescribeCacheClusters"* ]]
    [ "$(wc -l <"$EC_TMP/pager.log")" -eq 2 ]
}

@test "config files: a profile's keys, region and endpoint_url reach the simulator" {
    printf '[profile simp]\nregion = us-east-1\nendpoint_url = %s\n' "$SIM_URL" >"$EC_TMP/p-config"
    printf '[simp]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >"$EC_TMP/p-creds"
    run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_REGION -u AWS_DEFAULT_REGION \
        AWS_CONFIG_FILE="$EC_TMP/p-config" AWS_SHARED_CREDENTIALS_FILE="$EC_TMP/p-creds" \
        "$EC_BIN/ec_call" --profile simp --debug --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [[ $output == *"Profile simp, region us-east-1, endpoint $SIM_URL, credentials from shared-credentials-file"* ]]
    [[ $output == *"cluster demo-redis"* ]]
    # A named profile that does not exist, and no region at all.
    run env AWS_CONFIG_FILE="$EC_TMP/p-config" AWS_PROFILE=nosuch "$EC_BIN/ec_call" describe-cache-clusters
    [ "$status" -eq 3 ]
    [[ $output == *"The config profile (nosuch) could not be found"* ]]
    run env -u AWS_REGION -u AWS_DEFAULT_REGION "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" describe-cache-clusters
    [ "$status" -eq 3 ]
    [[ $output == *'You must specify a region. You can also configure your region by running "aws configure".'* ]]
    run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" describe-cache-clusters
    [ "$status" -eq 4 ]
    [[ $output == *'Unable to locate credentials. You can configure credentials by running "aws configure".'* ]]
    [ "$(count '*')" -eq 0 ]
}

@test "AWS_ENDPOINT_URL_ELASTICACHE beats AWS_ENDPOINT_URL; the option beats both" {
    AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_ELASTICACHE=$SIM_URL \
        run "$EC_BIN/ec_call" --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    AWS_ENDPOINT_URL_ELASTICACHE=http://127.0.0.1:9 \
        run "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" --summary describe-cache-clusters --cache-cluster-id demo-redis
    [ "$status" -eq 0 ]
    [ "$(count DescribeCacheClusters)" -eq 2 ]
}

@test "legacy and standard modes retry different errors, as botocore's tables say" {
    # 429 with a code outside the standard list: legacy retries, standard not.
    fault '{"action":"*","kind":"error","status":429,"code":"TooManyRequests","count":20}'
    call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
    sim_ctl DELETE /_sim/requests >/dev/null
    AWS_RETRY_MODE=legacy call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [ "$(count DescribeCacheClusters)" -eq 5 ]
    # LimitExceededException: a throttling code in standard mode only.
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    fault '{"action":"*","kind":"error","status":400,"code":"LimitExceededException","count":20}'
    call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [ "$(count DescribeCacheClusters)" -eq 3 ]
    sim_ctl DELETE /_sim/requests >/dev/null
    AWS_RETRY_MODE=legacy call --no-sleep describe-cache-clusters
    [ "$status" -eq 5 ]
    [ "$(count DescribeCacheClusters)" -eq 1 ]
}
