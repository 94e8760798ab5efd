# The public plaque check page (node/web/): its files are embedded into hreg-node at build time, so
# the daemon stays one binary. hreg_embed_web(TARGET) generates web-assets.h (one byte array per
# file, with its path and content type) for node/web.cpp, regenerated when a file changes.
set(HREG_WEB_FILES index.html style.css dom.js capnp.js records.js verify.js plaque.js statistics.js replication.js)

function(hreg_embed_web target)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/web)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/generated/node/web-assets.h)
  list(TRANSFORM HREG_WEB_FILES PREPEND ${dir}/ OUTPUT_VARIABLE inputs)
  string(REPLACE ";" "," names "${HREG_WEB_FILES}")
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DNAMES=${names} -DOUT=${out} -P ${dir}/embed.cmake
    DEPENDS ${inputs} ${dir}/embed.cmake
    COMMENT "Embedding node/web/ into hreg-node")
  target_sources(${target} PRIVATE ${out})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
endfunction()
