// The history in the window, used as a user would: runs finished in the window and saved by
// `cachescope run` are listed, filtered and sorted; a run opens again with its charts, markers and
// tiles; its scenario loads into the controls; 2–5 runs compare; runs are renamed and deleted.
// The models hold up under QAbstractItemModelTester.
#include "core/db/demodatabase.h"
#include "core/report/historystore.h"
#include "ui/comparisondialog.h"
#include "ui/exportdialog.h"
#include "ui/historymodel.h"
#include "ui/historypanel.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
RunResult makeRun(std::uint64_t hits, int capacity)
{
    RunResult r;
    r.databasePath = u"/data/shop.db"_s;
    r.workers = 2;
    r.scenario.cache.l1.capacity = capacity;
    PhaseResult baseline;
    baseline.durationS = 2.0;
    baseline.requests = baseline.reads = baseline.misses = baseline.dbStatements = 10000;
    PhaseResult cached = baseline;
    cached.durationS = 1.0;
    cached.hits = cached.l1Hits = hits;
    cached.misses = cached.dbStatements = 10000 - hits;
    for (int i = 0; i < 100; ++i) {
        baseline.latency.record(20000);
        cached.latency.record(3000);
    }
    r.baseline = baseline;
    r.cached = cached;
    for (int i = 1; i <= 10; ++i) {
        MetricsSnapshot s;
        s.phase = Phase::Cached;
        s.runTime = 2.0 + 0.1 * i;
        s.phaseTime = 0.1 * i;
        s.interval = 0.1;
        s.requests = s.reads = 1000;
        s.hits = hits / 10;
        r.timeSeries.append(s);
    }
    r.evaluate();
    return r;
}
} // namespace

