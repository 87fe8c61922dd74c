// The hrsurvey command line, run as a user runs it: the real binary on a real store.

#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "temp_dir.hpp"

namespace {

struct run_result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

run_result hrsurvey(const std::vector<std::string>& args) {
  std::string command = quote(HRS_CLI_BINARY);
  for (const auto& a : args)
    command += " " + quote(a);
  command += " 2>&1";
  run_result r;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr)
    r.output += buffer.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

const std::string defs = hrs::testing::source_path("survey_defs").string();

}  // namespace

TEST_CASE("defs check prints every problem as file: pointer: message", "[cli]") {
  hrs::testing::temp_dir dir;
  SECTION("a valid template gets a one-line summary and exit 0") {
    auto r = hrsurvey({"defs", "check", defs + "/hr-service.json"});
    CHECK(r.exit_code == 0);
    CHECK(r.output.starts_with("hr-service.json: ok: hr-service version 1"));
  }
  SECTION("a broken template lists each problem and exits non-zero") {
    write_file(dir / "broken.json",
               R"({"id": "x", "version": 1, "default_locale": "en", "locales": ["en"],
      "title": "T", "questions": [{"id": "q", "type": "rating", "text": "Q", "labels": {"6": "Six"}},
      {"id": "q", "type": "slider", "text": "Q2"}]})");
    auto r = hrsurvey({"defs", "check", (dir / "broken.json").string(), defs + "/hr-service.json"});
    CHECK(r.exit_code != 0);
    CHECK(
        r.output.find("broken.json: /questions/0/labels/6: rating labels are the points 1 to 5") !=
        std::string::npos);
    CHECK(r.output.find("broken.json: /questions/1/type: ") != std::string::npos);
    CHECK(r.output.find("broken.json: /questions/1/id: ") != std::string::npos);
    CHECK(r.output.find("hr-service.json: ok") != std::string::npos);
  }
  SECTION("malformed JSON is reported with line and column") {
    write_file(dir / "bad.json", "{\n  \"id\": \"x\",\n  \"version\": ,\n}");
    auto r = hrsurvey({"defs", "check", (dir / "bad.json").string()});
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("bad.json: line 3, column") != std::string::npos);
  }
}

