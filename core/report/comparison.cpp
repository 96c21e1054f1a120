#include "core/report/comparison.h"

#include "core/scenario/settings.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
const char16_t *kComparisonStyle = uR"(
body { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; color: #202124; margin: 2em auto; max-width: 62em; }
table.grid { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #dadce0; padding: 4px 8px; text-align: left; vertical-align: top; }
table.grid th { background: #f1f3f4; }
.better { color: #137333; } .worse { color: #a50e0e; font-weight: bold; } .same { color: #5f6368; }
)";

QJsonValue changeJson(const std::optional<ComparisonRow::Change> &change)
{
    if (!change)
        return QJsonValue::Null;
    switch (*change) {
    case ComparisonRow::Change::None:
        return u"none"_s;
    case ComparisonRow::Change::Better:
        return u"better"_s;
    case ComparisonRow::Change::Worse:
        return u"worse"_s;
    }
    return QJsonValue::Null;
}
} // namespace

namespace {
constexpr double kZ95 = 1.959964; // two-sided 95 % of the normal distribution

// Requests per second over the judged stretch of \a phase, with the interval of its mean from the
// ~100 ms samples (nullopt without two samples). Each sample weighs its length: a long run's
// record holds joined samples (coarsenTimeSeries), whose rates vary less. With the rate's
// variance σ²/w for a sample of length w, the mean Σw·r/Σw has the variance σ²/Σw, and
// σ² = Σw·(r − mean)²/(n − 1); for samples of one length this is the usual s²/n.
std::optional<double> rateRelativeHalfWidth(const RunResult &r, Phase phase)
{
    std::vector<std::pair<double, double>> samples; // (length, rate)
    for (const MetricsSnapshot *s : r.judgedSnapshots(phase))
        samples.emplace_back(s->interval, s->requestsPerSecond());
    if (samples.size() < 2)
        return std::nullopt;
    double length = 0.0;
    double mean = 0.0;
    for (const auto &[w, rate] : samples) {
        length += w;
        mean += w * rate;
    }
    mean /= length;
    double sigma2 = 0.0;
    for (const auto &[w, rate] : samples)
        sigma2 += w * (rate - mean) * (rate - mean);
    sigma2 /= double(samples.size() - 1);
    if (mean <= 0)
        return std::nullopt;
    return kZ95 * std::sqrt(sigma2 / length) / mean;
}

Estimate withRelative(double value, std::optional<double> relative)
{
    if (!relative)
        return Estimate {value, std::nullopt, std::nullopt};
    return Estimate {value, value * (1 - *relative), value * (1 + *relative)};
}

std::optional<double> halfWidth(const Estimate &e)
{
    if (!e.low || !e.high)
        return std::nullopt;
    return (*e.high - *e.low) / 2;
}

QString signedNumber(double v, int decimals)
{
    const QString digits = QString::number(std::abs(v), 'f', decimals);
    if (digits.toDouble() == 0.0)
        return u"±"_s + digits;
    return (v < 0 ? u"−"_s : u"+"_s) + digits;
}

struct RowDef {
    QString key;
    QString title;
    Better better;
    ComparisonRow::Format format;
    QString unit;
};

QList<RowDef> rowDefs()
{
    QList<RowDef> defs;
    for (const KpiDef &k : kpiTable()) {
        // The cached phase's requests/s and p99 are rows of their own below (in req/s and µs).
        if (k.unit == KpiUnit::PerSecond || k.unit == KpiUnit::Milliseconds)
            continue;
        defs.append({k.key, k.title, k.better,
            k.unit == KpiUnit::Multiple ? ComparisonRow::Format::Multiple : ComparisonRow::Format::Share, QString()});
    }
    defs.append({u"cached_requests_per_s"_s, QString::fromUtf8(QT_TRANSLATE_NOOP("Kpi", "Cached requests/s")),
        Better::Higher, ComparisonRow::Format::Plain, u"req/s"_s});
    defs.append({u"cached_p50_us"_s, QString::fromUtf8(QT_TRANSLATE_NOOP("Kpi", "Cached p50")), Better::Lower,
        ComparisonRow::Format::Plain, u"µs"_s});
    defs.append({u"cached_p99_us"_s, QString::fromUtf8(QT_TRANSLATE_NOOP("Kpi", "Cached p99")), Better::Lower,
        ComparisonRow::Format::Plain, u"µs"_s});
    return defs;
}

std::optional<Estimate> valueOf(const RowDef &def, const RunResult &r)
{
    const KpiInputs in = r.kpiInputs();
    if (def.key == u"hit_rate"_s) {
        if (!in.tuned || in.tuned->counts.reads == 0)
            return std::nullopt;
        return wilsonInterval(in.tuned->counts.hits, in.tuned->counts.reads);
    }
    if (def.key == u"throughput_ratio"_s) {
        const std::optional<double> v = r.kpi(def.key);
        if (!v)
            return std::nullopt;
        const auto tuned = rateRelativeHalfWidth(r, Phase::Cached);
        const auto base = rateRelativeHalfWidth(r, Phase::Baseline);
        if (!tuned || !base)
            return withRelative(*v, std::nullopt);
        return withRelative(*v, std::sqrt(*tuned * *tuned + *base * *base));
    }
    if (def.key == u"cached_requests_per_s"_s) {
        if (!in.tuned || in.tuned->seconds <= 0)
            return std::nullopt;
        return withRelative(in.tuned->requestsPerSecond(), rateRelativeHalfWidth(r, Phase::Cached));
    }
    if (def.key == u"cached_p50_us"_s || def.key == u"cached_p99_us"_s) {
        if (!in.tuned || in.tuned->counts.requests == 0)
            return std::nullopt;
        const std::int64_t nanos = def.key == u"cached_p50_us"_s ? in.tuned->p50Nanos : in.tuned->p99Nanos;
        return Estimate {double(nanos) / 1000.0, std::nullopt, std::nullopt};
    }
    if (const std::optional<double> v = r.kpi(def.key))
        return Estimate {*v, std::nullopt, std::nullopt};
    return std::nullopt;
}

QJsonValue estimateJson(const std::optional<Estimate> &e)
{
    if (!e)
        return QJsonValue::Null;
    QJsonObject o {{u"value"_s, e->value}};
    if (e->low && e->high) {
        o.insert(u"low"_s, *e->low);
        o.insert(u"high"_s, *e->high);
    }
    return o;
}
} // namespace

QString ComparisonRow::formatValue(double value) const
{
    switch (format) {
    case Format::Share:
        return QString::number(value * 100.0, 'f', 1) + u" %"_s;
    case Format::Multiple:
        return QString::number(value, 'f', 2) + u"×"_s;
    case Format::Plain:
        break;
    }
    return QString::number(value, 'f', value >= 100 ? 0 : 1) + u' ' + unit;
}

QString ComparisonRow::formatDelta(const Estimate &delta, double reference) const
{
    const std::optional<double> half = halfWidth(delta);
    switch (format) {
    case Format::Share:
        return signedNumber(delta.value * 100.0, 1) + u" pp"_s
            + (half ? u" (±"_s + QString::number(*half * 100.0, 'f', 1) + u')' : QString());
    case Format::Multiple:
        return signedNumber(delta.value, 2) + u"×"_s
            + (half ? u" (±"_s + QString::number(*half, 'f', 2) + u')' : QString());
    case Format::Plain:
        break;
    }
    if (reference == 0.0)
        return signedNumber(delta.value, 1) + u' ' + unit;
    return signedNumber(delta.value / reference * 100.0, 1) + u" %"_s
        + (half ? u" (±"_s + QString::number(*half / std::abs(reference) * 100.0, 'f', 1) + u')' : QString());
}

RegressionRule RegressionRule::parse(const QString &text)
{
    RegressionRule rule;
    const qsizetype eq = text.indexOf(u'=');
    rule.key = (eq < 0 ? text : text.left(eq)).trimmed();
    if (!Comparison::rowKeys().contains(rule.key))
        throw ResultFormatError(u"--fail-on-regression: '%1' is not a figure (one of %2)"_s.arg(
            rule.key, Comparison::rowKeys().join(u", "_s)));
    if (eq >= 0) {
        bool ok = false;
        rule.tolerance = text.mid(eq + 1).toDouble(&ok);
        if (!ok || !(rule.tolerance >= 0) || !std::isfinite(rule.tolerance))
            throw ResultFormatError(
                u"--fail-on-regression %1: tolerance '%2' is not a number ≥ 0"_s.arg(rule.key, text.mid(eq + 1)));
    }
    return rule;
}

QStringList Comparison::rowKeys()
{
    QStringList keys;
    for (const RowDef &def : rowDefs())
        keys.append(def.key);
    return keys;
}

Comparison Comparison::of(const QList<ComparedRun> &runs)
{
    if (runs.size() < 2 || runs.size() > 5)
        throw ResultFormatError(u"compare: give 2 to 5 runs, not %1"_s.arg(runs.size()));
    Comparison c;
    for (const ComparedRun &run : runs)
        c.labels.append(run.label);
    for (const SettingDef &setting : settingTable()) {
        QStringList values;
        for (const ComparedRun &run : runs)
            values.append(setting.text(setting.get(run.result.scenario)));
        if (values.count(values.first()) != values.size())
            c.settingsDiffer.append(setting.key + u": "_s + values.join(u" | "_s));
    }
    for (const RowDef &def : rowDefs()) {
        ComparisonRow row {def.key, def.title, def.better, def.format, def.unit, {}, {}};
        for (const ComparedRun &run : runs)
            row.values.append(valueOf(def, run.result));
        const std::optional<Estimate> &ref = row.values.first();
        for (qsizetype i = 0; i < row.values.size(); ++i) {
            const std::optional<Estimate> &v = row.values[i];
            if (i == 0 || !ref || !v) {
                row.deltas.append(std::nullopt);
                continue;
            }
            Estimate d {v->value - ref->value, std::nullopt, std::nullopt};
            const auto hv = halfWidth(*v);
            const auto hr = halfWidth(*ref);
            if (hv && hr) {
                const double half = std::sqrt(*hv * *hv + *hr * *hr);
                d.low = d.value - half;
                d.high = d.value + half;
            }
            row.deltas.append(d);
        }
        c.rows.append(row);
    }
    return c;
}

std::optional<ComparisonRow::Change> ComparisonRow::change(qsizetype i, double noiseFloor) const
{
    if (i <= 0 || i >= deltas.size() || !deltas[i] || !values.first())
        return std::nullopt;
    const Estimate &d = *deltas[i];
    const double reference = values.first()->value;
    // Shares and multiples compare as plain values too: 1 % of the first run's value.
    if (std::abs(d.value) <= noiseFloor * std::abs(reference) + 1e-12 || d.holds(0.0))
        return Change::None;
    const bool up = d.value > 0;
    return up == (better == Better::Higher) ? Change::Better : Change::Worse;
}

QList<Regression> Comparison::regressions(const QList<RegressionRule> &rules) const
{
    QList<Regression> found;
    for (const RegressionRule &rule : rules) {
        for (const ComparisonRow &row : rows) {
            if (row.key != rule.key || !row.values.first())
                continue;
            const double reference = row.values.first()->value;
            // Plain figures: the tolerance is a fraction of the first run's value.
            const double allowed
                = row.format == ComparisonRow::Format::Plain ? rule.tolerance * std::abs(reference) : rule.tolerance;
            for (qsizetype i = 1; i < row.deltas.size(); ++i) {
                if (!row.deltas[i] || row.change(i, noiseFloor) != ComparisonRow::Change::Worse)
                    continue;
                const double worse = row.better == Better::Higher ? -row.deltas[i]->value : row.deltas[i]->value;
                if (worse > allowed + 1e-12)
                    found.append({row.key, labels[i], row.deltas[i]->value, allowed});
            }
        }
    }
    return found;
}

QString Comparison::text() const
{
    QList<QStringList> table;
    QStringList header {QString()};
    header << labels;
    table.append(header);
    for (const ComparisonRow &row : rows) {
        QStringList line {row.title};
        for (qsizetype i = 0; i < row.values.size(); ++i) {
            if (!row.values[i]) {
                line << u"—"_s;
                continue;
            }
            QString cell = row.formatValue(row.values[i]->value);
            if (row.deltas[i]) {
                cell += u"  "_s + row.formatDelta(*row.deltas[i], row.values.first()->value);
                if (row.change(i, noiseFloor) == ComparisonRow::Change::None)
                    cell += u" (no change)"_s;
            }
            line << cell;
        }
        table.append(line);
    }
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &line : table) {
        for (qsizetype i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], line[i].size());
    }
    QString out;
    for (const QStringList &line : table) {
        QString text;
        for (qsizetype i = 0; i < line.size(); ++i)
            text += (i + 1 < line.size() ? line[i].leftJustified(widths[i] + 3) : line[i]);
        out += text + u'\n';
    }
    out += u"\nDeltas are against %1; ± is the 95 % interval where the figure has one (hit rate: Wilson; "
           "throughput: over the 100 ms samples).\n"_s.arg(labels.first());
    if (!settingsDiffer.isEmpty()) {
        out += u"\nSettings that differ:\n"_s;
        for (const QString &line : settingsDiffer)
            out += u"  "_s + line + u'\n';
    }
    return out;
}

