// Warm-up end to end on a real database: cold vs warmed with the same seed, cold-start times
// against the time series, snapshots carried to the next run, warmup.auto, the time budget,
// live traffic during the warm-up, bad sources. (Runner threads talk through Qt's queued events,
// which ThreadSanitizer cannot see: not in the tsan preset, as tst_phaserunner.)
#include "core/batch/timerqueue.h"
#include "core/cache/tieredcache.h"
#include "core/db/demodatabase.h"
#include "core/experiment/phaserunner.h"
#include "core/load/datasource.h"
#include "core/warmup/hotsetsnapshot.h"
#include "core/warmup/warmupexecutor.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <qcoro/qcorotask.h>

#include <algorithm>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestWarmupRun : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

    Scenario small() const
    {
        Scenario s;
        s.db.path = m_db;
        s.workload.keys = 3000;
        s.workload.concurrency = 4;
        s.engine.workers = 2;
        s.cache.l1.capacity = 1000;
        s.duration.baseline = 0s;
        s.duration.cached = 800ms;
        s.warmup.snapshot = m_dir.filePath(u"hot.hotset"_s);
        return s;
    }
    static RunResult runToEnd(const Scenario &scenario)
    {
        PhaseRunner runner;
        QSignalSpy finished(&runner, &PhaseRunner::runFinished);
        runner.start(scenario);
        if (finished.isEmpty() && !finished.wait(120000))
            qFatal("run did not finish");
        return finished.first().first().value<RunResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"shop.db"_s);
        DemoDatabase::create(m_db, 3000, 7);
    }

    // A live change during the cold run carries into the warmed run (changes stay for the rest of
    // the run): the result says that the cold-start times then compare different settings.
    void changeDuringColdRunIsNoted_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addRow("cache setting") << u"cache.l1.capacity=800"_s;
        QTest::addRow("database setting") << u"db.rtt=50us"_s;
    }
    void changeDuringColdRunIsNoted()
    {
        QFETCH(QString, change);
        Scenario s = small();
        s.warmup.strategy = WarmupStrategy::Query;
        s.warmup.orderBy = u"id"_s;
        s.warmup.keys = 500;
        PhaseRunner runner;
        QSignalSpy finished(&runner, &PhaseRunner::runFinished);
        connect(&runner, &PhaseRunner::phaseStarted, &runner, [&runner, change](Phase phase) {
            if (phase == Phase::Cold)
                QTimer::singleShot(
                    200ms, &runner, [&runner, change] { runner.applyChange(ConfigChange::parse({change}, false)); });
        });
        runner.start(s);
        QVERIFY(finished.wait(120000));
        const RunResult r = finished.first().first().value<RunResult>();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.cold && r.cached);
        const auto noted = std::count_if(r.notes.begin(), r.notes.end(), [&change](const QString &note) {
            return note.startsWith(change + u" changed at "_s) && note.contains(u"cold-start times compare"_s);
        });
        QVERIFY2(noted == 1, qPrintable(r.notes.join(u" | "_s)));
    }

    // End to end: the warmed cached phase reaches 90 % of its steady hit rate sooner than the cold
    // run with the same seed; the reported cold-start times are the ones the time series gives.
    void warmedStartsFasterThanCold()
    {
        Scenario s = small();
        // No snapshot needed: the workload reads the table's first 1000 keys, and the query warms them.
        s.warmup.strategy = WarmupStrategy::Query;
        s.warmup.orderBy = u"id"_s;
        s.workload.distribution = Distribution::Uniform; // every key equally hot: what the cache holds is what matters
        s.workload.keys = 1000; // the whole key space fits; the warm-up loads it all
        s.warmup.keys = 1000;
        s.db.rtt = 1ms; // a remote database: a cold cache fills slowly, one key per round-trip
        s.duration.cached = 2s;
        const RunResult r = runToEnd(s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.cold && r.cached && r.warmup);
        QCOMPARE(r.warmup->keysPlanned, 1000);
        QCOMPARE(r.warmup->keysLoaded + r.warmup->keysAlreadyCached, std::uint64_t(1000));
        QVERIFY(r.coldStart && r.coldStartCold);
        QVERIFY2(r.coldStart->seconds < r.coldStartCold->seconds,
            qPrintable(u"warmed %1 s, cold %2 s"_s.arg(r.coldStart->seconds).arg(r.coldStartCold->seconds)));
        QVERIFY(r.kpi(u"cold_start_reduction"_s) && *r.kpi(u"cold_start_reduction"_s) > 0);
        QCOMPARE(*r.kpi(u"cold_start_reduction"_s), *r.kpi(u"cold_start_reduction"_s));

        // Recomputed by hand from the time series: 1 s windows, steady = the phase's second half.
        for (const auto &[phase, reported] :
            {std::pair {Phase::Cold, r.coldStartCold}, std::pair {Phase::Cached, r.coldStart}}) {
            QList<MetricsSnapshot> points;
            for (const MetricsSnapshot &m : r.timeSeries) {
                if (m.phase == phase)
                    points << m;
            }
            const double end = points.last().phaseTime;
            double h = 0, n = 0;
            for (const MetricsSnapshot &m : points) {
                if (m.phaseTime - m.interval >= end / 2 - 0.005) {
                    h += double(m.hits);
                    n += double(m.hits + m.misses);
                }
            }
            QCOMPARE(reported->steadyHitRate, h / n);
            double found = -1;
            for (qsizetype i = 0; i < points.size() && found < 0; ++i) {
                double wh = 0, wn = 0;
                for (qsizetype j = 0; j <= i; ++j) {
                    if (points[j].phaseTime - points[j].interval >= points[i].phaseTime - 1.0 - 0.005) {
                        wh += double(points[j].hits);
                        wn += double(points[j].hits + points[j].misses);
                    }
                }
                if (wn > 0 && wh / wn >= 0.9 * h / n)
                    found = points[i].phaseTime;
            }
            QCOMPARE(reported->seconds, found);
        }
    }

    // A run saves the hot set it saw; the next run's top-n warms up from it, and warmup.auto
    // takes the size it suggested. A damaged snapshot in the data folder is reported and the run
    // goes on; a file named by warmup.snapshot that is not a snapshot is refused.
    void snapshotsCarryHotKeysToTheNextRun()
    {
        Scenario s = small();
        s.warmup.snapshot = m_dir.filePath(u"carry.hotset"_s);
        const RunResult first = runToEnd(s); // no warm-up: only records
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QCOMPARE(first.hotSetSnapshot, s.warmup.snapshot);
        QVERIFY(first.suggestedWarmupKeys > 0 && first.suggestedWarmupKeys <= s.cache.l1.capacity);
        const HotSet saved = HotSetSnapshot::load(s.warmup.snapshot);
        QCOMPARE(saved.suggestedKeys, first.suggestedWarmupKeys);
        QVERIFY(!saved.keys.empty());

        s.warmup.strategy = WarmupStrategy::TopN;
        s.warmup.compare = false;
        s.warmup.autoSize = true;
        const RunResult second = runToEnd(s);
        QVERIFY2(second.error.isEmpty(), qPrintable(second.error));
        QVERIFY(second.warmup);
        QVERIFY2(second.warmup->source.contains(s.warmup.snapshot), qPrintable(second.warmup->source));
        QCOMPARE(second.warmup->keysPlanned,
            std::min<std::int64_t>(first.suggestedWarmupKeys, std::int64_t(saved.keys.size())));
        QVERIFY(!second.cold); // warmup.compare=false: no cold run
        QVERIFY(!second.kpi(u"cold_start_reduction"_s));

        QFile corrupt(s.warmup.snapshot);
        QVERIFY(corrupt.open(QIODevice::WriteOnly | QIODevice::Truncate));
        corrupt.write("garbage, not a snapshot");
        corrupt.close();
        s.warmup.compare = true;
        // A file that is not a snapshot, named by warmup.snapshot, may be the user's: refused, kept.
        const RunResult refused = runToEnd(s);
        QVERIFY(refused.badInput);
        QVERIFY2(refused.error.contains(u"is not a hot-set snapshot"_s), qPrintable(refused.error));
        QVERIFY(corrupt.open(QIODevice::ReadOnly));
        QCOMPARE(corrupt.readAll(), QByteArray("garbage, not a snapshot"));
        corrupt.close();

        // A damaged snapshot in CacheScope's own data folder is read as unusable and replaced.
        s.warmup.snapshot.clear();
        const QString own = HotSetSnapshot::defaultPath(s.db.path, s.db.table, s.db.key);
        QFile damaged(own);
        QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("garbage, not a snapshot");
        damaged.close();
        const RunResult third = runToEnd(s);
        QVERIFY2(third.error.isEmpty(), qPrintable(third.error));
        QVERIFY(third.notes.join(u'\n').contains(u"cannot read the hot-set snapshot"_s));
        // It falls back to the hot set the cold phase saw, and saves a good snapshot again.
        QVERIFY(third.warmup && third.warmup->source.contains(u"cold phase"_s));
        QCOMPARE(HotSetSnapshot::load(own).table, s.db.table);
    }

    // The time budget cuts the warm-up short; live requests are served while it runs.
    void timeBudgetAndLiveTraffic()
    {
        Scenario s = small();
        s.warmup.strategy = WarmupStrategy::Query;
        s.warmup.orderBy = u"stock asc, price desc"_s;
        s.workload.keys = 500; // the workload reads the first 500 keys; the warm-up is ordered by stock
        s.warmup.keys = 1000;
        s.warmup.batch = 5;
        s.warmup.concurrency = 1;
        s.warmup.maxTime = 300ms;
        s.warmup.compare = false;
        s.db.rtt = 20ms; // 200 statements × 20 ms one at a time: 4 s, cut at 0.3 s
        s.duration.cached = 1s;
        const RunResult r = runToEnd(s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.warmup);
        QCOMPARE(r.warmup->cancelled, u"time budget"_s);
        QVERIFY(r.warmup->keysNotRun > 0);
        QVERIFY(r.warmup->statements < 200);
        // Ordered by stock, the warm-up names keys of the whole table, most beyond the workload's 500.
        QVERIFY2(r.notes.join(u'\n').contains(u"are not among the keys the workload reads"_s),
            qPrintable(r.notes.join(u'\n')));
        QCOMPARE(r.warmup->keysLoaded + r.warmup->keysAlreadyCached + r.warmup->keysMissing + r.warmup->keysFailed
                + r.warmup->keysNotRun,
            std::uint64_t(r.warmup->keysPlanned));
        std::uint64_t during = 0;
        for (const MetricsSnapshot &m : r.timeSeries) {
            if (m.phase == Phase::Cached && m.phaseTime <= r.warmup->durationS)
                during += m.requests;
        }
        QVERIFY2(during > 0, "no request completed while the warm-up ran");
    }

    // A warm-up that cannot start is an error naming the problem.
    void badSourcesFailTheRun_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing keys file")
            << u"keys-file"_s << u"/no/such/keys.txt"_s << u"cannot open '/no/such/keys.txt'"_s;
        QTest::addRow("keys file without keys") << u"keys-file"_s << u"text"_s << u"holds no integer key"_s;
        QTest::addRow("unknown order column") << u"query"_s << u"prise desc"_s << u"'prise' is not a column"_s;
        QTest::addRow("case slip") << u"query"_s << u"Price"_s << u"did you mean 'price'?"_s;
        QTest::addRow("injection") << u"query"_s << u"price; DROP TABLE products"_s
                                   << u"is not \"column [asc|desc]\""_s;
        QTest::addRow("bad direction") << u"query"_s << u"price sideways"_s << u"is not \"column [asc|desc]\""_s;
    }
    void badSourcesFailTheRun()
    {
        QFETCH(QString, strategy);
        QFETCH(QString, value);
        QFETCH(QString, message);
        Scenario s = small();
        s.set(u"warmup.strategy"_s, strategy);
        if (strategy == u"keys-file"_s) {
            if (value == u"text"_s) {
                value = m_dir.filePath(u"words.txt"_s);
                QFile f(value);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write("# hot keys\nalpha\nbeta\n");
            }
            s.warmup.keysFile = value;
        } else {
            s.warmup.orderBy = value;
        }
        const RunResult r = runToEnd(s);
        QVERIFY2(r.error.contains(message), qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestWarmupRun)
#include "tst_warmuprun.moc"
