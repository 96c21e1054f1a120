// The command line as scripts use it: the real binary in a separate process. Bad input exits 2
// with one line naming the problem; a run on a small database exits 0 or 1 by its criteria and writes a result
// JSON whose counts cross-check, plus JUnit XML.
#include "clirunner.h"

#include <QDomDocument>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
using Outcome = CliOutcome;

Outcome cachescope(const QStringList &arguments, int timeoutMs = 120000)
{
    return runCachescope(arguments, timeoutMs);
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"small.db"_s);
        QFile theirs(m_dir.filePath(u"theirs.pdf"_s));
        QVERIFY(theirs.open(QIODevice::WriteOnly));
        theirs.write("%PDF-1.7 another program's document\n");
        theirs.close();
        const Outcome created = cachescope({u"demo-db"_s, u"--rows"_s, u"3000"_s, u"--out"_s, m_db});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
        QVERIFY(created.out.contains(u"3000 rows"_s));
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unknown command") << QStringList {u"frobnicate"_s} << u"unknown command 'frobnicate'"_s;
        QTest::addRow("unknown flag") << QStringList {u"run"_s, u"--fast"_s} << u"Unknown option 'fast'"_s;
        QTest::addRow("zero rows") << QStringList {u"demo-db"_s, u"--rows"_s, u"0"_s, u"--out"_s, u"x.db"_s}
                                   << u"--rows must be a whole number"_s;
        QTest::addRow("rows not a number")
            << QStringList {u"demo-db"_s, u"--rows"_s, u"ten"_s, u"--out"_s, u"x.db"_s} << u"not 'ten'"_s;
        QTest::addRow("missing directory") << QStringList {u"demo-db"_s, u"--rows"_s, u"5"_s, u"--out"_s,
            u"/no/such/dir/x.db"_s} << u"directory '/no/such/dir' does not exist"_s;
        QTest::addRow("missing --out") << QStringList {u"demo-db"_s, u"--rows"_s, u"5"_s}
                                       << u"--out FILE is required"_s;
        QTest::addRow("unknown --set key")
            << QStringList {u"run"_s, u"--set"_s, u"cache.l9.ttl=1s"_s} << u"unknown setting 'cache.l9.ttl'"_s;
        QTest::addRow("bad --set value") << QStringList {u"run"_s, u"--set"_s, u"workload.concurrency=-3"_s}
                                         << u"workload.concurrency"_s;
        QTest::addRow("bad duration") << QStringList {u"run"_s, u"--duration"_s, u"soon"_s} << u"--duration"_s;
        QTest::addRow("missing database")
            << QStringList {u"run"_s, u"--set"_s, u"db.path=/no/such.db"_s} << u"'/no/such.db' does not exist"_s;
        QTest::addRow("unsupported report format")
            << QStringList {u"run"_s, u"--report"_s, u"out.docx"_s} << u"'out.docx': unsupported report format"_s;
        // Every output is checked before the run starts, whatever its format.
        QTest::addRow("html report into a missing folder") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--report"_s, u"/no/such/dir/r.html"_s} << u"directory '/no/such/dir' does not exist"_s;
        QTest::addRow("pdf report over another program's file")
            << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db, u"--report"_s, m_dir.filePath(u"theirs.pdf"_s)}
            << u"not overwriting"_s;
        QTest::addRow("the same csv report named twice") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--report"_s, m_db + u".csv"_s, u"--report"_s, m_db + u".csv"_s}
                                                         << u"named as an output twice"_s;
        QTest::addRow("report --out in an unknown format")
            << QStringList {u"report"_s, m_db, u"--out"_s, u"x.doc"_s} << u"is not JSON"_s;
        QTest::addRow("warm-up keys file missing") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--set"_s, u"warmup.strategy=keys-file"_s, u"--set"_s, u"warmup.keys_file=/no/keys.txt"_s}
                                                   << u"warmup.keys_file: cannot open '/no/keys.txt'"_s;
        QTest::addRow("warm-up order by an unknown column") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--set"_s, u"warmup.strategy=query"_s, u"--set"_s,
            u"warmup.order_by=Price desc"_s} << u"'Price' is not a column of 'products' (did you mean 'price'?)"_s;
        QTest::addRow("bad warm-up strategy")
            << QStringList {u"run"_s, u"--set"_s, u"warmup.strategy=psychic"_s} << u"warmup.strategy"_s;
        // What is echoed of the user's input stays one short line.
        QTest::addRow("control characters in a name") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--set"_s, u"db.table=or\nders\x01"_s} << u"table 'or\\x0aders\\x01' does not exist"_s;
        QTest::addRow("a 100 KB name") << QStringList {u"run"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"db.table="_s + QString(100000, u'x')}
                                       << u"more characters)"_s;
        QTest::addRow("unknown preset") << QStringList {u"run"_s, u"tunde"_s}
                                        << u"'tunde' is neither a scenario file nor a preset (presets: default, "_s;
        QTest::addRow("missing scenario file")
            << QStringList {u"run"_s, u"/no/scenario.json"_s} << u"cannot read scenario '/no/scenario.json'"_s;
    }
    void badInputExitsTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const Outcome o = cachescope(arguments, 30000);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
        QCOMPARE(o.err.trimmed().count(u'\n'), 0); // one line
        QVERIFY2(o.err.size() < 2200, qPrintable(o.err.left(200)));
    }

    // A preset runs by its name; --list-presets names every one.
    void presetsRunByName_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<double>("value");
        QTest::addRow("default") << u"default"_s << u"l1"_s << 20000.0;
        QTest::addRow("seed-plan L1") << u"seed-plan"_s << u"l1"_s << 1000.0;
        QTest::addRow("seed-plan L2") << u"seed-plan"_s << u"l2"_s << 10000.0;
        QTest::addRow("tuned") << u"tuned"_s << u"l1"_s << 100000.0;
    }
    void presetsRunByName()
    {
        QFETCH(QString, preset);
        QFETCH(QString, setting);
        QFETCH(double, value);
        const Outcome o = cachescope({u"run"_s, preset, u"--print-scenario"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const QJsonObject cache = QJsonDocument::fromJson(o.out.toUtf8()).object().value(u"cache"_s).toObject();
        QCOMPARE(cache.value(setting).toObject().value(u"capacity"_s).toDouble(), value);
        const Outcome list = cachescope({u"run"_s, u"--list-presets"_s});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(u'\n' + preset + u' ') || list.out.startsWith(preset + u' '));
    }

    // The tuned preset measures every default criterion (whether each passes is a benchmark's
    // question, docs/benchmarks.md, not a timed test's): none is left "not measured".
    void tunedPresetMeasuresEveryCriterion()
    {
        const QString json = m_dir.filePath(u"tuned.json"_s);
        const Outcome o = cachescope({u"run"_s, u"tuned"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"duration.baseline=300ms"_s, u"--set"_s, u"duration.cached=1s"_s, u"--quiet"_s, u"--report"_s, json});
        QVERIFY2(o.exitCode == 0 || o.exitCode == 1 || o.exitCode == 4, qPrintable(o.err)); // a verdict
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(f.readAll()).object();
        const QJsonArray criteria = result.value(u"criteria"_s).toArray();
        QCOMPARE(criteria.size(), 6);
        for (const QJsonValue &c : criteria)
            QVERIFY2(c.toObject().value(u"measured"_s).isDouble(), qPrintable(c.toObject().value(u"kpi"_s).toString()));
        QVERIFY(result.value(u"hit_cost_model"_s).isObject());
    }

    void existingFileIsNotOverwritten()
    {
        const QByteArray before = [&] {
            QFile f(m_db);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        const Outcome o = cachescope({u"demo-db"_s, u"--rows"_s, u"5"_s, u"--out"_s, m_db});
        QCOMPARE(o.exitCode, 2);
        QVERIFY(o.err.contains(u"already exists"_s));
        QFile f(m_db);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    // A real run: exit 1 when a measured criterion is not met, summary printed, JSON and JUnit
    // written. Its criteria have certain outcomes: one met (any hit rate ≥ 0), one not met (no
    // cache is a thousand times faster here), one not measured (no warm-up).
    void runWritesReports()
    {
        const QString json = m_dir.filePath(u"result.json"_s);
        const QString junit = m_dir.filePath(u"result.xml"_s);
        const QString scenario = m_dir.filePath(u"criteria.json"_s);
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"criteria":[{"name":"some hits","kpi":"hit_rate","op":">=","target":0,"min_seconds":0.2},
                                {"name":"impossible","kpi":"throughput_ratio","op":">=","target":1000,"min_seconds":0.2},
                                {"name":"warm start","kpi":"cold_start_reduction","op":">=","target":0.5}]})");
        f.close();
        const Outcome o = cachescope({u"run"_s, scenario, u"--duration"_s, u"1"_s, u"--set"_s, u"db.path="_s + m_db,
            u"--set"_s, u"workload.keys=1000"_s, u"--set"_s, u"workload.concurrency=4"_s, u"--report"_s, json,
            u"--junit"_s, junit, u"--quiet"_s});
        QVERIFY2(o.exitCode == 1, qPrintable(o.err));
        QVERIFY(o.out.contains(u"baseline"_s) && o.out.contains(u"cached"_s) && o.out.contains(u"hit rate"_s));

        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(r.value(u"format_version"_s).toInt(), 1);
        QCOMPARE(r.value(u"scenario"_s).toObject().value(u"db"_s).toObject().value(u"path"_s).toString(), m_db);
        QCOMPARE(r.value(u"scenario"_s).toObject().value(u"duration"_s).toObject().value(u"baseline"_s).toString(),
            u"500ms"_s);
        for (const auto &key : {u"cpu"_s, u"cores"_s, u"os"_s, u"qt"_s, u"sqlite"_s})
            QVERIFY2(r.value(u"environment"_s).toObject().contains(key), qPrintable(key));
        const QJsonObject cached = r.value(u"phases"_s).toObject().value(u"cached"_s).toObject();
        const QJsonObject baseline = r.value(u"phases"_s).toObject().value(u"baseline"_s).toObject();
        for (const auto &key :
            {u"duration_s"_s, u"requests"_s, u"reads"_s, u"writes"_s, u"hits"_s, u"l1_hits"_s, u"l2_hits"_s,
                u"db_statements"_s, u"bytes_read"_s, u"p50_us"_s, u"p99_us"_s, u"p999_us"_s, u"max_us"_s}) {
            QVERIFY2(cached.contains(key), qPrintable(key));
            QVERIFY2(baseline.contains(key), qPrintable(key));
        }
        // Every read is a hit, a statement, or a wait for another client's statement.
        QCOMPARE(cached.value(u"hits"_s).toInteger() + cached.value(u"db_statements"_s).toInteger()
                + cached.value(u"coalesced_waits"_s).toInteger(),
            cached.value(u"reads"_s).toInteger());
        QCOMPARE(baseline.value(u"db_statements"_s).toInteger(), baseline.value(u"requests"_s).toInteger());
        const QJsonObject kpis = r.value(u"kpis"_s).toObject();
        QCOMPARE(kpis.value(u"hit_rate"_s).toDouble(),
            double(cached.value(u"hits"_s).toInteger()) / double(cached.value(u"reads"_s).toInteger()));
        QVERIFY(kpis.value(u"transfer_reduction"_s).isNull());
        const QJsonArray criteria = r.value(u"criteria"_s).toArray();
        QCOMPARE(criteria.size(), 3);
        QCOMPARE(criteria.at(0).toObject().value(u"passed"_s), QJsonValue(true));
        QCOMPARE(criteria.at(1).toObject().value(u"passed"_s), QJsonValue(false));
        QVERIFY(criteria.at(2).toObject().value(u"passed"_s).isNull());
        QCOMPARE(r.value(u"passed"_s).toBool(), false);
        QCOMPARE(r.value(u"segments"_s).toArray().size(), 2);

        QFile xmlFile(junit);
        QVERIFY(xmlFile.open(QIODevice::ReadOnly));
        QDomDocument xml;
        QVERIFY(xml.setContent(&xmlFile));
        const QDomElement suite = xml.documentElement();
        QCOMPARE(suite.tagName(), u"testsuite"_s);
        QCOMPARE(suite.attribute(u"tests"_s).toInt(), 3);
        QCOMPARE(suite.attribute(u"skipped"_s).toInt(), 1);
        QCOMPARE(suite.attribute(u"failures"_s).toInt(), 1);
        QCOMPARE(suite.attribute(u"errors"_s).toInt(), 0);
        QVERIFY(o.out.contains(u"result: FAIL"_s));
    }

    // Every format from one run, and the same files again from its saved result: `report` gives
    // byte-identical HTML, CSV and JUnit, and exits with the run's verdict.
    void reportRegeneratesEveryFormatFromTheResult()
    {
        const QString scenario = m_dir.filePath(u"formats.json"_s);
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"criteria":[{"name":"some hits","kpi":"hit_rate","op":">=","target":0,"min_seconds":0.2},
                                {"name":"impossible","kpi":"throughput_ratio","op":">=","target":1000,"min_seconds":0.2}]})");
        f.close();
        const QStringList formats {u"json"_s, u"html"_s, u"pdf"_s, u"csv"_s, u"txt"_s, u"xml"_s};
        QStringList args {u"run"_s, scenario, u"--duration"_s, u"1"_s, u"--set"_s, u"db.path="_s + m_db, u"--quiet"_s,
            u"--no-history"_s};
        for (const QString &format : formats)
            args << u"--report"_s << m_dir.filePath(u"run."_s + format);
        const Outcome o = cachescope(args);
        QVERIFY2(o.exitCode == 1, qPrintable(o.err));
        for (const QString &format : formats)
            QVERIFY2(QFileInfo(m_dir.filePath(u"run."_s + format)).size() > 0, qPrintable(format));
        QStringList again {u"report"_s, m_dir.filePath(u"run.json"_s)};
        for (const QString &format : {u"html"_s, u"csv"_s, u"xml"_s, u"pdf"_s})
            again << u"--out"_s << m_dir.filePath(u"again."_s + format);
        const Outcome r = cachescope(again);
        QVERIFY2(r.exitCode == 1, qPrintable(r.err));
        const auto bytes = [&](const QString &name) {
            QFile file(m_dir.filePath(name));
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        for (const QString &format : {u"html"_s, u"csv"_s, u"xml"_s}) {
            QVERIFY(!bytes(u"run."_s + format).isEmpty());
            QVERIFY2(bytes(u"run."_s + format) == bytes(u"again."_s + format), qPrintable(format));
        }
        QVERIFY(bytes(u"again.pdf"_s).startsWith("%PDF-"));
        QVERIFY(QString::fromUtf8(bytes(u"run.html"_s)).contains(u"some hits"_s));
        // A report cannot take an unknown format or the file it reads.
        QCOMPARE(
            cachescope({u"report"_s, m_dir.filePath(u"run.json"_s), u"--out"_s, m_dir.filePath(u"x.doc"_s)}).exitCode,
            2);
        QCOMPARE(cachescope({u"report"_s, m_dir.filePath(u"run.json"_s), u"--out"_s, m_dir.filePath(u"run.json"_s)})
                     .exitCode,
            2);
    }

    void kpisFollowFromTheCounts_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::addRow("read-only") << QStringList {};
        QTest::newRow("20 % writes") << QStringList {u"workload.read_ratio=0.8"_s};
        QTest::addRow("batched loads") << QStringList {u"cache.batch_loads=true"_s, u"cache.l1.capacity=300"_s};
        QTest::addRow("L1 and L2") << QStringList {u"cache.l1.capacity=100"_s, u"cache.l2.capacity=1000"_s};
    }
    // Real runs of several shapes: the counters of each phase add up, and each KPI in the JSON
    // is its formula over the phase counts written beside it (hits over reads, statements per
    // request, requests per second). A criterion any run meets makes the exit code certain.
    void kpisFollowFromTheCounts()
    {
        QFETCH(QStringList, settings);
        const QString scenario = m_dir.filePath(u"any-run.json"_s);
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"criteria":[{"name":"some hits","kpi":"hit_rate","op":">=","target":0,"min_seconds":0.5}]})");
        f.close();
        const QString json = m_dir.filePath(u"kpis.json"_s);
        QStringList args {u"run"_s, scenario, u"--duration"_s, u"1"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"workload.keys=2000"_s, u"--report"_s, json, u"--quiet"_s};
        for (const QString &setting : settings)
            args << u"--set"_s << setting;
        const Outcome o = cachescope(args);
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonObject phases = r.value(u"phases"_s).toObject();
        const QJsonObject kpis = r.value(u"kpis"_s).toObject();
        auto n = [](const QJsonObject &p, const QString &key) { return double(p.value(key).toInteger()); };
        const QJsonObject base = phases.value(u"baseline"_s).toObject();
        const QJsonObject tuned = phases.value(u"cached"_s).toObject();
        for (const QJsonObject &p : {base, tuned}) {
            QVERIFY(n(p, u"requests"_s) > 0);
            QCOMPARE(n(p, u"reads"_s) + n(p, u"writes"_s), n(p, u"requests"_s));
            QCOMPARE(n(p, u"hits"_s) + n(p, u"misses"_s), n(p, u"reads"_s));
            QCOMPARE(n(p, u"l1_hits"_s) + n(p, u"l2_hits"_s), n(p, u"hits"_s));
        }
        QCOMPARE(n(base, u"db_statements"_s), n(base, u"requests"_s)); // uncached: one statement each
        QVERIFY(n(tuned, u"db_statements"_s) <= n(tuned, u"misses"_s) + n(tuned, u"writes"_s));
        if (settings.contains(u"workload.read_ratio=0.8"_s))
            QVERIFY(n(tuned, u"writes"_s) > 0.1 * n(tuned, u"requests"_s));
        if (settings.contains(u"cache.l2.capacity=1000"_s))
            QVERIFY(n(tuned, u"l2_hits"_s) > 0);
        auto near = [](double a, double b) { return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)); };
        const double hitRate = n(tuned, u"hits"_s) / n(tuned, u"reads"_s);
        QVERIFY2(near(kpis.value(u"hit_rate"_s).toDouble(), hitRate), qPrintable(QString::number(hitRate)));
        const double perRequest = (n(tuned, u"db_statements"_s) / n(tuned, u"requests"_s))
            / (n(base, u"db_statements"_s) / n(base, u"requests"_s));
        QVERIFY(near(kpis.value(u"db_query_reduction"_s).toDouble(), 1.0 - perRequest));
        const double throughput = (n(tuned, u"requests"_s) / tuned.value(u"duration_s"_s).toDouble())
            / (n(base, u"requests"_s) / base.value(u"duration_s"_s).toDouble());
        QVERIFY2(std::abs(kpis.value(u"throughput_ratio"_s).toDouble() - throughput) <= 1e-3 * throughput,
            qPrintable(u"%1 vs %2"_s.arg(kpis.value(u"throughput_ratio"_s).toDouble()).arg(throughput)));
        const double p50 = 1.0 - tuned.value(u"p50_us"_s).toDouble() / base.value(u"p50_us"_s).toDouble();
        QVERIFY2(std::abs(kpis.value(u"p50_reduction"_s).toDouble() - p50) <= 0.02,
            qPrintable(u"%1 vs %2"_s.arg(kpis.value(u"p50_reduction"_s).toDouble()).arg(p50)));
        QCOMPARE(r.value(u"passed"_s).toBool(), true);
    }

    void badTableOrKeyExitsTwo_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing table") << u"db.table=orders"_s << u"table 'orders' does not exist"_s;
        QTest::addRow("missing key column") << u"db.key=uuid"_s << u"key column 'uuid' is not a column"_s;
        QTest::addRow("unknown field") << u"workload.fields=name,colour"_s
                                       << u"workload.fields: bad field list for table 'products': 'colour' is not a "
                                          "column of 'products'"_s;
        QTest::addRow("trace without a file")
            << u"workload.distribution=trace"_s << u"workload.trace: the trace distribution needs a trace file"_s;
        QTest::addRow("injected field") << u"workload.fields=name\" FROM products; --"_s
                                        << u"'name\" FROM products; --' is not a column"_s;
    }
    // A table, key or field that is not in the database is bad input, found before anything runs.
    void badTableOrKeyExitsTwo()
    {
        QFETCH(QString, setting);
        QFETCH(QString, expected);
        const Outcome o = cachescope(
            {u"run"_s, u"--duration"_s, u"1"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s, setting, u"--quiet"_s});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
    }

    // A scenario file's scheduled change: applied headless at its time, a segment of its own.
    void scheduledChangeMakesASegment()
    {
        const QString scenario = m_dir.filePath(u"changes.json"_s);
        QFile f(scenario);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"workload":{"keys":1500,"concurrency":4},"cache":{"l1":{"capacity":50}},
                   "duration":{"baseline":"300ms","cached":"1200ms"},
                   "changes":[{"phase":"cached","at":"500ms","set":["cache.l1.capacity=1500"]}],
                   "criteria":[{"name":"some hits","kpi":"hit_rate","op":">=","target":0,"min_seconds":0.5}]})");
        f.close();
        const QString json = m_dir.filePath(u"changes-result.json"_s);
        const Outcome o
            = cachescope({u"run"_s, scenario, u"--set"_s, u"db.path="_s + m_db, u"--report"_s, json, u"--quiet"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err)); // its one criterion is met by any run
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject r = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray segments = r.value(u"segments"_s).toArray();
        QCOMPARE(segments.size(), 3);
        const QJsonObject last = segments.at(2).toObject();
        QCOMPARE(last.value(u"change"_s).toString(), u"cache.l1.capacity=1500"_s);
        QCOMPARE(last.value(u"phase"_s).toString(), u"cached"_s);
        QVERIFY(last.value(u"start_s"_s).toDouble() > segments.at(1).toObject().value(u"start_s"_s).toDouble() + 0.4);
        const QJsonArray changes = r.value(u"scenario"_s).toObject().value(u"changes"_s).toArray();
        QCOMPARE(changes.size(), 1);
    }

    // The same cycle of keys as text, as oracleGeneral records and compressed with zstd: simulate
    // finds the same hits in each, and a run replays each onto the table.
    void tracesOfEveryFormatSimulateAndRun_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("compressed");
        QTest::addRow("keys") << u"keys"_s << false;
        QTest::addRow("keys, zstd") << u"keys"_s << true;
        QTest::addRow("oracleGeneral") << u"oracleGeneral"_s << false;
        QTest::addRow("oracleGeneral, zstd") << u"oracleGeneral"_s << true;
    }
    void tracesOfEveryFormatSimulateAndRun()
    {
        QFETCH(QString, format);
        QFETCH(bool, compressed);
        QString trace = m_dir.filePath(u"cycle."_s + format);
        QFile f(trace);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (std::uint32_t i = 0; i < 3000; ++i) {
            const std::uint64_t key = 1000 + i % 50; // 50 keys in a cycle
            if (format == u"keys"_s) {
                f.write(QByteArray::number(qulonglong(key)) + '\n');
            } else {
                const std::uint32_t size = 100;
                const std::int64_t next = -1;
                f.write(reinterpret_cast<const char *>(&i), 4);
                f.write(reinterpret_cast<const char *>(&key), 8);
                f.write(reinterpret_cast<const char *>(&size), 4);
                f.write(reinterpret_cast<const char *>(&next), 8);
            }
        }
        f.close();
        if (compressed) {
            QProcess zstd;
            zstd.start(u"zstd"_s, {u"-q"_s, u"-f"_s, u"--rm"_s, trace, u"-o"_s, trace + u".zst"_s});
            QVERIFY(zstd.waitForFinished(30000) && zstd.exitCode() == 0);
            trace += u".zst"_s;
        }
        const Outcome sim = cachescope({u"simulate"_s, u"--trace"_s, trace, u"--format"_s, format, u"--policy"_s,
            u"lru"_s, u"--capacity"_s, u"49,50"_s, u"--json"_s});
        QVERIFY2(sim.exitCode == 0, qPrintable(sim.err));
        const QStringList lines = sim.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(QJsonDocument::fromJson(lines[0].toUtf8()).object().value(u"hits"_s).toInt(), 0); // LRU on a cycle
        QCOMPARE(QJsonDocument::fromJson(lines[1].toUtf8()).object().value(u"hits"_s).toInt(), 3000 - 50);

        const QString json = m_dir.filePath(u"trace-run.json"_s);
        const Outcome run = cachescope({u"run"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"workload.distribution=trace"_s, u"--set"_s, u"workload.trace="_s + trace, u"--set"_s,
            u"workload.trace_format="_s + format, u"--set"_s, u"duration.baseline=200ms"_s, u"--set"_s,
            u"duration.cached=300ms"_s, u"--quiet"_s, u"--report"_s, json});
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1 || run.exitCode == 4, qPrintable(run.err)); // a verdict
        QFile r(json);
        QVERIFY(r.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(r.readAll()).object();
        QVERIFY(result.value(u"error"_s).isNull());
        QVERIFY(result.value(u"phases"_s).toObject().value(u"cached"_s).toObject().value(u"requests"_s).toInt() > 0);
    }

    // simulate: one JSON object per policy and capacity; bad lines counted and named.
    void simulateReportsHitRatios()
    {
        const QString trace = m_dir.filePath(u"trace.keys"_s);
        QFile f(trace);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // 1 2 3 1 2 3 ...: with capacity 3 every request after the first three hits.
        for (int i = 0; i < 30; ++i)
            f.write(QByteArray::number(i % 3 + 1) + '\n');
        f.write("not-a-key\n\n");
        f.close();
        const Outcome o = cachescope({u"simulate"_s, u"--trace"_s, trace, u"--policy"_s, u"lru,s3fifo"_s,
            u"--capacity"_s, u"2,3"_s, u"--json"_s});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(
            o.err.contains(u"1 bad line(s) of 31"_s) && o.err.contains(u"line 31: 'not-a-key'"_s), qPrintable(o.err));
        const QStringList lines = o.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 4);
        const QJsonObject lru3 = QJsonDocument::fromJson(lines[1].toUtf8()).object();
        QCOMPARE(lru3.value(u"policy"_s).toString(), u"lru"_s);
        QCOMPARE(lru3.value(u"capacity"_s).toInt(), 3);
        QCOMPARE(lru3.value(u"requests"_s).toInt(), 30);
        QCOMPARE(lru3.value(u"hits"_s).toInt(), 27);
        QCOMPARE(lru3.value(u"hit_ratio"_s).toDouble(), 0.9);
        // LRU with 2 entries on a cycle of 3 never hits.
        QCOMPARE(QJsonDocument::fromJson(lines[0].toUtf8()).object().value(u"hits"_s).toInt(), 0);
    }

    void simulateRejectsTraceWithoutKeys()
    {
        const QString trace = m_dir.filePath(u"garbage.keys"_s);
        QFile f(trace);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\nworld\n");
        f.close();
        const Outcome o
            = cachescope({u"simulate"_s, u"--trace"_s, trace, u"--policy"_s, u"lru"_s, u"--capacity"_s, u"10"_s});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(u"holds no valid key"_s), qPrintable(o.err));
    }

    // `run --list-settings`: one line per setting whose key, kind and default stand in columns
    // apart (at least two spaces: "invalidatewhat a write…" ran together), and numbers in their
    // shortest form (not 9.9999999999999995e-07).
    void listSettingsKeepsColumnsApart()
    {
        const Outcome o = cachescope({u"run"_s, u"--list-settings"_s});
        QCOMPARE(o.exitCode, 0);
        const QStringList lines = o.out.split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() > 40);
        const qsizetype kindColumn = lines.first().indexOf(u"text"_s);
        QVERIFY(kindColumn > 0);
        for (const QString &line : lines) {
            QVERIFY2(line.mid(kindColumn - 2, 2) == u"  "_s, qPrintable(line));
            const QStringList columns = line.split(u"  "_s, Qt::SkipEmptyParts);
            QVERIFY2(columns.size() >= 4, qPrintable(line));
            QVERIFY2(!line.contains(QRegularExpression(u"\\.\\d*(0{6}|9{6})"_s)), qPrintable(line));
        }
        QVERIFY(o.out.contains(u"invalidate  "_s));
        QVERIFY(o.out.contains(u"(1e-06 … 1)"_s));
    }

    void helpAndVersion()
    {
        const Outcome help = cachescope({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"cachescope run"_s));
        const Outcome version = cachescope({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(u"cachescope "_s));
        const Outcome runHelp = cachescope({u"run"_s, u"--help"_s});
        QCOMPARE(runHelp.exitCode, 0);
        QVERIFY(runHelp.out.contains(u"--set"_s));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
