#include "core/metrics/kpi.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

// Both sides measured, with requests and (baseline) database statements to compare.
bool comparable(const KpiInputs &in)
{
    return in.baseline && in.tuned && in.baseline->counts.requests > 0 && in.tuned->counts.requests > 0
        && in.baseline->counts.dbStatements > 0;
}

std::optional<double> reduction(std::int64_t before, std::int64_t after)
{
    if (before <= 0)
        return std::nullopt;
    return 1.0 - double(after) / double(before);
}

std::optional<double> hitRate(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.reads == 0)
        return std::nullopt;
    return in.tuned->counts.hitRate();
}

// Statements per request, so that a phase with more requests is not credited for them.
std::optional<double> dbQueryReduction(const KpiInputs &in)
{
    if (!comparable(in))
        return std::nullopt;
    const double baseline = double(in.baseline->counts.dbStatements) / double(in.baseline->counts.requests);
    const double tuned = double(in.tuned->counts.dbStatements) / double(in.tuned->counts.requests);
    return 1.0 - tuned / baseline;
}

std::optional<double> throughputRatio(const KpiInputs &in)
{
    if (!comparable(in) || in.baseline->requestsPerSecond() <= 0)
        return std::nullopt;
    return in.tuned->requestsPerSecond() / in.baseline->requestsPerSecond();
}

std::optional<double> p50Reduction(const KpiInputs &in)
{
    if (!comparable(in))
        return std::nullopt;
    return reduction(in.baseline->p50Nanos, in.tuned->p50Nanos);
}

std::optional<double> p99Reduction(const KpiInputs &in)
{
    if (!comparable(in))
        return std::nullopt;
    return reduction(in.baseline->p99Nanos, in.tuned->p99Nanos);
}

std::optional<double> transferReduction(const KpiInputs &in)
{
    if (!in.bytesProjected || !in.bytesFull || *in.bytesFull <= 0)
        return std::nullopt;
    return 1.0 - *in.bytesProjected / *in.bytesFull;
}

std::optional<double> coldStartReduction(const KpiInputs &in)
{
    if (!in.warmStartSeconds || !in.coldStartSeconds || *in.coldStartSeconds <= 0)
        return std::nullopt;
    return 1.0 - *in.warmStartSeconds / *in.coldStartSeconds;
}

// The absolute figures of the tuned stretch (a criterion such as "p99 ≤ 5 ms" needs no baseline).
std::optional<double> requestsPerSecond(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.requests == 0 || in.tuned->seconds <= 0)
        return std::nullopt;
    return in.tuned->requestsPerSecond();
}

std::optional<double> p99LatencyMs(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.requests == 0 || in.tuned->p99Nanos <= 0)
        return std::nullopt;
    return double(in.tuned->p99Nanos) / 1e6;
}

std::optional<double> errorRate(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.requests == 0)
        return std::nullopt;
    return double(in.tuned->counts.errors) / double(in.tuned->counts.requests);
}

std::optional<double> staleReadRate(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.checkedReads == 0)
        return std::nullopt;
    return double(in.tuned->counts.staleReads) / double(in.tuned->counts.checkedReads);
}

std::optional<double> staleReadAgeMs(const KpiInputs &in)
{
    if (!in.tuned || in.tuned->counts.checkedReads == 0)
        return std::nullopt;
    if (in.tuned->counts.staleReads == 0)
        return 0.0;
    if (in.tuned->staleAgeP99Nanos <= 0)
        return std::nullopt; // stale reads whose ages are not known (a resampled stretch)
    return double(in.tuned->staleAgeP99Nanos) / 1e6;
}

std::optional<double> hitRateBound(const KpiInputs &in)
{
    const std::optional<HitCostModel> model = HitCostModel::of(in);
    return model ? std::optional<double>(model->bound) : std::nullopt;
}

std::optional<double> boundEfficiency(const KpiInputs &in)
{
    const std::optional<HitCostModel> model = HitCostModel::of(in);
    return model ? std::optional<double>(model->efficiency) : std::nullopt;
}

