#include "desist/option.hpp"

#include <filesystem>
#include <memory>

#include "desist/yaml_reader.hpp"
#include "scenario_interventions.hpp"

namespace desist {

Option load_option(const Scenario& base, const std::string& path) {
  auto doc = std::make_shared<YamlDocument>(YamlDocument::load_file(path));
  YamlNode root(doc, doc->root, "");
  root.expect_keys({"option", "interventions"});
  Option o;
  o.file = path;
  const YamlNode meta = root.required("option");
  meta.expect_keys({"name", "description"});
  o.name = meta.required("name").text();
  o.description = meta.text_or("description", "");
  o.scenario = base;
  read_interventions(root.required("interventions"), o.scenario.parameters);
  o.scenario.file = base.file + " + " + path;
  o.scenario.parameters.name = base.parameters.name + " + " + o.name;
  o.scenario.text = base.text + "\n# ---- option " + std::filesystem::path(path).filename().string() + "\n" + doc->text;
  return o;
}

std::string option_key(const Option& option) { return std::filesystem::path(option.file).stem().string(); }

}  // namespace desist
