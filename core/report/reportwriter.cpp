#include "core/report/reportwriter.h"

#include "core/io/outputfile.h"
#include "core/scenario/settings.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QXmlStreamWriter>

#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope::ReportWriter {

namespace {
QString micros(std::int64_t nanos)
{
    const double us = double(nanos) / 1000.0;
    return us < 10
        ? QString::number(us, 'f', 2) + u" µs"_s
        : (us < 10000 ? QString::number(us, 'f', 1) + u" µs"_s : QString::number(us / 1000.0, 'f', 1) + u" ms"_s);
}

QString percent(double ratio)
{
    return QString::number(ratio * 100.0, 'f', 1) + u" %"_s;
}

QString formatKpi(const QString &kpi, double value)
{
    const KpiDef *def = findKpi(kpi);
    return def ? def->format(value) : QString::number(value, 'g', 6);
}

QString verdictText(Verdict verdict)
{
    return verdictName(verdict).toUpper();
}

QString pad(const QString &s, int width)
{
    return width < 0 ? s.leftJustified(-width) : s.rightJustified(width);
}
} // namespace

QStringList inputFiles(const Scenario &scenario, const QString &databasePath)
{
    return {
        databasePath.isEmpty() ? scenario.db.path : databasePath, scenario.workload.trace, scenario.warmup.keysFile};
}

namespace {
struct FormatName {
    const char16_t *extension;
    Format format;
};
constexpr FormatName kFormats[] = {
    {u"json", Format::Json},
    {u"xml", Format::JUnit},
    {u"csv", Format::Csv},
    {u"txt", Format::Text},
    {u"html", Format::Html},
    {u"htm", Format::Html},
    {u"pdf", Format::Pdf},
};

QHash<Format, Renderer> &renderers()
{
    static QHash<Format, Renderer> table;
    return table;
}

bool available(Format format)
{
    return format != Format::Html && format != Format::Pdf ? true : renderers().contains(format);
}
} // namespace

std::optional<Format> formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (const FormatName &f : kFormats) {
        if (suffix == QStringView(f.extension))
            return f.format;
    }
    return std::nullopt;
}

OutputKind outputKind(Format format)
{
    switch (format) {
    case Format::Json:
        return OutputKind::JsonReport;
    case Format::JUnit:
        return OutputKind::JUnitReport;
    case Format::Csv:
        return OutputKind::CsvReport;
    case Format::Text:
        return OutputKind::TextReport;
    case Format::Html:
        return OutputKind::HtmlReport;
    case Format::Pdf:
        return OutputKind::PdfReport;
    }
    return OutputKind::JsonReport;
}

void registerRenderer(Format format, const Renderer &renderer)
{
    renderers().insert(format, renderer);
}

QStringList supportedExtensions()
{
    QStringList out;
    for (const FormatName &f : kFormats) {
        if (available(f.format))
            out << QString::fromUtf16(f.extension);
    }
    return out;
}

QString checkPath(const QString &path, const QStringList &inputs)
{
    const std::optional<Format> format = formatOf(path);
    if (!format || !available(*format)) {
        return u"'"_s + path + u"': unsupported report format (supported: ."_s + supportedExtensions().join(u", ."_s)
            + u')';
    }
    return OutputFile::check(path, outputKind(*format), inputs); // which also refuses the run's inputs
}

bool holdsSuccessfulReport(const QString &path, Format format)
{
    if (!OutputFile::holdsOwnFile(path, outputKind(format)))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    switch (format) {
    case Format::JUnit:
        return file.read(4096).contains(R"(errors="0")");
    case Format::Json: {
        const QJsonValue error = QJsonDocument::fromJson(file.readAll()).object().value(u"error"_s);
        return error.isNull() || error.isUndefined();
    }
    case Format::Html:
        return !file.read(8192).contains(R"(<meta name="cachescope-verdict" content="error")");
    case Format::Text:
        return !file.readAll().contains("\nresult: ERROR\n");
    case Format::Pdf: {
        // Its title names the verdict (DocumentReport::pdf), in UTF-16BE like every PDF string.
        QByteArray failed = "\xfe\xff";
        for (const char c : QByteArrayView("CacheScope: ERROR"))
            failed += QByteArray(1, '\0') + c;
        return !file.read(4096).contains(failed);
    }
    case Format::Csv:
        // A time series does not say how its run ended: an earlier one is kept from a failed
        // run (--replace-on-error writes over it), as a good report is.
        return true;
    }
    return false;
}

