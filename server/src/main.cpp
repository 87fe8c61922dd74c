#include "hrs/server/cli.hpp"

int main(int argc, char** argv) {
  return hrs::server::run_cli(argc, argv);
}
