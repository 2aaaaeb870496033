// qt_feed_reader.cpp - a Qt 6 feed reader: a QThread subclass polls feeds, a
// QThread::create worker parses them, and results reach the widgets through
// queued signals, QTimer::singleShot and QMetaObject::invokeMethod. No
// QtConcurrent, so the TU is lighter than qt_image_browser.cpp. Two real
// bugs, marked "BUG:".
//
// Benchmark corpus for uisan-tidy (bench/checker).
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <QPushButton>
#include <QSplitter>
#include <QString>
#include <QStringList>
#include <QTextBrowser>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <QWidget>

#include <memory>
#include <thread>

namespace feeds {

struct Item {
  QString title;
  QString body;
  QDateTime when;
};

class FeedStore {
public:
  void add(const QString &feed, const Item &item) {
    QMutexLocker lock(&mutex_);
    items_[feed].push_back(item);
  }
  QList<Item> items(const QString &feed) const {
    QMutexLocker lock(&mutex_);
    return items_.value(feed);
  }
  QStringList feeds() const {
    QMutexLocker lock(&mutex_);
    return items_.keys();
  }

private:
  mutable QMutex mutex_;
  QMap<QString, QList<Item>> items_;
};

static QList<Item> parseFeed(const QByteArray &raw) {
  QList<Item> out;
  const QList<QByteArray> lines = raw.split('\n');
  for (const QByteArray &line : lines) {
    const int tab = line.indexOf('\t');
    if (tab < 0)
      continue;
    out.push_back({QString::fromUtf8(line.left(tab)), QString::fromUtf8(line.mid(tab + 1)),
                   QDateTime::currentDateTimeUtc()});
  }
  return out;
}

class Poller : public QThread {
  Q_OBJECT
public:
  Poller(FeedStore *store, QStringList paths, QLabel *status)
      : store_(store), paths_(std::move(paths)), status_(status) {}

signals:
  void updated(const QString &feed, int count);

protected:
  void run() override {
    while (!isInterruptionRequested()) {
      for (const QString &path : paths_) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
          // BUG: a QMessageBox from the poller thread.
          QMessageBox::warning(nullptr, "Feeds", "Cannot read " + path);
          continue;
        }
        const QList<Item> items = parseFeed(f.readAll());
        for (const Item &it : items)
          store_->add(path, it);
        emit updated(path, int(items.size())); // queued across threads
      }
      // Correct: the status label is touched on the GUI thread.
      QMetaObject::invokeMethod(status_, "setText", Qt::QueuedConnection,
                                Q_ARG(QString, QDateTime::currentDateTime().toString()));
      QThread::sleep(30);
    }
  }

private:
  FeedStore *store_;
  QStringList paths_;
  QLabel *status_;
};

class ReaderWindow : public QWidget {
  Q_OBJECT
public:
  explicit ReaderWindow(FeedStore *store) : store_(store) {
    auto *layout = new QVBoxLayout(this);
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter"));
    auto *split = new QSplitter(this);
    feedList_ = new QListWidget(split);
    body_ = new QTextBrowser(split);
    status_ = new QLabel(tr("idle"), this);
    auto *refresh = new QPushButton(tr("Export"), this);
    layout->addWidget(filter_);
    layout->addWidget(split, 1);
    layout->addWidget(refresh);
    layout->addWidget(status_);
    connect(feedList_, &QListWidget::currentTextChanged, this, &ReaderWindow::showFeed);
    connect(refresh, &QPushButton::clicked, this, &ReaderWindow::exportAll);
  }

  QLabel *status() const { return status_; }

public slots:
  void onUpdated(const QString &feed, int count) {
    if (feedList_->findItems(feed, Qt::MatchExactly).isEmpty())
      feedList_->addItem(feed);
    status_->setText(tr("%1: %2 items").arg(feed).arg(count));
  }

private:
  void showFeed(const QString &feed) {
    QString html;
    for (const Item &it : store_->items(feed))
      html += "<h3>" + it.title.toHtmlEscaped() + "</h3><p>" + it.body.toHtmlEscaped() + "</p>";
    body_->setHtml(html);
  }

  void exportAll() {
    const QStringList names = store_->feeds();
    QThread *worker = QThread::create([this, names] {
      int total = 0;
      for (const QString &n : names)
        total += int(store_->items(n).size());
      // Correct: single-shot on the window's thread.
      QTimer::singleShot(0, this, [this, total] {
        status_->setText(tr("exported %1 items").arg(total));
      });
      // BUG: the filter box is cleared from the worker.
      filter_->clear();
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
  }

  FeedStore *store_;
  QLineEdit *filter_ = nullptr;
  QListWidget *feedList_ = nullptr;
  QTextBrowser *body_ = nullptr;
  QLabel *status_ = nullptr;
};

} // namespace feeds

int main(int argc, char **argv) {
  QApplication app(argc, argv);
  feeds::FeedStore store;
  feeds::ReaderWindow win(&store);
  QStringList paths;
  for (int i = 1; i < argc; ++i)
    paths << QString::fromLocal8Bit(argv[i]);
  feeds::Poller poller(&store, paths, win.status());
  QObject::connect(&poller, &feeds::Poller::updated, &win, &feeds::ReaderWindow::onUpdated,
                   Qt::QueuedConnection);
  win.show();
  poller.start();
  const int rc = app.exec();
  poller.requestInterruption();
  poller.wait();
  return rc;
}