class TestHistoryView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

    // Waits until the panel has read the history again after \a action.
    static bool refreshedAfter(HistoryPanel *panel, const std::function<void()> &action)
    {
        QSignalSpy refreshed(panel, &HistoryPanel::refreshed);
        action();
        return refreshed.wait(30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
        m_db = m_dir.filePath(u"ui.db"_s);
        DemoDatabase::create(m_db, 2000, 5);
    }

    // The table model and its sorting, filtering proxy under the model tester while they change.
    void modelsPassTheModelTester_data()
    {
        QTest::addColumn<int>("runs");
        QTest::newRow("empty") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("many") << 25;
    }
    void modelsPassTheModelTester()
    {
        QFETCH(int, runs);
        HistoryModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(Qt::UserRole);
        proxy.setFilterKeyColumn(-1);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<HistoryEntry> entries;
        for (int i = 0; i < runs; ++i) {
            HistoryEntry e;
            e.id = i + 1;
            e.finishedAt = QDateTime::currentDateTimeUtc().addSecs(i);
            e.label = u"run %1"_s.arg(i);
            e.verdict = i % 3 == 0 ? u"pass"_s : u"fail"_s;
            e.settings = {u"cache.l1.capacity=%1"_s.arg(100 * i)};
            if (i % 2 == 0)
                e.kpis.insert(u"hit_rate"_s, 0.5 + 0.01 * i);
            entries.append(e);
        }
        model.setEntries(entries);
        QCOMPARE(model.rowCount(), runs);
        proxy.sort(HistoryModel::HitRate, Qt::DescendingOrder);
        if (runs > 2) {
            // Highest hit rate first; runs without one last.
            QCOMPARE(proxy.index(0, HistoryModel::Id).data().toString(), QString::number(runs % 2 ? runs : runs - 1));
            QCOMPARE(proxy.index(runs - 1, HistoryModel::HitRate).data().toString(), u"—"_s);
        }
        proxy.setFilterFixedString(u"capacity=200"_s);
        QCOMPARE(proxy.rowCount(), runs > 20 ? 2 : (runs > 2 ? 1 : 0)); // 200 and 2000
        proxy.setFilterFixedString(QString());
        if (runs > 0) {
            QSignalSpy edited(&model, &HistoryModel::labelEdited);
            QVERIFY(model.setData(model.index(0, HistoryModel::Label), u"renamed"_s));
            QCOMPARE(edited.size(), 1);
            QVERIFY(!model.setData(model.index(0, HistoryModel::Verdict), u"pass"_s)); // not editable
        }
        model.setEntries({});
        QCOMPARE(proxy.rowCount(), 0);
    }

    // Two runs in the window are saved; one from the command line appears after Refresh; a
    // filter narrows the list; Open shows a stored run's charts, markers and tiles; Load puts its
    // scenario in the controls; Compare shows both; Delete asks, then removes.
    void windowRunsAreSavedReopenedComparedAndDeleted()
    {
        const QString historyPath = m_dir.filePath(u"history.sqlite"_s);
        qputenv("CACHESCOPE_HISTORY", historyPath.toUtf8());
        MainWindow window(m_db);
        HistoryPanel *panel = window.historyPanel();
        QCOMPARE(panel->historyPath(), historyPath);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(panel->findChild<QLabel *>(u"historyStatus"_s)->text().contains(u"No runs"_s));

        for (const int capacity : {800, 50}) {
            Scenario s;
            s.db.path = m_db;
            s.workload.keys = 1500;
            s.workload.concurrency = 4;
            s.cache.l1.capacity = capacity;
            s.duration.baseline = 400ms;
            s.duration.cached = 800ms;
            if (capacity == 50)
                s.changes
                    = {ScheduledChange {u"cached"_s, 400ms, ConfigChange::parse({u"cache.l1.capacity=60"_s}, true)}};
            window.setScenario(s);
            QSignalSpy shown(&window, &MainWindow::runShown);
            QSignalSpy saved(panel, &HistoryPanel::saved);
            QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
            QVERIFY(shown.wait(60000));
            // The save runs in the background: it may already be done while the run was shown.
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 30000);
        }
        QTRY_COMPARE(panel->model()->rowCount(), 2);
        const qint64 big = panel->model()->entryAt(1).id; // newest first
        const qint64 small = panel->model()->entryAt(0).id;
        QCOMPARE(panel->model()->entryAt(0).source, u"gui"_s);
        QVERIFY(panel->model()->entryAt(0).settings.contains(u"cache.l1.capacity=50"_s));

        // A headless run saved meanwhile shows after Refresh.
        {
            HistoryStore store(historyPath);
            store.add(makeRun(9000, 5000), u"cli"_s, u"from a script"_s);
        }
        QVERIFY(refreshedAfter(panel,
            [panel] { QTest::mouseClick(panel->findChild<QPushButton *>(u"historyRefresh"_s), Qt::LeftButton); }));
        QCOMPARE(panel->model()->rowCount(), 3);
        auto *filter = panel->findChild<QLineEdit *>(u"historyFilter"_s);
        QTest::keyClicks(filter, u"script"_s);
        QCOMPARE(panel->proxy()->rowCount(), 1);
        filter->clear();
        QCOMPARE(panel->proxy()->rowCount(), 3);

        // Open the run with a live change: its charts come back from the saved series, with the marker.
        window.showChartsTab(false);
        panel->select({small});
        auto *open = panel->findChild<QPushButton *>(u"historyOpen"_s);
        QVERIFY(open->isEnabled());
        QSignalSpy reopened(&window, &MainWindow::runShown);
        window.hitRateChart()->clear();
        QTest::mouseClick(open, Qt::LeftButton);
        QVERIFY(reopened.wait(30000));
        QTRY_VERIFY(window.hitRateChart()->pointCount(0) > 0);
        QTRY_VERIFY(window.throughputChart()->pointCount(0) > 0);
        QCOMPARE(window.throughputChart()->markerCount(), 1);
        QCOMPARE(window.segmentTable()->rowCount(), 3); // baseline, cached, after the change
        QCOMPARE(window.segmentTable()->item(2, 3)->text(), u"cache.l1.capacity=60"_s);
        QVERIFY2(window.banner()->text().contains(u"Run #%1"_s.arg(small)), qPrintable(window.banner()->text()));
        QVERIFY(window.findChild<QLabel *>(u"hitRateTile"_s)->text().contains(u"%"_s));
        QCOMPARE(panel->model()->rowCount(), 3); // opening does not save it again
        QTest::qWait(300);
        QCOMPARE(panel->model()->rowCount(), 3);

        // Its scenario into the controls.
        panel->select({big});
        QTest::mouseClick(panel->findChild<QPushButton *>(u"historyLoadScenario"_s), Qt::LeftButton);
        QTRY_COMPARE(window.scenario().cache.l1.capacity, 800);

        // Compare the two window runs: the table lists every figure, the charts overlay both.
        panel->select({big, small});
        auto *compare = panel->findChild<QPushButton *>(u"historyCompare"_s);
        QVERIFY(compare->isEnabled());
        QSignalSpy compared(panel, &HistoryPanel::comparisonShown);
        QTest::mouseClick(compare, Qt::LeftButton);
        QVERIFY(compared.wait(30000));
        auto *dialog = compared.first().first().value<ComparisonDialog *>();
        QCOMPARE(dialog->table()->rowCount(), int(Comparison::rowKeys().size()));
        QCOMPARE(dialog->table()->columnCount(), 2);
        QVERIFY(dialog->comparison().settingsDiffer.join(u'\n').contains(u"cache.l1.capacity"_s));
        QTRY_VERIFY(dialog->hitRateChart()->pointCount(0) > 0 && dialog->hitRateChart()->pointCount(1) > 0);
        // The smaller cache's hit rate is worse: its change is marked so.
        QCOMPARE(dialog->table()->item(0, 1)->data(Qt::UserRole).toInt(), -1);
        dialog->close();

        // Export both: each run's files carry its number.
        auto *exportButton = panel->findChild<QPushButton *>(u"historyExport"_s);
        QVERIFY(exportButton->isEnabled());
        QTest::mouseClick(exportButton, Qt::LeftButton);
        ExportDialog *exporter = nullptr;
        QTRY_VERIFY((exporter = window.findChild<ExportDialog *>(u"historyExportDialog"_s)) != nullptr);
        const QString base = QFileInfo(historyPath).absolutePath() + u"/exported"_s;
        exporter->setBaseName(base);
        exporter->setFormats({u"json"_s, u"html"_s});
        QCOMPARE(exporter->paths().size(), 4);
        QCOMPARE(exporter->exportAll(), QString());
        for (const qint64 id : {big, small}) {
            for (const QString &format : {u"json"_s, u"html"_s})
                QVERIFY(QFileInfo::exists(base + u"-run%1."_s.arg(id) + format));
        }
        const QJsonObject exportedSmall = QJsonDocument::fromJson([&] {
            QFile f(base + u"-run%1.json"_s.arg(small));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }())
                                              .object();
        QCOMPARE(
            exportedSmall.value(u"scenario"_s).toObject(), HistoryStore(historyPath).result(small).scenario.toJson());
        exporter->close();

        // Rename, then delete: asked first; keeping them changes nothing.
        const QModelIndex label
            = panel->proxy()->mapFromSource(panel->model()->index(panel->model()->rowOf(big), HistoryModel::Label));
        panel->proxy()->setData(label, u"the big one"_s);
        QTRY_COMPARE(HistoryStore(historyPath).entry(big)->label, u"the big one"_s);
        panel->select({big});
        auto *del = panel->findChild<QPushButton *>(u"historyDelete"_s);
        QTest::mouseClick(del, Qt::LeftButton);
        QMessageBox *ask = nullptr;
        QTRY_VERIFY((ask = panel->findChild<QMessageBox *>(u"deleteQuestion"_s)) != nullptr);
        QTest::mouseClick(ask->findChild<QPushButton *>(u"keepRuns"_s), Qt::LeftButton);
        QTest::qWait(200);
        QVERIFY(HistoryStore(historyPath).entry(big));
        QTest::mouseClick(del, Qt::LeftButton);
        QTRY_VERIFY((ask = panel->findChild<QMessageBox *>(u"deleteQuestion"_s)) != nullptr);
        QVERIFY(refreshedAfter(
            panel, [ask] { QTest::mouseClick(ask->findChild<QPushButton *>(u"confirmDelete"_s), Qt::LeftButton); }));
        QCOMPARE(panel->model()->rowCount(), 2);
        QVERIFY(!HistoryStore(historyPath).entry(big));
        qunsetenv("CACHESCOPE_HISTORY");
    }

    // A history that cannot be used is said in the panel; the window still runs.
    void unusableHistoryIsSaidNotFatal()
    {
        const QString notHistory = m_db; // a database that is not CacheScope's history
        qputenv("CACHESCOPE_HISTORY", notHistory.toUtf8());
        MainWindow window(m_db);
        auto *status = window.historyPanel()->findChild<QLabel *>(u"historyStatus"_s);
        QTRY_VERIFY2(status->text().contains(u"not a CacheScope history file"_s), qPrintable(status->text()));
        QVERIFY(window.findChild<QPushButton *>(u"runButton"_s)->isEnabled());
        qunsetenv("CACHESCOPE_HISTORY");
    }
};

QTEST_MAIN(TestHistoryView)
#include "tst_historyview.moc"