TEST_CASE("a new user can build a store from the command line", "[cli]") {
  hrs::testing::temp_dir dir;
  const std::string db = (dir / "hr.db").string();

  write_file(dir / "roster.csv",
             "id,name,team\ns-1,\"Rossi, Giulia\",Payroll\ns-2,Ana Morales,Benefits\n");
  auto imported = hrsurvey({"staff", "import", (dir / "roster.csv").string(), "--db", db});
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.output.find("imported 2 staff: 2 new") != std::string::npos);

  SECTION("a roster with bad lines is refused whole, each line named") {
    write_file(dir / "bad.csv",
               "id,name,team\ns-3,Ok Name,Payroll\n../x,Bad Id,Payroll\ns-4,,Payroll\n");
    auto r = hrsurvey({"staff", "import", (dir / "bad.csv").string(), "--db", db});
    CHECK(r.exit_code != 0);
    CHECK(r.output.find("/lines/3/id") != std::string::npos);
    CHECK(r.output.find("/lines/4/name") != std::string::npos);
    auto listed = hrsurvey({"staff", "list", "--db", db});
    CHECK(listed.output.find("s-3") == std::string::npos);
  }

  SECTION("invite prints a link once; the same external ref gives the same invitation") {
    auto first =
        hrsurvey({"invite", "--staff", "s-1", "--locale", "it", "--external-ref", "HR-4711", "--db",
                  db, "--defs", defs, "--base-url", "https://hr.example"});
    REQUIRE(first.exit_code == 0);
    CHECK(std::regex_search(first.output,
                            std::regex(R"(https://hr\.example/s/[A-Za-z0-9_-]{22}\n)")));
    auto again = hrsurvey(
        {"invite", "--staff", "s-1", "--external-ref", "HR-4711", "--db", db, "--defs", defs});
    CHECK(again.exit_code == 0);
    CHECK(again.output.find("already exists") != std::string::npos);
    CHECK(again.output.find("/s/") == std::string::npos);
    auto unknown = hrsurvey({"invite", "--staff", "nobody", "--db", db, "--defs", defs});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.output.find("/staff/0") != std::string::npos);
  }

  SECTION("tokens are printed once and can be revoked") {
    auto created = hrsurvey({"token", "create", "--role", "lead", "--team", "Payroll", "--db", db});
    REQUIRE(created.exit_code == 0);
    CHECK(std::regex_search(created.output, std::regex(R"((^|\n)hrs_[A-Za-z0-9_-]{32}\n)")));
    std::smatch id;
    REQUIRE(std::regex_search(created.output, id, std::regex(R"(tok_[A-Za-z0-9_-]+)")));
    auto listed = hrsurvey({"token", "list", "--db", db});
    CHECK(listed.output.find(id.str()) != std::string::npos);
    CHECK(listed.output.find("hrs_") == std::string::npos);
    CHECK(hrsurvey({"token", "revoke", id.str(), "--db", db}).exit_code == 0);
    CHECK(hrsurvey({"token", "list", "--db", db}).output.find("revoked") != std::string::npos);
    CHECK(hrsurvey({"token", "create", "--role", "root", "--db", db}).exit_code != 0);

    // Each change is in the audit log, as done by the command line, naming the token by
    // its id only.
    auto audit = hrsurvey({"audit", "--db", db});
    REQUIRE(audit.exit_code == 0);
    CHECK(std::regex_search(
        audit.output, std::regex("token\\.revoked +" + id.str() + " .*hrsurvey token revoke")));
    CHECK(std::regex_search(audit.output, std::regex("cli +token\\.created +" + id.str() + " ")));
    CHECK(audit.output.find("staff.imported") != std::string::npos);
    CHECK(audit.output.find("hrs_") == std::string::npos);
    CHECK(audit.output.find("token.revoked") < audit.output.find("token.created"));
    CHECK(hrsurvey({"audit", "--limit", "0", "--db", db}).exit_code != 0);
  }

  SECTION("backup writes a copy that opens as a store") {
    const std::string copy = (dir / "copy.db").string();
    REQUIRE(hrsurvey({"backup", copy, "--db", db}).exit_code == 0);
    CHECK(hrsurvey({"staff", "list", "--db", copy}).output.find("Rossi, Giulia") !=
          std::string::npos);
    CHECK(hrsurvey({"backup", copy, "--db", db}).exit_code != 0);  // never overwrites
  }
}

TEST_CASE("demo fills a new store and refuses one with responses", "[cli]") {
  hrs::testing::temp_dir dir;
  const std::string db = (dir / "demo.db").string();
  auto r = hrsurvey({"demo", "--responses", "600", "--db", db, "--defs", defs});
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("40 staff in 5 teams, 600 responses") != std::string::npos);
  CHECK(std::regex_search(r.output, std::regex(R"(admin\s+hrs_[A-Za-z0-9_-]{32})")));
  CHECK(std::regex_search(r.output, std::regex(R"(lead\s+hrs_[A-Za-z0-9_-]{32})")));
  auto again = hrsurvey({"demo", "--responses", "10", "--db", db, "--defs", defs});
  CHECK(again.exit_code != 0);
  CHECK(again.output.find("already has responses") != std::string::npos);
}

TEST_CASE("every subcommand explains itself with --help", "[cli]") {
  for (auto args : std::vector<std::vector<std::string>>{{"--help"},
                                                         {"defs", "check", "--help"},
                                                         {"staff", "import", "--help"},
                                                         {"token", "create", "--help"},
                                                         {"invite", "--help"},
                                                         {"backup", "--help"},
                                                         {"audit", "--help"},
                                                         {"demo", "--help"}}) {
    auto r = hrsurvey(args);
    INFO(args.front());
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("Usage") != std::string::npos);
  }
  CHECK(hrsurvey({"invite", "--help"}).output.find("--db") != std::string::npos);
}
