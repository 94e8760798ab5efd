// Records as JSON by Cap'n Proto reflection (admin-cli/decision-json.h).
#include "admin-cli/decision-json.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include "admin-cli/tlog-input.h"
#include "ledger/rules/date.h"
#include "ledger/rules/subject.h"
#include "protocol/core/bytes.h"

namespace hreg::cli {
namespace {

using tlog::UsageError;
using TypeWhich = capnp::schema::Type::Which;

constexpr Timestamp DAY = 86400;
constexpr std::uint16_t NO_DISCRIMINANT = capnp::schema::Field::NO_DISCRIMINANT;

std::string nameOf(capnp::StructSchema::Field field) { return field.getProto().getName().cStr(); }

bool inUnion(capnp::StructSchema::Field field) {
  return field.getProto().getDiscriminantValue() != NO_DISCRIMINANT;
}

// structName is the schema's short name of a struct ("WorkshopFacts"), for messages.
std::string structName(capnp::StructSchema schema) {
  std::string_view full = schema.getProto().getDisplayName().cStr();
  full.remove_prefix(schema.getProto().getDisplayNamePrefixLength());
  return std::string(full);
}

// camelFromKebab turns "grand-master" into "grandMaster"; other text is returned as it is.
std::string camelFromKebab(std::string_view text) {
  std::string out;
  bool upper = false;
  for (char c : text) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

std::string join(const std::vector<std::string>& words, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : std::string(separator)) + w;
  return out;
}

std::string fieldNames(capnp::StructSchema schema) {
  std::vector<std::string> names;
  for (auto f : schema.getFields()) names.push_back(nameOf(f));
  return join(names);
}

std::string enumerantNames(capnp::EnumSchema schema) {
  std::vector<std::string> names;
  for (auto e : schema.getEnumerants()) names.emplace_back(e.getProto().getName().cStr());
  return join(names);
}

std::string typeName(capnp::Type type) {
  switch (type.which()) {
    case TypeWhich::VOID: return "Void";
    case TypeWhich::BOOL: return "Bool";
    case TypeWhich::INT8: return "Int8";
    case TypeWhich::INT16: return "Int16";
    case TypeWhich::INT32: return "Int32";
    case TypeWhich::INT64: return "Int64";
    case TypeWhich::UINT8: return "UInt8";
    case TypeWhich::UINT16: return "UInt16";
    case TypeWhich::UINT32: return "UInt32";
    case TypeWhich::UINT64: return "UInt64";
    case TypeWhich::FLOAT32: return "Float32";
    case TypeWhich::FLOAT64: return "Float64";
    case TypeWhich::TEXT: return "Text";
    case TypeWhich::DATA: return "Data";
    case TypeWhich::LIST: return fmt::format("List({})", typeName(type.asList().getElementType()));
    case TypeWhich::ENUM: return std::string(type.asEnum().getUnqualifiedName().cStr());
    case TypeWhich::STRUCT: return structName(type.asStruct());
    case TypeWhich::INTERFACE: return "an interface";
    case TypeWhich::ANY_POINTER: return "AnyPointer";
  }
  return "an unknown type";
}

// --- times -------------------------------------------------------------------------------------------

// digits reads exactly `n` decimal digits at `text[at]`.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t n) {
  if (text.size() < at + n) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// offsetSeconds reads "", "Z", "+HH:MM" or "-HH:MM": the zone of a time written with it ("" is Beijing).
std::optional<Timestamp> offsetSeconds(std::string_view zone) {
  if (zone.empty()) return rules::CST_OFFSET_SECONDS;
  if (zone == "Z" || zone == "z") return 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
  auto hours = digits(zone, 1, 2), minutes = digits(zone, 4, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  Timestamp seconds = *hours * 3600 + *minutes * 60;
  return zone[0] == '-' ? -seconds : seconds;
}

// --- JSON out ----------------------------------------------------------------------------------------

Json valueJson(capnp::DynamicValue::Reader value, capnp::Type type, bool isTime);

Json structJson(capnp::DynamicStruct::Reader reader) {
  Json out = Json::object();
  auto active = reader.which();
  for (auto field : reader.getSchema().getFields()) {
    if (inUnion(field)) {
      KJ_IF_MAYBE (set, active) {
        if (*set != field) continue;
      } else {
        continue;
      }
    }
    out[nameOf(field)] = valueJson(reader.get(field), field.getType(), isTimeField(field));
  }
  return out;
}

Json valueJson(capnp::DynamicValue::Reader value, capnp::Type type, bool isTime) {
  switch (type.which()) {
    case TypeWhich::VOID: return nullptr;
    case TypeWhich::BOOL: return value.as<bool>();
    case TypeWhich::INT8:
    case TypeWhich::INT16:
    case TypeWhich::INT32:
    case TypeWhich::INT64: {
      auto n = value.as<std::int64_t>();
      if (isTime && n != 0) return beijingTime(n);
      return n;
    }
    case TypeWhich::UINT8:
    case TypeWhich::UINT16:
    case TypeWhich::UINT32:
    case TypeWhich::UINT64: return value.as<std::uint64_t>();
    case TypeWhich::FLOAT32:
    case TypeWhich::FLOAT64: return value.as<double>();
    case TypeWhich::TEXT: return std::string(value.as<capnp::Text>().cStr());
    case TypeWhich::DATA: {
      auto data = value.as<capnp::Data>();
      return toHex(ByteView(data.begin(), data.size()));
    }
    case TypeWhich::LIST: {
      Json out = Json::array();
      auto element = type.asList().getElementType();
      for (auto item : value.as<capnp::DynamicList>()) out.push_back(valueJson(item, element, false));
      return out;
    }
    case TypeWhich::ENUM: {
      auto e = value.as<capnp::DynamicEnum>();
      KJ_IF_MAYBE (enumerant, e.getEnumerant()) return std::string(enumerant->getProto().getName().cStr());
      return e.getRaw();  // a value from a newer schema: its number
    }
    case TypeWhich::STRUCT: return structJson(value.as<capnp::DynamicStruct>());
    case TypeWhich::INTERFACE:
    case TypeWhich::ANY_POINTER: break;
  }
  return nullptr;
}

// --- JSON in -----------------------------------------------------------------------------------------

[[noreturn]] void expected(const std::string& path, std::string_view what, const Json& got) {
  std::string shown = got.dump();
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  throw UsageError(fmt::format("{}: expected {}, not {}", path, what, shown));
}

template <class T>
capnp::DynamicValue::Reader integerIn(const std::string& path, const Json& j, const std::string& type) {
  auto range = fmt::format("an integer from {} to {} ({})", std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max(), type);
  if (!j.is_number_integer()) expected(path, range, j);
  if (j.is_number_unsigned()) {
    auto n = j.get<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) expected(path, range, j);
    if constexpr (std::is_signed_v<T>) return static_cast<std::int64_t>(n);
    else return static_cast<std::uint64_t>(n);
  }
  auto n = j.get<std::int64_t>();
  if constexpr (std::is_signed_v<T>) {
    if (n < std::numeric_limits<T>::min() || n > std::numeric_limits<T>::max()) expected(path, range, j);
    return n;
  } else {
    if (n < 0 || static_cast<std::uint64_t>(n) > std::numeric_limits<T>::max()) expected(path, range, j);
    return static_cast<std::uint64_t>(n);
  }
}

// Scalar holds a value read from JSON until it is set; Text and Data are kept in it, and reader()
// points into them where the Scalar stands (a copy moves short strings).
struct Scalar {
  std::string text;
  Bytes bytes;
  capnp::DynamicValue::Reader value;
  TypeWhich kind = TypeWhich::VOID;
  capnp::DynamicValue::Reader reader() const {
    if (kind == TypeWhich::TEXT) return capnp::Text::Reader(text.c_str(), text.size());
    if (kind == TypeWhich::DATA) return capnp::Data::Reader(bytes.data(), bytes.size());
    return value;
  }
};

Scalar scalarIn(const std::string& path, const Json& j, capnp::Type type, bool isTime) {
  Scalar out;
  out.kind = type.which();
  const std::string name = typeName(type);
  switch (type.which()) {
    case TypeWhich::VOID:
      if (!j.is_null() && !(j.is_boolean() && j.get<bool>())) expected(path, "null (a Void member)", j);
      out.value = capnp::VOID;
      return out;
    case TypeWhich::BOOL:
      if (!j.is_boolean()) expected(path, "true or false", j);
      out.value = j.get<bool>();
      return out;
    case TypeWhich::INT8: out.value = integerIn<std::int8_t>(path, j, name); return out;
    case TypeWhich::INT16: out.value = integerIn<std::int16_t>(path, j, name); return out;
    case TypeWhich::INT32: out.value = integerIn<std::int32_t>(path, j, name); return out;
    case TypeWhich::INT64:
      if (isTime) {
        std::optional<Timestamp> t;
        if (j.is_number_integer() && !j.is_number_unsigned()) t = j.get<std::int64_t>();
        else if (j.is_number_unsigned() && j.get<std::uint64_t>() <= INT64_MAX) t = static_cast<Timestamp>(j.get<std::uint64_t>());
        else if (j.is_string()) t = parseTime(j.get<std::string>());
        if (!t)
          expected(path, "a time: a Beijing date \"2026-03-02\", a Beijing time \"2026-03-02T10:30\", a time with "
                         "its offset \"2026-03-02T02:30Z\", or UTC seconds", j);
        out.value = *t;
        return out;
      }
      out.value = integerIn<std::int64_t>(path, j, name);
      return out;
    case TypeWhich::UINT8: out.value = integerIn<std::uint8_t>(path, j, name); return out;
    case TypeWhich::UINT16: out.value = integerIn<std::uint16_t>(path, j, name); return out;
    case TypeWhich::UINT32: out.value = integerIn<std::uint32_t>(path, j, name); return out;
    case TypeWhich::UINT64: out.value = integerIn<std::uint64_t>(path, j, name); return out;
    case TypeWhich::FLOAT32:
    case TypeWhich::FLOAT64:
      if (!j.is_number()) expected(path, "a number", j);
      out.value = j.get<double>();
      return out;
    case TypeWhich::TEXT:
      if (!j.is_string()) expected(path, "a string", j);
      out.text = j.get<std::string>();
      return out;
    case TypeWhich::DATA: {
      auto what = fmt::format("{} hex digits (a SHA-256 or a key), or \"\" for none", 2 * RECORD_DATA_BYTES);
      if (!j.is_string()) expected(path, what, j);
      auto bytes = fromHex(j.get<std::string>());
      if (!bytes || (!bytes->empty() && bytes->size() != RECORD_DATA_BYTES)) expected(path, what, j);
      out.bytes = std::move(*bytes);
      return out;
    }
    case TypeWhich::ENUM: {
      auto schema = type.asEnum();
      auto what = fmt::format("one of {}", enumerantNames(schema));
      if (!j.is_string()) expected(path, what, j);
      std::string text = j.get<std::string>();
      KJ_IF_MAYBE (e, schema.findEnumerantByName(text)) {
        out.value = capnp::DynamicEnum(*e);
        return out;
      }
      KJ_IF_MAYBE (e, schema.findEnumerantByName(camelFromKebab(text))) {
        out.value = capnp::DynamicEnum(*e);
        return out;
      }
      expected(path, what, j);
    }
    case TypeWhich::LIST:
    case TypeWhich::STRUCT:
    case TypeWhich::INTERFACE:
    case TypeWhich::ANY_POINTER: break;
  }
  throw UsageError(fmt::format("{}: a {} cannot be written in a record", path, name));
}

void fillStruct(capnp::DynamicStruct::Builder builder, const Json& j, const std::string& path);

void fillList(capnp::DynamicList::Builder list, capnp::Type element, const Json& j, const std::string& path) {
  for (unsigned i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{}[{}]", path, i);
    const Json& item = j[i];
    if (element.isStruct()) {
      if (!item.is_object()) expected(at, fmt::format("an object (a {})", typeName(element)), item);
      fillStruct(list[i].as<capnp::DynamicStruct>(), item, at);
    } else if (element.isList()) {
      if (!item.is_array()) expected(at, "an array", item);
      fillList(list.init(i, static_cast<unsigned>(item.size())).as<capnp::DynamicList>(),
               element.asList().getElementType(), item, at);
    } else {
      Scalar value = scalarIn(at, item, element, false);
      list.set(i, value.reader());
    }
  }
}

// isEmpty says whether a struct holds only default values and null pointers: it reads exactly as a
// struct never set. fillField clears such a struct, as it leaves empty Text, Data and lists unset, so
// that one record has one encoding: a value shown as "" or [] and drafted again from JSON gives the
// same bytes as a draft that never named it (canonical bytes tell a null pointer from an empty one).
bool isEmpty(capnp::DynamicStruct::Reader reader) {
  KJ_IF_MAYBE (active, reader.which()) {
    if (active->getProto().getDiscriminantValue() != 0) return false;
  }
  for (auto field : reader.getSchema().getFields()) {
    if (field.getProto().isGroup()) {
      if (inUnion(field) && !reader.has(field)) continue;
      if (!isEmpty(reader.get(field).as<capnp::DynamicStruct>())) return false;
    } else if (reader.has(field, capnp::HasMode::NON_DEFAULT)) {
      return false;
    }
  }
  return true;
}

void fillField(capnp::DynamicStruct::Builder builder, capnp::StructSchema::Field field, const Json& j,
               const std::string& path) {
  capnp::Type type = field.getType();
  if (type.isStruct()) {
    if (j.is_null()) return;
    if (!j.is_object()) expected(path, fmt::format("an object (a {})", typeName(type)), j);
    fillStruct(builder.init(field).as<capnp::DynamicStruct>(), j, path);
    if (!field.getProto().isGroup() && isEmpty(builder.asReader().get(field).as<capnp::DynamicStruct>()))
      builder.clear(field);
  } else if (type.isList()) {
    if (j.is_null()) return;
    if (!j.is_array()) expected(path, fmt::format("an array ({})", typeName(type)), j);
    if (j.empty()) {
      if (inUnion(field)) builder.clear(field);  // selects the member, its list null
      return;
    }
    fillList(builder.init(field, static_cast<unsigned>(j.size())).as<capnp::DynamicList>(),
             type.asList().getElementType(), j, path);
  } else {
    Scalar value = scalarIn(path, j, type, isTimeField(field));
    bool empty = (type.isText() && value.text.empty()) || (type.isData() && value.bytes.empty());
    if (empty && inUnion(field)) builder.clear(field);
    else if (!empty) builder.set(field, value.reader());
  }
}

void fillStruct(capnp::DynamicStruct::Builder builder, const Json& j, const std::string& path) {
  auto schema = builder.getSchema();
  std::optional<std::string> unionMember;
  for (const auto& [key, value] : j.items()) {
    std::string at = path.empty() ? key : fmt::format("{}.{}", path, key);
    KJ_IF_MAYBE (field, schema.findFieldByName(key)) {
      if (inUnion(*field)) {
        if (unionMember)
          throw UsageError(fmt::format("{}: give only one of {} and {}, members of one union", path.empty() ? key : at,
                                       *unionMember, key));
        unionMember = key;
      }
      fillField(builder, *field, value, at);
    } else {
      throw UsageError(fmt::format("{}: a {} has no field '{}'; its fields are {}", at, structName(schema), key,
                                   fieldNames(schema)));
    }
  }
}

capnp::StructSchema::Field kindField(schema::Body::Which kind) {
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields())
    if (field.getProto().getDiscriminantValue() == static_cast<std::uint16_t>(kind)) return field;
  fail(fmt::format("no Body member for kind {}", static_cast<int>(kind)));
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<schema::Body::Which> kindFromName(std::string_view name) {
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields()) {
    auto which = static_cast<schema::Body::Which>(field.getProto().getDiscriminantValue());
    if (name == rules::kindName(which) || name == field.getProto().getName().cStr()) return which;
  }
  return std::nullopt;
}

std::vector<std::string> kindNames() {
  std::vector<std::string> out;
  for (auto field : capnp::Schema::from<schema::Body>().getUnionFields())
    out.push_back(rules::kindName(static_cast<schema::Body::Which>(field.getProto().getDiscriminantValue())));
  return out;
}

bool isTimeField(capnp::StructSchema::Field field) {
  if (field.getType().which() != TypeWhich::INT64) return false;
  std::string_view name = field.getProto().getName().cStr();
  return name == "time" || name == "founded" || name == "deadline" || name == "effective" || name == "from" ||
         name == "until" || name.ends_with("At") || name.ends_with("From") || name.ends_with("Until");
}

std::optional<Timestamp> parseTime(std::string_view text) {
  if (allDigits(text) || (text.starts_with('-') && allDigits(text.substr(1)))) {
    Timestamp t = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), t);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return t;
  }
  auto date = rules::parseDate(text.substr(0, 10));
  if (!date) return std::nullopt;
  std::string_view rest = text.substr(10);
  Timestamp seconds = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    auto hours = digits(rest, 1, 2), minutes = digits(rest, 4, 2);
    if (!hours || !minutes || rest.size() < 6 || rest[3] != ':' || *hours > 23 || *minutes > 59) return std::nullopt;
    seconds = *hours * 3600 + *minutes * 60;
    rest.remove_prefix(6);
    if (rest.starts_with(':')) {
      auto s = digits(rest, 1, 2);
      if (!s || *s > 59) return std::nullopt;
      seconds += *s;
      rest.remove_prefix(3);
    }
  }
  auto offset = offsetSeconds(rest);
  if (!offset) return std::nullopt;
  // startOfDay is the UTC second of Beijing midnight; the same wall time at `offset` is shifted by the
  // difference of the two offsets.
  return rules::startOfDay(*date) + rules::CST_OFFSET_SECONDS - *offset + seconds;
}