QByteArray csv(const RunResult &result)
{
    // Columns: where the snapshot lies, then every counter under its result-JSON name, then the
    // latencies and the rates a chart shows. Numbers in the C locale, whatever the user's.
    QStringList header {u"phase"_s, u"segment"_s, u"t_s"_s, u"phase_t_s"_s, u"interval_s"_s, u"warmup"_s};
    for (const auto &field : RequestCounts::fields())
        header << QString::fromUtf16(field.name);
    header << u"p50_us"_s << u"p99_us"_s << u"p999_us"_s << u"max_us"_s << u"latency_sum_us"_s << u"phase_requests"_s
           << u"requests_per_s"_s << u"hit_rate"_s << u"db_statements_per_s"_s;
    QByteArray out = header.join(u',').toUtf8() + '\n';
    const auto micros = [](std::int64_t nanos) { return QByteArray::number(double(nanos) / 1000.0, 'f', 3); };
    for (const MetricsSnapshot &s : result.timeSeries) {
        // The segment it belongs to: the last of its phase that started before its end.
        qsizetype segment = 0;
        for (qsizetype i = 0; i < result.segments.size(); ++i) {
            const SegmentResult &g = result.segments.at(i);
            if (g.phase == s.phase && g.startS < s.runTime - 1e-9)
                segment = i + 1;
        }
        QByteArrayList row {phaseName(s.phase).toUtf8(), QByteArray::number(segment),
            QByteArray::number(s.runTime, 'f', 3), QByteArray::number(s.phaseTime, 'f', 3),
            QByteArray::number(s.interval, 'f', 4), s.warmup ? "1" : "0"};
        for (const auto &field : RequestCounts::fields())
            row << QByteArray::number(quint64(s.*(field.member)));
        row << micros(s.p50Nanos) << micros(s.p99Nanos) << micros(s.p999Nanos) << micros(s.maxNanos)
            << micros(s.latencySumNanos) << QByteArray::number(quint64(s.phaseRequests))
            << QByteArray::number(s.requestsPerSecond(), 'f', 1)
            << (s.reads ? QByteArray::number(s.hitRate(), 'f', 6) : QByteArray())
            << QByteArray::number(s.dbStatementsPerSecond(), 'f', 1);
        out += row.join(',') + '\n';
    }
    return out;
}

