// Does nothing: its run time under uisan-run minus its run time alone is
// the runtime's start-up (and exit) cost.
int main() { return 0; }
