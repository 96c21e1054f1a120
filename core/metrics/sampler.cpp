#include "core/metrics/sampler.h"

#include <cmath>

#include <utility>

namespace cachescope {

void Sampler::restart(RequestTotals totals, std::int64_t nowNanos)
{
    m_last = std::move(totals);
    m_lastNs = nowNanos;
    m_phaseStartNs = nowNanos;
}

MetricsSnapshot Sampler::next(RequestTotals totals, std::int64_t nowNanos)
{
    MetricsSnapshot s;
    static_cast<RequestCounts &>(s) = totals.counts - m_last.counts;
    s.phaseTime = double(nowNanos - m_phaseStartNs) / 1e9;
    s.interval = double(nowNanos - m_lastNs) / 1e9;
    const LatencyHistogram interval = totals.latency.deltaSince(m_last.latency);
    s.p50Nanos = interval.valueAtPercentile(50);
    s.p99Nanos = interval.valueAtPercentile(99);
    s.p999Nanos = interval.valueAtPercentile(99.9);
    s.maxNanos = interval.max();
    s.latencySumNanos = std::llround(interval.mean() * double(interval.count()));
    s.phaseRequests = totals.counts.requests;
    if (totals.staleAge.count() > m_last.staleAge.count())
        s.staleAgeP99Nanos = totals.staleAge.deltaSince(m_last.staleAge).valueAtPercentile(99);
    if (totals.l2RoundTrip.count() > m_last.l2RoundTrip.count()) {
        const LatencyHistogram rtt = totals.l2RoundTrip.deltaSince(m_last.l2RoundTrip);
        s.l2RoundTripP50Nanos = rtt.valueAtPercentile(50);
        s.l2RoundTripP99Nanos = rtt.valueAtPercentile(99);
    }
    m_last = std::move(totals);
    m_lastNs = nowNanos;
    return s;
}

} // namespace cachescope
