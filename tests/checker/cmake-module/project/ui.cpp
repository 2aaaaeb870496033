#include "ui.h"
#include <seed/st.h>
#include <string>

void show_progress(int percent) { st::text(std::to_string(percent) + "%"); }
