# cmake -DOUTPUT=<file.cpp> -DSCHEMA=<schema.json> -DPACKS=<a.json;b.json> -P EmbedFiles.cmake
# Writes the rule packs and their schema into a C++ source as raw strings, so
# every uisan binary carries the shipped rules without an install location.
set(out "// Generated from rules/ by cmake/EmbedFiles.cmake. Do not edit.\n")
string(APPEND out "#include \"uisan/rules/RulePack.h\"\n\nnamespace uisan::rules {\n")
file(READ "${SCHEMA}" schema_text)
string(APPEND out "const char *packSchemaText() {\n  return R\"uisan_json(${schema_text})uisan_json\";\n}\n\n")
string(APPEND out "const std::vector<ShippedPack> &shippedPackTexts() {\n  static const std::vector<ShippedPack> Packs = {\n")
foreach(pack IN LISTS PACKS)
  get_filename_component(name "${pack}" NAME)
  file(READ "${pack}" text)
  string(APPEND out "    {\"${name}\", R\"uisan_json(${text})uisan_json\"},\n")
endforeach()
string(APPEND out "  };\n  return Packs;\n}\n\n} // namespace uisan::rules\n")
file(WRITE "${OUTPUT}.tmp" "${out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
