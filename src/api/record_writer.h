// kintone's record object ({code: {"type", "value"}} with the system fields), written straight to
// text: GET /k/v1/records.json answers up to 500 of them per call, so no nlohmann value is built
// per field. Made once per response: the app's system field codes and the `fields` filter are
// resolved up front, then write() runs once per record.
#pragma once

#include <string>
#include <vector>

#include "api/json/writer.h"
#include "domain/directory.h"
#include "domain/types.h"

namespace ringi::api {

class RecordWriter {
 public:
  // `only`, when non-empty, limits the fields written (the request's `fields`).
  RecordWriter(const domain::App& app, const domain::Directory& dir,
               const std::vector<std::string>& only = {});
  RecordWriter(const RecordWriter&) = delete;  // its columns point into its own systemCodes_
  RecordWriter& operator=(const RecordWriter&) = delete;
  void write(JsonWriter& w, const domain::Record& r) const;

 private:
  enum class Sys {
    none,
    recordNumber,
    id,
    revision,
    creator,
    createdTime,
    modifier,
    updatedTime,
    status,
    assignees
  };
  struct Column {
    const std::string* code;
    Sys sys = Sys::none;
    const domain::FieldDef* def = nullptr;      // a form field (sys == none)
    const domain::FieldValue* value = nullptr;  // a value the form has no field for
  };
  static void merge(std::vector<Column>& cols, const Column& c);
  bool wanted(const std::string& code) const;
  void writeValue(JsonWriter& w, const Column& c, const domain::Record& r) const;
  void writeEntity(JsonWriter& w, const std::string& code, domain::FieldType t) const;

  const domain::App& app_;
  const domain::Directory& dir_;
  const std::vector<std::string>& only_;
  std::vector<Column> fixed_;    // form fields, in form order (wanted ones only)
  std::vector<Column> system_;   // system fields, in kintone's order (wanted ones only)
  std::vector<Column> columns_;  // fixed_ then system_, merged: a record without stray values
  std::vector<std::string> systemCodes_;
};

}  // namespace ringi::api