std::string beijingTime(Timestamp t) {
  Timestamp local = t + rules::CST_OFFSET_SECONDS;
  Timestamp ofDay = ((local % DAY) + DAY) % DAY;
  return fmt::format("{}T{:02}:{:02}:{:02}+08:00", rules::formatDate(rules::dateOf(t)), ofDay / 3600,
                     ofDay / 60 % 60, ofDay % 60);
}

std::string beijingTimeForPeople(Timestamp t) {
  Timestamp local = t + rules::CST_OFFSET_SECONDS;
  Timestamp ofDay = ((local % DAY) + DAY) % DAY;
  std::string date = rules::formatDate(rules::dateOf(t));
  if (ofDay == 0) return date;
  if (ofDay % 60 == 0) return fmt::format("{} {:02}:{:02} Beijing", date, ofDay / 3600, ofDay / 60 % 60);
  return fmt::format("{} {:02}:{:02}:{:02} Beijing", date, ofDay / 3600, ofDay / 60 % 60, ofDay % 60);
}

Json recordJson(schema::Body::Reader body) {
  capnp::DynamicStruct::Reader dynamic = body;
  KJ_IF_MAYBE (field, dynamic.which()) {
    auto value = dynamic.get(*field);
    if (field->getType().isStruct()) return structJson(value.as<capnp::DynamicStruct>());
    return valueJson(value, field->getType(), false);
  }
  return Json::object();  // a kind from a newer schema: nothing this hreg can show
}

void fillRecord(schema::Body::Builder body, schema::Body::Which kind, const Json& record) {
  if (!record.is_object()) expected(rules::kindName(kind), "an object of the record's fields", record);
  capnp::DynamicStruct::Builder dynamic = body;
  auto field = kindField(kind);
  fillStruct(dynamic.init(field).as<capnp::DynamicStruct>(), record, "");
}

bool isTextPath(schema::Body::Which kind, const std::vector<std::string>& path) {
  capnp::Type type = kindField(kind).getType();
  for (const std::string& segment : path) {
    if (type.isList()) {
      if (!allDigits(segment)) return false;
      type = type.asList().getElementType();
      continue;
    }
    if (!type.isStruct()) return false;
    KJ_IF_MAYBE (field, type.asStruct().findFieldByName(segment)) {
      type = field->getType();
    } else {
      return false;
    }
  }
  return type.isText();
}

}  // namespace hreg::cli
