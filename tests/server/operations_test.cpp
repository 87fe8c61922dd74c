// What an operator relies on: docs/OPERATIONS.md names every option, metric and alert
// there is; the shipped example configuration is one the server reads; a backup
// restored by stop, copy, start brings back what was acknowledged before it; /metrics
// has the figures the alert rules use.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server_process.hpp"

using namespace hrs::testing;

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Every distinct match of `pattern` in `text`.
std::set<std::string> all_matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The value of an unlabelled sample `name` in Prometheus text, or -1 when absent.
double sample(const std::string& exposition, const std::string& name) {
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
  return -1;
}

}  // namespace

TEST_CASE("docs/OPERATIONS.md names every option and variable of the commands on the store",
          "[operations][docs]") {
  const auto docs = read_text(source_path("docs/OPERATIONS.md"));
  const std::regex flag(R"(--[a-z][a-z0-9-]*)");
  const std::regex variable(R"(HRSURVEY_[A-Z_]+)");
  // The whole program's options, then each command that opens a store.
  const std::string command =
      GENERATE(as<std::string>{}, "", "serve", "backup", "token create", "token list",
               "token revoke", "staff import", "staff list", "invite", "demo", "report");
  std::vector<std::string> args;
  std::istringstream words(command);
  for (std::string word; words >> word;)
    args.push_back(word);
  args.emplace_back("--help");
  const auto help = run_hrsurvey(args);
  REQUIRE(help.exit_code == 0);
  INFO("hrsurvey " << help.out);
  const auto flags = all_matches(help.out, flag);
  // Each command has options of its own (and --help, left out below).
  REQUIRE(flags.size() > 1);
  for (const auto& name : flags) {
    if (name == "--help") continue;
    INFO(name);
    // As `--flag` or `--flag VALUE`.
    CHECK((has(docs, "`" + name + "`") || has(docs, "`" + name + " ")));
  }
  for (const auto& name : all_matches(help.out, variable)) {
    INFO(name);
    CHECK(has(docs, "`" + name + "`"));
  }
}

TEST_CASE("the example configuration in server/dist is read whole by hrsurvey serve",
          "[operations][config]") {
  temp_dir dir;
  const auto example = source_path("server/dist/hrsurvey.conf");
  // Flags win over the file: the server gets every setting of the file but the address,
  // which is one it cannot bind, so that it stops right after reading its settings.
  const std::vector<std::string> args{"--config",
                                      "",
                                      "serve",
                                      "--listen",
                                      "127.0.0.1:no-port",
                                      "--db",
                                      (dir / "store.db").string()};
  auto with_config = [&](const std::filesystem::path& file) {
    auto a = args;
    a[1] = file.string();
    return run_hrsurvey(a);
  };
  const auto read = with_config(example);
  INFO(read.err);
  CHECK(read.exit_code == 1);
  CHECK(has(read.err, "--listen 127.0.0.1:no-port is not HOST:PORT"));

  SECTION("a misspelled key or a bad value stops it before that") {
    const auto text = read_text(example);
    const auto misspelled =
        std::regex_replace(text, std::regex("\nidle-timeout ="), "\nidle-timout =");
    REQUIRE(misspelled != text);
    write_text(dir / "misspelled.conf", misspelled);
    const auto refused = with_config(dir / "misspelled.conf");
    CHECK(refused.exit_code != 0);
    CHECK_FALSE(has(refused.err, "is not HOST:PORT"));

    const auto bad_value =
        std::regex_replace(text, std::regex("\nmax-connections = 1024"), "\nmax-connections = 0");
    REQUIRE(bad_value != text);
    write_text(dir / "bad-value.conf", bad_value);
    const auto out_of_range = with_config(dir / "bad-value.conf");
    CHECK(out_of_range.exit_code != 0);
    CHECK_FALSE(has(out_of_range.err, "is not HOST:PORT"));
  }
}

