// The window offscreen, used as a user would: press Run, both charts fill with points and the
// KPI tiles show a verdict; Stop ends a long run promptly; closing during a run is clean.
#include "boundedwait.h"
#include "core/db/demodatabase.h"
#include "core/scenario/presets.h"
#include "processstate.h"
#include "redissandbox.h"
#include "ui/livechart.h"
#include "ui/mainwindow.h"
#include "ui/settingfield.h"

#include <QAction>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>

#include <algorithm>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<RedisSandbox> m_redis;
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
        // Settings of this process alone: a window remembers its last scenario, and a new window
        // here must start on the defaults.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"config"_s));
        m_db = m_dir.filePath(u"ui.db"_s);
        DemoDatabase::create(m_db, 2000, 5);
        m_redis = std::make_unique<RedisSandbox>();
        QVERIFY2(!m_redis->url().isEmpty(), qPrintable(m_redis->error()));
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
        QTest::addRow("writes: staleness, cache not told")
            << 300 << 800 << QStringList {u"workload.read_ratio=0.8"_s, u"cache.write_policy=ttl-only"_s};
        QTest::addRow("Redis L2, two instances")
            << 300 << 1000
            << QStringList {u"cache.l2.backend=redis"_s, u"cache.l2.url="_s + m_redis->url(), u"cache.instances=2"_s,
                   u"engine.workers=2"_s, u"workload.concurrency=4"_s, u"cache.l1.capacity=200"_s};
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
        // Latency on its log axis: p50, p99, p99.9 and max of both phases, each above the one before.
        LiveChart *latency = window.latencyChart();
        QVERIFY(latency->isLogY());
        for (int series = 0; series < 8; ++series)
            QTRY_VERIFY2_WITH_TIMEOUT(latency->pointCount(series) > 0, qPrintable(latency->seriesName(series)), 5000);
        QVERIFY(latency->yMin() > 0 && latency->yMax() > latency->yMin());
        // Bytes read, both phases; the hit rate over its window; the ratio beside its bound.
        QTRY_VERIFY_WITH_TIMEOUT(
            window.bytesChart()->pointCount(0) > 0 && window.bytesChart()->pointCount(1) > 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.hitRateChart()->pointCount(4) > 0, 5000);
        QCOMPARE(window.hitRateChart()->seriesName(4), u"over 1 s"_s);
        if (s.db.rtt.count() == 0) {
            QTRY_VERIFY_WITH_TIMEOUT(window.boundChart()->pointCount(0) > 0, 5000); // measured
            QTRY_VERIFY_WITH_TIMEOUT(window.boundChart()->pointCount(1) > 0, 5000); // B(h)
        }
        QVERIFY(run->isEnabled());
        const auto *tile = window.findChild<QLabel *>(u"hitRateTile"_s);
        QVERIFY(tile->text().contains(u"%"_s));
        QVERIFY(!tile->text().contains(u"(live)"_s));
        QCOMPARE(result.scenario.cache.l2.capacity, s.cache.l2.capacity);
        if (s.cache.l2.capacity > 0 || s.cache.l2Backend == L2Backend::Redis)
            QVERIFY(result.cached->l2Hits > 0);
        // A Redis L2: its round-trip beside the requests' latency.
        auto *l2 = window.findChild<LiveChart *>(u"l2Chart"_s);
        QVERIFY(l2);
        if (s.cache.l2Backend == L2Backend::Redis) {
            QCOMPARE(l2->seriesName(0), u"L2 round-trip p50"_s);
            QTRY_VERIFY_WITH_TIMEOUT(l2->pointCount(0) > 0 && l2->pointCount(1) > 0, 5000);
            QVERIFY(l2->yMax() > 0);
        } else {
            QCOMPARE(l2->pointCount(0), 0);
        }
        // A workload that writes: the staleness chart is the one shown beside the bound, with the
        // share of stale reads and their age; the tile shows the share.
        auto *tabs = window.findChild<QTabWidget *>(u"lastChartTabs"_s);
        QVERIFY(tabs);
        auto *staleness = window.findChild<LiveChart *>(u"stalenessChart"_s);
        QVERIFY(staleness);
        QCOMPARE(tabs->currentWidget() == staleness, s.workload.readRatio < 1.0);
        if (s.workload.readRatio >= 1.0)
            QCOMPARE(tabs->currentWidget() == l2, s.cache.l2Backend == L2Backend::Redis);
        if (s.workload.readRatio < 1.0) {
            QVERIFY(result.cached->staleReads > 0);
            QTRY_VERIFY_WITH_TIMEOUT(staleness->pointCount(1) > 0 && window.hitRateChart()->pointCount(5) > 0, 5000);
            QCOMPARE(window.hitRateChart()->seriesName(5), u"stale"_s);
            QCOMPARE(staleness->pointCount(0), 0); // no replicas
            QVERIFY(staleness->yMax() > 0);
            const auto *staleTile = window.findChild<QLabel *>(u"staleReadRateTile"_s);
            QVERIFY(staleTile && staleTile->text().contains(u"%"_s));
        }
        // With a warm-up the cold-start chart draws both ramps and the tile shows the reduction.
        if (s.warmsUp()) {
            QVERIFY(result.cold && result.warmup);
            QTRY_VERIFY_WITH_TIMEOUT(window.coldStartChart()->pointCount(0) > 0, 5000); // cold
            QTRY_VERIFY_WITH_TIMEOUT(window.coldStartChart()->pointCount(1) > 0, 5000); // warmed
            const auto *coldTile = window.findChild<QLabel *>(u"coldStartTile"_s);
            QCOMPARE(coldTile->text().contains(u"%"_s), result.kpi(u"cold_start_reduction"_s).has_value());
        }
        // A long tooltip wraps (rich text): a plain one is a single line as wide as it is long.
        for (const QWidget *w : window.findChildren<QWidget *>()) {
            if (w->toolTip().size() > 90)
                QVERIFY2(Qt::mightBeRichText(w->toolTip()), qPrintable(w->objectName() + u": "_s + w->toolTip()));
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
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 25, 5000); // id + 23 columns of the demo table + version
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
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 25, 5000);
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
        auto *field = window.findChild<SettingField *>(control);
        QVERIFY(field && field->isEnabled());
        QVERIFY(!window.findChild<QListWidget *>(u"fieldList"_s)->isEnabled());
        // Typed and committed as a user does: the text, then Enter.
        field->lineEdit()->setFocus();
        field->lineEdit()->selectAll();
        QTest::keyClicks(field->lineEdit(), QString::number(value));
        QTest::keyClick(field->lineEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(window.hitRateChart()->markerCount(), 1, 30000);
        QCOMPARE(window.throughputChart()->markerCount(), 1);
        QCOMPARE(window.latencyChart()->markerCount(), 1);
        // A segment row at once, naming the change; its figures at the end.
        QCOMPARE(window.segmentTable()->rowCount(), 1);
        QCOMPARE(window.segmentTable()->item(0, 3)->text(), change);
        QTest::mouseClick(window.findChild<QPushButton *>(u"stopButton"_s), Qt::LeftButton);
        QVERIFY(shown.wait(30000));
        const RunResult result = shown.first().first().value<RunResult>();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.stopped);
        QCOMPARE(result.segments.size(), 3);
        QCOMPARE(result.segments.last().change, change);
        // Every segment in the table with its figures: baseline, cached, the change's.
        QCOMPARE(window.segmentTable()->rowCount(), 3);
        QCOMPARE(window.segmentTable()->item(2, 3)->text(), change);
        QCOMPARE(window.segmentTable()->item(2, 4)->text(),
            QString::number(result.segments.last().stats.requestsPerSecond(), 'f', 0));
        QVERIFY(window.segmentTable()->item(1, 5)->text().endsWith(u" %"_s));
        QCOMPARE(result.scenario.cache.l1.capacity, 800); // the scenario as started; the change is in its segment
        QCOMPARE(result.scenario.workload.concurrency, 4);
        // The change's note (a loaded machine may add one of a phase that overran its plan).
        const qsizetype changeNotes = std::count_if(result.notes.begin(), result.notes.end(),
            [](const QString &note) { return note.contains(u"not like for like"_s); });
        QCOMPARE(changeNotes, noted ? 1 : 0);
        const auto *label = window.findChild<QLabel *>(u"phaseLabel"_s);
        QCOMPARE(label->text().contains(u"note"_s), !result.notes.isEmpty());
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

    // Closing the window mid-run asks first (the run goes on while it asks); "Keep running"
    // keeps it; "Stop and close" shuts the engine down: its threads are joined and its
    // connections closed once the window is gone (and ASan sees no leak).
    void closeDuringRunAsksThenLetsGoOfThreadsAndFiles()
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
        QVERIFY(!window->close());
        auto *ask = window->findChild<QMessageBox *>(u"closeQuestion"_s);
        QVERIFY(ask);
        QTRY_VERIFY_WITH_TIMEOUT(ask->isVisible(), 5000);
        QTest::mouseClick(ask->findChild<QPushButton *>(u"keepRunning"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<QMessageBox *>(u"closeQuestion"_s), 5000);
        QVERIFY(window->isVisible());
        QVERIFY(window->findChild<QPushButton *>(u"stopButton"_s)->isEnabled()); // still running

        QVERIFY(!window->close());
        ask = window->findChild<QMessageBox *>(u"closeQuestion"_s);
        QTRY_VERIFY_WITH_TIMEOUT(ask && ask->isVisible(), 5000);
        QTest::mouseClick(ask->findChild<QPushButton *>(u"stopAndClose"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->isVisible(), 5000);
        window.reset();
        QCOMPARE(processstate::openFilesOf(m_db), 0);
        // (QThread::wait() returns when a thread's run ends; the kernel lets it go a moment later.)
        bounded::until([&] { return processstate::threadCount() <= threadsBefore; }, "the engine's threads gone");
    }

    // During a run every tile keeps its title and its target (≥, not ">="); those measured only
    // at the end say so, the live ones fill in.
    void tilesKeepTitlesAndTargetsDuringARun()
    {
        MainWindow window(m_db);
        window.setScenario(shortScenario(300ms, 60s));
        window.show();
        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.hitRateChart()->pointCount(0) > 0, 30000);
        const std::pair<const char *, const char *> tiles[] = {{"hitRateTile", "Hit rate"},
            {"dbReductionTile", "DB queries reduced"}, {"latencyTile", "p50 latency reduced"},
            {"transferTile", "Bytes read reduced"}, {"coldStartTile", "Cold start reduced"}};
        for (const auto &[name, title] : tiles) {
            const QString text = window.findChild<QLabel *>(QString::fromLatin1(name))->text();
            QVERIFY2(text.contains(QString::fromLatin1(title)) && text.contains(u"target ≥"_s), qPrintable(text));
            QVERIFY2(!text.contains(u">="_s), qPrintable(text));
        }
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel *>(u"hitRateTile"_s)->text().contains(u"(live)"_s), 5000);
        QVERIFY(window.findChild<QLabel *>(u"latencyTile"_s)->text().contains(u"at the end"_s));
        QTest::mouseClick(window.findChild<QPushButton *>(u"stopButton"_s), Qt::LeftButton);
        QVERIFY(shown.wait(30000));
    }

    // A run that cannot start (a refused value, a warm-up file that is not there) leaves the
    // last results on screen and says why in the banner, not only the status bar; a finished
    // run that misses criteria names them, each with the value and the target.
    void failedRunKeepsTheLastResultsAndSaysWhy()
    {
        MainWindow window(m_db);
        Scenario s = shortScenario(300ms, 500ms);
        window.setScenario(s);
        window.show();
        QSignalSpy shown(&window, &MainWindow::runShown);
        auto *run = window.findChild<QPushButton *>(u"runButton"_s);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(shown.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(window.hitRateChart()->pointCount(0) > 0, 5000);
        const QString tileBefore = window.findChild<QLabel *>(u"hitRateTile"_s)->text();
        // The default criteria are not met by this short run: the banner names what was missed.
        const RunResult first = shown.first().first().value<RunResult>();
        QVERIFY(!first.passed);
        QVERIFY(window.banner()->isVisible());
        QVERIFY2(window.banner()->text().contains(u"cache hit rate"_s)
                && window.banner()->text().contains(u"target ≥ 99.0 %"_s),
            qPrintable(window.banner()->text()));
        QVERIFY(!window.findChild<QLabel *>(u"phaseLabel"_s)->text().contains(u"Some criteria"_s));

        // A value refused at the widget: Run does not start, the field is named.
        SettingField *clients = window.findChild<SettingField *>(u"workload.concurrency"_s);
        clients->lineEdit()->setText(u"99999"_s);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(run->isEnabled());
        QVERIFY2(window.banner()->text().contains(u"workload.concurrency"_s), qPrintable(window.banner()->text()));
        QCOMPARE(window.findChild<QLabel *>(u"hitRateTile"_s)->text(), tileBefore);
        clients->lineEdit()->setText(u"4"_s);

        // A warm-up whose keys file is not there fails before the run: the results stay.
        s.warmup.strategy = WarmupStrategy::KeysFile;
        s.warmup.keysFile = m_dir.filePath(u"no-such-keys.txt"_s);
        window.setScenario(s);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(shown.wait(30000));
        QVERIFY(!shown.last().first().value<RunResult>().error.isEmpty());
        QVERIFY2(window.banner()->text().contains(u"no-such-keys.txt"_s), qPrintable(window.banner()->text()));
        QVERIFY(window.hitRateChart()->pointCount(0) > 0);
        QCOMPARE(window.findChild<QLabel *>(u"hitRateTile"_s)->text(), tileBefore);
    }

    // The warm-up's file and columns can be given in the window: a keys file picked and a query's
    // order both reach the run, which loads them.
    void warmupFromAFileOrAQueryRuns_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addRow("keys-file") << u"keys-file"_s;
        QTest::addRow("query") << u"query"_s;
    }
    void warmupFromAFileOrAQueryRuns()
    {
        QFETCH(QString, strategy);
        const QString keys = m_dir.filePath(u"hot.txt"_s);
        {
            QFile f(keys);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int k = 1; k <= 300; ++k)
                f.write(QByteArray::number(k) + '\n');
        }
        MainWindow window(m_db);
        window.setScenario(shortScenario(300ms, 600ms));
        window.show();
        auto type = [&](const QString &key, const QString &text) {
            SettingField *f = window.findChild<SettingField *>(key);
            QVERIFY2(f, qPrintable(key));
            if (f->comboBox() && !f->lineEdit()) {
                f->comboBox()->setCurrentText(text);
            } else {
                f->lineEdit()->setText(text);
                QVERIFY(f->commitText());
            }
        };
        type(u"warmup.strategy"_s, strategy);
        if (strategy == u"keys-file"_s)
            type(u"warmup.keys_file"_s, keys);
        else
            type(u"warmup.order_by"_s, u"price desc"_s);
        type(u"warmup.keys"_s, u"300"_s);
        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::mouseClick(window.findChild<QPushButton *>(u"runButton"_s), Qt::LeftButton);
        QVERIFY(shown.wait(60000));
        const RunResult result = shown.first().first().value<RunResult>();
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.warmup);
        // (Keys the clients loaded first are not loaded twice.)
        QVERIFY2(result.warmup->keysLoaded > 150 && result.warmup->keysLoaded <= 300,
            qPrintable(QString::number(result.warmup->keysLoaded)));
        QCOMPARE(window.coldStartChart()->seriesName(1), u"warmed up"_s);
    }

    // The keyboard runs the session: Ctrl+R starts a run, whose phase, times and progress show in
    // the status bar; Esc stops it.
    void shortcutsRunAndStop()
    {
        MainWindow window(m_db);
        window.setScenario(shortScenario(60s, 60s));
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy shown(&window, &MainWindow::runShown);
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_R));
        auto *stop = window.findChild<QPushButton *>(u"stopButton"_s);
        QVERIFY(stop->isEnabled());
        const auto *progress = window.findChild<QProgressBar *>(u"runProgress"_s);
        const auto *progressLabel = window.findChild<QLabel *>(u"progressLabel"_s);
        QVERIFY(progress->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(progressLabel->text().startsWith(u"Baseline "_s), 10000);
        QVERIFY2(progressLabel->text().contains(u" / 60 s · about "_s), qPrintable(progressLabel->text()));
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 10000);
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(shown.wait(30000));
        QVERIFY(shown.first().first().value<RunResult>().stopped);
        QVERIFY(!progress->isVisible());
    }

    // File → Save scenario writes the controls' scenario, which opens again unchanged; it never
    // replaces a file that is not a scenario (another program's JSON, the database).
    void scenarioSavesAndOpensAgain_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("before"); // the file's content beforehand; empty: none
        QTest::addColumn<bool>("saved");
        QTest::addRow("a new file") << u"mine.json"_s << QByteArray() << true;
        QTest::addRow("a scenario saved before")
            << u"old.json"_s << QByteArray(R"({"db": {"table": "products"}, "workload": {"keys": 9}})") << true;
        QTest::addRow("another program's JSON") << u"other.json"_s << QByteArray(R"({"name": "x", "db": {}})") << false;
    }
    void scenarioSavesAndOpensAgain()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, before);
        QFETCH(bool, saved);
        const QString path = m_dir.filePath(name);
        if (!before.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(before);
        }
        MainWindow window(m_db);
        Scenario s = shortScenario(300ms, 700ms);
        s.applyAssignment(u"cache.l1.ttl=5m"_s);
        s.applyAssignment(u"workload.distribution=hotspot"_s);
        window.setScenario(s);
        const QString problem = window.saveScenarioFile(path);
        QCOMPARE(problem.isEmpty(), saved);
        if (!saved) {
            QVERIFY2(problem.contains(u"is not a scenario CacheScope wrote"_s), qPrintable(problem));
            QVERIFY(!window.banner()->isHidden());
            QVERIFY(window.banner()->text().contains(path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);
            return;
        }
        MainWindow other(m_db);
        QVERIFY(other.openScenarioFile(path));
        QVERIFY(other.scenario() == s);
        QVERIFY(window.saveScenarioFile(m_db).contains(u"which this run reads"_s)); // the database itself
    }

    // File → Export writes the last run's result: the result JSON, or JUnit XML for .xml.
    void exportWritesTheLastResult()
    {
        MainWindow window(m_db);
        window.setScenario(shortScenario(300ms, 500ms));
        QVERIFY(!window.exportResultsTo(m_dir.filePath(u"early.json"_s)).isEmpty()); // nothing run yet
        QSignalSpy shown(&window, &MainWindow::runShown);
        window.startRun();
        QVERIFY(shown.wait(60000));
        const QString json = m_dir.filePath(u"exported.json"_s);
        const QString xml = m_dir.filePath(u"exported.xml"_s);
        QCOMPARE(window.exportResultsTo(json), QString());
        QCOMPARE(window.exportResultsTo(xml), QString());
        QFile j(json), x(xml);
        QVERIFY(j.open(QIODevice::ReadOnly) && x.open(QIODevice::ReadOnly));
        QVERIFY(j.readAll().contains("\"format_version\""));
        QVERIFY(x.readAll().contains("<testsuite name=\"cachescope acceptance\""));
    }

    // The window fits the screen's available area (at any QT_SCALE_FACTOR: CTest runs this at 1,
    // 1.5 and 2), and the settings column can be widened with the splitter.
    // View → Hit-rate window sets the window the hit-rate chart's sliding line covers.
    void hitWindowNamesItsLine_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::newRow("1 s") << 1;
        QTest::newRow("5 s") << 5;
        QTest::newRow("30 s") << 30;
    }
    void hitWindowNamesItsLine()
    {
        QFETCH(int, seconds);
        MainWindow window(m_db);
        window.findChild<QAction *>(u"hitWindow_%1"_s.arg(seconds))->trigger();
        QCOMPARE(window.hitWindow(), double(seconds));
        QCOMPARE(window.hitRateChart()->seriesName(4), u"over %1 s"_s.arg(seconds));
        QVERIFY(window.findChild<QAction *>(u"hitWindow_%1"_s.arg(seconds))->isChecked());
    }

    // The window carries the project's icon, drawn at the sizes a desktop asks for.
    void windowHasItsIcon_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("16") << 16;
        QTest::newRow("48") << 48;
        QTest::newRow("256") << 256;
    }
    void windowHasItsIcon()
    {
        QFETCH(int, size);
        MainWindow window(m_db);
        const QImage image = window.windowIcon().pixmap(QSize(size, size)).toImage();
        QCOMPARE(image.size(), QSize(size, size));
        // Opaque in the middle (the tile), transparent at the very corner (the rounded square).
        QVERIFY(qAlpha(image.pixel(size / 2, size / 2)) > 200);
        QVERIFY(qAlpha(image.pixel(0, 0)) < 50);
    }

    void windowFitsTheScreen()
    {
        MainWindow window(m_db);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect available = window.screen()->availableGeometry();
        QVERIFY2(available.contains(window.frameGeometry()),
            qPrintable(u"window %1×%2 at %3,%4 on a screen of %5×%6"_s.arg(window.frameGeometry().width())
                           .arg(window.frameGeometry().height())
                           .arg(window.x())
                           .arg(window.y())
                           .arg(available.width())
                           .arg(available.height())));
        auto *splitter = window.findChild<QSplitter *>(u"mainSplitter"_s);
        QVERIFY(splitter);
        const int before = splitter->sizes().first();
        splitter->setSizes({before + 150, splitter->sizes().last() - 150});
        QVERIFY2(splitter->sizes().first() > before, "the settings column must widen");
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
