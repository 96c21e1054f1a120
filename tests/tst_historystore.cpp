// The run history and the comparison of runs: a saved run reads back as it was, ids are never
// reused, a file that is not CacheScope's history is refused and left as it was, and comparisons
// take their deltas against the first run and find regressions past their tolerance.
#include "core/db/database.h"
#include "core/report/comparison.h"
#include "core/report/historystore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
// A run with known figures: \a hits of 10000 cached reads, the cached phase \a speedup times as
// fast as the baseline (10000 requests in 2 s), cached latency \a cachedNanos.
RunResult makeRun(std::uint64_t hits, double speedup, std::int64_t cachedNanos = 2000, bool stopped = false)
{
    RunResult r;
    r.databasePath = u"/data/shop.db"_s;
    r.workers = 2;
    PhaseResult baseline;
    baseline.durationS = 2.0;
    baseline.requests = baseline.reads = baseline.misses = baseline.dbStatements = 10000;
    PhaseResult cached;
    cached.durationS = 2.0 / speedup;
    cached.requests = cached.reads = 10000;
    cached.hits = cached.l1Hits = hits;
    cached.misses = cached.dbStatements = 10000 - hits;
    for (int i = 0; i < 100; ++i) {
        baseline.latency.record(20000);
        cached.latency.record(cachedNanos);
    }
    r.baseline = baseline;
    r.cached = cached;
    r.stopped = stopped;
    // Judged on what it measures, over its short phases (the default criteria's projection and
    // warm-up would leave every run inconclusive).
    r.scenario.criteria = Scenario::defaultCriteria().mid(0, 4);
    for (Criterion &c : r.scenario.criteria)
        c.minSeconds = 0.2;
    r.evaluate();
    return r;
}

