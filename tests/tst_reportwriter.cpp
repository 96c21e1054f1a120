// Report writers: JSON and JUnit files are complete and parseable; unsupported formats and
// unwritable paths are refused with the path named.
#include "core/io/outputfile.h"
#include "core/metrics/interval.h"
#include "core/report/reportwriter.h"

#include <QDomDocument>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
RunResult sampleResult()
{
    RunResult r;
    r.databasePath = u"/data/shop.db"_s;
    r.workers = 2;
    r.keysUsed = 1000;
    PhaseResult baseline;
    baseline.durationS = 2.0;
    baseline.requests = baseline.reads = baseline.misses = baseline.dbStatements = 20000;
    PhaseResult cached;
    cached.durationS = 4.0;
    cached.requests = cached.reads = 200000;
    cached.hits = 199000;
    cached.misses = cached.dbStatements = 1000;
    for (int i = 0; i < 100; ++i) {
        baseline.latency.record(20000 + i);
        cached.latency.record(1000 + i);
    }
    r.baseline = baseline;
    r.cached = cached;
    r.evaluate();
    return r;
}

// Fixtures with known figures: every KPI follows from them by its formula, worked out by hand in
// the rows below (reads ≠ requests, L2 hits, batched statements, a live change, a run error).
PhaseResult phase(
    std::uint64_t requests, std::uint64_t reads, std::uint64_t hits, std::uint64_t statements, double seconds)
{
    PhaseResult p;
    p.requests = requests;
    p.reads = reads;
    p.writes = requests - reads;
    p.hits = hits;
    p.l1Hits = hits;
    p.misses = reads - hits;
    p.dbStatements = statements;
    p.durationS = seconds;
    return p;
}
// Latencies: baseline half at 10 µs, half at 40 µs (p50 10 µs, p99 40 µs); cached all at `cached`.
void latencies(PhaseResult &baseline, PhaseResult &cached, std::int64_t cachedNanos)
{
    for (int i = 0; i < 100; ++i) {
        baseline.latency.record(i < 50 ? 10000 : 40000);
        cached.latency.record(cachedNanos);
    }
}

