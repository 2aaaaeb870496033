// qt_image_browser.cpp - a small Qt 6 image browser: a folder is scanned on a
// worker (QtConcurrent::run), thumbnails are decoded on the global
// QThreadPool, and results are handed back with QMetaObject::invokeMethod.
//
// Benchmark corpus for uisan-tidy (bench/checker). It contains two real
// UI-call-in-thread bugs, marked "BUG:" below; everything else is marshalled
// correctly.
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QRunnable>
#include <QStatusBar>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace browser {

struct Thumb {
  QString path;
  QImage image; // QImage is fine off the GUI thread; QPixmap is not.
};

class ThumbCache {
public:
  void put(const Thumb &t) {
    QMutexLocker lock(&mutex_);
    thumbs_.push_back(t);
  }
  std::vector<Thumb> take() {
    QMutexLocker lock(&mutex_);
    std::vector<Thumb> out;
    out.swap(thumbs_);
    return out;
  }

private:
  QMutex mutex_;
  std::vector<Thumb> thumbs_;
};

static QStringList scanFolder(const QString &root) {
  QStringList out;
  QDir dir(root);
  const QStringList filters{"*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp"};
  for (const QFileInfo &fi : dir.entryInfoList(filters, QDir::Files, QDir::Name))
    out << fi.absoluteFilePath();
  return out;
}

static QImage decodeThumb(const QString &path, int edge) {
  QImage img(path);
  if (img.isNull())
    return img;
  return img.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

class DecodeTask : public QRunnable {
public:
  DecodeTask(QString path, ThumbCache *cache, QObject *sink)
      : path_(std::move(path)), cache_(cache), sink_(sink) {}

  void run() override {
    Thumb t{path_, decodeThumb(path_, 128)};
    cache_->put(t);
    // Correct: wake the GUI thread with a queued call.
    QMetaObject::invokeMethod(sink_, "drainThumbs", Qt::QueuedConnection);
  }

private:
  QString path_;
  ThumbCache *cache_;
  QObject *sink_;
};

class BrowserWindow : public QMainWindow {
  Q_OBJECT
public:
  BrowserWindow() {
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    list_ = new QListWidget(central);
    list_->setViewMode(QListView::IconMode);
    list_->setIconSize(QSize(128, 128));
    preview_ = new QLabel(tr("No image"), central);
    progress_ = new QProgressBar(central);
    auto *buttons = new QHBoxLayout;
    auto *open = new QPushButton(tr("Scan"), central);
    auto *cancel = new QPushButton(tr("Cancel"), central);
    buttons->addWidget(open);
    buttons->addWidget(cancel);
    layout->addLayout(buttons);
    layout->addWidget(list_, 1);
    layout->addWidget(preview_);
    layout->addWidget(progress_);
    setCentralWidget(central);

    connect(open, &QPushButton::clicked, this, [this] { startScan(QDir::homePath()); });
    connect(cancel, &QPushButton::clicked, this, [this] { cancelled_ = true; });
    connect(list_, &QListWidget::currentTextChanged, this, &BrowserWindow::showPreview);
  }

public slots:
  void drainThumbs() {
    for (const Thumb &t : cache_.take()) {
      auto *item = new QListWidgetItem(QIcon(QPixmap::fromImage(t.image)),
                                       QFileInfo(t.path).fileName());
      item->setData(Qt::UserRole, t.path);
      list_->addItem(item);
      progress_->setValue(progress_->value() + 1);
    }
  }

private:
  void startScan(const QString &root) {
    cancelled_ = false;
    list_->clear();
    statusBar()->showMessage(tr("Scanning %1").arg(root));
    scan_ = QtConcurrent::run([this, root] {
      const QStringList files = scanFolder(root);
      // Correct: the progress bar is reset on the GUI thread.
      QMetaObject::invokeMethod(this, [this, n = files.size()] {
        progress_->setRange(0, int(n));
        progress_->setValue(0);
      }, Qt::QueuedConnection);
      for (const QString &f : files) {
        if (cancelled_)
          break;
        QThreadPool::globalInstance()->start(new DecodeTask(f, &cache_, this));
      }
      // BUG: status bar updated straight from the QtConcurrent worker.
      reportDone(files.size());
    });
  }

  void reportDone(qsizetype n) {
    statusBar()->showMessage(tr("%1 images").arg(n));
  }

  void showPreview(const QString &) {
    QListWidgetItem *item = list_->currentItem();
    if (!item)
      return;
    const QString path = item->data(Qt::UserRole).toString();
    std::thread([this, path] {
      QImage big(path);
      big = big.scaled(800, 600, Qt::KeepAspectRatio);
      if (QThread::currentThread() == qApp->thread()) {
        // Guarded: never true here, but the checker must accept it.
        preview_->setPixmap(QPixmap::fromImage(big));
        return;
      }
      // BUG: QPixmap created and set on a std::thread.
      QPixmap pm = QPixmap::fromImage(big);
      preview_->setPixmap(pm);
    }).detach();
  }

  QListWidget *list_ = nullptr;
  QLabel *preview_ = nullptr;
  QProgressBar *progress_ = nullptr;
  ThumbCache cache_;
  QFuture<void> scan_;
  std::atomic<bool> cancelled_{false};
};

class Heartbeat : public QThread {
public:
  explicit Heartbeat(QLabel *label) : label_(label) {}

protected:
  void run() override {
    for (int i = 0; !isInterruptionRequested(); ++i) {
      QThread::msleep(1000);
      // Correct: queued through invokeMethod with a functor.
      QMetaObject::invokeMethod(label_, [l = label_, i] {
        l->setText(QString::number(i));
      });
    }
  }

private:
  QLabel *label_;
};

} // namespace browser

int main(int argc, char **argv) {
  QApplication app(argc, argv);
  browser::BrowserWindow w;
  w.resize(900, 700);
  w.show();
  auto *clock = new QLabel("0");
  w.statusBar()->addPermanentWidget(clock);
  browser::Heartbeat beat(clock);
  beat.start();
  QTimer::singleShot(0, &w, [&w] { w.setWindowTitle("Image browser"); });
  const int rc = app.exec();
  beat.requestInterruption();
  beat.wait();
  return rc;
}
