#include "ui/documentreport.h"

#include "core/metrics/kpi.h"
#include "core/report/reportwriter.h"
#include "core/scenario/settings.h"
#include "ui/livechart.h"
#include "ui/runcharts.h"

#include <QApplication>
#include <QBuffer>
#include <QJsonDocument>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextDocument>
#include <QUrl>
#include <QWidget>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace cachescope::DocumentReport {

namespace {

enum class Target { Html, Pdf };

constexpr QSize kChartSize(760, 300);

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString kpiText(const QString &kpi, double value)
{
    const KpiDef *def = findKpi(kpi);
    return def ? def->format(value) : QString::number(value, 'g', 6);
}

// A margin in the KPI's unit: percentage points for a share, a signed multiple, time or rate.
QString marginText(const QString &kpi, double margin)
{
    const KpiDef *def = findKpi(kpi);
    const QString sign = margin < 0 ? u"−"_s : u"+"_s;
    if (def && def->unit == KpiUnit::Share)
        return sign + number(std::abs(margin) * 100.0, 2) + u" pp"_s;
    return sign + kpiText(kpi, std::abs(margin));
}

QString micros(std::int64_t nanos)
{
    const double us = double(nanos) / 1000.0;
    return us < 10000 ? number(us, us < 10 ? 2 : 1) + u" µs"_s : number(us / 1000.0, 1) + u" ms"_s;
}

QString verdictWord(const RunResult &r)
{
    if (!r.error.isEmpty())
        return u"ERROR"_s;
    return verdictName(r.verdict).toUpper();
}

QString verdictClass(const RunResult &r)
{
    return r.error.isEmpty() ? verdictName(r.verdict) : u"error"_s;
}

QString stretchText(const std::optional<JudgedStretch> &s)
{
    if (!s)
        return u"—"_s;
    return u"%1%2, %3–%4 s (%5 s, %6 requests)"_s
        .arg(phaseName(s->phase), s->lastSegment ? u" last segment"_s : QString())
        .arg(number(s->startS, 1), number(s->endS, 1), number(s->seconds, 1))
        .arg(s->requests);
}

class Builder {
public:
    explicit Builder(Target target)
        : m_target(target)
    {
    }
    QString html;
    QList<QImage> images; // the PDF's charts, as chart-N.png resources