// Worker time a request of \a p spends outside its own latency (the loop, counters, yields),
// never below 0 (clients of a worker that wait overlap, and their latencies add up to more).
double overheadNanos(const KpiPhase &p, int workers)
{
    const double busy = p.seconds * 1e9 * workers;
    return std::max(0.0, busy - p.latencyNanos) / double(p.counts.requests);
}

} // namespace

std::optional<HitCostModel> HitCostModel::of(const KpiInputs &in)
{
    const std::optional<double> ratio = throughputRatio(in);
    if (!ratio || *ratio <= 0 || !in.closedModel || in.workers <= 0 || in.baseline->latencyNanos <= 0
        || in.tuned->latencyNanos <= 0 || in.tuned->counts.hits == 0 || in.tuned->counts.hitNanos == 0)
        return std::nullopt;
    const KpiPhase &b = *in.baseline;
    const KpiPhase &t = *in.tuned;
    const double baselineRead = b.latencyNanos / double(b.counts.requests) + overheadNanos(b, in.workers);
    const double hit = double(t.counts.hitNanos) / double(t.counts.hits) + overheadNanos(t, in.workers);
    HitCostModel m;
    m.hitShare = double(t.counts.hits) / double(t.counts.requests);
    m.hitCost = hit / baselineRead;
    m.bound = 1.0 / ((1.0 - m.hitShare) + m.hitShare * m.hitCost);
    m.efficiency = *ratio / m.bound;
    if (m.hitShare < 0.999)
        m.missCost = (1.0 / *ratio - m.hitShare * m.hitCost) / (1.0 - m.hitShare);
    return m;
}

KpiPhase KpiPhase::of(const RequestTotals &totals, double seconds)
{
    KpiPhase p {totals.counts, seconds, totals.latency.valueAtPercentile(50), totals.latency.valueAtPercentile(99),
        totals.latency.mean() * double(totals.latency.count())};
    p.staleAgeP99Nanos = totals.staleAge.valueAtPercentile(99);
    return p;
}

QString KpiDef::format(double value) const
{
    switch (unit) {
    case KpiUnit::Multiple:
        return QString::number(value, 'f', 2) + u"×"_s;
    case KpiUnit::Milliseconds:
        return QString::number(value, 'f', value < 10 ? 3 : 1) + u" ms"_s;
    case KpiUnit::PerSecond:
        return QString::number(value, 'f', 0) + u" req/s"_s;
    case KpiUnit::Share:
        break;
    }
    return QString::number(value * 100.0, 'f', 1) + u" %"_s;
}

QString KpiDef::unitSymbol() const
{
    switch (unit) {
    case KpiUnit::Multiple:
        return u"×"_s;
    case KpiUnit::Milliseconds:
        return u"ms"_s;
    case KpiUnit::PerSecond:
        return u"req/s"_s;
    case KpiUnit::Share:
        break;
    }
    return u"%"_s;
}

namespace {
// A title or definition in the source language; the GUI shows it translated (context "Kpi").
QString text(const char *source)
{
    return QString::fromUtf8(source);
}
} // namespace

