# SPDX-License-Identifier: Apache-2.0
# cmake -DGALAXY=... -DCOLLECTION=dir -DOUT=dir -DPLATFORM=linux-x86_64
#       -DBINARY=native/elasticache_reboot.linux-x86_64,native/elasticache_info.linux-x86_64
#       -P build-tarball.cmake
# Builds the collection tarball with ansible-galaxy, names the platform in
# its file name, and fails with a clear message unless every module
# program for that platform is inside: never a collection without its
# modules.
string(REPLACE "," ";" BINARIES "${BINARY}")
foreach(BINARY ${BINARIES})
  if(NOT EXISTS "${COLLECTION}/${BINARY}")
    message(FATAL_ERROR "the collection in ${COLLECTION} has no module program "
      "${BINARY}: build the target ansible_collection first")
  endif()
endforeach()
file(GLOB old "${OUT}/elasticache_tools-elasticache-*.tar.gz")
if(old)
  file(REMOVE ${old})
endif()
execute_process(COMMAND ${GALAXY} collection build --force --output-path ${OUT} ${COLLECTION}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ansible-galaxy collection build failed")
endif()
file(GLOB built "${OUT}/elasticache_tools-elasticache-*.tar.gz")
list(LENGTH built n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one collection tarball in ${OUT}, found: ${built}")
endif()
string(REGEX REPLACE "\\.tar\\.gz$" "-${PLATFORM}.tar.gz" named "${built}")
file(RENAME "${built}" "${named}")
execute_process(COMMAND tar -tzf "${named}" OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
foreach(BINARY ${BINARIES})
  string(REGEX MATCH "(^|\n)${BINARY}(\n|$)" found "${listing}")
  if(NOT rc EQUAL 0 OR NOT found)
    file(REMOVE "${named}")
    message(FATAL_ERROR "${named} has no ${BINARY}: the collection would have no "
      "module program for ${PLATFORM}; it was removed")
  endif()
endforeach()
message(STATUS "Collection: ${named} (module program for ${PLATFORM})")