    void line(const QString &text) { html += text + u'\n'; }
    void table(const QStringList &header, const QList<QStringList> &rows, const QString &cls = u"grid"_s)
    {
        line(u"<table class=\""_s + cls + u"\" width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" border=\"1\">"_s);
        QString head = u"<tr>"_s;
        for (const QString &h : header)
            head += u"<th>"_s + esc(h) + u"</th>"_s;
        line(head + u"</tr>"_s);
        for (const QStringList &row : rows) {
            QString tr = u"<tr>"_s;
            for (const QString &cell : row)
                tr += u"<td>"_s + cell + u"</td>"_s; // cells are escaped (or marked up) by the caller
            line(tr + u"</tr>"_s);
        }
        line(u"</table>"_s);
    }
    void chart(LiveChart *chart, const QString &caption)
    {
        line(u"<div class=\"figure\">"_s);
        if (m_target == Target::Html) {
            line(inlineSvg(chart->svg(kChartSize), ++m_charts));
        } else {
            images.append(chart->image(kChartSize, 2.0));
            line(u"<img src=\"chart-%1.png\" width=\"%2\" height=\"%3\" alt=\"%4\"/>"_s.arg(images.size() - 1)
                     .arg(kChartSize.width() * 0.82)
                     .arg(kChartSize.height() * 0.82)
                     .arg(esc(caption)));
        }
        line(u"<p class=\"caption\">"_s + esc(caption) + u"</p></div>"_s);
    }

private:
    // An SVG document as part of the page: without its XML declaration, sized in pixels (the
    // generator gives millimetres at 72 dpi), its ids made unique among the page's charts.
    static QString inlineSvg(QByteArray svg, int n)
    {
        if (svg.startsWith("<?xml"))
            svg = svg.mid(svg.indexOf("?>") + 2).trimmed();
        QString text = QString::fromUtf8(svg);
        static const QRegularExpression size(uR"(^<svg width="[^"]*" height="[^"]*")"_s);
        text.replace(size, u"<svg width=\"%1\" height=\"%2\""_s.arg(kChartSize.width()).arg(kChartSize.height()));
        const QString prefix = u"c%1-"_s.arg(n);
        text.replace(u"id=\""_s, u"id=\""_s + prefix);
        text.replace(u"url(#"_s, u"url(#"_s + prefix);
        text.replace(u"href=\"#"_s, u"href=\"#"_s + prefix);
        return text;
    }
    Target m_target;
    int m_charts = 0;
};

void criteriaSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>Acceptance criteria</h2>"_s);
    if (r.criteria.isEmpty()) {
        b.line(u"<p>The scenario sets no acceptance criteria: the run is INCONCLUSIVE.</p>"_s);
        return;
    }
    QList<QStringList> rows;
    for (const CriterionResult &c : r.criteria) {
        const QString &kpi = c.criterion.kpi;
        QString measured = u"not measured"_s;
        QString margin = u"—"_s;
        QString interval = u"—"_s;
        if (c.measured && std::isfinite(*c.measured)) {
            measured = esc(kpiText(kpi, *c.measured));
            if (c.margin) {
                margin = esc(marginText(kpi, *c.margin));
                if (c.marginRelative)
                    margin += u" ("_s + esc(number(*c.marginRelative * 100.0, 1)) + u" %)"_s;
            }
            if (c.low && c.high) {
                interval = esc(kpiText(kpi, *c.low) + u" – "_s + kpiText(kpi, *c.high)) + u"<br/><small>"_s
                    + esc(c.intervalMethod) + u"</small>"_s;
            }
        }
        QString judged = esc(stretchText(c.judged));
        if (c.against)
            judged += u"<br/><small>against the baseline: "_s + esc(stretchText(c.against)) + u"</small>"_s;
        QString verdict
            = u"<b class=\"v-"_s + verdictName(c.verdict) + u"\">"_s + verdictName(c.verdict).toUpper() + u"</b>"_s;
        if (c.unjudged != Unjudged::No)
            verdict += u"<br/><small>"_s + esc(c.reason()) + u"</small>"_s;
        else if (c.withinNoise())
            verdict += u"<br/><small>the target lies within the interval</small>"_s;
        rows.append({esc(c.criterion.name) + u"<br/><small><code>"_s + esc(kpi) + u"</code></small>"_s,
            esc(c.criterion.op + u' ' + kpiText(kpi, c.criterion.target)), measured, margin, interval, judged,
            verdict});
    }
    b.table({u"Criterion"_s, u"Target"_s, u"Measured"_s, u"Margin"_s, u"95 % interval"_s, u"Judged on"_s, u"Verdict"_s},
        rows);
    b.line(u"<p class=\"note\">A criterion is PASS or FAIL only when its judged stretch held at least its "
           "minimum requests and seconds; otherwise, or when its figure was not measured, it is INCONCLUSIVE.</p>"_s);
}

void figuresSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>Key figures</h2>"_s);
    QList<QStringList> rows;
    for (const KpiDef &kpi : kpiTable()) {
        const std::optional<double> v = r.kpi(kpi.key);
        rows.append({esc(kpi.title), v ? esc(kpi.format(*v)) : u"<i>not measured</i>"_s, esc(kpi.help)});
    }
    b.table({u"Figure"_s, u"Value"_s, u"What it measures"_s}, rows);

    b.line(u"<h2>Phases</h2>"_s);
    QList<QStringList> phases;
    for (const auto &[name, phase] :
        {std::pair {u"baseline"_s, &r.baseline}, std::pair {u"cold"_s, &r.cold}, std::pair {u"cached"_s, &r.cached}}) {
        if (!*phase)
            continue;
        const PhaseResult &p = **phase;
        phases.append({name, esc(number(p.durationS, 1) + u" s"_s), QString::number(p.requests),
            number(p.requestsPerSecond(), 0), esc(micros(p.latency.valueAtPercentile(50))),
            esc(micros(p.latency.valueAtPercentile(99))), esc(micros(p.latency.valueAtPercentile(99.9))),
            QString::number(p.dbStatements),
            name == u"baseline"_s ? u"—"_s : esc(number(p.hitRate() * 100.0, 2) + u" %"_s), QString::number(p.errors)});
    }
    b.table({u"Phase"_s, u"Time"_s, u"Requests"_s, u"Requests/s"_s, u"p50"_s, u"p99"_s, u"p99.9"_s, u"DB statements"_s,
                u"Hit rate"_s, u"Errors"_s},
        phases);
}

void chartsSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>Charts</h2>"_s);
    if (r.timeSeries.isEmpty()) {
        b.line(u"<p>The result holds no time series.</p>"_s);
        return;
    }
    QWidget host; // never shown: the charts are laid out and drawn off screen
    RunCharts charts(&host);
    charts.show(r);
    const QStringList captions {
        u"Hit rate of the cached phase per 100 ms, by tier, and over the last second; dashed verticals are live changes."_s,
        u"Latency per 100 ms (log scale): p50, p99, p99.9 and max, baseline and cached."_s,
        u"Throughput per 100 ms of each phase, and the database statements of the cached one."_s,
        u"Cold start: the hit rate over 1 s from the cached phase's start (and the cold comparison run)."_s,
        u"The measured throughput ratio per 100 ms beside the best its hit rate allows, B(h)."_s,
        u"Bytes read from the database per second, baseline and cached."_s,
    };
    const QList<LiveChart *> all = charts.all();
    for (qsizetype i = 0; i < all.size(); ++i)
        b.chart(all.at(i), captions.value(i));
    if (r.segments.size() > 2 || std::any_of(r.segments.cbegin(), r.segments.cend(), [](const SegmentResult &s) {
            return !s.change.isEmpty();
        })) {
        b.line(u"<h3>Segments</h3>"_s);
        QList<QStringList> rows;
        for (const SegmentResult &s : r.segments) {
            rows.append({phaseName(s.phase) + (s.warmup ? u" (warm-up)"_s : QString()),
                esc(number(s.startS, 1) + u"–"_s + number(s.endS, 1) + u" s"_s),
                s.change.isEmpty() ? u"—"_s : u"<code>"_s + esc(s.change) + u"</code>"_s,
                QString::number(s.stats.requests), number(s.stats.requestsPerSecond(), 0),
                s.phase == Phase::Baseline ? u"—"_s : esc(number(s.stats.hitRate() * 100.0, 2) + u" %"_s)});
        }
        b.table({u"Phase"_s, u"Run time"_s, u"Change that started it"_s, u"Requests"_s, u"Requests/s"_s, u"Hit rate"_s},
            rows);
    }
}

void costSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>The engine's own cost and the hit-rate bound</h2>"_s);
    QStringList items;
    if (r.engineOverheadUs)
        items << u"Engine overhead: %1 µs per baseline request beyond SQLite's own time."_s.arg(
            number(*r.engineOverheadUs, 2));
    if (const std::optional<HitCostModel> m = HitCostModel::of(r.kpiInputs())) {
        items << u"A hit costs %1 baseline reads%2. With %3 % of requests answered by the cache, the best throughput "
                 "ratio is B(h) = %4×; measured %5× (%6 % of the bound)."_s.arg(number(m->hitCost, 3))
                     .arg(m->missCost ? u", a miss %1"_s.arg(number(*m->missCost, 2)) : QString())
                     .arg(number(m->hitShare * 100.0, 1), number(m->bound, 2), number(m->bound * m->efficiency, 2),
                         number(m->efficiency * 100.0, 0));
    }
    if (r.transfer) {
        const TransferMeasurement &t = *r.transfer;
        items << u"Projection: %1 B per request with the chosen fields, %2 B with full rows (%3 requests measured)."_s
                     .arg(number(t.bytesPerRequest(true), 0), number(t.bytesPerRequest(false), 0))
                     .arg(t.requests);
    }
    if (items.isEmpty())
        items << u"Not measured in this run (the bound needs the closed model without think time, with hits)."_s;
    b.line(u"<ul>"_s);
    for (const QString &item : items)
        b.line(u"<li>"_s + esc(item) + u"</li>"_s);
    b.line(u"</ul>"_s);
}

void configurationSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>Configuration</h2>"_s);
    b.line(u"<p>Database <code>"_s + esc(r.databasePath) + u"</code>, table <code>"_s + esc(r.scenario.db.table)
        + u"</code>, key <code>"_s + esc(r.scenario.db.key)
        + u"</code>; %1 worker threads, %2 keys used.</p>"_s.arg(r.workers).arg(r.keysUsed));
    const QStringList changed = settingsChangedFromDefault(r.scenario);
    QList<QStringList> rows;
    for (const SettingDef &def : settingTable()) {
        const QString value = settingText(r.scenario, def.key);
        const bool isChanged = value != def.defaultText();
        rows.append({u"<code>"_s + esc(def.key) + u"</code>"_s,
            isChanged ? u"<b>"_s + esc(value) + u"</b>"_s : esc(value), esc(def.defaultText())});
    }
    b.table({u"Setting"_s, u"Value"_s, u"Default"_s}, rows, u"grid small"_s);
    b.line(u"<p class=\"note\">Bold: differs from the default (%1 settings).</p>"_s.arg(changed.size()));
}

void environmentSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>Environment</h2>"_s);
    QList<QStringList> rows;
    const QStringList keys = r.environment.keys(); // sorted: the same result gives the same page
    for (const QString &key : keys)
        rows.append({esc(key), esc(r.environment.value(key).toVariant().toString())});
    b.table({u"Fact"_s, u"Value"_s}, rows);
}

void reproduceSection(Builder &b, const RunResult &r)
{
    b.line(u"<h2>How to reproduce</h2>"_s);
    b.line(u"<p>Save the scenario below as <code>scenario.json</code> and run:</p>"_s);
    b.line(u"<pre id=\"reproduce\">cachescope run scenario.json --report report.html --report result.json</pre>"_s);
    const QStringList changed = settingsChangedFromDefault(r.scenario);
    QString sets = u"cachescope run --set db.path="_s + r.scenario.db.path;
    for (const QString &kv : changed)
        sets += u" --set "_s + kv;
    b.line(u"<p>Or, with the settings alone (criteria and scheduled changes are in the scenario only):</p>"_s);
    b.line(u"<pre id=\"reproduce-set\">"_s + esc(sets) + u"</pre>"_s);
    b.line(u"<pre id=\"scenario\">"_s
        + esc(QString::fromUtf8(QJsonDocument(r.scenario.toJson()).toJson(QJsonDocument::Indented)).trimmed())
        + u"</pre>"_s);
}

