// The saved-run commands as a user runs them: `run` saves into the history, `history
// list|show|export|delete`, `compare` with its regression exit code, and `report` regenerating a
// result's reports; bad input exits 2 naming it.
#include "clirunner.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestHistoryCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_history;

    QStringList runArgs(const QString &capacity, const QString &label) const
    {
        return {u"run"_s, u"--duration"_s, u"0.6"_s, u"--quiet"_s, u"--set"_s, u"db.path="_s + m_db, u"--set"_s,
            u"workload.keys=1000"_s, u"--set"_s, u"workload.concurrency=4"_s, u"--set"_s,
            u"cache.l1.capacity="_s + capacity, u"--history"_s, m_history, u"--label"_s, label};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"small.db"_s);
        m_history = m_dir.filePath(u"history.sqlite"_s);
        const CliOutcome created = runCachescope({u"demo-db"_s, u"--rows"_s, u"2000"_s, u"--out"_s, m_db});
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    }

    // Two runs saved; list, show and export them; the export is the run's own report; delete.
    void runsAreSavedListedShownExportedAndDeleted()
    {
        const QString report = m_dir.filePath(u"big.json"_s);
        CliOutcome o = runCachescope(runArgs(u"1000"_s, u"big"_s) + QStringList {u"--report"_s, report});
        QVERIFY2(o.exitCode == 0 || o.exitCode == 1 || o.exitCode == 4, qPrintable(o.err)); // a verdict
        o = runCachescope(runArgs(u"20"_s, u"tiny"_s));
        QVERIFY2(o.exitCode == 0 || o.exitCode == 1 || o.exitCode == 4, qPrintable(o.err)); // a verdict

        o = runCachescope({u"history"_s, u"list"_s, u"--json"_s, u"--history"_s, m_history});
        QCOMPARE(o.exitCode, 0);
        const QStringList lines = o.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject newest = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
        const QJsonObject oldest = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
        QCOMPARE(newest.value(u"label"_s).toString(), u"tiny"_s);
        QCOMPARE(oldest.value(u"label"_s).toString(), u"big"_s);
        QCOMPARE(oldest.value(u"source"_s).toString(), u"cli"_s);
        QVERIFY(oldest.value(u"settings"_s).toArray().contains(u"cache.l1.capacity=1000"_s));
        const QJsonObject saved = readJson(report);
        QCOMPARE(oldest.value(u"kpis"_s).toObject().value(u"hit_rate"_s),
            saved.value(u"kpis"_s).toObject().value(u"hit_rate"_s));
        const QString bigId = QString::number(oldest.value(u"id"_s).toInteger());
        const QString tinyId = QString::number(newest.value(u"id"_s).toInteger());

        o = runCachescope({u"history"_s, u"list"_s, u"--history"_s, m_history});
        QVERIFY(o.out.contains(u"big"_s) && o.out.contains(u"tiny"_s) && o.out.contains(u"hit rate"_s));

        o = runCachescope({u"history"_s, u"show"_s, bigId, u"--history"_s, m_history});
        QCOMPARE(o.exitCode, 0);
        QVERIFY2(o.out.contains(u"run "_s + bigId + u" · big"_s) && o.out.contains(u"Hit rate"_s), qPrintable(o.out));

        const QString exported = m_dir.filePath(u"exported.json"_s);
        const QString junit = m_dir.filePath(u"exported.xml"_s);
        o = runCachescope(
            {u"history"_s, u"export"_s, bigId, u"--out"_s, exported, u"--out"_s, junit, u"--history"_s, m_history});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QCOMPARE(readJson(exported), saved); // the same result, field for field
        QVERIFY(fileBytes(junit).contains("<testsuite"));

        // compare: the tiny cache's hit rate is lower, so with no tolerance it is a regression.
        o = runCachescope(
            {u"compare"_s, bigId, tinyId, u"--history"_s, m_history, u"--fail-on-regression"_s, u"hit_rate"_s});
        QVERIFY2(o.exitCode == 1, qPrintable(o.out + o.err));
        QVERIFY(o.out.contains(u"REGRESSION  hit_rate in #"_s + tinyId));
        QVERIFY(o.out.contains(u"cache.l1.capacity: 1000 | 20"_s));
        // The other way round it is an improvement; a result file and a run number mix.
        o = runCachescope({u"compare"_s, tinyId, report, u"--history"_s, m_history, u"--fail-on-regression"_s,
            u"hit_rate"_s, u"--json"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.out + o.err));
        const QJsonObject comparison = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(comparison.value(u"runs"_s).toArray().at(1).toString(), u"big.json"_s);
        QVERIFY(comparison.value(u"regressions"_s).toArray().isEmpty());
        // Written to files as well, each in its format; again over its own files.
        const QString page = m_dir.filePath(u"comparison.html"_s);
        const QString data = m_dir.filePath(u"comparison.json"_s);
        const QString table = m_dir.filePath(u"comparison.txt"_s);
        for (int pass = 0; pass < 2; ++pass) {
            o = runCachescope({u"compare"_s, bigId, tinyId, u"--history"_s, m_history, u"--noise-floor"_s, u"0.05"_s,
                u"--out"_s, page, u"--out"_s, data, u"--out"_s, table});
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        }
        QVERIFY(fileBytes(page).contains("<h1>CacheScope comparison</h1>"));
        QCOMPARE(readJson(data).value(u"noise_floor"_s).toDouble(), 0.05);
        QVERIFY(fileBytes(table).startsWith("CacheScope comparison of #"));

        o = runCachescope({u"history"_s, u"delete"_s, tinyId, u"--history"_s, m_history});
        QCOMPARE(o.exitCode, 0);
        o = runCachescope({u"history"_s, u"list"_s, u"--json"_s, u"--history"_s, m_history});
        QCOMPARE(o.out.trimmed().split(u'\n').size(), 1);
        o = runCachescope({u"history"_s, u"show"_s, tinyId, u"--history"_s, m_history});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(u"no run "_s + tinyId), qPrintable(o.err));
    }

    // `report` writes a saved result's reports again: the same JSON, the run's verdict as exit code.
    void reportRegeneratesTheSameResult()
    {
        const QString first = m_dir.filePath(u"first.json"_s);
        QStringList args = runArgs(u"1000"_s, u"r"_s);
        args.removeAt(args.indexOf(u"--history"_s) + 1);
        args.removeOne(u"--history"_s);
        const CliOutcome o = runCachescope(args + QStringList {u"--report"_s, first, u"--no-history"_s});
        QVERIFY2(o.exitCode == 0 || o.exitCode == 1 || o.exitCode == 4, qPrintable(o.err)); // a verdict
        const QString again = m_dir.filePath(u"again.json"_s);
        const CliOutcome r = runCachescope({u"report"_s, first, u"--out"_s, again});
        QCOMPARE(r.exitCode, o.exitCode);
        QCOMPARE(readJson(again), readJson(first));
        QVERIFY(r.out.contains(u"result: "_s));
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("expected");
        const QString h = m_dir.filePath(u"bad-history.sqlite"_s);
        QTest::newRow("no action") << QStringList {u"history"_s, u"--history"_s, h} << u"an action is required"_s;
        QTest::newRow("unknown action") << QStringList {u"history"_s, u"purge"_s, u"--history"_s, h}
                                        << u"unknown action 'purge'"_s;
        QTest::newRow("id not a number") << QStringList {u"history"_s, u"show"_s, u"last"_s, u"--history"_s, h}
                                         << u"'last' is not a run number"_s;
        QTest::newRow("no such run") << QStringList {u"history"_s, u"show"_s, u"99"_s, u"--history"_s, h}
                                     << u"no run 99"_s;
        QTest::newRow("export without --out")
            << QStringList {u"history"_s, u"export"_s, u"1"_s, u"--history"_s, h} << u"--out FILE is required"_s;
        QTest::newRow("history is not CacheScope's")
            << QStringList {u"history"_s, u"list"_s, u"--history"_s, m_db} << u"not a CacheScope history file"_s;
        QTest::newRow("run with a foreign history")
            << QStringList {u"run"_s, u"--history"_s, m_db} << u"not a CacheScope history file"_s;
        QTest::newRow("--history with --no-history")
            << QStringList {u"run"_s, u"--history"_s, h, u"--no-history"_s} << u"contradict each other"_s;
        QTest::newRow("compare one run") << QStringList {u"compare"_s, u"1"_s} << u"give 2 to 5 runs, not 1"_s;
        QTest::newRow("compare a missing thing") << QStringList {u"compare"_s, u"/no/a.json"_s, u"/no/b.json"_s}
                                                 << u"'/no/a.json' is neither a result file nor a history run number"_s;
        QTest::newRow("compare a non-result") << QStringList {u"compare"_s, m_db, m_db} << u"is not JSON"_s;
        QTest::newRow("unknown regression figure") << QStringList {u"compare"_s, u"1"_s, u"2"_s,
            u"--fail-on-regression"_s, u"speed"_s} << u"'speed' is not a figure"_s;
        QTest::newRow("noise floor of 200 %") << QStringList {u"compare"_s, u"1"_s, u"2"_s, u"--noise-floor"_s, u"2"_s}
                                              << u"--noise-floor must be a fraction"_s;
        QTest::newRow("comparison as a PDF") << QStringList {u"compare"_s, u"1"_s, u"2"_s, u"--out"_s, u"c.pdf"_s}
                                             << u"written as .html, .json or .txt"_s;
        QTest::newRow("report without --out") << QStringList {u"report"_s, m_db} << u"--out FILE is required"_s;
        QTest::newRow("report over the database")
            << QStringList {u"report"_s, m_db, u"--out"_s, u"x.json"_s} << u"is not JSON"_s;
    }
    void badInputExitsTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, expected);
        const QByteArray dbBefore = fileBytes(m_db);
        const CliOutcome o = runCachescope(arguments, 30000);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(expected), qPrintable(o.err));
        QCOMPARE(o.err.trimmed().count(u'\n'), 0);
        QCOMPARE(fileBytes(m_db), dbBefore); // the database named as a history is left alone
    }
};

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_historycli.moc"
