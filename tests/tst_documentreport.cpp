// The HTML and PDF reports: well-formed and self-contained, holding every criterion with its
// verdict and the command that reproduces the run; the same result (or its saved JSON) gives the
// same HTML; the PDF opens and its text can be searched.
#include "core/io/outputfile.h"
#include "core/report/reportwriter.h"
#include "ui/documentreport.h"
#include "ui/exportdialog.h"
#include "ui/language.h"

#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>
#include <QXmlStreamReader>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
// A run with a time series: 2 s of baseline, 3 s cached with a live change at 1.5 s, every
// 100 ms snapshot given; \a hitRate of the cached reads are hits.
RunResult makeRun(double hitRate, const QString &error = {})
{
    RunResult r;
    r.databasePath = u"/data/shop.db"_s;
    r.workers = 2;
    r.environment = QJsonObject {{u"cachescope"_s, u"9.9.9"_s}, {u"cpu"_s, u"Test CPU"_s}, {u"cores"_s, 2}};
    r.scenario.db.path = u"/data/shop.db"_s;
    r.finishedAt = QDateTime(QDate(2026, 12, 2), QTime(14, 30, 5, 250), Qt::UTC);
    PhaseResult baseline;
    PhaseResult cached;
    SegmentResult before;
    before.phase = Phase::Cached;
    SegmentResult after;
    after.phase = Phase::Cached;
    after.change = u"cache.l1.ttl=30s"_s;
    double runTime = 0.0;
    for (int i = 0; i < 50; ++i) {
        const bool isBaseline = i < 20;
        MetricsSnapshot s;
        s.phase = isBaseline ? Phase::Baseline : Phase::Cached;
        s.interval = 0.1;
        runTime += 0.1;
        s.runTime = runTime;
        s.phaseTime = isBaseline ? 0.1 * (i + 1) : 0.1 * (i - 19);
        s.requests = s.reads = isBaseline ? 1000 + i : 6000 + 10 * i;
        s.hits = s.l1Hits = isBaseline ? 0 : std::uint64_t(double(s.reads) * hitRate);
        s.misses = s.reads - s.hits;
        s.dbStatements = s.misses;
        s.bytesRead = 100 * s.misses;
        s.p50Nanos = isBaseline ? 40000 : 4000;
        s.p99Nanos = s.p999Nanos = s.maxNanos = 5 * s.p50Nanos;
        s.latencySumNanos = std::int64_t(s.requests) * s.p50Nanos;
        PhaseResult &p = isBaseline ? baseline : cached;
        static_cast<RequestCounts &>(p) += s;
        s.phaseRequests = p.requests;
        p.durationS += s.interval;
        for (int k = 0; k < 20; ++k)
            p.latency.record(k < 19 ? s.p50Nanos : s.p99Nanos);
        r.timeSeries.append(s);
        if (!isBaseline) {
            SegmentResult &g = s.phaseTime <= 1.5 + 1e-9 ? before : after;
            static_cast<RequestCounts &>(g.stats) += s;
            g.stats.durationS += s.interval;
            g.stats.latency.record(s.p50Nanos);
            g.startS = g.endS > 0 ? g.startS : runTime - s.interval;
            g.endS = runTime;
        }
    }
    SegmentResult base;
    base.phase = Phase::Baseline;
    base.startS = 0.0;
    base.endS = 2.0;
    base.stats = baseline;
    r.segments = {base, before, after};
    r.baseline = baseline;
    r.cached = cached;
    r.error = error;
    Criterion hit {u"cache hit rate"_s, u"hit_rate"_s, u">="_s, 0.9};
    Criterion speed {u"throughput vs baseline"_s, u"throughput_ratio"_s, u">="_s, 2.0};
    Criterion p99 {u"p99 under 1 ms"_s, u"p99_latency_ms"_s, u"<="_s, 1.0};
    Criterion bytes {u"bytes with the projection"_s, u"transfer_reduction"_s, u">="_s, 0.2};
    for (Criterion *c : {&hit, &speed, &p99, &bytes}) {
        c->minSeconds = 0.5;
        c->minRequests = 100;
    }
    r.scenario.criteria = {hit, speed, p99, bytes};
    r.evaluate();
    return r;
}

