# Installing and packaging: `cmake --install` lays out the executables, the
# systemd units, the demo meeting and the docs; CPack makes two Debian
# packages, one per machine role:
#   cmetrack-central  the central node (cmetrack-central, its unit, /etc/default)
#   cmetrack-kiosk    a door kiosk (cmetrack-kiosk in cage, cmetrack-sync, their units)
include(GNUInstallDirs)

set(CMETRACK_UNIT_DIR "lib/systemd/system" CACHE STRING "Where systemd units are installed, under the prefix")

install(TARGETS cmetrack-central RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT central)
install(FILES deploy/systemd/cmetrack-central.service DESTINATION ${CMETRACK_UNIT_DIR} COMPONENT central)
install(FILES deploy/debian/cmetrack-central.default DESTINATION /etc/default RENAME cmetrack-central
        COMPONENT central)
install(DIRECTORY assets/demo/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cmetrack/demo COMPONENT central)
install(FILES README.md deploy/README.md docs/staff-api.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/cmetrack-central
        COMPONENT central OPTIONAL)

install(TARGETS cmetrack-kiosk cmetrack-sync RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
install(FILES deploy/systemd/cmetrack-kiosk.service deploy/systemd/cmetrack-sync.service
        DESTINATION ${CMETRACK_UNIT_DIR} COMPONENT kiosk)
install(FILES README.md deploy/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/cmetrack-kiosk
        COMPONENT kiosk OPTIONAL)
install(FILES kiosk/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/cmetrack-kiosk RENAME kiosk.md
        COMPONENT kiosk)
install(FILES sync/agent/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/cmetrack-kiosk RENAME sync.md
        COMPONENT kiosk)

# The maintainer scripts, one per package.
foreach(role IN ITEMS central kiosk)
  if(role STREQUAL "central")
    set(CMETRACK_USER cmetrack)
  else()
    set(CMETRACK_USER cmetrack-kiosk)
  endif()
  configure_file(deploy/debian/postinst ${PROJECT_BINARY_DIR}/debian/${role}/postinst @ONLY)
  file(CHMOD ${PROJECT_BINARY_DIR}/debian/${role}/postinst
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cmetrack)
set(CPACK_PACKAGE_VENDOR "cmetrack")
set(CPACK_PACKAGE_CONTACT "cmetrack maintainers <cmetrack@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL central kiosk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME cmetrack-central)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "adduser, fonts-dejavu-core")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SUGGESTS "cups-client, sqlite3")
file(WRITE ${PROJECT_BINARY_DIR}/debian/central/conffiles "/etc/default/cmetrack-central\n")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/central/postinst;${PROJECT_BINARY_DIR}/debian/central/conffiles")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION
    "cmetrack central node: stores scans once, computes AMA PRA Category 1 credit, serves the staff dashboard and desk")
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME cmetrack-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, fonts-dejavu-core")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, libgl1-mesa-dri")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA "${PROJECT_BINARY_DIR}/debian/kiosk/postinst")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "cmetrack door kiosk: records badge scans at a session room's door and sends them to the central node")
include(CPack)
