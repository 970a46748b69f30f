#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# The reference for the native modules' parameter handling
# (elasticache_reboot, or elasticache_info with ORACLE_MODULE=elasticache_info):
# Ansible's own AnsibleModule with the same argument_spec (ansible-core's
# module_utils/basic.py). It validates, then exits with what AnsibleModule
# returns (invocation.module_args, warnings) or its failure message.
# Used by argspec_oracle.py; never talks to AWS.
import os

from ansible.module_utils.basic import AnsibleModule, env_fallback

REBOOT_SPEC = dict(
    cluster_id=dict(type='str', aliases=['name', 'cache_cluster_id']),
    replication_group_id=dict(type='str'),
    node_ids=dict(type='list', elements='str', aliases=['cache_node_ids_to_reboot']),
    batch_size=dict(type='int'),
    allow_primary_reboot=dict(type='bool', default=False),
    only_if_pending=dict(type='bool', default=False),
    unless_rebooted_since=dict(type='str'),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=900),
    wait_delay=dict(type='float', default=15.0),
    verify_replica_link=dict(type='bool', default=True),
    auth_token=dict(type='str', no_log=True),
    auth_user=dict(type='str'),
    tls=dict(type='bool'),
    probe_timeout=dict(type='float', default=5.0),
    probe_ca_bundle=dict(type='str'),
    probe_validate_certs=dict(type='bool', default=True),
    replica_link_timeout=dict(type='float'),
)

INFO_SPEC = dict(
    cluster_id=dict(type='str', aliases=['name', 'cache_cluster_id']),
    replication_group_id=dict(type='str'),
    show_cache_node_info=dict(type='bool', default=True),
    events=dict(type='raw', default=False),
    tags=dict(type='bool', default=False),
    tag_filter=dict(type='dict'),
)

AWS_SPEC = dict(
    # amazon.aws's common options (module_utils/modules.py), without the
    # deprecated ec2_* aliases and the S3_URL fallback.
    region=dict(aliases=['aws_region'],
                fallback=(env_fallback, ['AWS_REGION', 'AWS_DEFAULT_REGION', 'EC2_REGION'])),
    profile=dict(aliases=['aws_profile']),
    access_key=dict(aliases=['aws_access_key_id', 'aws_access_key'], no_log=False),
    secret_key=dict(aliases=['aws_secret_access_key', 'aws_secret_key'], no_log=True),
    session_token=dict(aliases=['aws_session_token'], no_log=True),
    endpoint_url=dict(aliases=['aws_endpoint_url'], fallback=(env_fallback, ['AWS_URL', 'EC2_URL'])),
    aws_ca_bundle=dict(type='path', fallback=(env_fallback, ['AWS_CA_BUNDLE'])),
    validate_certs=dict(type='bool', default=True),
    aws_config=dict(type='dict'),
)

SPEC = dict(INFO_SPEC if os.environ.get('ORACLE_MODULE') == 'elasticache_info' else REBOOT_SPEC, **AWS_SPEC)

if __name__ == '__main__':
    if os.environ.get('ORACLE_MODULE') == 'elasticache_info':
        module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    else:
        module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True,
                               mutually_exclusive=[['cluster_id', 'replication_group_id']],
                               required_one_of=[['cluster_id', 'replication_group_id']])
    module.exit_json(changed=False)
