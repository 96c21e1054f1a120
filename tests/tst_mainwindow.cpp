// The window offscreen, used as a user would: press Run, both charts fill with points and the
// KPI tiles show a verdict; Stop ends a long run promptly; closing during a run is clean.
#include "boundedwait.h"
#include "core/db/demodatabase.h"
#include "core/scenario/presets.h"
#include "processstate.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

    Scenario shortScenario(std::chrono::milliseconds baseline, std::chrono::milliseconds cached) const
    {
        Scenario s;
        s.db.path = m_db;
        s.workload.keys = 1500;
        s.workload.concurrency = 4;
        s.cache.l1.capacity = 800;
        s.duration.baseline = baseline;
        s.duration.cached = cached;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"ui.db"_s);
        DemoDatabase::create(m_db, 2000, 5);
    }

    void runFillsBothCharts_data()
    {
        QTest::addColumn<int>("baselineMs");
        QTest::addColumn<int>("cachedMs");
        QTest::addColumn<QStringList>("settings");
        QTest::addRow("short phases") << 600 << 800 << QStringList {};
        QTest::addRow("longer cached phase, L2, s3fifo")
            << 500 << 1500
            << QStringList {u"cache.l1.capacity=200"_s, u"cache.l2.capacity=1200"_s, u"cache.l1.policy=s3fifo"_s};
        QTest::addRow("warm-up: cold and warmed ramps")
            << 300 << 800
            << QStringList {
                   u"warmup.strategy=query"_s, u"warmup.order_by=id"_s, u"warmup.keys=800"_s, u"db.rtt=500us"_s};
    }
    void runFillsBothCharts()
    {
        QFETCH(int, baselineMs);
        QFETCH(int, cachedMs);
        QFETCH(QStringList, settings);
        MainWindow window(m_db);
        Scenario s = shortScenario(std::chrono::milliseconds(baselineMs), std::chrono::milliseconds(cachedMs));
        for (const QString &setting : settings)
            s.applyAssignment(setting);
        window.setScenario(s);
        // The controls carry every setting back into the scenario that runs.
        QVERIFY(window.scenario() == s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy shown(&window, &MainWindow::runShown);
        auto *run = window.findChild<QPushButton *>(u"runButton"_s);
        QVERIFY(run && run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(!run->isEnabled());
        QVERIFY(shown.wait(60000));
        const RunResult result = shown.first().first().value<RunResult>();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        // Charts redraw from a timer: give them a moment after the final snapshot.
        QTRY_VERIFY_WITH_TIMEOUT(window.hitRateChart()->pointCount(0) > 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.throughputChart()->pointCount(0) > 0, 5000); // baseline
        QTRY_VERIFY_WITH_TIMEOUT(window.throughputChart()->pointCount(1) > 0, 5000); // cached
        QVERIFY(run->isEnabled());
        const auto *tile = window.findChild<QLabel *>(u"hitRateTile"_s);
        QVERIFY(tile->text().contains(u"%"_s));
        QVERIFY(!tile->text().contains(u"(live)"_s));
        QCOMPARE(result.scenario.cache.l2.capacity, s.cache.l2.capacity);
        if (s.cache.l2.capacity > 0)
            QVERIFY(result.cached->l2Hits > 0);
        // With a warm-up the cold-start chart draws both ramps and the tile shows the reduction.
        if (s.warmsUp()) {
            QVERIFY(result.cold && result.warmup);
            QTRY_VERIFY_WITH_TIMEOUT(window.coldStartChart()->pointCount(0) > 0, 5000); // cold
            QTRY_VERIFY_WITH_TIMEOUT(window.coldStartChart()->pointCount(1) > 0, 5000); // warmed
            const auto *coldTile = window.findChild<QLabel *>(u"coldStartTile"_s);
            QCOMPARE(coldTile->text().contains(u"%"_s), result.kpi(u"cold_start_reduction"_s).has_value());
        }
    }

    // A new window's controls show the default scenario, on the demo database or on the one it
    // was opened on — not their widgets' minimums (1 client, 0 entries, 0 s phases).
    void newWindowShowsTheDefaultScenario_data()
    {
        QTest::addColumn<bool>("demo");
        QTest::addRow("demo database") << true;
        QTest::addRow("a database given") << false;
    }
    void newWindowShowsTheDefaultScenario()
    {
        QFETCH(bool, demo);
        MainWindow window(demo ? QString() : m_db);
        Scenario expected;
        expected.db.path = demo ? QString() : m_db;
        QVERIFY(window.scenario() == expected);
    }

    // The Scenario menu's presets fill the controls with the preset's settings, on the database
    // already open; the bound-efficiency tile is there from the start, with its title.
    void presetMenuLoadsAPresetOnTheOpenDatabase_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addRow("seed-plan") << u"seed-plan"_s;
        QTest::addRow("tuned") << u"tuned"_s;
        QTest::addRow("default") << u"default"_s;
    }
    void presetMenuLoadsAPresetOnTheOpenDatabase()
    {
        QFETCH(QString, preset);
        MainWindow window(m_db);
        window.setScenario(shortScenario(300ms, 500ms));
        auto *action = window.findChild<QAction *>(u"presetAction_"_s + preset);
        QVERIFY(action);
        QVERIFY(!action->toolTip().isEmpty());
        action->trigger();
        Scenario expected = presetScenario(preset);
        expected.db.path = m_db;
        QVERIFY(window.scenario() == expected);
        const auto *tile = window.findChild<QLabel *>(u"boundEfficiencyTile"_s);
        QVERIFY(tile && tile->text().contains(u"Efficiency vs bound"_s));
    }

    // The field list shows the table's real columns (read off the GUI thread); the key column is
    // always checked; the checks become workload.fields, and a run with them measures transfer.
    void fieldsComeFromTheTable()
    {
        MainWindow window(m_db);
        window.setScenario(shortScenario(300ms, 500ms));
        window.show();
        auto *list = window.findChild<QListWidget *>(u"fieldList"_s);
        QVERIFY(list);
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 24, 5000); // id + 23 columns of the demo table
        QCOMPARE(list->item(0)->text(), u"id"_s);
        QVERIFY(!(list->item(0)->flags() & Qt::ItemIsEnabled));
        for (int i = 0; i < list->count(); ++i)
            QCOMPARE(list->item(i)->checkState(), Qt::Checked);
        QCOMPARE(window.scenario().workload.fields, QString()); // all columns

        for (int i = 1; i < list->count(); ++i) {
            const QString name = list->item(i)->text();
            list->item(i)->setCheckState(name == u"price"_s || name == u"name"_s ? Qt::Checked : Qt::Unchecked);
        }
        QCOMPARE(window.scenario().workload.fields, u"id,name,price"_s);

        // A scenario's fields are shown as checks once the columns are read again.
        Scenario s = shortScenario(300ms, 500ms);
        s.workload.fields = u"stock, sku"_s;
        window.setScenario(s);
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 24, 5000);
        QStringList checked;
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->checkState() == Qt::Checked)
                checked << list->item(i)->text();
        }
        QCOMPARE(checked, (QStringList {u"id"_s, u"sku"_s, u"stock"_s}));

        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        QVERIFY(!list->isEnabled());
        QVERIFY(shown.wait(60000));
        const RunResult result = shown.first().first().value<RunResult>();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QCOMPARE(result.scenario.workload.fields, u"id,sku,stock"_s);
        QVERIFY(result.kpi(u"transfer_reduction"_s).has_value());
        const auto *tile = window.findChild<QLabel *>(u"transferTile"_s);
        QVERIFY2(tile->text().contains(QString::number(*result.kpi(u"transfer_reduction"_s) * 100.0, 'f', 1) + u" %"_s),
            qPrintable(tile->text()));
    }

    // Editing a live control mid-run sends a ConfigChange: a marker appears on the charts and the
    // result has a new segment carrying the change; fixed settings are locked during the run. A
    // change of the workload (not of the cache) makes the comparison with the baseline unlike:
    // the finished run counts that note under the buttons and shows it on hover.
    void liveEditStartsASegment_data()
    {
        QTest::addColumn<QString>("control");
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("noted");
        QTest::addRow("L1 capacity: tuning") << u"cache.l1.capacity"_s << 1400 << u"cache.l1.capacity=1400"_s << false;
        QTest::addRow("clients: workload") << u"workload.concurrency"_s << 6 << u"workload.concurrency=6"_s << true;
    }
    void liveEditStartsASegment()
    {
        QFETCH(QString, control);
        QFETCH(int, value);
        QFETCH(QString, change);
        QFETCH(bool, noted);
        MainWindow window(m_db);
        // A long cached phase, ended with Stop once the change has shown: nothing here depends on
        // how fast the machine (or a sanitizer) runs.
        window.setScenario(shortScenario(300ms, 60s));
        window.show();
        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        // Wait for the cached phase's first points.
        QTRY_VERIFY_WITH_TIMEOUT(window.hitRateChart()->pointCount(0) > 0, 30000);
        auto *box = window.findChild<QSpinBox *>(control);
        QVERIFY(box && box->isEnabled());
        QVERIFY(!window.findChild<QListWidget *>(u"fieldList"_s)->isEnabled());
        box->setValue(value);
        QTRY_COMPARE_WITH_TIMEOUT(window.hitRateChart()->markerCount(), 1, 30000);
        QCOMPARE(window.throughputChart()->markerCount(), 1);
        QTest::mouseClick(window.findChild<QPushButton *>(u"stopButton"_s), Qt::LeftButton);
        QVERIFY(shown.wait(30000));
        const RunResult result = shown.first().first().value<RunResult>();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.stopped);
        QCOMPARE(result.segments.size(), 3);
        QCOMPARE(result.segments.last().change, change);
        QCOMPARE(result.scenario.cache.l1.capacity, 800); // the scenario as started; the change is in its segment
        QCOMPARE(result.scenario.workload.concurrency, 4);
        QCOMPARE(result.notes.size(), noted ? 1 : 0);
        const auto *label = window.findChild<QLabel *>(u"phaseLabel"_s);
        QCOMPARE(label->text().contains(u"1 note on this run"_s), noted);
        QCOMPARE(label->toolTip().contains(u"not like for like"_s), noted);
    }

    // Stop ends a long run: the result is shown, marked stopped, well before the planned end.
    void stopEndsLongRun()
    {
        MainWindow window(m_db);
        window.setScenario(shortScenario(60s, 60s));
        window.show();
        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.throughputChart()->pointCount(0) > 0, 10000);
        auto *stop = window.findChild<QPushButton *>(u"stopButton"_s);
        QVERIFY(stop->isEnabled());
        QTest::mouseClick(stop, Qt::LeftButton);
        QVERIFY(shown.wait(10000));
        QVERIFY(shown.first().first().value<RunResult>().stopped);
    }

    // Closing the window mid-run shuts the engine down: its threads are joined and its
    // connections closed once the window is gone (and ASan sees no leak).
    void closeDuringRunLetsGoOfThreadsAndFiles()
    {
        auto window = std::make_unique<MainWindow>(m_db);
        window->setScenario(shortScenario(60s, 60s));
        window->show();
        QTest::qWait(50); // the window's own threads (if any) start with it
        const int threadsBefore = processstate::threadCount();
        QTest::mouseClick(window->findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window->throughputChart()->pointCount(0) > 0, 10000);
        QVERIFY(processstate::threadCount() > threadsBefore);
        QVERIFY(processstate::openFilesOf(m_db) > 0);
        window->close();
        window.reset();
        QCOMPARE(processstate::openFilesOf(m_db), 0);
        // (QThread::wait() returns when a thread's run ends; the kernel lets it go a moment later.)
        bounded::until([&] { return processstate::threadCount() <= threadsBefore; }, "the engine's threads gone");
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
