// wx_batch_rename.cpp - a wxWidgets 3.2 batch renamer: a wxThread walks the
// chosen directory and computes new names, a std::thread checks for
// collisions, and results reach the wxListCtrl through CallAfter and
// wxQueueEvent. Two real bugs, marked "BUG:", touch windows from workers.
//
// Benchmark corpus for uisan-tidy (bench/checker).
#include <wx/wx.h>
#include <wx/dir.h>
#include <wx/filename.h>
#include <wx/gauge.h>
#include <wx/listctrl.h>
#include <wx/thread.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

wxDECLARE_EVENT(EVT_SCAN_DONE, wxThreadEvent);
wxDEFINE_EVENT(EVT_SCAN_DONE, wxThreadEvent);

namespace renamer {

struct Plan {
  wxString from;
  wxString to;
};

static wxString applyPattern(const wxString &name, const wxString &pattern, int index) {
  wxFileName fn(name);
  wxString out = pattern;
  out.Replace("{n}", wxString::Format("%03d", index));
  out.Replace("{name}", fn.GetName());
  out.Replace("{ext}", fn.GetExt());
  return out;
}

class MainFrame;

class ScanThread : public wxThread {
public:
  ScanThread(MainFrame *frame, wxString dir, wxString pattern)
      : wxThread(wxTHREAD_DETACHED), frame_(frame), dir_(std::move(dir)),
        pattern_(std::move(pattern)) {}

protected:
  ExitCode Entry() override;

private:
  void publish(const std::vector<Plan> &plans);
  MainFrame *frame_;
  wxString dir_;
  wxString pattern_;
};

class MainFrame : public wxFrame {
public:
  MainFrame() : wxFrame(nullptr, wxID_ANY, "Batch rename", wxDefaultPosition, wxSize(720, 520)) {
    auto *panel = new wxPanel(this);
    auto *sizer = new wxBoxSizer(wxVERTICAL);
    auto *row = new wxBoxSizer(wxHORIZONTAL);
    dirCtrl_ = new wxTextCtrl(panel, wxID_ANY, wxGetHomeDir());
    patternCtrl_ = new wxTextCtrl(panel, wxID_ANY, "{n}-{name}.{ext}");
    auto *scan = new wxButton(panel, wxID_ANY, "Preview");
    auto *check = new wxButton(panel, wxID_ANY, "Check");
    row->Add(dirCtrl_, 2, wxEXPAND | wxRIGHT, 4);
    row->Add(patternCtrl_, 1, wxEXPAND | wxRIGHT, 4);
    row->Add(scan, 0);
    row->Add(check, 0, wxLEFT, 4);
    list_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    list_->AppendColumn("From", wxLIST_FORMAT_LEFT, 320);
    list_->AppendColumn("To", wxLIST_FORMAT_LEFT, 320);
    gauge_ = new wxGauge(panel, wxID_ANY, 100);
    sizer->Add(row, 0, wxEXPAND | wxALL, 6);
    sizer->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    sizer->Add(gauge_, 0, wxEXPAND | wxALL, 6);
    panel->SetSizer(sizer);
    CreateStatusBar();
    SetStatusText("Ready");

    scan->Bind(wxEVT_BUTTON, &MainFrame::OnPreview, this);
    check->Bind(wxEVT_BUTTON, &MainFrame::OnCheck, this);
    Bind(EVT_SCAN_DONE, &MainFrame::OnScanDone, this);
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent &e) {
      closing_ = true;
      if (checker_.joinable())
        checker_.join();
      e.Skip();
    });
  }

  void SetPlans(std::vector<Plan> plans) {
    std::lock_guard<std::mutex> lock(mutex_);
    plans_ = std::move(plans);
  }

  void ShowPlans() {
    std::lock_guard<std::mutex> lock(mutex_);
    list_->DeleteAllItems();
    long row = 0;
    for (const Plan &p : plans_) {
      long idx = list_->InsertItem(row++, p.from);
      list_->SetItem(idx, 1, p.to);
    }
  }

  wxGauge *Gauge() const { return gauge_; }
  bool Closing() const { return closing_; }

private:
  void OnPreview(wxCommandEvent &) {
    SetStatusText("Scanning...");
    gauge_->Pulse();
    auto *t = new ScanThread(this, dirCtrl_->GetValue(), patternCtrl_->GetValue());
    if (t->Run() != wxTHREAD_NO_ERROR) {
      delete t;
      wxMessageBox("Cannot start the scan thread", "Error", wxICON_ERROR, this);
    }
  }

  void OnScanDone(wxThreadEvent &ev) {
    ShowPlans();
    SetStatusText(wxString::Format("%d files", ev.GetInt()));
    gauge_->SetValue(100);
  }

  void OnCheck(wxCommandEvent &) {
    if (checker_.joinable())
      checker_.join();
    std::vector<Plan> snapshot;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      snapshot = plans_;
    }
    checker_ = std::thread([this, snapshot] {
      std::map<wxString, int> seen;
      int clashes = 0;
      for (const Plan &p : snapshot)
        if (++seen[p.to] > 1)
          ++clashes;
      if (closing_)
        return;
      if (clashes == 0) {
        // Correct: the status text is set on the main thread.
        CallAfter([this] { SetStatusText("No collisions"); });
        return;
      }
      // BUG: a modal message box shown from a std::thread.
      wxMessageBox(wxString::Format("%d names collide", clashes), "Check",
                   wxICON_WARNING, this);
    });
  }

  wxTextCtrl *dirCtrl_ = nullptr;
  wxTextCtrl *patternCtrl_ = nullptr;
  wxListCtrl *list_ = nullptr;
  wxGauge *gauge_ = nullptr;
  std::mutex mutex_;
  std::vector<Plan> plans_;
  std::thread checker_;
  std::atomic<bool> closing_{false};
};

wxThread::ExitCode ScanThread::Entry() {
  wxArrayString files;
  wxDir::GetAllFiles(dir_, &files, wxEmptyString, wxDIR_FILES);
  std::vector<Plan> plans;
  plans.reserve(files.size());
  for (size_t i = 0; i < files.size() && !TestDestroy(); ++i) {
    wxFileName fn(files[i]);
    plans.push_back({fn.GetFullName(), applyPattern(fn.GetFullName(), pattern_, int(i) + 1)});
    if (i % 50 == 0) {
      // BUG: the gauge is a wxWindow, updated from the wxThread.
      frame_->Gauge()->SetValue(int(100 * i / (files.size() + 1)));
    }
  }
  publish(plans);
  return static_cast<ExitCode>(nullptr);
}

void ScanThread::publish(const std::vector<Plan> &plans) {
  frame_->SetPlans(plans);
  // Correct: the frame is told through the event queue.
  auto *ev = new wxThreadEvent(EVT_SCAN_DONE);
  ev->SetInt(int(plans.size()));
  wxQueueEvent(frame_, ev);
}

class RenameApp : public wxApp {
public:
  bool OnInit() override {
    if (!wxApp::OnInit())
      return false;
    auto *frame = new MainFrame;
    frame->Show();
    return true;
  }
};

} // namespace renamer

wxIMPLEMENT_APP(renamer::RenameApp);