const QList<KpiDef> &kpiTable()
{
    static const QList<KpiDef> table {
        {u"hit_rate"_s, text(QT_TRANSLATE_NOOP("Kpi", "Hit rate")), KpiUnit::Share, Better::Higher, false, &hitRate,
            text(QT_TRANSLATE_NOOP("Kpi", "share of the cached phase's reads answered by a cache tier"))},
        {u"db_query_reduction"_s, text(QT_TRANSLATE_NOOP("Kpi", "DB queries reduced")), KpiUnit::Share, Better::Higher,
            true, &dbQueryReduction,
            text(
                QT_TRANSLATE_NOOP("Kpi", "1 − (statements per request, cached) ÷ (statements per request, baseline)"))},
        {u"throughput_ratio"_s, text(QT_TRANSLATE_NOOP("Kpi", "Throughput × baseline")), KpiUnit::Multiple,
            Better::Higher, true, &throughputRatio,
            text(QT_TRANSLATE_NOOP("Kpi", "requests per second, cached ÷ baseline"))},
        {u"p50_reduction"_s, text(QT_TRANSLATE_NOOP("Kpi", "p50 latency reduced")), KpiUnit::Share, Better::Higher,
            true, &p50Reduction, text(QT_TRANSLATE_NOOP("Kpi", "1 − median response time, cached ÷ baseline"))},
        {u"p99_reduction"_s, text(QT_TRANSLATE_NOOP("Kpi", "p99 latency reduced")), KpiUnit::Share, Better::Higher,
            true, &p99Reduction,
            text(QT_TRANSLATE_NOOP("Kpi", "1 − 99th percentile response time, cached ÷ baseline"))},
        {u"transfer_reduction"_s, text(QT_TRANSLATE_NOOP("Kpi", "Bytes read reduced")), KpiUnit::Share, Better::Higher,
            false, &transferReduction,
            text(QT_TRANSLATE_NOOP("Kpi", "1 − bytes read with the projection ÷ with full rows, same keys"))},
        {u"cold_start_reduction"_s, text(QT_TRANSLATE_NOOP("Kpi", "Cold start reduced")), KpiUnit::Share,
            Better::Higher, false, &coldStartReduction,
            text(QT_TRANSLATE_NOOP("Kpi", "1 − time to a steady hit rate, warmed ÷ cold"))},
        {u"requests_per_s"_s, text(QT_TRANSLATE_NOOP("Kpi", "Throughput")), KpiUnit::PerSecond, Better::Higher, false,
            &requestsPerSecond, text(QT_TRANSLATE_NOOP("Kpi", "requests per second of the cached phase"))},
        {u"p99_latency_ms"_s, text(QT_TRANSLATE_NOOP("Kpi", "p99 latency")), KpiUnit::Milliseconds, Better::Lower,
            false, &p99LatencyMs, text(QT_TRANSLATE_NOOP("Kpi", "99th percentile response time of the cached phase"))},
        {u"error_rate"_s, text(QT_TRANSLATE_NOOP("Kpi", "Error rate")), KpiUnit::Share, Better::Lower, false,
            &errorRate, text(QT_TRANSLATE_NOOP("Kpi", "share of the cached phase's requests that failed"))},
        {u"stale_read_rate"_s, text(QT_TRANSLATE_NOOP("Kpi", "Stale reads")), KpiUnit::Share, Better::Lower, false,
            &staleReadRate,
            text(QT_TRANSLATE_NOOP("Kpi",
                "share of the cached phase's checked reads that returned a row older than a write committed before "
                "the read began (db.version_column)"))},
        {u"stale_read_p99_age_ms"_s, text(QT_TRANSLATE_NOOP("Kpi", "Stale read age p99")), KpiUnit::Milliseconds,
            Better::Lower, false, &staleReadAgeMs,
            text(QT_TRANSLATE_NOOP("Kpi", "99th percentile of how long a stale read's row had been superseded"))},
        {u"hit_rate_bound"_s, text(QT_TRANSLATE_NOOP("Kpi", "Hit-rate bound B(h)")), KpiUnit::Multiple, Better::Higher,
            true, &hitRateBound,
            text(QT_TRANSLATE_NOOP("Kpi",
                "the best throughput ratio the hit rate allows: 1 ÷ ((1 − h) + h·c), c = a hit's cost in baseline "
                "reads"))},
        {u"bound_efficiency"_s, text(QT_TRANSLATE_NOOP("Kpi", "Efficiency vs bound")), KpiUnit::Share, Better::Higher,
            true, &boundEfficiency,
            text(QT_TRANSLATE_NOOP("Kpi",
                "throughput ratio ÷ hit-rate bound: below 1 the cache's own cost, not the hit rate, holds it back"))},
    };
    return table;
}

const KpiDef *findKpi(const QString &key)
{
    for (const KpiDef &kpi : kpiTable()) {
        if (kpi.key == key)
            return &kpi;
    }
    return nullptr;
}

QStringList kpiKeys()
{
    QStringList keys;
    for (const KpiDef &kpi : kpiTable())
        keys << kpi.key;
    return keys;
}

} // namespace cachescope
