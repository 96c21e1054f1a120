// The runner end to end on a small real database: counts cross-check (hits + misses = reads,
// cached-phase statements = misses, baseline statements = requests), the time series adds up
// to the phase totals, KPIs follow DESIGN.md's definitions, Stop ends a run early, and problems
// with the database end the run with a message.
#include "boundedwait.h"
#include "core/db/database.h"
#include "core/db/demodatabase.h"
#include "core/experiment/phaserunner.h"
#include "core/metrics/kpi.h"
#include "processstate.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <map>
#include <utility>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestPhaseRunner : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

    Scenario smallScenario() const
    {
        Scenario s;
        s.db.path = m_db;
        s.workload.keys = 2000;
        s.workload.concurrency = 6;
        s.engine.workers = 2;
        s.cache.l1.capacity = 500;
        s.duration.baseline = 400ms;
        s.duration.cached = 600ms;
        return s;
    }

    static RunResult runToEnd(PhaseRunner &runner, const Scenario &scenario)
    {
        QSignalSpy finished(&runner, &PhaseRunner::runFinished);
        runner.start(scenario);
        if (finished.isEmpty() && !finished.wait(60000))
            qFatal("run did not finish");
        return finished.first().first().value<RunResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"demo.db"_s);
        DemoDatabase::create(m_db, 3000, 11);
    }

    void countsCrossCheck_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::addColumn<int>("workers");
        QTest::addColumn<qint64>("capacity");
        QTest::addColumn<QStringList>("settings");
        QTest::addRow("6 clients on 2 workers") << 6 << 2 << qint64(500) << QStringList {};
        QTest::addRow("1 client on 1 worker") << 1 << 1 << qint64(500) << QStringList {};
        QTest::addRow("more workers than clients") << 1 << 4 << qint64(100) << QStringList {};
        QTest::addRow("no cache capacity") << 4 << 2 << qint64(0) << QStringList {};
        QTest::addRow("inclusive L2, s3fifo")
            << 6 << 2 << qint64(100) << QStringList {u"cache.l2.capacity=1500"_s, u"cache.l1.policy=s3fifo"_s};
        QTest::addRow("exclusive L2, wtinylfu")
            << 6 << 2 << qint64(100)
            << QStringList {u"cache.l2.capacity=1500"_s, u"cache.mode=exclusive"_s, u"cache.l2.policy=wtinylfu"_s};
    }
    void countsCrossCheck()
    {
        QFETCH(int, concurrency);
        QFETCH(int, workers);
        QFETCH(qint64, capacity);
        QFETCH(QStringList, settings);
        Scenario s = smallScenario();
        for (const QString &setting : settings)
            s.applyAssignment(setting);
        s.workload.concurrency = concurrency;
        s.engine.workers = workers;
        s.cache.l1.capacity = capacity;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.baseline && r.cached);
        QCOMPARE(r.workers, std::min(concurrency, workers));
        const PhaseResult &b = *r.baseline;
        const PhaseResult &c = *r.cached;
        QVERIFY(b.requests > 0 && c.requests > 0);
        QCOMPARE(b.hits, 0u);
        QCOMPARE(b.misses, b.reads);
        QCOMPARE(b.dbStatements, b.requests);
        QCOMPARE(c.hits + c.misses, c.reads);
        QCOMPARE(c.reads, c.requests);
        QCOMPARE(c.l1Hits + c.l2Hits + c.negativeHits, c.hits);
        // The workload draws keys that have rows: no "no such row" answer to remember.
        QCOMPARE(b.notFound + c.notFound + c.negativeHits, 0u);
        // Every miss made one statement, except those that waited for another client's load.
        QCOMPARE(c.dbStatements, c.misses - c.coalescedWaits);
        if (s.cache.l2.capacity == 0)
            QCOMPARE(c.l2Hits, 0u);
        else
            QVERIFY(c.l2Hits > 0);
        QCOMPARE(b.errors + c.errors, 0u);
        QCOMPARE(b.latency.count(), b.requests);
        QCOMPARE(c.latency.count(), c.requests);
        if (capacity == 0)
            QCOMPARE(c.hits, 0u);
        else
            QVERIFY(c.hits > 0);

        // The time series adds up to the phase totals.
        std::uint64_t seriesRequests[2] = {0, 0};
        std::uint64_t seriesStatements[2] = {0, 0};
        for (const MetricsSnapshot &snap : r.timeSeries) {
            seriesRequests[int(snap.phase)] += snap.requests;
            seriesStatements[int(snap.phase)] += snap.dbStatements;
        }
        QCOMPARE(seriesRequests[0], b.requests);
        QCOMPARE(seriesRequests[1], c.requests);
        QCOMPARE(seriesStatements[0], b.dbStatements);
        QCOMPARE(seriesStatements[1], c.dbStatements);

        // KPIs recomputed from raw counts match the reported ones.
        QCOMPARE(*r.kpi(u"hit_rate"_s), double(c.hits) / double(c.reads));
        const double expectedReduction
            = 1.0 - (double(c.dbStatements) / double(c.requests)) / (double(b.dbStatements) / double(b.requests));
        QCOMPARE(*r.kpi(u"db_query_reduction"_s), expectedReduction);
        QCOMPARE(*r.kpi(u"throughput_ratio"_s), c.requestsPerSecond() / b.requestsPerSecond());
        QCOMPARE(*r.kpi(u"p50_reduction"_s),
            1.0 - double(c.latency.valueAtPercentile(50)) / double(b.latency.valueAtPercentile(50)));
        QVERIFY(!r.kpi(u"transfer_reduction"_s) && !r.kpi(u"cold_start_reduction"_s));
        QVERIFY(r.engineOverheadUs.has_value());
        QCOMPARE(r.criteria.size(), r.scenario.criteria.size());
        for (const CriterionResult &cr : r.criteria) {
            // Judged when measured on enough; these short phases leave some INCONCLUSIVE, never passed.
            QCOMPARE(cr.passed.has_value(), cr.unjudged == Unjudged::No);
            QCOMPARE(cr.measured.has_value(), cr.unjudged != Unjudged::NotMeasured);
        }
    }

    // With a projection, both phases read only its columns, and the transfer measurement reads the
    // first client's keys both ways: the KPI is exactly 1 − projected ÷ full bytes.
    void projectionMeasuresTransfer()
    {
        Scenario s = smallScenario();
        s.workload.fields = u"price, name"_s;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.transfer.has_value());
        const TransferMeasurement &t = *r.transfer;
        QCOMPARE(t.fields, u"id,name,price"_s);
        QCOMPARE(t.requests, std::uint64_t(PhaseRunner::kTransferSample));
        QCOMPARE(t.rowsFound, t.requests);
        QVERIFY(t.bytesProjected > 0 && t.bytesProjected < t.bytesFull);
        QCOMPARE(*r.kpi(u"transfer_reduction"_s), 1.0 - double(t.bytesProjected) / double(t.bytesFull));
        QVERIFY(t.entryBytesPerRow(true) < t.entryBytesPerRow(false));
        // The phases read projected rows: bytes per statement are those of a projected row.
        const double perStatement = double(r.baseline->bytesRead) / double(r.baseline->dbStatements);
        QVERIFY2(perStatement < t.bytesPerRequest(false) / 4, qPrintable(QString::number(perStatement)));
        QVERIFY(std::abs(perStatement - t.bytesPerRequest(true)) < 8.0);
        const QJsonObject json = r.toJson();
        QCOMPARE(json[u"kpis"_s][u"transfer_reduction"_s].toDouble(), *r.kpi(u"transfer_reduction"_s));
        QCOMPARE(json[u"transfer"_s][u"bytes_read_full"_s].toInteger(), qint64(t.bytesFull));
        const CriterionResult *transferCriterion = nullptr;
        for (const CriterionResult &c : r.criteria) {
            if (c.criterion.kpi == u"transfer_reduction"_s)
                transferCriterion = &c;
        }
        // Measured (a short run may still leave it INCONCLUSIVE for too little data).
        QVERIFY(
            transferCriterion && transferCriterion->measured && transferCriterion->unjudged != Unjudged::NotMeasured);
    }

    // A simulated round-trip is awaited: no request of either phase that reached the database is
    // faster than it, and the clients of a worker overlap their waits (more requests complete
    // than one client could do alone).
    void roundTripIsAwaited_data()
    {
        QTest::addColumn<int>("rttUs");
        QTest::addColumn<int>("jitterUs");
        QTest::addRow("500 us") << 500 << 0;
        QTest::addRow("2 ms, jitter 1 ms") << 2000 << 1000;
    }
    void roundTripIsAwaited()
    {
        QFETCH(int, rttUs);
        QFETCH(int, jitterUs);
        Scenario s = smallScenario();
        s.db.rtt = std::chrono::microseconds(rttUs);
        s.db.rttJitter = std::chrono::microseconds(jitterUs);
        s.cache.l1.capacity = 0; // every cached-phase read goes to the database too
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const auto floor = std::chrono::nanoseconds(std::chrono::microseconds(rttUs - jitterUs)).count();
        QVERIFY2(r.baseline->latency.min() >= floor, qPrintable(QString::number(r.baseline->latency.min())));
        // (A cached-phase miss may be faster: it can join another client's load mid-flight.)
        // Statements of requests the phase's end cut short in their round-trip are counted (the
        // database ran them), the requests are not: at most one per client.
        const PhaseResult &c = *r.cached;
        QVERIFY(c.dbStatements >= c.misses - c.coalescedWaits);
        QVERIFY(c.dbStatements <= c.misses - c.coalescedWaits + std::uint64_t(s.workload.concurrency));
        QVERIFY(r.baseline->dbStatements >= r.baseline->requests);
        QVERIFY(r.baseline->dbStatements <= r.baseline->requests + std::uint64_t(s.workload.concurrency));
        // Each client completes at most one request per (shortest) round-trip...
        const double perClient = r.baseline->durationS / (double(floor) / 1e9);
        QVERIFY(double(r.baseline->requests) <= s.workload.concurrency * (perClient + 1));
        QVERIFY(!r.engineOverheadUs.has_value()); // idle workers: the figure would mean nothing
    }

    // The clients of a worker overlap their round-trips: with 200 ms each, one client could finish
    // at most 3 requests in a 500 ms phase; six clients on one worker finish at least one each.
    void roundTripsOverlap()
    {
        Scenario s = smallScenario();
        s.db.rtt = 200ms;
        s.workload.concurrency = 6;
        s.engine.workers = 1;
        s.duration.baseline = 500ms;
        s.duration.cached = 100ms;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY2(r.baseline->requests >= 6, qPrintable(QString::number(r.baseline->requests)));
        QVERIFY(r.baseline->requests <= 6 * 3);
    }

    // Concurrent misses on one key during a long round-trip make exactly one statement: the other
    // clients wait (asynchronously) for the leader's load.
    void missesCoalesceAcrossTheRoundTrip()
    {
        Scenario s = smallScenario();
        s.workload.keys = 1;
        s.workload.concurrency = 8;
        s.db.rtt = std::chrono::milliseconds(150);
        s.duration.baseline = std::chrono::nanoseconds(0);
        s.duration.cached = std::chrono::milliseconds(500);
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const PhaseResult &c = *r.cached;
        QCOMPARE(c.dbStatements, 1u);
        QCOMPARE(c.misses, 8u);
        QCOMPARE(c.coalescedWaits, 7u);
        QCOMPARE(c.hits, c.reads - 8);
        QVERIFY(c.hits > 0);
    }

    // db.failure_rate: about that share of statements fails, seeded (same count with the same
    // seed); failed loads are never cached and count as errors.
    void failureRateFailsThatShare_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addRow("none") << 0.0;
        QTest::addRow("10 percent") << 0.1;
        QTest::addRow("half") << 0.5;
        QTest::addRow("all") << 1.0;
    }
    void failureRateFailsThatShare()
    {
        QFETCH(double, rate);
        Scenario s = smallScenario();
        s.db.failureRate = rate;
        s.workload.concurrency = 2;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        if (rate >= 1.0) {
            // Nothing ever succeeds: the run ends after the baseline, saying why.
            QVERIFY2(r.error.contains(u"simulated failure"_s), qPrintable(r.error));
            QVERIFY(!r.cached);
            return;
        }
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.baseline && r.cached);
        const PhaseResult &b = *r.baseline;
        const PhaseResult &c = *r.cached;
        QCOMPARE(b.dbStatements, b.requests);
        // Binomial: within 6 standard deviations of the expected count.
        const double n = double(b.requests);
        const double sigma = std::sqrt(n * rate * (1 - rate));
        QVERIFY2(std::abs(double(b.errors) - n * rate) <= 6 * sigma + 1, qPrintable(QString::number(b.errors)));
        // A failed load is not cached: every cached-phase error is a miss that made a statement.
        QVERIFY(c.errors <= c.misses);
        QCOMPARE(c.errors > 0, rate > 0);
    }

    // Coordinated omission, documented: a database that stalls 300 ms every 1,500 statements. In
    // the closed model the clients stop issuing while it stalls, so only the stalled requests are
    // slow and p99 hides the stalls; in the open model every request due during a stall waits,
    // and its latency from the intended start shows it. Both models run on the same machine in
    // the same test and are compared with each other (the stall itself is a sleep: a lower bound).
    void stallsShowInOpenModelOnly()
    {
        std::map<QString, PhaseResult> phases;
        for (const QString &model : {u"closed"_s, u"open"_s}) {
            Scenario s = smallScenario();
            s.set(u"workload.model"_s, model);
            s.workload.rate = 2000;
            s.workload.concurrency = 4;
            s.engine.workers = 1;
            s.db.stall = 300ms;
            s.db.stallEvery = 1500;
            s.duration.baseline = 2s;
            s.duration.cached = 200ms;
            PhaseRunner runner;
            const RunResult r = runToEnd(runner, s);
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            const PhaseResult &b = *r.baseline;
            QVERIFY(b.dbStatements >= 1500); // at least one stall happened
            QVERIFY(b.latency.max() >= 300'000'000); // the stalled request itself, in both models
            if (model == u"closed"_s) {
                QCOMPARE(b.serviceLatency.count(), 0u);
            } else {
                // Service time (from the actual start) does not see the wait; response time does.
                QCOMPARE(b.serviceLatency.count(), b.requests);
                QVERIFY(b.serviceLatency.valueAtPercentile(99) < b.latency.valueAtPercentile(99));
                QVERIFY(b.late > 0);
                // Never more requests than the schedule offered (plus those in flight).
                QVERIFY(double(b.requests) <= s.workload.rate * b.durationS + s.workload.concurrency + 1);
                // About 600 requests are due during each 300 ms stall, a third of them or more:
                // p99 is inside a stall's wait.
                QVERIFY2(b.latency.valueAtPercentile(99) >= 100'000'000,
                    qPrintable(QString::number(b.latency.valueAtPercentile(99))));
            }
            phases[model] = b;
        }
        const std::int64_t closed = phases[u"closed"_s].latency.valueAtPercentile(99);
        const std::int64_t open = phases[u"open"_s].latency.valueAtPercentile(99);
        QVERIFY2(closed * 3 < open, qPrintable(u"p99 closed %1 ns, open %2 ns"_s.arg(closed).arg(open)));
    }

    // A read/write mix: the share of writes is as asked, the same operations in both phases
    // (seeded), each write one statement, the cache follows its write policy, and the data is
    // what it was — exactly (db.version_column=off: writes rewrite rows with their own values), or
    // but for the version column, whose values went up by exactly the writes made.
    void writesChangeNothingButTheVersionAndFollowTheWritePolicy_data()
    {
        QTest::addColumn<QString>("writePolicy");
        QTest::addColumn<QString>("versionColumn");
        QTest::addRow("invalidate, versioned") << u"invalidate"_s << u"auto"_s;
        QTest::addRow("write-through, versioned") << u"write-through"_s << u"version"_s;
        QTest::addRow("invalidate, off") << u"invalidate"_s << u"off"_s;
        QTest::addRow("write-through, off") << u"write-through"_s << u"off"_s;
    }
    void writesChangeNothingButTheVersionAndFollowTheWritePolicy()
    {
        QFETCH(QString, writePolicy);
        QFETCH(QString, versionColumn);
        const QString db = m_dir.filePath(u"writes-%1-%2.db"_s.arg(writePolicy, versionColumn));
        DemoDatabase::create(db, 3000, 11);
        std::int64_t versionSum = 0;
        auto dump = [&db, &versionSum] {
            Database d(db, Database::OpenMode::ReadOnly);
            Statement all = d.prepare(u"SELECT * FROM products ORDER BY id"_s);
            QCryptographicHash hash(QCryptographicHash::Sha256);
            versionSum = 0;
            while (all.step()) {
                for (int c = 0; c < all.columnCount(); ++c) {
                    if (all.columnName(c) == u"version"_s)
                        versionSum += all.columnInt64(c);
                    else
                        hash.addData(all.columnText(c).toUtf8());
                }
            }
            return hash.result();
        };
        const QByteArray before = dump();
        QCOMPARE(versionSum, 3000); // every row starts at version 1
        Scenario s = smallScenario();
        s.db.path = db;
        s.workload.readRatio = 0.7;
        s.set(u"cache.write_policy"_s, writePolicy);
        s.set(u"db.version_column"_s, versionColumn);
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.notes.join(u' ').contains(u"the workload writes"_s));
        for (const PhaseResult *p : {&*r.baseline, &*r.cached}) {
            QCOMPARE(p->reads + p->writes, p->requests);
            const double n = double(p->requests);
            QVERIFY2(std::abs(double(p->writes) - 0.3 * n) <= 6 * std::sqrt(n * 0.21) + 1,
                qPrintable(QString::number(p->writes)));
            QCOMPARE(p->errors, 0u);
        }
        QCOMPARE(r.baseline->dbStatements, r.baseline->requests);
        // Cached phase: one statement per write and per miss that loaded (not per coalesced wait).
        const PhaseResult &c = *r.cached;
        QCOMPARE(c.dbStatements, c.writes + c.misses - c.coalescedWaits);
        QCOMPARE(c.hits + c.misses, c.reads);
        QCOMPARE(dump(), before);
        const bool versioned = versionColumn != u"off"_s;
        QCOMPARE(versionSum, 3000 + (versioned ? std::int64_t(r.baseline->writes + c.writes) : 0));
        // Every read of the cached phase that found its row was checked, none of the baseline's.
        QCOMPARE(c.checkedReads, versioned ? c.reads - c.notFound : 0u);
        QCOMPARE(r.baseline->checkedReads, 0u);
        QCOMPARE(findKpi(u"stale_read_rate"_s)->compute(r.kpiInputs()).has_value(), versioned);
    }

    // Stale reads: with a cache that is not told of writes (ttl-only) many reads return rows older
    // than a write committed before them, and their age is known; one that drops its copy on
    // every write returns almost none (only the moment between a commit and the invalidation).
    void staleReadsShowWhereTheCacheIsNotToldOfWrites_data()
    {
        QTest::addColumn<QString>("writePolicy");
        QTest::addColumn<double>("atLeast");
        QTest::addColumn<double>("atMost");
        QTest::addRow("ttl-only") << u"ttl-only"_s << 0.01 << 1.0;
        QTest::addRow("invalidate") << u"invalidate"_s << 0.0 << 0.001;
    }
    void staleReadsShowWhereTheCacheIsNotToldOfWrites()
    {
        QFETCH(QString, writePolicy);
        QFETCH(double, atLeast);
        QFETCH(double, atMost);
        const QString db = m_dir.filePath(u"stale-%1.db"_s.arg(writePolicy));
        DemoDatabase::create(db, 2000, 5);
        Scenario s = smallScenario();
        s.db.path = db;
        s.workload.readRatio = 0.9;
        s.cache.l1.capacity = 2000; // every key fits: reads are hits once loaded
        s.duration.baseline = 0ns;
        s.set(u"cache.write_policy"_s, writePolicy);
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.notes.join(u' ').contains(u"checked against the versions written"_s));
        const PhaseResult &c = *r.cached;
        QVERIFY(c.checkedReads > 1000);
        const double rate = *findKpi(u"stale_read_rate"_s)->compute(r.kpiInputs());
        QVERIFY2(rate >= atLeast && rate <= atMost,
            qPrintable(u"%1 of %2 reads stale"_s.arg(c.staleReads).arg(c.checkedReads)));
        QCOMPARE(c.staleAge.count(), c.staleReads);
        const std::optional<double> age = findKpi(u"stale_read_p99_age_ms"_s)->compute(r.kpiInputs());
        QVERIFY(age.has_value());
        QVERIFY(c.staleReads == 0 ? *age == 0.0 : *age > 0.0);
        // The result carries them, and reads them back.
        const QJsonObject phase = r.toJson().value(u"phases"_s).toObject().value(u"cached"_s).toObject();
        QCOMPARE(phase.value(u"stale_reads"_s).toInteger(), qint64(c.staleReads));
        QCOMPARE(RunResult::fromJson(r.toJson()).cached->staleAge.count(), c.staleAge.count());
    }

    // db.version_column naming a column the table lacks, or one that is not an integer, is bad
    // input that names it; a read-only workload never looks at it... but a bad name still fails.
    void aVersionColumnThatCannotBeOneIsBadInput_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing") << u"revision"_s << u"has no column 'revision'"_s;
        QTest::addRow("text") << u"name"_s << u"of type 'TEXT'"_s;
        QTest::addRow("the key") << u"id"_s << u"is the key"_s;
    }
    void aVersionColumnThatCannotBeOneIsBadInput()
    {
        QFETCH(QString, column);
        QFETCH(QString, message);
        Scenario s = smallScenario();
        s.workload.readRatio = 0.9;
        s.set(u"db.version_column"_s, column);
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY(r.badInput);
        QVERIFY2(r.error.contains(u"db.version_column"_s) && r.error.contains(message), qPrintable(r.error));
    }

    // cache.batch_loads: with every read a miss, a remote database and one connection per worker,
    // misses go out as IN (...) batches: far fewer statements than misses, every read answered.
    void batchLoadsCoalesceMisses()
    {
        Scenario s = smallScenario();
        s.workload.concurrency = 16;
        s.cache.l1.capacity = 0;
        s.db.rtt = 2ms;
        s.db.connections = 1;
        s.cache.batchLoads = true;
        s.duration.baseline = 0ns;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const PhaseResult &c = *r.cached;
        QCOMPARE(c.hits, 0u);
        QCOMPARE(c.errors, 0u);
        QCOMPARE(c.notFound, 0u);
        QVERIFY(c.misses > 100);
        QVERIFY2(c.dbStatements * 3 < c.misses,
            qPrintable(u"%1 statements for %2 misses"_s.arg(c.dbStatements).arg(c.misses)));
    }

    // db.retries: a retryable failure is tried again; statements = requests + retries; failures
    // that remain are those that failed every attempt.
    void retriesRecoverFailures()
    {
        Scenario s = smallScenario();
        s.db.failureRate = 0.3;
        s.db.retries = 4;
        s.db.retryBackoff = 0ns;
        s.workload.concurrency = 2;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        const PhaseResult &b = *r.baseline;
        QCOMPARE(b.dbStatements, b.requests + b.retries);
        QVERIFY(b.retries > 0);
        // P(five failures in a row) = 0.3^5 = 0.24 %: within 6 standard deviations.
        const double p = std::pow(0.3, 5);
        const double n = double(b.requests);
        QVERIFY2(std::abs(double(b.errors) - n * p) <= 6 * std::sqrt(n * p * (1 - p)) + 1,
            qPrintable(QString::number(b.errors)));
    }

    // duration.warmup: each phase runs that much longer; its first part is a segment marked warmup
    // and is left out of the phase's figures, exactly (the cut is made on the workers' threads).
    void warmupIsLeftOut()
    {
        Scenario s = smallScenario();
        s.duration.warmup = 300ms;
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.segments.size(), 4);
        for (const Phase phase : {Phase::Baseline, Phase::Cached}) {
            const int first = phase == Phase::Baseline ? 0 : 2;
            const SegmentResult &warm = r.segments[first];
            const SegmentResult &measured = r.segments[first + 1];
            const PhaseResult &p = phase == Phase::Baseline ? *r.baseline : *r.cached;
            QCOMPARE(warm.phase, phase);
            QVERIFY(warm.warmup && !measured.warmup);
            QVERIFY(warm.stats.requests > 0);
            QCOMPARE(p.requests, measured.stats.requests);
            QCOMPARE(p.dbStatements, measured.stats.dbStatements);
            QCOMPARE(p.latency.count(), p.requests);
            QCOMPARE(p.durationS, measured.endS - measured.startS);
            // Everything the phase did is in the time series: warm-up plus measured part.
            std::uint64_t series = 0, warmSeries = 0;
            for (const MetricsSnapshot &snap : r.timeSeries) {
                if (snap.phase == phase) {
                    series += snap.requests;
                    warmSeries += snap.warmup ? 1 : 0;
                }
            }
            QCOMPARE(series, warm.stats.requests + p.requests);
            QVERIFY(warmSeries > 0);
        }
    }

    // A live change mid-phase ends one segment and starts the next; segments add up to their
    // phase; the KPIs use the last segment (the tuned configuration). Settings that cannot change
    // live, and bad values, are refused with the reason.
    void liveChangesStartSegments_data()
    {
        QTest::addColumn<QStringList>("firstChange");
        QTest::addColumn<QStringList>("secondChange");
        QTest::addRow("grow L1, more clients")
            << QStringList {u"cache.l1.capacity=1900"_s} << QStringList {u"workload.concurrency=10"_s};
        QTest::addRow("fewer clients, then back; policy")
            << QStringList {u"workload.concurrency=1"_s}
            << QStringList {u"workload.concurrency=6"_s, u"cache.l1.policy=s3fifo"_s, u"cache.l1.capacity=1900"_s};
    }
    void liveChangesStartSegments()
    {
        QFETCH(QStringList, firstChange);
        QFETCH(QStringList, secondChange);
        Scenario s = smallScenario();
        s.cache.l1.capacity = 40;
        s.duration.cached = 1200ms;
        PhaseRunner runner;
        QSignalSpy applied(&runner, &PhaseRunner::changeApplied);
        QSignalSpy rejected(&runner, &PhaseRunner::changeRejected);
        connect(&runner, &PhaseRunner::phaseStarted, &runner, [&runner, firstChange, secondChange](Phase phase) {
            if (phase != Phase::Cached)
                return;
            QTimer::singleShot(300ms, &runner, [&runner, firstChange] {
                runner.applyChange(ConfigChange::parse({u"db.table=orders"_s}, false));
                // A typed change built by hand is checked too.
                runner.applyChange(ConfigChange {{{u"cache.l1.capacity"_s, std::int64_t(-5)}}});
                runner.applyChange(ConfigChange::parse(firstChange, false));
            });
            QTimer::singleShot(700ms, &runner,
                [&runner, secondChange] { runner.applyChange(ConfigChange::parse(secondChange, false)); });
        });
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(rejected.size(), 2);
        QVERIFY2(rejected[0][0].toString().contains(u"db.table cannot change during a run"_s),
            qPrintable(rejected[0][0].toString()));
        QVERIFY2(rejected[1][0].toString().contains(u"cache.l1.capacity"_s), qPrintable(rejected[1][0].toString()));
        QCOMPARE(applied.size(), 2);
        QCOMPARE(applied[0][1].toString(), firstChange.join(u"; "_s));

        QCOMPARE(r.segments.size(), 4);
        QCOMPARE(r.segments[0].phase, Phase::Baseline);
        QVERIFY(r.segments[0].change.isEmpty() && r.segments[1].change.isEmpty());
        QCOMPARE(r.segments[2].change, firstChange.join(u"; "_s));
        QCOMPARE(r.segments[3].change, secondChange.join(u"; "_s));
        std::uint64_t requests = 0, hits = 0, statements = 0;
        for (int i = 1; i < 4; ++i) {
            const SegmentResult &seg = r.segments[i];
            QCOMPARE(seg.phase, Phase::Cached);
            if (i > 1)
                QCOMPARE(seg.startS, r.segments[i - 1].endS); // back to back within the phase
            QCOMPARE(seg.stats.latency.count(), seg.stats.requests);
            requests += seg.stats.requests;
            hits += seg.stats.hits;
            statements += seg.stats.dbStatements;
        }
        QCOMPARE(requests, r.cached->requests);
        QCOMPARE(hits, r.cached->hits);
        QCOMPARE(statements, r.cached->dbStatements);
        // A 1,900-entry L1 over 2,000 keys hits far more than a 40-entry one.
        QVERIFY(r.segments[3].stats.hitRate() > r.segments[1].stats.hitRate());
        QCOMPARE(*r.kpi(u"hit_rate"_s), r.segments[3].stats.hitRate());
        QCOMPARE(r.toJson()[u"segments"_s].toArray().size(), 4);
    }

    // The KPIs compare the baseline with the cached phase's last segment: a change of the cache's
    // own settings there is the tuning, but a changed workload or database makes the comparison
    // unlike, and the result says so (naming only those settings).
    void workloadChangeInCachedPhaseIsNoted_data()
    {
        QTest::addColumn<QStringList>("change");
        QTest::addColumn<QString>("noted"); // empty: no note expected
        QTest::addRow("cache capacity: tuning, no note") << QStringList {u"cache.l1.capacity=1900"_s} << QString();
        QTest::addRow("round-trip") << QStringList {u"db.rtt=200us"_s} << u"db.rtt=200us"_s;
        QTest::addRow("clients") << QStringList {u"workload.concurrency=3"_s} << u"workload.concurrency=3"_s;
        QTest::addRow("cache and failure rate: only the latter named")
            << QStringList {u"cache.l1.ttl=5s"_s, u"db.failure_rate=0.01"_s} << u"db.failure_rate=0.01"_s;
    }
    void workloadChangeInCachedPhaseIsNoted()
    {
        QFETCH(QStringList, change);
        QFETCH(QString, noted);
        Scenario s = smallScenario();
        PhaseRunner runner;
        QSignalSpy applied(&runner, &PhaseRunner::changeApplied);
        connect(&runner, &PhaseRunner::phaseStarted, &runner, [&runner, change](Phase phase) {
            if (phase == Phase::Cached)
                QTimer::singleShot(
                    200ms, &runner, [&runner, change] { runner.applyChange(ConfigChange::parse(change, false)); });
        });
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(applied.size(), 1);
        QStringList unlike;
        for (const QString &note : r.notes) {
            if (note.contains(u"not like for like"_s))
                unlike << note;
        }
        if (noted.isEmpty()) {
            QVERIFY2(unlike.isEmpty(), qPrintable(unlike.join(u" | "_s)));
        } else {
            QCOMPARE(unlike.size(), 1);
            QVERIFY2(unlike.first().startsWith(noted + u" changed at "_s), qPrintable(unlike.first()));
            QVERIFY2(!unlike.first().contains(u"cache."_s), qPrintable(unlike.first()));
        }
    }

    // Stop during the first phase: no second phase, the result says stopped.
    void stopEndsTheRunEarly()
    {
        Scenario s = smallScenario();
        s.duration.baseline = 60s;
        s.duration.cached = 60s;
        PhaseRunner runner;
        QSignalSpy snapshots(&runner, &PhaseRunner::snapshotReady);
        QSignalSpy finished(&runner, &PhaseRunner::runFinished);
        runner.start(s);
        QVERIFY(snapshots.wait(10000));
        runner.stop();
        QVERIFY(finished.wait(10000));
        const RunResult r = finished.first().first().value<RunResult>();
        QVERIFY(r.stopped);
        QVERIFY(r.baseline.has_value());
        QVERIFY(!r.cached.has_value());
        QVERIFY(r.baseline->durationS < 60.0); // it did not run to its planned end
        QVERIFY(!r.passed);
    }

    // Destroying the runner mid-run stops and joins its workers and closes every connection:
    // the process has the threads and open files it had before the run (and ASan/TSan see no
    // leak or race).
    void destroyDuringRunLetsGoOfThreadsAndFiles()
    {
        Scenario s = smallScenario();
        s.duration.baseline = 60s;
        s.engine.workers = 2;
        // The threads of the tests before may still be leaving (the kernel lets a joined thread go
        // a moment after its join): the count to come back to is the one that holds still.
        int threadsBefore = processstate::threadCount();
        bounded::until(
            [&] {
                QTest::qWait(100);
                const int now = std::exchange(threadsBefore, processstate::threadCount());
                return now == threadsBefore;
            },
            "the thread count settled");
        QCOMPARE(processstate::openFilesOf(m_db), 0);
        auto runner = std::make_unique<PhaseRunner>();
        QSignalSpy snapshots(runner.get(), &PhaseRunner::snapshotReady);
        runner->start(s);
        QVERIFY(snapshots.wait(10000));
        QVERIFY(processstate::threadCount() >= threadsBefore + 2); // the workers run
        QVERIFY(processstate::openFilesOf(m_db) > 0); // and read the database
        runner.reset();
        QCOMPARE(processstate::openFilesOf(m_db), 0);
        // QThread::wait() returns when a thread's run ends; the kernel lets the (detached) thread
        // go a moment later.
        bounded::until([&] { return processstate::threadCount() == threadsBefore; }, "the workers' threads gone");
    }

    void badDatabaseEndsTheRun_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing file") << u"db.path=/no/such/file.db"_s << u"does not exist"_s;
        QTest::addRow("missing table") << u"db.table=orders"_s << u"table 'orders' does not exist"_s;
        QTest::addRow("missing key column") << u"db.key=uuid"_s << u"key column 'uuid'"_s;
    }
    void badDatabaseEndsTheRun()
    {
        QFETCH(QString, setting);
        QFETCH(QString, expected);
        Scenario s = smallScenario();
        s.applyAssignment(setting);
        PhaseRunner runner;
        const RunResult r = runToEnd(runner, s);
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
        QVERIFY(!r.passed);
        QVERIFY(!r.baseline && !r.cached);
    }
};

QTEST_GUILESS_MAIN(TestPhaseRunner)
#include "tst_phaserunner.moc"
