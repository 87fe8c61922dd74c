#include "hrs/server/cli.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <functional>

#include "cli_commands.hpp"
#include "cli_support.hpp"
#include "serve.hpp"

namespace hrs::server {

namespace {

void add_store_options(CLI::App& cmd, store_args& args, bool with_defs) {
  cmd.add_option("--db", args.db, "SQLite store file")
      ->envname("HRSURVEY_DB")
      ->capture_default_str();
  if (with_defs)
    cmd.add_option("--defs", args.defs, "folder of survey templates")
        ->envname("HRSURVEY_DEFS")
        ->capture_default_str();
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"hrsurvey: internal-customer satisfaction surveys for HR departments", "hrsurvey"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hrsurvey 0.1.0");
  // A misspelled key or section in the --config file stops the command, naming it,
  // rather than leaving a setting at its default unnoticed.
  app.allow_config_extras(CLI::config_extras_mode::error);
  // Logs go to stderr: stdout carries what commands print (tokens, links, the address).
  spdlog::set_default_logger(spdlog::stderr_color_mt("hrsurvey"));
  spdlog::set_level(spdlog::level::warn);

  store_args store;
  std::function<int()> run;

  auto* defs = app.add_subcommand("defs", "survey templates");
  defs->require_subcommand(1);
  std::vector<std::string> def_files;
  auto* check = defs->add_subcommand(
      "check", "validate template files; prints every problem as file: /pointer: message");
  check->add_option("files", def_files, "template files")->required()->check(CLI::ExistingFile);
  check->callback([&] { run = [&] { return defs_check(def_files); }; });

  auto* staff = app.add_subcommand("staff", "the HR staff roster");
  staff->require_subcommand(1);
  std::string csv_file;
  auto* import_cmd =
      staff->add_subcommand("import", "import a CSV roster with the header id,name,team");
  import_cmd->add_option("file", csv_file, "CSV file")->required()->check(CLI::ExistingFile);
  add_store_options(*import_cmd, store, false);
  import_cmd->callback([&] { run = [&] { return staff_import(store, csv_file); }; });
  auto* staff_list = staff->add_subcommand("list", "print the roster");
  add_store_options(*staff_list, store, false);
  staff_list->callback([&] { run = [&] { return staff_print(store); }; });

  auto* token = app.add_subcommand("token", "access tokens for the API and the dashboard");
  token->require_subcommand(1);
  token_args tokens;
  auto* create = token->add_subcommand("create", "create a token; it is printed once");
  create->add_option("--role", tokens.role, "admin, lead or integration")
      ->required()
      ->check(CLI::IsMember({"admin", "lead", "integration"}));
  create->add_option("--team", tokens.team,
                     "leads only: the team whose reports the token may read");
  create->add_option("--label", tokens.label, "who holds the token");
  add_store_options(*create, store, false);
  create->callback([&] { run = [&] { return token_create(store, tokens); }; });
  auto* token_list = token->add_subcommand("list", "list tokens (never their secrets)");
  add_store_options(*token_list, store, false);
  token_list->callback([&] { run = [&] { return token_print(store); }; });
  auto* revoke = token->add_subcommand("revoke", "revoke a token by id");
  revoke->add_option("id", tokens.id, "token id (tok_...)")->required();
  add_store_options(*revoke, store, false);
  revoke->callback([&] { run = [&] { return token_revoke(store, tokens.id); }; });

  invite_args invite;
  auto* inv = app.add_subcommand("invite", "create an invitation and print its link");
  inv->add_option("--survey", invite.survey, "template id")->capture_default_str();
  inv->add_option("--staff", invite.staff, "staff id; repeat for several")->required();
  inv->add_option("--locale", invite.locale,
                  "language of the survey, e.g. it or zh-Hant (default: the browser's)");
  inv->add_option("--external-ref", invite.external_ref,
                  "the HR case number; the same ref gives the same invitation");
  inv->add_option("--expires-in-days", invite.expires_in_days, "1 to 365")->capture_default_str();
  inv->add_option("--base-url", invite.base_url, "where the server is reached")
      ->envname("HRSURVEY_BASE_URL")
      ->capture_default_str();
  add_store_options(*inv, store, true);
  inv->callback([&] { run = [&] { return invite_create(store, invite); }; });

  std::size_t audit_limit = 50;
  auto* audit = app.add_subcommand("audit", "print the newest admin actions, newest first");
  audit->add_option("--limit", audit_limit, "how many entries (1 to 500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  add_store_options(*audit, store, false);
  audit->callback([&] { run = [&] { return audit_print(store, audit_limit); }; });

  std::string backup_file;
  auto* backup =
      app.add_subcommand("backup", "write a consistent copy of the store, also while it is in use");
  backup->add_option("file", backup_file, "the copy to write (must not exist)")->required();
  add_store_options(*backup, store, false);
  backup->callback([&] { run = [&] { return backup_store(store, backup_file); }; });

  int older_than_days = 0;
  auto* comments = app.add_subcommand("comments", "what respondents wrote");
  comments->require_subcommand(1);
  auto* erase = comments->add_subcommand(
      "erase",
      "erase the text answers (comments) of responses older than a retention period; "
      "ratings and reports stay");
  erase
      ->add_option("--older-than-days", older_than_days,
                   "erase texts of responses received this many UTC days ago or earlier (>= 1)")
      ->required()
      ->check(CLI::PositiveNumber);
  add_store_options(*erase, store, false);
  erase->callback([&] { run = [&] { return comments_erase(store, older_than_days); }; });

  demo_args demo;
  auto* demo_cmd =
      app.add_subcommand("demo", "create a store with a roster and simulated responses");
  demo_cmd->add_option("--responses", demo.responses, "how many responses to simulate")
      ->capture_default_str();
  demo_cmd->add_option("--seed", demo.seed, "random seed; the same seed gives the same data")
      ->capture_default_str();
  demo_cmd->add_option("--base-url", demo.base_url, "where the server is reached")
      ->envname("HRSURVEY_BASE_URL")
      ->capture_default_str();
  add_store_options(*demo_cmd, store, true);
  demo_cmd->callback([&] { run = [&] { return demo_create(store, demo); }; });

  report_args reporting;
  auto* report_cmd = app.add_subcommand("report", "print staff scorecards or one staff member's");
  report_cmd->add_option("--format", reporting.format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  report_cmd->add_option("--from", reporting.from, "first day, YYYY-MM-DD (default: 89 days ago)");
  report_cmd->add_option("--to", reporting.to, "last day, YYYY-MM-DD (default: today)");
  report_cmd->add_option("--team", reporting.team, "only staff of this team");
  report_cmd->add_option("--staff", reporting.staff, "one staff member's scorecard with trend");
  report_cmd->add_option("--survey", reporting.survey, "only responses to this template");
  report_cmd->add_option("--sort", reporting.sort, "order staff by this dimension's shrunk mean");
  report_cmd->add_option("--bucket", reporting.bucket, "trend by week or month")
      ->check(CLI::IsMember({"week", "month"}))
      ->capture_default_str();
  add_report_settings_options(*report_cmd, reporting.settings);
  add_store_options(*report_cmd, store, false);
  report_cmd->callback([&] { run = [&] { return report_print(store, reporting); }; });

  server_config serving;
  std::string log_level = "info";
  auto* serve_cmd = app.add_subcommand("serve", "run the HTTP server until SIGTERM or SIGINT");
  serve_cmd
      ->add_option("--listen", serving.listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->envname("HRSURVEY_LISTEN")
      ->capture_default_str();
  serve_cmd->add_option("--db", serving.db, "SQLite store file")
      ->envname("HRSURVEY_DB")
      ->capture_default_str();
  serve_cmd->add_option("--defs", serving.defs, "folder of survey templates")
      ->envname("HRSURVEY_DEFS")
      ->capture_default_str();
  serve_cmd
      ->add_option("--base-url", serving.base_url,
                   "public URL for invitation links (default http://LISTEN)")
      ->envname("HRSURVEY_BASE_URL");
  serve_cmd->add_option("--threads", serving.threads, "I/O threads; 0 means one per core")
      ->envname("HRSURVEY_THREADS")
      ->capture_default_str();
  serve_cmd->add_option("--max-body-bytes", serving.max_body_bytes, "largest request body")
      ->envname("HRSURVEY_MAX_BODY_BYTES")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-header-bytes", serving.max_header_bytes,
                   "largest request line and headers")
      ->envname("HRSURVEY_MAX_HEADER_BYTES")
      ->check(CLI::Range(std::size_t{512}, std::size_t{1} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-target-bytes", serving.max_target_bytes,
                   "longest request target (path and query)")
      ->envname("HRSURVEY_MAX_TARGET_BYTES")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections", serving.max_connections, "open connections; more get 503")
      ->envname("HRSURVEY_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--max-connections-per-address", serving.max_connections_per_address,
                   "open connections from one address (IPv6: one /64); 0 means no cap")
      ->envname("HRSURVEY_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rate-public-per-minute", serving.rate_public_per_minute,
                   "requests per minute from one address to the public survey endpoints; "
                   "0 means no limit")
      ->envname("HRSURVEY_RATE_PUBLIC_PER_MINUTE")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rate-public-burst", serving.rate_public_burst,
                   "requests one address may send to them at once")
      ->envname("HRSURVEY_RATE_PUBLIC_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rate-failed-logins-per-minute", serving.rate_failed_logins_per_minute,
                   "failed token checks per minute from one address; 0 means no limit")
      ->envname("HRSURVEY_RATE_FAILED_LOGINS_PER_MINUTE")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rate-failed-logins-burst", serving.rate_failed_logins_burst,
                   "failed token checks one address may make at once")
      ->envname("HRSURVEY_RATE_FAILED_LOGINS_BURST")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rate-max-addresses", serving.rate_max_addresses,
                   "addresses each rate limit remembers; the least recent are forgotten")
      ->envname("HRSURVEY_RATE_MAX_ADDRESSES")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  serve_cmd
      ->add_option("--trusted-proxy", serving.trusted_proxies,
                   "IP address of a reverse proxy whose X-Forwarded-For names the client "
                   "(repeat for several)")
      ->envname("HRSURVEY_TRUSTED_PROXY")
      ->delimiter(',');
  serve_cmd
      ->add_option("--read-timeout", serving.read_timeout,
                   "seconds to receive a request or send a response")
      ->envname("HRSURVEY_READ_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve_cmd
      ->add_option("--idle-timeout", serving.idle_timeout,
                   "seconds a kept-alive connection may wait")
      ->envname("HRSURVEY_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve_cmd
      ->add_option("--drain-timeout", serving.drain_timeout,
                   "seconds to finish requests on SIGTERM")
      ->envname("HRSURVEY_DRAIN_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve_cmd
      ->add_option("--comment-retention-days", serving.comment_retention_days,
                   "erase comments of responses this many days old or older, at start and "
                   "daily; 0 keeps them")
      ->envname("HRSURVEY_COMMENT_RETENTION_DAYS")
      ->check(CLI::Range(0, 36600))
      ->capture_default_str();
  add_report_settings_options(*serve_cmd, serving.reports);
  serve_cmd->add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("HRSURVEY_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  serve_cmd->callback([&] {
    run = [&] {
      spdlog::set_level(spdlog::level::from_str(log_level));
      return serve(serving);
    };
  });
  app.set_config("--config", "",
                 "read options from a TOML or INI file ([serve] section for serve)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return run ? run() : 0;
}

}  // namespace hrs::server
