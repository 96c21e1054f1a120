// Screenshots of the workbench as a user sees it, for docs/screenshots/ and for looking at the GUI
// after a change: the window mid-run (live tiles, a live change's marker) and after the run
// (verdicts, the banner of missed criteria), then a second run with a smaller cache, the history
// listing both and their comparison. Not a test: scripts/screenshots runs it under Xvfb.
//   screenshots [--language CODE] [--set KEY=VALUE]... OUTDIR [DATABASE]
#include "core/db/demodatabase.h"
#include "ui/comparisondialog.h"
#include "ui/historymodel.h"
#include "ui/historypanel.h"
#include "ui/language.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"
#include "ui/settingfield.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
bool save(QWidget &window, const QString &path)
{
    const bool ok = window.grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "could not write", qPrintable(path));
    return ok;
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStringList args = app.arguments();
    // --language zh_CN: the window in that language, each file named with it (run-live-zh_CN.png).
    QString suffix;
    if (const qsizetype at = args.indexOf(u"--language"_s); at > 0 && at + 1 < args.size()) {
        suffix = u"-"_s + language::install(args.at(at + 1));
        args.remove(at, 2);
    }
    // --set KEY=VALUE (repeatable): the runs' scenario changed so (a workload that writes, a server).
    QStringList sets;
    for (qsizetype at = args.indexOf(u"--set"_s); at > 0 && at + 1 < args.size(); at = args.indexOf(u"--set"_s)) {
        sets << args.at(at + 1);
        args.remove(at, 2);
    }
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: screenshots [--language CODE] [--set KEY=VALUE]... OUTDIR [DATABASE]\n");
        return 2;
    }
    const QString &out = args[1];
    QDir().mkpath(out);
    QTemporaryDir dir;
    // A history of its own: the shots show these runs, not the user's.
    qputenv("CACHESCOPE_HISTORY", dir.filePath(u"history.sqlite"_s).toUtf8());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(u"config"_s)); // nor their settings
    QString db = args.size() > 2 ? args[2] : QString();
    if (db.isEmpty()) {
        db = dir.filePath(u"demo.db"_s);
        DemoDatabase::create(db, 20000, 1);
    }

    MainWindow window(db);
    Scenario s;
    s.db.path = db;
    s.duration.baseline = 3s;
    s.duration.cached = 8s;
    s.cache.l1.capacity = 5000;
    s.workload.keys = 20000;
    for (const QString &set : sets)
        s.applyAssignment(set);
    window.setScenario(s);
    window.resize(1280, 800);
    window.show();

    int result = 0;
    int finished = 0;
    HistoryPanel *history = window.historyPanel();
    QObject::connect(&window, &MainWindow::runShown, &app, [&] {
        ++finished;
        if (finished == 1) {
            QTimer::singleShot(600, &app, [&] {
                result |= save(window, out + u"/run-finished"_s + suffix + u".png"_s) ? 0 : 1;
                // The same workload with a tenth of the cache, to compare with.
                Scenario smaller = window.scenario();
                smaller.cache.l1.capacity = 1500;
                smaller.duration.baseline = 2s;
                smaller.duration.cached = 5s;
                window.setScenario(smaller);
                window.findChild<QPushButton *>(u"runButton"_s)->click();
            });
            return;
        }
        QObject::connect(history, &HistoryPanel::refreshed, &app, [&] {
            if (history->model()->rowCount() < 2 || window.property("historyShot").isValid())
                return;
            window.setProperty("historyShot", true);
            window.showChartsTab(false);
            QList<qint64> ids;
            for (int row = 0; row < history->model()->rowCount(); ++row)
                ids << history->model()->entryAt(row).id;
            history->select(ids);
            QTimer::singleShot(400, &app, [&] {
                result |= save(window, out + u"/history"_s + suffix + u".png"_s) ? 0 : 1;
                history->compareSelected();
            });
        });
        QObject::connect(history, &HistoryPanel::comparisonShown, &app, [&](ComparisonDialog *dialog) {
            dialog->resize(1100, 760);
            QTimer::singleShot(800, &app, [&, dialog] {
                result |= save(*dialog, out + u"/comparison"_s + suffix + u".png"_s) ? 0 : 1;
                dialog->close();
                // The finished run again, in the dark theme.
                window.applyTheme(u"dark"_s);
                window.showChartsTab(true);
                QTimer::singleShot(800, &app, [&] {
                    result |= save(window, out + u"/run-dark"_s + suffix + u".png"_s) ? 0 : 1;
                    app.quit();
                });
            });
        });
    });
    // Mid-run: a live change of the L1 capacity 2 s into the cached phase, the window 2 s later.
    auto *timer = new QTimer(&app);
    int ticks = 0;
    QObject::connect(timer, &QTimer::timeout, &app, [&] {
        ++ticks;
        if (ticks == 1)
            window.findChild<QPushButton *>(u"runButton"_s)->click();
        if (window.hitRateChart()->pointCount(0) >= 20 && ticks > 0 && window.property("changed").isNull()) {
            window.setProperty("changed", true);
            auto *capacity = window.findChild<SettingField *>(u"cache.l1.capacity"_s);
            capacity->lineEdit()->setText(u"15000"_s);
            capacity->commitText();
        }
        if (window.hitRateChart()->pointCount(0) >= 45 && window.property("shot").isNull()) {
            window.setProperty("shot", true);
            result |= save(window, out + u"/run-live"_s + suffix + u".png"_s) ? 0 : 1;
        }
    });
    timer->start(100);
    QTimer::singleShot(180000, &app, [&] {
        std::fprintf(stderr, "screenshots: the runs did not finish in 180 s\n");
        result = 1;
        app.quit();
    });
    app.exec();
    return result;
}
