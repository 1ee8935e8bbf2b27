# Makes the web root from the linked module (cmake -P, run by src/app/CMakeLists.txt after each link):
#  - confhost.js / confhost.wasm are copied as confhost.<h>.js / confhost.<h>.wasm, <h> the first 16 hex
#    digits of the file's SHA-256, so the server can let browsers keep them for a year;
#  - index.html is the shell page with those names filled in (@CONFHOST_JS@, @CONFHOST_WASM@): it is the
#    one file that must be revalidated to see a new build;
#  - every text and wasm file gets x.gz (gzip -9) and x.br (brotli -q 11, when brotli is installed),
#    kept only when smaller than x, with x's modification time (the server skips a variant older than
#    its file);
#  - fingerprinted files and variants of earlier builds are removed.
# Inputs: MODULE_JS (the linked confhost.js; the .wasm is beside it), SHELL, SITE_DIR, ASSETS (files
# under ASSETS_ROOT, copied to the same relative path), GZIP, BROTLI (empty when absent).
cmake_minimum_required(VERSION 3.20)

function(fingerprinted_name file out)
  file(SHA256 ${file} hash)
  string(SUBSTRING ${hash} 0 16 short)
  get_filename_component(name ${file} NAME_WE)
  get_filename_component(ext ${file} LAST_EXT)
  set(${out} "${name}.${short}${ext}" PARENT_SCOPE)
endfunction()

get_filename_component(module_dir ${MODULE_JS} DIRECTORY)
get_filename_component(module_name ${MODULE_JS} NAME_WE)
set(module_wasm ${module_dir}/${module_name}.wasm)
fingerprinted_name(${MODULE_JS} CONFHOST_JS)
fingerprinted_name(${module_wasm} CONFHOST_WASM)
file(MAKE_DIRECTORY ${SITE_DIR})

# Earlier builds: other fingerprints, the unfingerprinted names of before, their variants.
file(GLOB old LIST_DIRECTORIES false ${SITE_DIR}/${module_name}.*)
foreach(f ${old})
  get_filename_component(n ${f} NAME)
  string(REGEX REPLACE "\\.(gz|br)$" "" base ${n})
  if(NOT base STREQUAL CONFHOST_JS AND NOT base STREQUAL CONFHOST_WASM)
    file(REMOVE ${f})
  endif()
endforeach()

set(site_files)
foreach(pair "${MODULE_JS}|${CONFHOST_JS}" "${module_wasm}|${CONFHOST_WASM}")
  string(REPLACE "|" ";" pair ${pair})
  list(GET pair 0 from)
  list(GET pair 1 to)
  if(NOT EXISTS ${SITE_DIR}/${to})
    file(COPY_FILE ${from} ${SITE_DIR}/${to})
  endif()
  list(APPEND site_files ${SITE_DIR}/${to})
endforeach()

foreach(asset ${ASSETS})
  file(RELATIVE_PATH rel ${ASSETS_ROOT} ${asset})
  get_filename_component(dir ${SITE_DIR}/${rel} DIRECTORY)
  file(COPY ${asset} DESTINATION ${dir})
  list(APPEND site_files ${SITE_DIR}/${rel})
endforeach()

configure_file(${SHELL} ${SITE_DIR}/index.html @ONLY)
list(APPEND site_files ${SITE_DIR}/index.html)

# Writes ${file}${suffix} with `command` (reading ${file}, writing stdout). A fingerprinted file's
# variant is made once: its name changes with its content.
function(compressed_variant file suffix)
  set(out ${file}${suffix})
  get_filename_component(name ${file} NAME)
  string(REPEAT "[0-9a-f]" 16 hex16)
  if(EXISTS ${out} AND name MATCHES "\\.${hex16}\\.[a-z]+$")
    return()
  endif()
  file(REMOVE ${out})
  execute_process(COMMAND ${ARGN} INPUT_FILE ${file} OUTPUT_FILE ${out}.part RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE ${out}.part)
    message(FATAL_ERROR "compressing ${file} failed: ${rc}")
  endif()
  file(SIZE ${file} plain)
  file(SIZE ${out}.part packed)
  if(packed GREATER_EQUAL plain)
    file(REMOVE ${out}.part)
    return()
  endif()
  # Same modification time as the file it stands for.
  execute_process(COMMAND touch -r ${file} ${out}.part)
  file(RENAME ${out}.part ${out})
endfunction()

foreach(f ${site_files})
  if(NOT f MATCHES "\\.(html|js|wasm|svg|txt|json|css)$")
    continue()
  endif()
  compressed_variant(${f} .gz ${GZIP} -9 -n -c)
  if(BROTLI)
    compressed_variant(${f} .br ${BROTLI} -q 11 -c)
  endif()
endforeach()
message(STATUS "site: ${CONFHOST_JS}, ${CONFHOST_WASM}")
