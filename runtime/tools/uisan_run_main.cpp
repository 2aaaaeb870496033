#include "launcher.h"

int main(int argc, char **argv) { return uisan::launcherMain(argc, argv); }
