// Report writers: JSON and JUnit files are complete and parseable; unsupported formats and
// unwritable paths are refused with the path named.
#include "core/report/reportwriter.h"

#include <QDomDocument>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

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
        QVERIFY(r.passed);
        int measured = 0;
        for (const CriterionResult &c : r.criteria)
            measured += c.measured ? 1 : 0;
        QCOMPARE(measured, 4);
    }

    void jsonReportIsComplete()
    {
        const QString path = m_dir.filePath(u"r.json"_s);
        QCOMPARE(ReportWriter::write(sampleResult(), path), QString());
        const QJsonObject json = QJsonDocument::fromJson(readAll(path)).object();
        QCOMPARE(json.value(u"format_version"_s).toInt(), 1);
        QCOMPARE(json.value(u"kpis"_s).toObject().value(u"hit_rate"_s).toDouble(), 0.995);
        QVERIFY(json.value(u"kpis"_s).toObject().value(u"cold_start_reduction"_s).isNull());
        QCOMPARE(json.value(u"passed"_s).toBool(), true);
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

    void badPathsAreNamed_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unsupported format") << u"r.docx"_s << u"unsupported format '.docx'"_s;
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

    void textSummaryNamesEveryCriterion()
    {
        const QString text = ReportWriter::textSummary(sampleResult());
        for (const Criterion &c : Scenario::defaultCriteria())
            QVERIFY2(text.contains(c.name), qPrintable(c.name));
        QVERIFY(text.contains(u"not measured"_s));
        QVERIFY(text.contains(u"result: PASS"_s));
    }
};

QTEST_GUILESS_MAIN(TestReportWriter)
#include "tst_reportwriter.moc"
