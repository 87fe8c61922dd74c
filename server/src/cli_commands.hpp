#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "report_settings.hpp"

namespace hrs::server {

struct token_args {
  std::string role;
  std::string team;
  std::string label;
  std::string id;
};

struct invite_args {
  std::string survey = "hr-service";
  std::vector<std::string> staff;
  std::string locale;
  std::string external_ref;
  int expires_in_days = 14;
  std::string base_url = "http://127.0.0.1:8080";
};

struct demo_args {
  std::size_t responses = 20000;
  std::uint64_t seed = 42;
  std::string base_url = "http://127.0.0.1:8080";
};

struct report_args {
  std::string format = "table";  // table, json or csv
  std::string from;              // empty: 89 days before today
  std::string to;                // empty: today
  std::string team;
  std::string staff;  // set: that staff member's scorecard with trend
  std::string survey;
  std::string sort;              // a dimension: order staff by its shrunk mean
  std::string bucket = "month";  // the trend's buckets: week or month
  report_settings settings;
};

int defs_check(const std::vector<std::string>& files);
int staff_import(const store_args& store, const std::string& csv_file);
int staff_print(const store_args& store);
int token_create(const store_args& store, const token_args& args);
int token_print(const store_args& store);
int token_revoke(const store_args& store, const std::string& id);
int invite_create(const store_args& store, const invite_args& args);
// Prints the newest `limit` audit entries, newest first, one a line.
int audit_print(const store_args& store, std::size_t limit);
int backup_store(const store_args& store, const std::string& file);
int comments_erase(const store_args& store, int older_than_days);
int demo_create(const store_args& store, const demo_args& args);
int report_print(const store_args& store, const report_args& args);

}  // namespace hrs::server
