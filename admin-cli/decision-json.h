#pragma once
// Records as JSON, for officials: the record a decision's Body holds, converted both ways by Cap'n Proto
// reflection, so every record kind of protocol/schema (present or added later) drafts and shows alike.
// Used by `hreg draft` (JSON, TOML or --set values in) and `hreg show` (JSON out); docs/formats.md,
// "Decision files". The mapping, field names being the schema's camelCase names:
//   Text -> string; integers -> numbers; Bool -> true/false; Void -> null; enums -> the enumerant's
//   name (kebab-case accepted too: "grand-master"); Data -> lowercase hex (every Data field of a record
//   is a SHA-256 or an Ed25519 key: 32 bytes, or empty for none); lists -> arrays; structs and groups ->
//   objects; a union -> the key of its member that is set;
//   times (an Int64 named time, founded, deadline, effective, from, until, or ending in At, From or
//   Until) -> the Beijing time "2026-03-02T10:30:00+08:00"; in, also integer UTC seconds, a Beijing
//   date "2026-03-02" (the second the day begins), "2026-03-02T10:30" or an explicit offset ("Z",
//   "+08:00"). 0 ("none") stays 0.
// An EntryRef is therefore {"origin": "hreg.example/140902", "index": 3, "leafHash": "<64 hex>"}.
// Left out: Float, AnyPointer and interface fields, which no record has.
#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/core/clock.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::cli {

using Json = nlohmann::ordered_json;

// RECORD_DATA_BYTES is the length of every Data field of a record: a SHA-256 (of a document, an entry,
// a sealed personal value) or an Ed25519 public key. Empty Data means "none".
inline constexpr std::size_t RECORD_DATA_BYTES = 32;

// kindFromName is the record kind named `name` in kebab-case ("joint-review-result", as
// rules::kindName spells it) or camelCase ("jointReviewResult"); nothing for an unknown name.
[[nodiscard]] std::optional<schema::Body::Which> kindFromName(std::string_view name);

// kindNames is every record kind's kebab-case name, in schema order, for messages and --help.
[[nodiscard]] std::vector<std::string> kindNames();

// isTimeField says whether `field` holds a time (see above): it is shown and read as a Beijing time.
[[nodiscard]] bool isTimeField(capnp::StructSchema::Field field);

// parseTime reads a time as officials write it: "2026-03-02" (its start in Beijing),
// "2026-03-02T10:30" or "2026-03-02 10:30:15" (Beijing), the same with "Z" or "+HH:MM"/"-HH:MM", or
// integer UTC seconds. Nothing for anything else, or a date that does not exist.
[[nodiscard]] std::optional<Timestamp> parseTime(std::string_view text);

// beijingTime is the ISO 8601 time in Beijing, "2026-03-02T10:30:00+08:00", which parseTime reads back.
[[nodiscard]] std::string beijingTime(Timestamp t);

// beijingTimeForPeople is "2026-03-02 10:30 Beijing", or "2026-03-02" for the start of a Beijing day.
[[nodiscard]] std::string beijingTimeForPeople(Timestamp t);

// recordJson is the record `body` holds (its union member), as a JSON object with every field.
[[nodiscard]] Json recordJson(schema::Body::Reader body);

// fillRecord sets `body` to a record of `kind` whose fields are those of the JSON object `record`
// (fields not named stay zero). Throws tlog::UsageError naming the field's path ("facts.items[0].level")
// and what it expects, for an unknown field, a wrong type, an integer out of range, a bad enumerant,
// hex that is not RECORD_DATA_BYTES long, or two members of one union.
void fillRecord(schema::Body::Builder body, schema::Body::Which kind, const Json& record);

// isTextPath says whether the dotted `path` (list indexes as numbers: "facts.managers.0") names a Text
// field, or a Text element of a list, of a record of `kind`: `hreg draft --set` then takes the value
// as it is written, even when it looks like a number ("plaque=0012", "code=12").
[[nodiscard]] bool isTextPath(schema::Body::Which kind, const std::vector<std::string>& path);

}  // namespace hreg::cli
