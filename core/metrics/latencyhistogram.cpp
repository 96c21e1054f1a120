#include "core/metrics/latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace cachescope {

using detail::HistogramLayout;

LatencyHistogram::LatencyHistogram()
    : m_counts(std::size_t(HistogramLayout::kCountsLength), 0)
{
}

void LatencyHistogram::record(std::int64_t nanos, std::uint64_t count)
{
    if (count == 0)
        return;
    if (nanos > HistogramLayout::kHighestTrackable) {
        m_saturated += count;
        nanos = HistogramLayout::kHighestTrackable;
    }
    nanos = std::max<std::int64_t>(nanos, 0);
    m_counts[std::size_t(HistogramLayout::indexOf(nanos))] += count;
    m_min = m_total ? std::min(m_min, nanos) : nanos;
    m_max = m_total ? std::max(m_max, nanos) : nanos;
    m_total += count;
    m_sum += nanos * std::int64_t(count);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_total == 0)
        return;
    for (std::size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_min = m_total ? std::min(m_min, other.m_min) : other.m_min;
    m_max = m_total ? std::max(m_max, other.m_max) : other.m_max;
    m_total += other.m_total;
    m_sum += other.m_sum;
    m_saturated += other.m_saturated;
}

LatencyHistogram LatencyHistogram::deltaSince(const LatencyHistogram &earlier) const
{
    LatencyHistogram delta;
    bool first = true;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        const std::uint64_t n = m_counts[i] >= earlier.m_counts[i] ? m_counts[i] - earlier.m_counts[i] : 0;
        if (n == 0)
            continue;
        delta.m_counts[i] = n;
        delta.m_total += n;
        // Exact min/max are not recoverable from two cumulative snapshots; the bucket bounds
        // are (within the histogram's precision).
        const auto lo = HistogramLayout::lowestEquivalent(int(i));
        const auto hi = std::min(HistogramLayout::highestEquivalent(int(i)), m_max);
        delta.m_min = first ? lo : std::min(delta.m_min, lo);
        delta.m_max = first ? hi : std::max(delta.m_max, hi);
        first = false;
    }
    delta.m_sum = m_sum - earlier.m_sum;
    delta.m_saturated = m_saturated - earlier.m_saturated;
    return delta;
}

void LatencyHistogram::reset()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_total = m_saturated = 0;
    m_sum = m_min = m_max = 0;
}

std::int64_t LatencyHistogram::valueAtPercentile(double percentile) const
{
    if (m_total == 0)
        return 0;
    percentile = std::clamp(percentile, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(percentile / 100.0 * double(m_total))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::clamp(HistogramLayout::highestEquivalent(int(i)), m_min, m_max);
    }
    return m_max;
}

LatencyRecorder::LatencyRecorder()
    : m_counts(new std::atomic<std::uint64_t>[std::size_t(HistogramLayout::kCountsLength)])
{
    for (int i = 0; i < HistogramLayout::kCountsLength; ++i)
        m_counts[std::size_t(i)].store(0, std::memory_order_relaxed);
}

LatencyHistogram LatencyRecorder::snapshot() const
{
    LatencyHistogram h;
    for (int i = 0; i < HistogramLayout::kCountsLength; ++i) {
        const std::uint64_t n = m_counts[std::size_t(i)].load(std::memory_order_relaxed);
        h.m_counts[std::size_t(i)] = n;
        h.m_total += n;
    }
    h.m_sum = m_sum.load(std::memory_order_relaxed);
    h.m_max = m_max.load(std::memory_order_relaxed);
    h.m_min = h.m_total ? std::min(m_min.load(std::memory_order_relaxed), h.m_max) : 0;
    h.m_saturated = m_saturated.load(std::memory_order_relaxed);
    if (h.m_total && h.m_max == 0) {
        // A record raced with this read: take the max from the buckets.
        for (int i = HistogramLayout::kCountsLength - 1; i >= 0; --i) {
            if (h.m_counts[std::size_t(i)]) {
                h.m_max = HistogramLayout::highestEquivalent(i);
                break;
            }
        }
    }
    return h;
}

} // namespace cachescope