QByteArray digest(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray();
}
} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void savedRunReadsBackAsItWas()
    {
        const QString path = m_dir.filePath(u"sub/folder/history.sqlite"_s); // folders created
        HistoryStore store(path);
        QVERIFY(store.list().isEmpty());
        const RunResult first = makeRun(9950, 6.0);
        RunResult second = makeRun(5000, 1.5);
        second.scenario.cache.l1.capacity = 500;
        const QDateTime when = QDateTime(QDate(2026, 12, 1), QTime(10, 30, 5, 250), Qt::UTC);
        const qint64 a = store.add(first, u"cli"_s, u"tuned"_s, when);
        const qint64 b = store.add(second, u"gui"_s, u"small L1"_s, when.addSecs(60));
        QVERIFY(b > a);

        const QList<HistoryEntry> entries = store.list();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).id, b); // newest first
        const HistoryEntry e = entries.at(1);
        QCOMPARE(e.finishedAt, when);
        QCOMPARE(e.source, u"cli"_s);
        QCOMPARE(e.label, u"tuned"_s);
        QCOMPARE(e.database, u"/data/shop.db"_s);
        QCOMPARE(e.verdict, u"pass"_s);
        QCOMPARE(e.durationS, 2.0 + 2.0 / 6.0);
        for (const KpiDef &k : kpiTable()) { // each KPI the same (a QHash compare trips -Wnull-dereference at -O3)
            QCOMPARE(e.kpis.contains(k.key), first.kpis.contains(k.key));
            QCOMPARE(e.kpis.value(k.key), first.kpis.value(k.key));
        }
        QCOMPARE(e.criteriaPassed, 4);
        QCOMPARE(e.criteriaFailed, 0);
        QCOMPARE(e.criteriaUnmeasured, 0); // judged on the four it measures (makeRun)
        QVERIFY(e.settings.isEmpty());
        QCOMPARE(entries.at(0).settings, QStringList {u"cache.l1.capacity=500"_s});
        QCOMPARE(entries.at(0).verdict, u"fail"_s);

        QCOMPARE(store.resultJson(a), first.toJson());
        QCOMPARE(store.result(b).toJson(), second.toJson());

        // Another connection (the GUI while a headless run saves) sees the same.
        HistoryStore other(path);
        QCOMPARE(other.list().size(), 2);
        QVERIFY(other.relabel(a, u"tuned, final"_s));
        QCOMPARE(store.entry(a)->label, u"tuned, final"_s);

        QVERIFY(store.remove(a));
        QVERIFY(!store.remove(a));
        QVERIFY(!store.entry(a));
        try {
            store.resultJson(a);
            QFAIL("a deleted run was read");
        } catch (const HistoryError &error) {
            QVERIFY2(error.message().contains(u"no run %1"_s.arg(a)), qPrintable(error.message()));
        }
        // Ids are never reused, even for the last one deleted.
        QVERIFY(store.remove(b));
        QCOMPARE(store.add(first, u"cli"_s, QString()), b + 1);
    }

    void verdictFollowsTheRun_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("all met") << u"pass"_s << u"pass"_s;
        QTest::newRow("one short") << u"fail"_s << u"fail"_s;
        QTest::newRow("stopped by the user") << u"stopped"_s << u"stopped"_s;
        QTest::newRow("failed while running") << u"error"_s << u"error"_s;
        QTest::newRow("nothing measurable") << u"inconclusive"_s << u"inconclusive"_s;
    }
    void verdictFollowsTheRun()
    {
        QFETCH(QString, kind);
        QFETCH(QString, verdict);
        RunResult r = makeRun(kind == u"fail"_s ? 5000 : 9950, 6.0, 2000, kind == u"stopped"_s);
        if (kind == u"error"_s)
            r.error = u"database is locked"_s;
        if (kind == u"inconclusive"_s) {
            r.scenario.criteria = {Criterion {u"warm"_s, u"cold_start_reduction"_s, u">="_s, 0.5}};
            r.evaluate();
        }
        QCOMPARE(HistoryStore::verdictOf(r), verdict);
        HistoryStore store(m_dir.filePath(u"verdicts.sqlite"_s));
        const qint64 id = store.add(r, u"cli"_s, kind);
        QCOMPARE(store.entry(id)->verdict, verdict);
    }

    // What is at the history's path and is not CacheScope's history is refused by name and
    // left byte for byte as it was.
    void foreignFileIsRefusedAndLeftAlone_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("another program's database") << u"sqlite"_s << u"not a CacheScope history file"_s;
        QTest::newRow("a text file") << u"text"_s << u"file is not a database"_s;
        QTest::newRow("a newer CacheScope's history") << u"newer"_s << u"written by a newer CacheScope"_s;
        QTest::newRow("a folder") << u"folder"_s << u"not a regular file"_s;
    }
    void foreignFileIsRefusedAndLeftAlone()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(u"foreign-"_s + kind);
        if (kind == u"sqlite"_s) {
            Database db(path, Database::OpenMode::Create);
            db.exec(u"CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')"_s);
        } else if (kind == u"text"_s) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(4096, 'x'));
        } else if (kind == u"newer"_s) {
            {
                HistoryStore store(path);
            }
            Database db(path, Database::OpenMode::ReadWrite);
            db.exec(u"PRAGMA user_version = 99"_s);
        } else {
            QVERIFY(QDir().mkpath(path));
        }
        const QByteArray before = digest(path);
        try {
            HistoryStore store(path);
            QFAIL("a file that is not a usable history was opened");
        } catch (const HistoryError &error) {
            QVERIFY2(error.message().contains(expected) && error.message().contains(path), qPrintable(error.message()));
        }
        QCOMPARE(digest(path), before);
    }

    // Deltas are against the first run; hit rate and throughput carry intervals; the rows list every KPI.
    void comparisonTakesDeltasAgainstTheFirst()
    {
        RunResult small = makeRun(5000, 1.5, 4000);
        small.scenario.cache.l1.capacity = 500;
        const Comparison c = Comparison::of({{u"big"_s, makeRun(9900, 6.0)}, {u"small"_s, small}});
        QCOMPARE(c.labels, (QStringList {u"big"_s, u"small"_s}));
        QCOMPARE(c.settingsDiffer, QStringList {u"cache.l1.capacity: 20000 | 500"_s});
        for (const KpiDef &k : kpiTable()) {
            // Requests/s and p99 of the cached phase are rows of their own (cached_requests_per_s, cached_p99_us).
            const bool ownRow = k.unit == KpiUnit::PerSecond || k.unit == KpiUnit::Milliseconds;
            QVERIFY2(Comparison::rowKeys().contains(k.key) != ownRow, qPrintable(k.key));
        }
        const auto row = [&c](const QString &key) {
            for (const ComparisonRow &r : c.rows) {
                if (r.key == key)
                    return r;
            }
            return ComparisonRow {};
        };
        const ComparisonRow hit = row(u"hit_rate"_s);
        QCOMPARE(hit.values.at(0)->value, 0.99);
        QVERIFY(!hit.deltas.at(0));
        QCOMPARE(hit.deltas.at(1)->value, 0.5 - 0.99);
        // Wilson's interval around 0.99 of 10000: about ±0.002, not symmetric, inside [0, 1].
        QVERIFY(*hit.values.at(0)->low < 0.99 && *hit.values.at(0)->low > 0.987);
        QVERIFY(*hit.values.at(0)->high > 0.99 && *hit.values.at(0)->high < 0.993);
        QVERIFY(hit.deltas.at(1)->low && *hit.deltas.at(1)->low < hit.deltas.at(1)->value);
        QCOMPARE(hit.formatDelta(*hit.deltas.at(1), 0.99).left(9), u"−49.0 pp "_s);
        const ComparisonRow ratio = row(u"throughput_ratio"_s);
        QCOMPARE(ratio.values.at(0)->value, 6.0);
        QCOMPARE(ratio.deltas.at(1)->value, 1.5 - 6.0);
        const ComparisonRow p50 = row(u"cached_p50_us"_s);
        QVERIFY(qAbs(p50.values.at(1)->value - 4.0) < 0.01);
        QCOMPARE(p50.formatDelta(*p50.deltas.at(1), p50.values.at(0)->value), u"+100.0 %"_s);
        QVERIFY(!row(u"cold_start_reduction"_s).values.at(0)); // not measured in either
        QVERIFY(c.text().contains(u"Settings that differ"_s));
        QCOMPARE(c.toJson().value(u"rows"_s).toArray().size(), c.rows.size());
    }

    void regressionsPastTheirTolerance_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<std::uint64_t>("laterHits");
        QTest::addColumn<double>("laterSpeedup");
        QTest::addColumn<bool>("regressed");
        QTest::newRow("hit rate down 1 pp, none allowed") << u"hit_rate"_s << std::uint64_t(9800) << 6.0 << true;
        QTest::newRow("hit rate down 1 pp, 2 pp allowed") << u"hit_rate=0.02"_s << std::uint64_t(9800) << 6.0 << false;
        QTest::newRow("hit rate up") << u"hit_rate"_s << std::uint64_t(9990) << 6.0 << false;
        QTest::newRow("throughput down 0.5x, 1x allowed")
            << u"throughput_ratio=1"_s << std::uint64_t(9900) << 5.5 << false;
        QTest::newRow("throughput down 2x, 1x allowed")
            << u"throughput_ratio=1"_s << std::uint64_t(9900) << 4.0 << true;
        // Requests/s: a fraction of the first run's (6000/s): 5000/s is 17 % down.
        QTest::newRow("req/s 17 % down, 10 % allowed")
            << u"cached_requests_per_s=0.1"_s << std::uint64_t(9900) << 5.0 << true;
        QTest::newRow("req/s 17 % down, 20 % allowed")
            << u"cached_requests_per_s=0.2"_s << std::uint64_t(9900) << 5.0 << false;
    }
    void regressionsPastTheirTolerance()
    {
        QFETCH(QString, rule);
        QFETCH(std::uint64_t, laterHits);
        QFETCH(double, laterSpeedup);
        QFETCH(bool, regressed);
        const Comparison c = Comparison::of({{u"before"_s, makeRun(9900, 6.0)}, {u"same"_s, makeRun(9900, 6.0)},
            {u"after"_s, makeRun(laterHits, laterSpeedup)}});
        const QList<Regression> found = c.regressions({RegressionRule::parse(rule)});
        QCOMPARE(!found.isEmpty(), regressed);
        for (const Regression &r : found)
            QCOMPARE(r.run, u"after"_s); // the identical run never regresses
    }

    // A difference within the noise floor, or whose interval holds 0, is "no change" and never a
    // regression; past both it is better or worse by the figure's direction.
    void smallDifferencesAreNoChange_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<std::uint64_t>("laterHits");
        QTest::addColumn<double>("laterSpeedup");
        QTest::addColumn<double>("noiseFloor");
        QTest::addColumn<QString>("change");
        // 9900 → 9890 hits of 10000: −0.1 pp, within 1 % of 99 %; its interval holds 0 anyway.
        QTest::newRow("hit rate −0.1 pp") << u"hit_rate"_s << std::uint64_t(9890) << 6.0 << 0.01 << u"none"_s;
        QTest::newRow("hit rate −0.1 pp, no floor") << u"hit_rate"_s << std::uint64_t(9890) << 6.0 << 0.0 << u"none"_s;
        QTest::newRow("hit rate −3 pp") << u"hit_rate"_s << std::uint64_t(9600) << 6.0 << 0.01 << u"worse"_s;
        // A ratio without an interval (no snapshots): the floor alone decides. 6.0 → 5.97 is 0.5 %.
        QTest::newRow("ratio −0.5 %, 1 % floor")
            << u"throughput_ratio"_s << std::uint64_t(9900) << 5.97 << 0.01 << u"none"_s;
        QTest::newRow("ratio −0.5 %, 0.1 % floor")
            << u"throughput_ratio"_s << std::uint64_t(9900) << 5.97 << 0.001 << u"worse"_s;
        QTest::newRow("ratio +5 %") << u"throughput_ratio"_s << std::uint64_t(9900) << 6.3 << 0.01 << u"better"_s;
    }
    void smallDifferencesAreNoChange()
    {
        QFETCH(QString, key);
        QFETCH(std::uint64_t, laterHits);
        QFETCH(double, laterSpeedup);
        QFETCH(double, noiseFloor);
        QFETCH(QString, change);
        Comparison c
            = Comparison::of({{u"before"_s, makeRun(9900, 6.0)}, {u"after"_s, makeRun(laterHits, laterSpeedup)}});
        c.noiseFloor = noiseFloor;
        qsizetype index = -1;
        for (qsizetype i = 0; i < c.rows.size(); ++i)
            index = c.rows.at(i).key == key ? i : index;
        QVERIFY(index >= 0);
        const QJsonArray changes
            = c.toJson().value(u"rows"_s).toArray().at(index).toObject().value(u"changes"_s).toArray();
        QVERIFY(changes.at(0).isNull()); // the reference
        QCOMPARE(changes.at(1).toString(), change);
        QCOMPARE(c.toJson().value(u"noise_floor"_s).toDouble(), noiseFloor);
        QCOMPARE(!c.regressions({RegressionRule::parse(key)}).isEmpty(), change == u"worse"_s);
        const QStringList lines = c.text().split(u'\n');
        const auto line = std::find_if(lines.cbegin(), lines.cend(),
            [&](const QString &l) { return l.startsWith(c.rows.at(index).title + u"  "_s); });
        QVERIFY(line != lines.cend());
        QCOMPARE(line->contains(u"(no change)"_s), change == u"none"_s);
        // The HTML page says the same, and loads nothing.
        const QString html = c.html();
        const qsizetype start = html.indexOf(u"<tr><td>"_s + c.rows.at(index).title.toHtmlEscaped() + u"</td>"_s);
        QVERIFY(start > 0);
        const QString row = html.mid(start, html.indexOf(u"</tr>"_s, start) - start);
        QCOMPARE(row.contains(u"class=\"worse\""_s), change == u"worse"_s);
        QCOMPARE(row.contains(u"(no change)"_s), change == u"none"_s);
        QVERIFY(!html.contains(u"src="_s) && !html.contains(u"<script"_s));
    }

    void badComparisonsAreNamed_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("runs");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown figure") << u"hit_ratio"_s << 2 << u"'hit_ratio' is not a figure"_s;
        QTest::newRow("negative tolerance") << u"hit_rate=-1"_s << 2 << u"not a number ≥ 0"_s;
        QTest::newRow("tolerance not a number") << u"hit_rate=lots"_s << 2 << u"'lots'"_s;
        QTest::newRow("one run") << u"hit_rate"_s << 1 << u"give 2 to 5 runs, not 1"_s;
        QTest::newRow("six runs") << u"hit_rate"_s << 6 << u"give 2 to 5 runs, not 6"_s;
    }
    void badComparisonsAreNamed()
    {
        QFETCH(QString, rule);
        QFETCH(int, runs);
        QFETCH(QString, expected);
        try {
            RegressionRule::parse(rule);
            QList<ComparedRun> list;
            for (int i = 0; i < runs; ++i)
                list.append({QString::number(i), makeRun(9900, 6.0)});
            Comparison::of(list);
            QFAIL("accepted");
        } catch (const ResultFormatError &error) {
            QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
