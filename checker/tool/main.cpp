#include "UisanTidy.h"

int main(int Argc, const char **Argv) {
  return uisan::tidy::uisanTidyMain(Argc, Argv);
}
