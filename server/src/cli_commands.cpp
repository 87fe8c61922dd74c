#include "cli_commands.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hrs/engine/access_tokens.hpp"
#include "hrs/engine/audit.hpp"
#include "hrs/engine/definition_loader.hpp"
#include "hrs/engine/invitations.hpp"
#include "hrs/engine/retention.hpp"
#include "hrs/engine/roster.hpp"
#include "hrs/engine/store.hpp"

namespace hrs::server {

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

}  // namespace

int defs_check(const std::vector<std::string>& files) {
  int failures = 0;
  for (const auto& file : files) {
    auto loaded = engine::load_definition_file(file);
    if (!loaded) {
      ++failures;
      for (const auto& line : engine::format_problems(file, loaded.error()))
        fmt::print("{}\n", line);
      continue;
    }
    std::size_t rated = 0;
    for (const auto& q : loaded->questions)
      rated += q.dimension ? 1 : 0;
    fmt::print("{}: ok: {} version {}, {} questions ({} on scorecards), locales {}\n",
               std::filesystem::path(file).filename().string(), loaded->id, loaded->version,
               loaded->questions.size(), rated, fmt::join(loaded->locales, ", "));
  }
  return failures == 0 ? 0 : 1;
}

int staff_import(const store_args& store, const std::string& csv_file) {
  auto text = read_file(csv_file);
  if (!text)
    return report_error({engine::errc::not_found, fmt::format("cannot read {}", csv_file), {}, {}});
  auto roster = engine::parse_roster_csv(*text);
  if (!roster) return report_error(roster.error());
  auto s = open_store(store, false);
  if (!s) return 1;
  if (stderr_is_terminal()) fmt::print(stderr, "importing {} staff...\n", roster->size());
  auto summary = engine::import_staff(*s, *roster, engine::command_line_actor("staff import"));
  if (!summary) return report_error(summary.error());
  fmt::print("imported {} staff: {} new, {} updated, {} unchanged\n", roster->size(),
             summary->created, summary->updated, summary->unchanged);
  return 0;
}

int staff_print(const store_args& store) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto roster = engine::list_staff(*s);
  if (!roster) return report_error(roster.error());
  for (const auto& m : *roster)
    fmt::print("{:<12} {:<28} {}\n", m.id, m.name, m.team);
  return 0;
}

int token_create(const store_args& store, const token_args& args) {
  auto s = open_store(store, false);
  if (!s) return 1;
  engine::access_token_request request{*engine::parse_role(args.role), std::nullopt, args.label};
  if (!args.team.empty()) request.team = args.team;
  auto created =
      engine::create_access_token(*s, request, engine::command_line_actor("token create"));
  if (!created) return report_error(created.error());
  fmt::print("{}\n", *created->token);
  fmt::print(stderr, "created {} token {}{}; it is shown only now, keep it safe\n", args.role,
             created->id, request.team ? fmt::format(" for team {}", *request.team) : "");
  return 0;
}

int token_print(const store_args& store) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto tokens = engine::list_access_tokens(*s);
  if (!tokens) return report_error(tokens.error());
  for (const auto& t : *tokens) {
    fmt::print("{:<18} {:<12} {:<20} {:<22} {}\n", t.id, engine::to_string(t.granted),
               t.team.value_or("-"),
               t.revoked_at ? "revoked " + engine::format_timestamp(*t.revoked_at) : "active",
               t.label);
  }
  return 0;
}

int token_revoke(const store_args& store, const std::string& id) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto revoked = engine::revoke_access_token(*s, id, engine::command_line_actor("token revoke"));
  if (!revoked) return report_error(revoked.error());
  fmt::print("revoked {}\n", revoked->id);
  return 0;
}

int audit_print(const store_args& store, std::size_t limit) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto entries = engine::read_audit_log(*s, {.limit = limit});
  if (!entries) return report_error(entries.error());
  for (const auto& e : *entries) {
    fmt::print("{}  {:<18} {:<16} {:<18} {}  ({})\n", engine::format_timestamp(e.at), e.by.id,
               e.action, e.target, e.details.dump(), e.by.label);
  }
  return 0;
}

int invite_create(const store_args& store, const invite_args& args) {
  auto s = open_store(store, true);
  if (!s) return 1;
  engine::invitation_request request{args.survey, args.staff, args.locale, std::nullopt,
                                     args.expires_in_days};
  if (!args.external_ref.empty()) request.external_ref = args.external_ref;
  auto inv = engine::create_invitation(*s, request);
  if (!inv) return report_error(inv.error());
  if (!inv->created) {
    fmt::print(
        stderr,
        "invitation {} already exists for external ref {}; its link was shown when it was created "
        "(expires {}{})\n",
        inv->id, inv->external_ref.value_or(""), engine::format_timestamp(inv->expires_at),
        inv->answered ? ", answered" : "");
    return 0;
  }
  fmt::print("{}/s/{}\n", args.base_url, *inv->token);
  fmt::print(stderr, "invitation {} for {} in {}, expires {}\n", inv->id,
             fmt::join(inv->staff, ", "),
             inv->locale.empty() ? "the respondent's browser language" : inv->locale,
             engine::format_timestamp(inv->expires_at));
  return 0;
}

int backup_store(const store_args& store, const std::string& file) {
  if (std::filesystem::exists(file))
    return report_error(
        {engine::errc::conflict, fmt::format("{} exists; choose a new file", file), {}, {}});
  auto s = open_store(store, false);
  if (!s) return 1;
  if (auto ok = s->backup(file); !ok) return report_error(ok.error());
  fmt::print("backed up {} to {}\n", store.db, file);
  return 0;
}

int comments_erase(const store_args& store, int older_than_days) {
  auto s = open_store(store, false);
  if (!s) return 1;
  auto erased =
      engine::erase_old_texts(*s, older_than_days, engine::command_line_actor("comments erase"));
  if (!erased) return report_error(erased.error());
  fmt::print("erased {} comment rows and the text answers of {} responses older than {} days\n",
             erased->comment_rows, erased->responses, older_than_days);
  if (!erased->wal_emptied) {
    fmt::print(stderr,
               "the WAL could not be emptied (a reader was busy): the erased texts may stay in "
               "{}-wal until the next checkpoint; run the command again\n",
               store.db);
    return 1;
  }
  return 0;
}

}  // namespace hrs::server
