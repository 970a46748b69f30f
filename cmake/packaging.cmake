# SPDX-License-Identifier: Apache-2.0
# Debian packages with CPack (`cpack -G DEB` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr; packaging/build-debs.sh does all of it):
#
#   libelasticache<SOVERSION>        component lib         the shared library
#   libelasticache-dev               component dev         header, .so link, .pc, CMake package, man 3
#   elasticache-tools                component tools       elasticache, elasticache_reboot, elasticache_info
#   monitoring-plugins-elasticache   component monitoring  check and handler, Nagios/Icinga definitions
#
# Depends come from dpkg-shlibdeps, our own library's too: a package root
# with the library and its DEBIAN/shlibs (what CPack writes into the
# library's package) is laid out in the build tree, and dpkg-shlibdeps
# finds it there as it finds debian/<pkg>/DEBIAN/shlibs in a debhelper build.

# The library's package is named after its SONAME, as Debian's policy wants;
# read from the target so it follows whatever lib/CMakeLists.txt sets.
get_target_property(EC_SOVERSION elasticache SOVERSION)
set(EC_DEB_LIB_PACKAGE libelasticache${EC_SOVERSION})
set(EC_DEB_RELEASE 1)
set(EC_DEB_VERSION ${PROJECT_VERSION}-${EC_DEB_RELEASE})
set(EC_DEB_MAINTAINER "libelasticache maintainers <maintainers@libelasticache.invalid>")
set(EC_DEB_DIR ${CMAKE_BINARY_DIR}/packaging)

# changelog.Debian.gz and copyright for every package. EXCLUDE_FROM_ALL:
# they belong to the packages, not to a plain `cmake --install`.
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/changelog.in
  ${EC_DEB_DIR}/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${EC_DEB_DIR}/changelog.Debian.gz
  COMMAND gzip -9nkf ${EC_DEB_DIR}/changelog.Debian
  DEPENDS ${EC_DEB_DIR}/changelog.Debian VERBATIM)

# The package root dpkg-shlibdeps reads our library's shlibs from.
set(EC_SHLIBS_ROOT ${EC_DEB_DIR}/shlibs-root/${EC_DEB_LIB_PACKAGE})
file(WRITE ${EC_SHLIBS_ROOT}/DEBIAN/shlibs
  "libelasticache ${EC_SOVERSION} ${EC_DEB_LIB_PACKAGE} (>= ${EC_DEB_VERSION})\n")
add_custom_command(OUTPUT ${EC_SHLIBS_ROOT}/lib/libelasticache.so.${EC_SOVERSION}
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:elasticache>
          ${EC_SHLIBS_ROOT}/lib/libelasticache.so.${EC_SOVERSION}
  DEPENDS elasticache VERBATIM)
add_custom_target(debian_files ALL DEPENDS ${EC_DEB_DIR}/changelog.Debian.gz
  ${EC_SHLIBS_ROOT}/lib/libelasticache.so.${EC_SOVERSION})

foreach(pkg_comp ${EC_DEB_LIB_PACKAGE}:lib libelasticache-dev:dev
                 elasticache-tools:tools monitoring-plugins-elasticache:monitoring)
  string(REPLACE ":" ";" pkg_comp "${pkg_comp}")
  list(GET pkg_comp 0 pkg)
  list(GET pkg_comp 1 comp)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
                ${EC_DEB_DIR}/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg}
    COMPONENT ${comp} EXCLUDE_FROM_ALL)
endforeach()