QString textSummary(const RunResult &r)
{
    QStringList out;
    const Scenario &s = r.scenario;
    out << u"CacheScope run on %1 (table %2, key %3)"_s.arg(r.databasePath, s.db.table, s.db.key);
    if (s.workload.model == LoadModel::Open) {
        out << u"open model: %1 requests/s (%2 arrivals), at most %3 in flight"_s.arg(s.workload.rate)
                   .arg(settingText(s, u"workload.arrival"_s))
                   .arg(s.workload.concurrency);
    }
    out << u"workload: %1 clients on %2 worker threads, %3 over %4 keys, seed %5"_s.arg(s.workload.concurrency)
               .arg(r.workers)
               .arg(s.workload.distribution == Distribution::Zipf ? u"zipf %1"_s.arg(s.workload.zipf)
                                                                  : settingText(s, u"workload.distribution"_s))
               .arg(r.keysUsed)
               .arg(s.workload.seed);
    QString cache = u"cache: L1 %1 entries, TTL %2, %3"_s.arg(s.cache.l1.capacity)
                        .arg(formatDuration(s.cache.l1.ttl), s.cache.l1.policy);
    if (s.cache.l2.capacity > 0) {
        cache += u"; L2 %1 entries, TTL %2, %3, %4"_s.arg(s.cache.l2.capacity)
                     .arg(formatDuration(s.cache.l2.ttl), s.cache.l2.policy, settingText(s, u"cache.mode"_s));
    } else {
        cache += u"; no L2"_s;
    }
    out << cache;
    out << u"fields: "_s + (s.workload.fields.trimmed().isEmpty() ? u"all columns"_s : s.workload.fields);
    for (const QString &note : r.notes)
        out << u"note: "_s + note;
    if (r.keysUsed < s.workload.keys && r.keysUsed > 0)
        out << u"note: the table has only %1 keys; workload.keys=%2 was reduced to that"_s.arg(r.keysUsed)
                   .arg(s.workload.keys);
    out << QString();
    const QList<int> widths {-9, 9, 11, 12, 10, 10, 10, 12, 9};
    const QStringList header {
        u"phase"_s, u"time"_s, u"requests"_s, u"req/s"_s, u"p50"_s, u"p99"_s, u"p99.9"_s, u"db stmts"_s, u"hit rate"_s};
    auto row = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i)
            line += pad(cells[i], widths[i]) + (i + 1 < cells.size() ? u" "_s : QString());
        out << line.trimmed();
    };
    row(header);
    for (const auto &[name, phase] :
        {std::pair {u"baseline"_s, &r.baseline}, std::pair {u"cold"_s, &r.cold}, std::pair {u"cached"_s, &r.cached}}) {
        if (name == u"cold"_s && !*phase)
            continue;
        if (!*phase) {
            row({name, u"—"_s, u"—"_s, u"—"_s, u"—"_s, u"—"_s, u"—"_s, u"—"_s, u"—"_s});
            continue;
        }
        const PhaseResult &p = **phase;
        row({name, QString::number(p.durationS, 'f', 1) + u" s"_s, QString::number(p.requests),
            QString::number(p.requestsPerSecond(), 'f', 0), micros(p.latency.valueAtPercentile(50)),
            micros(p.latency.valueAtPercentile(99)), micros(p.latency.valueAtPercentile(99.9)),
            QString::number(p.dbStatements), name != u"baseline"_s ? percent(p.hitRate()) : u"—"_s});
        if (name != u"baseline"_s && p.reads > 0) {
            out << u"  hits: L1 %1, L2 %2; misses: %3 loaded, %4 waited for another client's load"_s
                       .arg(percent(double(p.l1Hits) / double(p.reads)), percent(double(p.l2Hits) / double(p.reads)))
                       .arg(p.misses - p.coalescedWaits)
                       .arg(p.coalescedWaits);
        }
        if (p.errors > 0)
            out << u"  %1 of %2 requests failed"_s.arg(p.errors).arg(p.requests);
        if (p.serviceLatency.count() > 0) {
            out << u"  open model: latency above from each request's intended start; service time p50 %1, p99 %2; "
                   "%3 started over 1 ms late"_s
                       .arg(micros(p.serviceLatency.valueAtPercentile(50)),
                           micros(p.serviceLatency.valueAtPercentile(99)))
                       .arg(p.late);
        }
    }
    out << QString();
    for (const KpiDef &kpi : kpiTable()) {
        // What to set to measure it, for the KPIs that need a setting.
        QString how;
        if (kpi.key == u"transfer_reduction"_s)
            how = u" (choose fewer fields: workload.fields)"_s;
        else if (kpi.key == u"cold_start_reduction"_s)
            how = u" (choose a warm-up: warmup.strategy, with warmup.compare=true)"_s;
        const std::optional<double> v = r.kpi(kpi.key);
        out << pad(kpi.title, -30) + (v ? kpi.format(*v) : u"not measured"_s + how);
    }
    if (const std::optional<HitCostModel> m = HitCostModel::of(r.kpiInputs())) {
        out << u"  a hit costs %1 baseline reads%2; at %3 % of requests answered by the cache the best ratio is "
               "%4×, measured %5×"_s.arg(m->hitCost, 0, 'f', 3)
                   .arg(m->missCost ? u", a miss %1"_s.arg(*m->missCost, 0, 'f', 2) : QString())
                   .arg(m->hitShare * 100.0, 0, 'f', 1)
                   .arg(m->bound, 0, 'f', 2)
                   .arg(m->bound * m->efficiency, 0, 'f', 2);
    }
    if (r.transfer) {
        const TransferMeasurement &t = *r.transfer;
        out << u"  %1 requests: %2 B/request with the projection, %3 B/request full rows; cache %4 B/entry vs %5 B/entry"_s
                   .arg(t.requests)
                   .arg(t.bytesPerRequest(true), 0, 'f', 0)
                   .arg(t.bytesPerRequest(false), 0, 'f', 0)
                   .arg(t.entryBytesPerRow(true), 0, 'f', 0)
                   .arg(t.entryBytesPerRow(false), 0, 'f', 0);
    }
    const auto coldStartText = [](const std::optional<ColdStart> &c) {
        return c ? u"%1 s (1 s window reached %2 of the steady %3)"_s.arg(c->seconds, 0, 'f', 1)
                       .arg(percent(c->threshold), percent(c->steadyHitRate))
                 : u"not reached"_s;
    };
    if (r.cold)
        out << u"  cold start: cold %1; warmed %2"_s.arg(coldStartText(r.coldStartCold), coldStartText(r.coldStart));
    else if (r.cached)
        out << u"  cold start of the cached phase: "_s + coldStartText(r.coldStart);
    if (r.warmup) {
        const WarmupResult &w = *r.warmup;
        out << u"  warm-up (%1): %2 of %3 keys loaded in %4 s with %5 statements%6"_s.arg(w.source)
                   .arg(w.keysLoaded)
                   .arg(w.keysPlanned)
                   .arg(w.durationS, 0, 'f', 2)
                   .arg(w.statements)
                   .arg((w.keysAlreadyCached ? u"; %1 already cached"_s.arg(w.keysAlreadyCached) : QString())
                       + (w.keysMissing ? u"; %1 without a row"_s.arg(w.keysMissing) : QString())
                       + (w.keysFailed ? u"; %1 failed"_s.arg(w.keysFailed) : QString())
                       + (w.cancelled.isEmpty() ? QString()
                                                : u"; %1 not loaded (%2)"_s.arg(w.keysNotRun).arg(w.cancelled)));
    }
    if (r.suggestedWarmupKeys > 0)
        out << u"  suggested warm-up for the next run: %1 keys (cover %2 of reads, within the cache's capacity; "
               "warmup.auto=true applies it)"_s.arg(r.suggestedWarmupKeys)
                   .arg(percent(s.warmup.coverage));
    if (r.engineOverheadUs)
        out << pad(u"engine overhead"_s, -30) + QString::number(*r.engineOverheadUs, 'f', 2)
                + u" µs per baseline request beyond SQLite's own time"_s;
    out << QString();
    out << u"acceptance criteria:"_s;
    for (const CriterionResult &c : r.criteria) {
        const QString target = c.criterion.op + u' ' + formatKpi(c.criterion.kpi, c.criterion.target);
        QString verdict = verdictText(c.verdict);
        if (c.measured && std::isfinite(*c.measured)) {
            verdict += u"  measured "_s + formatKpi(c.criterion.kpi, *c.measured);
            if (c.low && c.high)
                verdict += u" (95 %: %1 – %2)"_s.arg(
                    formatKpi(c.criterion.kpi, *c.low), formatKpi(c.criterion.kpi, *c.high));
        }
        out << u"  "_s + pad(c.criterion.name, -40) + pad(target, -10) + u"  "_s + verdict;
        if (c.unjudged != Unjudged::No)
            out << u"      "_s + c.reason();
        else if (c.withinNoise())
            out << u"      the target lies within the interval: the verdict rests on a difference within the noise"_s;
    }
    if (r.stopped)
        out << u"the run was stopped before its planned end"_s;
    if (!r.error.isEmpty())
        out << u"error: "_s + r.error;
    if (!r.error.isEmpty())
        out << u"result: ERROR"_s;
    else if (r.verdict == Verdict::Pass)
        out << u"result: PASS (every criterion judged and met)"_s;
    else if (r.verdict == Verdict::Fail)
        out << u"result: FAIL"_s;
    else
        out << u"result: INCONCLUSIVE (no criterion failed; some could not be judged)"_s;
    return out.join(u'\n') + u'\n';
}