QString htmlOf(const RunResult &r)
{
    return QString::fromUtf8(DocumentReport::html(r));
}

QString run(const QString &program, const QStringList &arguments)
{
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}
} // namespace

class TestDocumentReport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        DocumentReport::registerFormats();
        QVERIFY(m_dir.isValid());
    }

    void htmlIsWellFormedAndSelfContained_data()
    {
        QTest::addColumn<double>("hitRate");
        QTest::addColumn<QString>("error");
        QTest::newRow("passing run") << 0.95 << QString();
        QTest::newRow("failing run") << 0.5 << QString();
        QTest::newRow("run that failed") << 0.95 << u"database is locked <&>"_s;
    }
    void htmlIsWellFormedAndSelfContained()
    {
        QFETCH(double, hitRate);
        QFETCH(QString, error);
        const QString html = htmlOf(makeRun(hitRate, error));
        QXmlStreamReader xml(html);
        int svgs = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            svgs += xml.name() == u"svg"_s ? 1 : 0;
            // Nothing the page shows comes from elsewhere: no scripts, links, frames or remote images.
            static const QStringList remote {u"script"_s, u"link"_s, u"iframe"_s, u"object"_s, u"embed"_s};
            QVERIFY2(!remote.contains(xml.name()), qPrintable(xml.name().toString()));
            for (const QXmlStreamAttribute &a : xml.attributes()) {
                if (a.name() == u"src"_s || a.name() == u"href"_s)
                    QVERIFY2(a.value().startsWith(u'#'), qPrintable(a.value().toString()));
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + u" at line %1"_s.arg(xml.lineNumber())));
        QCOMPARE(svgs, 6); // every chart, inline
        QVERIFY(!html.contains(u"@import"_s));
        QVERIFY(!html.contains(QRegularExpression(u"url\\((?!#)"_s)));
        // Element ids are unique in the page (the charts' gradients included).
        QRegularExpression id(u"\\bid=\"([^\"]+)\""_s);
        QStringList ids;
        for (auto it = id.globalMatch(html); it.hasNext();)
            ids << it.next().captured(1);
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    }

    void htmlHoldsEveryCriterionAndHowToReproduce_data()
    {
        QTest::addColumn<double>("hitRate");
        QTest::addColumn<QString>("overall");
        QTest::addColumn<QStringList>("verdicts"); // per criterion, in order
        QTest::newRow("hit rate met") << 0.95 << u"INCONCLUSIVE"_s
                                      << QStringList {u"PASS"_s, u"PASS"_s, u"PASS"_s, u"INCONCLUSIVE"_s};
        QTest::newRow("hit rate short") << 0.5 << u"FAIL"_s
                                        << QStringList {u"FAIL"_s, u"PASS"_s, u"PASS"_s, u"INCONCLUSIVE"_s};
    }
    void htmlHoldsEveryCriterionAndHowToReproduce()
    {
        QFETCH(double, hitRate);
        QFETCH(QString, overall);
        QFETCH(QStringList, verdicts);
        const RunResult r = makeRun(hitRate);
        const QString html = htmlOf(r);
        QVERIFY2(html.contains(u"<p class=\"verdict "_s + overall.toLower() + u"\">"_s + overall), qPrintable(overall));
        // The verdict comes before any criterion.
        QVERIFY(html.indexOf(u"class=\"verdict"_s) < html.indexOf(r.criteria.first().criterion.name));
        qsizetype from = html.indexOf(u"<h2>Acceptance criteria</h2>"_s);
        QVERIFY(from > 0);
        for (qsizetype i = 0; i < r.criteria.size(); ++i) {
            from = html.indexOf(r.criteria.at(i).criterion.name.toHtmlEscaped(), from);
            QVERIFY2(from > 0, qPrintable(r.criteria.at(i).criterion.name));
            const qsizetype rowEnd = html.indexOf(u"</tr>"_s, from);
            const QString row = html.mid(from, rowEnd - from);
            QVERIFY2(row.contains(u">"_s + verdicts.at(i) + u"<"_s), qPrintable(row));
        }
        QVERIFY(html.contains(u"cache.l1.ttl=30s"_s)); // the live change's segment
        // How to reproduce: the command, and the scenario it runs, embedded whole.
        QRegularExpression pre(u"<pre id=\"scenario\">(.*?)</pre>"_s, QRegularExpression::DotMatchesEverythingOption);
        const QRegularExpressionMatch m = pre.match(html);
        QVERIFY(m.hasMatch());
        QTextDocument unescape;
        unescape.setHtml(u"<pre>"_s + m.captured(1) + u"</pre>"_s);
        const QJsonDocument embedded = QJsonDocument::fromJson(unescape.toPlainText().toUtf8());
        QCOMPARE(embedded.object(), r.scenario.toJson());
        QVERIFY(html.contains(u"<pre id=\"reproduce\">cachescope run scenario.json"_s));
        QVERIFY(html.contains(u"Test CPU"_s)); // the environment
        // When it finished, in the user's time zone and the locale's format.
        QVERIFY(html.contains(QLocale().toString(r.finishedAt.toLocalTime(), QLocale::LongFormat).toHtmlEscaped()));
    }

    void htmlOfASavedResultIsTheSame()
    {
        const RunResult r = makeRun(0.95);
        const QByteArray first = DocumentReport::html(r);
        QCOMPARE(DocumentReport::html(r), first);
        // What `cachescope report RESULT.json --out x.html` does: the saved JSON, read back.
        const QByteArray json = QJsonDocument(r.toJson()).toJson();
        const RunResult again = RunResult::fromJson(QJsonDocument::fromJson(json).object());
        const QByteArray second = DocumentReport::html(again);
        if (second != first) {
            const QList<QByteArray> a = first.split('\n');
            const QList<QByteArray> b = second.split('\n');
            for (qsizetype i = 0; i < std::min(a.size(), b.size()); ++i)
                QVERIFY2(a.at(i) == b.at(i),
                    qPrintable(u"line %1: %2 | %3"_s.arg(i + 1).arg(
                        QString::fromUtf8(a.at(i).left(200)), QString::fromUtf8(b.at(i).left(200)))));
        }
        QCOMPARE(second, first);
    }

    void pdfOpensAndItsTextHoldsEveryCriterion_data()
    {
        QTest::addColumn<double>("hitRate");
        QTest::newRow("passing") << 0.95;
        QTest::newRow("failing") << 0.5;
    }
    void pdfOpensAndItsTextHoldsEveryCriterion()
    {
        QFETCH(double, hitRate);
        const RunResult r = makeRun(hitRate);
        const QString path = m_dir.filePath(u"report-%1.pdf"_s.arg(QString::fromUtf8(QTest::currentDataTag())));
        QCOMPARE(ReportWriter::write(r, path), QString());
        const QString info = run(u"pdfinfo"_s, {path});
        QVERIFY2(info.contains(u"Creator:"_s) && info.contains(u"CacheScope"_s), qPrintable(info));
        QVERIFY(info.contains(QRegularExpression(u"Pages:\\s+[1-9]"_s)));
        QVERIFY(OutputFile::holdsOwnFile(path, OutputKind::PdfReport)); // so a later report replaces it
        const QString text = run(u"pdftotext"_s, {u"-layout"_s, path, u"-"_s}).simplified();
        for (const CriterionResult &c : r.criteria)
            QVERIFY2(text.contains(c.criterion.name), qPrintable(c.criterion.name));
        QVERIFY(text.contains(verdictName(r.verdict).toUpper()));
        QVERIFY(text.contains(u"cachescope run scenario.json"_s));
        QCOMPARE(ReportWriter::write(r, path), QString()); // its own file: replaced
        // A failed run does not replace it unless asked: the PDF says whether its run failed.
        QVERIFY(ReportWriter::holdsSuccessfulReport(path, ReportWriter::Format::Pdf));
        const QString failedPath = m_dir.filePath(u"failed-%1.pdf"_s.arg(QString::fromUtf8(QTest::currentDataTag())));
        QCOMPARE(ReportWriter::write(makeRun(hitRate, u"database is locked"_s), failedPath), QString());
        QVERIFY(!ReportWriter::holdsSuccessfulReport(failedPath, ReportWriter::Format::Pdf));
    }

    // File → Export Report…: the chosen formats under one name; a refused file stops all of them
    // before any is written.
    void exportDialogWritesTheChosenFormats_data()
    {
        QTest::addColumn<QStringList>("formats");
        QTest::addColumn<bool>("foreignPdf"); // another program's file where the PDF goes
        QTest::newRow("documents") << QStringList {u"html"_s, u"pdf"_s} << false;
        QTest::newRow("data") << QStringList {u"json"_s, u"csv"_s, u"xml"_s, u"txt"_s} << false;
        QTest::newRow("every format") << QStringList {u"html"_s, u"pdf"_s, u"json"_s, u"csv"_s, u"xml"_s, u"txt"_s}
                                      << false;
        QTest::newRow("one refused") << QStringList {u"html"_s, u"json"_s, u"pdf"_s} << true;
    }
    void exportDialogWritesTheChosenFormats()
    {
        QFETCH(QStringList, formats);
        QFETCH(bool, foreignPdf);
        const QString base = m_dir.filePath(u"export-%1"_s.arg(QString::fromUtf8(QTest::currentDataTag())));
        if (foreignPdf) {
            QFile f(base + u".pdf"_s);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("%PDF-1.5 theirs\n");
        }
        ExportDialog dialog(makeRun(0.95), u"the test run"_s);
        dialog.setBaseName(base);
        dialog.setFormats(formats);
        QCOMPARE(dialog.paths().size(), formats.size());
        const QString problem = dialog.exportAll();
        QCOMPARE(problem.isEmpty(), !foreignPdf);
        for (const QString &format : formats) {
            const QFileInfo file(base + u'.' + format);
            if (foreignPdf && format == u"pdf"_s)
                QCOMPARE(file.size(), qint64(16)); // theirs, untouched
            else
                QVERIFY2(file.exists() != foreignPdf, qPrintable(file.filePath()));
        }
    }

    void previewShowsTheReport()
    {
        const RunResult r = makeRun(0.5);
        ExportDialog dialog(r, u"the test run"_s);
        QDialog *preview = dialog.preview();
        auto *text = preview->findChild<QTextBrowser *>(u"reportPreviewText"_s);
        QVERIFY(text);
        const QString shown = text->toPlainText();
        QVERIFY(shown.contains(u"FAIL"_s));
        for (const CriterionResult &c : r.criteria)
            QVERIFY2(shown.contains(c.criterion.name), qPrintable(c.criterion.name));
        preview->close();
    }

    // The report speaks the window's language; the result JSON and the command line's texts do not.
    void reportFollowsTheWindowsLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("heading");
        QTest::addColumn<QString>("reason"); // of the unmeasured criterion
        QTest::newRow("English") << u"en"_s << u"Acceptance criteria"_s << u"not measured in this run"_s;
        QTest::newRow("Simplified Chinese") << u"zh_CN"_s << u"验收标准"_s << u"本次运行未测量"_s;
    }
    void reportFollowsTheWindowsLanguage()
    {
        QFETCH(QString, language);
        QFETCH(QString, heading);
        QFETCH(QString, reason);
        QCOMPARE(language::install(language), language);
        const RunResult r = makeRun(0.95);
        const QString html = htmlOf(r);
        language::install(u"en"_s);
        QVERIFY2(html.contains(u"<h2>"_s + heading + u"</h2>"_s), qPrintable(heading));
        QVERIFY(html.contains(u"lang=\""_s + (language == u"en"_s ? u"en"_s : u"zh-CN"_s) + u'"'));
        QVERIFY2(html.contains(reason), qPrintable(reason));
        // The saved result keeps English, whatever the window speaks.
        QVERIFY(r.criteria.last().toJson().value(u"reason"_s).toString().startsWith(u"not measured in this run"_s));
        QXmlStreamReader xml(html);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY(!xml.hasError());
    }

    void documentsAreNotWrittenOverOtherFiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("html") << u"notes.html"_s;
        QTest::newRow("pdf") << u"thesis.pdf"_s;
    }
    void documentsAreNotWrittenOverOtherFiles()
    {
        QFETCH(QString, name);
        const QString path = m_dir.filePath(name);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("someone else's file\n");
        f.close();
        const QString problem = ReportWriter::write(makeRun(0.95), path);
        QVERIFY2(problem.contains(path) && problem.contains(u"not overwriting"_s), qPrintable(problem));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("someone else's file\n"));
    }
};

QTEST_MAIN(TestDocumentReport)
#include "tst_documentreport.moc"
