#include "twiml_reader.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

namespace mc::sandbox {
namespace {

namespace pt = boost::property_tree;

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

TwimlNode convert(const std::string& name, const pt::ptree& tree) {
  TwimlNode node;
  node.name = name;
  node.text = trim(tree.data());
  for (const auto& [child_name, child] : tree) {
    if (child_name == "<xmlattr>") {
      for (const auto& [attribute, value] : child) node.attributes[attribute] = value.data();
    } else if (child_name != "<xmlcomment>") {
      node.children.push_back(convert(child_name, child));
    }
  }
  return node;
}

}  // namespace

Result<TwimlNode> read_twiml_document(std::string_view document) {
  pt::ptree tree;
  try {
    std::istringstream in{std::string(document)};
    pt::read_xml(in, tree);
  } catch (const pt::xml_parser_error& e) {
    return Status::invalid_argument(std::string("TwiML is not well-formed XML: ") + e.what(),
                                    12100);
  }
  if (tree.size() != 1 || tree.begin()->first != "Response") {
    return Status::invalid_argument("TwiML root element must be <Response>", 12100);
  }
  return convert("Response", tree.begin()->second);
}

Result<std::vector<TwimlNode>> read_twiml(std::string_view document) {
  auto root = read_twiml_document(document);
  if (!root) return root.status();
  return std::move(root->children);
}

}  // namespace mc::sandbox
