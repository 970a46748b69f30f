# SPDX-License-Identifier: Apache-2.0
"""credsim: the credential services the ElastiCache simulator stands in for.

Loaded by ecsim.py, served on the same 127.0.0.1 ports, reached through the
variables every AWS SDK documents:

- STS (AWS_ENDPOINT_URL_STS): AssumeRole, SigV4-verified with botocore
  against the caller's credentials and session token; and
  AssumeRoleWithWebIdentity, unsigned, checking the token's content.
- IMDS (AWS_EC2_METADATA_SERVICE_ENDPOINT): IMDSv2 tokens (PUT with a TTL),
  the role, its credentials, the availability zone; IMDSv1 (no token)
  accepted only when switched on.
- Container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI): any path
  under /container/, the Authorization header checked.
- SSO portal (AWS_ENDPOINT_URL_SSO): GetRoleCredentials with the
  x-amz-sso_bearer_token checked.

Each issues short-lived credentials (lifetime in seconds, configurable)
that the ElastiCache endpoint accepts until they expire and then refuses
with ExpiredToken, so refresh is testable in seconds. See README.md.
"""

import datetime
import hmac
import json
import re
import secrets
import string
import threading
import urllib.parse
import uuid
from xml.sax.saxutils import escape as xml_escape

STS_VERSION = "2011-06-15"
STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"
DEFAULT_ACCOUNT = "123456789012"
DEFAULTS = {
    # seconds the issued credentials live (negative: already expired)
    "lifetime": 3600.0,
    # IMDS
    "imds_v1": False,  # answer requests without an IMDSv2 token
    "imds_token_status": 200,  # status of the token PUT (403/404/405: v1 only)
    "imds_role": "ecsim-instance-role",  # "" : the instance has no role
    "imds_region": None,  # None: the sim's --region
    "imds_code": "Success",  # another Code: EC2 could not assume the role
    # web identity, container, SSO
    "web_identity_token": "ecsim-web-identity-token",
    "container_token": None,  # None: no Authorization required
    "sso_token": "ecsim-sso-access-token",
    "sso_account_id": DEFAULT_ACCOUNT,
    "sso_role_name": "EcsimSsoRole",
    # STS
    "deny_roles": [],  # role ARNs AssumeRole* refuses with AccessDenied
}
ROLE_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
SESSION_RE = re.compile(r"^[\w+=,.@-]{2,64}$")
MASKED_HEADERS = ("authorization", "x-aws-ec2-metadata-token", "x-amz-sso_bearer_token", "x-amz-security-token")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def iso(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_text(prefix, n, alphabet=string.ascii_letters + string.digits):
    return prefix + "".join(secrets.choice(alphabet) for _ in range(n))


def add_arguments(parser):
    g = parser.add_argument_group("credential services (credsim.py)")
    g.add_argument("--credential-seconds", type=float, default=DEFAULTS["lifetime"],
                   help="lifetime of the credentials STS, IMDS, containers and SSO issue (default 3600)")
    g.add_argument("--imds-v1", action="store_true", help="IMDS answers requests without a token")
    g.add_argument("--web-identity-token", default=DEFAULTS["web_identity_token"],
                   help="the token AssumeRoleWithWebIdentity accepts")
    g.add_argument("--container-token", default=None,
                   help="the Authorization value the container endpoint requires (default: none)")
    g.add_argument("--sso-token", default=DEFAULTS["sso_token"],
                   help="the bearer token GetRoleCredentials accepts")


class CredError(Exception):
    def __init__(self, status, code, message, sender=True):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.sender = sender


class CredSim:
    """The credential endpoints and the table of credentials the sim
    accepts (static ones from --identity, issued ones with an expiry)."""

    def __init__(self, sim, args, static_identities):
        self.sim = sim
        self.args = args
        self.lock = threading.Lock()
        self.static = dict(static_identities)  # ak -> (sk, token)
        # ak -> (sk, token, expires or None): read by ecsim's Verifier.
        self.identities = {}
        self.issued = []
        self.imds_tokens = {}
        self.config = {}
        self.reset()

    # -- state -----------------------------------------------------------
    def reset(self):
        with self.lock:
            self.config = dict(DEFAULTS)
            self.config["deny_roles"] = []
            self.config["lifetime"] = float(self.args.credential_seconds)
            self.config["imds_v1"] = bool(self.args.imds_v1)
            self.config["web_identity_token"] = self.args.web_identity_token
            self.config["container_token"] = self.args.container_token
            self.config["sso_token"] = self.args.sso_token
            self.identities.clear()
            for ak, (sk, token) in self.static.items():
                self.identities[ak] = (sk, token, None)
            self.issued = []
            self.imds_tokens = {}

    def set_config(self, data):
        with self.lock:
            for k, v in data.items():
                if k not in DEFAULTS:
                    raise ValueError("unknown credential setting %r (one of %s)" % (k, ", ".join(sorted(DEFAULTS))))
                if k == "lifetime":
                    v = float(v)
                elif k == "imds_token_status":
                    v = int(v)
                elif k == "imds_v1":
                    v = bool(v)
                elif k == "deny_roles" and not isinstance(v, list):
                    raise ValueError("deny_roles must be a list")
                self.config[k] = v
            return dict(self.config)

    def issue(self, source, detail):
        """New credentials for `source` ("AssumeRole", "IMDS", ...)."""
        with self.lock:
            lifetime = self.config["lifetime"]
            now = utcnow()
            expires = now + datetime.timedelta(seconds=lifetime)
            ak = random_text("ASIASIM", 13, string.ascii_uppercase + string.digits)
            sk = random_text("SIMSECRET", 31)
            token = random_text("SIMTOKEN", 600)
            self.identities[ak] = (sk, token, expires)
            self.issued.append({"source": source, "detail": detail, "AccessKeyId": ak,
                                "SecretAccessKey": sk, "SessionToken": token,
                                "Issued": iso(now), "Expiration": iso(expires)})
            return ak, sk, token, expires

    def snapshot(self):
        with self.lock:
            return {"config": dict(self.config), "issued": list(self.issued)}

    # -- routing -----------------------------------------------------------
    def dispatch(self, handler, path, body):
        """Serve the request if it is one of the credential services.
        Returns False to let ecsim's ElastiCache API have it."""
        method = handler.command
        if path.startswith("/latest/"):
            self._serve(handler, imds_action(path), lambda: self._imds(handler, method, path))
            return True
        if path.startswith("/container/") or path == "/container":
            self._serve(handler, "ContainerCredentials", lambda: self._container(handler, method))
            return True
        if path.rstrip("/").endswith("/federation/credentials"):
            self._serve(handler, "GetRoleCredentials", lambda: self._sso(handler, method))
            return True
        if method == "POST" and body:
            pairs = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            if pairs.get("Version") == STS_VERSION:
                self._sts(handler, path, body, pairs)
                return True
        return False

    def _entry(self, handler, action, params=None):
        headers = {}
        for k, v in handler.headers.items():
            headers[k] = "****" if k.lower() in MASKED_HEADERS else v
        entry = {"seq": None, "time": iso(utcnow()), "action": action, "method": handler.command,
                 "path": urllib.parse.urlsplit(handler.path).path, "scheme": "https" if handler.server.tls else "http",
                 "params": params or {}, "status": None, "error_code": None, "signature": None,
                 "access_key": None, "request_id": str(uuid.uuid4()), "fault": None, "headers": headers}
        self.sim.record(entry)
        return entry

    def _serve(self, handler, action, fn):
        entry = self._entry(handler, action)
        try:
            status, ctype, body, extra = fn()
        except CredError as e:
            status, body = e.status, json.dumps({"message": e.message}).encode()
            ctype, extra = "application/json", {"x-amzn-ErrorType": e.code}
            self.sim.update(entry, status=status, error_code=e.code)
            handler._send(status, body, ctype, entry["request_id"], extra)
            return
        self.sim.update(entry, status=status)
        handler._send(status, body, ctype, entry["request_id"], extra)

    # -- IMDS ---------------------------------------------------------------
    def _imds(self, handler, method, path):
        with self.lock:
            cfg = dict(self.config)
        if path == "/latest/api/token":
            if method != "PUT":
                return 405, "text/plain", b"", {}
            status = int(cfg["imds_token_status"])
            if status != 200:
                return status, "text/plain", b"", {}
            ttl = handler.headers.get("x-aws-ec2-metadata-token-ttl-seconds")
            try:
                ttl = int(ttl)
            except (TypeError, ValueError):
                return 400, "text/plain", b"", {}
            if not 1 <= ttl <= 21600:
                return 400, "text/plain", b"", {}
            token = random_text("SIMIMDSTOKEN", 40)
            with self.lock:
                self.imds_tokens[token] = utcnow() + datetime.timedelta(seconds=ttl)
            return 200, "text/plain", token.encode(), {"x-aws-ec2-metadata-token-ttl-seconds": str(ttl)}
        if method != "GET":
            return 405, "text/plain", b"", {}
        token = handler.headers.get("x-aws-ec2-metadata-token")
        if token is not None:
            with self.lock:
                expires = self.imds_tokens.get(token)
            if expires is None or expires < utcnow():
                return 401, "text/plain", b"", {}
        elif not cfg["imds_v1"]:
            return 401, "text/plain", b"", {}
        prefix = "/latest/meta-data/iam/security-credentials"
        if path.rstrip("/") == "/latest/meta-data/placement/availability-zone":
            region = cfg["imds_region"] or self.sim.args.region
            return 200, "text/plain", (region + "a").encode(), {}
        if path.rstrip("/") == prefix:
            if not cfg["imds_role"]:
                return 404, "text/plain", b"", {}
            return 200, "text/plain", cfg["imds_role"].encode(), {}
        if path.startswith(prefix + "/"):
            role = path[len(prefix) + 1:]
            if not cfg["imds_role"] or role != cfg["imds_role"]:
                return 404, "text/plain", b"", {}
            now = utcnow()
            if cfg["imds_code"] != "Success":
                doc = {"Code": cfg["imds_code"], "Message": "EC2 cannot assume the role %s." % role,
                       "LastUpdated": iso(now)}
                return 200, "application/json", json.dumps(doc, indent=2).encode(), {}
            ak, sk, tok, expires = self.issue("IMDS", role)
            doc = {"Code": "Success", "LastUpdated": iso(now), "Type": "AWS-HMAC", "AccessKeyId": ak,
                   "SecretAccessKey": sk, "Token": tok, "Expiration": iso(expires)}
            return 200, "text/plain", json.dumps(doc, indent=2).encode(), {}
        return 404, "text/plain", b"", {}

    # -- container ------------------------------------------------------------
    def _container(self, handler, method):
        with self.lock:
            want = self.config["container_token"]
        if method != "GET":
            raise CredError(405, "MethodNotAllowed", "GET only")
        if want is not None:
            got = handler.headers.get("Authorization")
            if got is None or not hmac.compare_digest(got.encode(), want.encode()):
                raise CredError(401, "Unauthorized", "The authorization token is not valid.")
        ak, sk, tok, expires = self.issue("ContainerCredentials", handler.path)
        doc = {"RoleArn": "arn:aws:iam::%s:role/ecsim-task-role" % DEFAULT_ACCOUNT, "AccessKeyId": ak,
               "SecretAccessKey": sk, "Token": tok, "Expiration": iso(expires)}
        return 200, "application/json", json.dumps(doc).encode(), {}

    # -- SSO portal -------------------------------------------------------------
    def _sso(self, handler, method):
        with self.lock:
            cfg = dict(self.config)
        if method != "GET":
            raise CredError(405, "MethodNotAllowed", "GET only")
        qs = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query)
        token = handler.headers.get("x-amz-sso_bearer_token")
        if token is None or not hmac.compare_digest(token.encode(), cfg["sso_token"].encode()):
            raise CredError(401, "UnauthorizedException", "Session token not found or invalid")
        account = (qs.get("account_id") or [""])[0]
        role = (qs.get("role_name") or [""])[0]
        if not account or not role:
            raise CredError(400, "InvalidRequestException", "role_name and account_id are required")
        if account != cfg["sso_account_id"] or role != cfg["sso_role_name"]:
            raise CredError(403, "ForbiddenException", "No access")
        ak, sk, tok, expires = self.issue("GetRoleCredentials", "%s/%s" % (account, role))
        doc = {"roleCredentials": {"accessKeyId": ak, "secretAccessKey": sk, "sessionToken": tok,
                                   "expiration": int(expires.timestamp() * 1000)}}
        return 200, "application/json", json.dumps(doc).encode(), {}

    # -- STS ----------------------------------------------------------------------
    def _sts(self, handler, path, body, pairs):
        action = pairs.get("Action")
        params = {k: v for k, v in pairs.items() if k not in ("Action", "Version")}
        if "WebIdentityToken" in params:
            params["WebIdentityToken"] = "****"
        entry = self._entry(handler, action or "STS", params)
        rid = entry["request_id"]
        try:
            if action == "AssumeRole":
                entry["access_key"] = self._verify_sts(handler, body, entry)
                xml = self._assume_role(pairs, rid)
            elif action == "AssumeRoleWithWebIdentity":
                entry["signature"] = "unsigned"
                xml = self._assume_role_with_web_identity(pairs, rid)
            else:
                raise CredError(400, "InvalidAction", "Could not find operation %s for version %s"
                                % (action, STS_VERSION))
        except CredError as e:
            out = ['<ErrorResponse xmlns="%s">' % STS_XMLNS, "  <Error>",
                   "    <Type>%s</Type>" % ("Sender" if e.sender else "Receiver"),
                   "    <Code>%s</Code>" % xml_escape(e.code),
                   "    <Message>%s</Message>" % xml_escape(e.message), "  </Error>",
                   "  <RequestId>%s</RequestId>" % rid, "</ErrorResponse>"]
            self.sim.update(entry, status=e.status, error_code=e.code)
            handler._send(e.status, ("\n".join(out) + "\n").encode(), "text/xml", rid)
            return
        self.sim.update(entry, status=200)
        handler._send(200, xml, "text/xml", rid)

    def _verify_sts(self, handler, body, entry):
        verifier = self.sim.sts_verifier
        scheme = "https" if handler.server.tls else "http"
        host = handler.headers.get("Host", "127.0.0.1")
        url = "%s://%s%s" % (scheme, host, handler.path)
        try:
            ak = verifier.verify(handler.command, url, list(handler.headers.items()), body)
        except Exception as e:  # ecsim.ApiError
            entry["signature"] = getattr(e, "code", "error")
            raise CredError(getattr(e, "status", 403), getattr(e, "code", "InvalidClientTokenId"),
                            getattr(e, "message", str(e)))
        entry["signature"] = "ok"
        return ak

    def _check_role(self, pairs):
        arn = pairs.get("RoleArn", "")
        name = pairs.get("RoleSessionName", "")
        if not ROLE_ARN_RE.match(arn):
            raise CredError(400, "ValidationError", "%r is not a valid role ARN" % arn)
        if not SESSION_RE.match(name):
            raise CredError(400, "ValidationError",
                            "1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*" % name)
        duration = pairs.get("DurationSeconds")
        if duration is not None:
            try:
                d = int(duration)
            except ValueError:
                raise CredError(400, "ValidationError", "DurationSeconds must be a number")
            if not 900 <= d <= 43200:
                raise CredError(400, "ValidationError",
                                "1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy "
                                "constraint: Member must have value between 900 and 43200" % d)
        with self.lock:
            denied = arn in self.config["deny_roles"]
        if denied:
            raise CredError(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole on "
                            "resource: %s" % arn)
        return arn, name

    def _role_result(self, action, arn, name, creds, extra, rid):
        ak, sk, tok, expires = creds
        role = arn.split("/")[-1]
        account = arn.split(":")[4]
        out = ['<%sResponse xmlns="%s">' % (action, STS_XMLNS), "  <%sResult>" % action]
        out.extend("    " + x for x in extra)
        out += ["    <AssumedRoleUser>",
                "      <AssumedRoleId>AROASIM%s:%s</AssumedRoleId>" % (account[-6:], xml_escape(name)),
                "      <Arn>arn:aws:sts::%s:assumed-role/%s/%s</Arn>" % (account, xml_escape(role),
                                                                          xml_escape(name)),
                "    </AssumedRoleUser>",
                "    <Credentials>",
                "      <AccessKeyId>%s</AccessKeyId>" % ak,
                "      <SecretAccessKey>%s</SecretAccessKey>" % sk,
                "      <SessionToken>%s</SessionToken>" % tok,
                "      <Expiration>%s</Expiration>" % iso(expires),
                "    </Credentials>",
                "  </%sResult>" % action,
                "  <ResponseMetadata>",
                "    <RequestId>%s</RequestId>" % rid,
                "  </ResponseMetadata>",
                "</%sResponse>" % action]
        return ("\n".join(out) + "\n").encode()

    def _assume_role(self, pairs, rid):
        arn, name = self._check_role(pairs)
        creds = self.issue("AssumeRole", arn)
        return self._role_result("AssumeRole", arn, name, creds, ["<PackedPolicySize>6</PackedPolicySize>"], rid)

    def _assume_role_with_web_identity(self, pairs, rid):
        token = pairs.get("WebIdentityToken")
        with self.lock:
            want = self.config["web_identity_token"]
        if not token:
            raise CredError(400, "ValidationError", "WebIdentityToken is required")
        if not hmac.compare_digest(token.encode(), want.encode()):
            raise CredError(400, "InvalidIdentityToken",
                            "The web identity token that was passed could not be validated by AWS. Get a new "
                            "identity token from the identity provider and then retry the request.")
        arn, name = self._check_role(pairs)
        creds = self.issue("AssumeRoleWithWebIdentity", arn)
        extra = ["<SubjectFromWebIdentityToken>system:serviceaccount:ecsim:ci</SubjectFromWebIdentityToken>",
                 "<Audience>sts.amazonaws.com</Audience>",
                 "<Provider>arn:aws:iam::%s:oidc-provider/oidc.ecsim.local</Provider>" % DEFAULT_ACCOUNT]
        return self._role_result("AssumeRoleWithWebIdentity", arn, name, creds, extra, rid)

    # -- control API (/_sim/creds) --------------------------------------------
    def control(self, handler, parts, method, data):
        """parts after "creds". Returns True when handled."""
        if parts == [] and method == "GET":
            handler._json(200, self.snapshot())
        elif parts == [] and method == "POST":
            handler._json(200, self.set_config(data or {}))
        elif parts == ["issued"] and method == "GET":
            handler._json(200, self.snapshot()["issued"])
        else:
            return False
        return True


def imds_action(path):
    """The request log's name for an IMDS request."""
    if path == "/latest/api/token":
        return "IMDS:token"
    if path.rstrip("/") == "/latest/meta-data/iam/security-credentials":
        return "IMDS:role"
    if path.startswith("/latest/meta-data/iam/security-credentials/"):
        return "IMDS:credentials"
    if path.rstrip("/") == "/latest/meta-data/placement/availability-zone":
        return "IMDS:region"
    return "IMDS"
