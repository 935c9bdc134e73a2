// libyaml's event parser (Debian's libyaml-dev) to a YamlNode tree. Why libyaml and not a parser
// of our own: docs/inventory.md, "Dependencies".
#include "yaml_tree.hpp"

#include <fmt/format.h>

#include <map>
#include <yaml.h>

namespace digger::inventory {
namespace {

using util::Error;

struct Parser {
  yaml_parser_t handle{};
  bool ready = false;
  Parser() { ready = yaml_parser_initialize(&handle) != 0; }
  ~Parser() {
    if (ready) {
      yaml_parser_delete(&handle);
    }
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};

struct Event {
  yaml_event_t handle{};
  ~Event() { yaml_event_delete(&handle); }
};

std::string text_of(const yaml_char_t* text) {
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

class Builder {
public:
  explicit Builder(std::string file) : file_(std::move(file)) {}

  util::Result<std::shared_ptr<const YamlNode>> run(std::string_view text) {
    Parser parser;
    if (!parser.ready) {
      return Error{fmt::format("{}: cannot start the YAML parser", file_)};
    }
    yaml_parser_set_input_string(&parser.handle,
                                 reinterpret_cast<const unsigned char*>(text.data()), text.size());
    while (true) {
      Event event;
      if (yaml_parser_parse(&parser.handle, &event.handle) == 0) {
        return Error{fmt::format("{}:{}: {}", file_, parser.handle.problem_mark.line + 1,
                                 parser.handle.problem ? parser.handle.problem : "bad YAML")};
      }
      auto done = on_event(event.handle);
      if (!done) {
        return Error{done.error()};
      }
      if (*done || event.handle.type == YAML_STREAM_END_EVENT) {
        break;
      }
    }
    if (!root_) {
      return Error{fmt::format("{}:1: empty YAML document", file_)};
    }
    return root_;
  }

private:
  // True once the first document is complete.
  util::Result<bool> on_event(const yaml_event_t& event) {
    size_t line = event.start_mark.line + 1;
    switch (event.type) {
    case YAML_DOCUMENT_END_EVENT:
      return root_ != nullptr;
    case YAML_SCALAR_EVENT: {
      auto node = std::make_shared<YamlNode>();
      node->value.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                         event.data.scalar.length);
      node->tag = text_of(event.data.scalar.tag);
      node->plain = event.data.scalar.plain_implicit != 0;
      node->line = line;
      return add(node, text_of(event.data.scalar.anchor), line);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      if (open_.size() >= max_yaml_depth) {
        return Error{
            fmt::format("{}:{}: nested deeper than {} levels", file_, line, max_yaml_depth)};
      }
      auto node = std::make_shared<YamlNode>();
      bool mapping = event.type == YAML_MAPPING_START_EVENT;
      node->kind = mapping ? YamlNode::Kind::mapping : YamlNode::Kind::sequence;
      node->tag = text_of(mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag);
      node->line = line;
      open_.push_back({node, text_of(mapping ? event.data.mapping_start.anchor
                                             : event.data.sequence_start.anchor)});
      return false;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      auto [node, anchor] = std::move(open_.back());
      open_.pop_back();
      return add(node, anchor, line);
    }
    case YAML_ALIAS_EVENT: {
      auto it = anchors_.find(text_of(event.data.alias.anchor));
      if (it == anchors_.end()) {
        return Error{fmt::format("{}:{}: unknown alias '*{}'", file_, line,
                                 text_of(event.data.alias.anchor))};
      }
      return add(it->second, "", line);
    }
    default:
      return false;
    }
  }

  util::Result<bool> add(std::shared_ptr<const YamlNode> node, const std::string& anchor,
                         size_t line) {
    if (++count_ > max_yaml_nodes) {
      return Error{fmt::format("{}:{}: more than {} YAML nodes", file_, line, max_yaml_nodes)};
    }
    if (!anchor.empty()) {
      anchors_[anchor] = node;
    }
    if (open_.empty()) {
      root_ = std::move(node);
    } else {
      open_.back().first->items.push_back(std::move(node));
    }
    return false;
  }

  std::string file_;
  std::vector<std::pair<std::shared_ptr<YamlNode>, std::string>> open_;
  std::map<std::string, std::shared_ptr<const YamlNode>> anchors_;
  std::shared_ptr<const YamlNode> root_;
  size_t count_ = 0;
};

} // namespace

util::Result<std::shared_ptr<const YamlNode>> parse_yaml(std::string_view text,
                                                         std::string_view file_name) {
  return Builder(std::string(file_name)).run(text);
}

} // namespace digger::inventory
