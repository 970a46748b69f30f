#!/usr/bin/python3
"""Regenerate the botocore-extra SigV4 case folders (5-file suite format).

Run with Debian's /usr/bin/python3 (botocore 1.29.27). The .creq, .sts and
.authz come from botocore's SigV4Auth with the timestamp fixed, so they are
an independent check of the C signer on inputs the shared suite copy does
not cover. Not run by the tests: its output is checked in.
"""
import os
import sys
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = 'AKIDEXAMPLE'
SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
DATE = '20150830T123600Z'
TOKEN = ('AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQ'
         'WLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcG'
         'dQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75Y'
         'U9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBA'
         'z+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA'
         '==')
HOST = ('Host', 'example.amazonaws.com')
XDATE = ('X-Amz-Date', DATE)

# name, method, path, query params (or None), headers as written, body
CASES = [
    ('extra-get-header-value-trim', 'GET', '/', None,
     [HOST, ('My-Header1', ' value1'), ('My-Header2', ' "a   b   c"'), XDATE],
     b''),
    ('extra-get-header-value-tabs', 'GET', '/', None,
     [HOST, ('My-Header1', '\tvalue1 \t value2\t'), XDATE], b''),
    ('extra-get-vanilla-utf8-query', 'GET', '/', [('\u1234', 'bar')],
     [HOST, XDATE], b''),
    ('extra-get-query-reserved', 'GET', '/',
     [('a b', 'c+d'), ('k', 'x/y=z&'), ('empty', ''), ('a b', 'a')],
     [HOST, XDATE], b''),
    ('extra-get-slash-dot-slash', 'GET', '/./', None, [HOST, XDATE], b''),
    ('extra-get-path-encoded', 'GET', '/a/b%2Fc/./d e/..//f/', None,
     [HOST, XDATE], b''),
    ('extra-post-sts-header-before', 'POST', '/', None,
     [HOST, XDATE, ('X-Amz-Security-Token', TOKEN)], b''),
    ('extra-post-x-www-form-urlencoded-parameters', 'POST', '/', None,
     [('Content-Type', 'application/x-www-form-urlencoded; charset=utf8'),
      HOST, XDATE], b'Param1=value1'),
    ('extra-post-elasticache-describe-events', 'POST', '/', None,
     [('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'),
      HOST, XDATE],
     b'Action=DescribeEvents&Version=2015-02-02&SourceIdentifier=my+cluster'
     b'&SourceType=cache-cluster&StartTime=2023-01-10T09%3A15%3A42.512000Z'
     b'&Duration=60'),
]


def main(out_dir):
    creds = Credentials(AKID, SECRET)
    auth = SigV4Auth(creds, 'service', 'us-east-1')
    for name, method, path, params, headers, body in CASES:
        url = 'https://example.amazonaws.com' + path
        req = AWSRequest(method=method, url=url, headers=dict(headers),
                         data=body, params=params or {})
        req.context['timestamp'] = DATE
        creq = auth.canonical_request(req)
        sts = auth.string_to_sign(req, creq)
        sig = auth.signature(sts, req)
        authz = ('AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, '
                 'Signature=%s' % (auth.scope(req),
                                   auth.signed_headers(
                                       auth.headers_to_sign(req)), sig))
        target = path
        if params:
            target += '?' + '&'.join(
                quote(k, safe='') + '=' + quote(v, safe='')
                for k, v in params)
        head = '%s %s HTTP/1.1\n' % (method, target)
        head += '\n'.join('%s:%s' % h for h in headers)
        req_text = head.encode() + (b'\n\n' + body if body else b'')
        sreq = (head + '\nAuthorization: ' + authz).encode() + (
            b'\n\n' + body if body else b'')
        case = os.path.join(out_dir, name)
        os.makedirs(case, exist_ok=True)
        for ext, data in (('req', req_text), ('creq', creq.encode()),
                          ('sts', sts.encode()), ('authz', authz.encode()),
                          ('sreq', sreq)):
            with open(os.path.join(case, name + '.' + ext), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__)))
