#include "desist/option.hpp"

#include <filesystem>
#include <memory>

#include "desist/yaml_reader.hpp"
#include "scenario_interventions.hpp"

namespace desist {

namespace {

Option read_option(const Scenario& base, const std::shared_ptr<YamlDocument>& doc,
                   const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) doc->apply_override(o);
  YamlNode root(doc, doc->root, "");
  root.expect_keys({"option", "interventions"});
  Option o;
  o.file = doc->file;
  const YamlNode meta = root.required("option");
  meta.expect_keys({"name", "description"});
  o.name = meta.required("name").text();
  o.description = meta.text_or("description", "");
  o.scenario = base;
  read_interventions(root.required("interventions"), o.scenario.parameters);
  o.scenario.file = base.file + " + " + doc->file;
  o.scenario.parameters.name = base.parameters.name + " + " + o.name;
  o.scenario.text = base.text + "\n# ---- option " + std::filesystem::path(doc->file).filename().string() + "\n" +
                    doc->effective_text();
  return o;
}

}  // namespace

Option load_option(const Scenario& base, const std::string& path, const std::vector<std::string>& overrides) {
  return read_option(base, std::make_shared<YamlDocument>(YamlDocument::load_file(path)), overrides);
}

Option parse_option(const Scenario& base, const std::string& text, const std::string& file,
                    const std::vector<std::string>& overrides) {
  return read_option(base, std::make_shared<YamlDocument>(YamlDocument::load_string(text, file)), overrides);
}

std::string option_key(const Option& option) { return std::filesystem::path(option.file).stem().string(); }

}  // namespace desist