QByteArray render(const RunResult &result, Format format)
{
    switch (format) {
    case Format::Json:
        return QJsonDocument(result.toJson()).toJson(QJsonDocument::Indented);
    case Format::JUnit:
        return junitXml(result);
    case Format::Csv:
        return csv(result);
    case Format::Text:
        return textSummary(result).toUtf8();
    case Format::Html:
    case Format::Pdf:
        break;
    }
    const auto it = renderers().constFind(format);
    return it != renderers().cend() ? it.value()(result) : QByteArray();
}

QString write(const RunResult &result, const QString &path)
{
    const QStringList inputs = inputFiles(result.scenario, result.databasePath);
    if (const QString problem = checkPath(path, inputs); !problem.isEmpty())
        return u"report "_s + problem;
    const Format format = *formatOf(path);
    const QByteArray bytes = render(result, format);
    if (bytes.isEmpty() && format != Format::Csv)
        return u"report '"_s + path + u"': nothing to write"_s;
    return OutputFile::write(path, outputKind(format), bytes, inputs);
}

QByteArray junitXml(const RunResult &result)
{
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    int failures = 0;
    int skipped = 0;
    for (const CriterionResult &c : result.criteria) {
        failures += c.verdict == Verdict::Fail ? 1 : 0;
        skipped += c.verdict == Verdict::Inconclusive ? 1 : 0;
    }
    const double seconds
        = (result.baseline ? result.baseline->durationS : 0.0) + (result.cached ? result.cached->durationS : 0.0);
    xml.writeStartElement(u"testsuite"_s);
    xml.writeAttribute(u"name"_s, u"cachescope acceptance"_s);
    xml.writeAttribute(u"tests"_s, QString::number(result.criteria.size() + (result.error.isEmpty() ? 0 : 1)));
    xml.writeAttribute(u"failures"_s, QString::number(failures));
    xml.writeAttribute(u"errors"_s, QString::number(result.error.isEmpty() ? 0 : 1));
    xml.writeAttribute(u"skipped"_s, QString::number(skipped));
    xml.writeAttribute(u"time"_s, QString::number(seconds, 'f', 3));
    if (!result.error.isEmpty()) {
        xml.writeStartElement(u"testcase"_s);
        xml.writeAttribute(u"name"_s, u"run"_s);
        xml.writeStartElement(u"error"_s);
        xml.writeAttribute(u"message"_s, result.error);
        xml.writeEndElement();
        xml.writeEndElement();
    }
    for (const CriterionResult &c : result.criteria) {
        xml.writeStartElement(u"testcase"_s);
        xml.writeAttribute(u"classname"_s, u"cachescope.criteria"_s);
        xml.writeAttribute(
            u"name"_s, c.criterion.kpi + u' ' + c.criterion.op + u' ' + QString::number(c.criterion.target, 'g', 6));
        if (c.verdict == Verdict::Inconclusive) {
            xml.writeStartElement(u"skipped"_s);
            xml.writeAttribute(u"message"_s, u"inconclusive: "_s + c.reason());
            xml.writeEndElement();
        } else if (c.verdict == Verdict::Fail) {
            xml.writeStartElement(u"failure"_s);
            xml.writeAttribute(u"message"_s,
                u"%1: measured %2, target %3 %4 (%5)"_s.arg(c.criterion.name)
                    .arg(*c.measured, 0, 'g', 6)
                    .arg(c.criterion.op)
                    .arg(c.criterion.target, 0, 'g', 6)
                    .arg(formatKpi(c.criterion.kpi, *c.measured) + u" vs "_s
                        + formatKpi(c.criterion.kpi, c.criterion.target)));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return bytes;
}

QString writeJUnit(const RunResult &result, const QString &path)
{
    return OutputFile::write(
        path, OutputKind::JUnitReport, junitXml(result), inputFiles(result.scenario, result.databasePath));
}

} // namespace cachescope::ReportWriter