const char16_t *kStyle = uR"(
body { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; color: #202124; margin: 2em auto; max-width: 62em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #dadce0; margin-top: 1.6em; }
table.grid { border-collapse: collapse; margin: 0.6em 0; }
table.grid th, table.grid td { border: 1px solid #dadce0; padding: 4px 8px; text-align: left; vertical-align: top; }
table.grid th { background: #f1f3f4; }
table.small { font-size: 0.85em; }
small { color: #5f6368; }
.verdict { font-size: 1.4em; font-weight: bold; padding: 0.5em 0.8em; border-radius: 4px; }
.verdict.pass { background: #e6f4ea; color: #137333; }
.verdict.fail, .verdict.error { background: #fce8e6; color: #a50e0e; }
.verdict.inconclusive { background: #fef7e0; color: #7a5c00; }
.v-pass { color: #137333; } .v-fail { color: #a50e0e; } .v-inconclusive { color: #7a5c00; }
.figure { margin: 1em 0; page-break-inside: avoid; }
.figure svg { max-width: 100%; height: auto; }
.caption, .note { color: #5f6368; font-size: 0.9em; }
pre { background: #f8f9fa; border: 1px solid #dadce0; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
)";

QString build(const RunResult &r, Builder &b)
{
    const QString version = r.environment.value(u"cachescope"_s).toString();
    int passed = 0;
    int failed = 0;
    int inconclusive = 0;
    for (const CriterionResult &c : r.criteria) {
        passed += c.verdict == Verdict::Pass ? 1 : 0;
        failed += c.verdict == Verdict::Fail ? 1 : 0;
        inconclusive += c.verdict == Verdict::Inconclusive ? 1 : 0;
    }
    b.line(u"<!DOCTYPE html>"_s);
    b.line(u"<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"_s);
    b.line(u"<head>"_s);
    b.line(u"<meta charset=\"utf-8\"/>"_s);
    b.line(u"<meta name=\"generator\" content=\"CacheScope "_s + esc(version) + u"\"/>"_s);
    b.line(u"<meta name=\"cachescope-verdict\" content=\""_s + verdictClass(r) + u"\"/>"_s);
    b.line(u"<title>CacheScope report: "_s + verdictWord(r) + u" — "_s + esc(r.scenario.db.table) + u"</title>"_s);
    b.line(u"<style>"_s + QString::fromUtf16(kStyle) + u"</style>"_s);
    b.line(u"</head>"_s);
    b.line(u"<body>"_s);
    b.line(u"<h1>CacheScope acceptance report</h1>"_s);
    b.line(u"<p>Table <code>"_s + esc(r.scenario.db.table) + u"</code> of <code>"_s + esc(r.databasePath)
        + u"</code>; CacheScope "_s + esc(version) + u".</p>"_s);
    QString says;
    if (!r.error.isEmpty())
        says = u"the run failed: "_s + esc(r.error);
    else if (r.verdict == Verdict::Pass)
        says = u"every criterion judged and met"_s;
    else if (r.verdict == Verdict::Fail)
        says = u"%1 of %2 criteria failed"_s.arg(failed).arg(r.criteria.size());
    else
        says = u"no criterion failed; %1 could not be judged"_s.arg(inconclusive);
    b.line(u"<p class=\"verdict "_s + verdictClass(r) + u"\">"_s + verdictWord(r) + u" — "_s + says + u"</p>"_s);
    b.line(u"<p>%1 passed, %2 failed, %3 inconclusive%4.</p>"_s.arg(passed)
               .arg(failed)
               .arg(inconclusive)
               .arg(r.stopped ? u"; the run was stopped before its planned end"_s : QString()));
    criteriaSection(b, r);
    figuresSection(b, r);
    chartsSection(b, r);
    costSection(b, r);
    if (!r.notes.isEmpty()) {
        b.line(u"<h2>Notes</h2><ul>"_s);
        for (const QString &note : r.notes)
            b.line(u"<li>"_s + esc(note) + u"</li>"_s);
        b.line(u"</ul>"_s);
    }
    configurationSection(b, r);
    environmentSection(b, r);
    reproduceSection(b, r);
    b.line(u"</body>"_s);
    b.line(u"</html>"_s);
    return b.html;
}

// The charts are widgets: without a QApplication (a headless command that was not told it draws)
// there is nothing to draw with, and the writer says so rather than crash.
bool canDraw()
{
    return qobject_cast<QApplication *>(QCoreApplication::instance()) != nullptr;
}

} // namespace

QByteArray html(const RunResult &result)
{
    if (!canDraw())
        return {};
    Builder b(Target::Html);
    return build(result, b).toUtf8();
}

QTextDocument *document(const RunResult &result, QObject *parent)
{
    if (!canDraw())
        return nullptr;
    Builder b(Target::Pdf);
    const QString page = build(result, b);
    auto *doc = new QTextDocument(parent);
    doc->setDefaultStyleSheet(QString::fromUtf16(kStyle));
    for (qsizetype i = 0; i < b.images.size(); ++i)
        doc->addResource(QTextDocument::ImageResource, QUrl(u"chart-%1.png"_s.arg(i)), b.images.at(i));
    doc->setHtml(page);
    return doc;
}

QByteArray pdf(const RunResult &result)
{
    const std::unique_ptr<QTextDocument> doc(document(result));
    if (!doc)
        return {};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(u"CacheScope "_s + result.environment.value(u"cachescope"_s).toString());
    writer.setTitle(u"CacheScope report: "_s + verdictWord(result));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(96);
    doc->setPageSize(QSizeF(writer.width(), writer.height()));
    doc->print(&writer);
    return buffer.data();
}

void registerFormats()
{
    ReportWriter::registerRenderer(ReportWriter::Format::Html, &html);
    ReportWriter::registerRenderer(ReportWriter::Format::Pdf, &pdf);
}

} // namespace cachescope::DocumentReport
