#include "core/metrics/timeseries.h"

#include <algorithm>

namespace cachescope {

MetricsSnapshot mergeSnapshots(const MetricsSnapshot &earlier, const MetricsSnapshot &later)
{
    MetricsSnapshot m = later;
    static_cast<RequestCounts &>(m) += earlier;
    m.interval = earlier.interval + later.interval;
    m.latencySumNanos = earlier.latencySumNanos + later.latencySumNanos;
    const double weight = double(earlier.requests) + double(later.requests);
    m.p50Nanos = weight > 0
        ? std::int64_t(
            (double(earlier.p50Nanos) * double(earlier.requests) + double(later.p50Nanos) * double(later.requests))
            / weight)
        : std::max(earlier.p50Nanos, later.p50Nanos);
    m.p99Nanos = std::max(earlier.p99Nanos, later.p99Nanos);
    m.p999Nanos = std::max(earlier.p999Nanos, later.p999Nanos);
    m.maxNanos = std::max(earlier.maxNanos, later.maxNanos);
    m.staleAgeP99Nanos = std::max(earlier.staleAgeP99Nanos, later.staleAgeP99Nanos);
    m.l2RoundTripP50Nanos = std::max(earlier.l2RoundTripP50Nanos, later.l2RoundTripP50Nanos);
    m.l2RoundTripP99Nanos = std::max(earlier.l2RoundTripP99Nanos, later.l2RoundTripP99Nanos);
    m.replicaLagNanos = std::max(earlier.replicaLagNanos, later.replicaLagNanos);
    m.replicaLagBytes = std::max(earlier.replicaLagBytes, later.replicaLagBytes);
    return m;
}

namespace {
bool mergeable(const MetricsSnapshot &a, const MetricsSnapshot &b, const QList<double> &cuts, double keepFirstS)
{
    if (a.phase != b.phase || a.warmup != b.warmup)
        return false;
    if (a.phaseTime - a.interval < keepFirstS || b.phaseTime <= a.phaseTime)
        return false;
    // Neither may hold a segment's start: one that straddles it stays alone.
    return std::none_of(
        cuts.begin(), cuts.end(), [&](double t) { return a.runTime - a.interval < t && t <= b.runTime; });
}
} // namespace

void coarsenTimeSeries(QList<MetricsSnapshot> &series, const QList<double> &cuts, double keepFirstS)
{
    QList<MetricsSnapshot> out;
    out.reserve(series.size() / 2 + 1);
    for (qsizetype i = 0; i < series.size();) {
        if (i + 1 < series.size() && mergeable(series[i], series[i + 1], cuts, keepFirstS)) {
            out.append(mergeSnapshots(series[i], series[i + 1]));
            i += 2;
        } else {
            out.append(series[i]);
            ++i;
        }
    }
    out.squeeze();
    series = std::move(out);
}

} // namespace cachescope