RunResult makeFixture(const QString &name)
{
    RunResult r;
    r.databasePath = u"/data/shop.db"_s;
    r.workers = 2;
    PhaseResult baseline = phase(10000, 10000, 0, 10000, 2.0);
    PhaseResult cached = phase(100000, 100000, 99500, 500, 4.0);
    latencies(baseline, cached, 2000);
    if (name == u"mixed read/write"_s) {
        // 20 % writes: every write is a statement in both phases.
        baseline = phase(10000, 8000, 0, 10000, 2.0);
        cached = phase(30000, 24000, 23000, 7000, 1.5);
        cached.l1Hits = 20000;
        cached.l2Hits = 3000;
        latencies(baseline, cached, 4000);
        r.transfer = TransferMeasurement {};
        r.transfer->bytesProjected = 600;
        r.transfer->bytesFull = 1000;
    } else if (name == u"batched loads"_s) {
        // 50 misses loaded in 5 batched statements; ten times as fast.
        baseline = phase(10000, 10000, 0, 10000, 10.0);
        cached = phase(10000, 10000, 9950, 5, 1.0);
        cached.l1Hits = 9000;
        cached.l2Hits = 950;
        latencies(baseline, cached, 2000);
    } else if (name == u"at the targets"_s) {
        // Hit rate exactly 0.99, throughput exactly 5×, p50 exactly halved.
        baseline = phase(10000, 10000, 0, 10000, 5.0);
        cached = phase(10000, 10000, 9900, 3000, 1.0);
        baseline.latency = {};
        cached.latency = {};
        for (int i = 0; i < 100; ++i) {
            baseline.latency.record(20000);
            cached.latency.record(10000);
        }
    } else if (name == u"live change"_s) {
        // The cached phase grew its cache half-way: the last segment is what the KPIs compare.
        cached = phase(60000, 60000, 50000, 10000, 3.0);
        latencies(baseline, cached, 2000);
        SegmentResult first {Phase::Cached, 2.0, 4.0, QString(), false, phase(20000, 20000, 10000, 10000, 2.0)};
        SegmentResult last {
            Phase::Cached, 4.0, 5.0, u"cache.l1.capacity=5000"_s, false, phase(40000, 40000, 39960, 40, 1.0)};
        latencies(baseline, last.stats, 2000);
        r.segments = {{Phase::Baseline, 0.0, 2.0, QString(), false, baseline}, first, last};
    } else if (name == u"read-only, measured criteria"_s) {
        r.scenario.criteria = Scenario::defaultCriteria().mid(0, 4);
    } else if (name == u"no baseline"_s) {
        r.baseline.reset();
        r.cached = cached;
        r.evaluate();
        return r;
    }
    r.baseline = baseline;
    r.cached = cached;
    if (name == u"run error"_s)
        r.error = u"database is locked"_s;
    r.evaluate();
    return r;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestReportWriter : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    // KPIs follow from the phases: hit rate 99.5 %, statements per request 0.005 vs 1.
    void evaluateFollowsDefinitions()
    {
        const RunResult r = sampleResult();
        QCOMPARE(*r.kpi(u"hit_rate"_s), 0.995);
        QCOMPARE(*r.kpi(u"db_query_reduction"_s), 1.0 - 0.005);
        QCOMPARE(*r.kpi(u"throughput_ratio"_s), 5.0);
        // Two default criteria (projection, warm-up) are not measured: never passed by default.
        QCOMPARE(r.verdict, Verdict::Inconclusive);
        QVERIFY(!r.passed);
        int measured = 0;
        for (const CriterionResult &c : r.criteria)
            measured += c.measured ? 1 : 0;
        QCOMPARE(measured, 4);
    }

    void fixturesFollowTheFormulas_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QVariantMap>("kpis"); // the measured KPIs; every other one is not measured
        QTest::addColumn<QString>("verdicts"); // per default criterion: P met, F not met, S not measured
        QTest::addColumn<QString>("overall"); // the run's verdict
        QTest::addColumn<bool>("passed");
        // hit 99500/100000; statements per request 0.005 vs 1; 25000/s vs 5000/s; p50 10 → 2 µs,
        // p99 40 → 2 µs.
        QTest::newRow("read-only, passing")
            << u"read-only"_s
            << QVariantMap {{u"hit_rate"_s, 0.995}, {u"db_query_reduction"_s, 0.995}, {u"throughput_ratio"_s, 5.0},
                   {u"p50_reduction"_s, 0.8}, {u"p99_reduction"_s, 0.95}, {u"requests_per_s"_s, 25000.0},
                   {u"p99_latency_ms"_s, 0.002}, {u"error_rate"_s, 0.0}}
            << u"PPPPSS"_s << u"inconclusive"_s << false;
        // The same run judged only on what it measured: every criterion judged and met.
        QTest::newRow("read-only, judged on what it measured")
            << u"read-only, measured criteria"_s
            << QVariantMap {{u"hit_rate"_s, 0.995}, {u"db_query_reduction"_s, 0.995}, {u"throughput_ratio"_s, 5.0},
                   {u"p50_reduction"_s, 0.8}, {u"p99_reduction"_s, 0.95}, {u"requests_per_s"_s, 25000.0},
                   {u"p99_latency_ms"_s, 0.002}, {u"error_rate"_s, 0.0}}
            << u"PPPP"_s << u"pass"_s << true;
        // Hits over reads, not requests: 23000/24000. Statements per request: 7000/30000 vs
        // 10000/10000. 20000/s vs 5000/s = 4× (short of 5×). Bytes 600 of 1000.
        QTest::newRow("mixed read/write, failing")
            << u"mixed read/write"_s
            << QVariantMap {{u"hit_rate"_s, 23000.0 / 24000.0}, {u"db_query_reduction"_s, 1.0 - 7000.0 / 30000.0},
                   {u"throughput_ratio"_s, 4.0}, {u"p50_reduction"_s, 0.6}, {u"p99_reduction"_s, 0.9},
                   {u"transfer_reduction"_s, 0.4}, {u"requests_per_s"_s, 20000.0}, {u"p99_latency_ms"_s, 0.004},
                   {u"error_rate"_s, 0.0}}
            << u"FPFPPS"_s << u"fail"_s << false;
        // L1 and L2 hits both count; 5 batched statements for 10000 requests.
        QTest::newRow("L2 and batched loads")
            << u"batched loads"_s
            << QVariantMap {{u"hit_rate"_s, 0.995}, {u"db_query_reduction"_s, 0.9995}, {u"throughput_ratio"_s, 10.0},
                   {u"p50_reduction"_s, 0.8}, {u"p99_reduction"_s, 0.95}, {u"requests_per_s"_s, 10000.0},
                   {u"p99_latency_ms"_s, 0.002}, {u"error_rate"_s, 0.0}}
            << u"PPPPSS"_s << u"inconclusive"_s << false;
        // A figure exactly at its target meets it.
        QTest::newRow("exactly at the targets")
            << u"at the targets"_s
            << QVariantMap {{u"hit_rate"_s, 0.99}, {u"db_query_reduction"_s, 0.7}, {u"throughput_ratio"_s, 5.0},
                   {u"p50_reduction"_s, 0.5}, {u"p99_reduction"_s, 0.5}, {u"requests_per_s"_s, 10000.0},
                   {u"p99_latency_ms"_s, 0.01}, {u"error_rate"_s, 0.0}}
            << u"PPPPSS"_s << u"inconclusive"_s << false;
        // The whole cached phase hit 50000/60000; the last segment 39960/40000, 40000/s.
        QTest::newRow("live change: the last segment")
            << u"live change"_s
            << QVariantMap {{u"hit_rate"_s, 0.999}, {u"db_query_reduction"_s, 0.999}, {u"throughput_ratio"_s, 8.0},
                   {u"p50_reduction"_s, 0.8}, {u"p99_reduction"_s, 0.95}, {u"requests_per_s"_s, 40000.0},
                   {u"p99_latency_ms"_s, 0.002}, {u"error_rate"_s, 0.0}}
            << u"PPPPSS"_s << u"inconclusive"_s << false;
        // Without a baseline only the hit rate is measured.
        QTest::newRow("no baseline: inconclusive comparisons")
            << u"no baseline"_s
            << QVariantMap {{u"hit_rate"_s, 0.995}, {u"requests_per_s"_s, 25000.0}, {u"p99_latency_ms"_s, 0.002},
                   {u"error_rate"_s, 0.0}}
            << u"PSSSSS"_s << u"inconclusive"_s << false;
        // Every measured criterion met, but the run failed: not passed.
        QTest::newRow("run error") << u"run error"_s
                                   << QVariantMap {{u"hit_rate"_s, 0.995}, {u"db_query_reduction"_s, 0.995},
                                          {u"throughput_ratio"_s, 5.0}, {u"p50_reduction"_s, 0.8},
                                          {u"p99_reduction"_s, 0.95}, {u"requests_per_s"_s, 25000.0},
                                          {u"p99_latency_ms"_s, 0.002}, {u"error_rate"_s, 0.0}}
                                   << u"PPPPSS"_s << u"inconclusive"_s << false;
    }
    // Each fixture's KPIs, field by field, and every writer's account of its criteria: the
    // result, the JSON report, JUnit (tests, failures, skipped, errors, and each test case's
    // element) and the text summary.
    void fixturesFollowTheFormulas()
    {
        QFETCH(QString, fixture);
        QFETCH(QVariantMap, kpis);
        QFETCH(QString, verdicts);
        QFETCH(QString, overall);
        QFETCH(bool, passed);
        const RunResult r = makeFixture(fixture);
        const QString json = m_dir.filePath(u"fixture.json"_s);
        const QString junit = m_dir.filePath(u"fixture.xml"_s);
        QCOMPARE(ReportWriter::write(r, json), QString());
        QCOMPARE(ReportWriter::writeJUnit(r, junit), QString());
        const QJsonObject report = QJsonDocument::fromJson(readAll(json)).object();
        for (const QString &key : kpiKeys()) {
            const QJsonValue written = report.value(u"kpis"_s).toObject().value(key);
            if (!kpis.contains(key)) {
                QVERIFY2(!r.kpi(key), qPrintable(key + u" should not be measured"_s));
                QVERIFY2(written.isNull(), qPrintable(key));
                continue;
            }
            const double expected = kpis.value(key).toDouble();
            // p50/p99 come from the latency histogram's buckets (within 1 %); the rest are exact.
            const double tolerance = key.startsWith(u'p') ? 0.01 : 1e-12;
            QVERIFY2(r.kpi(key) && std::abs(*r.kpi(key) - expected) <= tolerance,
                qPrintable(u"%1: %2, expected %3"_s.arg(key).arg(r.kpi(key).value_or(-1)).arg(expected)));
            QCOMPARE(written.toDouble(), *r.kpi(key));
        }
        QString got;
        for (const CriterionResult &c : r.criteria)
            got += !c.passed ? u'S' : (*c.passed ? u'P' : u'F');
        QCOMPARE(got, verdicts);
        QCOMPARE(r.passed, passed);
        QCOMPARE(verdictName(r.verdict), overall);
        QCOMPARE(report.value(u"passed"_s).toBool(), passed);
        QCOMPARE(report.value(u"verdict"_s).toString(), overall);
        const QJsonArray criteria = report.value(u"criteria"_s).toArray();
        QCOMPARE(criteria.size(), verdicts.size());
        for (qsizetype i = 0; i < verdicts.size(); ++i) {
            const QJsonValue p = criteria.at(i).toObject().value(u"passed"_s);
            QCOMPARE(p.isNull() ? u'S' : (p.toBool() ? u'P' : u'F'), verdicts[i]);
        }

        QDomDocument xml;
        QVERIFY(xml.setContent(readAll(junit)));
        const QDomElement suite = xml.documentElement();
        const bool error = !r.error.isEmpty();
        QCOMPARE(suite.attribute(u"tests"_s).toInt(), int(verdicts.size()) + (error ? 1 : 0));
        QCOMPARE(suite.attribute(u"failures"_s).toInt(), int(verdicts.count(u'F')));
        QCOMPARE(suite.attribute(u"skipped"_s).toInt(), int(verdicts.count(u'S')));
        QCOMPARE(suite.attribute(u"errors"_s).toInt(), error ? 1 : 0);
        const QDomNodeList cases = suite.elementsByTagName(u"testcase"_s);
        QCOMPARE(cases.size(), suite.attribute(u"tests"_s).toInt());
        for (int i = 0; i < int(verdicts.size()); ++i) {
            const QDomElement c = cases.at(i + (error ? 1 : 0)).toElement();
            QCOMPARE(c.elementsByTagName(u"failure"_s).size(), verdicts[i] == u'F' ? 1 : 0);
            QCOMPARE(c.elementsByTagName(u"skipped"_s).size(), verdicts[i] == u'S' ? 1 : 0);
        }
        if (error)
            QCOMPARE(cases.at(0).toElement().firstChildElement(u"error"_s).attribute(u"message"_s), r.error);

        const QString text = ReportWriter::textSummary(r);
        QVERIFY2(text.contains(u"result: "_s + (r.error.isEmpty() ? overall.toUpper() : u"ERROR"_s)), qPrintable(text));
        QCOMPARE(text.count(u"  FAIL  measured"_s), verdicts.count(u'F'));
        QCOMPARE(text.count(u"  PASS  measured"_s), verdicts.count(u'P'));
    }

    void jsonReportIsComplete()
    {
        const QString path = m_dir.filePath(u"r.json"_s);
        QCOMPARE(ReportWriter::write(sampleResult(), path), QString());
        const QJsonObject json = QJsonDocument::fromJson(readAll(path)).object();
        QCOMPARE(json.value(u"format_version"_s).toInt(), 1);
        QCOMPARE(json.value(u"kpis"_s).toObject().value(u"hit_rate"_s).toDouble(), 0.995);
        QVERIFY(json.value(u"kpis"_s).toObject().value(u"cold_start_reduction"_s).isNull());
        QCOMPARE(json.value(u"passed"_s).toBool(), false);
        QCOMPARE(json.value(u"verdict"_s).toString(), u"inconclusive"_s);
    }

    void junitReportIsValid()
    {
        const QString path = m_dir.filePath(u"r.xml"_s);
        QCOMPARE(ReportWriter::writeJUnit(sampleResult(), path), QString());
        QDomDocument xml;
        QVERIFY(xml.setContent(readAll(path)));
        QCOMPARE(xml.documentElement().attribute(u"tests"_s).toInt(), 6);
        QCOMPARE(xml.documentElement().attribute(u"failures"_s).toInt(), 0);
        QCOMPARE(xml.documentElement().attribute(u"skipped"_s).toInt(), 2);
    }

    void csvHasAHeaderAndOneRowPerSnapshot_data()
    {
        QTest::addColumn<int>("baseline");
        QTest::addColumn<int>("cached");
        QTest::addColumn<double>("changeAt"); // cached phase time of a live change; < 0: none
        QTest::newRow("no time series") << 0 << 0 << -1.0;
        QTest::newRow("two phases") << 3 << 4 << -1.0;
        QTest::newRow("a live change") << 3 << 6 << 0.3;
    }
    void csvHasAHeaderAndOneRowPerSnapshot()
    {
        QFETCH(int, baseline);
        QFETCH(int, cached);
        QFETCH(double, changeAt);
        RunResult r = sampleResult();
        SegmentResult base {Phase::Baseline, 0.0, 0.1 * baseline, {}, false, {}};
        SegmentResult first {Phase::Cached, 0.1 * baseline, 0.1 * (baseline + cached), {}, false, {}};
        r.segments = {base, first};
        if (changeAt >= 0) {
            r.segments[1].endS = 0.1 * baseline + changeAt;
            r.segments.append(
                {Phase::Cached, r.segments[1].endS, 0.1 * (baseline + cached), u"cache.l1.ttl=1s"_s, false, {}});
        }
        for (int i = 0; i < baseline + cached; ++i) {
            MetricsSnapshot s;
            s.phase = i < baseline ? Phase::Baseline : Phase::Cached;
            s.interval = 0.1;
            s.runTime = 0.1 * (i + 1);
            s.phaseTime = i < baseline ? s.runTime : s.runTime - 0.1 * baseline;
            s.requests = s.reads = 1000 + std::uint64_t(i);
            s.hits = i < baseline ? 0 : 900;
            s.misses = s.reads - s.hits;
            s.p99Nanos = 12345;
            r.timeSeries.append(s);
        }
        const QString path = m_dir.filePath(u"series-%1.csv"_s.arg(QString::fromUtf8(QTest::currentDataTag())));
        QCOMPARE(ReportWriter::write(r, path), QString());
        QVERIFY(OutputFile::holdsOwnFile(path, OutputKind::CsvReport));
        const QList<QByteArray> lines = readAll(path).split('\n');
        QCOMPARE(lines.size(), baseline + cached + 2); // header, rows, the empty line after the last newline
        QVERIFY(lines.last().isEmpty());
        const QList<QByteArray> header = lines.first().split(',');
        for (const char *column :
            {"phase", "segment", "t_s", "requests", "hits", "p99_us", "requests_per_s", "hit_rate"})
            QVERIFY2(header.contains(column), column);
        const auto cell
            = [&](int row, const char *column) { return lines.at(row).split(',').at(header.indexOf(column)); };
        for (int i = 0; i < baseline + cached; ++i) {
            const int row = i + 1;
            QCOMPARE(lines.at(row).split(',').size(), header.size());
            QCOMPARE(cell(row, "phase"), i < baseline ? QByteArray("baseline") : QByteArray("cached"));
            QCOMPARE(cell(row, "requests").toULongLong(), 1000ULL + unsigned(i));
            QCOMPARE(cell(row, "p99_us"), QByteArray("12.345"));
            QCOMPARE(cell(row, "requests_per_s").toDouble(), (1000.0 + i) / 0.1);
            const double phaseTime = (i < baseline ? 0.1 * (i + 1) : 0.1 * (i + 1 - baseline));
            const int segment = i < baseline ? 1 : (changeAt >= 0 && phaseTime > changeAt + 1e-9 ? 3 : 2);
            QCOMPARE(cell(row, "segment").toInt(), segment);
        }
        // Written over by the next report: it is CacheScope's own.
        QCOMPARE(ReportWriter::write(r, path), QString());
    }

    void badPathsAreNamed_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unsupported format") << u"r.docx"_s << u"unsupported report format"_s;
        // HTML and PDF are drawn by the GUI library, which this test does not link.
        QTest::addRow("html without the GUI library") << u"r.html"_s << u"unsupported report format"_s;
        QTest::addRow("parent is a file") << u"blocker/r.json"_s << u"is not a directory"_s;
    }
    void badPathsAreNamed()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QFile blocker(m_dir.filePath(u"blocker"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString path = m_dir.filePath(name);
        const QString problem = ReportWriter::write(sampleResult(), path);
        QVERIFY2(problem.contains(expected) && problem.contains(path), qPrintable(problem));
    }

    // A saved result reads back into the run it came from: written again it is the same JSON,
    // so a report regenerated from it, or a run reopened from history, shows the same figures.
    void resultReadsBackAsWritten_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char *name :
            {"read-only", "mixed read/write", "batched loads", "live change", "no baseline", "run error", "full"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void resultReadsBackAsWritten()
    {
        QFETCH(QString, fixture);
        RunResult r = makeFixture(fixture);
        if (fixture == u"full"_s) {
            // Everything optional at once: a cold phase, a warm-up, a time series, notes, a stop, the end.
            r.cold = r.cached;
            r.finishedAt = QDateTime(QDate(2026, 12, 2), QTime(9, 15, 0, 125), Qt::UTC);
            r.warmup
                = WarmupResult {u"top-n"_s, u"the 50 hottest keys"_s, 50, 48, 1, 1, 0, 0, 3, 0.25, u"time budget"_s};
            for (int i = 1; i <= 30; ++i) {
                MetricsSnapshot s;
                s.phase = i <= 10 ? Phase::Baseline : (i <= 20 ? Phase::Cold : Phase::Cached);
                s.runTime = 0.1 * i;
                s.phaseTime = 0.1 * ((i - 1) % 10 + 1);
                s.interval = 0.1;
                s.requests = s.reads = std::uint64_t(100 + i);
                s.hits = s.phase == Phase::Baseline ? 0 : std::uint64_t(5 * i);
                s.p50Nanos = 1000 * i;
                s.p99Nanos = 3000 * i;
                s.p999Nanos = 5000 * i;
                s.maxNanos = 9000 * i;
                s.phaseRequests = std::uint64_t(1000 * i);
                s.warmup = i == 21;
                r.timeSeries.append(s);
            }
            r.transfer = TransferMeasurement {u"id,name"_s, 100, 90, 900, 9000, 1800, 12000, 0.01, 0.03};
            r.notes = QStringList {u"3 trace lines skipped"_s};
            r.stopped = true;
            r.suggestedWarmupKeys = 40;
            r.evaluate();
        }
        const QJsonObject written = r.toJson();
        const RunResult back = RunResult::fromJson(written);
        QCOMPARE(back.toJson(), written);
        QCOMPARE(back.passed, r.passed);
        for (const KpiDef &k : kpiTable()) { // each KPI the same (a QHash compare trips -Wnull-dereference at -O3)
            QCOMPARE(back.kpis.contains(k.key), r.kpis.contains(k.key));
            QCOMPARE(back.kpis.value(k.key), r.kpis.value(k.key));
        }
        if (r.baseline)
            QVERIFY(back.baseline->latency == r.baseline->latency);
        QCOMPARE(back.timeSeries.size(), r.timeSeries.size());
    }

    // A file that is not a readable result is refused with what is wrong in it.
    void unreadableResultIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("another format version") << u"format_version"_s << u"format_version 1"_s;
        QTest::newRow("no scenario") << u"scenario"_s << u"\"scenario\" is missing"_s;
        QTest::newRow("no phases") << u"phases"_s << u"\"phases\" is missing"_s;
        QTest::newRow("histogram missing (an old result)")
            << u"histogram"_s << u"phases.baseline: \"latency_histogram\" is missing"_s;
        QTest::newRow("histogram corrupt") << u"corrupt"_s << u"is not a latency histogram"_s;
        QTest::newRow("unknown phase in a segment") << u"segment phase"_s << u"segments: \"phase\" is not"_s;
        QTest::newRow("bad scenario") << u"bad scenario"_s << u"its scenario"_s;
        QTest::newRow("finish time not a time") << u"finished_at"_s << u"finished_at: 'yesterday'"_s;
    }
    void unreadableResultIsRefusedNamingTheField()
    {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QJsonObject json = makeFixture(u"live change"_s).toJson();
        QJsonObject phases = json.value(u"phases"_s).toObject();
        QJsonObject baseline = phases.value(u"baseline"_s).toObject();
        if (damage == u"finished_at"_s)
            json.insert(u"finished_at"_s, u"yesterday"_s);
        if (damage == u"format_version"_s) {
            json.insert(u"format_version"_s, 2);
        } else if (damage == u"scenario"_s || damage == u"phases"_s) {
            json.remove(damage);
        } else if (damage == u"histogram"_s || damage == u"corrupt"_s) {
            if (damage == u"histogram"_s)
                baseline.remove(u"latency_histogram"_s);
            else
                baseline.insert(u"latency_histogram"_s, u"AQID"_s); // version 1, then a truncated header
            phases.insert(u"baseline"_s, baseline);
            json.insert(u"phases"_s, phases);
        } else if (damage == u"segment phase"_s) {
            QJsonArray segments = json.value(u"segments"_s).toArray();
            QJsonObject first = segments.at(0).toObject();
            first.insert(u"phase"_s, u"warm"_s);
            segments.replace(0, first);
            json.insert(u"segments"_s, segments);
        } else if (damage == u"bad scenario"_s) {
            QJsonObject scenario = json.value(u"scenario"_s).toObject();
            scenario.insert(u"no_such_setting"_s, 1);
            json.insert(u"scenario"_s, scenario);
        }
        try {
            RunResult::fromJson(json);
            QFAIL("a damaged result was read");
        } catch (const ResultFormatError &e) {
            QVERIFY2(e.message().contains(expected), qPrintable(e.message()));
        }
    }

    // Clopper–Pearson against published values (e.g. R's binom.test).
    void exactBinomialIntervalMatchesReference_data()
    {
        QTest::addColumn<qulonglong>("k");
        QTest::addColumn<qulonglong>("n");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::newRow("0 of 10") << 0ULL << 10ULL << 0.0 << 0.308497;
        QTest::newRow("5 of 10") << 5ULL << 10ULL << 0.187086 << 0.812914;
        QTest::newRow("99 of 100") << 99ULL << 100ULL << 0.945539 << 0.999747;
        QTest::newRow("10 of 10") << 10ULL << 10ULL << 0.691503 << 1.0;
    }
    void exactBinomialIntervalMatchesReference()
    {
        QFETCH(qulonglong, k);
        QFETCH(qulonglong, n);
        QFETCH(double, low);
        QFETCH(double, high);
        const Estimate e = exactBinomialInterval(k, n);
        QVERIFY2(e.low && std::abs(*e.low - low) < 1e-5, qPrintable(QString::number(e.low.value_or(-1), 'g', 8)));
        QVERIFY2(e.high && std::abs(*e.high - high) < 1e-5, qPrintable(QString::number(e.high.value_or(-1), 'g', 8)));
        QVERIFY(!exactBinomialInterval(0, 0).low);
    }

    // A criterion is PASS or FAIL only when judged on enough: at the target passes, too few
    // requests or seconds (in either stretch compared) and an unmeasured KPI are INCONCLUSIVE.
    void verdictNeedsEnoughData_data()
    {
        QTest::addColumn<QString>("kpi");
        QTest::addColumn<QString>("op");
        QTest::addColumn<double>("target");
        QTest::addColumn<qlonglong>("minRequests");
        QTest::addColumn<double>("minSeconds");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("reason"); // part of the reason; empty when judged
        // sampleResult: hit rate 0.995 over 200000 reads in 4 s; baseline 20000 requests in 2 s.
        QTest::newRow("met") << u"hit_rate"_s << u">="_s << 0.99 << 1000LL << 1.0 << u"pass"_s << QString();
        QTest::newRow("equal to the target")
            << u"hit_rate"_s << u">="_s << 0.995 << 1000LL << 1.0 << u"pass"_s << QString();
        QTest::newRow("short of it") << u"hit_rate"_s << u">="_s << 0.999 << 1000LL << 1.0 << u"fail"_s << QString();
        QTest::newRow("a cap met") << u"error_rate"_s << u"<="_s << 0.01 << 1000LL << 1.0 << u"pass"_s << QString();
        QTest::newRow("not measured") << u"cold_start_reduction"_s << u">="_s << 0.5 << 1000LL << 1.0
                                      << u"inconclusive"_s << u"not measured"_s;
        QTest::newRow("too few requests in the tuned stretch")
            << u"hit_rate"_s << u">="_s << 0.99 << 300000LL << 1.0 << u"inconclusive"_s
            << u"200000 requests of the cached phase"_s;
        QTest::newRow("too few in the baseline it is compared with")
            << u"db_query_reduction"_s << u">="_s << 0.7 << 50000LL << 1.0 << u"inconclusive"_s
            << u"20000 requests of the baseline phase"_s;
        QTest::newRow("the baseline too short") << u"throughput_ratio"_s << u">="_s << 5.0 << 1000LL << 3.0
                                                << u"inconclusive"_s << u"2.00 s of the baseline phase"_s;
        QTest::newRow("a failure is still judged on enough")
            << u"throughput_ratio"_s << u">="_s << 6.0 << 1000LL << 1.0 << u"fail"_s << QString();
    }
    void verdictNeedsEnoughData()
    {
        QFETCH(QString, kpi);
        QFETCH(QString, op);
        QFETCH(double, target);
        QFETCH(qlonglong, minRequests);
        QFETCH(double, minSeconds);
        QFETCH(QString, verdict);
        QFETCH(QString, reason);
        RunResult r = sampleResult();
        Criterion c {u"c"_s, kpi, op, target};
        c.minRequests = minRequests;
        c.minSeconds = minSeconds;
        r.scenario.criteria = {c};
        r.evaluate();
        QCOMPARE(r.criteria.size(), 1);
        const CriterionResult &got = r.criteria.first();
        QCOMPARE(verdictName(got.verdict), verdict);
        QCOMPARE(verdictName(r.verdict), verdict);
        QCOMPARE(r.passed, verdict == u"pass"_s);
        QCOMPARE(got.passed.has_value(), verdict != u"inconclusive"_s);
        QVERIFY2(reason.isEmpty() ? got.reason().isEmpty() : got.reason().contains(reason), qPrintable(got.reason()));
        const QJsonObject json = got.toJson();
        QCOMPARE(json.value(u"verdict"_s).toString(), verdict);
        QCOMPARE(json.value(u"reason"_s).isNull(), reason.isEmpty());
        if (got.margin && target != 0)
            QCOMPARE(*got.marginRelative, *got.margin / std::abs(target));
    }

    // The hit rate's interval is exact binomial and holds the measured value; a target inside
    // it is flagged as within the noise.
    void hitRateIntervalFlagsATargetWithinTheNoise()
    {
        RunResult r = sampleResult();
        r.scenario.criteria = {Criterion {u"c"_s, u"hit_rate"_s, u">="_s, 0.9951}};
        r.evaluate();
        const CriterionResult &c = r.criteria.first();
        QCOMPARE(c.intervalMethod, u"exact binomial"_s);
        QVERIFY(c.low && c.high && *c.low < 0.995 && 0.995 < *c.high);
        QVERIFY(c.withinNoise());
        QCOMPARE(c.verdict, Verdict::Fail);
        r.scenario.criteria = {Criterion {u"c"_s, u"hit_rate"_s, u">="_s, 0.99}};
        r.evaluate();
        QVERIFY(!r.criteria.first().withinNoise());
    }

    void textSummaryNamesEveryCriterion()
    {
        const QString text = ReportWriter::textSummary(sampleResult());
        for (const Criterion &c : Scenario::defaultCriteria())
            QVERIFY2(text.contains(c.name), qPrintable(c.name));
        QVERIFY(text.contains(u"not measured"_s));
        QVERIFY(text.contains(u"result: INCONCLUSIVE"_s));
    }
};

QTEST_GUILESS_MAIN(TestReportWriter)
#include "tst_reportwriter.moc"
