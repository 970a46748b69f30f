#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test of the whole `elasticache` CLI against the AWS CLI v2
(/usr/bin/aws) on the simulator: --query, --output, the output settings,
--cli-input-json/yaml, file:// and --generate-cli-skeleton.

  cli_diff.py --cli BIN --sim-url URL GROUP... [--seed S] [--aws-sample N]
              [--show N] [--list]

Each case is one command line run by both CLIs against the same simulator
state; their stdout bytes and exit status must be equal, and for the cases
that say so, their stderr too (exactly, or its last line where the usage
text names the program). Groups:

  default      the default fixture (30 clusters: auto-paging, --page-size,
               --max-items, --starting-token, --no-paginate, --max-records)
  captured     the clusters of tests/data/wire's captured aws response
  random       clusters and events made from the service model (the
               generator of tests/diff/diff_random.py, parsed by botocore)
  events       describe-events
  groups       describe-replication-groups (queries, formats, input file)
  errors       bad expressions, search errors, empty results
  settings     AWS_DEFAULT_OUTPUT, the profile's output key, --color
  input        --cli-input-json/yaml, file://, fileb://, validation
  skeleton     --generate-cli-skeleton input|yaml-input|output
  commands     reboot-cache-cluster and wait with every format

The AWS CLI runs in this process: its own entry point
(awscli.clidriver.AWSCLIEntryPoint().main, what /usr/bin/aws calls), one
fresh driver and botocore session per case, stdout and stderr captured as
text writers; only the service model loader is shared between cases, which
saves ~0.1 s a case. With --aws-sample N, N cases of every group (and all
--color cases) also run through the real /usr/bin/aws executable, which
must print exactly what the in-process run printed.
"""
import argparse
import base64
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)

import awscli.clidriver  # noqa: E402
import botocore.session  # noqa: E402

# ---------------------------------------------------------------------
# The AWS CLI, in process
# ---------------------------------------------------------------------

_LOADER = {}
_session_init = botocore.session.Session.__init__


def _shared_loader_init(self, *args, **kwargs):
    _session_init(self, *args, **kwargs)
    if 'loader' in _LOADER:
        self._components.register_component('data_loader', _LOADER['loader'])
    else:
        _LOADER['loader'] = self.get_component('data_loader')


botocore.session.Session.__init__ = _shared_loader_init
# argparse names the program after argv[0], as /usr/bin/aws's is "aws".
sys.argv[0] = 'aws'


def aws_inprocess(args, env):
    saved_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    out_b, err_b = io.BytesIO(), io.BytesIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = io.TextIOWrapper(out_b, encoding='utf-8', errors='strict',
                                  write_through=True)
    sys.stderr = io.TextIOWrapper(err_b, encoding='utf-8', errors='replace',
                                  write_through=True)
    try:
        rc = awscli.clidriver.AWSCLIEntryPoint().main(list(args))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.detach()
        sys.stderr.detach()
        sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(saved_env)
    return rc, out_b.getvalue(), err_b.getvalue()


def run_process(argv, env, cwd):
    p = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------------
# The simulator
# ---------------------------------------------------------------------

class Sim:
    def __init__(self, url):
        self.url = url.rstrip('/')
        self.current = None

    def ctl(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data,
                                     method=method)
        req.add_header('Content-Type', 'application/json')
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read()

    def seed(self, name, fixture, force=False):
        if self.current == name and not force:
            return
        self.ctl('POST', '/_sim/seed', fixture)
        self.current = name


def default_fixture():
    with open(os.path.join(REPO, 'tests', 'sim', 'fixtures',
                           'default.json')) as f:
        return json.load(f)


def captured_fixture():
    with open(os.path.join(REPO, 'tests', 'data', 'wire',
                           'describe-cache-clusters.awscli-2.9.19.json')) as f:
        doc = json.load(f)
    return {'clusters': doc['CacheClusters'],
            'events': default_fixture()['events']}


def random_fixture(seed, clusters=25, events=12):
    """Clusters and events from random DescribeCacheClusters and
    DescribeEvents responses made from the service model and parsed by
    botocore, as the AWS CLI would see them."""
    import diff_random
    from botocore.model import ServiceModel
    from botocore.parsers import QueryParser
    rng = random.Random(seed)
    with open(diff_random.MODEL) as f:
        model = ServiceModel(json.load(f), service_name='elasticache')

    def parsed(op_name):
        op = model.operation_model(op_name)
        xml = diff_random.Generator(rng).response(op)
        doc = QueryParser(timestamp_parser=diff_random.cli_timestamp).parse(
            {'body': xml, 'headers': {}, 'status_code': 200}, op.output_shape)
        return json.loads(json.dumps(doc))

    out_clusters, out_events = [], []
    while len(out_clusters) < clusters:
        for c in parsed('DescribeCacheClusters').get('CacheClusters') or []:
            c['CacheClusterId'] = 'rnd-%03d' % len(out_clusters)
            nodes = c.get('CacheNodes') or []
            for i, n in enumerate(nodes):
                n['CacheNodeId'] = '%04d' % (i + 1)
            out_clusters.append(c)
    while len(out_events) < events:
        for e in parsed('DescribeEvents').get('Events') or []:
            e.pop('Date', None)
            e['_age_seconds'] = rng.randint(1, 3000)
            out_events.append(e)
    return {'clusters': out_clusters[:clusters], 'events': out_events[:events]}


# ---------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------

FORMATS = ['json', 'text', 'table', 'yaml', 'yaml-stream']

CLUSTER_QUERIES = [
    None,
    'CacheClusters[0].CacheClusterStatus',
    'CacheClusters[].CacheClusterId',
    'CacheClusters[*].[CacheClusterId, Engine, NumCacheNodes]',
    'CacheClusters[].CacheNodes[]',
    'CacheClusters[?Engine==`redis`].CacheClusterId',
    'CacheClusters[?NumCacheNodes > `1`].{Id: CacheClusterId, '
    'Nodes: NumCacheNodes}',
    'length(CacheClusters)',
    'sort_by(CacheClusters, &CacheClusterId)[-3:].CacheClusterId',
    'max_by(CacheClusters, &NumCacheNodes).CacheClusterId',
    'CacheClusters[].{id: CacheClusterId, nodes: CacheNodes[].CacheNodeId, '
    'pg: CacheParameterGroup.ParameterApplyStatus}',
    'CacheClusters[0]',
    '[CacheClusters[0].CacheParameterGroup, '
    'CacheClusters[0].CacheParameterGroup]',
    'NextToken',
    'Marker',
    'CacheClusters[].CacheNodes[?CacheNodeStatus!=`available`][].CacheNodeId',
    'join(`, `, CacheClusters[].CacheClusterId)',
    'CacheClusters[0].NoSuchKey',
    'CacheClusters[?`false`]',
    'to_string(length(CacheClusters))',
    'keys(CacheClusters[0])',
    'contains(CacheClusters[].Engine, `memcached`)',
    'CacheClusters[].[CacheClusterId, CacheNodes[0].Endpoint.Port]',
    'CacheClusters[:2].CacheNodes[].Endpoint',
    '{count: length(CacheClusters), first: CacheClusters[0].CacheClusterId}',
]

EVENT_QUERIES = [
    None,
    'Events[].Message',
    'Events[?SourceType==`cache-cluster`].[SourceIdentifier, Message]',
    'length(Events)',
    'Events[0]',
    'sort_by(Events, &Date)[].Date',
    'Events[].{s: SourceIdentifier, d: Date}',
    'Events[?contains(Message, `restarted`)] | [0]',
]

# Paging variants (the starting token is filled in per fixture).
PAGING = [
    [],
    ['--page-size', '20'],
    ['--page-size', '20', '--max-items', '25'],
    ['--max-items', '7'],
    ['--no-paginate', '--max-records', '20'],
    ['--starting-token', '{token}', '--page-size', '20', '--max-items', '12'],
    ['--no-paginate'],
    ['--starting-token', '{token}'],
]


class Case:
    def __init__(self, group, args, env=None, stderr=None, fixture='default',
                 reseed=False, files=None, subprocess_only=False):
        self.group = group
        self.args = args
        self.env = env or {}
        self.stderr = stderr  # None, 'exact' or 'last'
        self.fixture = fixture
        self.reseed = reseed
        self.files = files or {}
        self.subprocess_only = subprocess_only

    def label(self):
        return '%s: %s%s' % (self.group, ' '.join(
            '%s=%s' % kv for kv in sorted(self.env.items())) + ' '
            if self.env else '', ' '.join(self.args))


def query_cases(group, fixture, command, queries, formats, rotate, extra):
    out = []
    n = 0
    for q in queries:
        for fmt in formats:
            paging = PAGING[n % len(PAGING)] if rotate else []
            n += 1
            args = [command] + extra + ['--output', fmt] + list(paging)
            if q is not None:
                args += ['--query', q]
            out.append(Case(group, args, fixture=fixture,
                            stderr='exact'))
    return out


def group_default():
    cases = query_cases('default', 'default', 'describe-cache-clusters',
                        CLUSTER_QUERIES, FORMATS, True,
                        ['--show-cache-node-info'])
    # One page as the service returned it: the query sees its Marker.
    for fmt in FORMATS:
        for paging in (['--no-paginate', '--max-records', '20'],
                       ['--max-records', '20']):
            cases.append(Case('default', ['describe-cache-clusters',
                                          '--output', fmt] + paging +
                              ['--query', '[Marker != null, '
                               'length(CacheClusters)]'], stderr='exact'))
    return cases


def group_captured():
    qs = [q for i, q in enumerate(CLUSTER_QUERIES) if i % 2 == 0]
    return query_cases('captured', 'captured', 'describe-cache-clusters', qs,
                       FORMATS, False, ['--show-cache-node-info'])


def group_random():
    qs = [q for i, q in enumerate(CLUSTER_QUERIES) if i % 2 == 1] + [None]
    cases = query_cases('random', 'random', 'describe-cache-clusters', qs,
                        FORMATS, True, ['--show-cache-node-info'])
    cases += query_cases('random', 'random', 'describe-events',
                         EVENT_QUERIES[:4], FORMATS, False, [])
    return cases


def group_events():
    return query_cases('events', 'default', 'describe-events', EVENT_QUERIES,
                       FORMATS, False, []) + [
        Case('events', ['describe-events', '--output', 'text', '--max-items',
                        '1', '--query', 'Events[].Message'], stderr='exact'),
        Case('events', ['describe-events', '--output', 'yaml-stream',
                        '--max-items', '1'], stderr='exact'),
    ]


GROUP_QUERIES = [
    None,
    'ReplicationGroups[].ReplicationGroupId',
    'ReplicationGroups[].NodeGroups[].NodeGroupMembers[].[CacheClusterId, '
    'CurrentRole]',
    'ReplicationGroups[?ClusterEnabled].{Id: ReplicationGroupId, '
    'Failover: AutomaticFailover}',
    'length(ReplicationGroups)',
]


def group_groups():
    return query_cases('groups', 'default', 'describe-replication-groups',
                       GROUP_QUERIES, FORMATS, False, []) + [
        Case('groups', ['describe-replication-groups', '--output', 'text',
                        '--max-items', '1', '--query',
                        'ReplicationGroups[].Status'], stderr='exact'),
        Case('groups', ['describe-replication-groups', '--cli-input-json',
                        '{"ReplicationGroupId": "demo-redis-rg"}',
                        '--query', 'ReplicationGroups[0].MemberClusters'],
             stderr='exact'),
    ]


def group_errors():
    bad = ['[', 'CacheClusters[?', 'foo bar', '`{"a": `', "'unterminated",
           'CacheClusters[].[', 'length(', '&&', '!', '@@',
           'CacheClusters[0].{a: b', 'a.b.c.' + 'x' * 300 + '[',
           '"' + 'y' * 300 + '" |']
    cases = []
    for i, q in enumerate(bad):
        fmt = FORMATS[i % len(FORMATS)]
        # before anything else: the command's own errors come after
        cases.append(Case('errors', ['describe-cache-clusters', '--output',
                                     fmt, '--query', q], stderr='exact'))
    cases += [
        Case('errors', ['reboot-cache-cluster', '--query', '['],
             stderr='exact'),
        Case('errors', ['wait', 'cache-cluster-available', '--query', 'x[',
                        '--bogus'], stderr='exact'),
        Case('errors', ['describe-cache-clusters', '--bogus', '--query', '['],
             stderr='exact'),
    ]
    # Errors while searching: 255; with text, the pages before stay.
    search = ['abs(CacheClusters)', 'length(CacheClusters[0].NumCacheNodes)',
              'sort_by(CacheClusters, &CacheNodes)', 'no_such_fn(@)',
              'length(@, @)', 'CacheClusters[].length(CacheNodes[0])',
              'CacheClusters[0].CacheClusterId | to_number(@) | abs(@)']
    for q in search:
        for fmt in ('json', 'text', 'yaml-stream'):
            cases.append(Case('errors', ['describe-cache-clusters',
                                         '--page-size', '20', '--output', fmt,
                                         '--query', q], stderr='exact'))
    # What prints nothing, or None, or "null".
    empties = ['`{}`', '`[]`', '`null`', '`false`', '`0`', '`""`',
               'CacheClusters[?`false`]', '`{"a": {}}`', '`[{}]`']
    for q in empties:
        for fmt in FORMATS:
            cases.append(Case('errors', ['describe-cache-clusters',
                                         '--cache-cluster-id', 'demo-redis',
                                         '--output', fmt, '--query', q],
                              stderr='exact'))
        cases.append(Case('errors', ['describe-cache-clusters',
                                     '--page-size', '20', '--output',
                                     'yaml-stream', '--query', q],
                          stderr='exact'))
    # An error from the service, in every format.
    for fmt in FORMATS:
        cases.append(Case('errors', ['describe-cache-clusters',
                                     '--cache-cluster-id', 'no-such-cluster',
                                     '--output', fmt, '--query', 'x'],
                          stderr='exact'))
    return cases


def group_settings():
    q = ['--query', 'CacheClusters[0].[CacheClusterId, Engine]']
    base = ['describe-cache-clusters', '--cache-cluster-id', 'demo-redis']
    cfg = ('[default]\noutput = text\n[profile yamlish]\noutput = yaml\n'
           '[profile t]\noutput = table\n[profile bogus]\noutput = bogus\n')
    creds = '[t]\noutput = yaml-stream\n'
    files = {'config': cfg, 'credentials': creds}
    env_files = {'AWS_CONFIG_FILE': '{dir}/config',
                 'AWS_SHARED_CREDENTIALS_FILE': '{dir}/credentials'}
    cases = []
    for fmt in FORMATS + ['bogus', '']:
        cases.append(Case('settings', base + q,
                          env={'AWS_DEFAULT_OUTPUT': fmt}, stderr='exact'))
    cases.append(Case('settings', base + q + ['--output', 'table'],
                      env={'AWS_DEFAULT_OUTPUT': 'yaml'}, stderr='exact'))
    for profile in ('yamlish', 't', 'bogus', 'default'):
        env = dict(env_files, AWS_PROFILE=profile)
        cases.append(Case('settings', base + q, env=env, files=files,
                          stderr='exact'))
    cases.append(Case('settings', base + q, files=files, stderr='exact',
                      env=dict(env_files, AWS_PROFILE='t',
                               AWS_DEFAULT_OUTPUT='json')))
    cases.append(Case('settings', base + q + ['--output', 'text'],
                      files=files, stderr='exact',
                      env=dict(env_files, AWS_PROFILE='bogus')))
    # A waiter formats nothing: an unknown output type does not matter.
    cases.append(Case('settings', ['wait', 'cache-cluster-available',
                                   '--cache-cluster-id', 'demo-redis'],
                      env={'AWS_DEFAULT_OUTPUT': 'bogus'}, stderr='exact'))
    for color in ('on', 'off', 'auto'):
        for fmt in ('table', 'text', 'json'):
            cases.append(Case('settings', ['describe-cache-clusters',
                                           '--color', color, '--output', fmt,
                                           '--page-size', '20',
                                           '--query',
                                           'CacheClusters[:3].{Id: '
                                           'CacheClusterId, N: NumCacheNodes}'],
                              subprocess_only=color == 'on'))
    for fmt in ('json', 'bogus', 'jsn', 'Text', 'yaml-strea'):
        cases.append(Case('settings', base + ['--output', fmt],
                          stderr='last'))
    cases.append(Case('settings', base + ['--color', 'of'], stderr='last'))
    return cases


def group_input():
    files = {
        'in.json': '{"CacheClusterId": "demo-redis", '
                   '"ShowCacheNodeInfo": true}',
        'in.yaml': 'CacheClusterId: demo-memcached\nShowCacheNodeInfo: '
                   'true\n',
        'list.json': '["x"]',
        'bom.json': b'\xef\xbb\xbf{"CacheClusterId": "demo-redis"}',
        'latin1.json': b'{"CacheClusterId": "d\xe9mo"}',
        'id.txt': 'demo-memcached',
        'n20.txt': '20\n',
        'nodes.json': '["0001"]',
        'ev.yaml': 'SourceIdentifier: pending-memcached\n'
                   'SourceType: cache-cluster\n'
                   'StartTime: 2020-01-01 00:00:00\n',
        'merge.yaml': 'base: &b {CacheClusterId: demo-redis}\n',
    }
    d = ['describe-cache-clusters']
    q = ['--query', 'CacheClusters[].[CacheClusterId, NumCacheNodes, '
         'length(CacheNodes || `[]`)]', '--output', 'text']
    cases = [
        Case('input', d + ['--cli-input-json',
                           '{"CacheClusterId": "demo-redis"}'] + q),
        Case('input', d + ['--cli-input-json', 'file://in.json'] + q),
        Case('input', d + ['--cli-input-json', 'fileb://in.json'] + q),
        Case('input', d + ['--cli-input-json', 'fileb://bom.json'] + q),
        Case('input', d + ['--cli-input-json', 'file://bom.json'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-json', 'file://latin1.json'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-yaml', 'file://in.yaml'] + q),
        Case('input', d + ['--cli-input-yaml',
                           'CacheClusterId: demo-redis\nShowCacheNodeInfo: '
                           'false'] + q),
        # the command line wins, key by key
        Case('input', d + ['--cli-input-json', 'file://in.json',
                           '--cache-cluster-id', 'pending-memcached'] + q),
        Case('input', d + ['--cache-cluster-id', 'file://id.txt'] + q),
        Case('input', d + ['--cache-cluster-id', 'fileb://id.txt'] + q,
             stderr='exact'),
        Case('input', d + ['--max-records', 'file://n20.txt', '--query',
                           'length(CacheClusters)']),
        Case('input', d + ['--max-records', 'fileb://n20.txt', '--query',
                           'length(CacheClusters)']),
        Case('input', d + ['--cli-input-json', 'file://nope.json'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-json', '{'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-yaml', '{'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-yaml', 'a: 1\na: 2'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-json', 'file://list.json'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-yaml', '- a'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-yaml', ''] + q, stderr='exact'),
        Case('input', d + ['--cli-input-yaml', '42'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-json', '{}', '--cli-input-yaml',
                           '{}'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-json',
                           '{"MaxRecords": "x", "Bogus": 1, '
                           '"CacheClusterId": ["a"], '
                           '"ShowCacheNodeInfo": null, "Marker": 7}'] + q,
             stderr='exact'),
        Case('input', d + ['--cli-input-yaml',
                           'MaxRecords: 1.5\nMarker: 2023-01-10\n'
                           'CacheClusterId: 2023-01-10 09:15:42\n'
                           'ShowCacheNodeInfo: yes\n'] + q, stderr='exact'),
        Case('input', d + ['--cli-input-yaml',
                           '<<: {CacheClusterId: demo-redis}\n'
                           'ShowCacheNodeInfo: true\n'] + q),
        Case('input', d + ['--cli-input-yaml',
                           'CacheClusterId: !!str 12\nMaxRecords: 0x14\n'
                           'Bad: [1, 1.5e3, ~, .inf, true, 0o17, 1_000]\n'] +
             q, stderr='exact'),
        # MaxRecords from the file turns paging off; paging options then
        # reach the operation as PaginationConfig, which it refuses.
        Case('input', d + ['--cli-input-json', '{"MaxRecords": 20}', '--query',
                           'length(CacheClusters)']),
        Case('input', d + ['--cli-input-json', '{"MaxRecords": 20}', '--query',
                           'Marker', '--output', 'text']),
        Case('input', d + ['--cli-input-json', '{"MaxRecords": 20}',
                           '--max-items', '3'], stderr='exact'),
        Case('input', d + ['--cli-input-yaml', 'MaxRecords: 20',
                           '--page-size', '50'], stderr='exact'),
        Case('input', ['describe-events', '--cli-input-yaml',
                       'file://ev.yaml', '--query', 'Events[].Message']),
        Case('input', ['describe-events', '--cli-input-json',
                       '{"StartTime": "yesterday", "Duration": 1.5, '
                       '"EndTime": 1700000000}'], stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cli-input-json', '{}'],
             stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cli-input-json',
                       '{"CacheClusterId": "demo-memcached", '
                       '"CacheNodeIdsToReboot": "0001"}'], stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cli-input-json',
                       '{"CacheClusterId": "demo-memcached", '
                       '"CacheNodeIdsToReboot": [1, "0002"]}'],
             stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cache-cluster-id',
                       'demo-memcached', '--cache-node-ids-to-reboot',
                       'fileb://nodes.json'], stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cache-cluster-id',
                       'demo-memcached', '--cli-input-json',
                       '{"CacheClusterId": "nope", "CacheNodeIdsToReboot": '
                       '["0001"]}', '--query', 'CacheCluster.'
                       '[CacheClusterId, CacheClusterStatus, '
                       'CacheNodes[?CacheNodeStatus==`rebooting`]'
                       '.CacheNodeId]', '--output', 'text'],
             reseed=True, stderr='exact'),
        Case('input', ['reboot-cache-cluster', '--cache-cluster-id',
                       'demo-memcached', '--cache-node-ids-to-reboot',
                       'file://nodes.json', '--query',
                       'CacheCluster.CacheClusterStatus'], reseed=True),
        Case('input', ['wait', 'cache-cluster-available', '--cli-input-json',
                       '{"CacheClusterId": "demo-redis", "Bogus": 1}'],
             stderr='exact'),
        Case('input', ['wait', 'cache-cluster-available', '--cli-input-yaml',
                       'CacheClusterId: demo-redis']),
    ]
    for c in cases:
        c.files = files
    return cases


def group_skeleton():
    cmds = [['describe-cache-clusters'], ['describe-events'],
            ['describe-replication-groups'], ['reboot-cache-cluster'],
            ['wait', 'cache-cluster-available']]
    cases = []
    for cmd in cmds:
        for kind in ([], ['input'], ['yaml-input']):
            cases.append(Case('skeleton', cmd + ['--generate-cli-skeleton'] +
                              kind, stderr='exact'))
    out = ['--generate-cli-skeleton', 'output']
    reboot = ['reboot-cache-cluster', '--cache-cluster-id', 'x',
              '--cache-node-ids-to-reboot', '0001']
    for fmt in FORMATS:
        cases += [
            Case('skeleton', ['describe-cache-clusters', '--output', fmt] +
                 out, stderr='exact'),
            Case('skeleton', ['describe-events', '--output', fmt] + out,
                 stderr='exact'),
            Case('skeleton', ['describe-replication-groups', '--output',
                              fmt] + out, stderr='exact'),
            Case('skeleton', reboot + ['--output', fmt] + out,
                 stderr='exact'),
            Case('skeleton', ['wait', 'cache-cluster-available', '--output',
                              fmt] + out, stderr='exact'),
        ]
    cases += [
        Case('skeleton', ['describe-cache-clusters', '--query',
                          'CacheClusters[0].[CacheClusterId, '
                          'CacheClusterCreateTime, NumCacheNodes]',
                          '--output', 'text'] + out, stderr='exact'),
        Case('skeleton', ['describe-events', '--query', 'Events[0]',
                          '--output', 'table'] + out, stderr='exact'),
        Case('skeleton', ['describe-events', '--query', 'Events[0].Date',
                          '--output', 'yaml'] + out, stderr='exact'),
        Case('skeleton', ['describe-cache-clusters', '--cli-input-json',
                          '{"Bogus": 1}'] + out, stderr='exact'),
        Case('skeleton', ['describe-cache-clusters', '--cli-input-json',
                          '{"Bogus": 1}', '--generate-cli-skeleton'],
             stderr='exact'),
        Case('skeleton', ['describe-cache-clusters', '--cli-input-json', '{',
                          '--generate-cli-skeleton'], stderr='exact'),
        Case('skeleton', ['describe-cache-clusters', '--no-paginate',
                          '--max-items', '3', '--generate-cli-skeleton'],
             stderr='exact'),
        Case('skeleton', ['describe-cache-clusters', '--generate-cli-skeleton',
                          'inpt'], stderr='last'),
        Case('skeleton', ['describe-cache-clusters', '--query', '[',
                          '--generate-cli-skeleton'], stderr='exact'),
        Case('skeleton', ['reboot-cache-cluster', '--generate-cli-skeleton'],
             stderr='exact'),
        Case('skeleton', reboot + out, env={'AWS_ACCESS_KEY_ID': '',
                                            'AWS_SECRET_ACCESS_KEY': ''},
             stderr='exact'),
    ]
    return cases


def group_commands():
    cases = []
    reboot = ['reboot-cache-cluster', '--cache-cluster-id', 'demo-memcached',
              '--cache-node-ids-to-reboot', '0001', '0002']
    queries = [None, 'CacheCluster.CacheNodes[?CacheNodeStatus==`rebooting`]'
               '.CacheNodeId', 'CacheCluster.[CacheClusterId, '
               'CacheClusterStatus]']
    for i, fmt in enumerate(FORMATS):
        args = reboot + ['--output', fmt]
        q = queries[i % len(queries)]
        if q:
            args += ['--query', q]
        cases.append(Case('commands', args, reseed=True, stderr='exact'))
    for fmt in FORMATS:
        cases.append(Case('commands', ['reboot-cache-cluster',
                                       '--cache-cluster-id', 'cme-redis-0001-001',
                                       '--cache-node-ids-to-reboot', '0001',
                                       '--output', fmt], stderr='exact'))
        cases.append(Case('commands', ['wait', 'cache-cluster-available',
                                       '--cache-cluster-id', 'demo-redis',
                                       '--output', fmt, '--query',
                                       'CacheClusters'], stderr='exact'))
    return cases


ARN = 'arn:aws:elasticache:us-east-1:123456789012:'
TAG_QUERIES = [None, 'TagList[].Key', "TagList[?Key=='env'].Value | [0]",
               'TagList[?Value == null].Key', 'length(TagList)']


def group_tags():
    cases = []
    n = 0
    # Every format of a cluster's tags (one without a value among them),
    # half the query/format pairs, a group's, and a resource without tags.
    for name, queries in (('cluster:pending-memcached', TAG_QUERIES),
                          ('replicationgroup:demo-redis-rg', [None]),
                          ('cluster:fleet-001', [None])):
        for q in queries:
            for fmt in FORMATS:
                n += 1
                if q is not None and n % 2:
                    continue
                args = ['list-tags-for-resource', '--resource-name',
                        ARN + name, '--output', fmt]
                if q is not None:
                    args += ['--query', q]
                cases.append(Case('tags', args, stderr='exact'))
    cases += [
        Case('tags', ['list-tags-for-resource', '--resource-name',
                      ARN + 'cluster:no-such-cluster'], stderr='exact'),
        Case('tags', ['list-tags-for-resource', '--resource-name',
                      ARN + 'replicationgroup:no-such-group'],
             stderr='exact'),
        Case('tags', ['list-tags-for-resource', '--resource-name',
                      'not-an-arn'], stderr='exact'),
        Case('tags', ['list-tags-for-resource'], stderr='last'),
        Case('tags', ['list-tags-for-resource', '--cli-input-json',
                      '{"ResourceName": "%scluster:demo-memcached"}' % ARN,
                      '--query', 'TagList[].Value'], stderr='exact'),
    ]
    for kind in ([], ['input'], ['yaml-input']):
        cases.append(Case('tags', ['list-tags-for-resource',
                                   '--generate-cli-skeleton'] + kind,
                          stderr='exact'))
    # An output skeleton still needs the required argument, as in aws.
    cases += [
        Case('tags', ['list-tags-for-resource', '--generate-cli-skeleton',
                      'output'], stderr='last'),
        Case('tags', ['list-tags-for-resource', '--resource-name', 'x',
                      '--generate-cli-skeleton', 'output'], stderr='exact'),
    ]
    return cases


GROUPS = {
    'default': group_default,
    'captured': group_captured,
    'random': group_random,
    'events': group_events,
    'groups': group_groups,
    'errors': group_errors,
    'settings': group_settings,
    'input': group_input,
    'skeleton': group_skeleton,
    'commands': group_commands,
    'tags': group_tags,
}


# ---------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------

class Runner:
    def __init__(self, a):
        self.a = a
        self.sim = Sim(a.sim_url)
        self.fixtures = {
            'default': default_fixture(),
            'captured': captured_fixture(),
            'random': random_fixture(a.seed),
        }
        self.tokens = {}
        self.dir = tempfile.mkdtemp(prefix='cli_diff.')
        self.base_env = dict(os.environ)
        for k in ('AWS_DEFAULT_OUTPUT', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
                  'AWS_PAGER'):
            self.base_env.pop(k, None)
        self.base_env['AWS_PAGER'] = ''
        for name in ('config', 'credentials'):
            path = os.path.join(self.dir, 'empty-' + name)
            open(path, 'w').close()
        self.base_env['AWS_CONFIG_FILE'] = os.path.join(self.dir,
                                                        'empty-config')
        self.base_env['AWS_SHARED_CREDENTIALS_FILE'] = os.path.join(
            self.dir, 'empty-credentials')
        self.failures = 0
        self.runs = 0

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def token(self, fixture):
        """A NextToken in the middle of the second page, from aws."""
        if fixture not in self.tokens:
            self.sim.seed(fixture, self.fixtures[fixture])
            rc, out, err = aws_inprocess(
                ['--endpoint-url', self.a.sim_url, 'elasticache',
                 'describe-cache-clusters', '--page-size', '20',
                 '--max-items', '23', '--query', 'NextToken', '--output',
                 'text'], self.base_env)
            self.tokens[fixture] = out.decode().strip()
        return self.tokens[fixture]

    def prepare(self, case):
        env = dict(self.base_env)
        for k, v in case.env.items():
            env[k] = v.replace('{dir}', self.dir)
        for name, content in case.files.items():
            mode = 'wb' if isinstance(content, bytes) else 'w'
            with open(os.path.join(self.dir, name), mode) as f:
                f.write(content)
        args = [a.replace('{token}', self.token(case.fixture))
                if '{token}' in a else a for a in case.args]
        return args, env

    def run(self, case, sample):
        args, env = self.prepare(case)
        self.sim.seed(case.fixture, self.fixtures[case.fixture])
        head = ['--endpoint-url', self.a.sim_url]
        cwd = os.getcwd()
        os.chdir(self.dir)
        try:
            if case.subprocess_only:
                aws = run_process(['/usr/bin/aws'] + head + ['elasticache'] +
                                  args, env, self.dir)
            else:
                if case.reseed:
                    self.sim.seed(case.fixture, self.fixtures[case.fixture],
                                  force=True)
                aws = aws_inprocess(head + ['elasticache'] + args, env)
            if case.reseed:
                self.sim.seed(case.fixture, self.fixtures[case.fixture],
                              force=True)
            ours = run_process([self.a.cli] + head + args, env, self.dir)
            real = None
            if sample and not case.subprocess_only:
                if case.reseed:
                    self.sim.seed(case.fixture, self.fixtures[case.fixture],
                                  force=True)
                real = run_process(['/usr/bin/aws'] + head + ['elasticache'] +
                                   args, env, self.dir)
        finally:
            os.chdir(cwd)
        self.runs += 1
        problems = []
        if real is not None and real != aws:
            problems.append('the in-process AWS CLI differs from /usr/bin/aws'
                            ':\n  in-process %r\n  /usr/bin/aws %r'
                            % (aws, real))
        if aws[0] != ours[0]:
            problems.append('exit status: aws %d, elasticache %d'
                            % (aws[0], ours[0]))
        if aws[1] != ours[1]:
            problems.append('stdout differs:\n--- aws\n%s\n--- elasticache\n%s'
                            % (aws[1].decode(errors='replace')[:3000],
                               ours[1].decode(errors='replace')[:3000]))
        if case.stderr == 'exact' and aws[2] != ours[2]:
            problems.append('stderr differs:\n--- aws\n%s\n--- elasticache\n%s'
                            % (aws[2].decode(errors='replace')[:2000],
                               ours[2].decode(errors='replace')[:2000]))
        if case.stderr == 'last':
            a_last = aws[2].decode(errors='replace').rstrip('\n')
            o_last = ours[2].decode(errors='replace').rstrip('\n')
            a_last = a_last.split('aws: error: ')[-1]
            o_last = o_last.split('elasticache: error: ')[-1]
            if a_last != o_last:
                problems.append('error message differs:\n--- aws\n%s\n'
                                '--- elasticache\n%s' % (a_last, o_last))
        if problems:
            self.failures += 1
            if self.failures <= self.a.show:
                print('FAIL %s\n%s\n' % (case.label(), '\n'.join(problems)))
        return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('groups', nargs='*', default=list(GROUPS))
    ap.add_argument('--cli', required=False)
    ap.add_argument('--sim-url', required=False)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--aws-sample', type=int, default=0,
                    help='cases per group also run through /usr/bin/aws')
    ap.add_argument('--show', type=int, default=5)
    ap.add_argument('--list', action='store_true')
    a = ap.parse_args()
    groups = a.groups or list(GROUPS)
    for g in groups:
        if g not in GROUPS:
            ap.error('unknown group %s' % g)
    if a.list:
        for g in groups:
            for c in GROUPS[g]():
                print(c.label())
        return 0
    if not a.cli or not a.sim_url:
        ap.error('--cli and --sim-url are required')
    a.cli = os.path.abspath(a.cli)
    runner = Runner(a)
    rng = random.Random(a.seed)
    try:
        total = 0
        for g in groups:
            cases = GROUPS[g]()
            sample = set(rng.sample(range(len(cases)),
                                    min(a.aws_sample, len(cases))))
            for i, c in enumerate(cases):
                runner.run(c, i in sample)
                total += 1
            # leave the default fixture behind
        runner.sim.seed('default', runner.fixtures['default'], force=True)
    finally:
        runner.close()
    print('%d cases, %d differ' % (total, runner.failures))
    return 1 if runner.failures else 0


if __name__ == '__main__':
    sys.exit(main())
