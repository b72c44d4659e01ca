# The Debian package (cpack -G DEB, or scripts/package): the worker and maskctl in /usr/bin,
# the systemd units, the nginx site and its snippets, and the environment file as a conffile.
# Included from the top-level CMakeLists.txt after every install() rule.

include(GNUInstallDirs)
set(MC_DEBIAN_DIR ${CMAKE_CURRENT_LIST_DIR})

# The units name the worker by its path: the repo's say /usr/local/bin (a hand install, as
# the README shows); the installed copies name the package's prefix instead.
foreach(unit masked-comms.service masked-comms.socket)
  install(CODE "
    file(READ \"${PROJECT_SOURCE_DIR}/systemd/${unit}\" text)
    string(REPLACE \"/usr/local/bin/\" \"\${CMAKE_INSTALL_PREFIX}/bin/\" text \"\${text}\")
    string(REPLACE \"file:///usr/local/share/doc/\" \"file://\${CMAKE_INSTALL_PREFIX}/share/doc/\"
           text \"\${text}\")
    file(WRITE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system/${unit}\" \"\${text}\")
  ")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/systemd/masked-comms.env.example
        DESTINATION /etc/masked-comms RENAME masked-comms.env
        PERMISSIONS OWNER_READ OWNER_WRITE)  # it holds the auth token
install(FILES ${PROJECT_SOURCE_DIR}/nginx/masked-comms.conf DESTINATION /etc/nginx/sites-available)
install(FILES ${PROJECT_SOURCE_DIR}/nginx/masked-comms/fastcgi.conf
              ${PROJECT_SOURCE_DIR}/nginx/masked-comms/locations.conf
        DESTINATION /etc/nginx/masked-comms)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${MC_DEBIAN_DIR}/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian wants the changelog and manual pages compressed at maximum, without a timestamp.
set(MC_COMPRESSED)
foreach(source ${MC_DEBIAN_DIR}/changelog ${PROJECT_SOURCE_DIR}/tools/maskctl/maskctl.1
               ${PROJECT_SOURCE_DIR}/fcgi-app/masked-comms-worker.1)
  get_filename_component(name ${source} NAME)
  set(compressed ${CMAKE_CURRENT_BINARY_DIR}/${name}.gz)
  add_custom_command(OUTPUT ${compressed} COMMAND gzip -9n -c ${source} > ${compressed}
                     DEPENDS ${source})
  list(APPEND MC_COMPRESSED ${compressed})
endforeach()
add_custom_target(debian_compressed_docs ALL DEPENDS ${MC_COMPRESSED})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/maskctl.1.gz
              ${CMAKE_CURRENT_BINARY_DIR}/masked-comms-worker.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME masked-comms)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "masked-comms maintainers <maintainers@masked-comms.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "masked phone numbers over Twilio (a Twilio Proxy replacement)")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "masked-comms connects people over SMS and voice through numbers from a pool,\n\
so that nobody learns anyone's real number. A FastCGI worker behind nginx\n\
keeps the session ledger, calls Twilio's REST APIs and answers its webhooks;\n\
maskctl manages the pool and checks that Twilio is wired to the deployment.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${MC_DEBIAN_DIR}/conffiles ${MC_DEBIAN_DIR}/postinst ${MC_DEBIAN_DIR}/prerm
    ${MC_DEBIAN_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
