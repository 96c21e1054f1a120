#include "core/report/reportwriter.h"

#include "core/io/outputfile.h"
#include "core/scenario/settings.h"

#include <QFile>
#include <QFileInfo>
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

bool holdsSuccessfulReport(const QString &path, bool junit)
{
    if (!OutputFile::holdsOwnFile(path, junit ? OutputKind::JUnitReport : OutputKind::JsonReport))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    if (junit)
        return file.read(4096).contains(R"(errors="0")");
    const QJsonValue error = QJsonDocument::fromJson(file.readAll()).object().value(u"error"_s);
    return error.isNull() || error.isUndefined();
}

QStringList supportedExtensions()
{
    return {u"json"_s};
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

QString write(const RunResult &result, const QString &path)
{
    const QString extension = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (extension == u"json"_s) {
        bytes = QJsonDocument(result.toJson()).toJson(QJsonDocument::Indented);
    } else {
        return u"report '"_s + path + u"': unsupported format '."_s + extension + u"' (supported: ."_s
            + supportedExtensions().join(u", ."_s) + u')';
    }
    return OutputFile::write(path, OutputKind::JsonReport, bytes, inputFiles(result.scenario, result.databasePath));
}

QString writeJUnit(const RunResult &result, const QString &path)
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
    return OutputFile::write(path, OutputKind::JUnitReport, bytes, inputFiles(result.scenario, result.databasePath));
}

} // namespace cachescope::ReportWriter
