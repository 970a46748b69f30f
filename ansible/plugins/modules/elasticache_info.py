# -*- coding: utf-8 -*-
# SPDX-License-Identifier: Apache-2.0
"""elasticache_tools.elasticache.elasticache_info: documentation only.

The module is the native program native/elasticache_info.<platform> of this
collection, run by the action plugin plugins/action/elasticache_info.py
(on the controller by default, or on the target). Its documentation is the
sidecar file elasticache_info.yml next to this one. This file exists so
that Ansible lists and resolves the module by name, as it does for
ansible.builtin modules implemented by an action plugin.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type
