#pragma once
void show_progress(int percent);