# The library runs ldconfig through dpkg's trigger, as Debian's library
# packages do. CPack would write postinst/postrm scripts calling ldconfig
# when a package has none, so the package brings its own, which do nothing.
file(WRITE ${EC_DEB_DIR}/lib/triggers "activate-noawait ldconfig\n")
foreach(script postinst postrm)
  file(WRITE ${EC_DEB_DIR}/lib/${script}
    "#!/bin/sh\n# ldconfig runs from the ldconfig trigger (DEBIAN/triggers).\nset -e\nexit 0\n")
  file(CHMOD ${EC_DEB_DIR}/lib/${script} FILE_PERMISSIONS OWNER_READ OWNER_WRITE
    OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
# The monitoring package's conffile.
file(WRITE ${EC_DEB_DIR}/monitoring/conffiles
  "/etc/nagios-plugins/config/elasticache.cfg\n")

set(CPACK_GENERATOR DEB)
# Each package's synopsis is the first line of its description below; the
# project-wide summary would otherwise be put before it (CPack prepends
# any summary other than its default one).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_NAME libelasticache)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${EC_DEB_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "libelasticache developers")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/debs)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev tools monitoring)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${EC_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${EC_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${EC_SHLIBS_ROOT}/lib)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${EC_DEB_LIB_PACKAGE})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${EC_DEB_DIR}/lib/triggers
  ${EC_DEB_DIR}/lib/postinst ${EC_DEB_DIR}/lib/postrm)
set(CPACK_DEBIAN_LIB_DESCRIPTION
"safe, idempotent Amazon ElastiCache reboots (shared library)
libelasticache makes SigV4-signed Amazon ElastiCache Query-API calls
(DescribeCacheClusters, DescribeEvents, RebootCacheCluster) over libcurl,
parses the answers, renders them as JSON as the AWS CLI v2 prints them, and
provides a safe reboot: describe first, decide, send the reboot at most
once, and wait until the nodes have really restarted.
.
This package contains the shared library.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libelasticache-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "${EC_DEB_LIB_PACKAGE} (= ${EC_DEB_VERSION}), libjansson-dev, libcurl4-openssl-dev | libcurl-dev, libssl-dev, libxml2-dev, pkg-config")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"safe, idempotent Amazon ElastiCache reboots (development files)
libelasticache makes SigV4-signed Amazon ElastiCache Query-API calls over
libcurl, parses the answers, renders them as JSON and provides a safe,
idempotent reboot operation.
.
This package contains the header, the pkg-config file, the CMake package
(find_package(elasticache)) and the libelasticache(3) man page.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME elasticache-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION
"safe, idempotent Amazon ElastiCache reboots from the command line
Three programs over libelasticache.
.
elasticache takes the arguments of the AWS CLI v2 (aws elasticache) for
describe-cache-clusters, describe-events, reboot-cache-cluster and wait
cache-cluster-available, and prints the same JSON with the same exit codes.
Its safe reboot (--wait, --only-if-pending, --unless-rebooted-since,
--dry-run) describes first, reboots at most once and waits until the nodes
have really restarted.
.
elasticache_reboot does the same safe reboot for newline-delimited JSON
requests (CI steps), and is an Ansible binary module.
.
elasticache_info is the read-only Ansible binary module that describes
clusters, replication groups and recent events.")

set(CPACK_DEBIAN_MONITORING_PACKAGE_NAME monitoring-plugins-elasticache)
set(CPACK_DEBIAN_MONITORING_PACKAGE_SECTION net)
set(CPACK_DEBIAN_MONITORING_PACKAGE_ENHANCES "nagios4, icinga2")
set(CPACK_DEBIAN_MONITORING_PACKAGE_CONTROL_EXTRA ${EC_DEB_DIR}/monitoring/conffiles)
set(CPACK_DEBIAN_MONITORING_DESCRIPTION
"Nagios/Icinga check and event handler for Amazon ElastiCache
check_elasticache reads a cache cluster's state from the ElastiCache API
and probes every cache node (Redis PING with optional AUTH and TLS,
memcached version) in parallel, following the Monitoring Plugins
guidelines. elasticache_event_handler reboots exactly the nodes that do not
answer, once, never while the cluster is rebooting.
.
Both are installed in /usr/lib/nagios/plugins. The package also ships the
Nagios 4 command definitions (/etc/nagios-plugins/config/elasticache.cfg)
and the Icinga 2 CheckCommand and EventCommand (in plugins-contrib).")

include(CPack)
