#!/usr/bin/python3
"""Make the reference outputs of a response body made here, the way the
shared reference set was made: the real clients parse the body.

  /usr/bin/python3 tests/data/wire/capture.py OPERATION NAME

reads tests/data/wire/NAME.response.xml and writes, next to it,
- NAME.queryparser.json: botocore.parsers.QueryParser().parse() of the body
  with OPERATION's output shape (Debian's python3-botocore), timestamps as
  datetime.isoformat(), HTTP metadata as the shared set has it;
- NAME.awscli-2.9.19.json: exactly what /usr/bin/aws (AWS CLI 2.9.19)
  printed with --output json when a listener on 127.0.0.1 answered its
  request with the body (describes run with --no-paginate, so a Marker is
  printed and not followed).

Only loopback is used. Run it again after editing a body, and review the
diff: the outputs are the reference, not the library's.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.session
from botocore.parsers import QueryParser

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = {
    'DescribeReplicationGroups': ['describe-replication-groups',
                                  '--no-paginate'],
    'ModifyReplicationGroup': ['modify-replication-group',
                               '--replication-group-id', 'rg-sessions',
                               '--primary-cluster-id', 'rg-sessions-002',
                               '--apply-immediately'],
    'ListTagsForResource': ['list-tags-for-resource', '--resource-name',
                            'arn:aws:elasticache:us-east-1:123456789012:'
                            'cluster:demo-memcached'],
}


class Canned(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = self.server.body
        self.send_response(200)
        self.send_header('Content-Type', 'text/xml')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('x-amzn-RequestId',
                         '5c1fb9e6-8c1a-4ad1-9a49-000000000000')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    op, name = sys.argv[1], sys.argv[2]
    base = os.path.join(HERE, name)
    body = open(base + '.response.xml', 'rb').read()
    model = botocore.session.get_session().get_service_model('elasticache')
    shape = model.operation_model(op).output_shape
    parsed = QueryParser().parse(
        {'body': body, 'headers': {}, 'status_code': 200}, shape)
    with open(base + '.queryparser.json', 'w') as f:
        json.dump(parsed, f, indent=2, default=lambda d: d.isoformat())
        f.write('\n')
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Canned)
    srv.body = body
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp()
    empty = os.path.join(tmp, 'empty')
    open(empty, 'w').close()
    env = {'PATH': '/usr/bin:/bin', 'HOME': tmp, 'LC_ALL': 'C.UTF-8',
           'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
           'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
           'AWS_DEFAULT_REGION': 'us-east-1', 'AWS_CONFIG_FILE': empty,
           'AWS_SHARED_CREDENTIALS_FILE': empty, 'AWS_PAGER': '',
           'AWS_EC2_METADATA_DISABLED': 'true', 'TZ': 'UTC'}
    url = 'http://127.0.0.1:%d' % srv.server_address[1]
    out = subprocess.run(['/usr/bin/aws', 'elasticache'] + ARGS[op] +
                         ['--endpoint-url', url, '--output', 'json'],
                         env=env, capture_output=True, check=True).stdout
    with open(base + '.awscli-2.9.19.json', 'wb') as f:
        f.write(out)
    srv.shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
