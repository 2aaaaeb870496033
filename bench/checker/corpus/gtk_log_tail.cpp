// gtk_log_tail.cpp - a GTK 3 log viewer written in C++: a GThread tails a
// file, a GThreadPool greps it, and lines reach the GtkTextView through
// g_idle_add. Two real bugs, marked "BUG:", touch widgets from workers.
//
// Benchmark corpus for uisan-tidy (bench/checker).
#include <gtk/gtk.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace logtail {

struct App {
  GtkWidget *window = nullptr;
  GtkWidget *view = nullptr;
  GtkTextBuffer *buffer = nullptr;
  GtkWidget *status = nullptr;
  GtkWidget *spinner = nullptr;
  GtkWidget *search = nullptr;
  GThread *tailer = nullptr;
  GThreadPool *greppers = nullptr;
  std::atomic<bool> stop{false};
  std::mutex pending_mutex;
  std::vector<std::string> pending;
  std::string path;
};

struct GrepJob {
  App *app;
  std::string needle;
  std::string line;
};

// Runs on the GTK main loop.
static gboolean flush_pending(gpointer data) {
  auto *app = static_cast<App *>(data);
  std::vector<std::string> lines;
  {
    std::lock_guard<std::mutex> lock(app->pending_mutex);
    lines.swap(app->pending);
  }
  GtkTextIter end;
  for (const std::string &l : lines) {
    gtk_text_buffer_get_end_iter(app->buffer, &end);
    gtk_text_buffer_insert(app->buffer, &end, l.c_str(), -1);
  }
  gtk_text_buffer_get_end_iter(app->buffer, &end);
  gtk_text_view_scroll_to_iter(GTK_TEXT_VIEW(app->view), &end, 0.0, FALSE, 0, 0);
  return G_SOURCE_REMOVE;
}

static gboolean set_status_idle(gpointer data) {
  auto *msg = static_cast<std::pair<App *, std::string> *>(data);
  gtk_label_set_text(GTK_LABEL(msg->first->status), msg->second.c_str());
  delete msg;
  return G_SOURCE_REMOVE;
}

static void post_status(App *app, const std::string &text) {
  g_idle_add(set_status_idle, new std::pair<App *, std::string>(app, text));
}

static void append_line(App *app, const char *line) {
  std::lock_guard<std::mutex> lock(app->pending_mutex);
  app->pending.emplace_back(line);
}

// GThreadFunc: tails the file until asked to stop.
static gpointer tail_thread(gpointer data) {
  auto *app = static_cast<App *>(data);
  FILE *f = std::fopen(app->path.c_str(), "r");
  if (!f) {
    post_status(app, "cannot open " + app->path);
    return nullptr;
  }
  char buf[4096];
  unsigned lines = 0;
  while (!app->stop.load()) {
    if (std::fgets(buf, sizeof buf, f)) {
      append_line(app, buf);
      if (++lines % 64 == 0)
        g_idle_add(flush_pending, app);
    } else {
      g_usleep(200 * 1000);
      g_idle_add(flush_pending, app);
      // BUG: the spinner is a widget; this runs on the tail thread.
      gtk_spinner_stop(GTK_SPINNER(app->spinner));
    }
  }
  std::fclose(f);
  post_status(app, "stopped");
  return nullptr;
}

static void highlight_match(App *app, const std::string &line) {
  // BUG: reached from the GThreadPool worker below.
  gtk_widget_error_bell(app->view);
  std::lock_guard<std::mutex> lock(app->pending_mutex);
  app->pending.push_back(">> " + line);
}

// GFunc for the thread pool.
static void grep_one(gpointer data, gpointer /*user_data*/) {
  auto *job = static_cast<GrepJob *>(data);
  if (job->line.find(job->needle) != std::string::npos)
    highlight_match(job->app, job->line);
  delete job;
}

static void on_search_activate(GtkEntry *entry, gpointer data) {
  auto *app = static_cast<App *>(data);
  const std::string needle = gtk_entry_get_text(entry);
  GtkTextIter start, end;
  gtk_text_buffer_get_bounds(app->buffer, &start, &end);
  gchar *text = gtk_text_buffer_get_text(app->buffer, &start, &end, FALSE);
  gchar **lines = g_strsplit(text, "\n", -1);
  for (gchar **l = lines; *l; ++l)
    g_thread_pool_push(app->greppers, new GrepJob{app, needle, *l}, nullptr);
  g_strfreev(lines);
  g_free(text);
}

static void on_clear(GtkButton *, gpointer data) {
  auto *app = static_cast<App *>(data);
  gtk_text_buffer_set_text(app->buffer, "", -1);
  // A std::thread that does its work and marshals the result correctly.
  std::thread([app] {
    unsigned long n = 0;
    for (int i = 0; i < 1000; ++i)
      n += static_cast<unsigned long>(i) * 7u;
    post_status(app, "cleared (" + std::to_string(n) + ")");
  }).detach();
}

static void on_destroy(GtkWidget *, gpointer data) {
  auto *app = static_cast<App *>(data);
  app->stop = true;
  if (app->tailer)
    g_thread_join(app->tailer);
  g_thread_pool_free(app->greppers, TRUE, TRUE);
  gtk_main_quit();
}

static void build_ui(App *app) {
  app->window = gtk_window_new(GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title(GTK_WINDOW(app->window), "Log tail");
  gtk_window_set_default_size(GTK_WINDOW(app->window), 800, 600);
  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *bar = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 4);
  app->search = gtk_search_entry_new();
  GtkWidget *clear = gtk_button_new_with_label("Clear");
  app->spinner = gtk_spinner_new();
  gtk_box_pack_start(GTK_BOX(bar), app->search, TRUE, TRUE, 0);
  gtk_box_pack_start(GTK_BOX(bar), clear, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(bar), app->spinner, FALSE, FALSE, 0);
  GtkWidget *scroll = gtk_scrolled_window_new(nullptr, nullptr);
  app->view = gtk_text_view_new();
  gtk_text_view_set_editable(GTK_TEXT_VIEW(app->view), FALSE);
  gtk_text_view_set_monospace(GTK_TEXT_VIEW(app->view), TRUE);
  app->buffer = gtk_text_view_get_buffer(GTK_TEXT_VIEW(app->view));
  gtk_container_add(GTK_CONTAINER(scroll), app->view);
  app->status = gtk_label_new("ready");
  gtk_box_pack_start(GTK_BOX(box), bar, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), scroll, TRUE, TRUE, 0);
  gtk_box_pack_start(GTK_BOX(box), app->status, FALSE, FALSE, 0);
  gtk_container_add(GTK_CONTAINER(app->window), box);
  g_signal_connect(app->search, "activate", G_CALLBACK(on_search_activate), app);
  g_signal_connect(clear, "clicked", G_CALLBACK(on_clear), app);
  g_signal_connect(app->window, "destroy", G_CALLBACK(on_destroy), app);
}

} // namespace logtail

int main(int argc, char **argv) {
  gtk_init(&argc, &argv);
  logtail::App app;
  app.path = argc > 1 ? argv[1] : "/var/log/syslog";
  logtail::build_ui(&app);
  app.greppers = g_thread_pool_new(logtail::grep_one, &app, 2, FALSE, nullptr);
  app.tailer = g_thread_new("tail", logtail::tail_thread, &app);
  gtk_spinner_start(GTK_SPINNER(app.spinner));
  gtk_widget_show_all(app.window);
  gtk_main();
  return 0;
}