TEST_CASE("a backup restored by stop, copy, start serves what was acknowledged before it",
          "[operations][backup]") {
  served_store store;
  std::vector<std::int64_t> before_backup;
  {
    server_process server(store.db());
    http_client client(server.port());
    for (int i = 0; i < 3; ++i) {
      const auto token = create_invitation(client, store.integration.secret);
      const auto stored =
          client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers()}});
      REQUIRE(stored.status == 201);
      before_backup.push_back(stored.json().at("id").get<std::int64_t>());
    }
    // Taken from the running server's store, as the docs say to.
    const auto backup =
        run_hrsurvey({"backup", (store.dir() / "backup.db").string(), "--db", store.db().string()});
    INFO(backup.err);
    REQUIRE(backup.exit_code == 0);
    const auto token = create_invitation(client, store.integration.secret);
    REQUIRE(client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers()}})
                .status == 201);
    REQUIRE(stored_response_ids(store.db()).size() == before_backup.size() + 1);
    REQUIRE(server.terminate() == 0);
  }

  // Restore: the copy replaces the store, stale -wal and -shm files go.
  std::filesystem::copy_file(store.dir() / "backup.db", store.db(),
                             std::filesystem::copy_options::overwrite_existing);
  for (const char* suffix : {"-wal", "-shm"})
    std::filesystem::remove(store.db().string() + suffix);

  // k = 3, so that the report shows the four responses' n.
  server_process server(store.db(), {"--anonymity-threshold", "3"});
  http_client client(server.port());
  CHECK(client.get("/healthz").status == 200);
  CHECK(stored_response_ids(store.db()) == before_backup);
  CHECK(integrity_check(store.db()) == "ok");
  // The restored store takes new responses, and the report counts old and new.
  const auto token = create_invitation(client, store.integration.secret);
  CHECK(client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers()}})
            .status == 201);
  const auto report = client.get("/api/v1/reports/staff/s-101", store.lead.secret);
  REQUIRE(report.status == 200);
  CHECK(report.json().at("dimensions").at("courtesy").at("n") == before_backup.size() + 1);
}

TEST_CASE("/metrics has the commit times, the limits and the process' figures, all documented",
          "[operations][metrics]") {
  served_store store;
  server_process server(store.db(), {"--max-connections", "77"});
  http_client client(server.port());
  const auto token = create_invitation(client, store.integration.secret);
  REQUIRE(client.post_json("/api/v1/responses", {{"token", token}, {"answers", valid_answers()}})
              .status == 201);
  // A report, so that a read connection has been used and given back.
  REQUIRE(client.get("/api/v1/reports/overview", store.lead.secret).status == 200);
  const auto reply = client.get("/metrics", store.admin.secret);
  REQUIRE(reply.status == 200);
  const auto& text = reply.body;
  INFO(text);

  // Two commits at least: the invitation and the response, each acknowledged after its
  // group's commit.
  CHECK(sample(text, "hrsurvey_writer_commit_duration_seconds_count") >= 2);
  CHECK(sample(text, "hrsurvey_writer_commit_duration_seconds_sum") > 0);
  CHECK(sample(text, "hrsurvey_writer_groups_total") ==
        sample(text, "hrsurvey_writer_commit_duration_seconds_count"));
  CHECK(sample(text, "hrsurvey_http_max_connections") == 77);
  CHECK(sample(text, "hrsurvey_http_connections") >= 1);
  CHECK(sample(text, "hrsurvey_writer_queue_limit") > 0);
  CHECK(sample(text, "process_resident_memory_bytes") > 0);
  // The page caches hold the pages just written and read: some, and part of the RSS.
  const double writer_cache = sample(text, R"(hrsurvey_sqlite_cache_bytes{connection="writer"})");
  const double reader_cache = sample(text, R"(hrsurvey_sqlite_cache_bytes{connection="readers"})");
  CHECK(writer_cache > 0);
  CHECK(reader_cache > 0);
  CHECK(writer_cache + reader_cache < sample(text, "process_resident_memory_bytes"));
  // The store's files, the listener and this client's socket at least.
  CHECK(sample(text, "process_open_fds") >= 3);
  CHECK(sample(text, "process_max_fds") > sample(text, "process_open_fds"));
  CHECK(sample(text, "process_start_time_seconds") > 0);
  CHECK(sample(text, "process_cpu_seconds_total") > 0);

  const auto docs = read_text(source_path("docs/OPERATIONS.md"));
  const auto names = all_matches(text, std::regex(R"((?:^|\n)# TYPE [a-z_]+)"));
  REQUIRE(names.size() > 5);
  for (auto name : names) {
    name = name.substr(name.find("# TYPE ") + 7);
    INFO(name);
    CHECK(has(docs, "`" + name));
  }
}

TEST_CASE("docs/OPERATIONS.md explains every shipped alert", "[operations][docs]") {
  const auto rules = read_text(source_path("docs/prometheus/hrsurvey-alerts.yml"));
  const auto docs = read_text(source_path("docs/OPERATIONS.md"));
  std::set<std::string> alerts;
  const std::regex alert(R"(- alert: ([A-Za-z]+))");
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), alert);
       it != std::sregex_iterator(); ++it)
    alerts.insert((*it)[1].str());
  REQUIRE(alerts.size() >= 5);
  for (const auto& name : alerts) {
    INFO(name);
    CHECK(has(docs, "`" + name + "`"));
  }
}