QString Comparison::html() const
{
    const auto esc = [](const QString &t) { return t.toHtmlEscaped(); };
    QString out = u"<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                  "<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"CacheScope comparison\"/>\n"
                  "<title>CacheScope comparison</title>\n<style>"_s
        + QString::fromUtf16(kComparisonStyle) + u"</style>\n</head>\n<body>\n<h1>CacheScope comparison</h1>\n"_s;
    out += u"<p>The first run is the reference. Differences within %1 % of its value, or whose 95 % interval holds "
           "0, are no change.</p>\n"_s.arg(noiseFloor * 100.0, 0, 'g', 3);
    out += u"<table class=\"grid\" width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" border=\"1\">\n<tr><th>Figure</th>"_s;
    for (const QString &label : labels)
        out += u"<th>"_s + esc(label) + u"</th>"_s;
    out += u"</tr>\n"_s;
    for (const ComparisonRow &row : rows) {
        out += u"<tr><td>"_s + esc(row.title) + u"</td>"_s;
        for (qsizetype i = 0; i < row.values.size(); ++i) {
            if (!row.values[i]) {
                out += u"<td>—</td>"_s;
                continue;
            }
            QString cell = esc(row.formatValue(row.values[i]->value));
            if (row.deltas[i]) {
                const std::optional<ComparisonRow::Change> c = row.change(i, noiseFloor);
                const QString cls = c == ComparisonRow::Change::Better ? u"better"_s
                    : c == ComparisonRow::Change::Worse                ? u"worse"_s
                                                                       : u"same"_s;
                cell += u"<br/><span class=\""_s + cls + u"\">"_s
                    + esc(row.formatDelta(*row.deltas[i], row.values.first()->value))
                    + (cls == u"same"_s ? u" (no change)"_s : QString()) + u"</span>"_s;
            }
            out += u"<td>"_s + cell + u"</td>"_s;
        }
        out += u"</tr>\n"_s;
    }
    out += u"</table>\n"_s;
    if (!settingsDiffer.isEmpty()) {
        out += u"<h2>Settings that differ</h2>\n<ul>\n"_s;
        for (const QString &s : settingsDiffer)
            out += u"<li><code>"_s + esc(s) + u"</code></li>\n"_s;
        out += u"</ul>\n"_s;
    }
    return out + u"</body>\n</html>\n"_s;
}

QJsonObject Comparison::toJson() const
{
    QJsonArray rowsJson;
    for (const ComparisonRow &row : rows) {
        QJsonArray values;
        QJsonArray deltas;
        QJsonArray changes;
        for (qsizetype i = 0; i < row.values.size(); ++i) {
            values.append(estimateJson(row.values[i]));
            deltas.append(estimateJson(row.deltas[i]));
            changes.append(changeJson(row.change(i, noiseFloor)));
        }
        rowsJson.append(QJsonObject {{u"key"_s, row.key}, {u"title"_s, row.title},
            {u"better"_s, row.better == Better::Higher ? u"higher"_s : u"lower"_s}, {u"values"_s, values},
            {u"deltas"_s, deltas}, {u"changes"_s, changes}});
    }
    return QJsonObject {{u"runs"_s, QJsonArray::fromStringList(labels)},
        {u"settings_differ"_s, QJsonArray::fromStringList(settingsDiffer)}, {u"noise_floor"_s, noiseFloor},
        {u"rows"_s, rowsJson}};
}

} // namespace cachescope
