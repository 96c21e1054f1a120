#include "ui/documentreport.h"

#include "core/metrics/kpi.h"
#include "core/report/reportwriter.h"
#include "core/scenario/settings.h"
#include "ui/coretext.h"
#include "ui/livechart.h"
#include "ui/runcharts.h"

#include <QApplication>
#include <QBuffer>
#include <QJsonDocument>
#include <QLocale>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextDocument>
#include <QUrl>
#include <QWidget>

#include <algorithm>
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
.figure svg text { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
.caption, .note { color: #5f6368; font-size: 0.9em; }
pre { background: #f8f9fa; border: 1px solid #dadce0; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
)";

/// Builds the report's page. Its words follow the translations the application installed (the
/// window's language; context "Report"), its numbers the locale's format.
class Report {
    Q_DECLARE_TR_FUNCTIONS(Report)
public:
    Report(const RunResult &result, Target target)
        : r(result)
        , m_target(target)
    {
    }
    QString build();
    QList<QImage> images; // the PDF's charts, as chart-N.png resources

private:
    const RunResult &r;
    Target m_target;
    QLocale m_locale; // the default locale: the user's
    int m_charts = 0;
    QString m_html;

    void line(const QString &text) { m_html += text + u'\n'; }
    QString num(double value, int decimals) const { return m_locale.toString(value, 'f', decimals); }
    QString count(std::uint64_t value) const { return m_locale.toString(qulonglong(value)); }
    QString kpiText(const QString &kpi, double value) const;
    QString marginText(const QString &kpi, double margin) const;
    QString micros(std::int64_t nanos) const;
    QString phaseText(Phase phase) const;
    QString verdictText(Verdict verdict) const;
    QString verdictWord() const;
    QString verdictClass() const;
    QString stretchText(const std::optional<JudgedStretch> &s) const;
    void table(const QStringList &header, const QList<QStringList> &rows, const QString &cls = u"grid"_s);
    void chart(LiveChart *chart, const QString &caption);
    static QString inlineSvg(QByteArray svg, int n);

    void criteriaSection();
    void figuresSection();
    void chartsSection();
    void costSection();
    void configurationSection();
    void environmentSection();
    void reproduceSection();
};

QString Report::kpiText(const QString &kpi, double value) const
{
    const KpiDef *def = findKpi(kpi);
    if (!def)
        return m_locale.toString(value, 'g', 6);
    switch (def->unit) {
    case KpiUnit::Multiple:
        return num(value, 2) + u"×"_s;
    case KpiUnit::Milliseconds:
        return num(value, value < 10 ? 3 : 1) + u" ms"_s;
    case KpiUnit::PerSecond:
        return num(value, 0) + u" req/s"_s;
    case KpiUnit::Share:
        break;
    }
    return num(value * 100.0, 1) + u" %"_s;
}

// A margin in the KPI's unit: percentage points for a share, a signed multiple, time or rate.
QString Report::marginText(const QString &kpi, double margin) const
{
    const KpiDef *def = findKpi(kpi);
    const QString sign = margin < 0 ? u"−"_s : u"+"_s;
    if (def && def->unit == KpiUnit::Share)
        return sign + num(std::abs(margin) * 100.0, 2) + u" pp"_s;
    return sign + kpiText(kpi, std::abs(margin));
}

QString Report::micros(std::int64_t nanos) const
{
    const double us = double(nanos) / 1000.0;
    return us < 10000 ? num(us, us < 10 ? 2 : 1) + u" µs"_s : num(us / 1000.0, 1) + u" ms"_s;
}

QString Report::phaseText(Phase phase) const
{
    switch (phase) {
    case Phase::Baseline:
        return tr("baseline");
    case Phase::Cold:
        return tr("cold");
    case Phase::Cached:
        break;
    }
    return tr("cached");
}

QString Report::verdictText(Verdict verdict) const
{
    switch (verdict) {
    case Verdict::Pass:
        return tr("PASS");
    case Verdict::Fail:
        return tr("FAIL");
    case Verdict::Inconclusive:
        break;
    }
    return tr("INCONCLUSIVE");
}

QString Report::verdictWord() const
{
    return r.error.isEmpty() ? verdictText(r.verdict) : tr("ERROR");
}

QString Report::verdictClass() const
{
    return r.error.isEmpty() ? verdictName(r.verdict) : u"error"_s;
}

QString Report::stretchText(const std::optional<JudgedStretch> &s) const
{
    if (!s)
        return u"—"_s;
    return (
        s->lastSegment ? tr("%1, last segment, %2–%3 s (%4 s, %5 requests)") : tr("%1, %2–%3 s (%4 s, %5 requests)"))
        .arg(phaseText(s->phase), num(s->startS, 1), num(s->endS, 1), num(s->seconds, 1), count(s->requests));
}

void Report::table(const QStringList &header, const QList<QStringList> &rows, const QString &cls)
{
    line(u"<table class=\""_s + cls + u"\" width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" border=\"1\">"_s);
    QString head = u"<tr>"_s;
    for (const QString &h : header)
        head += u"<th>"_s + esc(h) + u"</th>"_s;
    line(head + u"</tr>"_s);
    for (const QStringList &row : rows) {
        QString cells = u"<tr>"_s;
        for (const QString &cell : row)
            cells += u"<td>"_s + cell + u"</td>"_s; // cells are escaped (or marked up) by the caller
        line(cells + u"</tr>"_s);
    }
    line(u"</table>"_s);
}

// An SVG document as part of the page: without its XML declaration, sized in pixels (the
// generator gives millimetres at 72 dpi), its ids made unique among the page's charts.
QString Report::inlineSvg(QByteArray svg, int n)
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

void Report::chart(LiveChart *chart, const QString &caption)
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

void Report::criteriaSection()
{
    line(u"<h2>"_s + esc(tr("Acceptance criteria")) + u"</h2>"_s);
    if (r.criteria.isEmpty()) {
        line(u"<p>"_s + esc(tr("The scenario sets no acceptance criteria: the run is INCONCLUSIVE.")) + u"</p>"_s);
        return;
    }
    QList<QStringList> rows;
    for (const CriterionResult &c : r.criteria) {
        const QString &kpi = c.criterion.kpi;
        QString measured = esc(tr("not measured"));
        QString margin = u"—"_s;
        QString interval = u"—"_s;
        if (c.measured && std::isfinite(*c.measured)) {
            measured = esc(kpiText(kpi, *c.measured));
            if (c.margin) {
                margin = esc(marginText(kpi, *c.margin));
                if (c.marginRelative)
                    margin += u" ("_s
                        + esc((*c.marginRelative < 0 ? u"−"_s : u"+"_s) + num(std::abs(*c.marginRelative) * 100.0, 1)
                            + u" %"_s)
                        + u")"_s;
            }
            if (c.low && c.high) {
                const QString method = c.intervalMethod == u"exact binomial"_s ? tr("exact binomial")
                    : c.intervalMethod == u"bootstrap"_s                       ? tr("bootstrap")
                                                                               : c.intervalMethod;
                interval = esc(kpiText(kpi, *c.low) + u" – "_s + kpiText(kpi, *c.high)) + u"<br/><small>"_s
                    + esc(method) + u"</small>"_s;
            }
        }
        QString judged = esc(stretchText(c.judged));
        if (c.against)
            judged
                += u"<br/><small>"_s + esc(tr("against the baseline: %1").arg(stretchText(c.against))) + u"</small>"_s;
        QString verdict
            = u"<b class=\"v-"_s + verdictName(c.verdict) + u"\">"_s + esc(verdictText(c.verdict)) + u"</b>"_s;
        if (c.unjudged != Unjudged::No)
            verdict += u"<br/><small>"_s + esc(c.reason(true)) + u"</small>"_s;
        else if (c.withinNoise())
            verdict += u"<br/><small>"_s + esc(tr("the target lies within the interval")) + u"</small>"_s;
        const QString op = c.criterion.op == u">="_s ? u"≥"_s : (c.criterion.op == u"<="_s ? u"≤"_s : c.criterion.op);
        rows.append(
            {esc(coreText("Criterion", c.criterion.name)) + u"<br/><small><code>"_s + esc(kpi) + u"</code></small>"_s,
                esc(op + u' ' + kpiText(kpi, c.criterion.target)), measured, margin, interval, judged, verdict});
    }
    table({tr("Criterion"), tr("Target"), tr("Measured"), tr("Margin"), tr("95 % interval"), tr("Judged on"),
              tr("Verdict")},
        rows);
    line(u"<p class=\"note\">"_s
        + esc(tr("A criterion is PASS or FAIL only when its judged stretch held at least its minimum requests and "
                 "seconds; otherwise, or when its figure was not measured, it is INCONCLUSIVE."))
        + u"</p>"_s);
}

void Report::figuresSection()
{
    line(u"<h2>"_s + esc(tr("Key figures")) + u"</h2>"_s);
    QList<QStringList> rows;
    for (const KpiDef &kpi : kpiTable()) {
        const std::optional<double> v = r.kpi(kpi.key);
        rows.append({esc(coreText("Kpi", kpi.title)),
            v ? esc(kpiText(kpi.key, *v)) : u"<i>"_s + esc(tr("not measured")) + u"</i>"_s,
            esc(coreText("Kpi", kpi.help))});
    }
    table({tr("Figure"), tr("Value"), tr("What it measures")}, rows);

    line(u"<h2>"_s + esc(tr("Phases")) + u"</h2>"_s);
    QList<QStringList> phases;
    for (const auto &[phase, result] : {std::pair {Phase::Baseline, &r.baseline}, std::pair {Phase::Cold, &r.cold},
             std::pair {Phase::Cached, &r.cached}}) {
        if (!*result)
            continue;
        const PhaseResult &p = **result;
        phases.append({esc(phaseText(phase)), esc(num(p.durationS, 1) + u" s"_s), count(p.requests),
            num(p.requestsPerSecond(), 0), esc(micros(p.latency.valueAtPercentile(50))),
            esc(micros(p.latency.valueAtPercentile(99))), esc(micros(p.latency.valueAtPercentile(99.9))),
            count(p.dbStatements), phase == Phase::Baseline ? u"—"_s : esc(num(p.hitRate() * 100.0, 2) + u" %"_s),
            count(p.errors)});
    }
    table({tr("Phase"), tr("Time"), tr("Requests"), tr("Requests/s"), u"p50"_s, u"p99"_s, u"p99.9"_s,
              tr("DB statements"), tr("Hit rate"), tr("Errors")},
        phases);
}

void Report::chartsSection()
{
    line(u"<h2>"_s + esc(tr("Charts")) + u"</h2>"_s);
    if (r.timeSeries.isEmpty()) {
        line(u"<p>"_s + esc(tr("The result holds no time series.")) + u"</p>"_s);
        return;
    }
    QWidget host; // never shown: the charts are laid out and drawn off screen
    RunCharts charts(&host);
    charts.show(r);
    const QStringList captions {
        tr("Hit rate of the cached phase per 100 ms, by tier, and over the last second (and, with writes, the share "
           "of stale reads); dashed verticals are live changes."),
        tr("Latency per 100 ms (log scale): p50, p99, p99.9 and max, baseline and cached."),
        tr("Throughput per 100 ms of each phase, and the database statements of the cached one."),
        tr("Cold start: the hit rate over 1 s from the cached phase's start (and the cold comparison run)."),
        tr("The measured throughput ratio per 100 ms beside the best its hit rate allows, B(h)."),
        tr("Bytes read from the database per second, baseline and cached."),
        tr("Staleness per 100 ms: how long the rows of stale reads had been superseded (p99), and how far the read "
           "replica furthest behind was."),
        tr("Redis L2 round-trip per 100 ms: the median and 99th percentile of its GETs, from the request to the "
           "answer."),
    };
    const QList<LiveChart *> all = charts.all();
    for (qsizetype i = 0; i < all.size(); ++i) {
        if ((all.at(i) == charts.staleness() && !charts.hasStaleness())
            || (all.at(i) == charts.l2() && !charts.hasL2()))
            continue; // a run without writes nor replicas has none
        chart(all.at(i), captions.value(i));
    }
    if (std::none_of(
            r.segments.cbegin(), r.segments.cend(), [](const SegmentResult &s) { return !s.change.isEmpty(); }))
        return;
    line(u"<h3>"_s + esc(tr("Segments")) + u"</h3>"_s);
    QList<QStringList> rows;
    for (const SegmentResult &s : r.segments) {
        rows.append({esc(phaseText(s.phase) + (s.warmup ? u" ("_s + tr("warm-up") + u')' : QString())),
            esc(num(s.startS, 1) + u"–"_s + num(s.endS, 1) + u" s"_s),
            s.change.isEmpty() ? u"—"_s : u"<code>"_s + esc(s.change) + u"</code>"_s, count(s.stats.requests),
            num(s.stats.requestsPerSecond(), 0),
            s.phase == Phase::Baseline ? u"—"_s : esc(num(s.stats.hitRate() * 100.0, 2) + u" %"_s)});
    }
    table({tr("Phase"), tr("Run time"), tr("Change that started it"), tr("Requests"), tr("Requests/s"), tr("Hit rate")},
        rows);
}

void Report::costSection()
{
    line(u"<h2>"_s + esc(tr("The engine's own cost and the hit-rate bound")) + u"</h2>"_s);
    QStringList items;
    if (r.engineOverheadUs)
        items << tr("Engine overhead: %1 µs per baseline request beyond SQLite's own time.")
                     .arg(num(*r.engineOverheadUs, 2));
    if (const std::optional<HitCostModel> m = HitCostModel::of(r.kpiInputs())) {
        items << tr("A hit costs %1 baseline reads%2. With %3 % of requests answered by the cache, the best throughput "
                    "ratio is B(h) = %4×; measured %5× (%6 % of the bound).")
                     .arg(num(m->hitCost, 3))
                     .arg(m->missCost ? tr(", a miss %1").arg(num(*m->missCost, 2)) : QString())
                     .arg(num(m->hitShare * 100.0, 1), num(m->bound, 2), num(m->bound * m->efficiency, 2),
                         num(m->efficiency * 100.0, 0));
    }
    if (r.transfer) {
        const TransferMeasurement &t = *r.transfer;
        items << tr("Projection: %1 B per request with the chosen fields, %2 B with full rows (%3 requests measured).")
                     .arg(num(t.bytesPerRequest(true), 0), num(t.bytesPerRequest(false), 0), count(t.requests));
    }
    if (items.isEmpty())
        items << tr("Not measured in this run (the bound needs the closed model without think time, with hits).");
    line(u"<ul>"_s);
    for (const QString &item : items)
        line(u"<li>"_s + esc(item) + u"</li>"_s);
    line(u"</ul>"_s);
}

void Report::configurationSection()
{
    line(u"<h2>"_s + esc(tr("Configuration")) + u"</h2>"_s);
    line(u"<p>"_s
        + tr("Database %1, table %2, key %3; %4 worker threads, %5 keys used.")
              .arg(u"<code>"_s + esc(r.databasePath) + u"</code>"_s,
                  u"<code>"_s + esc(r.scenario.db.table) + u"</code>"_s,
                  u"<code>"_s + esc(r.scenario.db.key) + u"</code>"_s, count(std::uint64_t(r.workers)),
                  count(std::uint64_t(std::max<std::int64_t>(0, r.keysUsed))))
        + u"</p>"_s);
    int changed = 0;
    QList<QStringList> rows;
    for (const SettingDef &def : settingTable()) {
        const QString value = settingText(r.scenario, def.key);
        const bool isChanged = value != def.defaultText();
        changed += isChanged ? 1 : 0;
        rows.append({u"<code>"_s + esc(def.key) + u"</code>"_s,
            isChanged ? u"<b>"_s + esc(value) + u"</b>"_s : esc(value), esc(def.defaultText())});
    }
    table({tr("Setting"), tr("Value"), tr("Default")}, rows, u"grid small"_s);
    line(u"<p class=\"note\">"_s + esc(tr("Bold: differs from the default (%1 settings).").arg(changed)) + u"</p>"_s);
}

void Report::environmentSection()
{
    line(u"<h2>"_s + esc(tr("Environment")) + u"</h2>"_s);
    QList<QStringList> rows;
    const QStringList keys = r.environment.keys(); // sorted: the same result gives the same page
    for (const QString &key : keys)
        rows.append({esc(key), esc(r.environment.value(key).toVariant().toString())});
    table({tr("Fact"), tr("Value")}, rows);
}

void Report::reproduceSection()
{
    line(u"<h2>"_s + esc(tr("How to reproduce")) + u"</h2>"_s);
    line(u"<p>"_s + tr("Save the scenario below as %1 and run:").arg(u"<code>scenario.json</code>"_s) + u"</p>"_s);
    line(u"<pre id=\"reproduce\">cachescope run scenario.json --report report.html --report result.json</pre>"_s);
    QString sets = u"cachescope run --set db.path="_s + r.scenario.db.path;
    for (const QString &kv : settingsChangedFromDefault(r.scenario))
        sets += u" --set "_s + kv;
    line(u"<p>"_s + esc(tr("Or, with the settings alone (criteria and scheduled changes are in the scenario only):"))
        + u"</p>"_s);
    line(u"<pre id=\"reproduce-set\">"_s + esc(sets) + u"</pre>"_s);
    line(u"<pre id=\"scenario\">"_s
        + esc(QString::fromUtf8(QJsonDocument(r.scenario.toPublicJson()).toJson(QJsonDocument::Indented)).trimmed())
        + u"</pre>"_s);
}

QString Report::build()
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
    line(u"<!DOCTYPE html>"_s);
    //: The report's language, as HTML's lang attribute names it ("en", "zh-CN").
    line(u"<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\""_s + esc(tr("en")) + u"\">"_s);
    line(u"<head>"_s);
    line(u"<meta charset=\"utf-8\"/>"_s);
    line(u"<meta name=\"generator\" content=\"CacheScope "_s + esc(version) + u"\"/>"_s);
    line(u"<meta name=\"cachescope-verdict\" content=\""_s + verdictClass() + u"\"/>"_s);
    line(u"<title>"_s + esc(tr("CacheScope report: %1 — %2").arg(verdictWord(), r.scenario.db.table)) + u"</title>"_s);
    line(u"<style>"_s + QString::fromUtf16(kStyle) + u"</style>"_s);
    line(u"</head>"_s);
    line(u"<body>"_s);
    line(u"<h1>"_s + esc(tr("CacheScope acceptance report")) + u"</h1>"_s);
    line(u"<p>"_s
        + tr("Table %1 of %2; CacheScope %3.")
              .arg(u"<code>"_s + esc(r.scenario.db.table) + u"</code>"_s,
                  u"<code>"_s + esc(r.databasePath) + u"</code>"_s, esc(version))
        + (r.finishedAt.isValid() ? u" "_s
                    + esc(tr("Finished %1.").arg(m_locale.toString(r.finishedAt.toLocalTime(), QLocale::LongFormat)))
                                  : QString())
        + u"</p>"_s);
    QString says;
    if (!r.error.isEmpty())
        says = tr("the run failed: %1").arg(r.error);
    else if (r.verdict == Verdict::Pass)
        says = tr("every criterion judged and met");
    else if (r.verdict == Verdict::Fail)
        says = tr("%1 of %2 criteria failed").arg(failed).arg(r.criteria.size());
    else
        says = tr("no criterion failed; %1 could not be judged").arg(inconclusive);
    line(u"<p class=\"verdict "_s + verdictClass() + u"\">"_s + esc(verdictWord() + u" — "_s + says) + u"</p>"_s);
    line(u"<p>"_s + esc(tr("%1 passed, %2 failed, %3 inconclusive.").arg(passed).arg(failed).arg(inconclusive))
        + (r.stopped ? u" "_s + esc(tr("The run was stopped before its planned end.")) : QString()) + u"</p>"_s);
    criteriaSection();
    figuresSection();
    chartsSection();
    costSection();
    if (!r.notes.isEmpty()) {
        line(u"<h2>"_s + esc(tr("Notes")) + u"</h2><ul>"_s);
        for (const QString &note : r.notes)
            line(u"<li>"_s + esc(note) + u"</li>"_s);
        line(u"</ul>"_s);
    }
    configurationSection();
    environmentSection();
    reproduceSection();
    line(u"</body>"_s);
    line(u"</html>"_s);
    return m_html;
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
    Report report(result, Target::Html);
    return report.build().toUtf8();
}

QTextDocument *document(const RunResult &result, QObject *parent)
{
    if (!canDraw())
        return nullptr;
    Report report(result, Target::Pdf);
    const QString page = report.build();
    auto *doc = new QTextDocument(parent);
    doc->setDefaultStyleSheet(QString::fromUtf16(kStyle));
    for (qsizetype i = 0; i < report.images.size(); ++i)
        doc->addResource(QTextDocument::ImageResource, QUrl(u"chart-%1.png"_s.arg(i)), report.images.at(i));
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
    writer.setTitle(u"CacheScope: "_s + (result.error.isEmpty() ? verdictName(result.verdict) : u"error"_s).toUpper());
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
